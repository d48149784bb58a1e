"""Review officers: who leads each review (issue #4: "my deadlines"). An officer is a user known
by their login name; the officer who registers a review leads it until someone else takes it
on. No passwords: the desk trusts the operating system's login, as the audit trail does."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import Review, User, UserRole
from dhr_desk.security import audit_chain

MAX_NAME = 100


class OfficerError(ValueError):
    """A lead officer refused; the message says why."""


def officer(session: Session, username: str) -> User:
    """The user of that login name, made (as an officer) when first met."""
    name = " ".join(username.split())
    if not name:
        raise OfficerError("Give the officer's login name.")
    if len(name) > MAX_NAME:
        raise OfficerError(f"Keep the login name under {MAX_NAME} characters.")
    user = session.scalars(select(User).where(User.username == name)).first()
    if user is None:
        user = User(username=name, display_name=name, role=UserRole.OFFICER)
        session.add(user)
        session.flush()
    return user


def officer_names(session: Session) -> list[str]:
    """Every active user's login name, for choosing a lead officer."""
    return list(
        session.scalars(select(User.username).where(User.active.is_(True)).order_by(User.username))
    )


def set_lead_officer(session: Session, actor: str, reference: str, username: str) -> None:
    """The officer who leads the review from now on (audited)."""
    review = session.scalars(select(Review).where(Review.reference == reference)).first()
    if review is None:
        raise OfficerError(f"There is no review {reference}.")
    lead = officer(session, username)
    previous = review.lead_officer.username if review.lead_officer else None
    if previous == lead.username:
        return
    review.lead_officer = lead
    audit_chain.record(session, actor=actor, action="lead officer changed", entity_type="review",
                       entity_id=reference, review_id=review.id,
                       detail={"from": previous, "to": lead.username})  # fmt: skip


def led_by(session: Session, username: str) -> frozenset[str]:
    """The references of the reviews that officer leads."""
    return frozenset(
        session.scalars(
            select(Review.reference).join(User, User.id == Review.lead_officer_id)
            .where(User.username == username)
        )
    )  # fmt: skip
