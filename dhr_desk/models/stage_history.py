"""How a review moved through time: stage transitions, pauses and agreed deadline overrides."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned, utc_now
from .columns import KEY_LEN, NAME_LEN, enum_type

if TYPE_CHECKING:
    from .reviews import Review
    from .users import User


class PauseReasonKind(enum.StrEnum):
    """Why a review is paused; clocks stop while paused and resume after."""

    TRIAL = "trial"
    INQUEST = "inquest"
    IOPC = "iopc"  # Independent Office for Police Conduct investigation
    OTHER = "other"


class StageTransition(Base):
    """Append-only log of stage changes (``from_stage`` is null for the first stage)."""

    __tablename__ = "stage_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(KEY_LEN))
    to_stage: Mapped[str] = mapped_column(String(KEY_LEN))
    at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    reason: Mapped[str | None] = mapped_column(Text)

    review: Mapped[Review] = relationship(back_populates="stage_transitions")
    by_user: Mapped[User | None] = relationship()


class Pause(Versioned, Timestamped, Base):
    """A period during which the review's clocks stop (trial, inquest, IOPC, other), with the
    reason and who approved it. An open pause has no ``ended_on``."""

    __tablename__ = "pauses"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ended_after_started"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    started_on: Mapped[dt.date]
    ended_on: Mapped[dt.date | None]
    reason_kind: Mapped[PauseReasonKind] = mapped_column(
        enum_type(PauseReasonKind, "pause_reason_kind", length=16)
    )
    reason: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str | None] = mapped_column(String(NAME_LEN))
    approved_on: Mapped[dt.date | None]

    review: Mapped[Review] = relationship(back_populates="pauses")


class DeadlineOverride(Versioned, Timestamped, Base):
    """An agreed revised date for one derived deadline, with reason and approver.

    ``deadline_key`` names a deadline rule of the review's stage template (for example the
    6-month completion target). The latest override for a key (by ``recorded_at``) applies;
    earlier ones stay as history.
    """

    __tablename__ = "deadline_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    deadline_key: Mapped[str] = mapped_column(String(100))
    revised_date: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(Text)
    approver: Mapped[str] = mapped_column(String(NAME_LEN))
    approved_on: Mapped[dt.date | None]
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    review: Mapped[Review] = relationship(back_populates="deadline_overrides")
    recorded_by: Mapped[User | None] = relationship()
