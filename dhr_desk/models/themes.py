"""The vocabulary of learning themes, for "recurring themes" reports to the board."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned

if TYPE_CHECKING:
    from .recommendations import Recommendation

#: Which themes a recommendation is tagged with (many-to-many).
recommendation_themes = Table(
    "recommendation_themes",
    Base.metadata,
    Column(
        "recommendation_id",
        ForeignKey("recommendations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("theme_id", ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Theme(Versioned, Timestamped, Base):
    """A learning theme (e.g. "coercive control", "information sharing"). Themes are a shared
    list so the board's themes report counts like with like; retire one with ``active``."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)

    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=recommendation_themes, back_populates="themes"
    )
