"""The review: one statutory review of either kind, with its stage and lifecycle."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned
from .columns import KEY_LEN, NAME_LEN, enum_type

if TYPE_CHECKING:
    from .access import ReviewAccess
    from .anonymisation import AnonymisationCheck
    from .asb import AsbComplaint, AsbDetails, AsbEscalation
    from .dhr import DhrDetails, QaAmendment
    from .documents import Document
    from .family import FamilyContact
    from .information_requests import InformationRequest
    from .panel import Meeting, PanelMember
    from .people import ReviewPerson
    from .proceedings import ParallelProceeding
    from .recommendations import Recommendation
    from .retention import RetentionReview
    from .stage_history import DeadlineOverride, Pause, StageTransition
    from .users import User


class ReviewKind(enum.StrEnum):
    """DHR: s.9 Domestic Violence, Crime and Victims Act 2004 (display name DHR/DARDR is a
    setting). ASB: ASB Case Review, s.104 Anti-social Behaviour, Crime and Policing Act 2014."""

    DHR = "dhr"
    ASB = "asb"


class ReviewStatus(enum.StrEnum):
    """Lifecycle status. Paused is ordinary, not exceptional: the reasons live in ``Pause``."""

    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class JointReviewKind(enum.StrEnum):
    """The other statutory review a DHR is run jointly with."""

    SAR = "sar"  # Safeguarding Adults Review, s.44 Care Act 2014
    CSPR = "cspr"  # Child Safeguarding Practice Review
    OTHER = "other"


class Review(Versioned, Timestamped, Base):
    """One review. Kind-specific facts live in ``DhrDetails`` or ``AsbDetails`` (one-to-one).

    ``stage_key`` names a stage of the stage template ``template_key``/``template_version`` the
    review started under; stage lists, guards and deadline rules are data, not columns.
    Deadlines are derived from recorded dates; only agreed overrides are stored.
    """

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="closed_after_opened"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. "DHR-2026-001"
    kind: Mapped[ReviewKind] = mapped_column(enum_type(ReviewKind, "review_kind", length=8))
    title: Mapped[str] = mapped_column(String(NAME_LEN))  # pseudonymous label, never a real name
    district: Mapped[str | None] = mapped_column(String(KEY_LEN), index=True)
    stage_key: Mapped[str] = mapped_column(String(KEY_LEN), index=True)
    template_key: Mapped[str] = mapped_column(String(KEY_LEN))
    template_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[ReviewStatus] = mapped_column(
        enum_type(ReviewStatus, "review_status", length=16), default=ReviewStatus.OPEN, index=True
    )
    lead_officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    opened_on: Mapped[dt.date]
    closed_on: Mapped[dt.date | None]
    closure_reason: Mapped[str | None] = mapped_column(Text)
    directed_by_secretary_of_state: Mapped[bool] = mapped_column(default=False)
    joint_review_with: Mapped[str | None] = mapped_column(String(KEY_LEN))  # e.g. "SAR-2026-03"
    joint_review_kind: Mapped[JointReviewKind | None] = mapped_column(
        enum_type(JointReviewKind, "joint_review_kind", length=16)
    )

    lead_officer: Mapped[User | None] = relationship()

    dhr_details: Mapped[DhrDetails | None] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )
    asb_details: Mapped[AsbDetails | None] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )
    asb_complaints: Mapped[list[AsbComplaint]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="(AsbComplaint.incident_date, AsbComplaint.id)",
    )
    asb_escalations: Mapped[list[AsbEscalation]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="(AsbEscalation.requested_on, AsbEscalation.id)",
    )
    qa_amendments: Mapped[list[QaAmendment]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="QaAmendment.id"
    )
    stage_transitions: Mapped[list[StageTransition]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="(StageTransition.at, StageTransition.id)",
    )
    pauses: Mapped[list[Pause]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="(Pause.started_on, Pause.id)",
    )
    deadline_overrides: Mapped[list[DeadlineOverride]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="(DeadlineOverride.recorded_at, DeadlineOverride.id)",
    )
    people: Mapped[list[ReviewPerson]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewPerson.id"
    )
    panel_members: Mapped[list[PanelMember]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="PanelMember.id"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="(Meeting.scheduled_for, Meeting.id)",
    )
    information_requests: Mapped[list[InformationRequest]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="InformationRequest.id"
    )
    family_contacts: Mapped[list[FamilyContact]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="(FamilyContact.contacted_on, FamilyContact.id)",
    )
    proceedings: Mapped[list[ParallelProceeding]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ParallelProceeding.id"
    )
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="Recommendation.number"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="Document.id"
    )
    anonymisation_checks: Mapped[list[AnonymisationCheck]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="(AnonymisationCheck.checked_at, AnonymisationCheck.id)",
    )
    retention_reviews: Mapped[list[RetentionReview]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="(RetentionReview.reviewed_on, RetentionReview.id)",
    )
    access_grants: Mapped[list[ReviewAccess]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )
