"""Backup and restore of the embedded store.

Backup: a consistent online copy (SQLite's backup API), still encrypted under the same key,
written to a temporary name and renamed into place. Restore: the candidate is validated first
(opens with the key, passes an integrity check, has a schema revision this build knows) and
copied beside the live file; only then is the live file moved aside (never deleted) and the
copy renamed into its place. At every moment the folder holds a complete database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from dhr_desk.security.database_key import DatabaseKey
from dhr_desk.store import sqlcipher as cipherfile
from dhr_desk.store.errors import (
    NewerSchema,
    NotADatabase,
    NothingDone,
    StoreError,
    classify_sqlite_error,
)
from dhr_desk.store.location import DataLocation
from dhr_desk.store.schema import known_revisions
from dhr_desk.store.store import Store, copy_live_database, unique_path, utc_stamp


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    schema_revision: str | None


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    schema_revision: str
    previous_file_kept_as: Path | None


def backup_store(store: Store, out: Path, *, overwrite: bool = False) -> BackupResult:
    """Copy the open embedded store to ``out`` (encrypted). Refuses a server store."""
    if store.backend != "sqlite" or store.key is None:
        raise NothingDone(
            "This store is on a PostgreSQL server: back it up on the server with pg_dump "
            "(or your server's backup tooling)."
        )
    out = out.expanduser().resolve()
    if out.is_dir():
        raise NothingDone(f"{out} is a folder. Give a file name for the backup.")
    if out.exists() and not overwrite:
        raise NothingDone(
            f"{out} already exists. Choose another name or pass --force to replace it."
        )
    if not out.parent.is_dir():
        raise NothingDone(f"The folder {out.parent} does not exist.")
    if out == store.location.database_file:
        raise NothingDone("The backup cannot be written over the live database.")
    try:
        copy_live_database(store.engine, out, store.key)
    except OSError as exc:
        raise NothingDone(
            f"The backup could not be written to {out} ({exc.strerror or exc}). Nothing was left "
            "behind; choose a folder you can write to."
        ) from exc
    except sqlcipher.Error as exc:
        raise classify_sqlite_error(exc, str(out)) from exc
    return BackupResult(out, out.stat().st_size, store.schema_revision())


def validate_backup(source: Path, key: DatabaseKey) -> str:
    """The schema revision of a backup that opens with ``key`` and is intact, or an error."""
    if not source.is_file():
        raise NothingDone(f"{source} does not exist or is not a file.")
    cipherfile.check_file_shape(source)
    conn = cipherfile.connect(source, key, read_only=True)
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise NotADatabase(f"{source} is damaged (integrity check: {check}). Nothing changed.")
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlcipher.Error as exc:
            raise NotADatabase(f"{source} is not a dhr-desk backup (no schema revision).") from exc
    finally:
        conn.close()
    if not row:
        raise NotADatabase(f"{source} is not a dhr-desk backup (no schema revision).")
    revision = str(row[0])
    if revision not in known_revisions():
        raise NewerSchema(
            f"{source} comes from a newer dhr-desk (schema revision {revision}). Nothing changed."
        )
    return revision


def restore_embedded(location: DataLocation, key: DatabaseKey, source: Path) -> RestoreResult:
    """Validate ``source``, stage a verified copy, move the live file aside, put the copy in.

    The caller holds the instance lock, so no window has the file open.
    """
    source = source.expanduser().resolve()
    live = location.database_file
    if source == live:
        raise NothingDone("That is the live database itself; choose a backup file.")
    revision = validate_backup(source, key)
    staged = live.with_name(live.name + ".restoring")
    reader = cipherfile.connect(source, key, read_only=True)
    try:
        cipherfile.copy_encrypted(reader, staged, key)
    except OSError as exc:
        raise NothingDone(
            f"The backup could not be copied into {live.parent} ({exc.strerror or exc}). The "
            "current database was not touched."
        ) from exc
    finally:
        reader.close()
    kept: Path | None = None
    if live.exists():
        _checkpoint_if_possible(live, key)
        kept = unique_path(live.parent, f"{live.name}.before-restore-{utc_stamp()}", "")
        os.replace(live, kept)
        for suffix in ("-wal", "-shm"):
            side = live.with_name(live.name + suffix)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + suffix))
    try:
        os.replace(staged, live)
    except OSError:
        if kept is not None:
            os.replace(kept, live)
        raise
    return RestoreResult(source, revision, kept)


def _checkpoint_if_possible(path: Path, key: DatabaseKey) -> None:
    """Fold the write-ahead log into the file so the copy kept aside is complete."""
    try:
        conn = cipherfile.connect(path, key)
    except StoreError:
        return
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
