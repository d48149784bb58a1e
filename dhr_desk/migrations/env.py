"""Alembic environment. The app passes an open connection in ``config.attributes["connection"]``;
developers may instead pass ``-x url=sqlite:////tmp/scratch.db`` to autogenerate against a scratch
database. SQLite needs batch mode for ALTER TABLE (render_as_batch).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import dhr_desk.models
from dhr_desk.models.base import Base, UtcDateTime

assert dhr_desk.models  # every model module is imported, so the metadata is complete

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render our column types as plain SQLAlchemy types, so a migration never imports models."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure_and_run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_item=_render_item,
        render_as_batch=True,
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit(
            "Pass -x url=sqlite:////tmp/scratch.db (a scratch database) to run Alembic by hand."
        )
    engine = create_engine(url)
    with engine.begin() as conn:
        _configure_and_run(conn)


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported.")
run_migrations_online()
