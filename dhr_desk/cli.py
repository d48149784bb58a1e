"""Headless commands over the same services the desktop app uses.

``dhr-desk`` with no command opens the desktop app (see app.py); every command here runs without
a window. Errors are one clear message on stderr and a non-zero exit code, never a traceback:
1 unexpected fault, 2 no key or passphrase available, 3 the store cannot be opened or used,
4 another dhr-desk window holds the data directory, 64 the command line is not understood.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable

from dhr_desk.security.database_key import environment_passphrase
from dhr_desk.security.secret_store import SecretStore, SecretStoreError
from dhr_desk.store.backup import backup_store, restore_embedded
from dhr_desk.store.config import StoreConfig, load_config, save_config
from dhr_desk.store.errors import NothingDone, StoreError
from dhr_desk.store.instance_lock import InstanceLock
from dhr_desk.store.location import DataLocation, prepare_data_dir, resolve_data_dir
from dhr_desk.store.server import (
    parse_server_url,
    password_name,
    safe_url,
    server_engine,
    url_password,
)
from dhr_desk.store.sqlcipher import check_file_shape
from dhr_desk.store.store import DATABASE_URL_ENV, Store, existing_key, open_store
from dhr_desk.workflows.installation import describe_installation

DEBUG_ENV = "DHR_DESK_DEBUG"


def location_from(args: argparse.Namespace) -> DataLocation:
    return resolve_data_dir(getattr(args, "data_dir", None))


def open_for(args: argparse.Namespace, secrets: SecretStore) -> Store:
    return open_store(
        location_from(args),
        secrets=secrets,
        prompt=environment_passphrase,
        database_url=getattr(args, "database_url", None),
    )


def cmd_info(args: argparse.Namespace, secrets: SecretStore) -> int:
    store = open_for(args, secrets)
    try:
        info = describe_installation(store, secrets)
    finally:
        store.close()
    if args.json:
        print(json.dumps(info.as_json(), indent=2))
        return 0
    print(f"dhr-desk {info.version}")
    print(f"data directory:   {info.data_dir}")
    print(f"database:         {info.database} ({info.backend})")
    print(f"encrypted:        {'yes, with ' + info.key_described if info.encrypted else 'no'}")
    print(f"schema revision:  {info.schema_revision}")
    usable = "" if info.keyring_usable else " (not usable)"
    print(f"keyring backend:  {info.keyring_backend}{usable}")
    return 0


def cmd_backup(args: argparse.Namespace, secrets: SecretStore) -> int:
    store = open_for(args, secrets)
    try:
        result = backup_store(store, args.out, overwrite=args.force)
    finally:
        store.close()
    print(
        f"Backed up to {result.path} ({result.size_bytes:,} bytes, schema "
        f"{result.schema_revision}, encrypted with this data directory's key)."
    )
    return 0


def cmd_restore(args: argparse.Namespace, secrets: SecretStore) -> int:
    location = location_from(args)
    prepare_data_dir(location)
    config = load_config(location)
    if (
        config.database_url
        or getattr(args, "database_url", None)
        or os.environ.get(DATABASE_URL_ENV)
    ):
        raise NothingDone("This data directory uses a PostgreSQL server: restore on the server.")
    with InstanceLock(location, purpose="restore"):
        source = args.file.expanduser().resolve()
        if not source.is_file():
            raise NothingDone(f"{source} does not exist or is not a file.")
        check_file_shape(source)  # before any key is tried
        key = existing_key(location, secrets, environment_passphrase, verify_against=source)
        result = restore_embedded(location, key, source)
        source_of_key = "keyring" if key.kind == "raw" else "passphrase"
        save_config(location, config.with_key_source(source_of_key))
    kept = result.previous_file_kept_as
    print(f"Restored {result.restored_from} (schema {result.schema_revision}).")
    if kept is not None:
        print(f"The previous database was kept as {kept}.")
    store = open_for(args, secrets)  # migrate now if the backup is from an older schema
    store.close()
    return 0


def cmd_connect(args: argparse.Namespace, secrets: SecretStore) -> int:
    location = location_from(args)
    prepare_data_dir(location)
    config = load_config(location)
    if args.embedded:
        save_config(location, StoreConfig(database_url=None, key_source=config.key_source))
        print(f"{location.data_dir} now uses the embedded encrypted database.")
        return 0
    parsed = parse_server_url(args.url)
    in_url = url_password(parsed)
    password = in_url or os.environ.get("DHR_DESK_DATABASE_PASSWORD")
    if not password and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {safe_url(parsed)} (empty for none): ")
    if password:
        try:
            secrets.put(password_name(parsed), password)
        except SecretStoreError as exc:
            raise StoreError(
                f"{exc} A server password is only ever kept in the keyring, so the server was "
                "not set."
            ) from exc
    server_engine(safe_url(parsed), secrets).dispose()
    save_config(location, StoreConfig(database_url=safe_url(parsed), key_source=config.key_source))
    kept = "; the password is in the keyring" if password else " (no password)"
    print(f"{location.data_dir} now uses {safe_url(parsed)}{kept}.")
    if in_url:
        print(
            "The password was on the command line, where shell history may keep it; next time "
            "leave it out and type it at the prompt or set DHR_DESK_DATABASE_PASSWORD."
        )
    store = open_for(args, secrets)
    store.close()
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, SecretStore], int]] = {
    "info": cmd_info,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "connect": cmd_connect,
}


def run_command(args: argparse.Namespace) -> int:
    """Run one headless command; a StoreError becomes a message and its exit code."""
    secrets = SecretStore()
    try:
        return COMMANDS[args.command](args, secrets)
    except StoreError as exc:
        print(f"dhr-desk: {exc.title}: {exc}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        print(
            f"dhr-desk: unexpected error ({type(exc).__name__}: {exc}). Run again with "
            f"{DEBUG_ENV}=1 to see the details, and report them.",
            file=sys.stderr,
        )
        return 1


__all__ = ["location_from", "run_command"]
