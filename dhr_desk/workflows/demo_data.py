"""A fictional demonstration data set: reviews of both kinds at every stage, with overdue and
upcoming deadlines, a paused review and an agreed revised date.

Every name here is invented. Dates are set relative to the day the demo is loaded, so there is
always something overdue and something due soon. It is built through the lifecycle services,
so every stage is reached the way an officer would reach it, guards and all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from dhr_desk.models import Action, Agency, AgencyContact, Review
from dhr_desk.workflows.identifier_register import PersonDetails, add_person
from dhr_desk.workflows.lifecycle import (
    ComplaintInput,
    Lifecycle,
    NewAsbApplication,
    NewDhrNotification,
    current_actor,
)
from dhr_desk.workflows.officers import set_lead_officer
from dhr_desk.workflows.partnership import DISTRICTS
from dhr_desk.workflows.settings_registry import set_setting

DEMO_ACTOR = "demo loader"
PSEUDONYMS = (
    "Juniper", "Rowan", "Hazel", "Alder", "Linden", "Briar", "Willow", "Sorrel",
    "Aspen", "Yarrow", "Tansy", "Clover", "Heather", "Bramble", "Teasel", "Sedge",
)  # fmt: skip
#: Invented real names for the identifier register (never names from a published review).
VICTIM_FORENAMES = ("Odalys", "Merriel", "Thessaly", "Ysolde", "Calloway", "Perpetua", "Wenna",
                    "Isaura")  # fmt: skip
PARTNER_FORENAMES = ("Lorcan", "Benedek", "Arvel", "Quentyn", "Dorran", "Evander", "Tiberio",
                     "Caspian")  # fmt: skip
SURNAMES = ("Quillfeather", "Marrowby", "Ostlethwaite", "Penhallow", "Scarrowdine", "Tregothnan",
            "Vantablake", "Wolvercote", "Ashcombe-Ferrar")  # fmt: skip
AGENCIES = (
    "Fictional Constabulary",
    "Fictional County Council Adult Social Care",
    "Fictional Health Trust",
    "Fictional Probation Service",
)


class DemoRefused(ValueError):
    """The store already holds data and the demo was not told to mix in."""


@dataclass(frozen=True)
class DemoSummary:
    dhr: int
    asb: int
    stages: tuple[str, ...]


def store_is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count(Review.id)))


def load_demo(
    sessions: sessionmaker[Session], *, today: dt.date | None = None, force: bool = False
) -> DemoSummary:
    with sessions() as session:
        if not store_is_empty(session) and not force:
            raise DemoRefused(
                "This store already holds reviews. The demo would mix invented reviews into "
                "them; load it into an empty data directory (--data-dir), or pass --force."
            )
    day0 = today or dt.date.today()
    life = Lifecycle(sessions, actor=DEMO_ACTOR, today=day0)
    reached: list[str] = []
    for i, stage in enumerate(DHR_STAGES):
        reached.append(_dhr_to(life, stage, i, day0))
    for i, stage in enumerate(ASB_STAGES):
        reached.append(_asb_to(life, stage, i, day0))
    _paused_and_revised(life, day0)
    _directed(life, day0)
    _chasing_ladder(sessions)
    _themes_and_finished_actions(sessions, today or dt.date.today())
    _lead_officers(sessions)
    return DemoSummary(dhr=len(DHR_STAGES) + 3, asb=len(ASB_STAGES), stages=tuple(reached))


def _lead_officers(sessions: sessionmaker[Session]) -> None:
    """Every other review is led by whoever loads the demo, so "the reviews I lead" on the
    dashboard has something in it; the rest by an invented colleague."""
    with sessions.begin() as session:
        references = session.scalars(select(Review.reference).order_by(Review.id)).all()
        for i, reference in enumerate(references):
            lead = current_actor() if i % 2 == 0 else "colleague.fictional"
            set_lead_officer(session, DEMO_ACTOR, reference, lead)


def _d(day0: dt.date, days_ago: int) -> dt.date:
    return day0 - dt.timedelta(days=days_ago)


DHR_STAGES = (
    "notified",
    "decision",
    "home_office_notified",
    "commissioning",
    "terms_of_reference",
    "information_gathering",
    "analysis_and_drafting",
    "consultation",
    "sign_off",
    "submitted",
    "quality_assurance",
    "ready_to_publish",
    "published",
    "action_monitoring",
    "closed",
)


def _dhr_to(life: Lifecycle, target: str, index: int, day0: dt.date) -> str:
    """Register a DHR and walk it to ``target``; older reviews reach later stages."""
    start = 40 + index * 45  # days ago the death was notified
    pseudonym = PSEUDONYMS[index % len(PSEUDONYMS)]
    review = life.register_dhr(
        NewDhrNotification(
            date_notified=_d(day0, start),
            date_of_death=_d(day0, start + 9),
            referrer="Fictional Constabulary",
            title=f"Review concerning '{pseudonym}'",
            district=DISTRICTS[index % len(DISTRICTS)],
            circumstances="Fictional demonstration case.",
            records_secured_requested=True,
        )
    )
    ref = review.reference
    _identifiers(life, ref, index, pseudonym, _d(day0, start + 9))
    if target == "closed":  # the other way to close: a decision not to hold a review
        life.move(ref, "decision")
        life.record_decision(
            ref, decision="not_hold", decided_on=_d(day0, start - 20),
            reasons="Criteria not met (demonstration).", decided_by="CSP Chair (fictional)",
        )  # fmt: skip
        life.record_event(ref, "home_office_notified", _d(day0, start - 23))
        life.move(ref, "home_office_notified")
        life.move(ref, "closed", why="Decision not to hold a review.", on=_d(day0, start - 24))
        return target

    def decide() -> None:
        life.record_decision(
            ref,
            decision="hold",
            decided_on=_d(day0, start - 25),
            reasons="Statutory criteria met (demonstration).",
            decided_by="CSP Chair (fictional)",
        )
        life.record_event(ref, "home_office_notified", _d(day0, start - 29))

    def consult() -> None:
        for agency in AGENCIES[:2]:
            asked = life.issue_information_request(
                ref, agency=agency, kind="factual_accuracy", requested_on=_d(day0, start - 190)
            )
            life.receive_information(ref, asked, received_on=_d(day0, start - 196))
        life.record_event(ref, "family_seen_draft", _d(day0, start - 200))
        life.record_anonymisation_check(
            ref, target="overview-report-draft.docx", purpose="circulation", hit_count=0
        )

    def sign() -> None:
        life.record_event(ref, "signed_off", _d(day0, start - 210))
        life.record_anonymisation_check(
            ref, target="submission-pack.zip", purpose="submission", hit_count=0
        )

    def publish() -> None:
        life.record_anonymisation_check(
            ref, target="publication-pack.zip", purpose="publication", hit_count=0
        )
        life.record_event(ref, "published", _d(day0, start - 400))

    def submit() -> None:
        life.record_event(ref, "submitted", _d(day0, start - 215))
        life.record_event(ref, "da_commissioner_copy_sent", _d(day0, start - 222))

    def nothing() -> None:
        return None

    steps: list[tuple[str, Callable[[], object]]] = [
        ("decision", nothing),
        ("home_office_notified", decide),
        ("commissioning", nothing),
        ("terms_of_reference", lambda: _commission(life, ref, day0, start)),
        ("information_gathering", lambda: _scope(life, ref, day0, start)),
        ("analysis_and_drafting", lambda: _gather(life, ref, day0, start)),
        ("consultation", lambda: _action_plan(life, ref, day0, start)),
        ("sign_off", consult),
        ("submitted", sign),
        ("quality_assurance", lambda: submit()),
        (
            "ready_to_publish",
            lambda: life.record_qa_outcome(
                ref, outcome="approved", letter_received_on=_d(day0, start - 330)
            ),
        ),
        ("published", publish),
        ("action_monitoring", nothing),
    ]
    for stage, record in steps:
        if DHR_STAGES.index(stage) > DHR_STAGES.index(target):
            break
        record()
        life.move(ref, stage)
    return target


def _identifiers(life: Lifecycle, ref: str, index: int, pseudonym: str, died: dt.date) -> None:
    """The identifier register: an invented victim and perpetrator, each with a pseudonym."""
    partner = PSEUDONYMS[(index + 7) % len(PSEUDONYMS)]
    with life._sessions.begin() as session:
        add_person(session, DEMO_ACTOR, ref, PersonDetails(
            role="victim", pseudonym=pseudonym, pseudonym_agreed_with_family=index % 2 == 0,
            real_name=f"{VICTIM_FORENAMES[index % 8]} {SURNAMES[index % 9]}",
            date_of_birth=dt.date(died.year - 30 - index % 20, 1 + index % 12, 10),
            date_of_death=died, address=f"{index + 1} Invented Road\nNowhere\nZZ9 {index % 10}ZZ",
            workplace="Fictional Garden Centre"))  # fmt: skip
        add_person(session, DEMO_ACTOR, ref, PersonDetails(
            role="perpetrator", pseudonym=partner, relationship_to_victim="partner",
            real_name=f"{PARTNER_FORENAMES[index % 8]} {SURNAMES[(index + 4) % 9]}"))  # fmt: skip


def _commission(life: Lifecycle, ref: str, day0: dt.date, start: int) -> None:
    life.appoint_chair(
        ref,
        name="Independent Chair (fictional)",
        appointed_on=_d(day0, start - 40),
        independence_statement="No previous involvement with any agency in this review.",
    )
    for agency in AGENCIES[:2]:
        life.add_panel_member(
            ref,
            name=f"Panel member, {agency}",
            agency=agency,
            declared_no_involvement=True,
            declaration="No direct involvement with the people or their line managers.",
            declared_on=_d(day0, start - 41),
        )


def _scope(life: Lifecycle, ref: str, day0: dt.date, start: int) -> None:
    meeting = life.schedule_meeting(ref, kind="panel", scheduled_for=_d(day0, start - 55))
    life.record_meeting_held(ref, meeting, held_on=_d(day0, start - 55), attendance={})
    life.record_event(ref, "terms_of_reference_agreed", _d(day0, start - 55))
    for agency in AGENCIES:
        life.issue_information_request(
            ref, agency=agency, kind="imr", requested_on=_d(day0, start - 56)
        )
    life.log_family_contact(
        ref,
        contacted_on=_d(day0, start - 58),
        summary="Letter with Home Office leaflets; specialist advocacy offered.",
        leaflet_given=True,
        advocate_offered=True,
        advocate="Fictional Advocacy After Fatal Domestic Abuse",
    )


def _gather(life: Lifecycle, ref: str, day0: dt.date, start: int) -> None:
    from dhr_desk.workflows.review_facts import collect_records

    with life._sessions() as session:  # the ids of this review's requests
        record = collect_records(
            session, [session.scalars(select(Review.id).where(Review.reference == ref)).one()]
        )[0]
    for request in record.requests:
        life.receive_information(ref, request.request_id, received_on=_d(day0, start - 100))
        life.quality_check_information(
            ref, request.request_id, checked_on=_d(day0, start - 101), checked_by="Officer (demo)"
        )


def _action_plan(life: Lifecycle, ref: str, day0: dt.date, start: int) -> None:
    life.add_recommendation(
        ref,
        text="Agencies share risk information at the first contact (demonstration).",
        level="multi_agency",
        scope="local",
        actions=[
            (AGENCIES[0], "Brief all response officers.", _d(day0, -60)),
            (AGENCIES[2], "Add routine enquiry to triage.", _d(day0, 10)),
        ],
    )


def _chasing_ladder(sessions: sessionmaker[Session]) -> None:
    """Each demo agency gets an action owner, a lead and a board representative (invented, at
    example.org), every demo action an owner, and the CSP chair is set, so chasing has someone
    to chase."""
    with sessions.begin() as session:
        for n, agency in enumerate(
            session.scalars(select(Agency).where(Agency.name.in_(AGENCIES))), start=1
        ):
            owner = AgencyContact(name=f"Action owner {n} (demo)", role="Team manager",
                                  email=f"owner{n}@example.org")  # fmt: skip
            agency.contacts += [
                owner,
                AgencyContact(name=f"Agency lead {n} (demo)", role="Safeguarding lead",
                              email=f"lead{n}@example.org", is_agency_lead=True),
                AgencyContact(name=f"Board member {n} (demo)", role="Director",
                              is_board_representative=True),  # no email: a letter
            ]  # fmt: skip
            session.flush()
            for action in session.scalars(
                select(Action).where(Action.lead_agency_id == agency.id,
                                     Action.owner_contact_id.is_(None))
            ):  # fmt: skip
                action.owner_contact = owner
        set_setting(session, "chasing.policy",
                    {"csp_chair_name": "CSP Chair (demo)", "csp_chair_email": "chair@example.org"},
                    actor=DEMO_ACTOR)  # fmt: skip


DEMO_THEMES = (
    ("Information sharing", "Risk assessment"),
    ("Coercive control",),
    ("Mental health", "Substance misuse"),
    ("Housing",),
)


def _themes_and_finished_actions(sessions: sessionmaker[Session], today: dt.date) -> None:
    """Themes on the first recommendations, and the first action of the second completed and of
    the third closed without being completed, so the tracker and the board's figures have
    finished actions to show. Through the action plan's own rules."""
    from dhr_desk.models import Recommendation
    from dhr_desk.workflows.action_plan import (
        Progress,
        RecommendationDetails,
        record_progress,
        update_recommendation,
    )

    on = min(today, dt.date.today())  # progress is never recorded in the future
    with sessions.begin() as session:
        recommendations = list(session.scalars(select(Recommendation).order_by(Recommendation.id)))
        for recommendation, themes in zip(recommendations, DEMO_THEMES, strict=False):
            reference = recommendation.review.reference
            update_recommendation(
                session, DEMO_ACTOR, reference, recommendation.id,
                seen_version=recommendation.version,
                details=RecommendationDetails(
                    recommendation.text, recommendation.level.value, recommendation.scope.value,
                    themes=themes, made_on=recommendation.made_on,
                    lead_agency=recommendation.lead_agency.name if recommendation.lead_agency
                    else None,
                ),
            )  # fmt: skip
        finishing = (
            Progress("complete", on, note="Briefing given to every team (demo).",
                     outcome="All staff briefed; audit shows enquiry made (demo)."),
            Progress("closed_by_csp", on, closure_reason="Service recommissioned (demo)."),
        )  # fmt: skip
        for recommendation, progress in zip(recommendations[1:], finishing, strict=False):
            action = recommendation.actions[0] if recommendation.actions else None
            if action is None:
                continue
            record_progress(session, DEMO_ACTOR, recommendation.review.reference, action.id,
                            seen_version=action.version, progress=progress)  # fmt: skip


ASB_STAGES = (
    "application_received",
    "spoc_contact",
    "information_gathering",
    "threshold_decision",
    "threshold_not_met",
    "review_meeting",
    "recommendations",
    "outcome_communicated",
    "action_monitoring",
    "escalation",
    "closed",
)


def _asb_to(life: Lifecycle, target: str, index: int, day0: dt.date) -> str:
    received = _d(day0, 3 + index * 9)
    met = target not in ("threshold_not_met", "escalation")
    complaints = tuple(
        ComplaintInput(
            incident_date=received - dt.timedelta(days=60 - 10 * k),
            complained_on=received - dt.timedelta(days=58 - 10 * k),
            complained_to="Fictional District Council",
            separate_incident_ref=f"DEMO-{index}-{k}",
        )
        for k in range(3 if met else 1)
    )
    review = life.register_asb(
        NewAsbApplication(
            received_on=received,
            applicant_name=f"Applicant {PSEUDONYMS[index]} (fictional)",
            district=DISTRICTS[index % len(DISTRICTS)],
            complaints=complaints,
        )
    )
    ref = review.reference
    if target == "application_received":
        return target
    life.record_event(ref, "acknowledged", received + dt.timedelta(days=1))
    life.record_event(ref, "forwarded", received + dt.timedelta(days=2))
    life.record_event(ref, "spoc_assigned", received + dt.timedelta(days=2))
    life.move(ref, "spoc_contact")
    if target == "spoc_contact":
        return target
    life.record_event(ref, "applicant_contacted", received + dt.timedelta(days=5))
    life.move(ref, "information_gathering")
    if target == "information_gathering":
        return target
    life.move(ref, "threshold_decision")
    if target == "threshold_decision":
        return target
    decided = received + dt.timedelta(days=20)
    life.record_threshold_decision(
        ref,
        decision="met_automatically" if met else "not_met",
        decided_on=decided,
        decided_by="Relevant bodies (fictional)",
        reasons="Demonstration decision.",
    )
    life.record_event(ref, "applicant_informed", decided + dt.timedelta(days=1))
    if not met:
        life.move(ref, "threshold_not_met")
        if target == "escalation":
            life.request_escalation(
                ref, requested_on=decided + dt.timedelta(days=5), grounds="Applicant dissatisfied."
            )
            life.move(ref, "escalation")
        return target
    life.move(ref, "review_meeting")
    if target == "review_meeting":
        return target
    meeting_on = decided + dt.timedelta(days=10)
    life.record_event(ref, "review_meeting", meeting_on)
    life.move(ref, "recommendations")
    if target == "recommendations":
        return target
    life.record_event(ref, "recommendations_made", meeting_on)
    life.record_event(ref, "outcome_communicated", meeting_on + dt.timedelta(days=5))
    life.move(ref, "outcome_communicated")
    if target == "outcome_communicated":
        return target
    if target == "closed":
        life.move(
            ref,
            "closed",
            why="Outcome accepted; no actions (demonstration).",
            on=meeting_on + dt.timedelta(days=6),
        )
        return target
    life.add_recommendation(
        ref,
        text="Joint patrols at the location (demonstration).",
        level="multi_agency",
        scope="local",
        actions=[(AGENCIES[0], "Schedule joint patrols.", day0 + dt.timedelta(days=20))],
    )
    life.move(ref, "action_monitoring")
    return target


def _paused_and_revised(life: Lifecycle, day0: dt.date) -> None:
    """One review paused for a criminal trial; one with an agreed revised completion date."""
    for n, pseudonym in enumerate(("Sorrel", "Teasel")):
        review = life.register_dhr(
            NewDhrNotification(
                date_notified=_d(day0, 300 + n),
                referrer="Fictional Constabulary",
                title=f"Review concerning '{pseudonym}'",
                district=DISTRICTS[n],
            )
        )
        ref = review.reference
        life.move(ref, "decision")
        life.record_decision(
            ref, decision="hold", decided_on=_d(day0, 280), reasons="Criteria met (demo).",
            decided_by="CSP Chair (fictional)",
        )  # fmt: skip
        life.record_event(ref, "home_office_notified", _d(day0, 276))
        life.move(ref, "home_office_notified")
        life.move(ref, "commissioning")
        if n == 0:
            life.pause(
                ref,
                on=_d(day0, 120),
                reason_kind="trial",
                reason="Criminal trial listed; review paused on advice of the CPS (fictional).",
                approved_by="CSP Chair (fictional)",
            )
        else:
            life.agree_revised_date(
                ref,
                deadline="completion",
                revised_date=day0 + dt.timedelta(days=90),
                reason="Inquest not yet concluded (fictional).",
                approver="CSP Chair (fictional)",
                approved_on=_d(day0, 20),
            )


def _directed(life: Lifecycle, day0: dt.date) -> None:
    """A decision not to hold a review, closed, then a review directed by the Secretary of
    State on the Home Office panel's advice: reopened and being commissioned."""
    ref = life.register_dhr(
        NewDhrNotification(
            date_notified=_d(day0, 200),
            referrer="Fictional County Council Adult Social Care",
            title="Review concerning 'Hawthorn'",
            district=DISTRICTS[4],
        )
    ).reference
    life.move(ref, "decision")
    life.record_decision(
        ref, decision="not_hold", decided_on=_d(day0, 180), reasons="Criteria not met (demo).",
        decided_by="CSP Chair (fictional)",
    )  # fmt: skip
    life.record_event(ref, "home_office_notified", _d(day0, 176))
    life.move(ref, "home_office_notified")
    life.move(ref, "closed", why="Decision not to hold a review.", on=_d(day0, 175))
    life.record_direction(
        ref, directed_on=_d(day0, 45), why="Home Office letter (fictional): review directed."
    )
    life.move(ref, "commissioning", why="Directed by the Secretary of State.")
