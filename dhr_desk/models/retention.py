"""Retention: disposal-review decisions and the log of what was destroyed."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned, utc_now
from .columns import KEY_LEN, NAME_LEN, enum_type

if TYPE_CHECKING:
    from .reviews import Review


class RetentionOutcome(enum.StrEnum):
    """Decision of a disposal review."""

    DISPOSE = "dispose"
    RETAIN = "retain"


class RetentionReview(Versioned, Timestamped, Base):
    """A disposal review of a closed review's records.

    Retention is a setting per record class (default 6 years from closure); the disposal
    review list is derived from closure dates. Retaining longer needs ``retain_until`` and a
    reason.
    """

    __tablename__ = "retention_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    reviewed_on: Mapped[dt.date]
    outcome: Mapped[RetentionOutcome] = mapped_column(
        enum_type(RetentionOutcome, "retention_outcome", length=16)
    )
    retain_until: Mapped[dt.date | None]
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(NAME_LEN))

    review: Mapped[Review] = relationship(back_populates="retention_reviews")


class DisposalRecord(Base):
    """Append-only log of records destroyed: what, when, by whom, on whose authority.

    Deliberately no foreign keys: it must survive the destruction it records, so it names
    the review by its reference and the people by name.
    """

    __tablename__ = "disposal_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_class: Mapped[str] = mapped_column(String(KEY_LEN))
    review_reference: Mapped[str | None] = mapped_column(String(32), index=True)
    description: Mapped[str] = mapped_column(Text)
    destroyed_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    destroyed_by: Mapped[str] = mapped_column(String(NAME_LEN))
    authorised_by: Mapped[str | None] = mapped_column(String(NAME_LEN))
    reason: Mapped[str | None] = mapped_column(Text)
