"""Documents of a review, their immutable versions, and where each version was sent."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned, utc_now
from .columns import EMAIL_LEN, NAME_LEN, PATH_LEN, SHA256_HEX_LEN, enum_type

if TYPE_CHECKING:
    from .anonymisation import AnonymisationCheck
    from .information_requests import InformationRequest
    from .panel import Meeting
    from .reviews import Review
    from .users import User


class DocumentKind(enum.StrEnum):
    """What a document is. The publication set of a DHR is the overview report, executive
    summary, action plan and Home Office feedback letter."""

    OVERVIEW_REPORT = "overview_report"
    EXECUTIVE_SUMMARY = "executive_summary"
    ACTION_PLAN = "action_plan"
    HO_FEEDBACK_LETTER = "ho_feedback_letter"
    COVERING_LETTER = "covering_letter"
    TERMS_OF_REFERENCE = "terms_of_reference"
    AGENCY_RETURN = "agency_return"  # IMR, chronology or summary report as received
    MINUTES = "minutes"
    LETTER = "letter"
    SUBMISSION_PACK = "submission_pack"
    PUBLICATION_PACK = "publication_pack"
    OTHER = "other"


class ProtectiveMarking(enum.StrEnum):
    """Government Security Classification marking. Every record is treated as
    OFFICIAL-SENSITIVE; approved publications carry OFFICIAL."""

    OFFICIAL_SENSITIVE = "official_sensitive"
    OFFICIAL = "official"


class DocumentStatus(enum.StrEnum):
    """Where a version of a document stands (issue #6: the documents register)."""

    DRAFT = "draft"
    WITH_CHAIR = "with_chair"
    WITH_PANEL = "with_panel"
    WITH_FAMILY = "with_family"
    FINAL = "final"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"


class Document(Versioned, Timestamped, Base):
    """A document of a review; its content lives in numbered ``DocumentVersion`` rows."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_type(DocumentKind, "document_kind"))
    title: Mapped[str] = mapped_column(String(NAME_LEN))
    marking: Mapped[ProtectiveMarking] = mapped_column(
        enum_type(ProtectiveMarking, "protective_marking", length=24),
        default=ProtectiveMarking.OFFICIAL_SENSITIVE,
    )
    information_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("information_requests.id", ondelete="SET NULL"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)

    review: Mapped[Review] = relationship(back_populates="documents")
    information_request: Mapped[InformationRequest | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentVersion.number"
    )


class DocumentVersion(Base):
    """One immutable version of a document: the file is either on disk (``storage_path``,
    relative to the data directory) or in the row (``content``, loaded only on access).
    ``sha256`` is the hex digest of the bytes."""

    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("size_bytes >= 0", name="size_non_negative"),
        CheckConstraint(
            "storage_path IS NOT NULL OR content IS NOT NULL", name="has_storage_or_content"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    author: Mapped[str | None] = mapped_column(String(NAME_LEN))  # e.g. the independent author
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(SHA256_HEX_LEN))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    storage_path: Mapped[str | None] = mapped_column(String(PATH_LEN))
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    note: Mapped[str | None] = mapped_column(Text)
    # revision 0004: each version has its own status and protective marking
    status: Mapped[DocumentStatus] = mapped_column(
        enum_type(DocumentStatus, "document_status", length=16),
        default=DocumentStatus.DRAFT,
        server_default=DocumentStatus.DRAFT.value,
    )
    marking: Mapped[ProtectiveMarking] = mapped_column(
        enum_type(ProtectiveMarking, "version_marking", length=24),
        default=ProtectiveMarking.OFFICIAL_SENSITIVE,
        server_default=ProtectiveMarking.OFFICIAL_SENSITIVE.value,
    )

    document: Mapped[Document] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()
    circulations: Mapped[list[DocumentCirculation]] = relationship(
        back_populates="document_version",
        cascade="all, delete-orphan",
        order_by="(DocumentCirculation.sent_at, DocumentCirculation.id)",
    )
    anonymisation_checks: Mapped[list[AnonymisationCheck]] = relationship(
        back_populates="document_version", cascade="all, delete"
    )


class DocumentCirculation(Base):
    """Log of a document version sent to someone (draft to family, submission to the Home
    Office, copy to the Domestic Abuse Commissioner, ...), and when it came back."""

    __tablename__ = "document_circulations"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_version_id: Mapped[int] = mapped_column(
        ForeignKey("document_versions.id", ondelete="CASCADE"), index=True
    )
    sent_to: Mapped[str] = mapped_column(String(NAME_LEN))
    sent_to_email: Mapped[str | None] = mapped_column(String(EMAIL_LEN))
    sent_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    purpose: Mapped[str | None] = mapped_column(String(NAME_LEN))
    returned_on: Mapped[dt.date | None]
    note: Mapped[str | None] = mapped_column(Text)

    document_version: Mapped[DocumentVersion] = relationship(back_populates="circulations")
    sent_by: Mapped[User | None] = relationship()
