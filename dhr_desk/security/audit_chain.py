"""The tamper-evident audit log: every change records who, when, what and why, each entry
chained to the one before by a SHA-256 hash, so an edited or deleted entry breaks the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dhr_desk.models import AuditEvent

GENESIS = "0" * 64
AUDIT_LOCK_KEY = 0x444852  # "DHR": the advisory lock that orders audit appends


def _digest(
    prev_hash: str,
    at: dt.datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str | None,
    review_id: int | None,
    detail: str | None,
) -> str:
    canonical = json.dumps(
        [prev_hash, at.isoformat(), actor, action, entity_type, entity_id, review_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str | int | None = None,
    review_id: int | None = None,
    detail: Mapping[str, object] | None = None,
) -> AuditEvent:
    """Append an entry in the caller's transaction (it commits or rolls back with the change).

    On PostgreSQL a transaction-scoped advisory lock makes concurrent writers append one after
    the other (on SQLite the write lock already does), so the chain never forks and nobody
    meets a unique-key error."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).first()
    prev_hash = last.hash if last is not None else GENESIS
    at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    detail_text = (
        json.dumps(detail, sort_keys=True, default=str, ensure_ascii=False) if detail else None
    )
    ident = None if entity_id is None else str(entity_id)
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=ident,
        review_id=review_id,
        detail=detail_text,
        prev_hash=prev_hash,
        hash=_digest(prev_hash, at, actor, action, entity_type, ident, review_id, detail_text),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    intact: bool
    first_broken_id: int | None = None


def verify(session: Session) -> ChainCheck:
    """Walk the chain from the first entry; report the first entry that does not fit."""
    prev = GENESIS
    count = 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        count += 1
        expected = _digest(
            prev,
            event.at.replace(tzinfo=dt.UTC) if event.at.tzinfo is None else event.at,
            event.actor,
            event.action,
            event.entity_type,
            event.entity_id,
            event.review_id,
            event.detail,
        )
        if event.prev_hash != prev or event.hash != expected:
            return ChainCheck(count, False, event.id)
        prev = event.hash
    return ChainCheck(count, True)
