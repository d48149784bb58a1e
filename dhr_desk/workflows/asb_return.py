"""The ASB Case Review annual statutory return (issue #7, point 5; domain.md, "Annual
statutory publication"): for a period (by default a financial year, 1 April to 31 March), per
district and in total, the applications received, the applications where the threshold was not
met, the case reviews carried out and the case reviews that resulted in recommendations; and
the same totals for the previous period of the same length.

Each figure is counted by the date of its own event inside the period (s.104 ASBCPA 2014 and
Schedule 4 publication duty): an application received in March and decided in April counts as
received in the year that holds March and as "threshold not met" in the year that holds April.
What an upheld escalation later sets aside still counts where it happened (the audit trail
keeps it), so a year's figures, once published, do not change.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from dhr_desk.models import AsbDetails, AsbThresholdDecision, AuditEvent, Review, ReviewKind
from dhr_desk.workflows.partnership import DISTRICTS
from dhr_desk.workflows.working_calendar import add_months, en_gb

NO_DISTRICT = "District not recorded"
FIGURES = (
    "applications",
    "threshold_not_met",
    "reviews_carried_out",
    "reviews_with_recommendations",
)
FIGURE_WORDS = {
    "applications": "Applications received",
    "threshold_not_met": "Threshold not met",
    "reviews_carried_out": "Case reviews carried out",
    "reviews_with_recommendations": "Case reviews resulting in recommendations",
}
#: What each figure counts, for the published report.
FIGURE_EXPLAINED = {
    "applications": "Applications for an ASB Case Review received in the period (by the date "
    "received), whether or not they went on to meet the threshold.",
    "threshold_not_met": "Applications decided in the period (by the date of the threshold "
    "decision) that did not meet the threshold for a case review.",
    "reviews_carried_out": "Case reviews whose review meeting was held in the period.",
    "reviews_with_recommendations": "Case reviews that made recommendations in the period (by "
    "the date the recommendations were made).",
}


class ReturnPeriodError(ValueError):
    """A period that cannot be reported on; the message says why."""


@dataclass(frozen=True)
class Figures:
    applications: int = 0
    threshold_not_met: int = 0
    reviews_carried_out: int = 0
    reviews_with_recommendations: int = 0

    def as_json(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIGURES}


@dataclass(frozen=True)
class AsbReturn:
    start: dt.date
    end: dt.date
    districts: Mapping[str, Figures]
    total: Figures
    previous_start: dt.date
    previous_end: dt.date
    previous_total: Figures
    previous_districts: Mapping[str, Figures] = field(default_factory=dict)

    @property
    def period_words(self) -> str:
        return f"{en_gb(self.start)} to {en_gb(self.end)}"

    @property
    def previous_words(self) -> str:
        return f"{en_gb(self.previous_start)} to {en_gb(self.previous_end)}"

    def change(self, name: str) -> int:
        """The total's change against the previous period."""
        return int(getattr(self.total, name)) - int(getattr(self.previous_total, name))

    def as_json(self) -> dict[str, Any]:
        """The documented JSON: period, districts by name, total and previous_total (and the
        previous period's dates)."""
        return {
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "districts": {name: figures.as_json() for name, figures in self.districts.items()},
            "total": self.total.as_json(),
            "previous_total": self.previous_total.as_json(),
            "previous_period": {
                "from": self.previous_start.isoformat(),
                "to": self.previous_end.isoformat(),
            },
        }


def financial_year(containing: dt.date) -> tuple[dt.date, dt.date]:
    """The financial year (1 April to 31 March) holding the day."""
    first = containing.year if containing.month >= 4 else containing.year - 1
    return dt.date(first, 4, 1), dt.date(first + 1, 3, 31)


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before: whole months for a period of whole months
    (a financial year's previous period is the previous financial year, leap days or not),
    otherwise the same number of days."""
    next_day = end + dt.timedelta(days=1)
    if start.day == 1 and next_day.day == 1:
        months = (next_day.year - start.year) * 12 + next_day.month - start.month
        return add_months(start, -months), start - dt.timedelta(days=1)
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


def _counted(
    session: Session,
    day: InstrumentedAttribute[Any],
    start: dt.date,
    end: dt.date,
    *extra: ColumnElement[bool],
) -> dict[str, int]:
    """Reviews per district whose ``day`` falls in the period."""
    district = func.coalesce(func.nullif(Review.district, ""), NO_DISTRICT)
    rows = session.execute(
        select(district, func.count())
        .select_from(AsbDetails)
        .join(Review, Review.id == AsbDetails.review_id)
        .where(day >= start, day <= end, *extra)
        .group_by(district)
    )
    return {str(name): int(count) for name, count in rows}


#: What an upheld escalation sets aside (to be done again), by the figure it counted for: the
#: audit trail keeps it, and the return still counts it in the period it happened in.
SET_ASIDE = "set aside to be done again"
SET_ASIDE_FIGURES = {
    "threshold_not_met": "threshold_decided_on",
    "reviews_carried_out": "review_meeting_on",
    "reviews_with_recommendations": "recommendations_made_on",
}


def _set_aside(session: Session, start: dt.date, end: dt.date) -> dict[str, dict[str, int]]:
    """Decisions, meetings and recommendations that happened in the period but were set aside
    later (an upheld escalation reopens the review): a published year's figures never change."""
    found: dict[str, dict[str, int]] = {name: {} for name in SET_ASIDE_FIGURES}
    rows = session.execute(
        select(AuditEvent.detail, Review.district)
        .join(Review, Review.id == AuditEvent.review_id)
        .where(AuditEvent.action == SET_ASIDE, Review.kind == ReviewKind.ASB)
    )
    for detail, district in rows:
        try:
            earlier = json.loads(detail or "{}")
        except ValueError:
            continue
        name = district or NO_DISTRICT
        for figure, column in SET_ASIDE_FIGURES.items():
            if figure == "threshold_not_met" and earlier.get("threshold_decision") != "not_met":
                continue
            try:
                day = dt.date.fromisoformat(str(earlier.get(column)))
            except ValueError:
                continue
            if start <= day <= end:
                found[figure][name] = found[figure].get(name, 0) + 1
    return found


def _figures(session: Session, start: dt.date, end: dt.date) -> dict[str, Figures]:
    counts = {
        "applications": _counted(session, AsbDetails.received_on, start, end),
        "threshold_not_met": _counted(
            session,
            AsbDetails.threshold_decided_on,
            start,
            end,
            AsbDetails.threshold_decision == AsbThresholdDecision.NOT_MET,
        ),
        "reviews_carried_out": _counted(session, AsbDetails.review_meeting_on, start, end),
        "reviews_with_recommendations": _counted(
            session, AsbDetails.recommendations_made_on, start, end
        ),
    }
    for figure, by_district in _set_aside(session, start, end).items():
        for name, count in by_district.items():
            counts[figure][name] = counts[figure].get(name, 0) + count
    names = list(DISTRICTS) + sorted(
        {n for c in counts.values() for n in c} - set(DISTRICTS) - {NO_DISTRICT}
    )
    if any(NO_DISTRICT in c for c in counts.values()):
        names.append(NO_DISTRICT)
    return {
        name: Figures(**{figure: counts[figure].get(name, 0) for figure in FIGURES})
        for name in names
    }


def _total(districts: Mapping[str, Figures]) -> Figures:
    return Figures(**{name: sum(getattr(f, name) for f in districts.values()) for name in FIGURES})


def asb_return(session: Session, start: dt.date, end: dt.date) -> AsbReturn:
    """The return for the period, with the previous period of the same length."""
    if end < start:
        raise ReturnPeriodError(
            f"The period ends ({en_gb(end)}) before it starts ({en_gb(start)}): check the dates."
        )
    if (end - start).days > 3 * 366:
        raise ReturnPeriodError("Report on at most three years at a time.")
    districts = _figures(session, start, end)
    before_start, before_end = previous_period(start, end)
    before = _figures(session, before_start, before_end)
    return AsbReturn(start, end, districts, _total(districts), before_start, before_end,
                     _total(before), before)  # fmt: skip
