"""The embedded store: created encrypted and private, opened only with its key, and every bad
input refused with a clear message while the file stays byte-for-byte as it was."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from sqlalchemy import select, text

from dhr_desk.models import Agency, AgencyKind
from dhr_desk.security.database_key import PassphraseRequest
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.config import load_config
from dhr_desk.store.errors import NewerSchema, NoKeyAvailable, NotADatabase, WrongKey
from dhr_desk.store.location import DataLocation
from dhr_desk.store.store import Store, open_store
from tests.conftest import file_digest, refuse_prompt
from tests.support.memory_keyring import MemoryKeyring

KNOWN_NAME = "Zephyrine Quillfeather Outreach"


def passphrase(value: str):  # type: ignore[no-untyped-def]
    def prompt(request: PassphraseRequest) -> str | None:
        return value if request.retry_reason is None else None

    return prompt


def add_agency(store: Store, name: str = KNOWN_NAME) -> None:
    with store.sessions.begin() as session:
        session.add(Agency(name=name, kind=AgencyKind.VOLUNTARY))


def test_first_run_creates_an_encrypted_private_file_keyed_from_the_keyring(
    location: DataLocation, secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    # GIVEN an empty data directory and a usable keyring
    # WHEN the store is opened for the first time
    store = open_store(location, secrets=secrets, prompt=refuse_prompt)
    add_agency(store)
    # THEN a random key is in the keyring, the file is 0600 in a 0700 folder, WAL and FKs are on
    key = memory_keyring.secrets[("dhr-desk", location.key_name)]
    assert len(key) == 64
    assert store.migration.action == "created"
    assert store.encrypted and store.backend == "sqlite"
    assert stat.S_IMODE(location.database_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(location.data_dir.stat().st_mode) == 0o700
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert load_config(location).key_source == "keyring"
    store.close()


def test_a_known_name_is_not_readable_in_any_file_of_the_data_directory(
    embedded_store: Store,
) -> None:
    add_agency(embedded_store)
    with embedded_store.sessions() as session:
        assert session.scalar(select(Agency.name)) == KNOWN_NAME  # it was really written
    data_dir = embedded_store.location.data_dir
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert KNOWN_NAME.encode() not in path.read_bytes(), path
            assert KNOWN_NAME.encode("utf-16-le") not in path.read_bytes(), path


def test_plain_sqlite_cannot_read_the_file(embedded_store: Store) -> None:
    add_agency(embedded_store)
    embedded_store.close()
    conn = sqlite3.connect(embedded_store.location.database_file)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        conn.execute("SELECT * FROM sqlite_master").fetchall()
    conn.close()


def test_reopening_uses_the_same_key_and_keeps_the_data(
    location: DataLocation, secrets: SecretStore
) -> None:
    store = open_store(location, secrets=secrets, prompt=refuse_prompt)
    add_agency(store)
    store.close()
    again = open_store(location, secrets=secrets, prompt=refuse_prompt)
    assert again.migration.action == "current"
    with again.sessions() as session:
        assert session.scalar(select(Agency.name)) == KNOWN_NAME
    again.close()


def test_without_a_keyring_a_passphrase_creates_and_reopens_the_store(
    location: DataLocation, secrets: SecretStore, no_keyring: object
) -> None:
    store = open_store(location, secrets=secrets, prompt=passphrase("correct horse battery"))
    add_agency(store)
    store.close()
    assert load_config(location).key_source == "passphrase"
    again = open_store(location, secrets=secrets, prompt=passphrase("correct horse battery"))
    with again.sessions() as session:
        assert session.scalar(select(Agency.name)) == KNOWN_NAME
    again.close()


def test_without_a_keyring_or_a_passphrase_nothing_is_created(
    location: DataLocation, secrets: SecretStore, no_keyring: object
) -> None:
    with pytest.raises(NoKeyAvailable) as caught:
        open_store(location, secrets=secrets, prompt=refuse_prompt)
    assert caught.value.exit_code == 2
    assert "DHR_DESK_PASSPHRASE" in str(caught.value)
    assert not location.database_file.exists()


def test_a_short_new_passphrase_is_refused_and_nothing_is_created(
    location: DataLocation, secrets: SecretStore, no_keyring: object
) -> None:
    with pytest.raises(NoKeyAvailable, match="at least 10"):
        open_store(location, secrets=secrets, prompt=passphrase("short"))
    assert not location.database_file.exists()


def test_a_wrong_passphrase_is_refused_and_the_file_is_untouched(
    location: DataLocation, secrets: SecretStore, no_keyring: object
) -> None:
    store = open_store(location, secrets=secrets, prompt=passphrase("correct horse battery"))
    add_agency(store)
    store.close()
    before = file_digest(location.database_file)
    asked: list[PassphraseRequest] = []

    def wrong_every_time(request: PassphraseRequest) -> str | None:
        asked.append(request)
        return "incorrect horse battery"

    with pytest.raises(WrongKey, match="does not open"):
        open_store(location, secrets=secrets, prompt=wrong_every_time)
    assert file_digest(location.database_file) == before
    assert len(asked) == 3  # asked again, with the reason, up to three times
    assert asked[1].retry_reason is not None and "does not open" in asked[1].retry_reason


def test_a_key_in_the_keyring_that_does_not_fit_is_refused_and_the_file_untouched(
    location: DataLocation, secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    open_store(location, secrets=secrets, prompt=refuse_prompt).close()
    before = file_digest(location.database_file)
    memory_keyring.secrets[("dhr-desk", location.key_name)] = "ab" * 32
    with pytest.raises(WrongKey):
        open_store(location, secrets=secrets, prompt=refuse_prompt)
    assert file_digest(location.database_file) == before


def test_a_keyring_key_that_has_gone_missing_is_explained(
    location: DataLocation, secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    open_store(location, secrets=secrets, prompt=refuse_prompt).close()
    memory_keyring.secrets.clear()
    before = file_digest(location.database_file)
    with pytest.raises(NoKeyAvailable, match="keyring"):
        open_store(location, secrets=secrets, prompt=refuse_prompt)
    assert file_digest(location.database_file) == before


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"Dear colleague,\nplease find attached...\n", "not a dhr-desk database"),
        (b"%PDF-1.7\n" + b"x" * 5000, "PDF"),
        (b"PK\x03\x04" + b"x" * 5000, "zip archive or Office document"),
    ],
    ids=["text", "pdf", "docx"],
)
def test_a_file_that_is_not_a_database_is_refused_untouched(
    location: DataLocation, secrets: SecretStore, content: bytes, says: str
) -> None:
    location.data_dir.mkdir(parents=True)
    location.database_file.write_bytes(content)
    with pytest.raises(NotADatabase, match=says):
        open_store(location, secrets=secrets, prompt=passphrase("correct horse battery"))
    assert location.database_file.read_bytes() == content


def test_an_unencrypted_sqlite_file_is_refused_untouched(
    location: DataLocation, secrets: SecretStore
) -> None:
    location.data_dir.mkdir(parents=True)
    conn = sqlite3.connect(location.database_file)
    conn.execute("CREATE TABLE t (a)")
    conn.commit()
    conn.close()
    before = file_digest(location.database_file)
    with pytest.raises(NotADatabase, match="unencrypted SQLite"):
        open_store(location, secrets=secrets, prompt=refuse_prompt)
    assert file_digest(location.database_file) == before


def test_random_bytes_of_database_size_are_refused_as_wrong_key_or_damage(
    location: DataLocation, secrets: SecretStore
) -> None:
    location.data_dir.mkdir(parents=True)
    location.database_file.write_bytes(os.urandom(8192))
    before = file_digest(location.database_file)
    with pytest.raises(WrongKey, match="damaged"):
        open_store(location, secrets=secrets, prompt=passphrase("correct horse battery"))
    assert file_digest(location.database_file) == before


def test_a_database_from_a_newer_schema_is_refused_untouched(
    location: DataLocation, secrets: SecretStore
) -> None:
    store = open_store(location, secrets=secrets, prompt=refuse_prompt)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeedbeef'"))
    store.close()
    before = file_digest(location.database_file)
    with pytest.raises(NewerSchema, match="newer version of dhr-desk") as caught:
        open_store(location, secrets=secrets, prompt=refuse_prompt)
    assert "f00dfeedbeef" in str(caught.value)
    assert file_digest(location.database_file) == before
    assert not location.backups_dir.exists()


def test_a_data_directory_that_is_a_file_is_explained(tmp_path: object) -> None:
    from pathlib import Path

    from dhr_desk.store.errors import DataDirNotWritable

    not_a_folder = Path(str(tmp_path)) / "notes.txt"
    not_a_folder.write_text("keep me")
    with pytest.raises(DataDirNotWritable, match="is a file, not a folder"):
        open_store(DataLocation(not_a_folder), secrets=SecretStore(), prompt=refuse_prompt)
    assert not_a_folder.read_text() == "keep me"
