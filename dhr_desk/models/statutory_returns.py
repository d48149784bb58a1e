"""Figures as published, so year-on-year comparisons use what was actually reported."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned
from .columns import URL_LEN

if TYPE_CHECKING:
    from .users import User


class AsbAnnualReturn(Versioned, Timestamped, Base):
    """A snapshot of the ASB Case Review figures published for one period.

    The relevant bodies publish, at intervals of no more than 12 months (s.104 ASBCPA
    2014): applications received; times the threshold was not met; case reviews carried out;
    case reviews that resulted in recommendations, by district and in total. The live
    figures are derived; this row keeps what was published (``figures``: JSON text), because
    later corrections to case data must not silently change last year's published numbers.
    """

    __tablename__ = "asb_annual_returns"
    __table_args__ = (
        UniqueConstraint("period_start", "period_end"),
        CheckConstraint("period_end >= period_start", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    figures: Mapped[str] = mapped_column(Text)  # JSON text
    published_on: Mapped[dt.date | None]
    publication_url: Mapped[str | None] = mapped_column(String(URL_LEN))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    recorded_by: Mapped[User | None] = relationship()
