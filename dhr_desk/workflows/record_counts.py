"""How many records of each kind the store holds, so an empty screen never claims "none" when
the data is there (for example after an import, before the screen that lists it exists)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from dhr_desk.models import Action, ActionStatus, Agency, Review, ReviewStatus


@dataclass(frozen=True)
class RecordCounts:
    open_reviews: int
    reviews: int
    open_actions: int
    agencies: int


def _count(
    session: Session, key: InstrumentedAttribute[int], *conditions: ColumnElement[bool]
) -> int:
    return session.scalar(select(func.count(key)).where(*conditions)) or 0


def count_records(session: Session) -> RecordCounts:
    open_action = Action.status.in_([ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS])
    return RecordCounts(
        open_reviews=_count(session, Review.id, Review.status != ReviewStatus.CLOSED),
        reviews=_count(session, Review.id),
        open_actions=_count(session, Action.id, open_action),
        agencies=_count(session, Agency.id),
    )
