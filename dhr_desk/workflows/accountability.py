"""The agency accountability report for the partnership board (issue #5 item 6): per lead agency
and per learning theme, the actions open, overdue and due soon, completed and closed without
being completed, the share completed by their target date, and the oldest overdue item, for any
period.

How the figures are counted (the rules, also printed with the report as ``HOW_COUNTED``):

- The period runs from ``start`` to ``end``, both days included. Figures are "as at" the
  period's last day, or today if the period has not ended yet. A period that ends before it
  starts, or that starts after today, is refused.
- An action's agreed date is the day its agency accepted it, else the day its recommendation was
  made, else the day the action was entered in the desk.
- An action is finished when it is complete or closed by the CSP without being completed. Both
  keep the day it ended in ``completed_on``; a finished action without one is taken to have
  ended the day its progress was last recorded (or, failing that, last changed).
- An action is in the report if it was agreed on or before the as-at date and was not finished
  before the period began.
- Open: not finished by the as-at date. Overdue: open with a target date before the as-at date
  (a hand-set RAG rating does not change this). Due soon: open, not overdue, with a target date
  within the partnership's amber window of the as-at date.
- Completed: complete, ended within the period. Closed, not completed: closed by the CSP, ended
  within the period; these never count towards the share completed by the target date.
- Completed by target date: of the actions completed in the period that had a target date, the
  share that ended on or before it. With none to count, there is no share ("—", never 0%).
- Oldest overdue item: the overdue action with the earliest target date, named by review
  reference and action number, with the days it is overdue at the as-at date.
- Agencies: an action counts under its own lead agency; the totals count each action once.
  Agencies are listed most overdue actions first, then by name.
- Themes: an action counts once under each theme of its recommendation, so the theme figures do
  not add up to the totals; actions whose recommendation has no theme are under "No theme
  recorded". Themes are listed by name.

Limitation: the desk keeps an action's current status and the day it ended, not the history of
its status. An action that was finished and later reopened is counted by its current state, so
"open at the end of a past period" reads today's status for it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dhr_desk.models import (
    Action,
    ActionStatus,
    Agency,
    Rag,
    Recommendation,
    Review,
    Theme,
    recommendation_themes,
)
from dhr_desk.workflows.action_plan import OPEN, derived_rag
from dhr_desk.workflows.working_calendar import en_gb

NO_THEME = "No theme recorded"
TOTAL = "All agencies"
FINISHED = (ActionStatus.COMPLETE, ActionStatus.CLOSED_BY_CSP)

#: The counting rules in plain words, printed with the report (PDF paragraph, XLSX sheet).
HOW_COUNTED: tuple[str, ...] = (
    "Figures are as at the last day of the period, or today if the period has not ended yet.",
    "An action's agreed date is the day its agency accepted it, else the day its "
    "recommendation was made, else the day it was entered in the desk.",
    "An action is in the report if it was agreed on or before the as-at date and was not "
    "finished (completed, or closed by the CSP) before the period began. A finished action's "
    "end date is its date of completion or closure.",
    "Open: not finished by the as-at date. Overdue: open with a target date before the as-at "
    "date. Due soon: open, not overdue, with a target date within the amber window "
    "({amber_days} days) of the as-at date.",
    "Completed: complete, with its completion date in the period. Closed, not completed: closed "
    "by the CSP in the period; these never count towards the share completed by target date.",
    "Completed by target date: of the actions completed in the period that had a target date, "
    "the share completed on or before it. With none to count it shows as \u2014, not 0%.",
    "Oldest overdue item: the overdue action with the earliest target date (review reference "
    "and action number) and the days it is overdue at the as-at date.",
    "Each action counts once under its lead agency and once in the totals. Under themes, an "
    "action counts once for each theme of its recommendation, so theme figures do not add up "
    "to the totals; recommendations without a theme are under \u201cNo theme recorded\u201d.",
    "Limitation: the desk keeps an action's current status, not its history. An action that "
    "was finished and later reopened is counted by its current state.",
)


class AccountabilityError(ValueError):
    """A report refused for its period; the message says why."""


@dataclass(frozen=True)
class OverdueItem:
    """An overdue action, named for the board: review reference and action number."""

    reference: str
    number: str  # "2.1": recommendation 2, action 1
    agency: str
    target_date: dt.date
    days_overdue: int  # at the report's as-at date

    @property
    def words(self) -> str:
        """ "DHR-2025-003 2.1, 412 days overdue"."""
        days = "1 day" if self.days_overdue == 1 else f"{self.days_overdue} days"
        return f"{self.reference} {self.number}, {days} overdue"


@dataclass(frozen=True)
class AccountabilityRow:
    """The figures for one agency, one theme, or the totals."""

    name: str
    open: int
    overdue: int
    due_soon: int
    completed: int
    completed_with_target: int  # completed in the period and had a target date
    completed_by_target: int  # of those, completed on or before the target date
    closed_not_completed: int
    oldest_overdue: OverdueItem | None

    @property
    def actions(self) -> int:
        """Every action in the row: open at the as-at date or finished in the period."""
        return self.open + self.completed + self.closed_not_completed

    @property
    def completed_by_target_share(self) -> float | None:
        """0.0 to 1.0; None when no action completed in the period had a target date."""
        if not self.completed_with_target:
            return None
        return self.completed_by_target / self.completed_with_target


@dataclass(frozen=True)
class AccountabilityReport:
    start: dt.date
    end: dt.date
    as_at: dt.date  # min(end, today): the day open and overdue are counted on
    made_on: dt.date  # today
    amber_days: int
    agencies: tuple[AccountabilityRow, ...]  # most overdue first, then by name
    themes: tuple[AccountabilityRow, ...]  # by name; "No theme recorded" last
    totals: AccountabilityRow  # each action once

    @property
    def how_counted(self) -> tuple[str, ...]:
        return tuple(rule.format(amber_days=self.amber_days) for rule in HOW_COUNTED)

    @property
    def period_words(self) -> str:
        words = f"{en_gb(self.start)} to {en_gb(self.end)}"
        if self.as_at != self.end:
            words += f" (figures as at {en_gb(self.as_at)})"
        return words


# --- one action, classified ----------------------------------------------------------------


@dataclass(frozen=True)
class _Counted:
    """One action's part in the report."""

    agency: str
    recommendation_id: int
    open: bool
    overdue: OverdueItem | None
    due_soon: bool
    completed: bool
    on_target: bool | None  # completed: by its target date; None without one (or not completed)
    closed: bool


def _finish_date(
    completed_on: dt.date | None,
    progress_updated_at: dt.datetime | None,
    updated_at: dt.datetime,
) -> dt.date:
    if completed_on is not None:
        return completed_on
    return (progress_updated_at or updated_at).date()


def _agreed_date(
    accepted_on: dt.date | None, made_on: dt.date | None, created_at: dt.datetime
) -> dt.date:
    return accepted_on or made_on or created_at.date()


def _build_row(name: str, counted: Iterable[_Counted]) -> AccountabilityRow:
    items = list(counted)
    overdue = [c.overdue for c in items if c.overdue is not None]
    oldest = min(
        overdue,
        key=lambda o: (o.target_date, o.reference, *(int(n) for n in o.number.split("."))),
        default=None,
    )
    return AccountabilityRow(
        name=name,
        open=sum(c.open for c in items),
        overdue=len(overdue),
        due_soon=sum(c.due_soon for c in items),
        completed=sum(c.completed for c in items),
        completed_with_target=sum(c.on_target is not None for c in items),
        completed_by_target=sum(c.on_target is True for c in items),
        closed_not_completed=sum(c.closed for c in items),
        oldest_overdue=oldest,
    )


def check_period(start: dt.date, end: dt.date, today: dt.date) -> dt.date:
    """The as-at date of a period, or AccountabilityError saying why the period is refused."""
    if start > end:
        raise AccountabilityError(
            f"The period starts on {en_gb(start)}, after it ends on {en_gb(end)}: check the dates."
        )
    if start > today:
        raise AccountabilityError(
            f"The period starts on {en_gb(start)}, which is after today ({en_gb(today)}): "
            "there is nothing to report yet."
        )
    return min(end, today)


def accountability_report(
    session: Session, start: dt.date, end: dt.date, *, today: dt.date, amber_days: int
) -> AccountabilityReport:
    """The board's report for the period ``start`` to ``end`` (both included); the rules are in
    this module's docstring and in ``HOW_COUNTED``. Two queries, whatever the number of
    actions."""
    as_at = check_period(start, end, today)
    rows = session.execute(
        select(
            Action.number,
            Action.status,
            Action.accepted_on,
            Action.created_at,
            Action.target_date,
            Action.completed_on,
            Action.progress_updated_at,
            Action.updated_at,
            Recommendation.id,
            Recommendation.number,
            Recommendation.made_on,
            Review.reference,
            Agency.name,
        )
        .select_from(Action)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .join(Review, Review.id == Recommendation.review_id)
        .join(Agency, Agency.id == Action.lead_agency_id)
        # a finished action that ended before the period began is never in it (the rest of the
        # rules are applied below, in one place)
        .where(
            or_(
                Action.status.in_(OPEN),
                Action.completed_on.is_(None),
                Action.completed_on >= start,
            )
        )
    ).all()
    counted: list[_Counted] = []
    for (
        number,
        status,
        accepted_on,
        created_at,
        target,
        completed_on,
        progress_at,
        updated_at,
        rec_id,
        rec_number,
        made_on,
        reference,
        agency,
    ) in rows:
        if _agreed_date(accepted_on, made_on, created_at) > as_at:
            continue
        finished_on = (
            _finish_date(completed_on, progress_at, updated_at) if status in FINISHED else None
        )
        if finished_on is not None and finished_on < start:
            continue
        is_open = finished_on is None or finished_on > as_at
        ended_in_period = finished_on is not None and start <= finished_on <= as_at
        completed = ended_in_period and status is ActionStatus.COMPLETE
        overdue = None
        if is_open and target is not None and target < as_at:
            overdue = OverdueItem(
                reference=reference,
                number=f"{rec_number}.{number}",
                agency=agency,
                target_date=target,
                days_overdue=(as_at - target).days,
            )
        # open at the as-at date, whatever it is now: rated as the desk rates an open action
        rag = derived_rag(ActionStatus.IN_PROGRESS, target, as_at, amber_days) if is_open else None
        counted.append(
            _Counted(
                agency=agency,
                recommendation_id=rec_id,
                open=is_open,
                overdue=overdue,
                due_soon=target is not None and rag is Rag.AMBER,
                completed=completed,
                on_target=(
                    finished_on <= target
                    if completed and finished_on is not None and target is not None
                    else None
                ),
                closed=ended_in_period and status is ActionStatus.CLOSED_BY_CSP,
            )
        )
    themes = _themes_of(session, {c.recommendation_id for c in counted})
    return AccountabilityReport(
        start=start,
        end=end,
        as_at=as_at,
        made_on=today,
        amber_days=amber_days,
        agencies=_agency_rows(counted),
        themes=_theme_rows(counted, themes),
        totals=_build_row(TOTAL, counted),
    )


def _themes_of(session: Session, recommendation_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    if not recommendation_ids:
        return found
    links = session.execute(
        select(recommendation_themes.c.recommendation_id, Theme.name).join(
            Theme, Theme.id == recommendation_themes.c.theme_id
        )
    )
    for recommendation_id, name in links:
        if recommendation_id in recommendation_ids:
            found[recommendation_id].append(name)
    return found


def _agency_rows(counted: Sequence[_Counted]) -> tuple[AccountabilityRow, ...]:
    by_agency: dict[str, list[_Counted]] = defaultdict(list)
    for item in counted:
        by_agency[item.agency].append(item)
    rows = [_build_row(name, items) for name, items in by_agency.items()]
    return tuple(sorted(rows, key=lambda r: (-r.overdue, r.name.casefold(), r.name)))


def _theme_rows(
    counted: Sequence[_Counted], themes: dict[int, list[str]]
) -> tuple[AccountabilityRow, ...]:
    by_theme: dict[str, list[_Counted]] = defaultdict(list)
    for item in counted:
        for name in dict.fromkeys(themes.get(item.recommendation_id) or [NO_THEME]):
            by_theme[name].append(item)
    rows = [_build_row(name, items) for name, items in by_theme.items()]
    return tuple(sorted(rows, key=lambda r: (r.name == NO_THEME, r.name.casefold(), r.name)))


def _quarter_start(day: dt.date) -> dt.date:
    """The first day of the quarter holding ``day``: financial quarters begin in April, July,
    October and January, as calendar quarters do."""
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def financial_year_start(day: dt.date) -> dt.date:
    """Public bodies' financial year runs from 1 April to 31 March."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def report_periods(today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """The periods a board usually asks for, by their words: this financial year so far, the
    last financial year, the last full quarter, the last 12 months."""
    this_year = financial_year_start(today)
    quarter = _quarter_start(today)
    last_quarter = _quarter_start(quarter - dt.timedelta(days=1))
    return {
        "This financial year so far": (this_year, today),
        "Last financial year": (
            dt.date(this_year.year - 1, 4, 1),
            this_year - dt.timedelta(days=1),
        ),
        "Last full quarter": (last_quarter, quarter - dt.timedelta(days=1)),
        "Last 12 months": (
            today.replace(year=today.year - 1) + dt.timedelta(days=1)
            if not (today.month == 2 and today.day == 29)
            else dt.date(today.year - 1, 3, 1),
            today,
        ),
    }
