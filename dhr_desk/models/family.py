"""Contact with the family, friends, employer, community and perpetrator."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned
from .columns import NAME_LEN, enum_type

if TYPE_CHECKING:
    from .people import ReviewPerson
    from .reviews import Review


class FamilyContactKind(enum.StrEnum):
    """Whose contribution the contact concerns."""

    FAMILY = "family"
    FRIEND = "friend"
    EMPLOYER = "employer"
    COMMUNITY = "community"
    PERPETRATOR = "perpetrator"
    OTHER = "other"


class ContactMethod(enum.StrEnum):
    """How the contact was made."""

    LETTER = "letter"
    EMAIL = "email"
    PHONE = "phone"
    VISIT = "visit"
    MEETING = "meeting"
    VIDEO_CALL = "video_call"
    VIA_INTERMEDIARY = "via_intermediary"  # police family liaison officer, advocate, ...
    OTHER = "other"


class FamilyContact(Versioned, Timestamped, Base):
    """One contact with a family member or other contributor, and what came of it.

    Home Office guidance (2016): the family is given the Home Office leaflets and offered
    specialist advocacy (e.g. AAFDA); contributions are recorded, or the decline to take part.
    """

    __tablename__ = "family_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_people.id", ondelete="SET NULL"), index=True
    )
    contact_kind: Mapped[FamilyContactKind] = mapped_column(
        enum_type(FamilyContactKind, "family_contact_kind", length=16)
    )
    contacted_on: Mapped[dt.date]
    method: Mapped[ContactMethod | None] = mapped_column(
        enum_type(ContactMethod, "contact_method", length=24)
    )
    summary: Mapped[str | None] = mapped_column(Text)
    leaflet_given: Mapped[bool] = mapped_column(default=False)
    advocate_offered: Mapped[bool] = mapped_column(default=False)
    advocate_name: Mapped[str | None] = mapped_column(String(NAME_LEN))
    advocate_organisation: Mapped[str | None] = mapped_column(String(NAME_LEN))
    declined: Mapped[bool] = mapped_column(default=False)

    review: Mapped[Review] = relationship(back_populates="family_contacts")
    person: Mapped[ReviewPerson | None] = relationship(back_populates="family_contacts")
