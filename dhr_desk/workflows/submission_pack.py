"""The submission pack's pre-flight checklist and its record (issue #6, point 5; domain.md,
stages 9-10): before a pack for the Home Office Quality Assurance Panel is made, each item
passes or fails with its reason, and the pack is made only when all pass.

- the overview report and executive summary versions are chosen (of this review, of that kind);
- the anonymisation gate passes on every file of the pack (added by the caller, who runs it);
- every recommendation has at least one action with a lead agency and a target date;
- a review that took longer than its completion date explains the delay;
- the family has seen the draft (or declined, recorded as a family contact);
- the partnership's sign-off is recorded.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import (
    AuditEvent,
    Document,
    DocumentKind,
    DocumentStatus,
    DocumentVersion,
    Review,
)
from dhr_desk.security import audit_chain
from dhr_desk.workflows.action_plan import RecommendationEntry
from dhr_desk.workflows.anonymisation_gate import GateResult
from dhr_desk.workflows.document_register import DocumentError, version_content
from dhr_desk.workflows.submission_facts import CaseFacts, SubmissionError
from dhr_desk.workflows.working_calendar import en_gb

PACK_MADE = "submission pack made"
#: The name the pack's typed text (metadata, reasons) is checked under, with the files.
TYPED_TEXT = "manifest-typed-text.txt"
#: The longest delay explanation and feedback contact kept (the covering letter prints them).
MAX_REASONS = 4000
MAX_CONTACT = 200


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    passed: bool
    reason: str


@dataclass(frozen=True)
class ChosenVersion:
    """A version chosen for the pack, read and checked against its SHA-256."""

    version_id: int
    label: str  # "Overview report v3"
    file_name: str
    data: bytes


#: The statuses a version must have to go into each pack (None: any, the officer chooses).
PACK_STATUSES: dict[str, tuple[DocumentStatus, ...] | None] = {
    "submit": None,
    "publish": (DocumentStatus.APPROVED, DocumentStatus.PUBLISHED),
}


def chosen_version(
    session: Session, reference: str, version_id: int | None, kind: str, verb: str = "submit"
) -> tuple[ChosenVersion | None, ChecklistItem]:
    """The chosen version of ``kind`` (overview_report or executive_summary) to ``verb``
    (submit, publish), and its checklist item."""
    words = {"overview_report": "overview report", "executive_summary": "executive summary"}[kind]
    label = f"The {words} version to {verb} is chosen"
    wanted = "Final" if verb == "submit" else "Approved"

    def refused(reason: str) -> tuple[None, ChecklistItem]:
        return None, ChecklistItem(f"{kind}_chosen", label, False, reason)

    if version_id is None:
        return refused(f"Choose the version of the {words} to {verb}, or mark it {wanted} in "
                       "the Documents tab.")  # fmt: skip
    version = session.get(DocumentVersion, version_id)
    review_id = session.scalar(select(Review.id).where(Review.reference == reference))
    if version is None:
        return refused("That version is not in the register any more.")
    if version.document.review_id != review_id:
        return refused("That version belongs to another review.")
    if version.document.kind is not DocumentKind(kind):
        return refused(f"The version chosen (v{version.number} of another document) is not an "
                       f"{words}.")  # fmt: skip
    status = version.status.value.replace("_", " ")
    allowed = PACK_STATUSES[verb]
    if allowed is not None and version.status not in allowed:
        return refused(
            f"v{version.number} is {status}, not approved: publish only the version the Home "
            "Office approved (mark it Approved in the Documents tab)."
        )
    try:
        name, data = version_content(session, reference, version_id)
    except DocumentError as exc:
        return refused(str(exc))
    which = f"{words[:1].upper()}{words[1:]} v{version.number}"  # never the typed title
    chosen = ChosenVersion(version_id, which, name, data)
    return chosen, ChecklistItem(f"{kind}_chosen", label, True, f"{which} ({status}).")


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


FINAL_STATUSES = (DocumentStatus.FINAL, DocumentStatus.SUBMITTED, DocumentStatus.APPROVED)
APPROVED_STATUSES = (DocumentStatus.APPROVED, DocumentStatus.PUBLISHED)


def final_version(
    session: Session, reference: str, kind: str, statuses: Sequence[DocumentStatus] = FINAL_STATUSES
) -> int | None:
    """The newest version of ``kind`` with one of ``statuses`` (final, submitted or approved by
    default; approved or published for publication): the one a pack takes unless another is
    chosen."""
    return session.scalar(
        select(DocumentVersion.id)
        .join(Document)
        .join(Review)
        .where(
            Review.reference == reference,
            Document.kind == DocumentKind(kind),
            DocumentVersion.status.in_(statuses),
        )
        .order_by(DocumentVersion.created_at.desc(), DocumentVersion.id.desc())
        .limit(1)
    )


def plan_item(plan: Sequence[RecommendationEntry]) -> ChecklistItem:
    """Every recommendation has at least one action with a lead agency and a target date."""
    label = "Every recommendation has an action with a lead agency and a target date"
    if not plan:
        return ChecklistItem("actions_complete", label, False,
                             "No recommendations are recorded: record them in the Action plan "
                             "tab.")  # fmt: skip
    lacking = [
        str(r.number) for r in plan if not any(a.agency and a.target_date for a in r.actions)
    ]
    if lacking:
        return ChecklistItem(
            "actions_complete", label, False,
            f"Recommendation{'s' if len(lacking) > 1 else ''} {', '.join(lacking)} "
            f"{'have' if len(lacking) > 1 else 'has'} no action with both a lead agency and a "
            "target date.",
        )  # fmt: skip
    actions = sum(len(r.actions) for r in plan)
    counted = f"{_count(len(plan), 'recommendation')}, {_count(actions, 'action')}."
    return ChecklistItem("actions_complete", label, True, counted)


def _delay(facts: CaseFacts) -> tuple[bool, str]:
    if facts.completion_due is None:
        return False, "The completion date cannot be worked out: record the decision to hold."
    if not facts.late:
        done = "Completed by" if facts.signed_off_on else "Not past"
        return True, f"{done} its completion date, {en_gb(facts.completion_due)}."
    if facts.delay_reasons:
        return True, f"{facts.days_over} days late; the reasons are recorded."
    return False, (
        f"The review is {facts.days_over} days past its completion date of "
        f"{en_gb(facts.completion_due)}: write the reasons for the delay (they go in the "
        "covering letter)."
    )


def _family(facts: CaseFacts) -> tuple[bool, str]:
    if facts.family_seen_draft_on:
        return True, f"Seen on {en_gb(facts.family_seen_draft_on)}."
    if facts.family_declined:
        return True, "The family declined to be involved (a family contact marked declined)."
    return False, (
        "Record the date the family saw the draft, or a family contact marked declined with "
        "the reason."
    )


def _signed(facts: CaseFacts) -> tuple[bool, str]:
    if facts.signed_off_on:
        by = f" by {facts.signed_off_by}" if facts.signed_off_by else ""
        return True, f"Signed off on {en_gb(facts.signed_off_on)}{by}."
    return False, "Record the date the CSP chair or board signed the report off."


def _register(facts: CaseFacts) -> tuple[bool, str]:
    if facts.person("Victim") is None:
        return False, (
            "The identifier register has no victim: add the people (People tab), each with "
            "their real identifiers and pseudonym, so the gate can check the pack against them."
        )
    missing = [p.role for p in facts.people if not p.pseudonym]
    if missing:
        return False, (
            f"{len(missing)} in the register ha{'s' if len(missing) == 1 else 've'} no pseudonym "
            f"({', '.join(missing)}): give each one (People tab)."
        )
    return True, f"{len(facts.people)} people, each with a pseudonym."


CASE_ITEMS = (
    ("register_complete", "The identifier register has the victim, and everyone a pseudonym",
     _register),
    ("delay_explained", "The delay is explained (if the review took longer than its completion "
     "date)", _delay),
    ("family_seen", "The family has seen the draft report (or declined)", _family),
    ("signed_off", "The partnership's sign-off is recorded", _signed),
)  # fmt: skip


def case_items(facts: CaseFacts) -> list[ChecklistItem]:
    """The checklist items the case's records decide."""
    return [ChecklistItem(key, label, *rule(facts)) for key, label, rule in CASE_ITEMS]


def gate_item(result: GateResult) -> ChecklistItem:
    """The anonymisation gate over every file of the pack."""
    label = "No real identifier in any file of the pack (anonymisation gate)"
    if result.passed:
        released = len(result.overridden)
        note = (
            f"; {released} hit{'s' if released != 1 else ''} overridden with reasons"
            if released
            else ""
        )
        return ChecklistItem("anonymisation", label, True,
                             f"{len(result.checks)} files checked{note}.")  # fmt: skip
    parts = []
    if result.standing:
        files = sorted({h.file_name for h in result.standing})
        parts.append(f"{len(result.standing)} hit{'s' if len(result.standing) != 1 else ''} "
                     f"standing in {', '.join(files)}")  # fmt: skip
    if result.cannot_check:
        parts.append("cannot be checked: " + ", ".join(c.file_name for c in result.cannot_check))
    if any(h.file_name == TYPED_TEXT for h in result.standing):
        parts.append(f"({TYPED_TEXT} is the metadata values and reasons typed for the pack: "
                     "change the one that names the person)")  # fmt: skip
    return ChecklistItem(
        "anonymisation", label, False,
        "; ".join(parts) + ". Correct the document (or the record the generated file is made "
        "from), or override a chosen version's hit with a reason in the Documents tab.",
    )  # fmt: skip


def record_covering_facts(
    session: Session, actor: str, reference: str, *, delay_reasons: str | None,
    feedback_contact: str | None,
) -> None:  # fmt: skip
    """Keep the covering letter's reasons for delay and feedback contact (audited); ``None``
    leaves a value as it is."""
    review = session.scalars(select(Review).where(Review.reference == reference)).first()
    if review is None or review.dhr_details is None:
        raise SubmissionError(f"There is no domestic homicide review {reference}.")
    details = review.dhr_details
    changed: dict[str, object] = {}
    if delay_reasons is not None:
        text = delay_reasons.strip()
        if len(text) > MAX_REASONS:
            raise SubmissionError(f"Keep the reasons for the delay under {MAX_REASONS} characters.")
        if text != (details.delay_reasons or ""):
            details.delay_reasons = text or None
            changed["delay_reasons"] = "changed"
    if feedback_contact is not None:
        text = " ".join(feedback_contact.split())
        if len(text) > MAX_CONTACT:
            raise SubmissionError(f"Keep the feedback contact under {MAX_CONTACT} characters.")
        if text != (details.feedback_contact or ""):
            details.feedback_contact = text or None
            changed["feedback_contact"] = text
    if changed:
        audit_chain.record(session, actor=actor, action="covering letter facts recorded",
                           entity_type="review", entity_id=reference, review_id=review.id,
                           detail=changed)  # fmt: skip


def record_pack(
    session: Session, actor: str, reference: str, *, file_name: str, sha256: str,
    files: Sequence[str], metadata: Sequence[tuple[str, str]], overrides: int,
) -> None:  # fmt: skip
    """The pack made, in the audit trail: its name, checksum, files and metadata values."""
    review_id = session.scalar(select(Review.id).where(Review.reference == reference))
    audit_chain.record(
        session, actor=actor, action=PACK_MADE, entity_type="review", entity_id=reference,
        review_id=review_id,
        detail={"file": file_name, "sha256": sha256, "files": list(files),
                "metadata": dict(metadata), "overrides": overrides},
    )  # fmt: skip


def last_metadata(session: Session, reference: str) -> dict[str, str]:
    """The metadata values of the review's last pack (typed once, offered again)."""
    review_id = session.scalar(select(Review.id).where(Review.reference == reference))
    detail = session.scalar(
        select(AuditEvent.detail)
        .where(AuditEvent.review_id == review_id, AuditEvent.action == PACK_MADE)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    if not detail:
        return {}
    try:
        values = json.loads(detail).get("metadata") or {}
    except (ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in values.items()}


def pack_stem(reference: str, made_on: dt.date, purpose: str, marking: str) -> str:
    """The pack's file name without ``.zip``: reference, purpose, date and marking."""
    return f"{reference}-{purpose}-pack-{made_on.isoformat()}-{marking}"
