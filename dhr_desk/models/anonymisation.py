"""The anonymisation gate: each check of an export against the identifier register."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utc_now
from .columns import enum_type

if TYPE_CHECKING:
    from .documents import DocumentVersion
    from .reviews import Review
    from .users import User


class ExportPurpose(enum.StrEnum):
    """What the checked export was for."""

    SUBMISSION = "submission"
    PUBLICATION = "publication"
    CIRCULATION = "circulation"  # drafts to family, agencies, panel
    OTHER = "other"


class AnonymisationResult(enum.StrEnum):
    """``clean``: no hit. ``blocked``: hits, export refused. ``overridden``: hits, released by
    a person with a recorded reason."""

    CLEAN = "clean"
    BLOCKED = "blocked"
    OVERRIDDEN = "overridden"


class AnonymisationCheck(Base):
    """One scan of an export (body text, tables, headers and footers, comments, tracked
    changes, document properties) against the review's register of real identifiers.

    Hard rule (domain.md): a single hit blocks the export until a person overrides it with a
    recorded reason. ``findings`` is JSON text: for each hit, where it was found and which
    register entry (``ReviewPerson.id``) it matched.
    """

    __tablename__ = "anonymisation_checks"
    __table_args__ = (
        CheckConstraint("hit_count >= 0", name="hit_count_non_negative"),
        CheckConstraint(
            "result <> 'overridden' OR override_reason IS NOT NULL",
            name="override_has_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    document_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_versions.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(255))  # file name of what was scanned
    purpose: Mapped[ExportPurpose] = mapped_column(
        enum_type(ExportPurpose, "export_purpose", length=16)
    )
    checked_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    hit_count: Mapped[int] = mapped_column(default=0)
    findings: Mapped[str | None] = mapped_column(Text)
    result: Mapped[AnonymisationResult] = mapped_column(
        enum_type(AnonymisationResult, "anonymisation_result", length=16)
    )
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_at: Mapped[dt.datetime | None]
    overridden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )

    review: Mapped[Review] = relationship(back_populates="anonymisation_checks")
    document_version: Mapped[DocumentVersion | None] = relationship(
        back_populates="anonymisation_checks"
    )
    checked_by: Mapped[User | None] = relationship(foreign_keys="AnonymisationCheck.checked_by_id")
    overridden_by: Mapped[User | None] = relationship(
        foreign_keys="AnonymisationCheck.overridden_by_id"
    )
