"""Partner agencies and the people in them the CSP deals with."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned
from .columns import EMAIL_LEN, KEY_LEN, NAME_LEN, PHONE_LEN, enum_type


class AgencyKind(enum.StrEnum):
    """Broad type of an agency, for grouping in reports (overdue actions by agency type)."""

    POLICE = "police"
    DISTRICT_COUNCIL = "district_council"
    COUNTY_COUNCIL = "county_council"  # including children's and adult social care
    HEALTH = "health"  # ICB, acute trusts, GP practices, community health
    MENTAL_HEALTH = "mental_health"
    AMBULANCE = "ambulance"
    PROBATION = "probation"
    PRISON = "prison"
    HOUSING = "housing"  # social housing providers (co-opted relevant bodies for ASB)
    EDUCATION = "education"
    FIRE = "fire"
    SPECIALIST_DOMESTIC_ABUSE = "specialist_domestic_abuse"
    VOLUNTARY = "voluntary"
    GOVERNMENT = "government"  # Home Office, Domestic Abuse Commissioner (national actions)
    OTHER = "other"


class Agency(Versioned, Timestamped, Base):
    """An organisation asked for information, sitting on panels or owning actions.

    Agencies are deactivated, not deleted: requests and actions refer to them (``RESTRICT``).
    ``asb_relevant_body``: a relevant body for ASB Case Reviews (district council, police,
    Integrated Care Board, co-opted social housing providers; ASBCPA 2014).
    """

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(50))
    kind: Mapped[AgencyKind] = mapped_column(enum_type(AgencyKind, "agency_kind"))
    district: Mapped[str | None] = mapped_column(String(KEY_LEN))
    asb_relevant_body: Mapped[bool] = mapped_column(default=False)
    address: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str | None] = mapped_column(Text)

    contacts: Mapped[list[AgencyContact]] = relationship(
        back_populates="agency", cascade="all, delete-orphan", order_by="AgencyContact.id"
    )


class AgencyContact(Versioned, Timestamped, Base):
    """A named person at an agency. The chasing escalation ladder runs action owner, then the
    agency lead (``is_agency_lead``), then the board representative / CSP chair."""

    __tablename__ = "agency_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    role: Mapped[str | None] = mapped_column(String(NAME_LEN))  # job title
    email: Mapped[str | None] = mapped_column(String(EMAIL_LEN))
    phone: Mapped[str | None] = mapped_column(String(PHONE_LEN))
    is_agency_lead: Mapped[bool] = mapped_column(default=False)
    is_board_representative: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    agency: Mapped[Agency] = relationship(back_populates="contacts")
