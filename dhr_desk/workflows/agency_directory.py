"""The agencies and people directory: agencies with their contacts, the starter list of Norfolk
agencies (data in ``resources/agencies``), and each agency's open information requests and
actions across every review (domain.md: the partnership holds agencies to account)."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import (
    Action,
    ActionStatus,
    Agency,
    AgencyContact,
    AgencyKind,
    InformationRequest,
    Recommendation,
    Review,
)
from dhr_desk.security import audit_chain
from dhr_desk.workflows.action_plan import OPEN, STATUS_WORDS
from dhr_desk.workflows.resources import resources_dir
from dhr_desk.workflows.review_changes import ReviewChangedElsewhere
from dhr_desk.workflows.review_facts import request_kind_label

STARTER_FILE = "agencies/norfolk-starter.toml"


class DirectoryError(ValueError):
    """A change to the directory refused; the message says why. Nothing was saved."""


@dataclass(frozen=True)
class ContactEntry:
    id: int
    name: str
    role: str
    email: str
    phone: str
    agency_lead: bool  # the chasing escalation's first step above the action owner
    board_representative: bool  # the step after that, with the CSP chair
    version: int


@dataclass(frozen=True)
class DirectoryEntry:
    """An agency as the directory lists it; a retired agency stays listed, marked."""

    name: str
    active: bool


@dataclass(frozen=True)
class OpenRequest:
    reference: str
    what: str
    requested_on: dt.date
    due_on: dt.date | None


@dataclass(frozen=True)
class AgencyAction:
    reference: str
    number: str  # "3.1": recommendation 3, action 1
    description: str
    target_date: dt.date | None
    status_words: str
    open: bool


@dataclass(frozen=True)
class AgencyPage:
    name: str
    kind: str
    district: str
    asb_relevant_body: bool
    active: bool
    version: int
    contacts: tuple[ContactEntry, ...]
    open_requests: tuple[OpenRequest, ...]
    actions: tuple[AgencyAction, ...]  # every one, open first, then by target date


@dataclass(frozen=True)
class StarterAgency:
    name: str
    kind: str
    district: str | None
    asb_relevant_body: bool


def starter_list(path: Path | None = None) -> list[StarterAgency]:
    """The starter list, checked: every entry a name and a known kind."""
    source = path or resources_dir() / STARTER_FILE
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    kinds = {k.value for k in AgencyKind}
    found = []
    for i, raw in enumerate(data.get("agencies", [])):
        name, kind = str(raw.get("name", "")).strip(), raw.get("kind")
        if not name or kind not in kinds:
            raise DirectoryError(f"{source.name}: agencies[{i}] needs a name and a known kind")
        found.append(
            StarterAgency(name, str(kind), raw.get("district"), bool(raw.get("asb_relevant_body")))
        )
    return found


def agency_names(session: Session) -> list[str]:
    """The agencies that may be chosen for new work (retired ones are not offered)."""
    return list(
        session.scalars(select(Agency.name).where(Agency.active.is_(True)).order_by(Agency.name))
    )


def directory(session: Session) -> list[DirectoryEntry]:
    """Every agency, retired ones included, by name."""
    return [
        DirectoryEntry(name, active)
        for name, active in session.execute(
            select(Agency.name, Agency.active).order_by(Agency.name)
        )
    ]


def _all_names(session: Session) -> set[str]:
    return {n.casefold() for n in session.scalars(select(Agency.name))}


def _find_agency(session: Session, name: str) -> Agency:
    found = session.scalars(select(Agency).where(Agency.name == name)).first()
    if found is None:
        raise DirectoryError(f"There is no agency {name}.")
    return found


def _check_seen(what: str, version: int, seen_version: int) -> None:
    if version != seen_version:
        raise ReviewChangedElsewhere(
            f"Someone else changed {what} after you opened it, so your edit was not saved and "
            "nothing was overwritten. Look at their change, then make yours again."
        )


def _kind(kind: str) -> AgencyKind:
    try:
        return AgencyKind(kind)
    except ValueError:
        raise DirectoryError(f"'{kind}' is not a kind of agency.") from None


def _checked_email(email: str) -> str | None:
    email = email.strip()
    if email and ("@" not in email or " " in email):
        raise DirectoryError(f"'{email}' is not an email address.")
    return email or None


def add_starter_agencies(session: Session, actor: str) -> list[str]:
    """Add the starter agencies not already present by name; returns the names added."""
    present = _all_names(session)  # a retired agency is not added again
    added = []
    for entry in starter_list():
        if entry.name.casefold() in present:
            continue
        session.add(
            Agency(
                name=entry.name,
                kind=AgencyKind(entry.kind),
                district=entry.district,
                asb_relevant_body=entry.asb_relevant_body,
            )
        )
        added.append(entry.name)
    if added:
        session.flush()
        audit_chain.record(
            session, actor=actor, action="starter agencies added", entity_type="agency",
            detail={"agencies": added},
        )  # fmt: skip
    return added


def add_agency(
    session: Session,
    actor: str,
    *,
    name: str,
    kind: str,
    district: str | None,
    asb_relevant_body: bool = False,
) -> None:
    name = name.strip()
    if not name:
        raise DirectoryError("Give the agency's name.")
    if name.casefold() in _all_names(session):
        raise DirectoryError(f"{name} is already in the directory.")
    session.add(Agency(name=name, kind=_kind(kind), district=district or None,
                       asb_relevant_body=asb_relevant_body))  # fmt: skip
    session.flush()
    audit_chain.record(session, actor=actor, action="agency added", entity_type="agency",
                       entity_id=name)  # fmt: skip


def add_contact(
    session: Session,
    actor: str,
    agency: str,
    *,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    agency_lead: bool = False,
    board_representative: bool = False,
) -> None:
    """A contact at an agency: a named person in a role, with email and phone."""
    found = _find_agency(session, agency)
    if not name.strip():
        raise DirectoryError("Give the contact's name.")
    found.contacts.append(
        AgencyContact(
            name=name.strip(),
            role=role.strip() or None,
            email=_checked_email(email),
            phone=phone.strip() or None,
            is_agency_lead=agency_lead,
            is_board_representative=board_representative,
        )
    )
    session.flush()
    audit_chain.record(session, actor=actor, action="contact added", entity_type="agency",
                       entity_id=agency)  # fmt: skip


def update_agency(
    session: Session,
    actor: str,
    name: str,
    *,
    seen_version: int,
    new_name: str,
    kind: str,
    district: str | None,
    asb_relevant_body: bool,
) -> list[str]:
    """Save an edit of an agency made on the version read (another edit saved meanwhile is
    refused, nothing overwritten). Requests, panel places and actions follow the agency, renamed
    or not. Returns the fields changed."""
    agency = _find_agency(session, name)
    _check_seen(f"the agency {name}", agency.version, seen_version)
    new_name = new_name.strip()
    if not new_name:
        raise DirectoryError("Give the agency's name.")
    if new_name.casefold() != name.casefold() and new_name.casefold() in _all_names(session):
        raise DirectoryError(f"{new_name} is already in the directory.")
    wanted = {
        "name": new_name,
        "kind": _kind(kind),
        "district": district or None,
        "asb_relevant_body": asb_relevant_body,
    }
    changed = [field for field, value in wanted.items() if getattr(agency, field) != value]
    if changed:
        for field in changed:
            setattr(agency, field, wanted[field])
        session.flush()
        audit_chain.record(session, actor=actor, action="agency changed", entity_type="agency",
                           entity_id=new_name, detail={"fields": changed, "was": name})  # fmt: skip
    return changed


def set_agency_active(
    session: Session, actor: str, name: str, *, active: bool, reason: str = ""
) -> None:
    """Retire an agency (it stays on every record that names it, but is no longer offered for
    new requests, panel places or actions), with the reason; or reinstate it."""
    agency = _find_agency(session, name)
    if agency.active == active:
        return
    if not active and not reason.strip():
        raise DirectoryError("Say why the agency is retired (for example, merged into another).")
    agency.active = active
    session.flush()
    audit_chain.record(session, actor=actor,
                       action="agency retired" if not active else "agency reinstated",
                       entity_type="agency", entity_id=name,
                       detail={"reason": reason.strip()} if reason.strip() else None)  # fmt: skip


def _contact(session: Session, contact_id: int) -> AgencyContact:
    contact = session.get(AgencyContact, contact_id)
    if contact is None:
        raise DirectoryError("That contact is no longer in the directory: reload the agency.")
    return contact


def update_contact(
    session: Session,
    actor: str,
    contact_id: int,
    *,
    seen_version: int,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    agency_lead: bool = False,
    board_representative: bool = False,
) -> list[str]:
    """Save an edit of a contact made on the version read. Returns the fields changed."""
    contact = _contact(session, contact_id)
    _check_seen(f"the contact {contact.name}", contact.version, seen_version)
    if not name.strip():
        raise DirectoryError("Give the contact's name.")
    wanted = {
        "name": name.strip(),
        "role": role.strip() or None,
        "email": _checked_email(email),
        "phone": phone.strip() or None,
        "is_agency_lead": agency_lead,
        "is_board_representative": board_representative,
    }
    changed = [field for field, value in wanted.items() if getattr(contact, field) != value]
    if changed:
        for field in changed:
            setattr(contact, field, wanted[field])
        session.flush()
        audit_chain.record(session, actor=actor, action="contact changed", entity_type="agency",
                           entity_id=contact.agency.name,
                           detail={"contact": contact_id, "fields": changed})  # fmt: skip
    return changed


def retire_contact(session: Session, actor: str, contact_id: int, *, reason: str) -> int:
    """A contact who has left or moved on: kept on the records that name them, no longer
    listed or chased. Returns how many open actions they own (to be reassigned)."""
    contact = _contact(session, contact_id)
    if not reason.strip():
        raise DirectoryError("Say why the contact is retired (for example, left the agency).")
    owned = len(
        session.scalars(
            select(Action.id).where(Action.owner_contact_id == contact.id, Action.status.in_(OPEN))
        ).all()
    )
    if not contact.active:
        return owned
    contact.active = False
    session.flush()
    audit_chain.record(session, actor=actor, action="contact retired", entity_type="agency",
                       entity_id=contact.agency.name,
                       detail={"contact": contact_id, "reason": reason.strip()})  # fmt: skip
    return owned


def _contact_entries(agency: Agency) -> tuple[ContactEntry, ...]:
    return tuple(
        ContactEntry(
            c.id,
            c.name,
            c.role or "",
            c.email or "",
            c.phone or "",
            c.is_agency_lead,
            c.is_board_representative,
            c.version,
        )
        for c in sorted(agency.contacts, key=lambda c: c.name.casefold())
        if c.active
    )


def agency_contacts(session: Session, name: str) -> list[ContactEntry]:
    """An agency's current contacts, by name (to choose an action's owner from)."""
    agency = session.scalars(select(Agency).where(Agency.name == name)).first()
    if agency is None:
        raise LookupError(f"There is no agency {name}.")
    return list(_contact_entries(agency))


def agency_page(session: Session, name: str) -> AgencyPage:
    """An agency with its contacts and, across every review, its outstanding information
    requests and its open actions."""
    agency = session.scalars(select(Agency).where(Agency.name == name)).first()
    if agency is None:
        raise LookupError(f"There is no agency {name}.")
    contacts = _contact_entries(agency)
    requests = tuple(
        OpenRequest(ref, request_kind_label(kind.value), requested, due)
        for ref, kind, requested, due in session.execute(
            select(
                Review.reference,
                InformationRequest.kind,
                InformationRequest.requested_on,
                InformationRequest.due_on,
            )
            .join(Review, Review.id == InformationRequest.review_id)
            .where(
                InformationRequest.agency_id == agency.id,
                InformationRequest.received_on.is_(None),
            )
            .order_by(InformationRequest.due_on, Review.reference)
        )
    )
    listed = [
        AgencyAction(ref, f"{rec}.{number}", description, target,
                     STATUS_WORDS[ActionStatus(status).value], ActionStatus(status) in OPEN)
        for ref, rec, number, description, target, status in session.execute(
            select(
                Review.reference,
                Recommendation.number,
                Action.number,
                Action.description,
                Action.target_date,
                Action.status,
            )
            .join(Recommendation, Recommendation.id == Action.recommendation_id)
            .join(Review, Review.id == Recommendation.review_id)
            .where(Action.lead_agency_id == agency.id)
        )
    ]  # fmt: skip

    def order(a: AgencyAction) -> tuple[bool, bool, dt.date, str, str]:
        return (not a.open, a.target_date is None, a.target_date or dt.date.max, a.reference,
                a.number)  # fmt: skip

    actions = tuple(sorted(listed, key=order))
    return AgencyPage(
        name=agency.name,
        kind=agency.kind.value,
        district=agency.district or "",
        asb_relevant_body=agency.asb_relevant_body,
        active=agency.active,
        version=agency.version,
        contacts=contacts,
        open_requests=requests,
        actions=actions,
    )
