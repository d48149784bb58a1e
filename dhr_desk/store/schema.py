"""Schema revisions: create, upgrade (after a backup) or refuse, at every start.

Architecture rule: a new database is created and stamped at head; an older one is backed up
(same encryption) and upgraded; one newer than this build knows is refused and left untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Connection, Engine, inspect, text

import dhr_desk.migrations
import dhr_desk.models
from dhr_desk.migrations import HEAD_REVISION
from dhr_desk.models.base import Base
from dhr_desk.store.errors import NewerSchema, NotADatabase

if TYPE_CHECKING:  # Alembic is imported only when a schema must be created or upgraded
    from alembic.config import Config
    from alembic.script import ScriptDirectory

assert dhr_desk.models  # every model module is imported, so the metadata is complete

MIGRATIONS_DIR = Path(dhr_desk.migrations.__file__).parent


@dataclass(frozen=True)
class MigrationOutcome:
    """What happened to the schema when the store was opened."""

    action: Literal["created", "upgraded", "current"]
    from_revision: str | None
    to_revision: str
    backup_file: Path | None = None


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in script_directory().walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    """The database's schema revision, read directly (no Alembic import), or None."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:
        raise NotADatabase(f"The database has several schema revisions ({rows}); it is damaged.")
    return str(rows[0]) if rows else None


def bring_to_head(
    engine: Engine,
    *,
    describe: str,
    backup: Callable[[str], Path | None] | None,
    changes_with: Engine | None = None,
) -> MigrationOutcome:
    """Create, upgrade or refuse. ``backup(revision)`` is called before any upgrade.

    ``engine`` reads the revision; ``changes_with`` (default: the same engine) makes changes,
    each creation or upgrade in one transaction.
    """
    with engine.connect() as conn:
        current = current_revision(conn)
        tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
    if current is not None and current == HEAD_REVISION:
        return MigrationOutcome("current", current, current)
    from alembic import command

    head = head_revision()
    if current is None:
        if tables:
            raise NotADatabase(
                f"{describe} holds tables but no dhr-desk schema revision, so it is not a dhr-desk "
                "database. Point dhr-desk at an empty database or the right data directory."
            )
        with (changes_with or engine).begin() as conn:
            Base.metadata.create_all(conn)
            command.stamp(alembic_config(conn), "head")
        return MigrationOutcome("created", None, head)
    if current not in known_revisions():
        raise NewerSchema(
            f"{describe} was written by a newer version of dhr-desk (schema revision {current}); "
            f"this version knows up to {head}. Nothing was changed. Install the newer dhr-desk."
        )
    if current == head:
        return MigrationOutcome("current", current, head)
    backup_file = backup(current) if backup is not None else None
    with (changes_with or engine).begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    return MigrationOutcome("upgraded", current, head, backup_file)
