"""The dashboard: what needs attention on a given day. Deadlines overdue, due this week and in
the next 30 days; open reviews by kind and stage; paused reviews and why; overdue actions by
agency. Every figure carries the references behind it, so the desk can open the list.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from dhr_desk.models import (
    Action,
    ActionStatus,
    Agency,
    Pause,
    Recommendation,
    Review,
    ReviewStatus,
)
from dhr_desk.workflows.deadlines import Deadline, open_deadlines
from dhr_desk.workflows.officers import led_by
from dhr_desk.workflows.settings_registry import get_setting
from dhr_desk.workflows.stage_templates import TemplateError, template

THIS_WEEK = 7  # calendar days from today, today included
NEXT_DAYS = 30


@dataclass(frozen=True)
class StageCount:
    kind: str
    kind_label: str
    stage: str
    stage_name: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class PausedReview:
    reference: str
    title: str
    since: dt.date
    reason_kind: str
    reason: str


@dataclass(frozen=True)
class AgencyOverdue:
    agency: str
    actions: int
    references: tuple[str, ...]


@dataclass(frozen=True)
class Dashboard:
    as_of: dt.date
    overdue: tuple[Deadline, ...]
    this_week: tuple[Deadline, ...]
    next_30_days: tuple[Deadline, ...]
    by_stage: tuple[StageCount, ...]
    paused: tuple[PausedReview, ...]
    overdue_actions: tuple[AgencyOverdue, ...]
    problems: tuple[str, ...]
    officer: str = ""  # whose dashboard: the login name of the officer looking
    mine: frozenset[str] = frozenset()  # the references of the reviews that officer leads

    def deadlines_of(self, deadlines: Sequence[Deadline], mine_only: bool) -> tuple[Deadline, ...]:
        """``deadlines``, or only those of the reviews this officer leads ("my deadlines")."""
        if not mine_only:
            return tuple(deadlines)
        return tuple(d for d in deadlines if d.reference in self.mine)


def build_dashboard(
    session: Session,
    as_of: dt.date,
    deadlines: Sequence[Deadline] | None = None,
    problems: Sequence[str] = (),
    officer: str = "",
) -> Dashboard:
    """The day's dashboard; deadlines of paused reviews are shown as paused, not as due.
    ``deadlines`` (soonest first, with their ``problems``) saves working them out again."""
    if deadlines is None:
        found: list[str] = []
        deadlines = open_deadlines(session, as_of, found)
        problems = found
    week_end = as_of + dt.timedelta(days=THIS_WEEK - 1)
    month_end = as_of + dt.timedelta(days=NEXT_DAYS)
    overdue = tuple(d for d in deadlines if d.status == "overdue")
    running = [d for d in deadlines if d.status in ("due_soon", "upcoming")]  # not paused
    this_week = tuple(d for d in running if d.due <= week_end)
    later = tuple(d for d in running if week_end < d.due <= month_end)
    return Dashboard(
        as_of=as_of,
        overdue=overdue,
        this_week=this_week,
        next_30_days=later,
        by_stage=_by_stage(session),
        paused=_paused(session),
        overdue_actions=_overdue_actions(session, as_of),
        problems=tuple(problems),
        officer=officer,
        mine=led_by(session, officer) if officer else frozenset(),
    )


def _by_stage(session: Session) -> tuple[StageCount, ...]:
    """Open reviews by kind and stage, in the template's stage order."""
    dhr_label = str(get_setting(session, "dhr.display_name"))
    grouped: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for reference, kind, stage, key, version in session.execute(
        select(
            Review.reference,
            type_coerce(Review.kind, String),
            Review.stage_key,
            Review.template_key,
            Review.template_version,
        )
        .where(Review.status != ReviewStatus.CLOSED)
        .order_by(Review.reference)
    ):
        grouped[(kind, key, version, stage)].append(reference)
    counted: dict[tuple[str, str], list[str]] = defaultdict(list)
    order: dict[tuple[str, str], tuple[int, str]] = {}
    for (kind, key, version, stage), references in grouped.items():
        counted[(kind, stage)].extend(references)
        try:
            stages = [s.key for s in template(key, version).stages]
            name = template(key, version).stage(stage).name
            position = stages.index(stage)
        except (TemplateError, KeyError, ValueError):
            name, position = stage.replace("_", " ").capitalize(), 999
        order.setdefault((kind, stage), (position, name))
    return tuple(
        StageCount(
            kind,
            dhr_label if kind == "dhr" else "ASB",
            stage,
            order[(kind, stage)][1],
            tuple(sorted(references)),
        )
        for (kind, stage), references in sorted(
            counted.items(), key=lambda item: (item[0][0] != "dhr", order[item[0]][0])
        )
    )


def _paused(session: Session) -> tuple[PausedReview, ...]:
    rows = session.execute(
        select(Review.reference, Review.title, Pause.started_on, Pause.reason_kind, Pause.reason)
        .join(Pause, Pause.review_id == Review.id)
        .where(Review.status == ReviewStatus.PAUSED, Pause.ended_on.is_(None))
        .order_by(Pause.started_on, Review.reference)
    )
    return tuple(
        PausedReview(ref, title, since, str(getattr(kind, "value", kind)), reason)
        for ref, title, since, kind, reason in rows
    )


def _overdue_actions(session: Session, as_of: dt.date) -> tuple[AgencyOverdue, ...]:
    """Open actions past their target date, by lead agency, most overdue agencies first."""
    rows = session.execute(
        select(Agency.name, Review.reference)
        .select_from(Action)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .join(Review, Review.id == Recommendation.review_id)
        .join(Agency, Agency.id == Action.lead_agency_id)
        .where(
            Action.status.in_((ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)),
            Action.target_date < as_of,
        )
    )
    counts: Counter[str] = Counter()
    references: dict[str, set[str]] = defaultdict(set)
    for agency, reference in rows:
        counts[agency] += 1
        references[agency].add(reference)
    return tuple(
        AgencyOverdue(agency, n, tuple(sorted(references[agency])))
        for agency, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
