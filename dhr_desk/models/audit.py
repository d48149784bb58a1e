"""The audit log: columns of a tamper-evident hash chain (the chain logic is in security/)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utc_now
from .columns import KEY_LEN, NAME_LEN, SHA256_HEX_LEN


class AuditEvent(Base):
    """One append-only audit entry. ``hash`` covers this entry and ``prev_hash`` (the previous
    entry's hash), so any edit, deletion or reordering breaks the chain.

    ``review_id`` is deliberately a plain indexed integer, not a foreign key: the log must
    outlive what it describes (a review destroyed under the retention schedule), and any
    ``ON DELETE`` action would either block disposal or rewrite hashed rows. ``prev_hash`` is
    unique, so the chain cannot fork: of two concurrent writers appending to the same tail,
    one fails and must retry.
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(NAME_LEN))
    action: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[str | None] = mapped_column(String(KEY_LEN))
    review_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[str | None] = mapped_column(Text)  # JSON text
    prev_hash: Mapped[str] = mapped_column(String(SHA256_HEX_LEN), unique=True)
    hash: Mapped[str] = mapped_column(String(SHA256_HEX_LEN), unique=True)
