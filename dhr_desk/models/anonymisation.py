"""The anonymisation gate: each check of an export against the identifier register."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utc_now
from .columns import NAME_LEN, SHA256_HEX_LEN, enum_type

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


class AnonymisationOverride(Base):
    """A person's release of one hit of the anonymisation check, with a written reason
    (revision 0004; issue #6, "the gate"). ``hit_key`` names the hit: the same text in the same
    place of the same file (``file_sha256``), so a changed file needs its hits overridden anew.
    What was found is described without the identifier itself (where, what kind, whose)."""

    __tablename__ = "anonymisation_overrides"
    __table_args__ = (
        UniqueConstraint("review_id", "hit_key"),
        CheckConstraint("length(trim(reason)) > 0", name="reason_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    hit_key: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(SHA256_HEX_LEN))
    location: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(64))
    person: Mapped[str] = mapped_column(String(NAME_LEN))  # role and pseudonym, not the name
    reason: Mapped[str] = mapped_column(Text)
    overridden_by: Mapped[str] = mapped_column(String(NAME_LEN))
    overridden_at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    review: Mapped[Review] = relationship()
