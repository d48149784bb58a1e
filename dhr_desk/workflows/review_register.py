"""The reviews register: one plain row per review (reference, kind, pseudonymous title,
district, stage, next deadline and its status, lead officer, chair), for the desk's table and
its exports. Built in a few queries, not per review, so 100,000 reviews load in seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session, aliased

from dhr_desk.models import DhrDetails, PanelMember, Review, User
from dhr_desk.workflows.deadlines import Deadline, open_deadlines
from dhr_desk.workflows.settings_registry import get_setting
from dhr_desk.workflows.stage_templates import TemplateError, template

#: The register's columns, in order, with their headings (CSV/XLSX exports use the same).
REGISTER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("reference", "Reference"),
    ("kind_label", "Kind"),
    ("title", "Pseudonym / title"),
    ("district", "District"),
    ("stage_name", "Stage"),
    ("status", "Status"),
    ("next_deadline", "Next deadline"),
    ("next_due", "Due"),
    ("next_status", "Deadline status"),
    ("lead_officer", "Lead officer"),
    ("chair", "Chair"),
)

STATUS_WORDS = {
    "open": "Open",
    "paused": "Paused",
    "closed": "Closed",
    "upcoming": "Upcoming",
    "due_soon": "Due soon",
    "overdue": "Overdue",
    "met": "Met",
    "": "",
}


class RegisterRow(NamedTuple):
    """One review as the register shows it (a NamedTuple: built 100,000 at a time)."""

    reference: str
    kind: str  # "dhr" or "asb"
    kind_label: str  # "DHR" or "DARDR" (setting dhr.display_name), or "ASB"
    title: str
    district: str
    stage: str
    stage_name: str
    status: str  # open / paused / closed
    next_deadline: str
    next_due: dt.date | None
    next_status: str  # upcoming / due_soon / overdue / paused, or "" when none is open
    days_overdue: int
    lead_officer: str
    chair: str


def register_rows(
    session: Session,
    as_of: dt.date,
    deadlines: Sequence[Deadline] | None = None,
    problems: list[str] | None = None,
) -> tuple[list[RegisterRow], list[str]]:
    """Every review with its soonest open deadline on ``as_of``, in reference order; and the
    problems met on the way (a review whose deadlines cannot be worked out is still listed,
    without a next deadline). ``deadlines`` (soonest first) saves working them out again."""
    problems = [] if problems is None else problems
    if deadlines is None:
        deadlines = open_deadlines(session, as_of, problems)
    soonest: dict[str, Deadline] = {}
    for deadline in deadlines:  # soonest first
        soonest.setdefault(deadline.reference, deadline)
    dhr_label = str(get_setting(session, "dhr.display_name"))
    chair = aliased(PanelMember)
    statement = (
        select(
            Review.reference,
            type_coerce(Review.kind, String),
            Review.title,
            Review.district,
            Review.stage_key,
            type_coerce(Review.status, String),
            Review.template_key,
            Review.template_version,
            User.display_name,
            chair.name,
        )
        .select_from(Review)
        .outerjoin(User, User.id == Review.lead_officer_id)
        .outerjoin(DhrDetails, DhrDetails.review_id == Review.id)
        .outerjoin(chair, chair.id == DhrDetails.chair_id)
        .order_by(Review.reference)
    )
    stage_names: dict[tuple[str, str, str], str] = {}
    rows: list[RegisterRow] = []
    for (
        reference,
        kind,
        title,
        district,
        stage,
        status,
        key,
        version,
        lead,
        chaired,
    ) in session.connection().execute(statement):
        name = stage_names.get((key, version, stage))
        if name is None:
            try:
                name = template(key, version).stage(stage).name
            except (TemplateError, KeyError):
                name = stage.replace("_", " ").capitalize()
            stage_names[(key, version, stage)] = name
        next_one = soonest.get(reference)
        rows.append(
            RegisterRow(
                reference,
                kind,
                dhr_label if kind == "dhr" else "ASB",
                title,
                district or "",
                stage,
                name,
                status,
                next_one.name if next_one else "",
                next_one.due if next_one else None,
                next_one.status if next_one else "",
                next_one.days_overdue if next_one else 0,
                lead or "",
                chaired or "",
            )
        )
    return rows, problems
