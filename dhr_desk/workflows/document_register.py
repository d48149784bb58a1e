"""The documents register of a review (issue #6, point 1).

Any file (DOCX, PDF, XLSX, TXT …) is added as a new **version** of a named document; each version
keeps its bytes in the store (encrypted with it, in backups and exchange files), its SHA-256,
author, date, protective marking and status. A file whose content is already a version of this
review is not stored twice: the message says which version it is. The **circulation log** says
which version went to whom, when, why, and when it came back.

A version's bytes are checked against their SHA-256 whenever they are read back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import (
    Document,
    DocumentCirculation,
    DocumentKind,
    DocumentStatus,
    DocumentVersion,
    ProtectiveMarking,
    Review,
)
from dhr_desk.security import audit_chain
from dhr_desk.workflows.evidence_files import ACCEPTED, size_words
from dhr_desk.workflows.working_calendar import en_gb

#: The largest file taken as a version: a long overview report with photographs is well under it.
MAX_BYTES = 100 * 1024 * 1024

KIND_WORDS = {
    "overview_report": "Overview report",
    "executive_summary": "Executive summary",
    "action_plan": "Action plan",
    "terms_of_reference": "Terms of reference",
    "agency_return": "Agency return (IMR, chronology, summary)",
    "ho_feedback_letter": "Home Office feedback letter",
    "covering_letter": "Covering letter",
    "letter": "Letter",
    "minutes": "Minutes",
    "submission_pack": "Submission pack",
    "publication_pack": "Publication pack",
    "other": "Other",
}
STATUS_WORDS = {
    "draft": "Draft",
    "with_chair": "With the chair",
    "with_panel": "With the panel",
    "with_family": "With the family",
    "final": "Final",
    "submitted": "Submitted",
    "approved": "Approved",
    "published": "Published",
}
MARKING_WORDS = {"official_sensitive": "OFFICIAL-SENSITIVE", "official": "OFFICIAL"}
CHECK_WORDS = {"clean": "clean", "blocked": "hits found", "overridden": "hits overridden"}


class DocumentError(ValueError):
    """A change to the documents register refused; the message says why. Nothing was saved."""


@dataclass(frozen=True)
class NewVersion:
    """What is given with a file added to the register."""

    title: str
    kind: str
    file_name: str
    data: bytes
    author: str = ""
    status: str = "draft"
    marking: str = "official_sensitive"
    note: str = ""


@dataclass(frozen=True)
class VersionEntry:
    """One version as listed: the newest version of each document first."""

    version_id: int
    document_id: int
    title: str
    kind: str  # in words
    number: int
    file_name: str
    size: str
    sha256: str
    author: str
    added_on: dt.date
    status: str  # in words
    status_key: str
    marking: str  # in words
    anonymisation: str  # "not checked", "clean", "hits found" …
    latest: bool  # the document's newest version


@dataclass(frozen=True)
class CirculationEntry:
    circulation_id: int
    version_id: int
    document: str  # "Overview report v3"
    sent_to: str
    purpose: str
    sent_on: dt.date
    returned_on: dt.date | None
    note: str


def _review(session: Session, reference: str) -> Review:
    review = session.scalars(select(Review).where(Review.reference == reference)).first()
    if review is None:
        raise DocumentError(f"There is no review {reference}.")
    return review


def _version(session: Session, review: Review, version_id: int) -> DocumentVersion:
    version = session.get(DocumentVersion, version_id)
    if version is None or version.document.review_id != review.id:
        raise DocumentError(
            f"That version is no longer in {review.reference} (someone may have removed it). "
            "Reload the review."
        )
    return version


def _audit(session: Session, actor: str, review: Review, what: str, /, **detail: object) -> None:
    audit_chain.record(session, actor=actor, action=what, entity_type="review",
                       entity_id=review.reference, review_id=review.id, detail=detail)  # fmt: skip


def check_size(name: str, size: int) -> None:
    """Refuse an empty file or one over ``MAX_BYTES``, before it is read."""
    if not size:
        raise DocumentError(f"{name} is empty: nothing to add. Is it the right file?")
    if size > MAX_BYTES:
        raise DocumentError(
            f"{name} is {size_words(size)}; a document version can be up to "
            f"{size_words(MAX_BYTES)}. Reduce the pictures in it (Word: File > Compress "
            "Pictures) or save it as PDF, and add that."
        )


def check_file(file_name: str, data: bytes) -> str:
    """The media type of a file the register takes, or DocumentError saying what is wrong."""
    name = PurePath(file_name).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED:
        kinds = ", ".join(sorted(s.lstrip(".") for s in ACCEPTED))
        raise DocumentError(f"{name} is not a kind of file the register takes: one of {kinds}.")
    check_size(name, len(data))
    media_type, recognised = ACCEPTED[suffix]
    if not recognised(data):
        raise DocumentError(
            f"{name} is not a {suffix.lstrip('.').upper()} file, though its name says so: it may "
            "be damaged or renamed. Open it in the program that made it and save it again."
        )
    return media_type


def _label(version: DocumentVersion) -> str:
    return f"{version.document.title} v{version.number}"


def add_version(session: Session, actor: str, reference: str, new: NewVersion) -> int:
    """Add the file as the next version of the review's document of that title (made if new).
    Returns the version's id."""
    review = _review(session, reference)
    title = " ".join(new.title.split())
    if not title:
        raise DocumentError("Give the document a title (e.g. 'Overview report').")
    if new.kind not in KIND_WORDS:
        raise DocumentError(f"'{new.kind}' is not a kind of document.")
    if new.status not in STATUS_WORDS or new.marking not in MARKING_WORDS:
        raise DocumentError("Choose a status and a protective marking from the lists.")
    name = PurePath(new.file_name).name
    media_type = check_file(name, new.data)
    digest = hashlib.sha256(new.data).hexdigest()
    same = session.scalars(
        select(DocumentVersion)
        .join(Document)
        .where(Document.review_id == review.id, DocumentVersion.sha256 == digest)
    ).first()
    if same is not None:
        raise DocumentError(
            f"{name} is the same file as {_label(same)} ({same.file_name}, added "
            f"{en_gb(same.created_at.date())}): it was not added again."
        )
    document = session.scalars(
        select(Document).where(Document.review_id == review.id, Document.title == title)
    ).first()
    if document is None:
        document = Document(review=review, kind=DocumentKind(new.kind), title=title)
        session.add(document)
    elif document.kind.value != new.kind:
        raise DocumentError(
            f"'{title}' is already a document of the kind "
            f"'{KIND_WORDS[document.kind.value]}'. Choose that kind, or another title."
        )
    number = max((v.number for v in document.versions), default=0) + 1
    version = DocumentVersion(
        number=number,
        file_name=name,
        media_type=media_type,
        sha256=digest,
        size_bytes=len(new.data),
        content=new.data,
        author=new.author.strip() or None,
        note=new.note.strip() or None,
        status=DocumentStatus(new.status),
        marking=ProtectiveMarking(new.marking),
    )
    document.versions.append(version)
    session.flush()
    _audit(session, actor, review, "document version added", document=title, version=number,
           file=name, sha256=digest, status=new.status)  # fmt: skip
    return version.id


def _check_state(version: DocumentVersion) -> str:
    if not version.anonymisation_checks:
        return "not checked"
    last = max(version.anonymisation_checks, key=lambda c: (c.checked_at, c.id))
    if last.result.value == "blocked" and last.hit_count == 0:
        return "cannot be checked"
    words = CHECK_WORDS[last.result.value]
    return f"{words} ({last.hit_count})" if last.hit_count else words


def versions(session: Session, reference: str) -> list[VersionEntry]:
    """Every version of every document of the review: documents by title, newest version
    first."""
    review = _review(session, reference)
    documents = session.scalars(
        select(Document).where(Document.review_id == review.id).order_by(Document.title)
    ).all()
    found = []
    for document in documents:
        if document.title.startswith("Evidence for action "):
            continue  # listed with their actions (evidence files)
        newest = max((v.number for v in document.versions), default=0)
        for version in sorted(document.versions, key=lambda v: -v.number):
            found.append(
                VersionEntry(
                    version_id=version.id,
                    document_id=document.id,
                    title=document.title,
                    kind=KIND_WORDS[document.kind.value],
                    number=version.number,
                    file_name=version.file_name,
                    size=size_words(version.size_bytes),
                    sha256=version.sha256,
                    author=version.author or "",
                    added_on=version.created_at.date(),
                    status=STATUS_WORDS[version.status.value],
                    status_key=version.status.value,
                    marking=MARKING_WORDS[version.marking.value],
                    anonymisation=_check_state(version),
                    latest=version.number == newest,
                )
            )
    return found


def set_status(session: Session, actor: str, reference: str, version_id: int, status: str) -> None:
    review = _review(session, reference)
    version = _version(session, review, version_id)
    if status not in STATUS_WORDS:
        raise DocumentError(f"'{status}' is not a status of a document version.")
    was = version.status.value
    if was == status:
        return
    version.status = DocumentStatus(status)
    _audit(session, actor, review, "document status changed", document=_label(version),
           was=was, now=status)  # fmt: skip


def record_circulation(
    session: Session,
    actor: str,
    reference: str,
    version_id: int,
    *,
    sent_to: str,
    purpose: str,
    sent_on: dt.date,
    email: str = "",
) -> int:
    """Log that the version went to someone, when and why."""
    review = _review(session, reference)
    version = _version(session, review, version_id)
    if not sent_to.strip():
        raise DocumentError("Say who the version went to (a person, agency or body).")
    if not purpose.strip():
        raise DocumentError("Say why it was sent (for comment, factual accuracy, submission …).")
    if sent_on > dt.date.today():
        raise DocumentError(f"{en_gb(sent_on)} is after today: log a circulation once it is sent.")
    if sent_on < version.created_at.date():
        raise DocumentError(
            f"{_label(version)} was added on {en_gb(version.created_at.date())}, after "
            f"{en_gb(sent_on)}: check the date."
        )
    circulation = DocumentCirculation(
        sent_to=sent_to.strip(),
        sent_to_email=email.strip() or None,
        sent_at=dt.datetime.combine(sent_on, dt.time(12), tzinfo=dt.UTC),
        purpose=purpose.strip(),
    )
    version.circulations.append(circulation)
    session.flush()
    _audit(session, actor, review, "document circulated", document=_label(version),
           sent_to=sent_to.strip(), purpose=purpose.strip(), on=sent_on.isoformat())  # fmt: skip
    return circulation.id


def record_return(
    session: Session, actor: str, reference: str, circulation_id: int, *, returned_on: dt.date,
    note: str = "",
) -> None:  # fmt: skip
    """Log that a circulated version came back (comments received, or returned)."""
    review = _review(session, reference)
    circulation = session.get(DocumentCirculation, circulation_id)
    if circulation is None or circulation.document_version.document.review_id != review.id:
        raise DocumentError(f"That circulation is no longer in {reference}: reload the review.")
    sent_on = circulation.sent_at.date()
    if returned_on < sent_on:
        raise DocumentError(
            f"It was sent on {en_gb(sent_on)}, so it cannot have come back on "
            f"{en_gb(returned_on)}: check the date."
        )
    if returned_on > dt.date.today():
        raise DocumentError(f"{en_gb(returned_on)} is after today: log the return once it comes.")
    circulation.returned_on = returned_on
    circulation.note = note.strip() or circulation.note
    _audit(session, actor, review, "document returned",
           document=_label(circulation.document_version), sent_to=circulation.sent_to,
           on=returned_on.isoformat())  # fmt: skip


def circulation_log(session: Session, reference: str) -> list[CirculationEntry]:
    """Every circulation of the review's documents, newest first."""
    review = _review(session, reference)
    rows = session.scalars(
        select(DocumentCirculation)
        .join(DocumentVersion)
        .join(Document)
        .where(Document.review_id == review.id)
        .order_by(DocumentCirculation.sent_at.desc(), DocumentCirculation.id.desc())
    ).all()
    return [
        CirculationEntry(
            circulation_id=row.id,
            version_id=row.document_version_id,
            document=_label(row.document_version),
            sent_to=row.sent_to,
            purpose=row.purpose or "",
            sent_on=row.sent_at.date(),
            returned_on=row.returned_on,
            note=row.note or "",
        )
        for row in rows
    ]


def version_content(session: Session, reference: str, version_id: int) -> tuple[str, bytes]:
    """The version's file name and bytes, checked against the SHA-256 taken when it was added."""
    review = _review(session, reference)
    version = _version(session, review, version_id)
    data = version.content or b""
    if hashlib.sha256(data).hexdigest() != version.sha256:
        raise DocumentError(
            f"{_label(version)} ({version.file_name}) no longer matches the file added (its "
            "checksum differs): the stored copy is damaged. Restore the database from a backup, "
            "or add the file again."
        )
    return version.file_name, data
