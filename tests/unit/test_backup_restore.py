"""Backup: a consistent, still encrypted copy. Restore: validated first, the current file kept
aside, never a half-written database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dhr_desk.models import Agency
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.backup import backup_store, restore_embedded
from dhr_desk.store.errors import NotADatabase, StoreError, WrongKey
from dhr_desk.store.location import DataLocation
from dhr_desk.store.store import Store, open_store
from tests.conftest import file_digest, refuse_prompt
from tests.unit.test_embedded_store import KNOWN_NAME, add_agency


def agency_names(store: Store) -> list[str]:
    with store.sessions() as session:
        return list(session.scalars(select(Agency.name).order_by(Agency.name)))


def test_a_backup_is_encrypted_and_opens_with_the_same_key(
    embedded_store: Store, tmp_path: object
) -> None:
    add_agency(embedded_store)
    out = embedded_store.location.data_dir.parent / "backup.db"
    result = backup_store(embedded_store, out)
    assert result.path == out and result.size_bytes == out.stat().st_size
    assert result.schema_revision == embedded_store.schema_revision()
    assert KNOWN_NAME.encode() not in out.read_bytes()
    assert not out.with_name("backup.db.partial").exists()
    assert oct(out.stat().st_mode & 0o777) == oct(0o600)


def test_a_backup_will_not_overwrite_a_file_unless_told(embedded_store: Store) -> None:
    out = embedded_store.location.data_dir.parent / "existing.db"
    out.write_bytes(b"keep me")
    with pytest.raises(StoreError, match="already exists"):
        backup_store(embedded_store, out)
    assert out.read_bytes() == b"keep me"
    backup_store(embedded_store, out, overwrite=True)
    assert out.read_bytes() != b"keep me"


def test_restore_brings_back_the_backup_and_keeps_the_current_file_aside(
    location: DataLocation, secrets: SecretStore
) -> None:
    store = open_store(location, secrets=secrets, prompt=refuse_prompt)
    add_agency(store, "Agency in the backup")
    out = location.data_dir.parent / "backup.db"
    backup_store(store, out)
    add_agency(store, "Agency added after the backup")
    key = store.key
    assert key is not None
    store.close()

    result = restore_embedded(location, key, out)

    assert result.previous_file_kept_as is not None and result.previous_file_kept_as.exists()
    restored = open_store(location, secrets=secrets, prompt=refuse_prompt)
    assert agency_names(restored) == ["Agency in the backup"]
    restored.close()
    # the file kept aside still holds the later work
    kept = restored.location.data_dir / result.previous_file_kept_as.name
    kept_location = DataLocation(location.data_dir.parent / "kept")
    kept_location.data_dir.mkdir()
    kept.rename(kept_location.database_file)
    secrets.put(kept_location.key_name, key.secret)
    aside = open_store(kept_location, secrets=secrets, prompt=refuse_prompt)
    assert agency_names(aside) == ["Agency added after the backup", "Agency in the backup"]
    aside.close()


def test_restoring_a_file_that_is_not_a_backup_changes_nothing(
    embedded_store: Store,
) -> None:
    add_agency(embedded_store)
    key = embedded_store.key
    assert key is not None
    embedded_store.close()
    location = embedded_store.location
    before = file_digest(location.database_file)
    bogus = location.data_dir.parent / "not-a-backup.db"
    bogus.write_bytes(b"just some text that is not a database\n")
    with pytest.raises(NotADatabase):
        restore_embedded(location, key, bogus)
    assert file_digest(location.database_file) == before
    assert list(location.data_dir.glob("*.before-restore-*")) == []


def test_restoring_a_backup_made_under_another_key_changes_nothing(
    embedded_store: Store, tmp_path: object
) -> None:
    other = DataLocation(embedded_store.location.data_dir.parent / "other")
    other_store = open_store(other, secrets=SecretStore(), prompt=refuse_prompt)
    out = other.data_dir / "other-backup.db"
    backup_store(other_store, out)
    other_store.close()
    key = embedded_store.key
    assert key is not None
    embedded_store.close()
    before = file_digest(embedded_store.location.database_file)
    with pytest.raises(WrongKey):
        restore_embedded(embedded_store.location, key, out)
    assert file_digest(embedded_store.location.database_file) == before


def test_a_server_store_is_not_backed_up_by_dhr_desk(
    server_url: str, location: DataLocation, secrets: SecretStore
) -> None:
    store = open_store(location, secrets=secrets, prompt=refuse_prompt, database_url=server_url)
    try:
        with pytest.raises(StoreError, match="pg_dump"):
            backup_store(store, location.data_dir / "x.db")
    finally:
        store.close()
    assert not (location.data_dir / "x.db").exists()
