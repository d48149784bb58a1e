"""Application settings held in the database (shared by everyone using the same store)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned

if TYPE_CHECKING:
    from .users import User


class Setting(Versioned, Timestamped, Base):
    """One setting: a dotted key and a JSON-encoded value.

    Everything the law leaves to local choice is a setting (domain.md): display name DHR or
    DARDR, who receives the final report, ASB timescales and threshold number, escalation
    route, retention periods, ... The typed registry of keys and defaults lives outside the
    models; a missing row means "use the default".
    """

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON text
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    updated_by: Mapped[User | None] = relationship()
