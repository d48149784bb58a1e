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
from dhr_desk.workflows.resources import resources_dir
from dhr_desk.workflows.review_facts import request_kind_label

STARTER_FILE = "agencies/norfolk-starter.toml"


class DirectoryError(ValueError):
    """A change to the directory refused; the message says why. Nothing was saved."""


@dataclass(frozen=True)
class ContactEntry:
    name: str
    role: str
    email: str
    phone: str


@dataclass(frozen=True)
class OpenRequest:
    reference: str
    what: str
    requested_on: dt.date
    due_on: dt.date | None


@dataclass(frozen=True)
class OpenAction:
    reference: str
    number: str  # "3.1": recommendation 3, action 1
    description: str
    target_date: dt.date | None


@dataclass(frozen=True)
class AgencyPage:
    name: str
    kind: str
    district: str
    asb_relevant_body: bool
    contacts: tuple[ContactEntry, ...]
    open_requests: tuple[OpenRequest, ...]
    open_actions: tuple[OpenAction, ...]


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
    return list(session.scalars(select(Agency.name).order_by(Agency.name)))


def add_starter_agencies(session: Session, actor: str) -> list[str]:
    """Add the starter agencies not already present by name; returns the names added."""
    present = {n.casefold() for n in agency_names(session)}
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


def add_agency(session: Session, actor: str, *, name: str, kind: str, district: str | None) -> None:
    name = name.strip()
    if not name:
        raise DirectoryError("Give the agency's name.")
    if name.casefold() in {n.casefold() for n in agency_names(session)}:
        raise DirectoryError(f"{name} is already in the directory.")
    try:
        agency_kind = AgencyKind(kind)
    except ValueError:
        raise DirectoryError(f"'{kind}' is not a kind of agency.") from None
    session.add(Agency(name=name, kind=agency_kind, district=district or None))
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
) -> None:
    """A contact at an agency: a named person in a role, with email and phone."""
    found = session.scalars(select(Agency).where(Agency.name == agency)).first()
    if found is None:
        raise DirectoryError(f"There is no agency {agency}.")
    if not name.strip():
        raise DirectoryError("Give the contact's name.")
    if email and ("@" not in email or " " in email.strip()):
        raise DirectoryError(f"'{email}' is not an email address.")
    found.contacts.append(
        AgencyContact(
            name=name.strip(),
            role=role.strip() or None,
            email=email.strip() or None,
            phone=phone.strip() or None,
        )
    )
    session.flush()
    audit_chain.record(session, actor=actor, action="contact added", entity_type="agency",
                       entity_id=agency)  # fmt: skip


def agency_page(session: Session, name: str) -> AgencyPage:
    """An agency with its contacts and, across every review, its outstanding information
    requests and its open actions."""
    agency = session.scalars(select(Agency).where(Agency.name == name)).first()
    if agency is None:
        raise LookupError(f"There is no agency {name}.")
    contacts = tuple(
        ContactEntry(c.name, c.role or "", c.email or "", c.phone or "")
        for c in sorted(agency.contacts, key=lambda c: c.name.casefold())
        if c.active
    )
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
    actions = tuple(
        OpenAction(ref, f"{rec}.{number}", description, target)
        for ref, rec, number, description, target in session.execute(
            select(
                Review.reference,
                Recommendation.number,
                Action.number,
                Action.description,
                Action.target_date,
            )
            .join(Recommendation, Recommendation.id == Action.recommendation_id)
            .join(Review, Review.id == Recommendation.review_id)
            .where(
                Action.lead_agency_id == agency.id,
                Action.status.in_((ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)),
            )
            .order_by(Action.target_date, Review.reference)
        )
    )
    return AgencyPage(
        name=agency.name,
        kind=agency.kind.value,
        district=agency.district or "",
        asb_relevant_body=agency.asb_relevant_body,
        contacts=contacts,
        open_requests=requests,
        open_actions=actions,
    )
