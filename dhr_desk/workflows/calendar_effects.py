"""What a change to the working calendar does to the open deadlines: the deadlines whose due
date moves, from when to when (issue #4: add a one-off bank holiday and watch them move)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from dhr_desk.workflows.deadlines import Deadline, open_deadlines


@dataclass(frozen=True)
class MovedDeadline:
    reference: str
    name: str
    was: dt.date
    now: dt.date


def due_dates(session: Session, as_of: dt.date) -> dict[tuple[str, str], Deadline]:
    """Every open deadline by (review, rule), as the calendar stands in this session."""
    return {(d.reference, d.key): d for d in open_deadlines(session, as_of, [])}


def moved_deadlines(
    before: dict[tuple[str, str], Deadline], after: dict[tuple[str, str], Deadline]
) -> list[MovedDeadline]:
    """The deadlines due on another day after the change, soonest first."""
    moved = [
        MovedDeadline(key[0], deadline.name, before[key].due, deadline.due)
        for key, deadline in after.items()
        if key in before and before[key].due != deadline.due
    ]
    return sorted(moved, key=lambda m: (m.now, m.reference, m.name))
