"""Parallel proceedings that run alongside a review and may hold it up."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned
from .columns import NAME_LEN, REFERENCE_LEN, enum_type

if TYPE_CHECKING:
    from .reviews import Review


class ProceedingKind(enum.StrEnum):
    """Kinds of parallel proceedings and reviews logged at scoping (stage 5)."""

    CRIMINAL_TRIAL = "criminal_trial"
    INQUEST = "inquest"
    IOPC = "iopc"
    SAR = "sar"  # Safeguarding Adults Review
    CSPR = "cspr"  # Child Safeguarding Practice Review
    NHS_INVESTIGATION = "nhs_investigation"  # e.g. mental health homicide review
    OTHER = "other"


class ParallelProceeding(Versioned, Timestamped, Base):
    """A criminal trial, inquest, IOPC investigation or other review running in parallel.

    Publication waits until every proceeding that ``blocks_publication`` has concluded
    (stage 12). ``status`` is the latest position in words, as reported in covering letters.
    """

    __tablename__ = "parallel_proceedings"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ProceedingKind] = mapped_column(
        enum_type(ProceedingKind, "proceeding_kind", length=24)
    )
    lead_body: Mapped[str | None] = mapped_column(String(NAME_LEN))  # CPS, HM Coroner, ...
    reference: Mapped[str | None] = mapped_column(String(REFERENCE_LEN))
    status: Mapped[str | None] = mapped_column(String(NAME_LEN))
    next_date: Mapped[dt.date | None]
    blocks_publication: Mapped[bool] = mapped_column(default=True)
    concluded_on: Mapped[dt.date | None]
    notes: Mapped[str | None] = mapped_column(Text)

    review: Mapped[Review] = relationship(back_populates="proceedings")
