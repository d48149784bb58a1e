"""Chasing: who is sent what about the actions agreed with agencies, by a policy held as data
(setting ``chasing.policy``; defaults from issue #5 and domain.md):

- a **reminder** to the action's owner 14 days before its target date;
- a **chase** to the owner from the day it falls due;
- **escalation** to the agency's lead at 14 days overdue, and to its board representative and
  the CSP chair at 28 days overdue;
- a **cooling period** of 7 days before the same action is chased again at the same step;
- an owner's **update** since the last chase counts like a chase: nothing more about that action
  until the cooling period after the update has passed;
- finished actions, and actions with no target date, are never chased;
- chases go out on working days only: a run on a weekend or bank holiday produces nothing, and
  the next working day's run picks up whatever fell due meanwhile.

One **digest per recipient** covering all their items across every review, never one message per
action; nobody with nothing due gets anything. Running twice on one day produces nothing new,
since the first run's chases are logged on each action (cooling).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from dhr_desk.models import (
    Action,
    ActionStatus,
    Agency,
    AgencyContact,
    ChaseChannel,
    ChaseEvent,
    Recommendation,
    Review,
)
from dhr_desk.security import audit_chain
from dhr_desk.workflows.action_plan import STATUS_WORDS
from dhr_desk.workflows.working_calendar import WorkingCalendar, en_gb

#: The policy's defaults; the setting ``chasing.policy`` holds the partnership's own.
DEFAULT_POLICY: dict[str, Any] = {
    "reminder_days_before": 14,
    "escalate_to_lead_days_overdue": 14,
    "escalate_to_board_days_overdue": 28,
    "cooling_days": 7,
    "csp_chair_name": "",
    "csp_chair_email": "",
}


class ChasingError(ValueError):
    """A chasing policy or run refused; the message says why. Nothing was sent or logged."""


class Step(enum.IntEnum):
    """The chasing ladder, stored as ``ChaseEvent.escalation_level``."""

    REMINDER = 0  # to the owner, before the target date
    DUE = 1  # to the owner, from the day it falls due
    LEAD = 2  # to the agency's lead
    BOARD = 3  # to the agency's board representative and the CSP chair


STEP_WORDS = {
    Step.REMINDER: "Reminder: due soon",
    Step.DUE: "Due or overdue",
    Step.LEAD: "Escalated to the agency lead",
    Step.BOARD: "Escalated to the board representative and CSP chair",
}


@dataclass(frozen=True)
class ChasePolicy:
    reminder_days_before: int
    escalate_to_lead_days_overdue: int
    escalate_to_board_days_overdue: int
    cooling_days: int
    csp_chair_name: str
    csp_chair_email: str

    @classmethod
    def from_setting(cls, value: Mapping[str, Any]) -> ChasePolicy:
        return cls(**checked_policy(value))

    def step(self, days_overdue: int) -> Step | None:
        """The step an open action is at, by days past its target date (negative: before)."""
        if days_overdue >= self.escalate_to_board_days_overdue:
            return Step.BOARD
        if days_overdue >= self.escalate_to_lead_days_overdue:
            return Step.LEAD
        if days_overdue >= 0:
            return Step.DUE
        if days_overdue >= -self.reminder_days_before:
            return Step.REMINDER
        return None


def checked_policy(value: Any) -> dict[str, Any]:
    """The policy with every field present and sensible, or ChasingError saying what is wrong."""
    if not isinstance(value, Mapping) or set(value) - set(DEFAULT_POLICY):
        raise ChasingError(f"The chasing policy has these fields: {', '.join(DEFAULT_POLICY)}.")
    policy = {**DEFAULT_POLICY, **value}
    for key, default in DEFAULT_POLICY.items():
        number = policy[key]
        if isinstance(default, int):
            if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= 365:
                raise ChasingError(f"{key} is a whole number of days, 0 to 365.")
        else:
            policy[key] = str(number or "").strip()
    if policy["cooling_days"] < 1:
        raise ChasingError("The cooling period is at least 1 day (or a run would chase twice).")
    if policy["escalate_to_board_days_overdue"] <= policy["escalate_to_lead_days_overdue"]:
        raise ChasingError("Escalation to the board comes after escalation to the agency lead.")
    if policy["csp_chair_email"] and "@" not in policy["csp_chair_email"]:
        raise ChasingError(f"'{policy['csp_chair_email']}' is not an email address.")
    return policy


@dataclass(frozen=True)
class Recipient:
    key: str  # one digest per key: the email address, or the contact, or the name
    name: str
    email: str  # "" when none is known: the digest is a letter only
    role: str  # Action owner, Agency lead, Board representative, CSP chair
    agency: str


@dataclass(frozen=True)
class ChaseItem:
    action_id: int
    reference: str
    number: str  # "3.1"
    description: str
    agency: str
    owner: str
    target_date: dt.date
    days_overdue: int  # negative: days before the target date
    step: Step
    status_words: str

    @property
    def when(self) -> str:
        if self.days_overdue < 0:
            return f"due in {-self.days_overdue} days ({en_gb(self.target_date)})"
        if self.days_overdue == 0:
            return f"due today ({en_gb(self.target_date)})"
        return f"{self.days_overdue} days overdue (was due {en_gb(self.target_date)})"


@dataclass(frozen=True)
class Digest:
    recipient: Recipient
    items: tuple[ChaseItem, ...]

    @property
    def letter_only(self) -> bool:
        return not self.recipient.email


@dataclass(frozen=True)
class ChasePlan:
    as_of: dt.date
    digests: tuple[Digest, ...]
    notes: tuple[str, ...]  # what needs a person: an owner who left, no lead recorded …
    not_chased: Mapping[str, int]  # why open actions were left alone, counted


@dataclass
class _Open:
    """An open action with a target date, as the plan reads it."""

    action_id: int
    reference: str
    number: str
    description: str
    agency_id: int
    agency: str
    target: dt.date
    status: ActionStatus
    owner_contact_id: int | None
    owner_name: str | None
    owner_email: str | None
    updated: dt.datetime | None


def _open_actions(session: Session) -> list[_Open]:
    rows = session.execute(
        select(
            Action.id, Review.reference, Recommendation.number, Action.number,
            Action.description, Agency.id, Agency.name, Action.target_date, Action.status,
            Action.owner_contact_id, Action.owner_name, Action.owner_email,
            Action.progress_updated_at,
        )
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .join(Review, Review.id == Recommendation.review_id)
        .join(Agency, Agency.id == Action.lead_agency_id)
        .where(
            Action.status.in_((ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)),
            Action.target_date.is_not(None),
        )
        .order_by(Review.reference, Recommendation.number, Action.number)
    )  # fmt: skip
    return [
        _Open(aid, ref, f"{rec}.{num}", text, agency_id, agency, target, status, owner_id,
              owner_name, owner_email, updated)
        for (aid, ref, rec, num, text, agency_id, agency, target, status, owner_id, owner_name,
             owner_email, updated) in rows
        if target is not None  # the query asked for a target date; this tells the type checker
    ]  # fmt: skip


def _last_chases(session: Session) -> dict[int, dict[int, dt.datetime]]:
    """For each action chased before, the last chase at each step."""
    last: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    for action_id, level, sent_at in session.execute(
        select(ChaseEvent.action_id, ChaseEvent.escalation_level, func.max(ChaseEvent.sent_at))
        .group_by(ChaseEvent.action_id, ChaseEvent.escalation_level)
    ):  # fmt: skip
        if isinstance(sent_at, str):  # should SQLite's max() ever come back as text
            sent_at = dt.datetime.fromisoformat(sent_at)
        if sent_at.tzinfo is None:  # stored as naive UTC on SQLite
            sent_at = sent_at.replace(tzinfo=dt.UTC)
        last[action_id][level] = sent_at
    return last


def _days_since(instant: dt.datetime, as_of: dt.date) -> int:
    return (as_of - instant.date()).days


class _Contacts:
    """The directory's active contacts, by id and by agency role; each contact's words as an
    owner, and each recipient made once (a plan meets the same few people thousands of times)."""

    def __init__(self, session: Session) -> None:
        self.by_id: dict[int, AgencyContact] = {}
        self.leads: dict[int, list[AgencyContact]] = defaultdict(list)
        self.board: dict[int, list[AgencyContact]] = defaultdict(list)
        self.owner_words: dict[int, str] = {}
        self._people: dict[tuple[int, str, str], Recipient] = {}
        for contact in session.scalars(select(AgencyContact)):
            self.by_id[contact.id] = contact
            self.owner_words[contact.id] = contact.name + ("" if contact.active else " (has left)")
            if not contact.active:
                continue
            if contact.is_agency_lead:
                self.leads[contact.agency_id].append(contact)
            if contact.is_board_representative:
                self.board[contact.agency_id].append(contact)

    def person(self, contact: AgencyContact, role: str, agency: str) -> Recipient:
        key = (contact.id, role, agency)
        found = self._people.get(key)
        if found is None:
            found = self._people[key] = _person(contact, role, agency)
        return found


def _person(contact: AgencyContact, role: str, agency: str) -> Recipient:
    email = (contact.email or "").strip()
    key = f"email:{email.casefold()}" if email else f"contact:{contact.id}"
    return Recipient(key, contact.name, email, role, agency)


def plan_chase(
    session: Session, as_of: dt.date, calendar: WorkingCalendar, policy: ChasePolicy
) -> ChasePlan:
    """Who gets what on ``as_of``, by the policy (see the module note). Reads only."""
    if not calendar.is_working_day(as_of):
        note = (f"{en_gb(as_of)} is not a working day: chases go out on working days, and "
                "the next one picks up what fell due.")  # fmt: skip
        return ChasePlan(as_of, (), (note,), {})
    contacts = _Contacts(session)
    last = _last_chases(session)
    grouped: dict[str, tuple[Recipient, list[ChaseItem]]] = {}
    notes: list[str] = []
    skipped: dict[str, int] = defaultdict(int)
    for action in _open_actions(session):
        days = (as_of - action.target).days
        step = policy.step(days)
        if step is None:
            skipped["not yet due for a reminder"] += 1
            continue
        chased = last.get(action.action_id, {})
        at_step = chased.get(int(step))
        if at_step is not None and _days_since(at_step, as_of) < policy.cooling_days:
            skipped["chased at this step within the cooling period"] += 1
            continue
        latest = max(chased.values(), default=None)
        if (
            latest is not None
            and action.updated is not None
            and action.updated > latest
            and _days_since(action.updated, as_of) < policy.cooling_days
        ):
            skipped["updated by its owner since the last chase"] += 1
            continue
        recipients = _recipients(action, step, contacts, policy, notes)
        if not recipients:
            skipped["nobody to send it to (see the notes)"] += 1
            continue
        owner = _owner_words(action, contacts)
        item = ChaseItem(action.action_id, action.reference, action.number, action.description,
                         action.agency, owner, action.target, days, step,
                         STATUS_WORDS[action.status.value])  # fmt: skip
        for recipient in recipients:
            grouped.setdefault(recipient.key, (recipient, []))[1].append(item)
    digests = tuple(
        Digest(recipient, tuple(sorted(items, key=lambda i: (-i.step, -i.days_overdue,
                                                             i.reference, i.number))))
        for recipient, items in sorted(grouped.values(), key=lambda g: g[0].name.casefold())
    )  # fmt: skip
    return ChasePlan(as_of, digests, tuple(dict.fromkeys(notes)), dict(skipped))


def _owner_words(action: _Open, contacts: _Contacts) -> str:
    words = contacts.owner_words.get(action.owner_contact_id or -1)
    if words is not None:
        return words
    return action.owner_name or "no owner named"


def _recipients(
    action: _Open, step: Step, contacts: _Contacts, policy: ChasePolicy, notes: list[str]
) -> list[Recipient]:
    where = f"{action.reference} action {action.number} ({action.agency})"
    if step in (Step.REMINDER, Step.DUE):
        contact = contacts.by_id.get(action.owner_contact_id or -1)
        if contact is not None and contact.active:
            return [contacts.person(contact, "Action owner", action.agency)]
        if contact is None and (action.owner_name or action.owner_email):
            email = (action.owner_email or "").strip()
            name = action.owner_name or email
            key = f"email:{email.casefold()}" if email else f"name:{name.casefold()}"
            return [Recipient(key, name, email, "Action owner", action.agency)]
        why = "its owner has left: reassign it" if contact is not None else "it has no owner"
        leads = contacts.leads.get(action.agency_id, [])
        notes.append(f"{where}: {why}; " + ("sent to the agency lead meanwhile." if leads else
                     "and the agency has no lead recorded, so nobody was chased."))  # fmt: skip
        return [contacts.person(c, "Agency lead", action.agency) for c in leads]
    if step is Step.LEAD:
        leads = contacts.leads.get(action.agency_id, [])
        if not leads:
            notes.append(f"{where}: no agency lead recorded, so the escalation was not sent. "
                         "Mark a contact as the agency's lead under Agencies.")  # fmt: skip
        return [contacts.person(c, "Agency lead", action.agency) for c in leads]
    found = [contacts.person(c, "Board representative", action.agency)
             for c in contacts.board.get(action.agency_id, [])]  # fmt: skip
    if not found:
        notes.append(f"{where}: no board representative recorded at {action.agency}. Mark one "
                     "under Agencies.")  # fmt: skip
    if policy.csp_chair_name or policy.csp_chair_email:
        email = policy.csp_chair_email
        key = f"email:{email.casefold()}" if email else "csp-chair"
        found.append(Recipient(key, policy.csp_chair_name or "CSP Chair", email, "CSP chair",
                               "Community Safety Partnership"))  # fmt: skip
    else:
        notes.append("The CSP chair is not set in the chasing policy, so escalations to the "
                     "board go to the agencies' board representatives only.")  # fmt: skip
    return found


def record_chases(
    session: Session, actor: str, plan: ChasePlan, files: Mapping[str, Sequence[str]]
) -> int:
    """Log each chase on every action its digest covers (step, recipient, date, files);
    returns the number of chases logged. ``files``: the files made, by recipient key."""
    sent_at = dt.datetime.combine(plan.as_of, dt.datetime.now(dt.UTC).time(), tzinfo=dt.UTC)
    rows: list[dict[str, Any]] = []
    for digest in plan.digests:
        digest_id = uuid.uuid4().hex
        names = ", ".join(files.get(digest.recipient.key, ()))
        channel = ChaseChannel.LETTER if digest.letter_only else ChaseChannel.EML_DRAFT
        rows += [
            {"action_id": item.action_id, "sent_at": sent_at,
             "recipient_email": digest.recipient.email or None,
             "recipient_name": digest.recipient.name, "escalation_level": int(item.step),
             "channel": channel, "digest_id": digest_id, "note": names or None}
            for item in digest.items
        ]  # fmt: skip
    table = ChaseEvent.metadata.tables[ChaseEvent.__tablename__]  # Core: ORM bulk is slower
    for start in range(0, len(rows), 5000):  # one INSERT per batch: 50,000 chases in seconds
        session.execute(insert(table), rows[start : start + 5000])
    logged = len(rows)
    audit_chain.record(session, actor=actor, action="chase run", entity_type="chasing",
                       entity_id=plan.as_of.isoformat(),
                       detail={"digests": len(plan.digests), "chases": logged})  # fmt: skip
    return logged


def items_by_step(items: Iterable[ChaseItem]) -> dict[Step, list[ChaseItem]]:
    found: dict[Step, list[ChaseItem]] = defaultdict(list)
    for item in items:
        found[item.step].append(item)
    return dict(sorted(found.items(), reverse=True))
