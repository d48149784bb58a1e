"""A review's timeline: every recorded event, every deadline (met or open, with its basis),
every pause and every agreed revised date, in date order, for the review workspace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import Document, DocumentKind, DocumentVersion, Review
from dhr_desk.workflows.calendar_book import load_calendar
from dhr_desk.workflows.deadlines import DeadlineEngine
from dhr_desk.workflows.review_facts import collect_records
from dhr_desk.workflows.settings_registry import get_setting
from dhr_desk.workflows.stage_templates import template
from dhr_desk.workflows.working_calendar import en_gb, parse_span


@dataclass(frozen=True)
class TimelineEntry:
    """``kind``: event, letter, deadline, pause, resumed or revised. ``status`` is a deadline's
    status in words (met, overdue …), empty for the rest."""

    on: dt.date
    kind: str
    text: str
    status: str = ""
    detail: str = ""


def review_timeline(session: Session, reference: str, as_of: dt.date) -> list[TimelineEntry]:
    review_id = session.scalars(select(Review.id).where(Review.reference == reference)).first()
    if review_id is None:
        raise LookupError(f"There is no review {reference}.")
    record = collect_records(session, [review_id])[0]
    stage_template = template(record.template_key, record.template_version)
    entries = [
        TimelineEntry(on, "event", stage_template.event_heading(event))
        for event, on in record.facts.events.items()
    ]
    for pause in record.pauses:
        entries.append(TimelineEntry(pause.started_on, "pause", "Paused", detail=pause.reason))
        if pause.ended_on is not None:
            entries.append(TimelineEntry(pause.ended_on, "resumed", "Resumed"))
    rule_names = {rule.key: rule.name for rule in stage_template.deadlines}
    for key, override in record.overrides.items():
        agreed = override.approved_on or override.revised_date
        entries.append(
            TimelineEntry(
                agreed,
                "revised",
                f"Revised date agreed for '{rule_names.get(key, key)}': "
                f"{en_gb(override.revised_date)}",
                detail=f"{override.reason} (approved by {override.approver})",
            )
        )
    engine = DeadlineEngine(
        load_calendar(session), parse_span(get_setting(session, "deadlines.due_soon_window"))
    )
    for deadline in engine.for_record(record, as_of, include_met=True):
        met = f"; met on {en_gb(deadline.met_on)}" if deadline.met_on else ""
        late = f", {deadline.days_overdue} days overdue" if deadline.days_overdue else ""
        entries.append(
            TimelineEntry(
                deadline.due,
                "deadline",
                f"Deadline: {deadline.name}",
                status=deadline.status.replace("_", " ") + late,
                detail=deadline.basis + met,
            )
        )
    letters = session.execute(
        select(DocumentVersion.created_at, Document.title, DocumentVersion.number)
        .join(Document)
        .where(Document.review_id == review_id, Document.kind == DocumentKind.LETTER)
    )
    for made_at, title, number in letters:  # each letter made, on the day it was made
        entries.append(TimelineEntry(made_at.astimezone().date(), "letter", f"{title} (v{number})"))
    order = {"event": 0, "letter": 0, "pause": 1, "resumed": 1, "revised": 2, "deadline": 3}
    entries.sort(key=lambda e: (e.on, order[e.kind], e.text))
    return entries
