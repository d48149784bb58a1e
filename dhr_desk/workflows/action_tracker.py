"""The action tracker: every action of every review in one list, to filter by agency, review,
status, RAG, theme and due window, and to update many at once.

A bulk update changes the status or the target date of the chosen actions, always with the
reason (added to each action's evidence, dated, and audited), through the same rules as one
action's update (action_plan): complete needs its outcome, closed not completed its reason
(the reason given), a target date not before the review began. It saves all or nothing: one
action refused, or changed by someone else since it was read, and none is changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from dhr_desk.models import (
    Action,
    ActionStatus,
    Agency,
    AgencyContact,
    ChaseEvent,
    Recommendation,
    Review,
    Theme,
)
from dhr_desk.models.themes import recommendation_themes
from dhr_desk.workflows.action_plan import (
    OPEN,
    STATUS_WORDS,
    ActionPlanError,
    Progress,
    move_target_date,
    rating,
    record_progress,
)

#: The due windows offered as a filter, with the words shown for them.
DUE_WINDOWS = {
    "overdue": "Overdue",
    "next_14": "Due in the next 14 days",
    "next_30": "Due in the next 30 days",
    "no_target": "No target date",
}
#: Status filters: each status, and open or finished as a group.
STATUS_FILTERS = {"open": "Open (not started or in progress)", **STATUS_WORDS,
                  "finished": "Finished (complete or closed)"}  # fmt: skip
TRACKER_COLUMNS = (
    ("reference", "Review"),
    ("number", "Action"),
    ("target_date", "Target date"),
    ("rag", "RAG"),
    ("status", "Status"),
    ("agency", "Agency"),
    ("owner", "Owner"),
    ("description", "Action to take"),
    ("themes", "Themes"),
    ("last_chased", "Last chased"),
)


@dataclass(frozen=True)
class TrackedAction:
    """One action as the tracker lists it."""

    action_id: int
    reference: str
    number: str  # "3.1": recommendation 3, action 1
    agency: str
    owner: str
    owner_left: bool  # the owner contact has left the agency: reassign
    description: str
    themes: tuple[str, ...]
    target_date: dt.date | None
    days_overdue: int  # open and past its target date; 0 otherwise
    status: str
    status_words: str
    rag: str | None  # red / amber / green; None once finished
    rag_words: str
    completed_on: dt.date | None
    last_chased: dt.date | None
    version: int

    @property
    def open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True)
class TrackerFilter:
    """What to show; an empty field lets everything through."""

    agency: str = ""
    reference: str = ""
    status: str = ""  # a status, "open" or "finished"
    rag: str = ""
    theme: str = ""
    due: str = ""  # a key of DUE_WINDOWS

    def admits(self, row: TrackedAction, as_of: dt.date) -> bool:
        if self.agency and row.agency != self.agency:
            return False
        if self.reference and row.reference != self.reference:
            return False
        if self.status == "open":
            if not row.open:
                return False
        elif self.status == "finished":
            if row.open:
                return False
        elif self.status and row.status != self.status:
            return False
        if self.rag and row.rag != self.rag:
            return False
        if self.theme and self.theme not in row.themes:
            return False
        return not self.due or _in_window(row, self.due, as_of)


def _in_window(row: TrackedAction, due: str, as_of: dt.date) -> bool:
    """Due windows apply to open actions only: a finished action is due nothing."""
    if not row.open:
        return False
    if due == "no_target":
        return row.target_date is None
    if row.target_date is None:
        return False
    if due == "overdue":
        return row.target_date < as_of
    days = {"next_14": 14, "next_30": 30}.get(due)
    if days is None:
        raise ValueError(f"Not a due window: {due}")
    return as_of <= row.target_date <= as_of + dt.timedelta(days=days)


def filtered(
    rows: Iterable[TrackedAction], wanted: TrackerFilter, as_of: dt.date
) -> list[TrackedAction]:
    return [row for row in rows if wanted.admits(row, as_of)]


def tracked_actions(session: Session, as_of: dt.date, amber_days: int) -> list[TrackedAction]:
    """Every action, by review and number, read in three queries (actions with their review,
    agency and owner; themes; last chase) so 50,000 actions read in seconds."""
    themes: dict[int, list[str]] = defaultdict(list)
    for recommendation_id, name in session.execute(
        select(recommendation_themes.c.recommendation_id, Theme.name).join(
            Theme, Theme.id == recommendation_themes.c.theme_id
        )
    ):
        themes[recommendation_id].append(name)
    chased: dict[int, dt.datetime] = {
        action_id: sent_at
        for action_id, sent_at in session.execute(
            select(ChaseEvent.action_id, func.max(ChaseEvent.sent_at)).group_by(
                ChaseEvent.action_id
            )
        )
    }
    owner = aliased(AgencyContact)
    rows: list[TrackedAction] = []
    columns = (
        Action.id, Action.number, Action.description, Action.target_date, Action.status,
        Action.rag, Action.rag_reason, Action.completed_on, Action.version, Action.owner_name,
        owner.name, owner.active, Agency.name, Recommendation.id, Recommendation.number,
        Review.reference,
    )  # fmt: skip
    query = (
        select(*columns)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .join(Review, Review.id == Recommendation.review_id)
        .join(Agency, Agency.id == Action.lead_agency_id)
        .outerjoin(owner, owner.id == Action.owner_contact_id)
        .order_by(Review.reference, Recommendation.number, Action.number)
    )
    for (
        action_id, number, description, target, status, rag_set, rag_reason, completed_on,
        version, owner_name, contact_name, contact_active, agency, rec_id, rec_number, reference,
    ) in session.execute(query):  # fmt: skip
        status = ActionStatus(status)
        rag, rag_words = rating(status, target, rag_set, rag_reason, as_of, amber_days)
        overdue = (as_of - target).days if status in OPEN and target and target < as_of else 0
        last = chased.get(action_id)
        rows.append(
            TrackedAction(
                action_id=action_id,
                reference=reference,
                number=f"{rec_number}.{number}",
                agency=agency,
                owner=contact_name or owner_name or "",
                owner_left=contact_name is not None and not contact_active,
                description=description,
                themes=tuple(sorted(themes.get(rec_id, ()), key=str.casefold)),
                target_date=target,
                days_overdue=overdue,
                status=status.value,
                status_words=STATUS_WORDS[status.value],
                rag=rag.value if rag else None,
                rag_words=rag_words,
                completed_on=completed_on,
                last_chased=last.date() if last else None,
                version=version,
            )
        )
    return rows


# --- bulk update -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Chosen:
    """An action chosen in the tracker, with the version it was read at."""

    action_id: int
    reference: str
    number: str
    version: int


@dataclass(frozen=True)
class BulkChange:
    """One of: a new status (``outcome`` when complete) or a new target date; the reason always."""

    reason: str
    on: dt.date  # the day the update is recorded as made
    status: str | None = None
    target_date: dt.date | None = None
    outcome: str = ""


@dataclass(frozen=True)
class BulkResult:
    changed: tuple[str, ...]  # "DHR-2026-001 3.1"
    left_alone: tuple[str, ...] = field(default=())  # with why, e.g. "… 2.1: already complete"


def bulk_update(
    session: Session, actor: str, chosen: Sequence[Chosen], change: BulkChange
) -> BulkResult:
    """Apply one change to every chosen action in one transaction (the caller's): all or none.
    An action already in the status asked for, or finished when a date is moved, is left alone
    and said so."""
    if not chosen:
        raise ActionPlanError("Choose the actions to update first.")
    if not change.reason.strip():
        raise ActionPlanError("Say why these actions change: the reason is recorded on each.")
    if (change.status is None) == (change.target_date is None):
        raise ActionPlanError("Change either the status or the target date.")
    changed: list[str] = []
    left: list[str] = []
    for item in chosen:
        label = f"{item.reference} {item.number}"
        try:
            why_left = _apply(session, actor, item, change)
        except ActionPlanError as exc:
            raise ActionPlanError(f"{label}: {exc} Nothing was changed.") from None
        if why_left:
            left.append(f"{label}: {why_left}")
        else:
            changed.append(label)
    return BulkResult(tuple(changed), tuple(left))


def _apply(session: Session, actor: str, item: Chosen, change: BulkChange) -> str:
    """Make the change to one action; returns why it was left alone, or "" once changed."""
    current = session.get(Action, item.action_id)
    if change.target_date is not None:
        if current is not None and current.status not in OPEN:
            return "finished, its target date stays"
        moved = move_target_date(session, actor, item.reference, item.action_id,
                                 seen_version=item.version, target_date=change.target_date,
                                 reason=change.reason)  # fmt: skip
        return "" if moved else "already that date"
    assert change.status is not None
    if current is not None and current.status.value == change.status:
        return f"already {STATUS_WORDS.get(change.status, change.status).lower()}"
    closing = change.status == ActionStatus.CLOSED_BY_CSP.value
    record_progress(
        session, actor, item.reference, item.action_id, seen_version=item.version,
        progress=Progress(change.status, change.on, note=change.reason, outcome=change.outcome,
                          closure_reason=change.reason if closing else ""),
    )  # fmt: skip
    return ""
