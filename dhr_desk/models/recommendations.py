"""Recommendations and the actions that implement them: the heart of the daily work."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned
from .columns import EMAIL_LEN, NAME_LEN, enum_type
from .themes import recommendation_themes

if TYPE_CHECKING:
    from .agencies import Agency, AgencyContact
    from .chasing import ChaseEvent
    from .documents import Document
    from .reviews import Review
    from .themes import Theme


class RecommendationLevel(enum.StrEnum):
    """Single- and multi-agency recommendations are listed together in the report."""

    SINGLE_AGENCY = "single_agency"
    MULTI_AGENCY = "multi_agency"


class RecommendationScope(enum.StrEnum):
    """Action-plan column "Scope (local / regional / national)". National recommendations go
    to the Home Office / Domestic Abuse Commissioner and are followed up too."""

    LOCAL = "local"
    REGIONAL = "regional"
    NATIONAL = "national"


class ActionStatus(enum.StrEnum):
    """Where an action stands. ``closed_by_csp`` ("closed, not completed") needs a
    ``closure_reason``."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    CLOSED_BY_CSP = "closed_by_csp"


class Rag(enum.StrEnum):
    """Red/amber/green rating; always shown with its word, never colour alone."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


#: A recommendation's lead agency, at most one (added in revision 0002 as a table of its own:
#: SQLite cannot add a named foreign key to an existing table without copying it).
recommendation_lead_agencies = Table(
    "recommendation_lead_agencies",
    Base.metadata,
    Column(
        "recommendation_id",
        ForeignKey("recommendations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("agency_id", ForeignKey("agencies.id", ondelete="RESTRICT"), nullable=False, index=True),
)


#: Files attached to an action as evidence (revision 0003). Each is a document of the review
#: (its bytes in the store, so encrypted with it); removing the action keeps the document.
action_evidence_documents = Table(
    "action_evidence_documents",
    Base.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "document_id",
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Recommendation(Versioned, Timestamped, Base):
    """A numbered recommendation of a review (DHR overview report or ASB Case Review).

    The CSP's statutory duty is to hold agencies to account for implementing them; recipients
    of ASB Case Review recommendations must have regard to them (s.104 ASBCPA 2014).
    """

    __tablename__ = "recommendations"
    __table_args__ = (
        UniqueConstraint("review_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    level: Mapped[RecommendationLevel] = mapped_column(
        enum_type(RecommendationLevel, "recommendation_level", length=16)
    )
    scope: Mapped[RecommendationScope] = mapped_column(
        enum_type(RecommendationScope, "recommendation_scope", length=16)
    )
    addressed_to: Mapped[str | None] = mapped_column(String(NAME_LEN))  # national: Home Office
    made_on: Mapped[dt.date | None]
    notes: Mapped[str | None] = mapped_column(Text)

    review: Mapped[Review] = relationship(back_populates="recommendations")
    #: The agency leading the recommendation as a whole (each action has its own lead agency).
    lead_agency: Mapped[Agency | None] = relationship(
        secondary=recommendation_lead_agencies, uselist=False
    )
    themes: Mapped[list[Theme]] = relationship(
        secondary=recommendation_themes, back_populates="recommendations"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", order_by="Action.number"
    )


class Action(Versioned, Timestamped, Base):
    """One row of the action plan: Recommendation, Scope, Action to take, Lead agency, Key
    milestones, Target date, Date of completion and outcome.

    Every action ends complete with evidence, or closed by the CSP with a reason (stage 14).
    ``owner_contact`` is the owner when known as a contact; ``owner_name``/``owner_email``
    hold an owner who is not.
    """

    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint(
            "status <> 'closed_by_csp' OR closure_reason IS NOT NULL",
            name="closure_has_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]  # within the recommendation: 3.1, 3.2, ...
    description: Mapped[str] = mapped_column(Text)
    lead_agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="RESTRICT"), index=True
    )
    owner_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency_contacts.id", ondelete="SET NULL"), index=True
    )
    owner_name: Mapped[str | None] = mapped_column(String(NAME_LEN))
    owner_email: Mapped[str | None] = mapped_column(String(EMAIL_LEN))
    accepted_on: Mapped[dt.date | None]  # the agency accepted the action (sign-off, stage 9)
    target_date: Mapped[dt.date | None] = mapped_column(index=True)
    status: Mapped[ActionStatus] = mapped_column(
        enum_type(ActionStatus, "action_status", length=24),
        default=ActionStatus.NOT_STARTED,
        index=True,
    )
    rag: Mapped[Rag | None] = mapped_column(enum_type(Rag, "rag", length=8))  # an override
    rag_reason: Mapped[str | None] = mapped_column(Text)  # why the derived RAG was overridden
    #: When progress was last recorded (status, milestone, evidence, target date): an action
    #: updated since it was last chased is not chased again (chasing policy).
    progress_updated_at: Mapped[dt.datetime | None]
    evidence: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[dt.date | None]
    signed_off_by: Mapped[str | None] = mapped_column(String(NAME_LEN))
    signed_off_on: Mapped[dt.date | None]
    closure_reason: Mapped[str | None] = mapped_column(Text)

    recommendation: Mapped[Recommendation] = relationship(back_populates="actions")
    lead_agency: Mapped[Agency] = relationship()
    owner_contact: Mapped[AgencyContact | None] = relationship()
    milestones: Mapped[list[ActionMilestone]] = relationship(
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="(ActionMilestone.due_on, ActionMilestone.id)",
    )
    evidence_documents: Mapped[list[Document]] = relationship(
        secondary=action_evidence_documents, order_by="Document.id"
    )
    chase_events: Mapped[list[ChaseEvent]] = relationship(
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="(ChaseEvent.sent_at, ChaseEvent.id)",
    )


class ActionMilestone(Versioned, Timestamped, Base):
    """A key milestone in enacting an action (action-plan column "Key milestones achieved")."""

    __tablename__ = "action_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    due_on: Mapped[dt.date | None]
    achieved_on: Mapped[dt.date | None]

    action: Mapped[Action] = relationship(back_populates="milestones")
