"""Facts specific to an ASB Case Review (formerly "Community Trigger")."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned
from .columns import EMAIL_LEN, NAME_LEN, PHONE_LEN, REFERENCE_LEN, enum_type

if TYPE_CHECKING:
    from .agencies import Agency
    from .reviews import Review


class AsbVictimType(enum.StrEnum):
    """The victim may be an individual, a business or a community group (s.104 ASBCPA 2014)."""

    INDIVIDUAL = "individual"
    BUSINESS = "business"
    COMMUNITY_GROUP = "community_group"


class AsbThresholdDecision(enum.StrEnum):
    """s.104 ASBCPA 2014: at least three qualifying complaints (or a lower local number) means
    the threshold must be treated as met; otherwise the relevant bodies may still find it met
    (persistence, harm or potential harm, adequacy of response)."""

    MET_AUTOMATICALLY = "met_automatically"
    MET_ON_DISCRETION = "met_on_discretion"
    NOT_MET = "not_met"


class AsbEscalationOutcome(enum.StrEnum):
    """Result of an applicant's escalation (the local procedure must provide one)."""

    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"
    WITHDRAWN = "withdrawn"


class AsbDetails(Versioned, Timestamped, Base):
    """The application and the recorded events of an ASB Case Review.

    Legal basis: s.104, s.105 and Schedule 4, Anti-social Behaviour, Crime and Policing Act
    2014. The applicant is the victim or someone acting with the victim's consent; applications
    are not anonymous. The annual statutory figures count ``received_on``,
    ``threshold_decided_on`` (not met), ``review_meeting_on`` and ``recommendations_made_on``
    by district (``Review.district``). Timescales are local settings, derived, not stored.
    """

    __tablename__ = "asb_details"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )

    # Application
    received_on: Mapped[dt.date] = mapped_column(index=True)
    received_via: Mapped[str | None] = mapped_column(String(100))  # online form, phone, ...
    applicant_name: Mapped[str] = mapped_column(String(NAME_LEN))
    applicant_contact: Mapped[str | None] = mapped_column(Text)  # postal address, other
    applicant_email: Mapped[str | None] = mapped_column(String(EMAIL_LEN))
    applicant_phone: Mapped[str | None] = mapped_column(String(PHONE_LEN))
    on_behalf_of: Mapped[bool] = mapped_column(default=False)
    victim_name: Mapped[str | None] = mapped_column(String(NAME_LEN))  # when on behalf of
    victim_consent: Mapped[bool | None]
    victim_consent_recorded_on: Mapped[dt.date | None]
    victim_type: Mapped[AsbVictimType] = mapped_column(
        enum_type(AsbVictimType, "asb_victim_type", length=24)
    )
    behaviour_location: Mapped[str | None] = mapped_column(Text)
    behaviour_summary: Mapped[str | None] = mapped_column(Text)

    # Handling: acknowledgement, forwarding to the Operational Partnership Team, SPOC.
    acknowledged_on: Mapped[dt.date | None]
    forwarded_on: Mapped[dt.date | None]
    spoc_name: Mapped[str | None] = mapped_column(String(NAME_LEN))
    spoc_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="SET NULL")
    )
    spoc_assigned_on: Mapped[dt.date | None]
    applicant_contacted_on: Mapped[dt.date | None]

    # Threshold decision; the applicant must be told it.
    threshold_decision: Mapped[AsbThresholdDecision | None] = mapped_column(
        enum_type(AsbThresholdDecision, "asb_threshold_decision", length=24)
    )
    threshold_decided_on: Mapped[dt.date | None] = mapped_column(index=True)
    threshold_decided_by: Mapped[str | None] = mapped_column(String(NAME_LEN))
    threshold_reasons: Mapped[str | None] = mapped_column(Text)
    applicant_informed_on: Mapped[dt.date | None]
    signposting: Mapped[str | None] = mapped_column(Text)  # when not met

    # Review and outcome; the applicant must be told the outcome and any recommendations.
    review_meeting_on: Mapped[dt.date | None] = mapped_column(index=True)
    recommendations_made_on: Mapped[dt.date | None] = mapped_column(index=True)
    outcome_summary: Mapped[str | None] = mapped_column(Text)
    outcome_communicated_on: Mapped[dt.date | None]

    review: Mapped[Review] = relationship(back_populates="asb_details")
    spoc_agency: Mapped[Agency | None] = relationship()


class AsbComplaint(Versioned, Timestamped, Base):
    """A complaint about the behaviour, made to a relevant body.

    s.104 ASBCPA 2014: a complaint qualifies if made within one month of the behaviour
    complained of and the application is made within six months of the complaint; three
    qualifying complaints about separate incidents meet the threshold. Qualification is derived
    by the threshold rules, never stored.
    """

    __tablename__ = "asb_complaints"
    __table_args__ = (
        CheckConstraint("complained_on >= incident_date", name="complained_after_incident"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    incident_date: Mapped[dt.date]  # date of the behaviour complained of
    complained_on: Mapped[dt.date]
    complained_to_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="SET NULL")
    )
    complained_to: Mapped[str | None] = mapped_column(String(NAME_LEN))  # free text
    description: Mapped[str | None] = mapped_column(Text)
    separate_incident_ref: Mapped[str | None] = mapped_column(String(REFERENCE_LEN))

    review: Mapped[Review] = relationship(back_populates="asb_complaints")
    complained_to_agency: Mapped[Agency | None] = relationship()


class AsbEscalation(Versioned, Timestamped, Base):
    """The applicant's request for the decision or the review to be looked at again.

    The procedure must say what happens when the applicant is dissatisfied; in
    Norfolk the route is the OPCCN (check), kept as a setting. If upheld the review reopens.
    """

    __tablename__ = "asb_escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    requested_on: Mapped[dt.date]
    requested_by: Mapped[str | None] = mapped_column(String(NAME_LEN))
    grounds: Mapped[str | None] = mapped_column(Text)
    escalated_to: Mapped[str | None] = mapped_column(String(NAME_LEN))
    acknowledged_on: Mapped[dt.date | None]
    decided_on: Mapped[dt.date | None]
    outcome: Mapped[AsbEscalationOutcome | None] = mapped_column(
        enum_type(AsbEscalationOutcome, "asb_escalation_outcome", length=16)
    )
    outcome_reasons: Mapped[str | None] = mapped_column(Text)
    response_sent_on: Mapped[dt.date | None]
    review_reopened: Mapped[bool] = mapped_column(default=False)

    review: Mapped[Review] = relationship(back_populates="asb_escalations")
