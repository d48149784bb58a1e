"""The lifecycle services on a real store: registering, recording, guarded stage moves, clocks,
ASB thresholds and escalation, the audit chain, and the demo data set."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select, update

from dhr_desk.models import AuditEvent, Review
from dhr_desk.security import audit_chain
from dhr_desk.store.store import Store
from dhr_desk.workflows.deadlines import open_deadlines
from dhr_desk.workflows.demo_data import ASB_STAGES, DHR_STAGES, DemoRefused, load_demo
from dhr_desk.workflows.lifecycle import (
    ComplaintInput,
    Lifecycle,
    LifecycleError,
    MoveRefused,
    NewAsbApplication,
    NewDhrNotification,
)

D = dt.date


@pytest.fixture
def life(any_store: Store) -> Lifecycle:
    return Lifecycle(any_store.sessions, actor="officer.one", today=D(2028, 6, 30))


def new_dhr(life: Lifecycle) -> str:
    return life.register_dhr(
        NewDhrNotification(
            date_notified=D(2027, 1, 10),
            referrer="Fictional Police",
            title="Review concerning 'Ash'",
        )
    ).reference


def decided(life: Lifecycle, ref: str, decision: str = "hold") -> None:
    life.move(ref, "decision")
    life.record_decision(
        ref, decision=decision, decided_on=D(2027, 2, 3), reasons="criteria met",
        decided_by="CSP Chair",
    )  # fmt: skip


def test_a_new_dhr_starts_at_notified_under_the_current_template(life: Lifecycle) -> None:
    summary = life.register_dhr(
        NewDhrNotification(date_notified=D(2027, 1, 10), referrer="Police", title="'Ash'")
    )
    assert summary.reference == "DHR-2027-001"
    assert (summary.stage, summary.stage_name, summary.template) == (
        "notified",
        "Notified",
        "dhr 2016.1",
    )
    second = new_dhr(life)
    assert second == "DHR-2027-002"


def test_a_death_after_the_notification_is_refused(life: Lifecycle) -> None:
    with pytest.raises(LifecycleError, match="after the date the CSP was told"):
        life.register_dhr(
            NewDhrNotification(
                date_notified=D(2027, 1, 10), date_of_death=D(2027, 1, 12), referrer="Police",
                title="x",
            )
        )  # fmt: skip


def test_a_move_the_template_does_not_allow_is_refused_with_the_allowed_ones(
    life: Lifecycle,
) -> None:
    ref = new_dhr(life)
    with pytest.raises(MoveRefused, match="From here it can go to: decision"):
        life.move(ref, "commissioning")
    assert life.summary(ref).stage == "notified"


def test_a_move_whose_guards_fail_says_exactly_what_to_record(life: Lifecycle) -> None:
    # GIVEN a review at the decision stage with no decision recorded
    ref = new_dhr(life)
    life.move(ref, "decision")
    # WHEN the officer tries to move on
    with pytest.raises(MoveRefused) as refused:
        life.move(ref, "home_office_notified")
    # THEN both missing records are named, and the review stays where it was
    assert refused.value.missing == (
        "Record the CSP Chair's decision (hold or not hold a review), its date and reasons.",
        "Record the date the Home Office was told of the decision.",
    )
    assert life.summary(ref).stage == "decision"
    steps = life.next_steps(ref)
    assert [s.target for s in steps] == ["home_office_notified"] and not steps[0].ready


def test_no_commissioning_without_a_decision_to_hold(life: Lifecycle) -> None:
    ref = new_dhr(life)
    decided(life, ref, "not_hold")
    life.record_event(ref, "home_office_notified", D(2027, 2, 5))
    life.move(ref, "home_office_notified")
    with pytest.raises(MoveRefused, match="Only a decision to hold a review"):
        life.move(ref, "commissioning")
    with pytest.raises(LifecycleError, match="before it opened"):
        life.move(ref, "closed", on=D(2026, 12, 1))
    closed = life.move(ref, "closed", on=D(2027, 2, 6))
    assert closed.status == "closed"


def test_a_decision_recorded_twice_is_refused(life: Lifecycle) -> None:
    ref = new_dhr(life)
    decided(life, ref)
    with pytest.raises(LifecycleError, match="already has a decision"):
        life.record_decision(
            ref, decision="not_hold", decided_on=D(2027, 2, 4), reasons="x", decided_by="x"
        )


def test_an_event_dated_before_the_one_it_follows_is_refused(life: Lifecycle) -> None:
    ref = new_dhr(life)
    decided(life, ref)
    with pytest.raises(LifecycleError, match="is before the decision on 03/02/2027"):
        life.record_event(ref, "home_office_notified", D(2027, 2, 1))


def test_no_analysis_while_an_information_request_is_outstanding() -> None:
    from dhr_desk.workflows.guards import GUARDS, ReviewFacts

    # GIVEN one request outstanding WHEN the guard is asked THEN it refuses, saying what to do
    outstanding = ReviewFacts("dhr", "consultation", counts={"information_requests_outstanding": 1})
    guard = GUARDS["no_outstanding_information_requests"]
    assert not guard.holds(outstanding)
    assert guard.needs == "Receive every outstanding information request (or record a nil return)."
    assert guard.holds(ReviewFacts("dhr", "consultation"))


def test_information_requests_default_to_six_weeks_and_cannot_be_received_early(
    life: Lifecycle, any_store: Store
) -> None:
    ref = new_dhr(life)
    request = life.issue_information_request(
        ref, agency="Fictional Police", kind="imr", requested_on=D(2027, 3, 1)
    )
    with pytest.raises(LifecycleError, match="before the request was made"):
        life.receive_information(ref, request, received_on=D(2027, 2, 1))
    with pytest.raises(LifecycleError, match="received before quality-checking"):
        life.quality_check_information(ref, request, checked_on=D(2027, 4, 1), checked_by="me")
    with any_store.sessions() as session:
        found = [d for d in open_deadlines(session, D(2027, 3, 2)) if d.key.startswith("info")]
    assert found[0].due == D(2027, 4, 12)
    assert found[0].name == "Individual Management Review from Fictional Police"


def test_pause_and_resume_move_the_completion_clock(life: Lifecycle, any_store: Store) -> None:
    ref = new_dhr(life)
    decided(life, ref)
    life.pause(ref, on=D(2027, 3, 1), reason_kind="trial", reason="trial listed",
               approved_by="CSP Chair")  # fmt: skip
    with pytest.raises(LifecycleError, match="already paused"):
        life.pause(ref, on=D(2027, 3, 2), reason_kind="trial", reason="x", approved_by="x")
    with pytest.raises(MoveRefused, match="paused"):
        life.move(ref, "home_office_notified")
    with pytest.raises(LifecycleError, match="before the pause began"):
        life.resume(ref, on=D(2027, 2, 1), why="x")
    life.resume(ref, on=D(2027, 4, 10), why="trial concluded")
    with any_store.sessions() as session:
        completion = next(
            d for d in open_deadlines(session, D(2027, 5, 1)) if d.key == "completion"
        )
    assert completion.due == D(2027, 9, 12)


def test_a_pause_needs_a_reason_and_an_approver(life: Lifecycle) -> None:
    ref = new_dhr(life)
    with pytest.raises(LifecycleError, match="reason and the name"):
        life.pause(ref, on=D(2027, 3, 1), reason_kind="trial", reason=" ", approved_by="x")


def test_an_agreed_revised_date_needs_a_known_deadline_reason_and_approver(
    life: Lifecycle, any_store: Store
) -> None:
    ref = new_dhr(life)
    decided(life, ref)
    with pytest.raises(LifecycleError, match="has no deadline 'finish'"):
        life.agree_revised_date(ref, deadline="finish", revised_date=D(2028, 1, 1), reason="r",
                                approver="a")  # fmt: skip
    with pytest.raises(LifecycleError, match="needs a reason"):
        life.agree_revised_date(ref, deadline="completion", revised_date=D(2028, 1, 1),
                                reason="", approver="a")  # fmt: skip
    life.agree_revised_date(ref, deadline="completion", revised_date=D(2028, 1, 31),
                            reason="inquest pending", approver="CSP Chair")  # fmt: skip
    with any_store.sessions() as session:
        completion = next(
            d for d in open_deadlines(session, D(2027, 9, 1)) if d.key == "completion"
        )
    assert completion.due == D(2028, 1, 31) and "inquest pending" in completion.basis


def three_complaints(received: dt.date) -> tuple[ComplaintInput, ...]:
    return tuple(
        ComplaintInput(received - dt.timedelta(days=40 - 10 * k),
                       received - dt.timedelta(days=38 - 10 * k), separate_incident_ref=f"I{k}")
        for k in range(3)
    )  # fmt: skip


def test_three_qualifying_complaints_must_be_recorded_as_met_automatically(
    life: Lifecycle,
) -> None:
    ref = life.register_asb(
        NewAsbApplication(received_on=D(2027, 3, 10), applicant_name="A. Fictional",
                          district="Norwich", complaints=three_complaints(D(2027, 3, 10)))
    ).reference  # fmt: skip
    assert life.assess_threshold(ref).met_automatically
    with pytest.raises(LifecycleError, match="Record it as met automatically"):
        life.record_threshold_decision(ref, decision="not_met", decided_on=D(2027, 3, 20),
                                       decided_by="bodies", reasons="r")  # fmt: skip
    life.record_threshold_decision(ref, decision="met_automatically", decided_on=D(2027, 3, 20),
                                   decided_by="bodies", reasons="three complaints")  # fmt: skip


def test_the_local_threshold_setting_is_enforced_and_never_above_three(
    life: Lifecycle, any_store: Store
) -> None:
    from dhr_desk.workflows.settings_registry import SettingError, set_setting

    with any_store.sessions.begin() as session, pytest.raises(SettingError, match="higher than 3"):
        set_setting(session, "asb.local_threshold", 4)
    # GIVEN a partnership threshold of 2 and an application with two qualifying complaints
    with any_store.sessions.begin() as session:
        set_setting(session, "asb.local_threshold", 2, actor="manager")
    two = three_complaints(D(2027, 3, 10))[:2]
    ref = life.register_asb(
        NewAsbApplication(received_on=D(2027, 3, 10), applicant_name="A", district="Norwich",
                          complaints=two)
    ).reference  # fmt: skip
    # THEN the threshold is met automatically and 'not met' is refused
    assessment = life.assess_threshold(ref)
    assert assessment.met_automatically and assessment.required == 2
    with pytest.raises(LifecycleError, match="Record it as met automatically"):
        life.record_threshold_decision(ref, decision="not_met", decided_on=D(2027, 3, 20),
                                       decided_by="bodies", reasons="r")  # fmt: skip
    with any_store.sessions() as session:  # and the change of setting is in the audit log
        actions = list(session.scalars(select(AuditEvent.action)))
    assert "setting changed" in actions


def test_an_application_on_behalf_needs_consent_recorded(life: Lifecycle) -> None:
    with pytest.raises(LifecycleError, match="consent"):
        life.register_asb(
            NewAsbApplication(received_on=D(2027, 3, 10), applicant_name="A", district="Norwich",
                              on_behalf_of=True)
        )  # fmt: skip


def test_a_complaint_before_its_behaviour_is_refused(life: Lifecycle) -> None:
    with pytest.raises(LifecycleError, match="before the behaviour"):
        life.register_asb(
            NewAsbApplication(
                received_on=D(2027, 3, 10), applicant_name="A", district="Norwich",
                complaints=(ComplaintInput(D(2027, 3, 5), D(2027, 3, 1)),),
            )
        )  # fmt: skip


def test_an_upheld_escalation_reopens_the_case(life: Lifecycle) -> None:
    ref = life.register_asb(
        NewAsbApplication(received_on=D(2027, 3, 10), applicant_name="A", district="Norwich",
                          complaints=(ComplaintInput(D(2027, 3, 1), D(2027, 3, 2)),))
    ).reference  # fmt: skip
    for event, day in (("spoc_assigned", 11), ("applicant_contacted", 12)):
        life.record_event(ref, event, D(2027, 3, day))
    life.move(ref, "spoc_contact")
    life.move(ref, "information_gathering")
    life.move(ref, "threshold_decision")
    life.record_threshold_decision(ref, decision="not_met", decided_on=D(2027, 3, 30),
                                   decided_by="bodies", reasons="one complaint")  # fmt: skip
    with pytest.raises(MoveRefused, match="told the threshold decision"):
        life.move(ref, "threshold_not_met")
    life.record_event(ref, "applicant_informed", D(2027, 3, 31))
    life.move(ref, "threshold_not_met")
    escalation = life.request_escalation(ref, requested_on=D(2027, 4, 5), grounds="unhappy")
    life.move(ref, "escalation")
    reopened = life.decide_escalation(ref, escalation, outcome="upheld", decided_on=D(2027, 4, 20),
                                      reasons="response inadequate")  # fmt: skip
    assert reopened.stage == "information_gathering"
    # AND the relevant bodies decide afresh, so the case can reach a review meeting
    life.move(ref, "threshold_decision")
    life.record_threshold_decision(ref, decision="met_on_discretion", decided_on=D(2027, 5, 1),
                                   decided_by="bodies", reasons="harm to a victim")  # fmt: skip
    life.record_event(ref, "applicant_informed", D(2027, 5, 2))
    assert life.move(ref, "review_meeting").stage == "review_meeting"


def test_an_escalation_decision_that_cannot_reopen_the_case_writes_nothing(
    life: Lifecycle, any_store: Store
) -> None:
    ref = life.register_asb(
        NewAsbApplication(received_on=D(2027, 3, 10), applicant_name="A", district="Norwich")
    ).reference
    escalation = life.request_escalation(ref, requested_on=D(2027, 3, 12), grounds="unhappy")
    with any_store.sessions() as session:
        before = audit_chain.verify(session).entries
    with pytest.raises(MoveRefused):  # the case is not at the escalation stage
        life.decide_escalation(ref, escalation, outcome="upheld", decided_on=D(2027, 3, 20),
                               reasons="r")  # fmt: skip
    with any_store.sessions() as session:
        assert audit_chain.verify(session).entries == before
        from dhr_desk.models import AsbEscalation

        assert session.get(AsbEscalation, escalation).decided_on is None


def test_every_change_is_in_an_intact_audit_chain_and_tampering_shows(
    life: Lifecycle, any_store: Store
) -> None:
    ref = new_dhr(life)
    decided(life, ref)
    with any_store.sessions() as session:
        check = audit_chain.verify(session)
        assert check.intact and check.entries == 3
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
        assert actions == ["registered", "stage moved", "decision recorded"]
        assert session.scalars(select(AuditEvent.actor)).first() == "officer.one"
    with any_store.sessions.begin() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == 1).values(actor="someone else"))
    with any_store.sessions() as session:
        broken = audit_chain.verify(session)
    assert not broken.intact and broken.first_broken_id == 1


def test_the_demo_has_reviews_at_every_stage_and_refuses_to_mix(any_store: Store) -> None:
    summary = load_demo(any_store.sessions, today=D(2026, 11, 21))
    with any_store.sessions() as session:
        stages = Counter(
            (kind.value, stage)
            for kind, stage in session.execute(select(Review.kind, Review.stage_key))
        )
        deadlines = open_deadlines(session, D(2026, 11, 21))
    assert {stage for (kind, stage) in stages if kind == "dhr"} == set(DHR_STAGES)
    assert {stage for (kind, stage) in stages if kind == "asb"} == set(ASB_STAGES)
    statuses = Counter(d.status for d in deadlines)
    assert statuses["overdue"] and statuses["upcoming"] and statuses["paused"]
    assert any("agreed revised date" in d.basis for d in deadlines)
    assert summary.dhr + summary.asb == sum(stages.values())
    with pytest.raises(DemoRefused, match="already holds reviews"):
        load_demo(any_store.sessions)


def test_the_deadline_list_matches_the_full_collection(any_store: Store) -> None:
    """The cheaper deadlines-only gathering gives exactly the deadlines the full one gives."""
    from dhr_desk.workflows.calendar_book import load_calendar
    from dhr_desk.workflows.deadlines import DeadlineEngine
    from dhr_desk.workflows.review_facts import collect_records

    load_demo(any_store.sessions, today=D(2026, 11, 21))
    with any_store.sessions() as session:
        engine = DeadlineEngine(load_calendar(session))
        full = [
            d
            for r in collect_records(session, open_only=True)
            for d in engine.for_record(r, D(2026, 11, 21))
        ]
        quick = [
            d
            for r in collect_records(session, open_only=True, deadlines_only=True)
            for d in engine.for_record(r, D(2026, 11, 21))
        ]
    assert full and sorted(full, key=repr) == sorted(quick, key=repr)


def test_a_new_template_version_changes_running_reviews_only_when_a_person_migrates_them(
    life: Lifecycle, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    from pathlib import Path

    from dhr_desk.workflows import stage_templates
    from dhr_desk.workflows.resources import RESOURCES_ENV, resources_dir

    # GIVEN a running review under dhr 2016.1
    ref = new_dhr(life)
    # WHEN a 2026.1 version (12-month completion target) is installed
    copy = Path(str(tmp_path)) / "resources"
    shutil.copytree(resources_dir(), copy)
    newer = (copy / "stage_templates" / "dhr-2016.1.toml").read_text()
    newer = newer.replace('version = "2016.1"', 'version = "2026.1"').replace(
        'span = "6m"', 'span = "12m"'
    )
    (copy / "stage_templates" / "dhr-2026.1.toml").write_text(newer)
    monkeypatch.setenv(RESOURCES_ENV, str(copy))
    stage_templates.all_templates.cache_clear()
    try:
        # THEN the running review stays on 2016.1 while new reviews start on 2026.1
        assert life.summary(ref).template == "dhr 2016.1"
        assert life.summary(new_dhr(life)).template == "dhr 2026.1"
        with pytest.raises(LifecycleError, match="Say why"):
            life.migrate_template(ref, "2026.1", why=" ")
        moved = life.migrate_template(ref, "2026.1", why="Board adopted the 2026 guidance")
        assert moved.template == "dhr 2026.1"
        with pytest.raises(LifecycleError, match="already follows"):
            life.migrate_template(ref, "2026.1", why="again")
    finally:
        monkeypatch.undo()
        stage_templates.all_templates.cache_clear()


def test_a_chair_alone_is_not_a_panel(life: Lifecycle) -> None:
    ref = new_dhr(life)
    decided(life, ref)
    life.record_event(ref, "home_office_notified", D(2027, 2, 5))
    life.move(ref, "home_office_notified")
    life.move(ref, "commissioning")
    life.appoint_chair(ref, name="Independent Chair", appointed_on=D(2027, 2, 20),
                       independence_statement="No involvement.")  # fmt: skip
    with pytest.raises(MoveRefused, match="Add the panel members"):
        life.move(ref, "terms_of_reference")
    life.add_panel_member(ref, name="Member", agency="Fictional Police",
                          declared_no_involvement=True)  # fmt: skip
    assert life.move(ref, "terms_of_reference").stage == "terms_of_reference"


def test_review_numbers_follow_the_highest_in_use(life: Lifecycle, any_store: Store) -> None:
    first = new_dhr(life)
    second = new_dhr(life)
    with any_store.sessions.begin() as session:  # a gap, as an import or a disposal leaves
        session.execute(
            update(Review).where(Review.reference == second).values(reference="DHR-2027-007")
        )
    assert (first, new_dhr(life)) == ("DHR-2027-001", "DHR-2027-008")


def test_pauses_cannot_overlap_or_start_in_the_future(life: Lifecycle) -> None:
    ref = new_dhr(life)
    life.pause(ref, on=D(2027, 3, 1), reason_kind="trial", reason="t", approved_by="a")
    life.resume(ref, on=D(2027, 4, 1), why="done")
    with pytest.raises(LifecycleError, match="cannot overlap"):
        life.pause(ref, on=D(2027, 3, 10), reason_kind="trial", reason="t", approved_by="a")
    with pytest.raises(LifecycleError, match="in the future"):
        life.pause(ref, on=life.today() + dt.timedelta(days=3), reason_kind="trial",
                   reason="t", approved_by="a")  # fmt: skip


def test_a_resubmission_needs_a_new_submission_date(life: Lifecycle) -> None:
    from dhr_desk.workflows.guards import GUARDS, ReviewFacts

    guard = GUARDS["submitted_to_home_office"]
    old = {"submitted": D(2027, 8, 1), "qa_letter_received": D(2027, 10, 1)}
    again = {"submitted": D(2027, 11, 1), "qa_letter_received": D(2027, 10, 1)}
    resubmit = {"qa_outcome": "resubmission_required"}
    assert not guard.holds(ReviewFacts("dhr", "submitted", events=old, values=resubmit))
    assert guard.holds(ReviewFacts("dhr", "submitted", events=again, values=resubmit))
    assert guard.holds(ReviewFacts("dhr", "submitted", events={"submitted": D(2027, 8, 1)}))


def test_a_withdrawn_application_closes_with_its_reason(life: Lifecycle) -> None:
    ref = life.register_asb(
        NewAsbApplication(received_on=D(2027, 3, 10), applicant_name="A", district="Norwich",
                          on_behalf_of=True, victim_consent=False)
    ).reference  # fmt: skip
    life.record_event(ref, "spoc_assigned", D(2027, 3, 11))
    with pytest.raises(MoveRefused, match="consent"):
        life.move(ref, "spoc_contact")
    with pytest.raises(LifecycleError, match="why"):
        life.withdraw(ref, on=D(2027, 3, 20), why=" ")
    closed = life.withdraw(ref, on=D(2027, 3, 20), why="Victim does not consent.")
    assert (closed.stage, closed.status) == ("closed", "closed")


def test_consent_recorded_later_lets_the_application_proceed(life: Lifecycle) -> None:
    ref = life.register_asb(
        NewAsbApplication(received_on=D(2027, 3, 10), applicant_name="A", district="Norwich",
                          on_behalf_of=True, victim_consent=False)
    ).reference  # fmt: skip
    life.record_event(ref, "spoc_assigned", D(2027, 3, 11))
    life.record_victim_consent(ref, consent=True, recorded_on=D(2027, 3, 12))
    assert life.move(ref, "spoc_contact").stage == "spoc_contact"


def test_a_dhr_closes_through_action_monitoring_once_every_action_is_finished(
    any_store: Store,
) -> None:
    from dhr_desk.models import Action, QaAmendment

    load_demo(any_store.sessions, today=D(2026, 11, 21))
    life = Lifecycle(any_store.sessions, actor="officer.one", today=D(2026, 11, 21))
    with any_store.sessions() as session:
        ref = session.scalars(
            select(Review.reference).where(Review.stage_key == "action_monitoring",
                                           Review.kind == "dhr")
        ).first()  # fmt: skip
        assert ref is not None
        review_id = session.scalars(select(Review.id).where(Review.reference == ref)).one()
        from dhr_desk.models import Recommendation

        actions = list(session.scalars(
            select(Action.id).join(Recommendation).where(Recommendation.review_id == review_id)
        ))  # fmt: skip
        assert not session.scalars(select(QaAmendment.id)).first()
    with pytest.raises(MoveRefused, match="Complete every action"):
        life.move(ref, "closed")
    with pytest.raises(LifecycleError, match="either the evidence"):
        life.finish_action(ref, actions[0], on=D(2026, 11, 1))
    life.finish_action(ref, actions[0], on=D(2026, 11, 1), evidence="Briefing delivered.")
    life.finish_action(ref, actions[1], on=D(2026, 11, 2), closure_reason="Superseded by policy.")
    assert life.move(ref, "closed").status == "closed"


def test_a_panel_member_can_declare_later_or_stand_down(life: Lifecycle) -> None:
    ref = new_dhr(life)
    member = life.add_panel_member(ref, name="Member", agency="Fictional Police",
                                   declared_no_involvement=False)  # fmt: skip
    from dhr_desk.workflows.guards import GUARDS

    def undeclared() -> bool:
        with life._sessions() as session:
            from dhr_desk.workflows.review_facts import collect_records

            facts = collect_records(session, [session.scalars(
                select(Review.id).where(Review.reference == ref)).one()])[0].facts  # fmt: skip
        return not GUARDS["panel_declarations_complete"].holds(facts)

    assert undeclared()
    life.record_panel_declaration(
        ref, member, declared_no_involvement=True, declaration="None.", declared_on=D(2027, 2, 1)
    )
    assert not undeclared()
    life.stand_down_panel_member(ref, member, on=D(2027, 3, 1), why="Left the agency.")
    assert undeclared()  # no active members any more
