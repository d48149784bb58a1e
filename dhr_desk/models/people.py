"""The identifier register: the real people in a review and their pseudonyms."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned
from .columns import NAME_LEN, enum_type

if TYPE_CHECKING:
    from .family import FamilyContact
    from .reviews import Review


class PersonRole(enum.StrEnum):
    """A person's part in the review."""

    VICTIM = "victim"
    PERPETRATOR = "perpetrator"
    CHILD = "child"
    RELATIVE = "relative"
    FRIEND = "friend"
    WITNESS = "witness"
    PROFESSIONAL = "professional"
    OTHER = "other"


class ReviewPerson(Versioned, Timestamped, Base):
    """One entry of the review's register of real identifiers, with the person's pseudonym.

    Anonymisation is a hard rule: published and submitted documents use pseudonyms only, with
    no real names or dates of birth; professionals are referred to by role. Every export is
    scanned against these rows. Columns holding identifiers have no defaults, and ``repr``
    shows no identifier, so nothing leaks into logs.
    """

    __tablename__ = "review_people"
    __table_args__ = (UniqueConstraint("review_id", "pseudonym"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    role: Mapped[PersonRole] = mapped_column(enum_type(PersonRole, "person_role", length=16))
    role_description: Mapped[str | None] = mapped_column(String(NAME_LEN))  # e.g. "GP 1"
    relationship_to_victim: Mapped[str | None] = mapped_column(String(100))

    # Real identifiers: never published, never submitted.
    real_name: Mapped[str] = mapped_column(String(NAME_LEN))
    nicknames: Mapped[str | None] = mapped_column(Text)  # one per line
    date_of_birth: Mapped[dt.date | None]
    date_of_death: Mapped[dt.date | None]
    address: Mapped[str | None] = mapped_column(Text)
    workplace: Mapped[str | None] = mapped_column(Text)
    other_identifiers: Mapped[str | None] = mapped_column(Text)  # one per line
    protected_characteristics: Mapped[str | None] = mapped_column(Text)

    # The name used in every document that leaves the team.
    pseudonym: Mapped[str | None] = mapped_column(String(100))
    pseudonym_agreed_with_family: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)

    review: Mapped[Review] = relationship(back_populates="people")
    family_contacts: Mapped[list[FamilyContact]] = relationship(back_populates="person")

    def __repr__(self) -> str:
        return f"<ReviewPerson id={self.id} review_id={self.review_id} role={self.role}>"
