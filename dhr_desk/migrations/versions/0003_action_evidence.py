"""action evidence: files attached to an action as evidence, each a document of the review

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 12:00:00

A new table only (never batch mode: see 0002).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "action_evidence_documents",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_action_evidence_documents_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_action_evidence_documents_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "action_id", "document_id", name=op.f("pk_action_evidence_documents")
        ),
    )
    op.create_index(
        op.f("ix_action_evidence_documents_document_id"),
        "action_evidence_documents",
        ["document_id"],
    )


def downgrade() -> None:
    op.drop_table("action_evidence_documents")
