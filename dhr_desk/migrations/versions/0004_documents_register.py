"""documents register: each document version's status and protective marking; the overrides of
single anonymisation hits, each with its written reason

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 13:00:00

Plain ADD COLUMN (with a server default, so existing versions read "draft" and
OFFICIAL-SENSITIVE) and a new table, never batch mode (see 0002).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("draft", "with_chair", "with_panel", "with_family", "final", "submitted", "approved",
            "published")  # fmt: skip
MARKINGS = ("official_sensitive", "official")


def _add_enum_column(column: str, name: str, values: tuple[str, ...], length: int) -> None:
    """A NOT NULL string column with a default and its named CHECK of allowed values. SQLite
    takes the CHECK only inside ADD COLUMN (Alembic would skip it there, with a warning)."""
    allowed = ", ".join(f"'{value}'" for value in values)
    check = f"ck_document_versions_{name}"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE document_versions ADD COLUMN {column} VARCHAR({length}) "
            f"DEFAULT '{values[0]}' NOT NULL CONSTRAINT {check} CHECK ({column} IN ({allowed}))"
        )
        return
    op.add_column(
        "document_versions",
        sa.Column(column, sa.String(length), nullable=False, server_default=values[0]),
    )
    op.create_check_constraint(op.f(check), "document_versions", f"{column} IN ({allowed})")


def upgrade() -> None:
    _add_enum_column("status", "document_status", STATUSES, 16)
    _add_enum_column("marking", "version_marking", MARKINGS, 24)
    op.create_table(
        "anonymisation_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("hit_key", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("overridden_by", sa.String(length=200), nullable=False),
        sa.Column("overridden_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(trim(reason)) > 0", name=op.f("ck_anonymisation_overrides_reason_given")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_anonymisation_overrides_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anonymisation_overrides")),
        sa.UniqueConstraint(
            "review_id", "hit_key", name=op.f("uq_anonymisation_overrides_review_id_hit_key")
        ),
    )
    op.create_index(
        op.f("ix_anonymisation_overrides_review_id"), "anonymisation_overrides", ["review_id"]
    )


def downgrade() -> None:
    op.drop_table("anonymisation_overrides")
    op.drop_column("document_versions", "marking")
    op.drop_column("document_versions", "status")
