"""The letters to an ASB Case Review applicant (issue #7, point 3): acknowledgement, threshold met,
threshold not met (reasons, signposting, how to escalate), outcome (every recommendation),
escalation acknowledgement and escalation decision. The standard wording is data
(``resources/letters/asb-case-review.toml``); the partnership's own wording for any letter is a
setting (``asb.letters``) and wins. Each letter is composed as plain ``Letter`` data; the desk
writes it as PDF and DOCX and keeps the PDF in the documents register.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
import tomllib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import AsbEscalation, AsbThresholdDecision, Review, ReviewKind
from dhr_desk.workflows.action_plan import action_plan
from dhr_desk.workflows.resources import resources_dir
from dhr_desk.workflows.working_calendar import en_gb

LETTERS_FILE = "letters/asb-case-review.toml"
KINDS = (
    "acknowledgement",
    "threshold_met",
    "threshold_not_met",
    "outcome",
    "escalation_acknowledgement",
    "escalation_decision",
)
PLACEHOLDERS = frozenset({
    "applicant", "reference", "received_on", "district", "spoc", "qualifying",
    "threshold_reasons", "signposting", "review_meeting_on", "recommendations",
    "escalation_route", "escalation_requested_on", "escalation_grounds", "escalation_outcome",
    "escalation_reasons", "escalation_next", "partnership", "sender_name", "sender_role",
    "findings",
})  # fmt: skip
OUTCOME_WORDS = {
    "upheld": "upheld",
    "partly_upheld": "partly upheld",
    "not_upheld": "not upheld",
    "withdrawn": "withdrawn",
}


class LetterError(ValueError):
    """A letter that cannot be written yet, or wording refused; the message says why."""


@dataclass(frozen=True)
class Wording:
    title: str
    subject: str
    body: str


@dataclass(frozen=True)
class Letter:
    """A letter ready to print: nothing in it but what the applicant is to read."""

    kind: str
    title: str  # "Threshold not met"
    recipient: tuple[str, ...]
    dated: dt.date
    subject: str
    paragraphs: tuple[str, ...]
    signature: tuple[str, ...]
    reference: str
    partnership: str


@functools.cache
def standard_wording() -> dict[str, Wording]:
    path = resources_dir() / LETTERS_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LetterError(f"The standard letter wording {path} could not be read: {exc}.") from exc
    wording = {}
    for kind in KINDS:
        entry = raw.get(kind)
        if not isinstance(entry, dict) or not {"title", "subject", "body"} <= set(entry):
            raise LetterError(f"{path}: [{kind}] needs a title, subject and body.")
        wording[kind] = Wording(str(entry["title"]), str(entry["subject"]),
                                str(entry["body"]).strip())  # fmt: skip
    return wording


def _check_placeholders(kind: str, text: str) -> None:
    """Only bare known names in braces: no attribute, index, conversion or format spec (a
    width of a million characters, or an object's innards, must not reach a letter)."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion
                  in string.Formatter().parse(text) if name is not None]  # fmt: skip
    except ValueError as exc:
        raise LetterError(f"The {kind} letter has a brace that is not a placeholder "
                          "(write a brace as {{ or }}).") from exc  # fmt: skip
    for name, spec, conversion in fields:
        if name not in PLACEHOLDERS or spec or conversion:
            raise LetterError(
                f"The {kind} letter names {{{name}}}, which is not filled in. It can use: "
                + ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
            )


def checked_wording(value: Any) -> dict[str, dict[str, str]]:
    """The partnership's own wording (the setting): for any letter, a subject and a body naming
    only known placeholders, each under 10,000 characters."""
    if not isinstance(value, dict):
        raise LetterError("The letter wording is a set of letters, each a subject and a body.")
    checked: dict[str, dict[str, str]] = {}
    for kind, entry in value.items():
        if kind not in KINDS:
            raise LetterError(f"'{kind}' is not one of the letters: {', '.join(KINDS)}.")
        if not isinstance(entry, dict) or set(entry) != {"subject", "body"}:
            raise LetterError(f"The {kind} letter needs a subject and a body.")
        subject, body = str(entry["subject"]).strip(), str(entry["body"]).strip()
        if not subject or not body:
            raise LetterError(f"The {kind} letter needs a subject and a body.")
        if len(subject) > 300 or len(body) > 10_000:
            raise LetterError(f"The {kind} letter is too long.")
        _check_placeholders(kind, subject + body)
        checked[kind] = {"subject": subject, "body": body}
    return checked


def wording_for(kind: str, own: dict[str, dict[str, str]]) -> Wording:
    standard = standard_wording()[kind]
    mine = own.get(kind)
    if mine is None:
        return standard
    return Wording(standard.title, mine["subject"], mine["body"])


def _review(session: Session, reference: str) -> Review:
    review = session.scalars(select(Review).where(Review.reference == reference)).first()
    if review is None or review.kind is not ReviewKind.ASB or review.asb_details is None:
        raise LetterError(f"There is no ASB Case Review {reference}.")
    return review


def _latest_escalation(review: Review) -> AsbEscalation | None:
    return max(review.asb_escalations, key=lambda e: (e.requested_on, e.id), default=None)


def _ready(kind: str, review: Review) -> None:
    """Refuse a letter the review's records cannot support yet."""
    details = review.asb_details
    assert details is not None
    decision = details.threshold_decision
    met = (AsbThresholdDecision.MET_AUTOMATICALLY, AsbThresholdDecision.MET_ON_DISCRETION)
    escalation = _latest_escalation(review)
    if kind == "threshold_met" and decision not in met:
        raise LetterError("Record a threshold decision of 'met' first.")
    if kind == "threshold_not_met" and decision is not AsbThresholdDecision.NOT_MET:
        raise LetterError("Record a threshold decision of 'not met' first.")
    if kind == "threshold_not_met" and not (details.signposting or "").strip():
        raise LetterError("Record the signposting (other help the applicant can get) first.")
    if kind == "outcome" and details.review_meeting_on is None:
        raise LetterError("Record the review meeting first: the letter gives its outcome.")
    if kind.startswith("escalation") and escalation is None:
        raise LetterError("Record the applicant's escalation request first.")
    if kind == "escalation_decision" and (escalation is None or escalation.outcome is None):
        raise LetterError("Record the escalation decision first.")


def letter_values(
    session: Session, review: Review, qualifying: str, today: dt.date
) -> dict[str, str]:
    """Every placeholder's text for this review."""
    from dhr_desk.workflows.settings_registry import get_setting

    details = review.asb_details
    assert details is not None
    sender = get_setting(session, "letters.sender")
    plan = action_plan(session, review.reference, today, 28)
    recommendations = "\n".join(
        f"{r.number}. {r.text}"
        + "".join(f"\n    {a.number} {a.description} (lead: {a.agency}"
                  + (f"; by {en_gb(a.target_date)})" if a.target_date else ")")
                  for a in r.actions)
        for r in plan
    ) or "The review made no recommendations."  # fmt: skip
    escalation = _latest_escalation(review)
    outcome = escalation.outcome.value if escalation and escalation.outcome else ""
    reopened = outcome in ("upheld", "partly_upheld")
    return {
        "applicant": details.applicant_name,
        "reference": review.reference,
        "received_on": en_gb(details.received_on),
        "district": review.district or "",
        "spoc": (f"{details.spoc_name}, your single point of contact," if details.spoc_name
                 else "Your single point of contact"),
        "qualifying": qualifying,
        "threshold_reasons": (details.threshold_reasons or "").strip(),
        "signposting": (details.signposting or "").strip(),
        "review_meeting_on": en_gb(details.review_meeting_on) if details.review_meeting_on
        else "",
        "recommendations": recommendations,
        "findings": (details.outcome_summary or "").strip()
        or "The review's findings are set out in the recommendations below.",
        "escalation_route": (escalation.escalated_to if escalation and escalation.escalated_to
                             else str(get_setting(session, "asb.escalation_route"))),
        "escalation_requested_on": en_gb(escalation.requested_on) if escalation else "",
        "escalation_grounds": (escalation.grounds or "").strip() if escalation else "",
        "escalation_outcome": OUTCOME_WORDS.get(outcome, outcome),
        "escalation_reasons": (escalation.outcome_reasons or "").strip() if escalation else "",
        "escalation_next": (
            "Your case will now be reviewed again, and we will write to you with the outcome."
            if reopened else "This completes the case review process."),
        "partnership": str(sender.get("organisation") or "the Community Safety Partnership"),
        "sender_name": str(sender.get("name") or ""),
        "sender_role": str(sender.get("role") or ""),
    }  # fmt: skip


def compose(session: Session, reference: str, kind: str, qualifying: str, today: dt.date) -> Letter:
    """The letter of ``kind`` for the review, in the partnership's wording."""
    from dhr_desk.workflows.settings_registry import get_setting

    if kind not in KINDS:
        raise LetterError(f"'{kind}' is not one of the letters: {', '.join(KINDS)}.")
    review = _review(session, reference)
    _ready(kind, review)
    details = review.asb_details
    assert details is not None
    wording = wording_for(kind, get_setting(session, "asb.letters"))
    values = letter_values(session, review, qualifying, today)
    paragraphs = tuple(
        p.strip() for p in re.split(r"\n\s*\n", wording.body.format(**values)) if p.strip()
    )
    sender = get_setting(session, "letters.sender")
    signature = tuple(
        line for line in (sender.get("name"), sender.get("role"), sender.get("organisation"),
                          sender.get("email"), sender.get("phone")) if line
    ) or (values["partnership"][:1].upper() + values["partnership"][1:],)  # fmt: skip
    recipient = (details.applicant_name, *(details.applicant_contact or "").splitlines())
    return Letter(kind, wording.title, tuple(r for r in recipient if r.strip()), today,
                  wording.subject.format(**values), paragraphs, signature, reference,
                  values["partnership"])  # fmt: skip
