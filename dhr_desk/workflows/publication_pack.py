"""The publication pack's checklist (issue #6, point 7; domain.md stages 12-13): what the
partnership publishes on its website once the Home Office has approved the report: the approved
overview report and executive summary, the action plan and the Home Office letter, marked
OFFICIAL, each read again by the anonymisation gate.

Refused while a parallel proceeding (a criminal trial, an inquest …) blocks publication, before
the Home Office approved the report, while an area for final development is open, before the
family has been told the date, or while a file still carries OFFICIAL-SENSITIVE in its text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import (
    AuditEvent,
    Document,
    DocumentKind,
    DocumentVersion,
    ParallelProceeding,
    QaAmendment,
    QaOutcome,
    Review,
)
from dhr_desk.security import audit_chain
from dhr_desk.workflows.calendar_book import load_calendar
from dhr_desk.workflows.deadlines import DeadlineEngine
from dhr_desk.workflows.document_register import DocumentError, version_content
from dhr_desk.workflows.document_text import CannotCheck, document_parts
from dhr_desk.workflows.review_facts import collect_records
from dhr_desk.workflows.submission_facts import PROCEEDING_WORDS, SubmissionError
from dhr_desk.workflows.submission_pack import ChecklistItem, ChosenVersion
from dhr_desk.workflows.working_calendar import en_gb

PUBLICATION_MADE = "publication pack made"
APPROVING = (QaOutcome.APPROVED, QaOutcome.APPROVED_SUBJECT_TO_AMENDMENTS)
#: A draft's marking left in a document that is to be published.
SENSITIVE_MARKING = re.compile(r"OFFICIAL[\s\-]*SENSITIVE")  # as a marking is written


def _review(session: Session, reference: str) -> Review:
    review = session.scalars(select(Review).where(Review.reference == reference)).first()
    if review is None or review.dhr_details is None:
        raise SubmissionError(
            f"There is no domestic homicide review {reference}: publication packs are for "
            "domestic homicide reviews only."
        )
    return review


def feedback_letter(session: Session, reference: str) -> tuple[ChosenVersion | None, ChecklistItem]:
    """The newest version of the Home Office feedback letter, published with the report."""
    label = "The Home Office feedback letter is in the Documents"
    version_id = session.scalar(
        select(DocumentVersion.id)
        .join(Document)
        .join(Review)
        .where(Review.reference == reference, Document.kind == DocumentKind.HO_FEEDBACK_LETTER)
        .order_by(DocumentVersion.created_at.desc(), DocumentVersion.id.desc())
        .limit(1)
    )
    if version_id is None:
        return None, ChecklistItem("letter", label, False,
                                   "Record the Home Office letter (After submission… → Feedback "
                                   "letter…): it is published with the report.")  # fmt: skip
    version = session.get(DocumentVersion, version_id)
    assert version is not None
    try:
        name, data = version_content(session, reference, version_id)
    except DocumentError as exc:
        return None, ChecklistItem("letter", label, False, str(exc))
    chosen = ChosenVersion(version_id, f"Home Office feedback letter v{version.number}", name, data)
    return chosen, ChecklistItem("letter", label, True, f"{chosen.label}.")


def case_items(session: Session, reference: str) -> list[ChecklistItem]:
    """The items the review's records decide."""
    review = _review(session, reference)
    details = review.dhr_details
    assert details is not None
    items = []
    label = "The Home Office approved the report"
    received = details.qa_letter_received_on
    if details.qa_outcome in APPROVING:
        how = ("Approved" if details.qa_outcome is QaOutcome.APPROVED
               else "Approved subject to amendments")  # fmt: skip
        when = f" (letter of {en_gb(received)})" if received else ""
        items.append(ChecklistItem("approved", label, True, f"{how}{when}."))
    else:
        why = ("the letter asks for resubmission" if details.qa_outcome else
               "no feedback letter is recorded")  # fmt: skip
        items.append(ChecklistItem("approved", label, False, f"Not yet: {why}."))
    open_areas = session.scalars(
        select(QaAmendment).where(QaAmendment.review_id == review.id, QaAmendment.done_on.is_(None))
    ).all()
    label = "Every area for final development is done"
    items.append(ChecklistItem(
        "areas_done", label, not open_areas,
        f"{len(open_areas)} still open: mark each done (After submission…)." if open_areas
        else "None open.",
    ))  # fmt: skip
    blocking = session.scalars(
        select(ParallelProceeding).where(
            ParallelProceeding.review_id == review.id,
            ParallelProceeding.blocks_publication.is_(True),
            ParallelProceeding.concluded_on.is_(None),
        )
    ).all()
    label = "No parallel proceeding blocks publication"
    names = ", ".join(PROCEEDING_WORDS.get(p.kind.value, p.kind.value) for p in blocking)
    items.append(ChecklistItem(
        "proceedings", label, not blocking,
        f"Still running: {names}. Publish once each has concluded (Proceedings tab)." if blocking
        else "None running that blocks it.",
    ))  # fmt: skip
    label = "The family has been told the publication date"
    told = details.family_told_publication_on
    items.append(ChecklistItem(
        "family_told", label, told is not None,
        f"Told on {en_gb(told)}." if told else "Tell the family the date first, then record it "
        "(Publication… → Record…).",
    ))  # fmt: skip
    return items


def marking_item(files: Sequence[tuple[str, bytes]]) -> ChecklistItem:
    """No file still carries the draft's OFFICIAL-SENSITIVE marking in its text (a published
    document is OFFICIAL; domain.md, "Information governance")."""
    label = "No file is still marked OFFICIAL-SENSITIVE"
    marked = []
    for name, data in files:
        try:
            parts = document_parts(name, data)
        except CannotCheck:
            continue  # the gate reports it
        if any(SENSITIVE_MARKING.search(part.text) for part in parts):
            marked.append(name)
    if marked:
        return ChecklistItem(
            "marking", label, False,
            f"{', '.join(marked)} still say{'s' if len(marked) == 1 else ''} OFFICIAL-SENSITIVE "
            "(header, footer or text): have the author mark the approved version OFFICIAL, add "
            "it as a new version and mark it Approved.",
        )  # fmt: skip
    return ChecklistItem("marking", label, True, f"{len(files)} files read.")


def publication_details(session: Session, reference: str) -> dict[str, str | None]:
    """The publication's recorded dates and address, for the pack's manifest."""
    details = _review(session, reference).dhr_details
    assert details is not None

    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "embargo_until": iso(details.embargo_until),
        "published_on": iso(details.published_on),
        "publication_url": details.publication_url,
    }


def record_pack(
    session: Session, actor: str, reference: str, *, file_name: str, sha256: str,
    files: Sequence[str], overrides: int,
) -> None:  # fmt: skip
    """The publication pack made, in the audit trail: its name, checksum and files."""
    review = _review(session, reference)
    audit_chain.record(
        session, actor=actor, action=PUBLICATION_MADE, entity_type="review",
        entity_id=reference, review_id=review.id,
        detail={"file": file_name, "sha256": sha256, "files": list(files),
                "overrides": overrides},
    )  # fmt: skip


@dataclass(frozen=True)
class PublicationRecord:
    """What is recorded of the publication, and the two follow-ups it starts."""

    reference: str
    family_told_on: dt.date | None
    embargo_until: dt.date | None
    published_on: dt.date | None
    url: str
    takedown_review: str  # "due by …", "done on …", "starts at publication"
    learning_briefing: str
    last_pack: str


def _follow_up(due: dt.date | None, met: dt.date | None, as_of: dt.date) -> str:
    if met is not None:
        return f"done on {en_gb(met)}"
    if due is None:
        return "starts at publication"
    return f"overdue since {en_gb(due)}" if due < as_of else f"due by {en_gb(due)}"


def publication_record(session: Session, reference: str, as_of: dt.date) -> PublicationRecord:
    review = _review(session, reference)
    details = review.dhr_details
    assert details is not None
    record = collect_records(session, [review.id])[0]
    engine = DeadlineEngine(load_calendar(session))
    due = {d.key: d.due for d in engine.for_record(record, as_of, include_met=True)}
    pack = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.review_id == review.id, AuditEvent.action == PUBLICATION_MADE)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    last = ""
    if pack is not None:
        last = (
            f"{json.loads(pack.detail or '{}').get('file', 'a pack')}, made {en_gb(pack.at.date())}"
        )
    learning = due.get("learning_briefing")
    return PublicationRecord(
        reference=reference,
        family_told_on=details.family_told_publication_on,
        embargo_until=details.embargo_until,
        published_on=details.published_on,
        url=details.publication_url or "",
        takedown_review=_follow_up(due.get("takedown_review"), details.takedown_reviewed_on, as_of),
        learning_briefing=(
            _follow_up(learning, details.learning_shared_on, as_of)
            if learning or details.published_on is None
            else "no follow-up in this review's template"
        ),
        last_pack=last,
    )
