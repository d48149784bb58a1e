"""The chase log: every reminder sent about an action."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utc_now
from .columns import EMAIL_LEN, KEY_LEN, NAME_LEN, enum_type

if TYPE_CHECKING:
    from .recommendations import Action
    from .users import User


class ChaseChannel(enum.StrEnum):
    """How a chase went out."""

    EMAIL = "email"
    EML_DRAFT = "eml_draft"  # an .eml draft handed to the officer's mail client
    LETTER = "letter"
    PHONE = "phone"
    MEETING = "meeting"
    OTHER = "other"


class ChaseEvent(Base):
    """Append-only record that an action was chased.

    Convention (domain.md): one digest per recipient, never one email per action (rows of one
    digest share ``digest_id``); nothing sent when nothing is due; the chasing step in
    ``escalation_level``: 0 = reminder to the owner, 1 = due or overdue (owner), 2 = agency
    lead, 3 = board representative / CSP chair (workflows/chasing.py ``Step``).
    """

    __tablename__ = "chase_events"
    __table_args__ = (
        CheckConstraint("escalation_level >= 0", name="escalation_level_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    recipient_email: Mapped[str | None] = mapped_column(String(EMAIL_LEN))
    recipient_name: Mapped[str | None] = mapped_column(String(NAME_LEN))
    escalation_level: Mapped[int] = mapped_column(default=0)
    channel: Mapped[ChaseChannel] = mapped_column(
        enum_type(ChaseChannel, "chase_channel", length=16)
    )
    digest_id: Mapped[str | None] = mapped_column(String(KEY_LEN), index=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    note: Mapped[str | None] = mapped_column(Text)

    action: Mapped[Action] = relationship(back_populates="chase_events")
    sent_by: Mapped[User | None] = relationship()
