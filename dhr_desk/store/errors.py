"""The store's error taxonomy: every failure to open, read or write the store becomes one of
these, each with a message that says what happened and what to do, and an exit code for the CLI.
Nothing here prints a traceback; a ``StoreBug`` is the only kind that means "report this".
"""

from __future__ import annotations


class StoreError(Exception):
    """Base of all store failures. ``str(err)`` is the message shown to the user."""

    exit_code = 3
    title = "The database could not be used"


class NothingDone(StoreError):
    """A request that cannot be carried out as asked (a missing file, a name already taken)."""

    title = "Nothing was done"


class DatabaseMissing(StoreError):
    """The data folder had a database and its file is gone: refuse rather than start empty."""

    title = "Database file missing"


class NoKeyAvailable(StoreError):
    """No keyring backend and no passphrase: the store cannot be opened or created encrypted."""

    exit_code = 2
    title = "No key for the encrypted database"


class WrongKey(StoreError):
    """The key or passphrase does not open this file. The file is left untouched."""

    title = "Wrong passphrase or key"


class NotADatabase(StoreError):
    """The file at the database path is not a dhr-desk database (or is damaged)."""

    title = "Not a dhr-desk database"


class NewerSchema(StoreError):
    """The database was written by a newer dhr-desk; this build refuses to touch it."""

    title = "Database from a newer version"


class DataDirNotWritable(StoreError):
    """The data directory cannot be created or written."""

    title = "Data directory not writable"


class StoreLocked(StoreError):
    """Another program holds a write lock on the database."""

    title = "Database is busy"


class DiskFull(StoreError):
    """The disk holding the database is full or failing."""

    title = "Disk full"


class ServerUnreachable(StoreError):
    """The PostgreSQL server could not be reached or refused the login."""

    title = "Database server unreachable"


class AlreadyRunning(StoreError):
    """Another dhr-desk window already has this data directory open."""

    exit_code = 4
    title = "dhr-desk is already open"


class StoreBug(StoreError):
    """Anything unexpected: a fault in dhr-desk itself."""

    exit_code = 1
    title = "Unexpected database error"


def classify_sqlite_error(exc: BaseException, path: str) -> StoreError:
    """Map a DB-API error from SQLite/SQLCipher to the taxonomy (message text is all it gives)."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "database is locked" in text or "database is busy" in text:
        return StoreLocked(
            f"The database {path} is locked by another program. Close other dhr-desk windows or "
            "commands using this data directory and try again."
        )
    if "disk is full" in text or "disk i/o error" in text:
        return DiskFull(
            f"Writing to {path} failed ({text}). Free some space on that disk, then try again; "
            "nothing was half-written."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DataDirNotWritable(
            f"The database {path} cannot be written ({text}). Check the folder's permissions or "
            "choose another with --data-dir."
        )
    if "not a database" in text or "malformed" in text:
        return NotADatabase(
            f"{path} is not a readable dhr-desk database ({text}). Restore a backup with "
            "'dhr-desk restore FILE'."
        )
    return StoreBug(f"SQLite reported: {text}")


def classify_server_error(exc: BaseException, where: str) -> StoreError:
    """Map a DB-API error from PostgreSQL (psycopg) to the taxonomy."""
    orig = getattr(exc, "orig", None) or exc
    reason = (str(orig).strip().splitlines() or ["no reason given"])[0]
    kind = type(orig).__name__
    if kind in ("InsufficientPrivilege",) or "permission denied" in reason:
        return StoreError(
            f"The PostgreSQL server at {where} refused: {reason}. Ask its administrator to let "
            "dhr-desk's user create and change tables in that database."
        )
    if kind in ("OperationalError", "InterfaceError", "AdminShutdown"):
        return ServerUnreachable(
            f"The connection to the PostgreSQL server at {where} failed: {reason}. Check that "
            "the server is running and reachable, then try again; the last change was not saved."
        )
    if kind in ("DiskFull",) or "no space left" in reason:
        return DiskFull(f"The PostgreSQL server at {where} is out of disk space: {reason}.")
    return StoreBug(f"PostgreSQL at {where} reported: {reason}")
