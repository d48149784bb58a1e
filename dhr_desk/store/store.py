"""Opening the store: the embedded SQLCipher file by default, or a PostgreSQL server.

Order of choice: ``--database-url``, the ``DHR_DESK_DATABASE_URL`` environment variable, the
data directory's ``store.json``; otherwise the embedded file ``dhr-desk.db`` in the data
directory. Every open creates and migrates the schema on first use, one process at a time.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from dhr_desk.security.database_key import (
    DatabaseKey,
    PassphrasePrompt,
    PassphraseRequest,
    passphrase_problem,
)
from dhr_desk.security.secret_store import SecretStore, SecretStoreError
from dhr_desk.store import sqlcipher as cipherfile
from dhr_desk.store.config import StoreConfig, load_config, save_config
from dhr_desk.store.errors import (
    DatabaseMissing,
    NoKeyAvailable,
    StoreError,
    WrongKey,
    classify_server_error,
    classify_sqlite_error,
)
from dhr_desk.store.instance_lock import opening_lock
from dhr_desk.store.location import DataLocation, create_private_file, prepare_data_dir
from dhr_desk.store.schema import MigrationOutcome, bring_to_head, current_revision
from dhr_desk.store.server import parse_server_url, safe_url, server_engine

DATABASE_URL_ENV = "DHR_DESK_DATABASE_URL"
MAX_PASSPHRASE_TRIES = 3


@dataclass
class Store:
    """An open store: engine, session factory, and what it is."""

    engine: Engine
    backend: Literal["sqlite", "postgresql"]
    encrypted: bool
    location: DataLocation
    description: str
    migration: MigrationOutcome
    key: DatabaseKey | None = field(default=None, repr=False)
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def schema_revision(self) -> str | None:
        with translated_errors(self.backend, self.description), self.engine.connect() as conn:
            return current_revision(conn)

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def translated_errors(backend: str, describe: str) -> Iterator[None]:
    """Database errors become the store's taxonomy: a message and an exit code, no traceback."""
    try:
        yield
    except DBAPIError as exc:
        if backend == "sqlite":
            raise classify_sqlite_error(exc, describe) from exc
        raise classify_server_error(exc, describe) from exc


def open_store(
    location: DataLocation,
    *,
    secrets: SecretStore,
    prompt: PassphrasePrompt,
    database_url: str | None = None,
) -> Store:
    """Open (creating and migrating as needed) the store for this data directory."""
    prepare_data_dir(location)
    config = load_config(location)
    url = database_url or os.environ.get(DATABASE_URL_ENV) or config.database_url
    if url:
        return _open_server(location, url, secrets)
    return _open_embedded(location, config, secrets, prompt)


def _open_server(location: DataLocation, url: str, secrets: SecretStore) -> Store:
    parsed = parse_server_url(url)
    engine = server_engine(parsed, secrets)
    described = safe_url(parsed)
    try:
        with opening_lock(location), translated_errors("postgresql", described):
            outcome = bring_to_head(engine, describe=f"The database {described}", backup=None)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, "postgresql", False, location, described, outcome)


def _embedded_engine(path: Path, key: DatabaseKey, *, for_schema_changes: bool = False) -> Engine:
    """An engine on the encrypted file.

    Day-to-day work keeps pysqlite's usual transactions (a write transaction starts at the first
    change, so the busy timeout applies and optimistic locking reports stale edits). Schema
    changes need more: pysqlite would commit each CREATE TABLE on its own, so that engine lets
    SQLAlchemy emit BEGIN itself and a failed creation or upgrade rolls back whole.
    """
    engine = create_engine(
        f"sqlite:///{path.as_posix()}",
        module=sqlcipher,
        creator=lambda: cipherfile.connect(path, key),
    )
    if for_schema_changes:

        @event.listens_for(engine, "connect")
        def _let_sqlalchemy_begin(dbapi_connection: Any, _record: object) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN")

    return engine


def _has_database(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def _open_embedded(
    location: DataLocation, config: StoreConfig, secrets: SecretStore, prompt: PassphrasePrompt
) -> Store:
    path = location.database_file
    if _has_database(path):
        cipherfile.check_file_shape(path)
        key = existing_key(location, secrets, prompt, verify_against=path, config=config)
    else:
        key = None
    with opening_lock(location):
        config = load_config(location)  # another process may have created the store meanwhile
        if key is None and _has_database(path):
            key = existing_key(location, secrets, prompt, verify_against=path, config=config)
        creating = key is None
        if key is None:
            if config.key_source is not None:
                raise DatabaseMissing(
                    f"The database {path} is missing, though this data folder had one (its key "
                    f"is kept in: {config.key_source}). Nothing was created. Restore a backup "
                    f"with 'dhr-desk restore FILE', or remove {location.config_file} to start a "
                    "new, empty database."
                )
            key = _new_key(location, secrets, prompt)
            if not path.exists():
                create_private_file(path)
        engine = _embedded_engine(path, key)
        schema_engine = _embedded_engine(path, key, for_schema_changes=True)  # connects lazily
        chosen = key

        def backup_before_upgrade(revision: str) -> Path:
            return backup_embedded(
                engine, location, chosen, reason=f"before-upgrade-from-{revision}"
            )

        try:
            with translated_errors("sqlite", str(path)):
                outcome = bring_to_head(
                    engine,
                    describe=str(path),
                    backup=backup_before_upgrade,
                    changes_with=schema_engine,
                )
        except BaseException:
            engine.dispose()
            raise
        finally:
            schema_engine.dispose()
        if creating:  # only once the schema is in place: store.json then marks a real database
            save_config(
                location, config.with_key_source("keyring" if key.kind == "raw" else "passphrase")
            )
    return Store(engine, "sqlite", True, location, str(path), outcome, key)


def _keyring_get(secrets: SecretStore, name: str) -> str | None:
    try:
        return secrets.get(name)
    except SecretStoreError as exc:
        raise NoKeyAvailable(
            f"{exc} Unlock the keyring (it may be asking in another window) and try again."
        ) from exc


def _new_key(location: DataLocation, secrets: SecretStore, prompt: PassphrasePrompt) -> DatabaseKey:
    """First run: the keyring's key for this folder (made and stored only if there is none:
    an existing key is never replaced, so backups made under it stay readable), else a
    passphrase chosen by the user."""
    if secrets.status().usable:
        stored = _keyring_get(secrets, location.key_name)
        if stored:
            return DatabaseKey("raw", stored)
        key = DatabaseKey.new_random()
        try:
            secrets.put(location.key_name, key.secret)
        except SecretStoreError as exc:
            raise NoKeyAvailable(f"{exc} The database was not created.") from exc
        return key
    passphrase = prompt(PassphraseRequest(location.database_file, creating=True))
    if not passphrase:
        raise NoKeyAvailable(_no_key_message(secrets, creating=True))
    problem = passphrase_problem(passphrase)
    if problem:
        raise NoKeyAvailable(f"The passphrase is not acceptable: {problem} Nothing was created.")
    return DatabaseKey("passphrase", passphrase)


def existing_key(
    location: DataLocation,
    secrets: SecretStore,
    prompt: PassphrasePrompt,
    *,
    verify_against: Path,
    config: StoreConfig | None = None,
) -> DatabaseKey:
    """The data directory's key, proven by opening ``verify_against`` read-only first."""
    config = config if config is not None else load_config(location)
    path = verify_against
    if config.key_source != "passphrase":
        stored = _keyring_get(secrets, location.key_name)
        if stored:
            key = DatabaseKey("raw", stored)
            cipherfile.connect(path, key, read_only=True).close()
            return key
        if config.key_source == "keyring":
            raise NoKeyAvailable(
                f"The key of {location.database_file} is kept in the operating system's keyring, "
                f"and it is not there now (keyring backend: {secrets.status().backend}). Unlock "
                "or restore the keyring, or restore a backup made on this machine."
            )
    retry: str | None = None
    for _ in range(MAX_PASSPHRASE_TRIES):
        passphrase = prompt(PassphraseRequest(path, creating=False, retry_reason=retry))
        if not passphrase:
            if retry is not None:
                break
            raise NoKeyAvailable(_no_key_message(secrets, creating=False))
        key = DatabaseKey("passphrase", passphrase)
        try:
            cipherfile.connect(path, key, read_only=True).close()
        except WrongKey as exc:
            retry = str(exc)
            continue
        return key
    raise WrongKey(retry or f"The passphrase does not open {path}. Nothing was changed.")


def _no_key_message(secrets: SecretStore, *, creating: bool) -> str:
    status = secrets.status()
    action = "create the encrypted database" if creating else "open the encrypted database"
    return (
        f"No usable keyring backend was found (backend: {status.backend}) and no passphrase was "
        f"given, so dhr-desk cannot {action}. Set the DHR_DESK_PASSPHRASE environment variable "
        "(headless use), start the desktop app to type one, or install and unlock a keyring "
        "(Secret Service / GNOME Keyring, Windows Credential Manager, macOS Keychain)."
    )


def unique_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem<suffix>``, or ``stem-2``, ``stem-3``… so nothing earlier is overwritten."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def utc_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def copy_live_database(engine: Engine, destination: Path, key: DatabaseKey) -> None:
    """A consistent, encrypted copy of the open embedded database (see sqlcipher.copy_encrypted)."""
    raw = engine.raw_connection()
    try:
        cipherfile.copy_encrypted(raw.driver_connection, destination, key)
    finally:
        raw.close()


def backup_embedded(
    engine: Engine, location: DataLocation, key: DatabaseKey, *, reason: str
) -> Path:
    """A copy of the embedded file in the data directory's backups folder, same encryption."""
    location.backups_dir.mkdir(mode=0o700, exist_ok=True)
    destination = unique_path(location.backups_dir, f"dhr-desk-{utc_stamp()}-{reason}", ".db")
    copy_live_database(engine, destination, key)
    return destination


__all__ = ["DATABASE_URL_ENV", "Store", "StoreError", "backup_embedded", "open_store"]
