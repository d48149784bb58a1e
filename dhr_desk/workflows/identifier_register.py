"""The identifier register: the real people in a review and the pseudonym each is given in every
document that leaves the team (domain.md: anonymisation is a hard rule; pseudonyms only, no real
names or dates of birth; professionals by role).

Lists show real identifiers masked. Seeing them is a deliberate act with a reason, and each
reveal is audited (who, when, why, which entry) without copying an identifier into the log;
the audit log is kept longer than the review and cannot be edited."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import PersonRole, Review, ReviewPerson
from dhr_desk.security import audit_chain
from dhr_desk.workflows.review_changes import ReviewChangedElsewhere
from dhr_desk.workflows.working_calendar import en_gb

MASK = "●●●●●●"
ROLE_WORDS = {
    "victim": "Victim",
    "perpetrator": "Perpetrator",
    "child": "Child",
    "relative": "Relative",
    "friend": "Friend",
    "witness": "Witness",
    "professional": "Professional",
    "other": "Other",
}
IDENTIFIER_FIELDS = (
    "real_name",
    "nicknames",
    "date_of_birth",
    "date_of_death",
    "address",
    "workplace",
    "other_identifiers",
)
SHORTEST_NAME_PART = 3  # "Jo" in a pseudonym is not taken for a real name's part


class IdentifierError(ValueError):
    """A change to the identifier register refused; the message says why. Nothing was saved."""


@dataclass(frozen=True)
class PersonDetails:
    """What is typed for one person: identifiers (never published) and the pseudonym."""

    role: str
    real_name: str
    pseudonym: str | None = None
    pseudonym_agreed_with_family: bool = False
    role_description: str | None = None
    relationship_to_victim: str | None = None
    nicknames: str | None = None
    date_of_birth: dt.date | None = None
    date_of_death: dt.date | None = None
    address: str | None = None
    workplace: str | None = None
    other_identifiers: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class PersonEntry:
    """One row of the register as listed: identifiers masked, the pseudonym in full."""

    person_id: int
    version: int
    role: str
    described_as: str  # role description and relationship, e.g. "GP 1", "mother"
    pseudonym: str  # or a note that none is set yet
    pseudonym_agreed: bool
    real_name: str  # always MASK
    date_of_birth: str  # MASK, or "not recorded"
    address: str  # MASK, or "not recorded"


@dataclass(frozen=True)
class RevealedPerson:
    """One person's details in full, handed out only by ``reveal_person`` (audited)."""

    person_id: int
    version: int
    details: PersonDetails


def _review(session: Session, reference: str) -> Review:
    review = session.scalars(select(Review).where(Review.reference == reference)).first()
    if review is None:
        raise IdentifierError(f"There is no review {reference}.")
    return review


def _person(session: Session, review: Review, person_id: int) -> ReviewPerson:
    person = session.get(ReviewPerson, person_id)
    if person is None or person.review_id != review.id:
        raise IdentifierError(
            f"{review.reference} has no such person in its register (it may have been removed "
            "by someone else). Reload the review."
        )
    return person


def people(session: Session, reference: str) -> list[PersonEntry]:
    """The review's register, victims first, identifiers masked."""
    review = _review(session, reference)
    order = list(ROLE_WORDS)
    rows = session.scalars(select(ReviewPerson).where(ReviewPerson.review_id == review.id)).all()
    rows = sorted(rows, key=lambda p: (order.index(p.role.value), p.id))
    return [
        PersonEntry(
            person_id=p.id,
            version=p.version,
            role=ROLE_WORDS[p.role.value],
            described_as=", ".join(x for x in (p.role_description, p.relationship_to_victim) if x),
            pseudonym=p.pseudonym or "none yet: set one before any document leaves the team",
            pseudonym_agreed=p.pseudonym_agreed_with_family,
            real_name=MASK,
            date_of_birth=MASK if p.date_of_birth else "not recorded",
            address=MASK if p.address else "not recorded",
        )
        for p in rows
    ]


def _name_parts(text: str | None) -> set[str]:
    """The words of a name, casefolded, three letters or more: "Mary-Jane O'Brien" gives
    mary-jane, mary, jane, o'brien and brien (each piece of a joined name counts too)."""
    parts: set[str] = set()
    for word in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text or ""):
        for piece in (word, *re.split(r"['’-]", word)):
            if len(piece) >= SHORTEST_NAME_PART:
                parts.add(piece.casefold())
    return parts


def shares_name_part(pseudonym: str, *names: str | None) -> bool:
    """Whether the pseudonym has a word (three letters or more) in common with any of the
    names, ignoring case: "Robin" is no pseudonym for Robin Smith, nor for anyone nicknamed
    Robin."""
    real: set[str] = set()
    for name in names:
        real |= _name_parts(name)
    return bool(_name_parts(pseudonym) & real)


def _check(session: Session, review: Review, details: PersonDetails, person_id: int | None) -> None:
    """The rules a register entry keeps; each refusal says what to change."""
    if details.role not in ROLE_WORDS:
        raise IdentifierError(f"'{details.role}' is not a role in the register.")
    if not details.real_name.strip():
        raise IdentifierError("Enter the person's real name (it is never published).")
    today = dt.date.today()
    for label, day in (("date of birth", details.date_of_birth),
                       ("date of death", details.date_of_death)):  # fmt: skip
        if day is not None and day > today:
            raise IdentifierError(f"The {label} {en_gb(day)} is after today. Check the year.")
    if (
        details.date_of_birth is not None
        and details.date_of_death is not None
        and details.date_of_death < details.date_of_birth
    ):
        raise IdentifierError(
            f"The date of death {en_gb(details.date_of_death)} is before the date of birth "
            f"{en_gb(details.date_of_birth)}. Check both dates."
        )
    pseudonym = (details.pseudonym or "").strip()
    others = session.scalars(select(ReviewPerson).where(ReviewPerson.review_id == review.id)).all()
    for other in others:  # this person's names may not appear in anyone's pseudonym either
        if (
            other.id != person_id
            and other.pseudonym
            and shares_name_part(other.pseudonym, details.real_name, details.nicknames)
        ):
            raise IdentifierError(
                f"This person's name or a nickname shares a word with the pseudonym "
                f"'{other.pseudonym}' of another person in {review.reference}. Change that "
                "pseudonym first, so no pseudonym points to a real person."
            )
    if not pseudonym:
        return
    for other in others:
        if other.id != person_id and (other.pseudonym or "").casefold() == pseudonym.casefold():
            raise IdentifierError(
                f"'{pseudonym}' is already the pseudonym of another person in {review.reference}. "
                "Each person needs their own."
            )
    names = [details.real_name, details.nicknames]
    for other in others:
        if other.id != person_id:
            names += [other.real_name, other.nicknames]
    if shares_name_part(pseudonym, *names):
        raise IdentifierError(
            f"The pseudonym '{pseudonym}' contains part of a real name or nickname in this "
            "review's register. Choose a pseudonym that shares no part with anyone's real name."
        )


def _apply(person: ReviewPerson, details: PersonDetails) -> list[str]:
    """Copy the details on; the names of the fields that changed."""
    changed = []
    for item in fields(PersonDetails):
        value = getattr(details, item.name)
        if isinstance(value, str):
            value = value.strip() or None
        if item.name == "role":
            value = PersonRole(value)
        if item.name == "pseudonym_agreed_with_family":
            value = bool(value)
        if getattr(person, item.name) != value:
            setattr(person, item.name, value)
            changed.append(item.name)
    return changed


def add_person(session: Session, actor: str, reference: str, details: PersonDetails) -> int:
    """Add a person to the register; the audit names the role and pseudonym, not the person."""
    review = _review(session, reference)
    _check(session, review, details, None)
    person = ReviewPerson(review_id=review.id, real_name=details.real_name.strip(),
                          role=PersonRole(details.role))  # fmt: skip
    _apply(person, details)
    session.add(person)
    session.flush()
    audit_chain.record(session, actor=actor, action="person added", entity_type="review",
                       entity_id=review.reference, review_id=review.id,
                       detail={"person": person.id, "role": details.role,
                               "pseudonym": person.pseudonym or "not set"})  # fmt: skip
    return person.id


def update_person(
    session: Session,
    actor: str,
    reference: str,
    person_id: int,
    *,
    seen_version: int,
    details: PersonDetails,
) -> list[str]:
    """Save an edit made on the version read; if someone saved another edit of this person
    meanwhile, refuse (nothing is overwritten). Returns the fields changed."""
    review = _review(session, reference)
    person = _person(session, review, person_id)
    if person.version != seen_version:
        raise ReviewChangedElsewhere(
            f"Someone else changed this person's entry in {reference} after you opened it, so "
            "your edit was not saved and nothing was overwritten. Reload the review, then make "
            "your edit again."
        )
    _check(session, review, details, person_id)
    changed = _apply(person, details)
    if changed:
        session.flush()  # the version check happens here too (UPDATE … WHERE version = …)
        identifiers = [name for name in changed if name in IDENTIFIER_FIELDS]
        audit_chain.record(session, actor=actor, action="person changed", entity_type="review",
                           entity_id=reference, review_id=review.id,
                           detail={"person": person_id, "fields": changed,
                                   "identifiers_changed": bool(identifiers),
                                   "pseudonym": person.pseudonym or "not set"})  # fmt: skip
    return changed


def reveal_person(
    session: Session, actor: str, reference: str, person_id: int, *, why: str
) -> RevealedPerson:
    """One person's identifiers in full, for a stated reason; the reveal is audited."""
    if not why.strip():
        raise IdentifierError("Say why you need to see the real identifiers (it is audited).")
    review = _review(session, reference)
    person = _person(session, review, person_id)
    audit_chain.record(
        session,
        actor=actor,
        action="identifiers revealed",
        entity_type="review",
        entity_id=reference,
        review_id=review.id,
        detail={"person": person_id, "role": person.role.value,
                "pseudonym": person.pseudonym or "not set", "why": why.strip()},
    )  # fmt: skip
    details = PersonDetails(
        **{item.name: getattr(person, item.name) for item in fields(PersonDetails)}
        | {"role": person.role.value}
    )
    return RevealedPerson(person.id, person.version, details)
