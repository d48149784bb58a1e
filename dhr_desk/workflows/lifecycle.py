"""The review lifecycle services: registering reviews of both kinds, recording what happens to
them, and moving them between stages through the guards of their stage template.

Each call opens one short transaction, records who did it, when and why in the audit chain,
and returns frozen dataclasses; nothing here hands an ORM object or a session to its caller.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dhr_desk.models import (
    Action,
    ActionStatus,
    Agency,
    AgencyKind,
    AnonymisationCheck,
    AnonymisationResult,
    AsbComplaint,
    AsbDetails,
    AsbEscalation,
    AsbEscalationOutcome,
    AsbThresholdDecision,
    AsbVictimType,
    AttendanceStatus,
    ContactMethod,
    DeadlineOverride,
    DhrDecision,
    DhrDetails,
    ExportPurpose,
    FamilyContact,
    FamilyContactKind,
    InformationRequest,
    InformationRequestKind,
    JointReviewKind,
    Meeting,
    MeetingAttendance,
    MeetingKind,
    PanelMember,
    PanelRole,
    ParallelProceeding,
    Pause,
    PauseReasonKind,
    ProceedingKind,
    QaAmendment,
    QaOutcome,
    QualityOutcome,
    Recommendation,
    RecommendationLevel,
    RecommendationScope,
    Review,
    ReviewKind,
    ReviewStatus,
    StageTransition,
)
from dhr_desk.security import audit_chain
from dhr_desk.workflows.asb_threshold import (
    Complaint,
    ThresholdAssessment,
    assess_threshold,
)
from dhr_desk.workflows.document_register import DocumentError, NewVersion, add_version
from dhr_desk.workflows.guards import GUARDS, ReviewFacts
from dhr_desk.workflows.officers import officer
from dhr_desk.workflows.partnership import DISTRICTS
from dhr_desk.workflows.review_changes import check_unchanged
from dhr_desk.workflows.review_facts import ASB_EVENTS, DHR_EVENTS, collect_records
from dhr_desk.workflows.settings_registry import get_setting
from dhr_desk.workflows.stage_templates import (
    StageTemplate,
    all_templates,
    current_template,
    template,
)
from dhr_desk.workflows.working_calendar import DEFAULT_YEARS, en_gb

EARLIEST_YEAR = DEFAULT_YEARS.start

CLOSED = "closed"  # the final stage of every template
REOPENED_AT = "information_gathering"  # where an upheld ASB escalation sends the case
#: Recorded choices that go with a dated event and are set aside with it when a template move
#: sends the review back to do that event again (see Transition.sets_aside).
SET_ASIDE_WITH: dict[str, tuple[str, ...]] = {
    "qa_letter_received": ("qa_outcome",),
    "threshold_decided": ("threshold_decision", "threshold_decided_by", "threshold_reasons"),
}
#: Events a person does not record directly: registering, deciding, the ASB threshold decision
#: and the Secretary of State's direction have services of their own, and the first submission
#: is kept by recording the submission.
#: Events recorded with who: the column that keeps the name.
NAMED_BY = {"signed_off": "signed_off_by", "spoc_assigned": "spoc_name"}
#: Whether the ASB applicant (or someone for them) was at the review meeting, in words.
APPLICANT_AT_MEETING = {
    "attended": "invited, and took part",
    "represented": "invited, and represented by someone for them",
    "did_not_attend": "invited, and did not come",
    "not_invited": "not invited (the findings say why)",
}
#: The event a published review's learning briefing is met by (template version 2016.2 on).
LEARNING_EVENT = "learning_shared"
RECORDED_ELSEWHERE = (
    "notified",
    "received",
    "decided",
    "threshold_decided",
    "directed",
    "first_submitted",
)


class LifecycleError(ValueError):
    """A change refused: the message says what is wrong and what to do; nothing was saved."""


class MoveRefused(LifecycleError):
    """A stage move refused by the template: not an allowed move, or guards not satisfied."""

    def __init__(self, message: str, missing: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.missing = tuple(missing)


@dataclass(frozen=True)
class ReviewSummary:
    reference: str
    kind: str
    title: str
    stage: str
    stage_name: str
    status: str
    template: str
    district: str | None


@dataclass(frozen=True)
class NextStep:
    """A move the review may make and what must still be recorded for it."""

    target: str
    target_name: str
    missing: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class NewDhrNotification:
    date_notified: dt.date
    referrer: str
    title: str
    date_of_death: dt.date | None = None
    circumstances: str | None = None
    district: str | None = None
    records_secured_requested: bool = False


@dataclass(frozen=True)
class ComplaintInput:
    incident_date: dt.date
    complained_on: dt.date
    complained_to: str | None = None
    description: str | None = None
    separate_incident_ref: str | None = None


@dataclass(frozen=True)
class NewAsbApplication:
    received_on: dt.date
    applicant_name: str
    district: str
    victim_type: str = "individual"
    on_behalf_of: bool = False
    victim_consent: bool | None = None
    title: str | None = None
    complaints: tuple[ComplaintInput, ...] = field(default_factory=tuple)
    applicant_contact: str | None = None  # postal address (the letters go to it)
    applicant_email: str | None = None


def current_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account): still record something true
        return "unknown user"


class Lifecycle:
    """Services over one store's session factory."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actor: str | None = None,
        today: dt.date | None = None,
        seen_change: int | None = None,
    ) -> None:
        self._sessions = sessions
        self.actor = actor or current_actor()
        self._fixed_today = today  # a fixed "today" for tests and the demo
        # The review's last change the caller saw (review_changes.last_change): a change is
        # refused if the review changed since. None: no check (the CLI, the demo).
        self.seen_change = seen_change
        self._check_pending = False  # once per change, before anything is written

    def today(self) -> dt.date:
        return self._fixed_today or dt.date.today()

    # --- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _change(self) -> Iterator[Session]:
        self._check_pending = self.seen_change is not None
        try:
            with self._sessions.begin() as session:
                yield session
        finally:
            self._check_pending = False

    def _review(self, session: Session, reference: str) -> Review:
        review = session.scalars(select(Review).where(Review.reference == reference)).first()
        if review is None:
            raise LifecycleError(f"There is no review {reference}.")
        if self._check_pending and self.seen_change is not None:
            self._check_pending = False
            check_unchanged(session, review, self.seen_change)
        return review

    def _audit(
        self, session: Session, review: Review, action: str, why: str | None = None, **detail: Any
    ) -> None:
        payload = {k: v for k, v in detail.items() if v is not None}
        if why:
            payload["why"] = why
        audit_chain.record(
            session,
            actor=self.actor,
            action=action,
            entity_type="review",
            entity_id=review.reference,
            review_id=review.id,
            detail=payload,
        )

    def _summary(self, review: Review) -> ReviewSummary:
        return review_summary(review)

    def _next_reference(self, session: Session, kind: ReviewKind, year: int) -> str:
        """The next free number of the year (after the highest in use, not the count: an
        import or a disposal leaves gaps)."""
        prefix = f"{kind.value.upper()}-{year}-"
        taken = session.scalars(
            select(Review.reference).where(Review.reference.like(f"{prefix}%"))
        ).all()
        numbers = [int(ref[len(prefix) :]) for ref in taken if ref[len(prefix) :].isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1:03d}"

    def _check_day(self, on: dt.date, what: str) -> None:
        """Refuse a date after today (events are recorded once they happen) or before the
        working calendar begins (no clock could be worked out from it)."""
        subject = what[:1].upper() + what[1:]
        if on > self.today():
            raise LifecycleError(
                f"{subject} is dated {en_gb(on)}, after today ({en_gb(self.today())}). "
                "Record it on or after the day it happens."
            )
        if on.year < EARLIEST_YEAR:
            raise LifecycleError(
                f"{subject} is dated {en_gb(on)}, before {EARLIEST_YEAR}, where the working "
                "calendar begins. Check the year."
            )

    def _check_order(self, review: Review, event: str, on: dt.date) -> None:
        """Refuse an event dated before one it follows or after one that follows it, by the
        template's [event_order] (domain.md: a review's events happen in order)."""
        stage_template = template(review.template_key, review.template_version)
        self._check_day(on, stage_template.event_name(event))
        clash = stage_template.out_of_order(event, on, _recorded_events(review))
        if clash is not None:
            other, when, side = clash
            comes = "first" if side == "before" else "after it"
            raise LifecycleError(
                f"{en_gb(on)} is {side} {stage_template.event_name(other)} on {en_gb(when)}; "
                f"{stage_template.event_name(event)} cannot come {comes}. Check the date."
            )

    # --- registering ----------------------------------------------------------------------

    def register_dhr(self, new: NewDhrNotification) -> ReviewSummary:
        """Stage 1: log a death notified to the CSP; the decision clock starts."""
        if new.date_of_death is not None and new.date_of_death > new.date_notified:
            raise LifecycleError(
                f"The date of death {en_gb(new.date_of_death)} is after the date the CSP was "
                f"told ({en_gb(new.date_notified)}). Check both dates."
            )
        if not new.referrer.strip():
            raise LifecycleError("Record who referred the death to the CSP.")
        self._check_day(new.date_notified, "the notification")
        stage_template = current_template("dhr")
        with self._change() as session:
            review = Review(
                reference=self._next_reference(session, ReviewKind.DHR, new.date_notified.year),
                kind=ReviewKind.DHR,
                title=new.title,
                district=new.district,
                stage_key=stage_template.initial_stage,
                template_key=stage_template.key,
                template_version=stage_template.version,
                opened_on=new.date_notified,
            )
            review.dhr_details = DhrDetails(
                date_notified=new.date_notified,
                date_of_death=new.date_of_death,
                referrer=new.referrer,
                circumstances=new.circumstances,
                records_secured_requested=new.records_secured_requested,
            )
            review.stage_transitions.append(
                StageTransition(to_stage=stage_template.initial_stage, reason="notification logged")
            )
            review.lead_officer = officer(session, self.actor)  # who registers it leads it
            session.add(review)
            session.flush()
            self._audit(session, review, "registered", template=stage_template.version)
            return self._summary(review)

    def register_asb(self, new: NewAsbApplication) -> ReviewSummary:
        """An ASB Case Review application, with the complaints it relies on."""
        self._check_asb(new)
        with self._change() as session:
            return self._summary(self._register_asb(session, new))

    def register_asb_many(self, applications: Sequence[NewAsbApplication]) -> list[ReviewSummary]:
        """Several applications (an import) in one transaction: every one is checked first, and
        all are registered or none (a refusal names the application by its number)."""
        for number, new in enumerate(applications, start=1):
            try:
                self._check_asb(new)
            except LifecycleError as exc:
                raise LifecycleError(f"Application {number}: {exc}") from exc
        with self._change() as session:
            return [self._summary(self._register_asb(session, new)) for new in applications]

    def _check_asb(self, new: NewAsbApplication) -> None:
        if not new.applicant_name.strip():
            raise LifecycleError("Record the applicant's name.")
        if new.on_behalf_of and new.victim_consent is None:
            raise LifecycleError(
                "The application is made on the victim's behalf: record whether the victim "
                "consents (an application needs the victim's consent)."
            )
        self._check_day(new.received_on, "the application")
        if new.applicant_email and "@" not in new.applicant_email:
            raise LifecycleError(f"'{new.applicant_email}' is not an email address.")
        if new.district not in DISTRICTS:
            raise LifecycleError(
                f"'{new.district}' is not a district of the partnership: one of "
                f"{', '.join(DISTRICTS)}."
            )
        if new.victim_type not in {v.value for v in AsbVictimType}:
            raise LifecycleError(
                f"'{new.victim_type}' is not a kind of victim: individual, business or "
                "community_group."
            )
        for i, c in enumerate(new.complaints, start=1):
            self._check_complaint(c, new.received_on, i)

    def _register_asb(self, session: Session, new: NewAsbApplication) -> Review:
        stage_template = current_template("asb")
        review = Review(
            reference=self._next_reference(session, ReviewKind.ASB, new.received_on.year),
            kind=ReviewKind.ASB,
            title=new.title or f"ASB case review, {new.district}",
            district=new.district,
            stage_key=stage_template.initial_stage,
            template_key=stage_template.key,
            template_version=stage_template.version,
            opened_on=new.received_on,
        )
        review.asb_details = AsbDetails(
            received_on=new.received_on,
            applicant_name=new.applicant_name,
            applicant_contact=(new.applicant_contact or "").strip() or None,
            applicant_email=(new.applicant_email or "").strip() or None,
            on_behalf_of=new.on_behalf_of,
            victim_consent=new.victim_consent,
            victim_type=AsbVictimType(new.victim_type),
        )
        for c in new.complaints:
            review.asb_complaints.append(_complaint_row(c))
        review.stage_transitions.append(
            StageTransition(to_stage=stage_template.initial_stage, reason="application received")
        )
        review.lead_officer = officer(session, self.actor)  # who registers it leads it
        session.add(review)
        session.flush()
        self._audit(session, review, "registered", complaints=len(new.complaints))
        return review

    @staticmethod
    def _check_complaint(c: ComplaintInput, received_on: dt.date, number: int) -> None:
        if c.complained_on < c.incident_date:
            raise LifecycleError(
                f"Complaint {number}: made on {en_gb(c.complained_on)}, before the behaviour it "
                f"complains of ({en_gb(c.incident_date)}). Check the dates."
            )
        if c.complained_on > received_on:
            raise LifecycleError(
                f"Complaint {number}: made on {en_gb(c.complained_on)}, after the application "
                f"was received ({en_gb(received_on)}). Check the dates."
            )

    # --- reading --------------------------------------------------------------------------

    def summary(self, reference: str) -> ReviewSummary:
        with self._sessions() as session:
            return self._summary(self._review(session, reference))

    def next_steps(self, reference: str) -> list[NextStep]:
        """Every move the template allows from here, with what each still needs."""
        with self._sessions() as session:
            review = self._review(session, reference)
            return review_next_steps(review, collect_records(session, [review.id])[0].facts)

    # --- DHR events -----------------------------------------------------------------------

    def record_decision(
        self, reference: str, *, decision: str, decided_on: dt.date, reasons: str, decided_by: str
    ) -> ReviewSummary:
        """Stage 2: the CSP Chair's decision, with partners, to hold or not hold a review."""
        if not reasons.strip():
            raise LifecycleError("Record the reasons for the decision.")
        with self._change() as session:
            review = self._review(session, reference)
            details = _dhr(review)
            if details.decision is not None:
                said = details.decision.value.replace("_", " ")
                when = en_gb(details.decision_date) if details.decision_date else "an unknown date"
                raise LifecycleError(
                    f"{reference} already has a decision ({said} on {when}). A decision is "
                    "recorded once; if it was wrong, correct it through a manager."
                )
            self._check_order(review, "decided", decided_on)
            details.decision = DhrDecision(decision)
            details.decision_date = decided_on
            details.decision_reasons = reasons
            details.decision_by = decided_by
            self._audit(session, review, "decision recorded", reasons, decision=decision)
            return self._summary(review)

    def record_event(
        self, reference: str, event: str, on: dt.date, *, why: str | None = None,
        by: str | None = None,
    ) -> ReviewSummary:  # fmt: skip
        """Record the date of a dated event (Home Office notified, sign-off, publication …);
        ``by`` names who: for a DHR's sign-off, who signed it off (the CSP chair or the board);
        for an ASB review's SPOC, the single point of contact named (the letters name them)."""
        signer = " ".join((by or "").split())
        if signer and event not in NAMED_BY:
            raise LifecycleError("Who did it is recorded for a sign-off or a SPOC only.")
        if len(signer) > 200:
            raise LifecycleError("Keep the name under 200 characters.")
        with self._change() as session:
            review = self._review(session, reference)
            columns = DHR_EVENTS if review.kind == ReviewKind.DHR else ASB_EVENTS
            if event not in columns or event in RECORDED_ELSEWHERE:
                allowed = ", ".join(k for k in columns if k not in RECORDED_ELSEWHERE)
                raise LifecycleError(f"'{event}' is not an event to record here: use {allowed}.")
            target = _dhr(review) if review.kind == ReviewKind.DHR else _asb(review)
            attribute = columns[event].key
            previous = getattr(target, attribute)
            if event == "submitted":  # the first submission is kept through resubmissions,
                details = _dhr(review)  # and corrected with the submission until one
                first = details.first_submitted_on
                if first is None or first == details.submitted_on:
                    details.first_submitted_on = details.submitted_on = None
                    self._check_order(review, "first_submitted", on)
                    details.first_submitted_on = on
            self._check_order(review, event, on)
            setattr(target, attribute, on)
            embargo = review.dhr_details.embargo_until if review.dhr_details else None
            if event == "published" and embargo is not None and on < embargo:
                raise LifecycleError(f"{en_gb(on)} is before the embargo ends ({en_gb(embargo)}).")
            moved = self._onto_learning_follow_up(review) if event == "published" else None
            if signer:
                setattr(target, NAMED_BY[event], signer)
            self._audit(
                session,
                review,
                f"{event} recorded",
                why,
                on=on.isoformat(),
                previous=previous.isoformat() if previous else None,
                template=moved,
                by=signer or None,
            )
            return self._summary(review)

    def record_direction(self, reference: str, *, directed_on: dt.date, why: str) -> ReviewSummary:
        """The Secretary of State directs a review after a decision not to hold one, on the
        Home Office panel's advice (s.9(2) DVCVA 2004; domain.md stage 3). The review may then
        be commissioned, from Home Office notified or, reopened, from Closed."""
        if not why.strip():
            raise LifecycleError("Record the direction's reference or the Home Office's words.")
        with self._change() as session:
            review = self._review(session, reference)
            details = _dhr(review)
            if details.decision != DhrDecision.NOT_HOLD:
                raise LifecycleError(
                    f"{reference} has no decision not to hold a review; the Secretary of State "
                    "directs a review only after one."
                )
            if details.home_office_notified_on is None:
                raise LifecycleError(
                    "Record the date the Home Office was told of the decision first; a direction "
                    "follows it."
                )
            if details.secretary_of_state_directed_on is not None:
                raise LifecycleError(
                    f"{reference} already records a direction on "
                    f"{en_gb(details.secretary_of_state_directed_on)}."
                )
            self._check_order(review, "directed", directed_on)
            details.secretary_of_state_directed_on = directed_on
            review.directed_by_secretary_of_state = True
            self._audit(session, review, "directed by the Secretary of State", why,
                        on=directed_on.isoformat())  # fmt: skip
            return self._summary(review)

    def record_joint_review(
        self, reference: str, *, kind: str, other_reference: str, why: str
    ) -> ReviewSummary:
        """A DHR run jointly with a Safeguarding Adults Review (s.44 Care Act 2014) or a Child
        Safeguarding Practice Review links the two records (domain.md: joint review). The other
        review is kept by its own board, so it is named by its reference."""
        if not other_reference.strip():
            raise LifecycleError("Give the other review's reference (e.g. SAR-2026-03).")
        if not why.strip():
            raise LifecycleError("Record why the reviews are run jointly.")
        try:
            joint_kind = JointReviewKind(kind)
        except ValueError:
            allowed = ", ".join(k.value for k in JointReviewKind)
            raise LifecycleError(
                f"'{kind}' is not a kind of joint review: use {allowed}."
            ) from None
        with self._change() as session:
            review = self._review(session, reference)
            _dhr(review)
            previous = review.joint_review_with
            review.joint_review_kind = joint_kind
            review.joint_review_with = other_reference.strip()
            self._audit(session, review, "joint review linked", why, kind=kind,
                        other=other_reference.strip(), previous=previous)  # fmt: skip
            return self._summary(review)

    def appoint_chair(
        self,
        reference: str,
        *,
        name: str,
        appointed_on: dt.date,
        independence_statement: str,
        also_author: bool = True,
    ) -> ReviewSummary:
        """Stage 4: the independent chair (and author), with an independence statement."""
        if not independence_statement.strip():
            raise LifecycleError("Record the chair's independence statement.")
        with self._change() as session:
            review = self._review(session, reference)
            details = _dhr(review)
            self._check_order(review, "chair_appointed", appointed_on)
            chair = PanelMember(
                name=name,
                role=PanelRole.CHAIR,
                appointed_on=appointed_on,
                independence_declaration=independence_statement,
                declared_no_involvement=True,
                declared_on=appointed_on,
            )
            review.panel_members.append(chair)
            session.flush()
            details.chair = chair
            details.chair_appointed_on = appointed_on
            details.independence_statement = independence_statement
            if also_author:
                details.author = chair
                details.author_appointed_on = appointed_on
            self._audit(session, review, "chair appointed", name=name)
            return self._summary(review)

    def add_panel_member(
        self,
        reference: str,
        *,
        name: str,
        agency: str | None,
        job_title: str | None = None,
        declared_no_involvement: bool,
        declaration: str | None = None,
        declared_on: dt.date | None = None,
    ) -> int:
        """A panel member, declaring no direct involvement with the people or their managers."""
        with self._change() as session:
            review = self._review(session, reference)
            member = PanelMember(
                name=name,
                role=PanelRole.MEMBER,
                job_title=job_title,
                agency=_agency(session, agency) if agency else None,
                declared_no_involvement=declared_no_involvement,
                independence_declaration=declaration,
                declared_on=declared_on,
            )
            review.panel_members.append(member)
            session.flush()
            self._audit(session, review, "panel member added", name=name, agency=agency)
            return member.id

    def schedule_meeting(
        self, reference: str, *, kind: str, scheduled_for: dt.date, location: str | None = None
    ) -> int:
        with self._change() as session:
            review = self._review(session, reference)
            meeting = Meeting(
                kind=MeetingKind(kind), scheduled_for=scheduled_for, location=location
            )
            review.meetings.append(meeting)
            session.flush()
            self._audit(session, review, "meeting scheduled", kind=kind, on=str(scheduled_for))
            return meeting.id

    def record_meeting_held(
        self, reference: str, meeting_id: int, *, held_on: dt.date, attendance: dict[int, str]
    ) -> None:
        """The meeting took place; attendance per panel member (present / apologies / absent)."""
        with self._change() as session:
            review = self._review(session, reference)
            meeting = _owned(review, review.meetings, meeting_id, "meeting")
            self._check_day(held_on, "the meeting")
            if held_on < review.opened_on:
                raise LifecycleError(
                    f"{en_gb(held_on)} is before the review began ({en_gb(review.opened_on)})."
                )
            meeting.held_on = held_on
            members = {m.id for m in review.panel_members}
            for member_id, status in attendance.items():
                if member_id not in members:
                    raise LifecycleError(f"Panel member {member_id} is not on this review's panel.")
                meeting.attendances.append(
                    MeetingAttendance(panel_member_id=member_id, attended=AttendanceStatus(status))
                )
            self._audit(session, review, "meeting held", meeting=meeting_id, on=str(held_on))

    # --- information requests -------------------------------------------------------------

    def issue_information_request(
        self,
        reference: str,
        *,
        agency: str,
        kind: str,
        requested_on: dt.date,
        due_on: dt.date | None = None,
    ) -> int:
        """An IMR, chronology or summary report asked of an agency; due after the weeks of the
        setting ``requests.default_weeks`` (6 unless changed) when no date is given."""
        if due_on is not None and due_on < requested_on:
            raise LifecycleError(
                f"The due date {en_gb(due_on)} is before the request ({en_gb(requested_on)})."
            )
        self._check_day(requested_on, "the request")
        with self._change() as session:
            weeks = int(get_setting(session, "requests.default_weeks"))
            due = due_on or requested_on + dt.timedelta(weeks=weeks)
            review = self._review(session, reference)
            if requested_on < review.opened_on:
                raise LifecycleError(
                    f"{en_gb(requested_on)} is before the review began ({en_gb(review.opened_on)})."
                )
            request = InformationRequest(
                agency=_agency(session, agency),
                kind=InformationRequestKind(kind),
                requested_on=requested_on,
                due_on=due,
            )
            review.information_requests.append(request)
            session.flush()
            self._audit(
                session, review, "information requested", agency=agency, due=due.isoformat()
            )
            return request.id

    def receive_information(
        self, reference: str, request_id: int, *, received_on: dt.date, nil_return: bool = False
    ) -> None:
        self._check_day(received_on, "the return")
        with self._change() as session:
            review = self._review(session, reference)
            request = _request(review, request_id)
            if received_on < request.requested_on:
                raise LifecycleError(
                    f"{en_gb(received_on)} is before the request was made "
                    f"({en_gb(request.requested_on)})."
                )
            request.received_on = received_on
            request.nil_return = nil_return
            self._audit(session, review, "information received", request=request_id)

    def quality_check_information(
        self,
        reference: str,
        request_id: int,
        *,
        checked_on: dt.date,
        checked_by: str,
        outcome: str = "accepted",
        notes: str | None = None,
    ) -> None:
        self._check_day(checked_on, "the quality check")
        with self._change() as session:
            review = self._review(session, reference)
            request = _request(review, request_id)
            if request.received_on is None:
                raise LifecycleError("Record the return as received before quality-checking it.")
            if checked_on < request.received_on:
                raise LifecycleError(
                    f"{en_gb(checked_on)} is before the return arrived "
                    f"({en_gb(request.received_on)})."
                )
            request.quality_checked_on = checked_on
            request.quality_checked_by = checked_by
            request.quality_outcome = QualityOutcome(outcome)
            request.quality_notes = notes
            self._audit(session, review, "information quality-checked", request=request_id)

    # --- family, proceedings --------------------------------------------------------------

    def log_family_contact(
        self,
        reference: str,
        *,
        contacted_on: dt.date,
        kind: str = "family",
        summary: str,
        leaflet_given: bool = False,
        advocate_offered: bool = False,
        advocate: str | None = None,
        declined: bool = False,
        method: str | None = None,
    ) -> int:
        """A contact with the family or another contributor (letter, visit, call …)."""
        self._check_day(contacted_on, "the contact")
        with self._change() as session:
            review = self._review(session, reference)
            if contacted_on < review.opened_on:
                raise LifecycleError(
                    f"{en_gb(contacted_on)} is before the review began ({en_gb(review.opened_on)})."
                )
            contact = FamilyContact(
                contact_kind=FamilyContactKind(kind),
                contacted_on=contacted_on,
                method=ContactMethod(method) if method else None,
                summary=summary,
                leaflet_given=leaflet_given,
                advocate_offered=advocate_offered,
                advocate_organisation=advocate,
                declined=declined,
            )
            review.family_contacts.append(contact)
            session.flush()
            self._audit(session, review, "family contact logged", on=str(contacted_on))
            return contact.id

    def log_proceeding(
        self,
        reference: str,
        *,
        kind: str,
        status: str,
        next_date: dt.date | None = None,
        blocks_publication: bool = True,
    ) -> int:
        with self._change() as session:
            review = self._review(session, reference)
            proceeding = ParallelProceeding(
                kind=ProceedingKind(kind),
                status=status,
                next_date=next_date,
                blocks_publication=blocks_publication,
            )
            review.proceedings.append(proceeding)
            session.flush()
            self._audit(session, review, "proceeding logged", kind=kind, status=status)
            return proceeding.id

    def conclude_proceeding(self, reference: str, proceeding_id: int, *, on: dt.date) -> None:
        self._check_day(on, "the conclusion")
        with self._change() as session:
            review = self._review(session, reference)
            proceeding = _owned(review, review.proceedings, proceeding_id, "proceeding")
            proceeding.concluded_on = on
            proceeding.status = "concluded"
            self._audit(session, review, "proceeding concluded", proceeding=proceeding_id)

    # --- clocks ---------------------------------------------------------------------------

    def pause(
        self, reference: str, *, on: dt.date, reason_kind: str, reason: str, approved_by: str
    ) -> ReviewSummary:
        """Pause for a trial, inquest, IOPC investigation or other reason: clocks stop."""
        if not reason.strip() or not approved_by.strip():
            raise LifecycleError("A pause needs a reason and the name of who approved it.")
        with self._change() as session:
            review = self._review(session, reference)
            if review.status == ReviewStatus.PAUSED:
                raise LifecycleError(f"{reference} is already paused.")
            if review.status == ReviewStatus.CLOSED:
                raise LifecycleError(f"{reference} is closed; a closed review has no clocks.")
            if on < review.opened_on:
                raise LifecycleError(f"{en_gb(on)} is before the review began.")
            if on > self.today():
                raise LifecycleError(f"{en_gb(on)} is in the future; pause on the day it starts.")
            last_end = max((p.ended_on for p in review.pauses if p.ended_on), default=None)
            if last_end is not None and on < last_end:
                raise LifecycleError(
                    f"{en_gb(on)} is inside an earlier pause (which ended {en_gb(last_end)}); "
                    "pauses cannot overlap."
                )
            review.pauses.append(
                Pause(
                    started_on=on,
                    reason_kind=PauseReasonKind(reason_kind),
                    reason=reason,
                    approved_by=approved_by,
                    approved_on=on,
                )
            )
            review.status = ReviewStatus.PAUSED
            self._audit(session, review, "paused", reason, kind=reason_kind, on=str(on))
            return self._summary(review)

    def resume(self, reference: str, *, on: dt.date, why: str) -> ReviewSummary:
        """Resume: every clock moves on by the paused span."""
        self._check_day(on, "the resumption")
        with self._change() as session:
            review = self._review(session, reference)
            open_pause = next((p for p in review.pauses if p.ended_on is None), None)
            if review.status != ReviewStatus.PAUSED or open_pause is None:
                raise LifecycleError(f"{reference} is not paused.")
            if on < open_pause.started_on:
                raise LifecycleError(
                    f"{en_gb(on)} is before the pause began ({en_gb(open_pause.started_on)})."
                )
            open_pause.ended_on = on
            review.status = ReviewStatus.OPEN
            self._audit(session, review, "resumed", why, on=str(on))
            return self._summary(review)

    def agree_revised_date(
        self,
        reference: str,
        *,
        deadline: str,
        revised_date: dt.date,
        reason: str,
        approver: str,
        approved_on: dt.date | None = None,
    ) -> None:
        """An agreed revised date for one deadline (ordinary: most reviews need one)."""
        if not reason.strip() or not approver.strip():
            raise LifecycleError("A revised date needs a reason and the name of its approver.")
        if approved_on is not None:
            self._check_day(approved_on, "the approval")
        with self._change() as session:
            review = self._review(session, reference)
            rules = {
                r.key for r in template(review.template_key, review.template_version).deadlines
            }
            if deadline not in rules:
                raise LifecycleError(
                    f"{reference} has no deadline '{deadline}'; its deadlines are "
                    f"{', '.join(sorted(rules))}."
                )
            review.deadline_overrides.append(
                DeadlineOverride(
                    deadline_key=deadline,
                    revised_date=revised_date,
                    reason=reason,
                    approver=approver,
                    approved_on=approved_on,
                )
            )
            self._audit(
                session,
                review,
                "revised date agreed",
                reason,
                deadline=deadline,
                revised=revised_date.isoformat(),
                approver=approver,
            )

    # --- stage moves ----------------------------------------------------------------------

    def move(
        self, reference: str, target: str, *, why: str | None = None, on: dt.date | None = None
    ) -> ReviewSummary:
        """Move to ``target`` if the template allows it and every guard holds; else say which
        guards failed and what to record. ``on`` dates a closure (default: today)."""
        with self._change() as session:
            review = self._review(session, reference)
            self._move(session, review, target, why, on)
            return self._summary(review)

    def _move(
        self, session: Session, review: Review, target: str, why: str | None, on: dt.date | None
    ) -> None:
        """The move itself, in the caller's transaction: everything is checked before anything
        is written, so a refused move writes nothing."""
        reference = review.reference
        stage_template = template(review.template_key, review.template_version)
        if review.status == ReviewStatus.PAUSED:
            raise MoveRefused(f"{reference} is paused; resume it before moving it on.")
        move = stage_template.transition(review.stage_key, target)
        if move is None:
            allowed = ", ".join(m.target for m in stage_template.moves_from(review.stage_key))
            raise MoveRefused(
                f"{reference} cannot go from '{review.stage_key}' to '{target}'. "
                f"From here it can go to: {allowed or 'nowhere (it is finished)'}."
            )
        facts = collect_records(session, [review.id])[0].facts
        missing = [GUARDS[g].needs for g in move.requires if not GUARDS[g].holds(facts)]
        if missing:
            raise MoveRefused(
                f"{reference} cannot move to '{stage_template.stage(target).name}' yet: "
                + " ".join(missing),
                missing,
            )
        closed_on = on or self.today()
        if target == CLOSED:
            self._check_day(closed_on, "the closure")
        if target == CLOSED and closed_on < review.opened_on:
            raise LifecycleError(
                f"{reference} cannot close on {en_gb(closed_on)}, before it opened on "
                f"{en_gb(review.opened_on)}."
            )
        source = review.stage_key
        review.stage_key = target
        review.stage_transitions.append(
            StageTransition(from_stage=source, to_stage=target, reason=why)
        )
        if target == CLOSED:
            review.status = ReviewStatus.CLOSED
            review.closed_on = closed_on
        elif source == CLOSED:  # reopened (a direction by the Secretary of State)
            self._audit(session, review, "reopened", why, closed_on=str(review.closed_on))
            review.status = ReviewStatus.OPEN
            review.closed_on = None
        self._audit(session, review, "stage moved", why, source=source, target=target)
        if move.sets_aside:
            self._set_aside(session, review, move.sets_aside, why)

    def _set_aside(
        self, session: Session, review: Review, events: Sequence[str], why: str | None
    ) -> None:
        """Clear events a move sends the review back to do again (and the choices recorded
        with them); the audit log keeps what they were."""
        columns = DHR_EVENTS if review.kind == ReviewKind.DHR else ASB_EVENTS
        details: DhrDetails | AsbDetails = (
            _dhr(review) if review.kind == ReviewKind.DHR else _asb(review)
        )
        earlier: dict[str, str] = {}
        for event in events:
            for attribute in (columns[event].key, *SET_ASIDE_WITH.get(event, ())):
                value = getattr(details, attribute)
                if value is not None:
                    earlier[attribute] = str(getattr(value, "value", value))
                    setattr(details, attribute, None)
        if earlier:
            self._audit(session, review, "set aside to be done again", why, **earlier)

    # --- report, action plan, QA ----------------------------------------------------------

    def add_recommendation(
        self,
        reference: str,
        *,
        text: str,
        level: str,
        scope: str,
        actions: Sequence[tuple[str, str, dt.date | None]],
        made_on: dt.date | None = None,
    ) -> int:
        """A recommendation with its actions (lead agency, action to take, target date); the
        number is the next free one."""
        if not text.strip():
            raise LifecycleError("Write the recommendation's text.")
        with self._change() as session:
            review = self._review(session, reference)
            number = max((r.number for r in review.recommendations), default=0) + 1
            recommendation = Recommendation(
                number=number,
                text=text,
                level=RecommendationLevel(level),
                scope=RecommendationScope(scope),
                made_on=made_on,
            )
            for i, (agency, description, target) in enumerate(actions, start=1):
                recommendation.actions.append(
                    Action(
                        number=i,
                        description=description,
                        lead_agency=_agency(session, agency),
                        target_date=target,
                    )
                )
            review.recommendations.append(recommendation)
            session.flush()
            self._audit(session, review, "recommendation added", number=number)
            return recommendation.id

    def record_anonymisation_check(
        self,
        reference: str,
        *,
        target: str,
        purpose: str,
        hit_count: int,
        override_reason: str | None = None,
    ) -> str:
        """The result of checking a document against the identifier register: clean, blocked,
        or overridden by a person with a recorded reason."""
        if hit_count < 0:
            raise LifecycleError("A hit count cannot be negative.")
        if hit_count and override_reason is not None and not override_reason.strip():
            raise LifecycleError("An override needs a reason.")
        result = (
            AnonymisationResult.CLEAN
            if hit_count == 0
            else AnonymisationResult.OVERRIDDEN
            if override_reason
            else AnonymisationResult.BLOCKED
        )
        with self._change() as session:
            review = self._review(session, reference)
            review.anonymisation_checks.append(
                AnonymisationCheck(
                    target=target,
                    purpose=ExportPurpose(purpose),
                    hit_count=hit_count,
                    result=result,
                    override_reason=override_reason,
                    overridden_at=dt.datetime.now(dt.UTC) if override_reason else None,
                )
            )
            self._audit(
                session,
                review,
                "anonymisation checked",
                override_reason,
                target=target,
                result=result.value,
            )
            return result.value

    def record_qa_outcome(
        self,
        reference: str,
        *,
        outcome: str,
        letter_received_on: dt.date,
        amendments: Sequence[str] = (),
        letter: NewVersion | None = None,
    ) -> ReviewSummary:
        """Stage 11: the Home Office feedback letter and its outcome; each "area for final
        development" is tracked to done. With ``letter``, the letter's file is added to the
        documents register in the same transaction (both are kept, or neither)."""
        areas = [" ".join(text.split()) for text in amendments if text.strip()]
        if outcome not in {o.value for o in QaOutcome}:
            raise LifecycleError(f"'{outcome}' is not an outcome of the Home Office's letter.")
        if outcome == QaOutcome.APPROVED_SUBJECT_TO_AMENDMENTS and not areas:
            raise LifecycleError(
                "List each area for final development the letter asks for (one per line): "
                "each is tracked until it is done."
            )
        if outcome != QaOutcome.APPROVED_SUBJECT_TO_AMENDMENTS and areas:
            raise LifecycleError(
                "Areas for final development go with 'approved subject to amendments' only."
            )
        self._check_day(letter_received_on, "the feedback letter")
        with self._change() as session:
            review = self._review(session, reference)
            details = _dhr(review)
            self._check_order(review, "qa_letter_received", letter_received_on)
            details.qa_outcome = QaOutcome(outcome)
            details.qa_letter_received_on = letter_received_on
            for text in areas:
                review.qa_amendments.append(
                    QaAmendment(description=text, raised_on=letter_received_on)
                )
            if letter is not None:
                try:
                    add_version(session, self.actor, reference, letter)
                except DocumentError as exc:
                    raise LifecycleError(str(exc)) from exc
            self._audit(session, review, "QA outcome recorded", outcome=outcome,
                        areas=len(areas))  # fmt: skip
            return self._summary(review)

    def migrate_template(self, reference: str, version: str, *, why: str) -> ReviewSummary:
        """Move a running review onto another version of its stage template: only when a
        person decides (a new version never changes running reviews by itself), and only if
        the review's current stage exists in that version."""
        if not why.strip():
            raise LifecycleError("Say why the review moves to another template version.")
        with self._change() as session:
            review = self._review(session, reference)
            target = template(review.template_key, version)
            if review.template_version == version:
                raise LifecycleError(
                    f"{reference} already follows {review.template_key} {version}."
                )
            if review.stage_key not in {s.key for s in target.stages}:
                raise LifecycleError(
                    f"Template {review.template_key} {version} has no stage '{review.stage_key}', "
                    f"where {reference} is now; move the review to a stage both versions share "
                    "first."
                )
            previous = review.template_version
            review.template_version = version
            self._audit(session, review, "template migrated", why, source=previous, target=version)
            return self._summary(review)

    def record_publication(
        self,
        reference: str,
        *,
        family_told_on: dt.date | None = None,
        embargo_until: dt.date | None = None,
        published_on: dt.date | None = None,
        url: str | None = None,
    ) -> ReviewSummary:
        """Stages 12-13: the family told the date, the embargo (it may lie ahead), the
        publication date and web address. Publishing starts the takedown review (12 months) and
        the learning briefing: a review on a template without that follow-up moves to the
        newest version that has it (audited), so every published review gets the task."""
        address = (url or "").strip()
        if address and not address.lower().startswith(("https://", "http://")):
            raise LifecycleError(f"'{address}' is not a web address (https://…).")
        if len(address) > 500:
            raise LifecycleError("Keep the web address under 500 characters.")
        if family_told_on is not None:
            self._check_day(family_told_on, "telling the family the date")
        with self._change() as session:
            review = self._review(session, reference)
            details = _dhr(review)
            if published_on is not None:
                self._check_order(review, "published", published_on)
                embargo = embargo_until or details.embargo_until
                if embargo is not None and published_on < embargo:
                    raise LifecycleError(
                        f"{en_gb(published_on)} is before the embargo ends ({en_gb(embargo)})."
                    )
                details.published_on = published_on
            if embargo_until is not None:
                published = details.published_on
                if published is not None and published < embargo_until:
                    raise LifecycleError(
                        f"The report was published on {en_gb(published)}, before an embargo "
                        f"ending {en_gb(embargo_until)}: check the dates."
                    )
                details.embargo_until = embargo_until
            if family_told_on is not None:
                details.family_told_publication_on = family_told_on
            if address:
                details.publication_url = address
            moved = None
            if published_on is not None:
                moved = self._onto_learning_follow_up(review)
            self._audit(
                session, review, "publication recorded", None,
                published_on=published_on.isoformat() if published_on else None,
                embargo_until=embargo_until.isoformat() if embargo_until else None,
                family_told_on=family_told_on.isoformat() if family_told_on else None,
                url=address or None, template=moved,
            )  # fmt: skip
            return self._summary(review)

    def _onto_learning_follow_up(self, review: Review) -> str | None:
        """The newest version of the review's template with a deadline met by sharing the
        learning, when the review's own version has none; the version moved to, or None."""
        current = template(review.template_key, review.template_version)
        if any(rule.met_by == LEARNING_EVENT for rule in current.deadlines):
            return None

        def version(t: StageTemplate) -> tuple[int, ...]:
            return tuple(int(p) for p in t.version.split("."))

        later = sorted(
            (t for t in all_templates().values()
             if t.key == current.key and version(t) > version(current)
             and any(rule.met_by == LEARNING_EVENT for rule in t.deadlines)
             and review.stage_key in {s.key for s in t.stages}),
            key=version,
        )  # the first version that adds the follow-up, not whatever is newest  # fmt: skip
        if not later:
            return None
        target = later[0]
        review.template_version = target.version
        return f"{current.key} {current.version} -> {target.key} {target.version}"

    def complete_qa_amendment(
        self, reference: str, amendment_id: int, *, done_on: dt.date, done_by: str
    ) -> None:
        """One "area for final development" from the Home Office letter is done."""
        self._check_day(done_on, "the amendment")
        with self._change() as session:
            review = self._review(session, reference)
            amendment = _owned(review, review.qa_amendments, amendment_id, "amendment")
            if amendment.raised_on is not None and done_on < amendment.raised_on:
                raise LifecycleError(
                    f"{en_gb(done_on)} is before the letter that raised it "
                    f"({en_gb(amendment.raised_on)})."
                )
            amendment.done_on = done_on
            amendment.done_by = done_by
            self._audit(session, review, "amendment done", amendment=amendment_id)

    def record_panel_declaration(
        self,
        reference: str,
        member_id: int,
        *,
        declared_no_involvement: bool,
        declaration: str,
        declared_on: dt.date,
    ) -> None:
        """A panel member's declaration, made or corrected after they joined."""
        self._check_day(declared_on, "the declaration")
        with self._change() as session:
            review = self._review(session, reference)
            member = _member(review, member_id)
            member.declared_no_involvement = declared_no_involvement
            member.independence_declaration = declaration
            member.declared_on = declared_on
            self._audit(
                session, review, "panel declaration recorded", member=member_id,
                no_involvement=declared_no_involvement,
            )  # fmt: skip

    def stand_down_panel_member(
        self, reference: str, member_id: int, *, on: dt.date, why: str
    ) -> None:
        """A panel member leaves the panel (kept on record, no longer counted)."""
        if not why.strip():
            raise LifecycleError("Say why the panel member stood down.")
        self._check_day(on, "the stand-down")
        with self._change() as session:
            review = self._review(session, reference)
            member = _member(review, member_id)
            member.stood_down_on = on
            self._audit(session, review, "panel member stood down", why, member=member_id)

    def finish_action(
        self,
        reference: str,
        action_id: int,
        *,
        on: dt.date,
        evidence: str | None = None,
        closure_reason: str | None = None,
    ) -> None:
        """An action complete with evidence, or closed by the CSP with a reason (domain.md:
        every action complete with evidence, or closed by the CSP with a reason)."""
        if bool(evidence and evidence.strip()) == bool(closure_reason and closure_reason.strip()):
            raise LifecycleError(
                "Give either the evidence that the action is complete, or the CSP's reason for "
                "closing it."
            )
        self._check_day(on, "the action's completion")
        with self._change() as session:
            review = self._review(session, reference)
            action = next(
                (a for r in review.recommendations for a in r.actions if a.id == action_id), None
            )
            if action is None:
                raise LifecycleError(f"{reference} has no action {action_id}.")
            action.completed_on = on
            if evidence:
                action.status, action.evidence = ActionStatus.COMPLETE, evidence
            else:
                action.status, action.closure_reason = ActionStatus.CLOSED_BY_CSP, closure_reason
            self._audit(session, review, "action finished", closure_reason, action_id=action_id,
                        status=action.status.value)  # fmt: skip

    def record_victim_consent(
        self, reference: str, *, consent: bool, recorded_on: dt.date
    ) -> ReviewSummary:
        """The victim's consent to an application made on their behalf, recorded later."""
        self._check_day(recorded_on, "the consent")
        with self._change() as session:
            review = self._review(session, reference)
            details = _asb(review)
            details.victim_consent = consent
            details.victim_consent_recorded_on = recorded_on
            self._audit(session, review, "victim consent recorded", consent=consent)
            return self._summary(review)

    def withdraw(self, reference: str, *, on: dt.date, why: str) -> ReviewSummary:
        """An ASB application withdrawn (or refused for want of the victim's consent): closed
        with the reason recorded."""
        if not why.strip():
            raise LifecycleError("Record why the application is withdrawn.")
        with self._change() as session:
            review = self._review(session, reference)
            _asb(review)
            review.closure_reason = why
            self._move(session, review, CLOSED, why, on)
            return self._summary(review)

    # --- ASB ------------------------------------------------------------------------------

    def record_complaint(self, reference: str, complaint: ComplaintInput) -> int:
        with self._change() as session:
            review = self._review(session, reference)
            details = _asb(review)
            self._check_complaint(complaint, details.received_on, len(review.asb_complaints) + 1)
            row = _complaint_row(complaint)
            review.asb_complaints.append(row)
            session.flush()
            self._audit(session, review, "complaint recorded", on=str(complaint.complained_on))
            return row.id

    def asb_local_threshold(self) -> int:
        """The number of qualifying complaints that meets the threshold here (a setting)."""
        with self._sessions() as session:
            return int(get_setting(session, "asb.local_threshold"))

    def assess_threshold(self, reference: str) -> ThresholdAssessment:
        """s.104(4): count the qualifying complaints against the partnership's threshold
        (setting ``asb.local_threshold``, 3 at most) and say whether it is met automatically."""
        with self._sessions() as session:
            return self._assessment(session, self._review(session, reference))

    @staticmethod
    def _assessment(session: Session, review: Review) -> ThresholdAssessment:
        details = _asb(review)
        return assess_threshold(
            [
                Complaint(
                    incident_date=c.incident_date,
                    complained_on=c.complained_on,
                    separate_incident_ref=c.separate_incident_ref,
                    label=f"complaint of {en_gb(c.complained_on)}",
                )
                for c in review.asb_complaints
            ],
            details.received_on,
            int(get_setting(session, "asb.local_threshold")),
        )

    def record_asb_review_meeting(
        self,
        reference: str,
        *,
        held_on: dt.date,
        attendees: str,
        applicant: str,
        findings: str,
    ) -> ReviewSummary:
        """The ASB Case Review meeting (s.104 ASBCPA 2014): when, who took part, whether the
        applicant (or someone for them) was invited and came, and what the review found. The
        findings are kept with the review (and go into the outcome letter); the meeting is kept
        with the review's meetings."""
        if applicant not in APPLICANT_AT_MEETING:
            raise LifecycleError("Say whether the applicant was invited, and whether they came.")
        if not attendees.strip():
            raise LifecycleError("List who took part (agencies and people).")
        if not findings.strip():
            raise LifecycleError("Record what the review found.")
        with self._change() as session:
            review = self._review(session, reference)
            details = _asb(review)
            self._check_order(review, "review_meeting", held_on)
            previous = details.review_meeting_on
            details.review_meeting_on = held_on
            details.outcome_summary = findings.strip()
            review.meetings.append(
                Meeting(
                    kind=MeetingKind.REVIEW_MEETING, scheduled_for=held_on, held_on=held_on,
                    notes=f"Took part: {' '.join(attendees.split())}\n"
                    f"The applicant: {APPLICANT_AT_MEETING[applicant]}",
                )
            )  # fmt: skip
            self._audit(session, review, "review meeting recorded", None,
                        on=held_on.isoformat(), applicant=applicant,
                        previous=previous.isoformat() if previous else None)  # fmt: skip
            return self._summary(review)

    def record_threshold_decision(
        self,
        reference: str,
        *,
        decision: str,
        decided_on: dt.date,
        decided_by: str,
        reasons: str,
        signposting: str | None = None,
    ) -> ReviewSummary:
        """Met automatically / met on discretion / not met. Where enough qualifying complaints
        exist the threshold must be treated as met: 'not met' is then refused. ``signposting``
        (not met): the other help the applicant is told of in the letter."""
        if not reasons.strip():
            raise LifecycleError("Record the reasons for the threshold decision.")
        with self._change() as session:
            review = self._review(session, reference)
            assessment = self._assessment(session, review)
            if assessment.met_automatically and decision != "met_automatically":
                raise LifecycleError(f"{assessment.explanation} Record it as met automatically.")
            if decision == "met_automatically" and not assessment.met_automatically:
                raise LifecycleError(
                    f"{assessment.explanation} Record 'met on discretion' or 'not met' instead."
                )
            details = _asb(review)
            if details.threshold_decision is not None:
                raise LifecycleError(f"{reference} already has a threshold decision.")
            self._check_order(review, "threshold_decided", decided_on)
            details.threshold_decision = AsbThresholdDecision(decision)
            details.threshold_decided_on = decided_on
            details.threshold_decided_by = decided_by
            details.threshold_reasons = reasons
            if signposting is not None and signposting.strip():
                details.signposting = signposting.strip()
            self._audit(session, review, "threshold decided", reasons, decision=decision)
            return self._summary(review)

    def request_escalation(
        self, reference: str, *, requested_on: dt.date, grounds: str, escalated_to: str = "OPCCN"
    ) -> int:
        self._check_day(requested_on, "the escalation request")
        escalated_to = " ".join(escalated_to.split())
        if not escalated_to or len(escalated_to) > 200:
            raise LifecycleError("Name who hears the escalation (under 200 characters).")
        if not grounds.strip():
            raise LifecycleError("Record why the applicant asks for the escalation.")
        with self._change() as session:
            review = self._review(session, reference)
            details = _asb(review)
            if requested_on < details.received_on:
                raise LifecycleError("An escalation cannot be requested before the application.")
            escalation = AsbEscalation(
                requested_on=requested_on, grounds=grounds, escalated_to=escalated_to
            )
            review.asb_escalations.append(escalation)
            session.flush()
            self._audit(session, review, "escalation requested", grounds)
            return escalation.id

    def decide_escalation(
        self,
        reference: str,
        escalation_id: int,
        *,
        outcome: str,
        decided_on: dt.date,
        reasons: str,
        response_sent_on: dt.date | None = None,
    ) -> ReviewSummary:
        """The escalation decision; upheld (or partly) reopens the case at information gathering
        through the template's move, which sets the threshold decision and what followed it
        aside (kept in the audit log) so the relevant bodies decide afresh. All in one
        transaction: a refused move writes nothing."""
        reopens = outcome in ("upheld", "partly_upheld")
        with self._change() as session:
            review = self._review(session, reference)
            escalation = _owned(review, review.asb_escalations, escalation_id, "escalation")
            if escalation.outcome is not None:
                raise LifecycleError(
                    "This escalation is already decided "
                    f"({escalation.outcome.value.replace('_', ' ')}); record a new request to "
                    "look at it again."
                )
            if decided_on < escalation.requested_on:
                raise LifecycleError("The decision cannot be dated before the request.")
            self._check_day(decided_on, "the escalation decision")
            if response_sent_on is not None:
                self._check_day(response_sent_on, "the escalation answer")
                if response_sent_on < decided_on:
                    raise LifecycleError("The answer cannot be sent before the decision.")
            escalation.outcome = AsbEscalationOutcome(outcome)
            escalation.decided_on = decided_on
            escalation.outcome_reasons = reasons
            escalation.response_sent_on = response_sent_on
            escalation.review_reopened = reopens
            self._audit(session, review, "escalation decided", reasons, outcome=outcome)
            if reopens:  # the template's move sets the threshold decision aside
                self._move(session, review, REOPENED_AT, "escalation upheld", decided_on)
            return self._summary(review)


def review_summary(review: Review) -> ReviewSummary:
    stage_template = template(review.template_key, review.template_version)
    return ReviewSummary(
        reference=review.reference,
        kind=str(review.kind.value),
        title=review.title,
        stage=review.stage_key,
        stage_name=stage_template.stage(review.stage_key).name,
        status=str(review.status.value),
        template=f"{review.template_key} {review.template_version}",
        district=review.district,
    )


def review_next_steps(review: Review, facts: ReviewFacts) -> list[NextStep]:
    """Every move the review's template allows from its stage, with what each still needs."""
    stage_template = template(review.template_key, review.template_version)
    return [
        NextStep(
            move.target,
            stage_template.stage(move.target).name,
            tuple(GUARDS[g].needs for g in move.requires if not GUARDS[g].holds(facts)),
        )
        for move in stage_template.moves_from(review.stage_key)
    ]


def _recorded_events(review: Review) -> dict[str, dt.date]:
    """The review's dated events, read in the caller's session through the shared collector."""
    session = Session.object_session(review)
    assert session is not None
    session.flush()
    return dict(collect_records(session, [review.id])[0].facts.events)


def _dhr(review: Review) -> DhrDetails:
    if review.dhr_details is None:
        raise LifecycleError(f"{review.reference} is not a Domestic Homicide Review.")
    return review.dhr_details


def _asb(review: Review) -> AsbDetails:
    if review.asb_details is None:
        raise LifecycleError(f"{review.reference} is not an ASB Case Review.")
    return review.asb_details


class _HasId(Protocol):
    id: int


Owned = TypeVar("Owned", bound=_HasId)


def _owned(review: Review, records: Iterable[Owned], record_id: int, what: str) -> Owned:
    """One of the review's own records by id, or a refusal naming what is missing."""
    for record in records:
        if record.id == record_id:
            return record
    raise LifecycleError(f"{review.reference} has no {what} {record_id}.")


def _member(review: Review, member_id: int) -> PanelMember:
    return _owned(review, review.panel_members, member_id, "panel member")


def _request(review: Review, request_id: int) -> InformationRequest:
    return _owned(review, review.information_requests, request_id, "information request")


def _agency(session: Session, name: str) -> Agency:
    """The agency by name for new work; a name not in the directory is added to it."""
    agency = session.scalars(select(Agency).where(Agency.name == name)).first()
    if agency is not None and not agency.active:
        raise LifecycleError(
            f"{name} has been retired from the directory. Choose another agency, or reinstate "
            "it under Agencies first."
        )
    if agency is None:
        agency = Agency(name=name, kind=AgencyKind.OTHER)
        session.add(agency)
        session.flush()
    return agency


def _complaint_row(c: ComplaintInput) -> AsbComplaint:
    return AsbComplaint(
        incident_date=c.incident_date,
        complained_on=c.complained_on,
        complained_to=c.complained_to,
        description=c.description,
        separate_incident_ref=c.separate_incident_ref,
    )
