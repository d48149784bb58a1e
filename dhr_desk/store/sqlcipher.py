"""Opening, checking and copying SQLCipher files.

Every connection: SQLCipher logging silenced (its errors become our messages), key set, key
verified by reading the schema before anything else, then foreign keys on, WAL, busy timeout.
A wrong key fails at the first read, before any write, so the file stays byte-for-byte intact.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from dhr_desk.security.database_key import DatabaseKey
from dhr_desk.store.errors import NotADatabase, StoreError, WrongKey, classify_sqlite_error

SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"
_KNOWN_OTHER_FORMATS = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a zip archive or Office document",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
# An encrypted file starts with a random 16-byte salt, so only signatures of four bytes or more
# are tested: a one-byte test ("{", "<") would refuse a good database about one time in a hundred.
BUSY_TIMEOUT_MS = 5000


def check_file_shape(path: Path) -> None:
    """Refuse a file that cannot be an encrypted dhr-desk database, before trying any key."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_PLAIN_HEADER):
        raise NotADatabase(
            f"{path} is an unencrypted SQLite database, not a dhr-desk store (dhr-desk stores are "
            "always encrypted). Move it aside, or point --data-dir at the right folder."
        )
    for magic, what in _KNOWN_OTHER_FORMATS.items():
        if head.startswith(magic):
            raise NotADatabase(
                f"{path} is {what}, not a dhr-desk database. Move it aside and restore a backup "
                "with 'dhr-desk restore FILE', or point --data-dir at the right folder."
            )
    if size < 1024 or size % 512 != 0:
        raise NotADatabase(
            f"{path} is not a dhr-desk database ({size} bytes is not a whole number of database "
            "pages). Move it aside and restore a backup with 'dhr-desk restore FILE'."
        )


def connect(path: Path, key: DatabaseKey, *, read_only: bool = False) -> Any:
    """A keyed, verified DB-API connection. Raises WrongKey or another StoreError."""
    # as_uri() percent-encodes '#', '?' and '%', which would otherwise end or alter the URI
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    try:
        conn = sqlcipher.connect(
            target, uri=read_only, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlcipher.Error as exc:
        raise classify_sqlite_error(exc, str(path)) from exc
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {key.pragma_value()}")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            if "not a database" in str(exc):
                what = "passphrase" if key.kind == "passphrase" else "key from the keyring"
                raise WrongKey(
                    f"The {what} does not open {path}. Nothing was changed. Check the passphrase "
                    "and try again; if it is right, the file may be damaged: restore a backup."
                ) from exc
            raise
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
    except StoreError:
        conn.close()
        raise
    except sqlcipher.Error as exc:
        conn.close()
        raise classify_sqlite_error(exc, str(path)) from exc
    return conn


def copy_encrypted(source: Any, destination: Path, key: DatabaseKey) -> None:
    """A consistent online copy of an open database into a new file under the same key.

    SQLite's backup API copies every page in one step under a read transaction, so the copy
    is consistent while others write. The copy is written beside the destination, checked,
    flushed to disk and renamed into place only when complete.
    """
    partial = destination.with_name(destination.name + ".partial")
    if partial.exists():
        partial.unlink()
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    target = None
    try:
        target = connect(partial, key)
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
        check = target.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise NotADatabase(f"The copy failed its integrity check ({check}).")
        target.close()
        target = None
        fd = os.open(partial, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, destination)
    except BaseException:
        if target is not None:
            target.close()
        partial.unlink(missing_ok=True)
        raise
