"""Deadlines derived from recorded events by the rules of a review's stage template.

Architecture rule: deadlines are never stored; only overrides are (an agreed revised date with
reason and approver). Pausing stops the clocks: each deadline moves on by the days the review
spent paused after its anchor event. Status: ``met`` (its event is recorded), ``paused``,
``overdue``, ``due_soon`` (within the window, default 5 working days), else ``upcoming``.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import itemgetter
from types import MappingProxyType
from typing import Literal, NamedTuple

from sqlalchemy.orm import Session

from dhr_desk.workflows.guards import GUARDS, ReviewFacts
from dhr_desk.workflows.review_facts import (
    CLOCK_HEAD,
    Override,
    PauseSpan,
    RequestDue,
    ReviewRecord,
    RowLayout,
    as_date,
    clock_adjustments,
    open_clock_rows,
    other_events,
)
from dhr_desk.workflows.stage_templates import (
    DeadlineRule,
    StageTemplate,
    TemplateError,
    template,
)
from dhr_desk.workflows.working_calendar import (
    CalendarRangeError,
    Span,
    WorkingCalendar,
    en_gb,
    parse_span,
)

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
            found.append(
                self._deadline(
                    record.reference, record.kind, facts.stage, record.pauses,
                    record.overrides, rule, anchor, met_on, as_of, paused,
                )
            )  # fmt: skip
        if record.requests:
            found.extend(
                self._requests(
                    record.reference, record.kind, facts.stage, record.requests, paused, as_of,
                    include_met,
                )
            )  # fmt: skip
        if in_order:
            found.sort(key=DUE_THEN_KEY)
        return found

    def soon_limit(self, as_of: dt.date) -> dt.date:
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
        if self.soon_limit(as_of) >= due:
            return "due_soon", 0
        return "upcoming", 0

    def due_and_basis(self, rule: DeadlineRule, anchor: dt.date) -> tuple[dt.date, str]:
        """The rule's due date from ``anchor``, before any pause or revised date, and its
        basis in words ("6 calendar months from the decision on 03/02/2027")."""
        return self.calendar.add(anchor, rule.span), f"{rule.basis_start} on {en_gb(anchor)}"

    def _deadline(
        self,
        reference: str,
        kind: str,
        stage: str,
        pauses: Sequence[PauseSpan],
        overrides: Mapping[str, Override],
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
            cached = self._due[cache_key] = self.due_and_basis(rule, anchor)
        due, basis = cached
        shift = pause_shift(due, anchor, pauses, as_of, met_on) if pauses else 0
        if shift:
            due += dt.timedelta(days=shift)
            if rule.span.unit == "wd":
                while not self.calendar.is_working_day(due):
                    due += dt.timedelta(days=1)
            basis += f", moved on {shift} day{'s' if shift != 1 else ''} for pauses"
        override = overrides.get(rule.key) if overrides else None
        if override is not None:
            basis = (
                f"agreed revised date (was {en_gb(due)}: {basis}); reason: {override.reason}; "
                f"approved by {override.approver}"
            )
            due = override.revised_date
            # Pauses already known when the date was agreed are in it; a later pause stops
            # the clock again and moves the agreed date on by its length.
            agreed = override.approved_on or anchor
            after = [p for p in pauses if p.started_on > agreed]
            later = pause_shift(due, agreed, after, as_of, met_on) if after else 0
            if later:
                due += dt.timedelta(days=later)
                basis += f"; moved on {later} day{'s' if later != 1 else ''} for a later pause"
        status, late = self._status(due, met_on, paused, as_of)
        return Deadline(
            reference,
            kind,
            stage,
            rule.key,
            rule.name,
            due,
            basis,
            status,
            late,
            met_on,
        )

    def _requests(
        self,
        reference: str,
        kind: str,
        stage: str,
        requests: Iterable[RequestDue],
        paused: bool,
        as_of: dt.date,
        include_met: bool,
    ) -> list[Deadline]:
        found = []
        for request in requests:
            if request.received_on is not None and not include_met:
                continue
            status, late = self._status(request.due_on, request.received_on, paused, as_of)
            found.append(
                Deadline(
                    reference,
                    kind,
                    stage,
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


def open_deadlines(
    session: Session, as_of: dt.date, problems: list[str] | None = None
) -> list[Deadline]:
    """Every open (not yet met) deadline of every open review, soonest first, computed with the
    stored calendar and the partnership's due-soon window. A review whose dates fall outside
    the working calendar, or whose stage template is not installed, is reported in
    ``problems`` (when given) and left out; without ``problems`` the error is raised.

    The same rules as ``DeadlineEngine.for_record``, read straight from one row per review
    (tests hold the two to the same answer): building a record for each of 100,000 reviews
    costs more than the deadlines themselves."""
    from dhr_desk.workflows.calendar_book import load_calendar
    from dhr_desk.workflows.settings_registry import get_setting

    engine = DeadlineEngine(
        load_calendar(session), parse_span(get_setting(session, "deadlines.due_soon_window"))
    )
    table, scope = open_clock_rows(session)
    extra, _ = other_events(session, scope)
    pauses, overrides, requests = clock_adjustments(session, scope, outstanding_requests_only=True)
    special = pauses.keys() | overrides.keys() | extra.keys() | requests.keys()
    soon = engine.soon_limit(as_of)
    found: list[Deadline] = []
    with allocating_in_bulk():
        plans: dict[tuple[str, str, str], list[_RulePlan]] = {}
        conditions: dict[tuple[str, tuple[object, ...]], bool] = {}
        add = found.append
        for row in table.rows:
            rid, reference, kind, status, stage, template_key, template_version = row[:CLOCK_HEAD]
            mark = len(found)
            try:
                which = (kind, template_key, template_version)
                plan = plans.get(which)
                if plan is None:
                    stage_template = template(template_key, template_version)
                    plan = plans[which] = _plan(table.layouts[kind], stage_template)
                if rid in special:  # few reviews have pauses, revised dates or the like
                    spans = pauses.get(rid, ())
                    revised = overrides.get(rid)
                    recorded = extra.get(rid)
                    paused = status == "paused" or (bool(spans) and is_paused(spans, as_of))
                else:
                    spans, revised, recorded, paused = (), None, None, status == "paused"
                for rule, at_anchor, at_met, values, due_by_anchor in plan:
                    anchor = row[at_anchor] if at_anchor else _get(recorded, rule.anchor)
                    if anchor is None:
                        continue
                    if (row[at_met] if at_met else _get(recorded, rule.met_by)) is not None:
                        continue
                    if rule.when is not None:
                        chosen = (rule.when, row[values.values_from : values.values_to])
                        holds = conditions.get(chosen)
                        if holds is None:
                            facts = ReviewFacts(kind, stage, values=dict(zip(values.values,
                                                chosen[1], strict=True)))  # fmt: skip
                            holds = conditions[chosen] = GUARDS[rule.when].holds(facts)
                        if not holds:
                            continue
                    if spans or revised:  # moved by a pause or replaced by a revised date
                        add(
                            engine._deadline(
                                reference, kind, stage, spans, revised or _NONE, rule,
                                as_date(anchor), None, as_of, paused,
                            )
                        )  # fmt: skip
                        continue
                    cached = due_by_anchor.get(anchor)
                    if cached is None:  # reviews share anchor dates: work each out once
                        cached = engine.due_and_basis(rule, as_date(anchor))
                        due_by_anchor[anchor] = cached
                    due = cached[0]
                    if as_of > due:
                        add(Deadline(reference, kind, stage, rule.key, rule.name, due, cached[1],
                                     "overdue", (as_of - due).days))  # fmt: skip
                    else:
                        state: DeadlineStatus = (
                            "paused" if paused else "due_soon" if soon >= due else "upcoming"
                        )
                        add(Deadline(reference, kind, stage, rule.key, rule.name, due, cached[1],
                                     state, 0))  # fmt: skip
                asked = requests.get(rid) if rid in special else None
                if asked:
                    found.extend(
                        engine._requests(reference, kind, stage, asked, paused, as_of, False)
                    )
            except (CalendarRangeError, TemplateError) as exc:
                if problems is None:
                    raise
                del found[mark:]  # one badly dated review must not hide the rest
                advice = (
                    "check its dates"
                    if isinstance(exc, CalendarRangeError)
                    else "install its stage template"
                )
                problems.append(
                    f"{reference}: its deadlines cannot be worked out ({exc}); {advice}."
                )
    found.sort(key=BY_DUE)  # stable: ties stay in the order the reviews were registered
    return found


#: A deadline rule as the deadline list applies it to a row: the rule, the row positions of
#: its anchor and met-by events (0 when the event is recorded elsewhere, see other_events), the
#: kind's row layout (for the values a ``when`` condition reads) and the rule's due dates by
#: anchor date, worked out once each.
_RulePlan = tuple[DeadlineRule, int, int, RowLayout, dict[object, tuple[dt.date, str]]]
_NONE: Mapping[str, Override] = MappingProxyType({})


def _plan(layout: RowLayout, stage_template: StageTemplate) -> list[_RulePlan]:
    at = layout.events
    return [
        (rule, at.get(rule.anchor, 0), at.get(rule.met_by, 0), layout, {})
        for rule in stage_template.deadlines
    ]


def _get(recorded: Mapping[str, dt.date] | None, event: str) -> dt.date | None:
    return recorded.get(event) if recorded else None
