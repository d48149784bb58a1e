"""publication: the embargo date of a DHR's publication (issue #6, point 7)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 14:00:00

One nullable column, plain ADD COLUMN (never batch mode: see 0002).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("dhr_details", sa.Column("embargo_until", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("dhr_details", "embargo_until")
