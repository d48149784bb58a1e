"""The records a review workspace lists under its tabs: panel and meetings, agencies'
information requests, family and community contacts, parallel proceedings and the review's
audit trail, each as rows of words (status always in words, never colour alone)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dhr_desk.models import (
    AsbEscalation,
    AuditEvent,
    FamilyContact,
    InformationRequest,
    Meeting,
    PanelMember,
    PanelRole,
    ParallelProceeding,
    Review,
)
from dhr_desk.workflows.review_changes import local_time
from dhr_desk.workflows.review_facts import request_kind_label
from dhr_desk.workflows.working_calendar import en_gb


def words(value: object) -> str:
    """An enum value or key in words: ``review_meeting`` → "Review meeting"."""
    text = str(getattr(value, "value", value) or "")
    return text.replace("_", " ").capitalize()


PROCEEDING_WORDS = {
    "iopc": "IOPC investigation",
    "sar": "Safeguarding Adults Review",
    "cspr": "Child Safeguarding Practice Review",
    "nhs_investigation": "NHS investigation",
}


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def _day(day: dt.date | None, missing: str = "") -> str:
    return en_gb(day) if day is not None else missing


@dataclass(frozen=True)
class PanelEntry:
    member_id: int
    name: str
    role: str
    agency: str
    job_title: str
    appointed: str
    declaration: str  # in words, e.g. "No involvement declared on 03/02/2026"
    on_panel: str  # "On the panel" or "Stood down on …"
    current: bool


@dataclass(frozen=True)
class MeetingEntry:
    meeting_id: int
    kind: str
    scheduled_for: str
    held: str  # "Held on …", "Cancelled", "Not yet held"
    location: str
    attendance: str  # "3 present, 1 apologies"
    open: bool  # not yet held, not cancelled


@dataclass(frozen=True)
class RequestEntry:
    request_id: int
    agency: str
    what: str
    requested_on: str
    due_on: str
    status: str  # Outstanding, Overdue, Received, Nil return, Checked: accepted …
    received: bool
    checked: bool


@dataclass(frozen=True)
class FamilyEntry:
    contact_id: int
    contacted_on: str
    who: str
    method: str
    summary: str
    support: str  # leaflet given, advocate offered …
    declined: bool


@dataclass(frozen=True)
class ProceedingEntry:
    proceeding_id: int
    kind: str
    lead_body: str
    status: str
    next_date: str
    blocks_publication: str  # "Yes" / "No"
    concluded: bool


@dataclass(frozen=True)
class AuditEntry:
    at: str  # local time, DD/MM/YYYY HH:MM
    actor: str
    action: str
    detail: str


def _review_id(session: Session, reference: str) -> int:
    found = session.scalar(select(Review.id).where(Review.reference == reference))
    if found is None:
        raise LookupError(f"There is no review {reference}.")
    return found


R = TypeVar(
    "R", PanelMember, Meeting, InformationRequest, FamilyContact, ParallelProceeding, AsbEscalation
)


def _records(
    session: Session, reference: str, model: type[R], order: tuple[Any, ...], load: Any = None
) -> Sequence[R]:
    """One kind of record of the review, in ``order`` (LookupError if there is no review)."""
    query = select(model).where(model.review_id == _review_id(session, reference)).order_by(*order)
    return session.scalars(query if load is None else query.options(selectinload(load))).all()


def panel(session: Session, reference: str) -> list[PanelEntry]:
    """The panel, chair first, then members as appointed; stood-down members stay listed."""
    members = _records(session, reference, PanelMember, (PanelMember.id,), PanelMember.agency)
    order = list(PanelRole)  # chair, author, member, adviser
    rows = []
    for m in sorted(members, key=lambda m: (m.stood_down_on is not None, order.index(m.role))):
        if m.declared_no_involvement:
            on = f" on {en_gb(m.declared_on)}" if m.declared_on else ""
            declared = f"No involvement declared{on}"
        else:
            declared = "Not yet declared: ask for a declaration of no involvement"
        rows.append(
            PanelEntry(
                member_id=m.id,
                name=m.name,
                role=words(m.role),
                agency=m.agency.name if m.agency else "Independent",
                job_title=m.job_title or "",
                appointed=_day(m.appointed_on),
                declaration=declared,
                on_panel=f"Stood down on {en_gb(m.stood_down_on)}"
                if m.stood_down_on
                else "On the panel",
                current=m.stood_down_on is None,
            )
        )
    return rows


def meetings(session: Session, reference: str) -> list[MeetingEntry]:
    order = (Meeting.scheduled_for, Meeting.id)
    found = _records(session, reference, Meeting, order, Meeting.attendances)
    rows = []
    for meeting in found:
        counts = Counter(a.attended.value for a in meeting.attendances)
        attendance = ", ".join(
            f"{status}: {counts[status]}"
            for status in ("present", "apologies", "absent")
            if counts[status]
        )
        held = (
            "Cancelled"
            if meeting.cancelled
            else f"Held on {en_gb(meeting.held_on)}"
            if meeting.held_on
            else "Not yet held"
        )
        rows.append(
            MeetingEntry(
                meeting_id=meeting.id,
                kind=words(meeting.kind),
                scheduled_for=en_gb(meeting.scheduled_for),
                held=held,
                location=meeting.location or "",
                attendance=attendance or ("not recorded" if meeting.held_on else ""),
                open=meeting.held_on is None and not meeting.cancelled,
            )
        )
    return rows


def _request_status(request: InformationRequest, as_of: dt.date) -> str:
    if request.quality_checked_on is not None:
        return f"Checked: {words(request.quality_outcome)} on {en_gb(request.quality_checked_on)}"
    if request.received_on is not None:
        what = "Nil return" if request.nil_return else "Received"
        return f"{what} on {en_gb(request.received_on)}; quality check to do"
    if request.due_on is not None and request.due_on < as_of:
        late = (as_of - request.due_on).days
        return f"Overdue by {late} day{'s' if late != 1 else ''}"
    return "Outstanding"


def requests(session: Session, reference: str, as_of: dt.date) -> list[RequestEntry]:
    order = (InformationRequest.requested_on, InformationRequest.id)
    found = _records(session, reference, InformationRequest, order, InformationRequest.agency)
    return [
        RequestEntry(
            request_id=r.id,
            agency=r.agency.name,
            what=request_kind_label(r.kind.value),
            requested_on=en_gb(r.requested_on),
            due_on=_day(r.due_on),
            status=_request_status(r, as_of),
            received=r.received_on is not None,
            checked=r.quality_checked_on is not None,
        )
        for r in found
    ]


def family_contacts(session: Session, reference: str) -> list[FamilyEntry]:
    order = (FamilyContact.contacted_on, FamilyContact.id)
    found = _records(session, reference, FamilyContact, order)
    rows = []
    for c in found:
        support = [
            text
            for text, done in (
                ("Home Office leaflet given", c.leaflet_given),
                ("advocacy offered", c.advocate_offered),
            )
            if done
        ]
        advocate = c.advocate_organisation or c.advocate_name
        if advocate:
            support.append(f"advocate: {advocate}")
        rows.append(
            FamilyEntry(
                contact_id=c.id,
                contacted_on=en_gb(c.contacted_on),
                who=words(c.contact_kind),
                method=words(c.method) if c.method else "",
                summary=("Declined to take part. " if c.declined else "") + (c.summary or ""),
                support=_first_up("; ".join(support)) if support else "None recorded",
                declined=c.declined,
            )
        )
    return rows


def proceedings(session: Session, reference: str) -> list[ProceedingEntry]:
    found = _records(session, reference, ParallelProceeding, (ParallelProceeding.id,))
    return [
        ProceedingEntry(
            proceeding_id=p.id,
            kind=PROCEEDING_WORDS.get(p.kind.value, words(p.kind)),
            lead_body=p.lead_body or "",
            status=f"Concluded on {en_gb(p.concluded_on)}"
            if p.concluded_on
            else (p.status or "Running"),
            next_date=_day(p.next_date),
            blocks_publication="Yes" if p.blocks_publication else "No",
            concluded=p.concluded_on is not None,
        )
        for p in found
    ]


@dataclass(frozen=True)
class EscalationEntry:
    """An ASB applicant's escalation: asked for, heard by whom, decided how and why."""

    escalation_id: int
    requested_on: str
    grounds: str
    escalated_to: str
    decision: str  # "Not decided yet", "Upheld on 03/02/2027" …
    reasons: str
    decided: bool


def escalations(session: Session, reference: str) -> list[EscalationEntry]:
    found = _records(session, reference, AsbEscalation, (AsbEscalation.requested_on,
                                                         AsbEscalation.id))  # fmt: skip
    return [
        EscalationEntry(
            escalation_id=e.id,
            requested_on=en_gb(e.requested_on),
            grounds=e.grounds or "",
            escalated_to=e.escalated_to or "",
            decision=(f"{words(e.outcome)} on {_day(e.decided_on)}" if e.outcome
                      else "Not decided yet"),
            reasons=e.outcome_reasons or "",
            decided=e.outcome is not None,
        )
        for e in found
    ]  # fmt: skip


def _detail_words(detail: str | None) -> str:
    if not detail:
        return ""
    try:
        values = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(values, dict):
        return str(values)
    return "; ".join(f"{words(key)}: {_value_words(value)}" for key, value in values.items())


def _value_words(value: object) -> str:
    """An audit value as a reader wants it: ISO dates as DD/MM/YYYY, keys without
    underscores, lists joined."""
    if isinstance(value, list):
        return ", ".join(_value_words(item) for item in value)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return en_gb(dt.date.fromisoformat(text))
    if re.fullmatch(r"[a-z]+(_[a-z]+)+", text):
        return text.replace("_", " ")
    return text


def audit_trail(session: Session, reference: str) -> list[AuditEntry]:
    """Every audit entry of the review, newest first (who, when, what, and the reason given)."""
    review_id = _review_id(session, reference)
    found = session.scalars(
        select(AuditEvent).where(AuditEvent.review_id == review_id).order_by(AuditEvent.id.desc())
    ).all()
    return [
        AuditEntry(
            at=f"{local_time(e.at):%d/%m/%Y %H:%M}",
            actor=e.actor,
            action=_first_up(e.action.replace("_", " ")),
            detail=_detail_words(e.detail),
        )
        for e in found
    ]
