"""The review panel and its meetings."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned
from .columns import EMAIL_LEN, NAME_LEN, enum_type

if TYPE_CHECKING:
    from .agencies import Agency, AgencyContact
    from .reviews import Review


class PanelRole(enum.StrEnum):
    """A panel member's part. The chair and author (if different) must be independent; one
    person doing both has role ``chair`` and is both ``DhrDetails.chair`` and ``.author``."""

    CHAIR = "chair"
    AUTHOR = "author"
    MEMBER = "member"
    ADVISER = "adviser"


class MeetingKind(enum.StrEnum):
    """What a meeting is for. The first panel meeting agrees terms of reference and scoping."""

    DECISION = "decision"  # CSP Chair with partners deciding whether to hold a DHR
    SCOPING = "scoping"
    PANEL = "panel"
    REVIEW_MEETING = "review_meeting"  # ASB Case Review meeting
    FAMILY = "family"
    LEARNING_EVENT = "learning_event"  # e.g. the post-publication learning webinar
    OTHER = "other"


class AttendanceStatus(enum.StrEnum):
    """Whether a panel member came to a meeting."""

    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"


class PanelMember(Versioned, Timestamped, Base):
    """A member of a review's panel, with their declaration of independence.

    Home Office guidance (2016): panel members declare no direct involvement with the people
    in the review or their line managers; the chair and author give an independence statement.
    """

    __tablename__ = "panel_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="SET NULL"), index=True
    )
    agency_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("agency_contacts.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    job_title: Mapped[str | None] = mapped_column(String(NAME_LEN))
    email: Mapped[str | None] = mapped_column(String(EMAIL_LEN))
    role: Mapped[PanelRole] = mapped_column(enum_type(PanelRole, "panel_role", length=24))
    appointed_on: Mapped[dt.date | None]
    stood_down_on: Mapped[dt.date | None]
    independence_declaration: Mapped[str | None] = mapped_column(Text)
    declared_no_involvement: Mapped[bool] = mapped_column(default=False)
    declared_on: Mapped[dt.date | None]
    training_record: Mapped[str | None] = mapped_column(Text)

    review: Mapped[Review] = relationship(back_populates="panel_members")
    agency: Mapped[Agency | None] = relationship()
    agency_contact: Mapped[AgencyContact | None] = relationship()
    attendances: Mapped[list[MeetingAttendance]] = relationship(
        back_populates="panel_member", cascade="all, delete"
    )


class Meeting(Versioned, Timestamped, Base):
    """A meeting of a review: scheduled date, when it was held, where, and notes."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(enum_type(MeetingKind, "meeting_kind", length=24))
    scheduled_for: Mapped[dt.date]
    starts_at: Mapped[dt.datetime | None]  # for calendar invitations, when a time is set
    held_on: Mapped[dt.date | None]
    cancelled: Mapped[bool] = mapped_column(default=False)
    location: Mapped[str | None] = mapped_column(String(NAME_LEN))
    notes: Mapped[str | None] = mapped_column(Text)

    review: Mapped[Review] = relationship(back_populates="meetings")
    attendances: Mapped[list[MeetingAttendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAttendance.id"
    )


class MeetingAttendance(Versioned, Timestamped, Base):
    """Whether one panel member attended one meeting (``substitute`` if someone came instead)."""

    __tablename__ = "meeting_attendances"
    __table_args__ = (UniqueConstraint("meeting_id", "panel_member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    panel_member_id: Mapped[int] = mapped_column(
        ForeignKey("panel_members.id", ondelete="CASCADE"), index=True
    )
    attended: Mapped[AttendanceStatus] = mapped_column(
        enum_type(AttendanceStatus, "attendance_status", length=16)
    )
    substitute: Mapped[str | None] = mapped_column(String(NAME_LEN))

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    panel_member: Mapped[PanelMember] = relationship(back_populates="attendances")
