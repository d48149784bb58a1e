"""What happened to a DHR after its submission pack (issue #6, point 6; domain.md stages 10-11):
the submission date (and the first, when resubmitted), the copy to the Domestic Abuse
Commissioner with its deadline from the stage template (s.9(3B) DVCVA 2004: as soon as
reasonably practicable), the copy to the Secretary of State when the setting lists it (s.19 VPA
2024, once in force), the Home Office feedback letter with its outcome, and each "area for final
development", tracked until done (publication waits for all of them).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import AuditEvent, QaAmendment, Review
from dhr_desk.security import audit_chain
from dhr_desk.workflows.calendar_book import load_calendar
from dhr_desk.workflows.deadlines import DeadlineEngine
from dhr_desk.workflows.document_register import KIND_WORDS, versions
from dhr_desk.workflows.review_facts import collect_records
from dhr_desk.workflows.settings_registry import get_setting
from dhr_desk.workflows.submission_facts import SubmissionError
from dhr_desk.workflows.submission_pack import PACK_MADE
from dhr_desk.workflows.working_calendar import en_gb

OUTCOME_WORDS = {
    "approved": "Approved",
    "approved_subject_to_amendments": "Approved subject to amendments",
    "resubmission_required": "Resubmission required",
}
SECRETARY_OF_STATE = "secretary of state"


@dataclass(frozen=True)
class AreaForDevelopment:
    amendment_id: int
    description: str
    raised_on: dt.date | None
    done_on: dt.date | None
    done_by: str


@dataclass(frozen=True)
class CopyDue:
    """A copy of the report that must be sent: when it was, or when it is due."""

    to: str
    sent_on: dt.date | None
    due: dt.date | None
    status: str  # "sent on …", "due …", "overdue since …", "due once submitted"


@dataclass(frozen=True)
class AfterSubmission:
    reference: str
    stage: str
    last_pack: str  # "DHR-…zip, made 06/12/2026", or ""
    submitted_on: dt.date | None
    first_submitted_on: dt.date | None
    copies: tuple[CopyDue, ...]
    qa_outcome: str  # in words, "" when no letter is recorded
    qa_letter_received_on: dt.date | None
    feedback_letters: tuple[str, ...]  # "Home Office feedback letter v1 (letter.pdf)"
    areas: tuple[AreaForDevelopment, ...]

    @property
    def resubmitted(self) -> bool:
        return (self.first_submitted_on is not None and self.submitted_on is not None
                and self.submitted_on != self.first_submitted_on)  # fmt: skip

    @property
    def open_areas(self) -> int:
        return sum(a.done_on is None for a in self.areas)


def secretary_of_state_required(session: Session) -> bool:
    """The setting of who must receive the final report lists the Secretary of State."""
    recipients = get_setting(session, "dhr.final_report_recipients")
    return any(SECRETARY_OF_STATE in str(r).casefold() for r in recipients)


def _review(session: Session, reference: str) -> Review:
    review = session.scalars(select(Review).where(Review.reference == reference)).first()
    if review is None or review.dhr_details is None:
        raise SubmissionError(f"There is no domestic homicide review {reference}.")
    return review


def _copy(to: str, sent: dt.date | None, due: dt.date | None, as_of: dt.date) -> CopyDue:
    if sent is not None:
        status = f"sent on {en_gb(sent)}"
    elif due is None:
        status = "due once the report is submitted"
    elif due < as_of:
        status = f"overdue since {en_gb(due)}"
    else:
        status = f"due by {en_gb(due)}"
    return CopyDue(to, sent, due, status)


def after_submission(session: Session, reference: str, as_of: dt.date) -> AfterSubmission:
    review = _review(session, reference)
    details = review.dhr_details
    assert details is not None
    record = collect_records(session, [review.id])[0]
    engine = DeadlineEngine(load_calendar(session))
    due = {d.key: d.due for d in engine.for_record(record, as_of, include_met=True)}
    copies = [_copy("Domestic Abuse Commissioner", details.da_commissioner_copy_sent_on,
                    due.get("da_commissioner_copy"), as_of)]  # fmt: skip
    if secretary_of_state_required(session) or details.secretary_of_state_copy_sent_on:
        # No rule of its own in the 2016 template: due as the Commissioner's copy is.
        copies.append(_copy("Secretary of State", details.secretary_of_state_copy_sent_on,
                            due.get("da_commissioner_copy"), as_of))  # fmt: skip
    pack = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.review_id == review.id, AuditEvent.action == PACK_MADE)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    last_pack = ""
    if pack is not None:
        name = str(json.loads(pack.detail or "{}").get("file", "a pack"))
        last_pack = f"{name}, made {en_gb(pack.at.date())}"
    letters = tuple(
        f"{v.title} v{v.number} ({v.file_name}, {v.status.lower()})"
        for v in versions(session, reference)
        if v.kind == KIND_WORDS["ho_feedback_letter"]
    )
    areas = session.scalars(
        select(QaAmendment).where(QaAmendment.review_id == review.id).order_by(QaAmendment.id)
    )
    return AfterSubmission(
        reference=reference,
        stage=review.stage_key,
        last_pack=last_pack,
        submitted_on=details.submitted_on,
        first_submitted_on=details.first_submitted_on,
        copies=tuple(copies),
        qa_outcome=OUTCOME_WORDS.get(details.qa_outcome.value, "") if details.qa_outcome else "",
        qa_letter_received_on=details.qa_letter_received_on,
        feedback_letters=letters,
        areas=tuple(
            AreaForDevelopment(a.id, a.description, a.raised_on, a.done_on, a.done_by or "")
            for a in areas
        ),
    )


def record_secretary_of_state_copy(
    session: Session, actor: str, reference: str, *, sent_on: dt.date, today: dt.date
) -> None:
    """The copy of the final report sent to the Secretary of State (s.19 VPA 2024, once in
    force): not before the first submission, not after today."""
    review = _review(session, reference)
    details = review.dhr_details
    assert details is not None
    if sent_on > today:
        raise SubmissionError(f"{en_gb(sent_on)} is after today: record the copy once sent.")
    first = details.first_submitted_on or details.submitted_on
    if first is None:
        raise SubmissionError("Record the submission to the Home Office first.")
    if sent_on < first:
        raise SubmissionError(
            f"{en_gb(sent_on)} is before the report was submitted ({en_gb(first)})."
        )
    details.secretary_of_state_copy_sent_on = sent_on
    audit_chain.record(session, actor=actor, action="copy to the Secretary of State recorded",
                       entity_type="review", entity_id=reference, review_id=review.id,
                       detail={"on": sent_on.isoformat()})  # fmt: skip
