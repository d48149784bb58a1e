"""People who use the application."""

from __future__ import annotations

import enum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamped, Versioned
from .columns import EMAIL_LEN, NAME_LEN, enum_type


class UserRole(enum.StrEnum):
    """What a user may do. Board members see aggregates only (domain.md, information
    governance); a chair sees only the reviews granted to them (``ReviewAccess``)."""

    OFFICER = "officer"
    MANAGER = "manager"
    CHAIR = "chair"
    BOARD = "board"
    ADMIN = "admin"


class User(Versioned, Timestamped, Base):
    """An account: NCSP team member, independent chair/author, board member or administrator.

    Users are deactivated, never deleted: records they made refer to them (``RESTRICT``).
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(NAME_LEN))
    email: Mapped[str | None] = mapped_column(String(EMAIL_LEN))
    role: Mapped[UserRole] = mapped_column(enum_type(UserRole, "user_role", length=16))
    active: Mapped[bool] = mapped_column(default=True)
