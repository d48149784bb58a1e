"""Local changes to the working-day calendar (England and Wales bank holidays)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utc_now
from .columns import NAME_LEN, enum_type

if TYPE_CHECKING:
    from .users import User


class CalendarAction(enum.StrEnum):
    """Whether the day becomes a non-working day (``add`` a holiday) or a working day."""

    ADD = "add"
    REMOVE = "remove"


class CalendarAdjustment(Base):
    """A day added to or removed from the default non-working days.

    Working days exclude weekends and England-and-Wales bank holidays, substitute days
    included; the defaults come from the ``holidays`` package, and one-off bank holidays are
    announced from time to time, so the calendar is editable offline. Open deadlines are
    recomputed when it changes.
    """

    __tablename__ = "calendar_adjustments"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(unique=True)
    action: Mapped[CalendarAction] = mapped_column(
        enum_type(CalendarAction, "calendar_action", length=8)
    )
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(100))  # "manual", "gov.uk import", ...
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    recorded_by: Mapped[User | None] = relationship()
