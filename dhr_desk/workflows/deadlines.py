"""Deadlines derived from recorded events by the rules of a review's stage template.

Architecture rule: deadlines are never stored; only overrides are (an agreed revised date with
reason and approver). Pausing stops the clocks: each deadline moves on by the days the review
spent paused after its anchor event. Status: ``met`` (its event is recorded), ``paused``,
``overdue``, ``due_soon`` (within the window, default 5 working days), else ``upcoming``.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Literal, NamedTuple

from sqlalchemy.orm import Session

from dhr_desk.workflows.guards import GUARDS
from dhr_desk.workflows.review_facts import PauseSpan, ReviewRecord, collect_records
from dhr_desk.workflows.stage_templates import DeadlineRule, StageTemplate, template
from dhr_desk.workflows.working_calendar import Span, WorkingCalendar, en_gb, parse_span

DeadlineStatus = Literal["upcoming", "due_soon", "overdue", "met", "paused"]
DEFAULT_DUE_SOON = Span(5, "wd")
DUE_THEN_KEY = itemgetter(5, 3)  # Deadline.due, Deadline.key
BY_DUE = itemgetter(5)  # Deadline.due


class Deadline(NamedTuple):
    """One deadline of one review, as shown in lists and returned by ``dhr-desk deadlines``
    (an immutable NamedTuple: hundreds of thousands are built at once)."""

    reference: str
    kind: str
    stage: str
    key: str
    name: str
    due: dt.date
    basis: str
    status: DeadlineStatus
    days_overdue: int
    met_on: dt.date | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "reference": self.reference,
            "kind": self.kind,
            "stage": self.stage,
            "deadline": self.key,
            "name": self.name,
            "due": self.due.isoformat(),
            "basis": self.basis,
            "status": self.status,
            "days_overdue": self.days_overdue,
        }


def pause_shift(
    due: dt.date,
    anchor: dt.date,
    pauses: Iterable[PauseSpan],
    as_of: dt.date,
    met_on: dt.date | None = None,
) -> int:
    """Days a deadline moves on for pauses: each pause that began after the anchor and before
    the deadline fell due (and before it was met) stops the clock for its length; an open pause
    runs to ``as_of``. A pause that begins once a deadline is already due does not rescue it."""
    shift = 0
    for pause in sorted(pauses, key=lambda p: p.started_on):
        start = max(pause.started_on, anchor)
        if start > due + dt.timedelta(days=shift):  # began after the deadline had passed
            continue
        if met_on is not None and start >= met_on:
            continue
        end = min(pause.ended_on or as_of, as_of)
        if end > start:
            shift += (end - start).days
    return shift


def is_paused(pauses: Iterable[PauseSpan], as_of: dt.date) -> bool:
    return any(p.started_on <= as_of and (p.ended_on is None or p.ended_on > as_of) for p in pauses)


class DeadlineEngine:
    """Computes deadlines with one calendar and one due-soon window."""

    def __init__(self, calendar: WorkingCalendar, due_soon: Span = DEFAULT_DUE_SOON) -> None:
        self.calendar = calendar
        self.due_soon = due_soon
        self._soon_for: dt.date | None = None
        self._soon = dt.date.min
        self._due: dict[tuple[dt.date, str, int, str], tuple[dt.date, str]] = {}
        self._templates: dict[tuple[str, str], StageTemplate] = {}

    def for_record(
        self,
        record: ReviewRecord,
        as_of: dt.date,
        *,
        include_met: bool = False,
        in_order: bool = True,
    ) -> list[Deadline]:
        """The review's deadlines, soonest first (``in_order=False`` leaves them unsorted for a
        caller that sorts many reviews' deadlines together)."""
        which = (record.template_key, record.template_version)
        stage_template = self._templates.get(which)
        if stage_template is None:
            stage_template = self._templates[which] = template(*which)
        facts = record.facts
        events = facts.events
        paused = record.status == "paused" or (
            bool(record.pauses) and is_paused(record.pauses, as_of)
        )
        found: list[Deadline] = []
        for rule in stage_template.deadlines:  # inlined checks: most rules do not apply yet
            anchor = events.get(rule.anchor)
            if anchor is None:
                continue
            met_on = events.get(rule.met_by)
            if met_on is not None and not include_met:
                continue
            if rule.when is not None and not GUARDS[rule.when].holds(facts):
                continue
            found.append(self._deadline(record, rule, anchor, met_on, as_of, paused))
        if record.requests:
            found.extend(self._requests(record, as_of, include_met))
        if in_order:
            found.sort(key=DUE_THEN_KEY)
        return found

    def _soon_limit(self, as_of: dt.date) -> dt.date:
        """The last day that counts as due soon (computed once per as-of date)."""
        if self._soon_for != as_of:
            self._soon_for, self._soon = as_of, self.calendar.add(as_of, self.due_soon)
        return self._soon

    def _status(
        self, due: dt.date, met_on: dt.date | None, paused: bool, as_of: dt.date
    ) -> tuple[DeadlineStatus, int]:
        if met_on is not None:
            return "met", 0
        if as_of > due:  # already overdue when any pause began: a pause does not rescue it
            return "overdue", (as_of - due).days
        if paused:
            return "paused", 0
        if self._soon_limit(as_of) >= due:
            return "due_soon", 0
        return "upcoming", 0

    def _deadline(
        self,
        record: ReviewRecord,
        rule: DeadlineRule,
        anchor: dt.date,
        met_on: dt.date | None,
        as_of: dt.date,
        paused: bool,
    ) -> Deadline:
        span = rule.span
        cache_key = (anchor, rule.basis_start, span.amount, span.unit)
        cached = self._due.get(cache_key)
        if cached is None:  # many reviews share an anchor date: work each out once
            cached = self._due[cache_key] = (
                self.calendar.add(anchor, span),
                f"{rule.basis_start} on {en_gb(anchor)}",
            )
        due, basis = cached
        shift = pause_shift(due, anchor, record.pauses, as_of, met_on) if record.pauses else 0
        if shift:
            due += dt.timedelta(days=shift)
            if rule.span.unit == "wd":
                while not self.calendar.is_working_day(due):
                    due += dt.timedelta(days=1)
            basis += f", moved on {shift} day{'s' if shift != 1 else ''} for pauses"
        override = record.overrides.get(rule.key)
        if override is not None:
            basis = (
                f"agreed revised date (was {en_gb(due)}: {basis}); reason: {override.reason}; "
                f"approved by {override.approver}"
            )
            due = override.revised_date
        status, late = self._status(due, met_on, paused, as_of)
        return Deadline(
            record.reference,
            record.kind,
            record.facts.stage,
            rule.key,
            rule.name,
            due,
            basis,
            status,
            late,
            met_on,
        )

    def _requests(self, record: ReviewRecord, as_of: dt.date, include_met: bool) -> list[Deadline]:
        paused = record.status == "paused" or is_paused(record.pauses, as_of)
        found = []
        for request in record.requests:
            if request.received_on is not None and not include_met:
                continue
            status, late = self._status(request.due_on, request.received_on, paused, as_of)
            found.append(
                Deadline(
                    record.reference,
                    record.kind,
                    record.facts.stage,
                    f"information_request:{request.request_id}",
                    request.label,
                    request.due_on,
                    f"due date set when requested on {en_gb(request.requested_on)}",
                    status,
                    late,
                    request.received_on,
                )
            )
        return found


@contextmanager
def allocating_in_bulk() -> Iterator[None]:
    """Pause Python's cycle collector while hundreds of thousands of small, acyclic records
    are built (it would rescan them over and over); reference counting still frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def open_deadlines(session: Session, as_of: dt.date) -> list[Deadline]:
    """Every open (not yet met) deadline of every open review, soonest first, computed with the
    stored calendar and the partnership's due-soon window."""
    from dhr_desk.workflows.calendar_book import load_calendar
    from dhr_desk.workflows.settings_registry import get_setting

    engine = DeadlineEngine(
        load_calendar(session), parse_span(get_setting(session, "deadlines.due_soon_window"))
    )
    found: list[Deadline] = []
    with allocating_in_bulk():
        for record in collect_records(session, open_only=True, deadlines_only=True):
            found.extend(engine.for_record(record, as_of, in_order=False))
    found.sort(key=BY_DUE)  # stable: ties stay in the order the reviews were registered
    return found
