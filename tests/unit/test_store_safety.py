"""Nothing lost: the keyring key is never replaced, creation and restore are all-or-nothing,
secrets never reach a file, and awkward paths and settings files are handled."""

from __future__ import annotations

import keyring
import pytest
from sqlalchemy import inspect, select

from dhr_desk.models import Agency
from dhr_desk.security.database_key import PassphraseRequest
from dhr_desk.security.secret_store import EXTRA_BACKENDS_ENV, SecretStore
from dhr_desk.store import schema
from dhr_desk.store.backup import backup_store, restore_embedded
from dhr_desk.store.config import StoreConfig, load_config, save_config
from dhr_desk.store.errors import DatabaseMissing, NoKeyAvailable, NothingDone, StoreError
from dhr_desk.store.location import DataLocation
from dhr_desk.store.server import parse_server_url, safe_url
from dhr_desk.store.store import Store, open_store
from tests.conftest import file_digest, refuse_prompt
from tests.support.faulty_keyrings import LockedKeyring
from tests.support.memory_keyring import MemoryKeyring
from tests.unit.test_embedded_store import add_agency, passphrase


def agency_names(store: Store) -> list[str]:
    with store.sessions() as session:
        return list(session.scalars(select(Agency.name).order_by(Agency.name)))


def test_a_missing_database_is_refused_and_the_keyring_key_kept(
    location: DataLocation, secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    # GIVEN a store with a backup, whose database file then goes missing
    store = open_store(location, secrets=secrets, prompt=refuse_prompt)
    add_agency(store, "Agency in the backup")
    backup = location.data_dir.parent / "backup.db"
    backup_store(store, backup)
    store.close()
    key_before = memory_keyring.secrets[("dhr-desk", location.key_name)]
    location.database_file.rename(location.data_dir.parent / "moved-away.db")
    # WHEN dhr-desk starts
    with pytest.raises(DatabaseMissing, match="restore"):
        open_store(location, secrets=secrets, prompt=refuse_prompt)
    # THEN nothing was created, the key is unchanged, and the backup still restores
    assert not location.database_file.exists()
    assert memory_keyring.secrets[("dhr-desk", location.key_name)] == key_before
    restore_embedded(location, secrets_key(secrets, location), backup)
    restored = open_store(location, secrets=secrets, prompt=refuse_prompt)
    assert agency_names(restored) == ["Agency in the backup"]
    restored.close()


def secrets_key(secrets: SecretStore, location: DataLocation):  # type: ignore[no-untyped-def]
    from dhr_desk.security.database_key import DatabaseKey

    stored = secrets.get(location.key_name)
    assert stored is not None
    return DatabaseKey("raw", stored)


def test_a_key_already_in_the_keyring_is_reused_not_replaced(
    location: DataLocation, secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.secrets[("dhr-desk", location.key_name)] = "cd" * 32
    store = open_store(location, secrets=secrets, prompt=refuse_prompt)
    store.close()
    assert memory_keyring.secrets[("dhr-desk", location.key_name)] == "cd" * 32
    assert store.key is not None and store.key.secret == "cd" * 32


def test_an_interrupted_creation_leaves_no_half_built_schema(
    location: DataLocation, secrets: SecretStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the schema creation fails after the tables were made (a crash, a full disk)
    def fail_after_create(*args: object, **kwargs: object) -> None:
        raise OSError("simulated failure after the tables were created")

    import alembic.command

    monkeypatch.setattr(alembic.command, "stamp", fail_after_create)
    with pytest.raises(OSError, match="simulated"):
        open_store(location, secrets=secrets, prompt=refuse_prompt)
    # THEN the file holds no tables (the creation rolled back) and no settings claim a database
    monkeypatch.undo()
    monkeypatch.setenv(EXTRA_BACKENDS_ENV, "tests.support.memory_keyring.MemoryKeyring")
    assert load_config(location).key_source is None
    # AND the next start creates the store properly
    store = open_store(location, secrets=secrets, prompt=refuse_prompt)
    assert store.migration.action == "created"
    with store.engine.connect() as conn:
        assert "reviews" in inspect(conn).get_table_names()
    store.close()


def test_an_interrupted_upgrade_rolls_back_to_the_old_schema(
    location: DataLocation, secrets: SecretStore, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    from pathlib import Path

    open_store(location, secrets=secrets, prompt=refuse_prompt).close()
    later = Path(str(tmp_path)) / "later"
    shutil.copytree(schema.MIGRATIONS_DIR, later, ignore=shutil.ignore_patterns("__pycache__"))
    (later / "versions" / "9999_broken.py").write_text(
        f'''import sqlalchemy as sa
from alembic import op
revision = "9999"
down_revision = "{schema.HEAD_REVISION}"
branch_labels = None
depends_on = None
def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    raise RuntimeError("simulated failure in the middle of an upgrade")
def downgrade():
    pass
'''
    )
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", later)
    monkeypatch.setattr(schema, "HEAD_REVISION", "9999")
    with pytest.raises(RuntimeError, match="simulated"):
        open_store(location, secrets=secrets, prompt=refuse_prompt)
    monkeypatch.undo()
    monkeypatch.setenv(EXTRA_BACKENDS_ENV, "tests.support.memory_keyring.MemoryKeyring")
    store = open_store(location, secrets=secrets, prompt=refuse_prompt)
    with store.engine.connect() as conn:
        assert "half_done" not in inspect(conn).get_table_names()
    assert store.schema_revision() == schema.HEAD_REVISION
    assert len(list(location.backups_dir.glob("*.db"))) == 1  # the backup made before trying
    store.close()


def test_a_restore_that_cannot_stage_its_copy_leaves_the_live_database_alone(
    embedded_store: Store,
) -> None:
    add_agency(embedded_store, "Live agency")
    location = embedded_store.location
    backup = location.data_dir.parent / "backup.db"
    backup_store(embedded_store, backup)
    key = embedded_store.key
    assert key is not None
    embedded_store.close()
    before = file_digest(location.database_file)
    # a folder where the staged copy must go: the copy cannot be written
    (location.data_dir / "dhr-desk.db.restoring.partial").mkdir()
    with pytest.raises(NothingDone, match="not touched"):
        restore_embedded(location, key, backup)
    assert file_digest(location.database_file) == before
    assert not list(location.data_dir.glob("*.before-restore-*"))


def test_two_restores_in_the_same_second_keep_both_previous_files(embedded_store: Store) -> None:
    location = embedded_store.location
    backup = location.data_dir.parent / "backup.db"
    backup_store(embedded_store, backup)
    key = embedded_store.key
    assert key is not None
    embedded_store.close()
    first = restore_embedded(location, key, backup).previous_file_kept_as
    second = restore_embedded(location, key, backup).previous_file_kept_as
    assert first is not None and second is not None and first != second
    assert first.exists() and second.exists()


def test_paths_with_hash_question_and_percent_signs_work(
    tmp_path: object, secrets: SecretStore, no_keyring: object
) -> None:
    from pathlib import Path

    location = DataLocation(Path(str(tmp_path)) / "case #1 ?100%25")
    store = open_store(location, secrets=secrets, prompt=passphrase("correct horse battery"))
    add_agency(store)
    backup = location.data_dir / "backup #3.db"
    backup_store(store, backup)
    key = store.key
    assert key is not None
    store.close()
    result = restore_embedded(location, key, backup)
    assert result.schema_revision == schema.HEAD_REVISION
    asked: list[PassphraseRequest] = []

    def wrong_then_right(request: PassphraseRequest) -> str | None:
        asked.append(request)
        return "wrong passphrase here" if len(asked) == 1 else "correct horse battery"

    again = open_store(location, secrets=secrets, prompt=wrong_then_right)
    assert len(asked) == 2 and asked[1].retry_reason is not None
    again.close()
    assert sorted(p.name for p in location.data_dir.iterdir() if p.name.startswith("backup")) == [
        "backup #3.db"
    ]


def test_a_locked_keyring_is_a_clear_no_key_error(location: DataLocation) -> None:
    import os

    os.environ[EXTRA_BACKENDS_ENV] += ",tests.support.faulty_keyrings.LockedKeyring"
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(NoKeyAvailable, match="Unlock the keyring") as caught:
        open_store(location, secrets=SecretStore(), prompt=refuse_prompt)
    assert caught.value.exit_code == 2
    assert not location.database_file.exists()


def test_an_unreadable_settings_file_is_refused_not_replaced(
    location: DataLocation, secrets: SecretStore
) -> None:
    location.data_dir.mkdir(parents=True)
    location.config_file.write_text('{"database_url": "postgresql://officer@db/d", ')
    with pytest.raises(StoreError, match="cannot be read"):
        open_store(location, secrets=secrets, prompt=refuse_prompt)
    assert location.config_file.read_text().endswith(", ")
    assert not location.database_file.exists()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://officer:hunter22@db.example:5432/d",
        "postgresql://officer@db.example:5432/d?password=hunter22&sslmode=require",
    ],
    ids=["in the user part", "in the query"],
)
def test_a_server_password_never_reaches_the_settings_file_or_the_screen(
    location: DataLocation, url: str
) -> None:
    location.data_dir.mkdir(parents=True)
    save_config(location, StoreConfig(database_url=url))
    assert "hunter22" not in location.config_file.read_text()
    assert "hunter22" not in safe_url(parse_server_url(url))
    assert load_config(location).database_url is not None
    assert "db.example:5432/d" in str(load_config(location).database_url)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://officer@db:notaport/d", "not understood"),
        ("mysql://officer@db/d", "Only PostgreSQL"),
    ],
)
def test_malformed_server_urls_are_explained(location: DataLocation, url: str, says: str) -> None:
    with pytest.raises(StoreError, match=says):
        open_store(location, secrets=SecretStore(), prompt=refuse_prompt, database_url=url)
