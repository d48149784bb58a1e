"""Files attached to an action as evidence that it was done (issue #5: "evidence (notes and
attached files)"): a training register, a revised policy, an audit report.

Each file becomes a document of the review, kind "other", its bytes held in the store (so they
are encrypted with it and go into backups and exchange files) with their SHA-256, which is
checked again whenever a copy is saved. A file is refused when it is empty, larger than
``MAX_BYTES``, of a kind not accepted, or not what its name says (a ``.pdf`` that is not a PDF):
nothing is stored then.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy.orm import Session

from dhr_desk.models import Document, DocumentKind, DocumentVersion
from dhr_desk.workflows.action_plan import (
    ActionPlanError,
    _action,
    _audit,
    _review,
    progress_made,
)

MAX_BYTES = 25 * 1024 * 1024  # an evidence file, not an archive: larger files stay elsewhere
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003, Outlook .msg


def _zip_with(member: str) -> Callable[[bytes], bool]:
    """An Office Open XML file: a zip holding ``member``."""

    def check(data: bytes) -> bool:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return any(n.startswith(member) for n in archive.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError,
                EOFError, OSError, RuntimeError):  # fmt: skip
            return False  # a damaged archive ("zip file version 16.6", a bad name …)

    return check


def _text(data: bytes) -> bool:
    """Text in UTF-8 or Windows-1252, judged on its first 64 KiB (a UTF-8 character cut at the
    64 KiB mark is not held against it)."""
    head = data[:65536]
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(data) <= len(head))
    except UnicodeDecodeError:
        try:
            head.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True


#: The kinds of file accepted, by suffix: the media type, and how the content is recognised.
ACCEPTED: dict[str, tuple[str, Callable[[bytes], bool]]] = {
    ".pdf": ("application/pdf", lambda d: d.startswith(b"%PDF-")),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _zip_with("word/"),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _zip_with("xl/"),
    ),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _zip_with("ppt/"),
    ),
    ".doc": ("application/msword", lambda d: d.startswith(OLE)),
    ".xls": ("application/vnd.ms-excel", lambda d: d.startswith(OLE)),
    ".msg": ("application/vnd.ms-outlook", lambda d: d.startswith(OLE)),
    ".odt": ("application/vnd.oasis.opendocument.text", _zip_with("content.xml")),
    ".png": ("image/png", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
    ".rtf": ("application/rtf", lambda d: d.startswith(b"{\\rtf")),
    ".eml": ("message/rfc822", _text),
    ".txt": ("text/plain", _text),
    ".csv": ("text/csv", _text),
}


@dataclass(frozen=True)
class EvidenceFile:
    document_id: int
    file_name: str
    size_bytes: int
    added_on: dt.date
    note: str


def size_words(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def check_size(name: str, size: int) -> None:
    """Refuse an empty file or one over ``MAX_BYTES`` (checked before a file is read, too)."""
    if not size:
        raise ActionPlanError(f"{name} is empty: nothing to attach.")
    if size > MAX_BYTES:
        raise ActionPlanError(
            f"{name} is {size_words(size)}; evidence files can be up to "
            f"{size_words(MAX_BYTES)}. Attach a smaller file (a summary, or the relevant pages)."
        )


def check_file(file_name: str, data: bytes) -> str:
    """The media type of an acceptable evidence file, or ActionPlanError saying what is wrong."""
    name = PurePath(file_name).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED:
        kinds = ", ".join(sorted(s.lstrip(".") for s in ACCEPTED))
        raise ActionPlanError(
            f"{name} is not a kind of file accepted as evidence. Attach one of: {kinds} "
            "(save it as PDF if in doubt)."
        )
    check_size(name, len(data))
    media_type, recognised = ACCEPTED[suffix]
    if not recognised(data):
        raise ActionPlanError(
            f"{name} is not a {suffix.lstrip('.').upper()} file, though its name says so: it may "
            "be damaged or renamed. Open it in the program that made it and save it again."
        )
    return media_type


def attach_evidence(
    session: Session,
    actor: str,
    reference: str,
    action_id: int,
    *,
    file_name: str,
    data: bytes,
    note: str = "",
) -> int:
    """Store the file as a document of the review and attach it to the action; counts as
    progress on the action (an owner's update holds chasing). Returns the document's id."""
    review = _review(session, reference)
    action = _action(session, review, action_id)
    name = PurePath(file_name).name
    media_type = check_file(name, data)
    number = f"{action.recommendation.number}.{action.number}"
    document = Document(
        review=review,
        kind=DocumentKind.OTHER,
        title=f"Evidence for action {number}: {name}"[:200],
        notes=note.strip() or None,
    )
    document.versions.append(
        DocumentVersion(
            number=1,
            file_name=name,
            media_type=media_type,
            sha256=hashlib.sha256(data).hexdigest(),
            size_bytes=len(data),
            content=data,
            note=note.strip() or None,
        )
    )
    session.add(document)
    action.evidence_documents.append(document)
    progress_made(action)
    session.flush()
    _audit(session, actor, review, "evidence attached", action=number, file=name,
           sha256=document.versions[0].sha256)  # fmt: skip
    return document.id


def evidence_files(session: Session, reference: str, action_id: int) -> list[EvidenceFile]:
    review = _review(session, reference)
    action = _action(session, review, action_id)
    found = []
    for document in action.evidence_documents:
        version = document.versions[-1]
        found.append(
            EvidenceFile(
                document.id,
                version.file_name,
                version.size_bytes,
                version.created_at.date(),
                version.note or "",
            )
        )
    return found


def evidence_content(session: Session, reference: str, document_id: int) -> tuple[str, bytes]:
    """The file's name and bytes, checked against the SHA-256 taken when it was attached."""
    review = _review(session, reference)
    document = session.get(Document, document_id)
    if document is None or document.review_id != review.id or not document.versions:
        raise ActionPlanError(f"That file is no longer in {reference}: reload the review.")
    version = document.versions[-1]
    data = version.content or b""
    if hashlib.sha256(data).hexdigest() != version.sha256:
        raise ActionPlanError(
            f"{version.file_name} no longer matches the file attached (its checksum differs): "
            "the stored copy is damaged. Restore the database from a backup, or attach the file "
            "again."
        )
    return version.file_name, data
