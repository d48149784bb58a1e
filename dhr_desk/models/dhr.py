"""Facts specific to a Domestic Homicide Review (DHR, renamed DARDR by s.19 VPA 2024)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned
from .columns import KEY_LEN, NAME_LEN, URL_LEN, enum_type

if TYPE_CHECKING:
    from .agencies import Agency
    from .panel import PanelMember
    from .reviews import Review


class DhrDecision(enum.StrEnum):
    """The CSP Chair's decision, made with partners, whether to hold a review (stage 2)."""

    HOLD = "hold"
    NOT_HOLD = "not_hold"


class DeathCategory(enum.StrEnum):
    """How the person died, as far as known. Suicides are in scope where domestic abuse is a
    factor (Home Office statutory guidance, December 2016)."""

    HOMICIDE = "homicide"
    SUICIDE = "suicide"
    OTHER = "other"
    UNDETERMINED = "undetermined"


class QaOutcome(enum.StrEnum):
    """Outcome in the Home Office Quality Assurance Panel's feedback letter (stage 11).
    Resubmission required sends the review back to submission (stage 10)."""

    APPROVED = "approved"
    APPROVED_SUBJECT_TO_AMENDMENTS = "approved_subject_to_amendments"
    RESUBMISSION_REQUIRED = "resubmission_required"


class DhrDetails(Versioned, Timestamped, Base):
    """The recorded dates and decisions of a DHR, stage by stage (default template).

    Legal basis: s.9 Domestic Violence, Crime and Victims Act 2004; Home Office Multi-agency
    Statutory Guidance for the Conduct of DHRs (2016). Deadlines (decision within 1 month of
    notification, completion within 6 months of the decision, takedown review 12 months after
    publication, ...) are derived from these dates by the stage template, never stored here.

    Submission and QA columns hold the current round; earlier rounds after "resubmission
    required" remain in the stage history, the audit log and the feedback-letter documents.
    """

    __tablename__ = "dhr_details"
    __table_args__ = (
        CheckConstraint(
            "scoping_period_end IS NULL OR scoping_period_start IS NULL"
            " OR scoping_period_end >= scoping_period_start",
            name="scoping_period_order",
        ),
    )

    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )

    # 1 Notified: the death came to the CSP's attention; agencies asked to secure records.
    date_of_death: Mapped[dt.date | None]
    date_notified: Mapped[dt.date]
    referrer: Mapped[str | None] = mapped_column(String(NAME_LEN))
    referrer_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="SET NULL")
    )
    circumstances: Mapped[str | None] = mapped_column(Text)
    death_category: Mapped[DeathCategory | None] = mapped_column(
        enum_type(DeathCategory, "death_category", length=16)
    )
    records_secured_requested: Mapped[bool] = mapped_column(default=False)
    records_secured_requested_on: Mapped[dt.date | None]

    # 2 Decision: by the CSP Chair with partners, reasons recorded.
    decision: Mapped[DhrDecision | None] = mapped_column(
        enum_type(DhrDecision, "dhr_decision", length=16)
    )
    decision_date: Mapped[dt.date | None]
    decision_by: Mapped[str | None] = mapped_column(String(NAME_LEN))
    decision_partners_consulted: Mapped[str | None] = mapped_column(Text)
    decision_reasons: Mapped[str | None] = mapped_column(Text)

    # 3 Home Office notified (either decision); family told. A "not hold" decision can be
    # overturned when the Home Office panel advises and the Secretary of State directs a review.
    home_office_notified_on: Mapped[dt.date | None]
    home_office_reference: Mapped[str | None] = mapped_column(String(KEY_LEN))
    home_office_response_on: Mapped[dt.date | None]
    home_office_response: Mapped[str | None] = mapped_column(Text)
    secretary_of_state_directed_on: Mapped[dt.date | None]
    family_told_on: Mapped[dt.date | None]

    # 4 Commissioning: independent chair (and author, if different) with independence statement.
    chair_id: Mapped[int | None] = mapped_column(
        ForeignKey("panel_members.id", ondelete="SET NULL")
    )
    chair_appointed_on: Mapped[dt.date | None]
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("panel_members.id", ondelete="SET NULL")
    )
    author_appointed_on: Mapped[dt.date | None]
    independence_statement: Mapped[str | None] = mapped_column(Text)

    # 5 Terms of reference and scoping, agreed at the first panel meeting.
    terms_of_reference_agreed_on: Mapped[dt.date | None]
    scoping_period_start: Mapped[dt.date | None]
    scoping_period_end: Mapped[dt.date | None]

    # 8 Consultation: the family has seen the draft; tribute to the victim only with agreement.
    family_seen_draft_on: Mapped[dt.date | None]
    tribute_agreed_with_family: Mapped[bool | None]

    # 9 Sign-off: panel agrees the final draft; CSP Chair/board signs off.
    panel_agreed_final_on: Mapped[dt.date | None]
    signed_off_on: Mapped[dt.date | None]
    signed_off_by: Mapped[str | None] = mapped_column(String(NAME_LEN))

    # 10 Submitted to the Home Office QA Panel; copies under s.9(3B) DVCVA 2004 (and, once in
    # force, s.19 VPA 2024). Covering-letter facts that are not dates elsewhere.
    first_submitted_on: Mapped[dt.date | None]
    submitted_on: Mapped[dt.date | None]
    da_commissioner_copy_sent_on: Mapped[dt.date | None]
    secretary_of_state_copy_sent_on: Mapped[dt.date | None]
    delay_reasons: Mapped[str | None] = mapped_column(Text)
    feedback_contact: Mapped[str | None] = mapped_column(String(NAME_LEN))

    # 11 Quality assurance: the feedback letter and its outcome (amendments in QaAmendment).
    qa_outcome: Mapped[QaOutcome | None] = mapped_column(enum_type(QaOutcome, "qa_outcome"))
    qa_letter_received_on: Mapped[dt.date | None]

    # 12-13 Ready to publish, published; stays online at least 12 months.
    family_told_publication_on: Mapped[dt.date | None]
    embargo_until: Mapped[dt.date | None]  # not to be published before (may be in the future)
    published_on: Mapped[dt.date | None]
    publication_url: Mapped[str | None] = mapped_column(String(URL_LEN))
    learning_shared_on: Mapped[dt.date | None]  # e.g. Norfolk's post-publication webinar
    takedown_reviewed_on: Mapped[dt.date | None]  # when reviewed; the due date is derived
    taken_down_on: Mapped[dt.date | None]

    review: Mapped[Review] = relationship(back_populates="dhr_details")
    referrer_agency: Mapped[Agency | None] = relationship()
    chair: Mapped[PanelMember | None] = relationship(foreign_keys="DhrDetails.chair_id")
    author: Mapped[PanelMember | None] = relationship(foreign_keys="DhrDetails.author_id")


class QaAmendment(Versioned, Timestamped, Base):
    """One "area for final development" from a Home Office feedback letter that approved the
    report subject to amendments; each is tracked to done before publication (stage 12)."""

    __tablename__ = "qa_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    raised_on: Mapped[dt.date | None]  # date of the feedback letter that raised it
    done_on: Mapped[dt.date | None]
    done_by: Mapped[str | None] = mapped_column(String(NAME_LEN))
    notes: Mapped[str | None] = mapped_column(Text)

    review: Mapped[Review] = relationship(back_populates="qa_amendments")
