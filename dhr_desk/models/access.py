"""Who may see which review: need-to-know access beyond the NCSP team."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utc_now

if TYPE_CHECKING:
    from .reviews import Review
    from .users import User


class ReviewAccess(Base):
    """A grant letting one user (typically the review's own independent chair) see one review.

    domain.md: "The people who may see a review are those who need to: the NCSP team, the
    review's own chair". Team roles see every review by role; this table holds the exceptions.
    """

    __tablename__ = "review_access"
    __table_args__ = (UniqueConstraint("review_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    granted_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    review: Mapped[Review] = relationship(back_populates="access_grants")
    user: Mapped[User] = relationship(foreign_keys="ReviewAccess.user_id")
    granted_by: Mapped[User | None] = relationship(foreign_keys="ReviewAccess.granted_by_id")
