"""action plan: a recommendation's lead agency; an action's RAG override reason and the time its
progress was last recorded (the chasing policy skips actions updated since their last chase)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:58:29

Plain ADD COLUMN and a new table, never batch mode: on SQLite batch mode copies a table and
drops the old one, and with foreign keys on, dropping ``recommendations`` would cascade to its
actions. The lead agency is therefore a table of its own (SQLite cannot add a named foreign key
to an existing table in place).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("actions", sa.Column("rag_reason", sa.Text(), nullable=True))
    op.add_column(
        "actions", sa.Column("progress_updated_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_table(
        "recommendation_lead_agencies",
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
            name=op.f("fk_recommendation_lead_agencies_agency_id_agencies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_recommendation_lead_agencies_recommendation_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("recommendation_id", name=op.f("pk_recommendation_lead_agencies")),
    )
    op.create_index(
        op.f("ix_recommendation_lead_agencies_agency_id"),
        "recommendation_lead_agencies",
        ["agency_id"],
    )


def downgrade() -> None:
    op.drop_table("recommendation_lead_agencies")
    op.drop_column("actions", "progress_updated_at")
    op.drop_column("actions", "rag_reason")
