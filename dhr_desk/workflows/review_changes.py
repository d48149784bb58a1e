"""Which change to a review someone last saw, so a change made on an out-of-date view is refused
rather than saved over another user's (issue #4: never overwrite silently).

Every change to a review writes an audit entry in the same transaction, so the newest audit
entry of the review is a token of its state. Reading identifiers writes an entry too but
changes nothing, so it does not count."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dhr_desk.models import AuditEvent, Review

READ_ONLY_ACTIONS = ("identifiers revealed",)


class ReviewChangedElsewhere(Exception):
    """The review was changed by someone else after it was read; nothing was saved."""


def last_change(session: Session, review_id: int) -> int:
    """The id of the review's newest audit entry that records a change (0 if none)."""
    newest = session.scalar(
        select(func.max(AuditEvent.id)).where(
            AuditEvent.review_id == review_id, AuditEvent.action.not_in(READ_ONLY_ACTIONS)
        )
    )
    return int(newest or 0)


def check_unchanged(session: Session, review: Review, seen: int) -> None:
    """Refuse the change if the review changed after ``seen``. On PostgreSQL the review's row
    is locked first, so two users changing one review go one after the other and the second
    sees the first's change (READ COMMITTED reads the newest committed entry)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Review.id).where(Review.id == review.id).with_for_update())
    newest = last_change(session, review.id)
    if newest != seen:
        actor, action, at = session.execute(
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.at).where(
                AuditEvent.id == newest
            )
        ).one()
        when = local_time(at)
        raise ReviewChangedElsewhere(
            f"{review.reference} was changed after you opened it ({action} by {actor} at "
            f"{when:%H:%M} on {when:%d/%m/%Y}), so your change was not saved and nothing was "
            "overwritten. Reload the review to see the change, then make yours again."
        )


def local_time(at: dt.datetime) -> dt.datetime:
    """An audit time (stored in UTC; SQLite hands it back without its zone) in local time."""
    return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone()
