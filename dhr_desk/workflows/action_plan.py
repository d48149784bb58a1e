"""A review's action plan: its recommendations (number, text, level, scope, themes, lead agency,
national follow-up) and the actions that carry them out (agency, owner, what to do, target date,
milestones, status, RAG, evidence, completion and outcome, sign-off).

The partnership's duty is to hold agencies to account until every action is done (domain.md):
an action ends complete, with its outcome, or "closed, not completed" with the reason. Every
change is audited; an edit made on a version someone else has saved since is refused.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import (
    Action,
    ActionMilestone,
    ActionStatus,
    Agency,
    AgencyContact,
    ChaseEvent,
    Rag,
    Recommendation,
    RecommendationLevel,
    RecommendationScope,
    Review,
    Theme,
)
from dhr_desk.models.base import utc_now
from dhr_desk.security import audit_chain
from dhr_desk.workflows.resources import resources_dir
from dhr_desk.workflows.review_changes import ReviewChangedElsewhere
from dhr_desk.workflows.working_calendar import en_gb

THEMES_FILE = "themes/default.toml"
OPEN = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)
STATUS_WORDS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "closed_by_csp": "Closed, not completed",
}
LEVEL_WORDS = {"single_agency": "Single agency", "multi_agency": "Multi-agency"}
SCOPE_WORDS = {"local": "Local", "regional": "Regional", "national": "National"}
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}
#: Who a national recommendation is followed up with when no one else is named.
NATIONAL_FOLLOW_UP = "Home Office / Domestic Abuse Commissioner"


class ActionPlanError(ValueError):
    """A change to the action plan refused; the message says why. Nothing was saved."""


@dataclass(frozen=True)
class RecommendationDetails:
    text: str
    level: str  # single_agency / multi_agency
    scope: str  # local / regional / national
    themes: tuple[str, ...] = ()
    lead_agency: str | None = None
    follow_up_with: str | None = None  # national: defaults to NATIONAL_FOLLOW_UP
    made_on: dt.date | None = None


@dataclass(frozen=True)
class ActionDetails:
    agency: str
    description: str
    target_date: dt.date | None
    owner_contact_id: int | None = None  # a contact at the agency, or an owner by name:
    owner_name: str | None = None
    owner_email: str | None = None


@dataclass(frozen=True)
class Progress:
    """An update on an action. ``complete`` needs the outcome; ``closed_by_csp`` the reason."""

    status: str
    on: dt.date
    note: str = ""  # added to the evidence, dated
    outcome: str = ""
    closure_reason: str = ""


@dataclass(frozen=True)
class MilestoneEntry:
    milestone_id: int
    description: str
    due_on: dt.date | None
    achieved_on: dt.date | None


@dataclass(frozen=True)
class ActionEntry:
    action_id: int
    number: str  # "3.1": recommendation 3, action 1
    agency: str
    owner: str
    owner_email: str
    owner_contact_id: int | None  # the owner when they are a contact in the directory
    owner_left: bool  # the owner contact has been retired from the directory
    description: str
    target_date: dt.date | None
    status: str
    status_words: str
    rag: str | None  # red / amber / green; None once finished
    rag_words: str  # "Red (overridden: …)", "Complete" …
    evidence: str
    outcome: str
    completed_on: dt.date | None
    signed_off: str  # "Name on DD/MM/YYYY", or ""
    milestones: tuple[MilestoneEntry, ...]
    evidence_files: int  # files attached as evidence (evidence_files)
    last_chased: str
    version: int

    @property
    def open(self) -> bool:
        return self.status in ("not_started", "in_progress")


@dataclass(frozen=True)
class RecommendationEntry:
    recommendation_id: int
    number: int
    text: str
    level: str
    scope: str
    themes: tuple[str, ...]
    lead_agency: str
    follow_up_with: str  # national recommendations only
    made_on: dt.date | None
    actions: tuple[ActionEntry, ...]
    version: int


def progress_made(action: Action) -> None:
    """Note the time progress was recorded on an open action (chasing holds off an action
    updated since its last chase). A finished action keeps the time it ended: the board's
    figures fall back on it for the day an action closed."""
    if action.status in OPEN:
        action.progress_updated_at = utc_now()


def derived_rag(
    status: ActionStatus, target_date: dt.date | None, as_of: dt.date, amber_days: int
) -> Rag | None:
    """RAG from status and dates: red past its target date; amber within ``amber_days`` of it
    or with no target date set; green otherwise. A finished action has none (its status says
    complete or closed)."""
    if status not in OPEN:
        return None
    if target_date is None:
        return Rag.AMBER
    if target_date < as_of:
        return Rag.RED
    if target_date <= as_of + dt.timedelta(days=amber_days):
        return Rag.AMBER
    return Rag.GREEN


def rating(
    status: ActionStatus,
    target_date: dt.date | None,
    rag_set: Rag | None,
    rag_reason: str | None,
    as_of: dt.date,
    amber_days: int,
) -> tuple[Rag | None, str]:
    """An action's RAG and its words: the rating set by hand (with its reason) while the action
    is open, else the one worked out from status and dates; a finished action has none and
    shows its status instead."""
    rag = rag_set if status in OPEN and rag_set is not None else None
    rag = rag or derived_rag(status, target_date, as_of, amber_days)
    if rag is None:
        return None, STATUS_WORDS[status.value]
    words = RAG_WORDS[rag.value]
    if rag_set is not None and status in OPEN and rag_reason:
        words += f" (set by hand: {rag_reason})"
    elif target_date is None:
        words += " (no target date)"
    return rag, words


# --- themes ----------------------------------------------------------------------------------


def default_themes() -> list[str]:
    data = tomllib.loads((resources_dir() / THEMES_FILE).read_text(encoding="utf-8"))
    return [str(theme).strip() for theme in data.get("themes", []) if str(theme).strip()]


def theme_names(session: Session) -> list[str]:
    """The controlled list: themes added in the desk and the defaults, less retired ones."""
    stored = {t.name.casefold(): t for t in session.scalars(select(Theme))}
    names = [t.name for t in stored.values() if t.active]
    names += [n for n in default_themes() if n.casefold() not in stored]
    return sorted(names, key=str.casefold)


def add_theme(session: Session, actor: str, name: str) -> None:
    name = " ".join(name.split())
    if not name:
        raise ActionPlanError("Give the theme's name.")
    if name.casefold() in {n.casefold() for n in theme_names(session)}:
        raise ActionPlanError(f"{name} is already a theme.")
    found = session.scalars(select(Theme).where(Theme.name == name)).first()
    if found is not None:  # retired before: offered again
        found.active = True
    else:
        session.add(Theme(name=name))
    session.flush()
    audit_chain.record(session, actor=actor, action="theme added", entity_type="theme",
                       entity_id=name)  # fmt: skip


def retire_theme(session: Session, actor: str, name: str) -> None:
    """No longer offered; recommendations already tagged keep it."""
    found = session.scalars(select(Theme).where(Theme.name == name)).first()
    if found is None:
        if name not in default_themes():
            raise ActionPlanError(f"There is no theme {name}.")
        found = Theme(name=name)
        session.add(found)
    found.active = False
    session.flush()
    audit_chain.record(session, actor=actor, action="theme retired", entity_type="theme",
                       entity_id=name)  # fmt: skip


def _themes(session: Session, names: Sequence[str]) -> list[Theme]:
    offered = {n.casefold(): n for n in theme_names(session)}
    found = []
    for name in dict.fromkeys(" ".join(n.split()) for n in names if n.strip()):
        if name.casefold() not in offered:
            raise ActionPlanError(
                f"'{name}' is not in the list of themes. Choose from the list, or add it to the "
                "list first."
            )
        name = offered[name.casefold()]
        theme = session.scalars(select(Theme).where(Theme.name == name)).first()
        if theme is None:
            theme = Theme(name=name)
            session.add(theme)
        found.append(theme)
    return found


# --- looking things up -----------------------------------------------------------------------


def _review(session: Session, reference: str) -> Review:
    review = session.scalars(select(Review).where(Review.reference == reference)).first()
    if review is None:
        raise ActionPlanError(f"There is no review {reference}.")
    return review


def _recommendation(session: Session, review: Review, recommendation_id: int) -> Recommendation:
    found = session.get(Recommendation, recommendation_id)
    if found is None or found.review_id != review.id:
        raise ActionPlanError(
            f"That recommendation is no longer in {review.reference}: reload the review."
        )
    return found


def _action(session: Session, review: Review, action_id: int) -> Action:
    found = session.get(Action, action_id)
    if found is None or found.recommendation.review_id != review.id:
        raise ActionPlanError(f"That action is no longer in {review.reference}: reload the review.")
    return found


def _agency(session: Session, name: str, current: Agency | None = None) -> Agency:
    """The agency by name; a retired one only if it is the ``current`` one, kept unchanged."""
    agency = session.scalars(select(Agency).where(Agency.name == name.strip())).first()
    if agency is None:
        raise ActionPlanError(
            f"{name} is not in the agencies directory. Add it under Agencies first."
        )
    if not agency.active and agency is not current:
        raise ActionPlanError(
            f"{name} has been retired from the directory. Choose another agency, or reinstate "
            "it under Agencies first."
        )
    return agency


def _check_seen(what: str, version: int, seen_version: int) -> None:
    if version != seen_version:
        raise ReviewChangedElsewhere(
            f"Someone else changed {what} after you opened it, so your change was not saved and "
            "nothing was overwritten. Reload the review, then make your change again."
        )


def _audit(session: Session, actor: str, review: Review, what: str, /, **detail: object) -> None:
    audit_chain.record(session, actor=actor, action=what, entity_type="review",
                       entity_id=review.reference, review_id=review.id, detail=detail)  # fmt: skip


def _check_date(review: Review, day: dt.date | None, what: str) -> None:
    if day is not None and day < review.opened_on:
        raise ActionPlanError(
            f"The {what} {en_gb(day)} is before the review began ({en_gb(review.opened_on)}): "
            "check the date."
        )


# --- recommendations -------------------------------------------------------------------------


def _apply_recommendation(
    session: Session, review: Review, recommendation: Recommendation, details: RecommendationDetails
) -> list[str]:
    if not details.text.strip():
        raise ActionPlanError("Write the recommendation's text.")
    try:
        level, scope = RecommendationLevel(details.level), RecommendationScope(details.scope)
    except ValueError as exc:
        raise ActionPlanError(f"Not a level or scope of recommendation: {exc}") from None
    _check_date(review, details.made_on, "date the recommendation was made")
    follow_up = None
    if scope is RecommendationScope.NATIONAL:
        follow_up = (details.follow_up_with or "").strip() or NATIONAL_FOLLOW_UP
    wanted: dict[str, object] = {
        "text": details.text.strip(),
        "level": level,
        "scope": scope,
        "addressed_to": follow_up,
        "made_on": details.made_on,
        "lead_agency": (
            _agency(session, details.lead_agency, recommendation.lead_agency)
            if details.lead_agency
            else None
        ),
    }
    changed = [f for f, value in wanted.items() if getattr(recommendation, f) != value]
    for field in changed:
        setattr(recommendation, field, wanted[field])
    themes = _themes(session, details.themes)
    if {t.name for t in themes} != {t.name for t in recommendation.themes}:
        recommendation.themes = themes
        changed.append("themes")
    return changed


def add_recommendation(
    session: Session,
    actor: str,
    reference: str,
    details: RecommendationDetails,
    actions: Sequence[ActionDetails] = (),
) -> int:
    """A recommendation with the next free number, and any actions given with it."""
    review = _review(session, reference)
    number = max((r.number for r in review.recommendations), default=0) + 1
    recommendation = Recommendation(number=number, text="", level=RecommendationLevel.SINGLE_AGENCY,
                                    scope=RecommendationScope.LOCAL)  # fmt: skip
    _apply_recommendation(session, review, recommendation, details)
    review.recommendations.append(recommendation)
    session.flush()
    _audit(session, actor, review, "recommendation added", number=number,
           scope=recommendation.scope.value)  # fmt: skip
    for action in actions:
        add_action(session, actor, reference, recommendation.id, action)
    return recommendation.id


def update_recommendation(
    session: Session,
    actor: str,
    reference: str,
    recommendation_id: int,
    *,
    seen_version: int,
    details: RecommendationDetails,
) -> list[str]:
    """Save an edit made on the version read. Returns the fields changed."""
    review = _review(session, reference)
    recommendation = _recommendation(session, review, recommendation_id)
    _check_seen(f"recommendation {recommendation.number}", recommendation.version, seen_version)
    changed = _apply_recommendation(session, review, recommendation, details)
    if changed:
        recommendation.updated_at = utc_now()  # a themes-only edit still moves the version
        session.flush()
        _audit(session, actor, review, "recommendation changed", number=recommendation.number,
               fields=changed)  # fmt: skip
    return changed


# --- actions ---------------------------------------------------------------------------------


def _apply_action(
    session: Session, review: Review, action: Action, details: ActionDetails
) -> list[str]:
    if not details.description.strip():
        raise ActionPlanError("Say what the action is.")
    _check_date(review, details.target_date, "target date")
    agency = _agency(session, details.agency, action.lead_agency if action.id else None)
    contact = None
    if details.owner_contact_id is not None:
        contact = session.get(AgencyContact, details.owner_contact_id)
        if contact is None or contact.agency_id != agency.id:
            raise ActionPlanError(f"Choose the action's owner from {agency.name}'s contacts.")
        if not contact.active and contact.id != action.owner_contact_id:
            raise ActionPlanError(
                f"{contact.name} has left {agency.name}: choose who owns the action now."
            )
    email = (details.owner_email or "").strip() or None
    if email and ("@" not in email or " " in email):
        raise ActionPlanError(f"'{email}' is not an email address.")
    wanted: dict[str, object] = {
        "description": details.description.strip(),
        "lead_agency": agency,
        "target_date": details.target_date,
        "owner_contact": contact,
        "owner_name": None if contact else (details.owner_name or "").strip() or None,
        "owner_email": None if contact else email,
    }
    changed = [f for f, value in wanted.items() if getattr(action, f) != value]
    for field in changed:
        setattr(action, field, wanted[field])
    return changed


def add_action(
    session: Session, actor: str, reference: str, recommendation_id: int, details: ActionDetails
) -> int:
    review = _review(session, reference)
    recommendation = _recommendation(session, review, recommendation_id)
    number = max((a.number for a in recommendation.actions), default=0) + 1
    action = Action(number=number, description="")
    _apply_action(session, review, action, details)
    recommendation.actions.append(action)
    session.flush()
    _audit(session, actor, review, "action added", action=f"{recommendation.number}.{number}",
           agency=action.lead_agency.name)  # fmt: skip
    return action.id


def update_action(
    session: Session,
    actor: str,
    reference: str,
    action_id: int,
    *,
    seen_version: int,
    details: ActionDetails,
    reason: str = "",
) -> list[str]:
    """Save an edit made on the version read. Moving a target date already set needs the
    reason (it is audited, and the board sees moved dates)."""
    review = _review(session, reference)
    action = _action(session, review, action_id)
    number = f"{action.recommendation.number}.{action.number}"
    _check_seen(f"action {number}", action.version, seen_version)
    was = action.target_date
    changed = _apply_action(session, review, action, details)
    if "target_date" in changed and was is not None and not reason.strip():
        raise ActionPlanError(
            f"Say why action {number}'s target date moves from {en_gb(was)} (it is audited)."
        )
    if changed:
        if "target_date" in changed:
            progress_made(action)
        session.flush()
        _audit(session, actor, review, "action changed", action=number, fields=changed,
               **({"reason": reason.strip()} if reason.strip() else {}))  # fmt: skip
    return changed


def move_target_date(
    session: Session,
    actor: str,
    reference: str,
    action_id: int,
    *,
    seen_version: int,
    target_date: dt.date,
    reason: str,
) -> bool:
    """Move an open action's target date, with the reason (audited; the board sees moved dates).
    Returns False when the date is already the one asked for."""
    review = _review(session, reference)
    action = _action(session, review, action_id)
    number = f"{action.recommendation.number}.{action.number}"
    _check_seen(f"action {number}", action.version, seen_version)
    if action.status not in OPEN:
        raise ActionPlanError(f"Action {number} of {reference} is finished: its target date stays.")
    _check_date(review, target_date, f"target date of action {number} of {reference},")
    if not reason.strip():
        raise ActionPlanError(f"Say why action {number}'s target date moves (it is audited).")
    if action.target_date == target_date:
        return False
    was, action.target_date = action.target_date, target_date
    action.progress_updated_at = utc_now()
    before = en_gb(was) if was else "none set"
    line = f"{en_gb(dt.date.today())}: target date moved from {before} to {en_gb(target_date)}: "
    line += reason.strip()
    action.evidence = f"{action.evidence}\n{line}" if action.evidence else line
    session.flush()
    _audit(session, actor, review, "action changed", action=number, fields=["target_date"],
           was=was.isoformat() if was else None, reason=reason.strip())  # fmt: skip
    return True


def reassign_owner(session: Session, actor: str, from_contact_id: int, to_contact_id: int) -> int:
    """Every open action owned by a contact (one who has left, usually) given to another
    current contact of the same agency. Finished actions keep the owner they had. Returns how
    many actions moved; each review's audit trail says which."""
    was = session.get(AgencyContact, from_contact_id)
    now = session.get(AgencyContact, to_contact_id)
    if was is None or now is None:
        raise ActionPlanError("That contact is no longer in the directory: reload the agency.")
    if now.agency_id != was.agency_id or not now.active or now.id == was.id:
        raise ActionPlanError(
            f"Choose someone else who is a current contact at {was.agency.name} to own the actions."
        )
    moved: dict[Review, list[str]] = {}
    for action in session.scalars(
        select(Action).where(Action.owner_contact_id == was.id, Action.status.in_(OPEN))
    ):
        action.owner_contact = now
        review = action.recommendation.review
        moved.setdefault(review, []).append(f"{action.recommendation.number}.{action.number}")
    session.flush()
    for review, numbers in moved.items():
        _audit(session, actor, review, "actions reassigned", actions=numbers, was=was.name,
               now=now.name)  # fmt: skip
    return sum(len(numbers) for numbers in moved.values())


def record_progress(
    session: Session,
    actor: str,
    reference: str,
    action_id: int,
    *,
    seen_version: int,
    progress: Progress,
) -> None:
    """An update on an action (from its owner, usually): its status, a dated note added to the
    evidence, and, when it ends, the completion date and outcome or the reason it closed
    without being completed. Reopening a finished action clears its completion and sign-off."""
    review = _review(session, reference)
    action = _action(session, review, action_id)
    number = f"{action.recommendation.number}.{action.number}"
    _check_seen(f"action {number}", action.version, seen_version)
    try:
        status = ActionStatus(progress.status)
    except ValueError:
        raise ActionPlanError(f"'{progress.status}' is not a status of an action.") from None
    if progress.on > dt.date.today():
        raise ActionPlanError(f"{en_gb(progress.on)} is in the future: record what has happened.")
    _check_date(review, progress.on, "date of the update")
    if status is ActionStatus.COMPLETE and not progress.outcome.strip():
        raise ActionPlanError("Say what the outcome was: a complete action needs its outcome.")
    if status is ActionStatus.CLOSED_BY_CSP and not progress.closure_reason.strip():
        raise ActionPlanError("Say why the action is closed without being completed.")
    if status == action.status and not progress.note.strip():
        raise ActionPlanError("Nothing to record: change the status or add a note.")
    if progress.note.strip():
        line = f"{en_gb(progress.on)}: {progress.note.strip()}"
        action.evidence = f"{action.evidence}\n{line}" if action.evidence else line
    action.status = status
    action.completed_on = None if status in OPEN else progress.on  # the day it ended, either way
    action.outcome = progress.outcome.strip() if status is ActionStatus.COMPLETE else None
    action.closure_reason = (
        progress.closure_reason.strip() if status is ActionStatus.CLOSED_BY_CSP else None
    )
    if status in OPEN:
        action.signed_off_by = action.signed_off_on = None
    else:
        action.rag = action.rag_reason = None  # a finished action is not at risk
    action.progress_updated_at = utc_now()
    session.flush()
    _audit(session, actor, review, "action progress", action=number, status=status.value,
           on=progress.on.isoformat())  # fmt: skip


def override_rag(
    session: Session,
    actor: str,
    reference: str,
    action_id: int,
    *,
    seen_version: int,
    rag: str | None,
    reason: str = "",
) -> None:
    """Set the RAG by hand, with the reason (it shows beside the rating); None goes back to the
    rating worked out from status and dates."""
    review = _review(session, reference)
    action = _action(session, review, action_id)
    number = f"{action.recommendation.number}.{action.number}"
    _check_seen(f"action {number}", action.version, seen_version)
    if action.status not in OPEN:
        raise ActionPlanError(f"Action {number} is finished: it has no RAG rating to override.")
    if rag is not None:
        try:
            rating = Rag(rag)
        except ValueError:
            raise ActionPlanError(f"'{rag}' is not a RAG rating.") from None
        if not reason.strip():
            raise ActionPlanError("Say why the rating is not the one worked out from the dates.")
        action.rag, action.rag_reason = rating, reason.strip()
    else:
        action.rag = action.rag_reason = None
    session.flush()
    _audit(session, actor, review, "action RAG overridden" if rag else "action RAG derived",
           action=number, **({"rag": rag, "reason": reason.strip()} if rag else {}))  # fmt: skip


def add_milestone(
    session: Session,
    actor: str,
    reference: str,
    action_id: int,
    *,
    description: str,
    due_on: dt.date | None,
) -> int:
    review = _review(session, reference)
    action = _action(session, review, action_id)
    if not description.strip():
        raise ActionPlanError("Say what the milestone is.")
    _check_date(review, due_on, "milestone date")
    milestone = ActionMilestone(description=description.strip(), due_on=due_on)
    action.milestones.append(milestone)
    progress_made(action)
    session.flush()
    _audit(session, actor, review, "milestone added",
           action=f"{action.recommendation.number}.{action.number}")  # fmt: skip
    return milestone.id


def milestone_achieved(
    session: Session, actor: str, reference: str, milestone_id: int, *, on: dt.date
) -> None:
    review = _review(session, reference)
    milestone = session.get(ActionMilestone, milestone_id)
    if milestone is None or milestone.action.recommendation.review_id != review.id:
        raise ActionPlanError(f"That milestone is no longer in {reference}: reload the review.")
    if on > dt.date.today():
        raise ActionPlanError(f"{en_gb(on)} is in the future: record what has happened.")
    _check_date(review, on, "date achieved")
    milestone.achieved_on = on
    progress_made(milestone.action)
    session.flush()
    action = milestone.action
    _audit(session, actor, review, "milestone achieved",
           action=f"{action.recommendation.number}.{action.number}", on=on.isoformat())  # fmt: skip


def sign_off_action(
    session: Session,
    actor: str,
    reference: str,
    action_id: int,
    *,
    seen_version: int,
    by: str,
    on: dt.date,
) -> None:
    """The CSP accepts a finished action as done (or as closed): who and when."""
    review = _review(session, reference)
    action = _action(session, review, action_id)
    number = f"{action.recommendation.number}.{action.number}"
    _check_seen(f"action {number}", action.version, seen_version)
    if action.status in OPEN:
        raise ActionPlanError(
            f"Action {number} is still open: record it complete (or closed) before signing it off."
        )
    if not by.strip():
        raise ActionPlanError("Say who signed the action off.")
    if on > dt.date.today() or (action.completed_on and on < action.completed_on):
        raise ActionPlanError("The sign-off date must be on or after completion, and not later "
                              "than today.")  # fmt: skip
    action.signed_off_by, action.signed_off_on = by.strip(), on
    session.flush()
    _audit(session, actor, review, "action signed off", action=number, by=by.strip())


# --- reading ---------------------------------------------------------------------------------


def _entry(action: Action, rec_number: int, as_of: dt.date, amber_days: int) -> ActionEntry:
    rag, rag_words = rating(action.status, action.target_date, action.rag, action.rag_reason,
                            as_of, amber_days)  # fmt: skip
    status = action.status.value
    contact = action.owner_contact
    chased = max(action.chase_events, key=lambda c: c.sent_at, default=None)
    return ActionEntry(
        action_id=action.id,
        number=f"{rec_number}.{action.number}",
        agency=action.lead_agency.name,
        owner=contact.name if contact else action.owner_name or "",
        owner_email=(contact.email if contact else action.owner_email) or "",
        owner_contact_id=contact.id if contact else None,
        owner_left=bool(contact is not None and not contact.active),
        description=action.description,
        target_date=action.target_date,
        status=status,
        status_words=STATUS_WORDS[status],
        rag=rag.value if rag else None,
        rag_words=rag_words,
        evidence=action.evidence or "",
        outcome=action.outcome or action.closure_reason or "",
        completed_on=action.completed_on,
        signed_off=_signed_off_words(action),
        milestones=tuple(
            MilestoneEntry(m.id, m.description, m.due_on, m.achieved_on) for m in action.milestones
        ),
        evidence_files=len(action.evidence_documents),
        last_chased=_chase_words(chased),
        version=action.version,
    )


def _signed_off_words(action: Action) -> str:
    if action.signed_off_by and action.signed_off_on:
        return f"{action.signed_off_by} on {en_gb(action.signed_off_on)}"
    return ""


def _chase_words(chase: ChaseEvent | None) -> str:
    if chase is None:
        return ""
    return f"{en_gb(chase.sent_at.date())} to {chase.recipient_name or chase.recipient_email}"


def action_plan(
    session: Session, reference: str, as_of: dt.date, amber_days: int
) -> list[RecommendationEntry]:
    """The review's recommendations in number order, each with its actions."""
    review = _review(session, reference)
    return [
        RecommendationEntry(
            recommendation_id=r.id,
            number=r.number,
            text=r.text,
            level=r.level.value,
            scope=r.scope.value,
            themes=tuple(sorted((t.name for t in r.themes), key=str.casefold)),
            lead_agency=r.lead_agency.name if r.lead_agency else "",
            follow_up_with=r.addressed_to or "",
            made_on=r.made_on,
            actions=tuple(_entry(a, r.number, as_of, amber_days) for a in r.actions),
            version=r.version,
        )
        for r in sorted(review.recommendations, key=lambda r: r.number)
    ]
