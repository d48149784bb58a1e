"""Gathering what reviews have recorded into plain ``ReviewFacts``, for many reviews at once.

One query per kind of record, grouped by review, so the deadlines of 100,000 reviews cost a
handful of queries rather than one per review. Which column records which event is set here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Enum,
    Select,
    String,
    and_,
    case,
    func,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from dhr_desk.models import (
    Action,
    ActionStatus,
    Agency,
    AnonymisationCheck,
    AsbComplaint,
    AsbDetails,
    AsbEscalation,
    DeadlineOverride,
    DhrDetails,
    FamilyContact,
    InformationRequest,
    InformationRequestKind,
    Meeting,
    MeetingKind,
    PanelMember,
    PanelRole,
    ParallelProceeding,
    Pause,
    QaAmendment,
    Recommendation,
    Review,
    ReviewKind,
    ReviewStatus,
)
from dhr_desk.workflows.guards import ReviewFacts

#: Event key → the column that records its date.
DHR_EVENTS: dict[str, InstrumentedAttribute[Any]] = {
    "notified": DhrDetails.date_notified,
    "decided": DhrDetails.decision_date,
    "home_office_notified": DhrDetails.home_office_notified_on,
    "directed": DhrDetails.secretary_of_state_directed_on,
    "chair_appointed": DhrDetails.chair_appointed_on,
    "terms_of_reference_agreed": DhrDetails.terms_of_reference_agreed_on,
    "family_seen_draft": DhrDetails.family_seen_draft_on,
    "signed_off": DhrDetails.signed_off_on,
    "first_submitted": DhrDetails.first_submitted_on,
    "submitted": DhrDetails.submitted_on,
    "da_commissioner_copy_sent": DhrDetails.da_commissioner_copy_sent_on,
    "qa_letter_received": DhrDetails.qa_letter_received_on,
    "published": DhrDetails.published_on,
    "takedown_reviewed": DhrDetails.takedown_reviewed_on,
    "learning_shared": DhrDetails.learning_shared_on,
}
DHR_VALUES: dict[str, InstrumentedAttribute[Any]] = {
    "decision": DhrDetails.decision,
    "qa_outcome": DhrDetails.qa_outcome,
    "independence_statement": DhrDetails.independence_statement,
}
ASB_EVENTS: dict[str, InstrumentedAttribute[Any]] = {
    "received": AsbDetails.received_on,
    "acknowledged": AsbDetails.acknowledged_on,
    "forwarded": AsbDetails.forwarded_on,
    "spoc_assigned": AsbDetails.spoc_assigned_on,
    "applicant_contacted": AsbDetails.applicant_contacted_on,
    "threshold_decided": AsbDetails.threshold_decided_on,
    "applicant_informed": AsbDetails.applicant_informed_on,
    "review_meeting": AsbDetails.review_meeting_on,
    "recommendations_made": AsbDetails.recommendations_made_on,
    "outcome_communicated": AsbDetails.outcome_communicated_on,
}
ASB_VALUES: dict[str, InstrumentedAttribute[Any]] = {
    "threshold_decision": AsbDetails.threshold_decision,
    "on_behalf_of": AsbDetails.on_behalf_of,
    "victim_consent": AsbDetails.victim_consent,
}


class PauseSpan(NamedTuple):
    started_on: dt.date
    ended_on: dt.date | None
    reason: str


class Override(NamedTuple):
    """An agreed revised date for one deadline (only overrides are stored, never deadlines)."""

    revised_date: dt.date
    reason: str
    approver: str
    approved_on: dt.date | None = None


class RequestDue(NamedTuple):
    """An information request's own due date, a deadline of its own."""

    request_id: int
    label: str
    requested_on: dt.date
    due_on: dt.date
    received_on: dt.date | None


class ReviewRecord(NamedTuple):
    """A review's identity, facts and clock adjustments, as the deadline engine needs them."""

    review_id: int
    reference: str
    kind: str
    status: str
    template_key: str
    template_version: str
    facts: ReviewFacts
    pauses: tuple[PauseSpan, ...] = ()
    overrides: Mapping[str, Override] = MappingProxyType({})
    requests: tuple[RequestDue, ...] = ()


def _plain(column: InstrumentedAttribute[Any]) -> Any:
    """An enum column read as its stored text: converting 100,000 values to Python enums and
    back costs more than the query itself."""
    if isinstance(column.type, Enum):
        return type_coerce(column, String).label(column.key)
    return column


#: An event recorded before its own column existed reads as another event: a review submitted
#: before the first submission was kept separately was first submitted on its submission date.
EVENT_FALLBACKS = {"first_submitted": "submitted"}


def _with_fallback(event: str, column: InstrumentedAttribute[Any]) -> Any:
    fallback = EVENT_FALLBACKS.get(event)
    if fallback is None:
        return column
    return func.coalesce(column, DHR_EVENTS[fallback]).label(column.key)


def _as_stored(column: Any) -> Any:
    """A date column read without conversion (see ClockRows)."""
    return type_coerce(column, String).label(column.key)


def as_date(stored: dt.date | str) -> dt.date:
    """A date as ClockRows holds it, as a date."""
    return stored if isinstance(stored, dt.date) else dt.date.fromisoformat(stored)


def _value(raw: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    return str(getattr(raw, "value", raw))


def _grouped_counts(
    session: Session,
    ids: Select[Any],
    review_col: InstrumentedAttribute[int],
    counted: dict[str, ColumnElement[Any]],
    *joins: Any,
) -> dict[int, dict[str, int]]:
    """Per review, the named sums (each a CASE … THEN 1 ELSE 0) in one grouped query."""
    columns = [func.sum(expr).label(name) for name, expr in counted.items()]
    statement = select(review_col, *columns)
    for target, on in joins:
        statement = statement.join(target, on)
    statement = statement.where(review_col.in_(ids)).group_by(review_col)
    result: dict[int, dict[str, int]] = {}
    for row in session.connection().execute(statement):
        result[row[0]] = {name: int(row[i + 1] or 0) for i, name in enumerate(counted)}
    return result


def _one(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return case((condition, 1), else_=0)


def collect_records(
    session: Session,
    review_ids: Iterable[int] | None = None,
    *,
    open_only: bool = False,
) -> list[ReviewRecord]:
    """ReviewRecords for the given reviews (all, or all open ones, when none are given)."""
    session.flush()  # the queries below run on the connection, which does not autoflush
    query = select(
        Review.id,
        Review.reference,
        _plain(Review.kind),
        _plain(Review.status),
        Review.stage_key,
        Review.template_key,
        Review.template_version,
        Review.closed_on,
    ).order_by(Review.id)
    conditions: list[ColumnElement[bool]] = []
    if review_ids is not None:
        conditions.append(Review.id.in_(list(review_ids)))
    if open_only:
        conditions.append(Review.status != ReviewStatus.CLOSED)
    heads = session.connection().execute(query.where(*conditions)).all()
    # Every later query is limited by a sub-select of the same reviews, not a list of ids:
    # a list of 100,000 bound parameters costs more to build than the query takes to run.
    scope = select(Review.id).where(*conditions)
    return _collect(session, heads, scope)


#: Values read by the guards a deadline rule may name in ``when`` (stage_templates checks that
#: a template names no other), so the deadline list can leave everything else out.
DEADLINE_VALUES = frozenset({"decision", "threshold_decision"})


def _deadline_events() -> frozenset[str]:
    from dhr_desk.workflows.stage_templates import all_templates

    return frozenset(
        key
        for stage_template in all_templates().values()
        for rule in stage_template.deadlines
        for key in (rule.anchor, rule.met_by)
    )


def _collect(session: Session, heads: Sequence[Any], ids: Select[Any]) -> list[ReviewRecord]:
    events: dict[int, dict[str, dt.date]] = defaultdict(dict)
    values: dict[int, dict[str, str | None]] = defaultdict(dict)
    counts: dict[int, dict[str, int]] = defaultdict(dict)

    for details, all_events, all_values in (
        (DhrDetails, DHR_EVENTS, DHR_VALUES),
        (AsbDetails, ASB_EVENTS, ASB_VALUES),
    ):
        cols = [details.review_id, *all_events.values(), *map(_plain, all_values.values())]
        event_keys = tuple(all_events)
        value_keys = tuple(all_values)
        first_value = 1 + len(event_keys)
        for row in session.connection().execute(select(*cols).where(details.review_id.in_(ids))):
            dated = {
                k: v for k, v in zip(event_keys, row[1:first_value], strict=True) if v is not None
            }
            for event, fallback in EVENT_FALLBACKS.items():
                if event in event_keys and event not in dated and fallback in dated:
                    dated[event] = dated[fallback]
            events[row[0]] = dated
            values[row[0]] = {
                k: _value(v) for k, v in zip(value_keys, row[first_value:], strict=True)
            }

    _other_events(session, ids, events, values)

    _collect_guard_tallies(session, ids, values, counts)

    pauses, overrides, requests = clock_adjustments(session, ids)

    # Each review gets the dicts built for it above (nothing else holds them), or a fresh
    # empty one: one pass, no copies.
    records: list[ReviewRecord] = []
    none: Mapping[str, Any] = MappingProxyType({})  # shared by reviews with nothing recorded
    for rid, reference, kind, status, stage, template_key, template_version, closed_on in heads:
        recorded = events.pop(rid, None)
        if closed_on is not None:
            recorded = {**(recorded or {}), "closed": closed_on}
        paused_spans = pauses.pop(rid, None)
        asked = requests.pop(rid, None)
        records.append(
            ReviewRecord(
                rid,
                reference,
                kind,
                status,
                template_key,
                template_version,
                ReviewFacts(
                    kind,
                    stage,
                    recorded or none,
                    values.pop(rid, none),
                    counts.pop(rid, none),
                ),
                tuple(paused_spans) if paused_spans else (),
                overrides.pop(rid, none),
                tuple(asked) if asked else (),
            )
        )
    return records


class RowLayout(NamedTuple):
    """Where one kind's events and values sit in a ClockRows row: each event's position, and
    the slice of the row that holds its values (named in ``values``)."""

    events: Mapping[str, int]
    values: tuple[str, ...]
    values_from: int
    values_to: int


class ClockRows(NamedTuple):
    """The open reviews as plain rows for the deadline list, in review-id order:
    ``(id, reference, kind, status, stage, template key, template version, *DHR events and
    values, *ASB events and values)`` (``None`` where not recorded), with each kind's layout.
    Event dates come as the database holds them (ISO text on SQLite, dates on PostgreSQL; see
    ``as_date``): most are only tested for ``None``, and the rest share a few thousand days."""

    layouts: Mapping[str, RowLayout]
    rows: Sequence[Any]


CLOCK_HEAD = 7  # the columns before the events in a ClockRows row


def open_clock_rows(session: Session) -> tuple[ClockRows, Select[Any]]:
    """What the deadline rules read of every open review, one row a review in one query (no
    per-review objects: 100,000 reviews at once), and the sub-select of those reviews' ids."""
    session.flush()  # the queries below run on the connection, which does not autoflush
    wanted = _deadline_events()
    scope = select(Review.id).where(Review.status != ReviewStatus.CLOSED)
    columns: list[Any] = [
        Review.id,
        Review.reference,
        _plain(Review.kind),
        _plain(Review.status),
        Review.stage_key,
        Review.template_key,
        Review.template_version,
    ]
    layouts: dict[str, RowLayout] = {}
    statement = select().select_from(Review)
    for kind, details, all_events, all_values in (
        (ReviewKind.DHR, DhrDetails, DHR_EVENTS, DHR_VALUES),
        (ReviewKind.ASB, AsbDetails, ASB_EVENTS, ASB_VALUES),
    ):
        event_cols = {k: c for k, c in all_events.items() if k in wanted}
        value_cols = {k: c for k, c in all_values.items() if k in DEADLINE_VALUES}
        at = len(columns)
        positions = {event: at + i for i, event in enumerate(event_cols)}
        columns.extend(_as_stored(_with_fallback(key, col)) for key, col in event_cols.items())
        first_value = len(columns)
        columns.extend(map(_plain, value_cols.values()))
        layouts[kind.value] = RowLayout(positions, tuple(value_cols), first_value, len(columns))
        statement = statement.outerjoin(details, details.review_id == Review.id)
    statement = (
        statement.add_columns(*columns)
        .where(Review.status != ReviewStatus.CLOSED)
        .order_by(Review.id)
    )
    rows = session.connection().execute(statement).all()
    return ClockRows(layouts, rows), scope


def other_events(
    session: Session, ids: Select[Any]
) -> tuple[dict[int, dict[str, dt.date]], dict[int, dict[str, str | None]]]:
    """The events (and values) recorded outside the details tables, by review id."""
    events: dict[int, dict[str, dt.date]] = defaultdict(dict)
    values: dict[int, dict[str, str | None]] = defaultdict(dict)
    _other_events(session, ids, events, values)
    return events, values


def _other_events(
    session: Session,
    ids: Select[Any],
    events: dict[int, dict[str, dt.date]],
    values: dict[int, dict[str, str | None]],
) -> None:
    """Events recorded outside the details tables: the first panel meeting held, and the
    latest ASB escalation's request, decision and answer (with its outcome)."""
    for row in session.connection().execute(
        select(Meeting.review_id, func.min(Meeting.held_on))
        .where(Meeting.review_id.in_(ids), Meeting.kind == MeetingKind.PANEL)
        .where(Meeting.held_on.is_not(None))
        .group_by(Meeting.review_id)
    ):
        if row[1] is not None:
            events[row[0]]["first_panel_meeting"] = row[1]

    latest_escalation = (
        select(AsbEscalation.review_id, func.max(AsbEscalation.id).label("last"))
        .where(AsbEscalation.review_id.in_(ids))
        .group_by(AsbEscalation.review_id)
        .subquery()
    )
    for esc in session.connection().execute(
        select(
            AsbEscalation.review_id,
            AsbEscalation.requested_on,
            AsbEscalation.decided_on,
            AsbEscalation.response_sent_on,
            AsbEscalation.outcome,
        ).join(latest_escalation, AsbEscalation.id == latest_escalation.c.last)
    ):
        events[esc.review_id]["escalation_requested"] = esc.requested_on
        if esc.decided_on is not None:
            events[esc.review_id]["escalation_decided"] = esc.decided_on
        if esc.response_sent_on is not None:
            events[esc.review_id]["escalation_answered"] = esc.response_sent_on
        values[esc.review_id]["escalation_outcome"] = _value(esc.outcome)


def clock_adjustments(
    session: Session, ids: Select[Any], *, outstanding_requests_only: bool = False
) -> tuple[dict[int, list[PauseSpan]], dict[int, dict[str, Override]], dict[int, list[RequestDue]]]:
    """Per review: its pauses, agreed revised dates and information requests with due dates
    (few reviews have any, so each is a sparse dict by review id)."""
    pauses: dict[int, list[PauseSpan]] = defaultdict(list)
    for p in session.connection().execute(
        select(Pause.review_id, Pause.started_on, Pause.ended_on, Pause.reason)
        .where(Pause.review_id.in_(ids))
        .order_by(Pause.started_on)
    ):
        pauses[p.review_id].append(PauseSpan(p.started_on, p.ended_on, p.reason))

    overrides: dict[int, dict[str, Override]] = defaultdict(dict)
    for o in session.connection().execute(
        select(
            DeadlineOverride.review_id,
            DeadlineOverride.deadline_key,
            DeadlineOverride.revised_date,
            DeadlineOverride.reason,
            DeadlineOverride.approver,
            DeadlineOverride.approved_on,
            DeadlineOverride.recorded_at,
        )
        .where(DeadlineOverride.review_id.in_(ids))
        .order_by(DeadlineOverride.recorded_at, DeadlineOverride.id)
    ):
        overrides[o.review_id][o.deadline_key] = Override(
            o.revised_date, o.reason, o.approver, o.approved_on or o.recorded_at.date()
        )

    requests: dict[int, list[RequestDue]] = defaultdict(list)
    for r in session.connection().execute(
        select(
            InformationRequest.review_id,
            InformationRequest.id,
            InformationRequest.kind,
            Agency.name,
            InformationRequest.requested_on,
            InformationRequest.due_on,
            InformationRequest.received_on,
        )
        .join(Agency, Agency.id == InformationRequest.agency_id)
        .where(InformationRequest.review_id.in_(ids), InformationRequest.due_on.is_not(None))
        .where(InformationRequest.received_on.is_(None) if outstanding_requests_only else true())
        .order_by(InformationRequest.id)
    ):
        label = f"{request_kind_label(_value(r.kind))} from {r.name}"
        requests[r.review_id].append(
            RequestDue(r.id, label, r.requested_on, r.due_on, r.received_on)
        )
    return pauses, overrides, requests


def _collect_guard_tallies(
    session: Session,
    ids: Select[Any],
    values: dict[int, dict[str, str | None]],
    counts: dict[int, dict[str, int]],
) -> None:
    """The latest anonymisation result for each purpose, closure reasons and the tallies the
    stage guards read."""
    for rid, reason in session.connection().execute(
        select(Review.id, Review.closure_reason).where(
            Review.id.in_(ids), Review.closure_reason.is_not(None)
        )
    ):
        values[rid]["closure_reason"] = reason
    latest_check = (
        select(func.max(AnonymisationCheck.id).label("last"))
        .where(AnonymisationCheck.review_id.in_(ids))
        .group_by(AnonymisationCheck.review_id, AnonymisationCheck.purpose)
        .subquery()
    )
    for rid, purpose, result in session.connection().execute(
        select(
            AnonymisationCheck.review_id, AnonymisationCheck.purpose, AnonymisationCheck.result
        ).join(latest_check, AnonymisationCheck.id == latest_check.c.last)
    ):
        values[rid][f"anonymisation:{_value(purpose)}"] = _value(result)

    tallies = [
        _grouped_counts(
            session,
            ids,
            InformationRequest.review_id,
            {
                "information_requests": _one(InformationRequest.id.is_not(None)),
                "information_requests_outstanding": _one(InformationRequest.received_on.is_(None)),
                "factual_accuracy_requests": _one(
                    InformationRequest.kind == InformationRequestKind.FACTUAL_ACCURACY
                ),
                "factual_accuracy_outstanding": _one(
                    and_(
                        InformationRequest.kind == InformationRequestKind.FACTUAL_ACCURACY,
                        InformationRequest.received_on.is_(None),
                    )
                ),
                "information_requests_unchecked": _one(
                    and_(
                        InformationRequest.received_on.is_not(None),
                        InformationRequest.nil_return.is_(False),
                        InformationRequest.quality_checked_on.is_(None),
                    )
                ),
            },
        ),
        _grouped_counts(
            session,
            ids,
            PanelMember.review_id,
            {
                # the chair is a panel member too, but the panel needs members besides
                "panel_members": _one(
                    and_(PanelMember.stood_down_on.is_(None), PanelMember.role == PanelRole.MEMBER)
                ),
                "panel_members_undeclared": _one(
                    and_(
                        PanelMember.stood_down_on.is_(None),
                        PanelMember.declared_no_involvement.is_(False),
                    )
                ),
            },
        ),
        _grouped_counts(
            session,
            ids,
            FamilyContact.review_id,
            {"family_contacts": _one(FamilyContact.id.is_not(None))},
        ),
        _grouped_counts(
            session,
            ids,
            AsbComplaint.review_id,
            {"complaints": _one(AsbComplaint.id.is_not(None))},
        ),
        _grouped_counts(
            session,
            ids,
            QaAmendment.review_id,
            {"qa_amendments_open": _one(QaAmendment.done_on.is_(None))},
        ),
        _grouped_counts(
            session,
            ids,
            ParallelProceeding.review_id,
            {
                "proceedings_blocking_publication": _one(
                    and_(
                        ParallelProceeding.blocks_publication.is_(True),
                        ParallelProceeding.concluded_on.is_(None),
                    )
                )
            },
        ),
        _grouped_counts(
            session,
            ids,
            Recommendation.review_id,
            {"recommendations": _one(Recommendation.id.is_not(None))},
        ),
        _grouped_counts(
            session,
            ids,
            Recommendation.review_id,
            {
                "actions": _one(Action.id.is_not(None)),
                "actions_open": _one(
                    or_(
                        Action.status == ActionStatus.NOT_STARTED,
                        Action.status == ActionStatus.IN_PROGRESS,
                    )
                ),
            },
            (Action, Action.recommendation_id == Recommendation.id),
        ),
    ]
    for tally in tallies:
        for rid, named in tally.items():
            counts[rid].update(named)
    without_actions = (
        select(Recommendation.review_id, func.count(Recommendation.id))
        .outerjoin(Action, Action.recommendation_id == Recommendation.id)
        .where(Recommendation.review_id.in_(ids), Action.id.is_(None))
        .group_by(Recommendation.review_id)
    )
    for rid, n in session.connection().execute(without_actions):
        counts[rid]["recommendations_without_actions"] = int(n)
    for rid, statement in values.items():
        if statement.get("independence_statement"):
            counts[rid]["independence_statement"] = 1
            statement["independence_statement"] = "recorded"


REQUEST_KIND_LABELS = {
    "imr": "Individual Management Review",
    "chronology": "Chronology",
    "summary_report": "Summary report",
}


def request_kind_label(kind: str | None) -> str:
    return REQUEST_KIND_LABELS.get(
        kind or "", (kind or "Information").replace("_", " ").capitalize()
    )
