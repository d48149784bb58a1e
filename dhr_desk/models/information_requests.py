"""What the review asks of agencies and what comes back."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned
from .columns import NAME_LEN, REFERENCE_LEN, enum_type

if TYPE_CHECKING:
    from .agencies import Agency, AgencyContact
    from .reviews import Review


class InformationRequestKind(enum.StrEnum):
    """What was asked for.

    ``imr``/``chronology``/``summary_report`` are the information-gathering returns (stage 6);
    ``secure_records`` is the notification-stage request to secure records; ``scoping`` asks
    whether the agency had contact at all; ``factual_accuracy`` is the consultation-stage check
    of the draft (stage 8).
    """

    IMR = "imr"  # Individual Management Review
    CHRONOLOGY = "chronology"
    SUMMARY_REPORT = "summary_report"
    SECURE_RECORDS = "secure_records"
    SCOPING = "scoping"
    FACTUAL_ACCURACY = "factual_accuracy"
    OTHER = "other"


class QualityOutcome(enum.StrEnum):
    """Result of the quality check of a return."""

    ACCEPTED = "accepted"
    REVISION_REQUESTED = "revision_requested"


class InformationRequest(Versioned, Timestamped, Base):
    """A request to one agency, and what happened to it.

    Only recorded facts are stored; status (outstanding, overdue, received, checked) is
    derived. ``due_on`` is the date stated in the request (default 6 weeks, a setting).
    ``nil_return``: the agency confirmed it had no relevant contact.
    """

    __tablename__ = "information_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="RESTRICT"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency_contacts.id", ondelete="SET NULL")
    )
    kind: Mapped[InformationRequestKind] = mapped_column(
        enum_type(InformationRequestKind, "information_request_kind", length=24)
    )
    agency_reference: Mapped[str | None] = mapped_column(String(REFERENCE_LEN))
    requested_on: Mapped[dt.date]
    due_on: Mapped[dt.date | None]
    received_on: Mapped[dt.date | None]
    nil_return: Mapped[bool] = mapped_column(default=False)
    author_name: Mapped[str | None] = mapped_column(String(NAME_LEN))  # who wrote the return
    quality_checked_on: Mapped[dt.date | None]
    quality_checked_by: Mapped[str | None] = mapped_column(String(NAME_LEN))
    quality_outcome: Mapped[QualityOutcome | None] = mapped_column(
        enum_type(QualityOutcome, "quality_outcome", length=24)
    )
    quality_notes: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    review: Mapped[Review] = relationship(back_populates="information_requests")
    agency: Mapped[Agency] = relationship()
    contact: Mapped[AgencyContact | None] = relationship()
