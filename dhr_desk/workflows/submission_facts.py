"""What a DHR's submission documents say about the case, gathered as plain ``CaseFacts`` with
pseudonyms only (issue #6, points 4 and 5; domain.md, "Documents of a DHR").

The people of the review appear by role and pseudonym, professionals by role and agency; the
independent chair is named (the 2016 guidance asks for the chair's name and independence
statement). Real names, dates of birth and addresses are read only to work out an age band.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dhr_desk.models import (
    DhrDetails,
    FamilyContact,
    FamilyContactKind,
    InformationRequest,
    Meeting,
    MeetingKind,
    PanelMember,
    PanelRole,
    ParallelProceeding,
    PersonRole,
    Review,
    ReviewKind,
    ReviewPerson,
)
from dhr_desk.workflows.calendar_book import load_calendar
from dhr_desk.workflows.deadlines import DeadlineEngine
from dhr_desk.workflows.identifier_register import ROLE_WORDS
from dhr_desk.workflows.review_facts import collect_records
from dhr_desk.workflows.settings_registry import get_setting

PROCEEDING_WORDS = {
    "criminal_trial": "Criminal trial",
    "inquest": "Inquest",
    "iopc": "IOPC investigation",
    "sar": "Safeguarding Adults Review",
    "cspr": "Child Safeguarding Practice Review",
    "nhs_investigation": "NHS investigation",
    "other": "Other proceeding",
}
DEATH_WORDS = {
    "homicide": "Homicide",
    "suicide": "Suicide (domestic abuse a factor)",
    "other": "Other",
    "undetermined": "Undetermined",
}
#: Age bands as the Home Office Homicide Index groups them (ONS, "Homicide in England and
#: Wales"): a band, never a date of birth, leaves the desk.
AGE_BANDS = ((16, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74))
REVIEW_NAMES = {
    "DHR": "Domestic Homicide Review",
    "DARDR": "Domestic Abuse Related Death Review",
}
COMPLETION_DEADLINES = ("completion", "completion_directed")


class SubmissionError(ValueError):
    """A review that has no submission documents (not a DHR, not there)."""


@dataclass(frozen=True)
class PersonFacts:
    role: str  # in words
    pseudonym: str  # "(no pseudonym yet)" when none is recorded
    relationship: str
    age_band: str  # at the victim's death; "" when not known


@dataclass(frozen=True)
class PanelFacts:
    role: str  # "Independent chair", "Panel member" …
    agency: str
    job_title: str


@dataclass(frozen=True)
class ProceedingFacts:
    kind: str
    lead_body: str
    status: str
    concluded_on: dt.date | None
    blocks_publication: bool


@dataclass(frozen=True)
class CaseFacts:
    """One DHR as its submission documents describe it: nothing here is a real identifier."""

    reference: str
    review_name: str  # "Domestic Homicide Review", or the DARDR name (setting)
    title: str  # the review's pseudonymous title
    district: str
    directed: bool
    people: tuple[PersonFacts, ...]
    date_of_death: dt.date | None
    death_category: str
    dates: tuple[tuple[str, dt.date | None], ...]  # the covering letter's key dates, in order
    panel_meetings: tuple[dt.date, ...]
    panel: tuple[PanelFacts, ...]
    chair: str
    chair_independence: str
    contributing_agencies: tuple[str, ...]
    proceedings: tuple[ProceedingFacts, ...]
    terms_of_reference_agreed_on: dt.date | None
    scoping_period: tuple[dt.date | None, dt.date | None]
    family_contacts: int
    family_declined: bool
    family_seen_draft_on: dt.date | None
    signed_off_on: dt.date | None
    signed_off_by: str
    completion_due: dt.date | None  # six months from the decision, or the agreed revised date
    completion_basis: str
    days_over: int  # days past the completion deadline at sign-off (or today), 0 if not late
    delay_reasons: str
    pauses: tuple[tuple[dt.date, dt.date | None, str], ...]
    feedback_contact: str
    partnership: str  # the letters' sender organisation
    sender: dict[str, str]

    @property
    def victim(self) -> str:
        """The victim's pseudonym (the first victim in the register)."""
        victim = self.person("Victim")
        return victim.pseudonym if victim and victim.pseudonym else self.title

    def person(self, role: str) -> PersonFacts | None:
        """The first person of ``role`` (in words: "Victim", "Perpetrator")."""
        return next((p for p in self.people if p.role == role), None)

    @property
    def late(self) -> bool:
        return self.days_over > 0


def age_band(born: dt.date | None, on: dt.date | None) -> str:
    """The band of the age on ``on`` of someone born on ``born``; "" when either is unknown."""
    if born is None or on is None:
        return ""
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if years < 16:
        return "Under 16"
    for low, high in AGE_BANDS:
        if low <= years <= high:
            return f"{low}-{high}"
    return f"{AGE_BANDS[-1][1] + 1} and over"


def _review(session: Session, reference: str) -> Review:
    review = session.scalars(select(Review).where(Review.reference == reference)).first()
    if review is None:
        raise SubmissionError(f"There is no review {reference}.")
    if review.kind is not ReviewKind.DHR or review.dhr_details is None:
        raise SubmissionError(
            f"{reference} is an ASB Case Review: submission packs are for domestic homicide "
            "reviews only."
        )
    return review


def _people(session: Session, review: Review, died: dt.date | None) -> tuple[PersonFacts, ...]:
    rows = session.scalars(
        select(ReviewPerson).where(ReviewPerson.review_id == review.id).order_by(ReviewPerson.id)
    )
    order = {PersonRole.VICTIM: 0, PersonRole.PERPETRATOR: 1}
    people = sorted(rows, key=lambda p: (order.get(p.role, 2), p.id))
    return tuple(
        PersonFacts(
            role=ROLE_WORDS[p.role.value],
            pseudonym=p.pseudonym or "",
            relationship=p.relationship_to_victim or "",
            age_band=age_band(p.date_of_birth, p.date_of_death or died),
        )
        for p in people
        if p.role is not PersonRole.PROFESSIONAL
    )


INDEPENDENT = (PanelRole.CHAIR, PanelRole.AUTHOR)


def _panel(session: Session, review: Review) -> tuple[tuple[PanelFacts, ...], str, str]:
    members = session.scalars(
        select(PanelMember).where(PanelMember.review_id == review.id).order_by(PanelMember.id)
    ).all()
    words = {
        PanelRole.CHAIR: "Independent chair",
        PanelRole.AUTHOR: "Independent author",
        PanelRole.MEMBER: "Panel member",
        PanelRole.ADVISER: "Adviser",
    }
    panel = tuple(
        PanelFacts(
            words[m.role],
            m.agency.name if m.agency else ("Independent" if m.role in INDEPENDENT else ""),
            m.job_title or "",
        )
        for m in members
        if m.stood_down_on is None
    )
    details = review.dhr_details
    chair = details.chair.name if details and details.chair else ""
    return panel, chair, (details.independence_statement or "") if details else ""


def _completion(
    session: Session, review: Review, details: DhrDetails, as_of: dt.date
) -> tuple[dt.date | None, str, int]:
    """The completion deadline (with any agreed revised date and pauses) and days past it at
    sign-off, or today when not yet signed off."""
    record = collect_records(session, [review.id])[0]
    engine = DeadlineEngine(load_calendar(session))
    for deadline in engine.for_record(record, as_of, include_met=True):
        if deadline.key in COMPLETION_DEADLINES:
            finished = details.signed_off_on or as_of
            return deadline.due, deadline.basis, max(0, (finished - deadline.due).days)
    return None, "", 0


def case_facts(session: Session, reference: str, as_of: dt.date) -> CaseFacts:
    """The case as the overview report, executive summary and covering letter describe it."""
    review = _review(session, reference)
    details = review.dhr_details
    assert details is not None  # _review refuses a review without them
    held = sorted(
        m.held_on
        for m in session.scalars(select(Meeting).where(Meeting.review_id == review.id))
        if m.kind is MeetingKind.PANEL and m.held_on is not None and not m.cancelled
    )
    panel, chair, independence = _panel(session, review)
    agencies = sorted(
        {
            r.agency.name
            for r in session.scalars(
                select(InformationRequest).where(InformationRequest.review_id == review.id)
            )
        }
        | {p.agency for p in panel if p.agency}
    )
    proceedings = tuple(
        ProceedingFacts(
            PROCEEDING_WORDS.get(p.kind.value, p.kind.value),
            p.lead_body or "",
            p.status or "",
            p.concluded_on,
            p.blocks_publication,
        )
        for p in session.scalars(
            select(ParallelProceeding)
            .where(ParallelProceeding.review_id == review.id)
            .order_by(ParallelProceeding.id)
        )
    )
    contacts = session.scalars(  # the family's own contacts, not friends' or the perpetrator's
        select(FamilyContact).where(
            FamilyContact.review_id == review.id,
            FamilyContact.contact_kind == FamilyContactKind.FAMILY,
        )
    ).all()
    due, basis, over = _completion(session, review, details, as_of)
    sender = get_setting(session, "letters.sender")
    dates = (
        ("Date of death", details.date_of_death),
        ("Death notified to the partnership", details.date_notified),
        ("Decision to hold a review", details.decision_date),
        ("Home Office notified of the decision", details.home_office_notified_on),
        ("Independent chair appointed", details.chair_appointed_on),
        ("Terms of reference agreed", details.terms_of_reference_agreed_on),
        ("Family saw the draft report", details.family_seen_draft_on),
        ("Signed off by the partnership", details.signed_off_on),
    )
    return CaseFacts(
        reference=review.reference,
        review_name=REVIEW_NAMES.get(str(get_setting(session, "dhr.display_name")), "Review"),
        title=review.title,
        district=review.district or "",
        directed=review.directed_by_secretary_of_state,
        people=_people(session, review, details.date_of_death),
        date_of_death=details.date_of_death,
        death_category=DEATH_WORDS.get(
            details.death_category.value if details.death_category else "", ""
        ),
        dates=dates,
        panel_meetings=tuple(held),
        panel=panel,
        chair=chair,
        chair_independence=independence,
        contributing_agencies=tuple(agencies),
        proceedings=proceedings,
        terms_of_reference_agreed_on=details.terms_of_reference_agreed_on,
        scoping_period=(details.scoping_period_start, details.scoping_period_end),
        family_contacts=len(contacts),
        family_declined=any(c.declined for c in contacts),
        family_seen_draft_on=details.family_seen_draft_on,
        signed_off_on=details.signed_off_on,
        signed_off_by=details.signed_off_by or "",
        completion_due=due,
        completion_basis=basis,
        days_over=over,
        delay_reasons=(details.delay_reasons or "").strip(),
        pauses=tuple(
            (p.started_on, p.ended_on, p.reason)
            for p in sorted(review.pauses, key=lambda p: p.started_on)
        ),
        feedback_contact=(details.feedback_contact or "").strip(),
        partnership=str(sender.get("organisation") or "the Community Safety Partnership"),
        sender={k: str(v) for k, v in sender.items()},
    )
