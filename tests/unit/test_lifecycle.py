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
        "dhr 2016.2",
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
    """The deadline list, read straight from rows, gives exactly the deadlines the full
    collection gives through DeadlineEngine.for_record, in the same order."""
    from dhr_desk.workflows.calendar_book import load_calendar
    from dhr_desk.workflows.deadlines import DeadlineEngine
    from dhr_desk.workflows.review_facts import collect_records

    load_demo(any_store.sessions, today=D(2026, 11, 21))
    with any_store.sessions() as session:
        engine = DeadlineEngine(load_calendar(session))
        for as_of in (D(2026, 11, 21), D(2027, 6, 1)):
            full = [
                d
                for r in collect_records(session, open_only=True)
                for d in engine.for_record(r, as_of, in_order=False)
            ]
            full.sort(key=lambda d: d.due)
            assert full and open_deadlines(session, as_of) == full
            assert {d.status for d in full} >= {"overdue", "paused"}


def test_a_new_template_version_changes_running_reviews_only_when_a_person_migrates_them(
    life: Lifecycle, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    from pathlib import Path

    from dhr_desk.workflows import stage_templates
    from dhr_desk.workflows.resources import RESOURCES_ENV, resources_dir

    # GIVEN a running review under dhr 2016.2
    ref = new_dhr(life)
    # WHEN a 2026.1 version (12-month completion target) is installed
    copy = Path(str(tmp_path)) / "resources"
    shutil.copytree(resources_dir(), copy)
    newer = (copy / "stage_templates" / "dhr-2016.2.toml").read_text()
    newer = newer.replace('version = "2016.2"', 'version = "2026.1"').replace(
        'span = "6m"', 'span = "12m"'
    )
    (copy / "stage_templates" / "dhr-2026.1.toml").write_text(newer)
    monkeypatch.setenv(RESOURCES_ENV, str(copy))
    stage_templates.all_templates.cache_clear()
    try:
        # THEN the running review stays on 2016.2 while new reviews start on 2026.1
        assert life.summary(ref).template == "dhr 2016.2"
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
    # AND closing would end the takedown-review clock, so that review must be recorded first
    with pytest.raises(MoveRefused, match="whether the published report stays online"):
        life.move(ref, "closed")
    life.record_event(ref, "takedown_reviewed", D(2026, 11, 3))
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


def not_held_and_closed(life: Lifecycle) -> str:
    ref = new_dhr(life)
    decided(life, ref, "not_hold")
    life.record_event(ref, "home_office_notified", D(2027, 2, 5))
    life.move(ref, "home_office_notified")
    life.move(ref, "closed", why="Decision not to hold a review.", on=D(2027, 2, 6))
    return ref


def test_a_review_directed_by_the_secretary_of_state_reopens_and_runs_its_clocks(
    life: Lifecycle, any_store: Store
) -> None:
    # GIVEN a review closed after a decision not to hold one
    ref = not_held_and_closed(life)
    # WHEN it is moved on with no direction recorded THEN the guard says what to record
    with pytest.raises(MoveRefused, match="Only a direction by the Secretary of State"):
        life.move(ref, "commissioning")
    # WHEN the direction is recorded (it cannot precede telling the Home Office)
    with pytest.raises(LifecycleError, match="is before notifying the Home Office"):
        life.record_direction(ref, directed_on=D(2027, 2, 4), why="HO letter")
    with pytest.raises(LifecycleError, match="direction's reference"):
        life.record_direction(ref, directed_on=D(2027, 4, 1), why=" ")
    life.record_direction(ref, directed_on=D(2027, 4, 1), why="HO letter ref 123")
    with pytest.raises(LifecycleError, match="already records a direction on 01/04/2027"):
        life.record_direction(ref, directed_on=D(2027, 4, 2), why="again")
    # THEN the review reopens into commissioning, and its clocks run from the direction
    reopened = life.move(ref, "commissioning", why="Directed by the Secretary of State.")
    assert (reopened.stage, reopened.status) == ("commissioning", "open")
    with any_store.sessions() as session:
        review = session.scalars(select(Review).where(Review.reference == ref)).one()
        assert review.closed_on is None and review.directed_by_secretary_of_state
        mine = {d.key: d for d in open_deadlines(session, D(2027, 4, 2)) if d.reference == ref}
    assert mine["completion_directed"].due == D(2027, 10, 1)
    assert mine["completion_directed"].basis == (
        "6 calendar months from the Secretary of State's direction on 01/04/2027"
    )
    assert mine["first_panel_meeting_directed"].due == D(2027, 5, 1)
    assert "completion" not in mine  # the decision not to hold started no completion clock
    # AND a commissioned directed review moves on like any other
    steps = {s.target: s for s in life.next_steps(ref)}
    assert "Only a decision to hold" not in " ".join(steps["terms_of_reference"].missing)


def test_a_direction_needs_a_decision_not_to_hold_that_the_home_office_was_told_of(
    life: Lifecycle,
) -> None:
    held = new_dhr(life)
    decided(life, held, "hold")
    with pytest.raises(LifecycleError, match="only after one"):
        life.record_direction(held, directed_on=D(2027, 3, 1), why="x")
    untold = new_dhr(life)
    decided(life, untold, "not_hold")
    with pytest.raises(LifecycleError, match="Home Office was told of the decision first"):
        life.record_direction(untold, directed_on=D(2027, 3, 1), why="x")
    with pytest.raises(LifecycleError, match="not an event to record here"):
        life.record_event(untold, "directed", D(2027, 3, 1))


def test_an_event_dated_after_one_that_follows_it_is_refused(life: Lifecycle) -> None:
    # GIVEN terms of reference agreed on 01/03/2027
    ref = new_dhr(life)
    decided(life, ref)
    life.record_event(ref, "terms_of_reference_agreed", D(2027, 3, 1))
    # WHEN the chair's appointment is dated after it THEN it is refused, naming both dates
    with pytest.raises(
        LifecycleError,
        match="02/03/2027 is after agreeing the terms of reference on 01/03/2027; the chair's "
        "appointment cannot come after it",
    ):
        life.appoint_chair(ref, name="Chair", appointed_on=D(2027, 3, 2),
                           independence_statement="independent")  # fmt: skip
    # AND correcting an event to a date after its successor is refused too
    with pytest.raises(LifecycleError, match="cannot come after it"):
        life.record_event(ref, "home_office_notified", D(2027, 3, 5))
    life.appoint_chair(ref, name="Chair", appointed_on=D(2027, 2, 20),
                       independence_statement="independent")  # fmt: skip


def test_dates_after_today_or_before_the_calendar_are_refused(life: Lifecycle) -> None:
    tomorrow = life.today() + dt.timedelta(days=1)
    with pytest.raises(LifecycleError, match="after today \\(30/06/2028\\)"):
        life.register_dhr(NewDhrNotification(date_notified=tomorrow, referrer="P", title="x"))
    with pytest.raises(LifecycleError, match="before 2000, where the working calendar begins"):
        life.register_dhr(NewDhrNotification(date_notified=D(1999, 12, 31), referrer="P",
                                             title="x"))  # fmt: skip
    with pytest.raises(LifecycleError, match="after today"):
        life.register_asb(NewAsbApplication(received_on=tomorrow, applicant_name="A",
                                            district="Norwich"))  # fmt: skip
    ref = new_dhr(life)
    with pytest.raises(LifecycleError, match=r"The decision is dated .* after today"):
        life.move(ref, "decision")
        life.record_decision(ref, decision="hold", decided_on=tomorrow, reasons="r",
                             decided_by="c")  # fmt: skip
    request = life.issue_information_request(
        ref, agency="Fictional Police", kind="imr", requested_on=D(2027, 3, 1)
    )
    with pytest.raises(LifecycleError, match="The return is dated"):
        life.receive_information(ref, request, received_on=tomorrow)
    with pytest.raises(LifecycleError, match="before the review began"):
        life.issue_information_request(
            ref, agency="Fictional Police", kind="imr", requested_on=D(2026, 12, 1)
        )
    assert life.summary(ref).stage == "decision"


def test_a_resubmission_sets_the_letter_aside_and_keeps_the_first_submission(
    life: Lifecycle, any_store: Store
) -> None:
    from dhr_desk.models import DhrDetails
    from dhr_desk.workflows.review_facts import collect_records

    # GIVEN a review submitted on 01/08/2027 whose feedback letter asks for resubmission
    ref = new_dhr(life)
    decided(life, ref)
    with any_store.sessions.begin() as session:  # a review already at submission
        review = session.scalars(select(Review).where(Review.reference == ref)).one()
        review.stage_key = "submitted"
    life.record_event(ref, "submitted", D(2027, 8, 1))
    life.record_event(ref, "da_commissioner_copy_sent", D(2027, 8, 3))
    life.move(ref, "quality_assurance")
    life.record_qa_outcome(ref, outcome="resubmission_required",
                           letter_received_on=D(2027, 10, 1))  # fmt: skip
    # WHEN it goes back to submission
    life.move(ref, "submitted", why="Resubmission required.")
    # THEN the letter and the old date are set aside, so the guard wants the new date
    with pytest.raises(MoveRefused, match="submitted again"):
        life.move(ref, "quality_assurance")
    life.record_event(ref, "submitted", D(2027, 11, 1))
    life.move(ref, "quality_assurance")
    life.record_qa_outcome(ref, outcome="approved", letter_received_on=D(2027, 12, 1))
    with any_store.sessions() as session:
        details = session.scalars(
            select(DhrDetails).join(Review).where(Review.reference == ref)
        ).one()
        assert (details.first_submitted_on, details.submitted_on) == (D(2027, 8, 1), D(2027, 11, 1))
        assert details.da_commissioner_copy_sent_on == D(2027, 8, 3)  # not asked for again
        actions = [e.action for e in session.scalars(select(AuditEvent))]
        record = collect_records(session, [details.review_id])[0]
    assert "set aside to be done again" in actions
    assert record.facts.values["qa_outcome"] == "approved"


def test_moving_on_from_consultation_needs_factual_accuracy_and_a_checked_draft(
    life: Lifecycle, any_store: Store
) -> None:
    ref = new_dhr(life)
    decided(life, ref)
    with any_store.sessions.begin() as session:
        review = session.scalars(select(Review).where(Review.reference == ref)).one()
        review.stage_key = "consultation"
    life.record_event(ref, "family_seen_draft", D(2027, 6, 1))

    def missing() -> str:
        return " ".join({s.target: s for s in life.next_steps(ref)}["sign_off"].missing)

    assert "factual accuracy" in missing() and "anonymisation check on the draft" in missing()
    asked = life.issue_information_request(
        ref, agency="Fictional Police", kind="factual_accuracy", requested_on=D(2027, 6, 2)
    )
    # a check for publication is not a check of the draft circulated for consultation
    life.record_anonymisation_check(ref, target="pack", purpose="publication", hit_count=0)
    assert "anonymisation check on the draft" in missing()
    assert (
        life.record_anonymisation_check(
            ref, target="draft.docx", purpose="circulation", hit_count=2
        )
        == "blocked"
    )
    assert "anonymisation check on the draft" in missing()
    life.record_anonymisation_check(ref, target="draft.docx", purpose="circulation", hit_count=2,
                                    override_reason="Hits are the pseudonym itself.")  # fmt: skip
    assert "factual accuracy" in missing() and "anonymisation" not in missing()
    life.receive_information(ref, asked, received_on=D(2027, 6, 9))
    assert life.move(ref, "sign_off").stage == "sign_off"
    # AND the submission needs a check of the submission pack, not of the draft
    life.record_event(ref, "signed_off", D(2027, 6, 20))
    with pytest.raises(MoveRefused, match="anonymisation check on the submission pack"):
        life.move(ref, "submitted")


def test_an_upheld_escalation_after_the_outcome_sets_the_meeting_aside_too(
    life: Lifecycle,
) -> None:
    # GIVEN a case that reached its outcome, then was escalated and upheld
    ref = life.register_asb(
        NewAsbApplication(received_on=D(2027, 3, 10), applicant_name="A", district="Norwich",
                          complaints=(ComplaintInput(D(2027, 3, 1), D(2027, 3, 2)),))
    ).reference  # fmt: skip
    for event, day in (("spoc_assigned", 11), ("applicant_contacted", 12)):
        life.record_event(ref, event, D(2027, 3, day))
    for stage in ("spoc_contact", "information_gathering", "threshold_decision"):
        life.move(ref, stage)
    life.record_threshold_decision(ref, decision="met_on_discretion", decided_on=D(2027, 3, 30),
                                   decided_by="bodies", reasons="harm")  # fmt: skip
    life.record_event(ref, "applicant_informed", D(2027, 3, 31))
    life.move(ref, "review_meeting")
    life.record_event(ref, "review_meeting", D(2027, 4, 10))
    life.record_event(ref, "outcome_communicated", D(2027, 4, 15))
    life.move(ref, "outcome_communicated")
    escalation = life.request_escalation(ref, requested_on=D(2027, 4, 20), grounds="unhappy")
    life.move(ref, "escalation")
    life.decide_escalation(ref, escalation, outcome="upheld", decided_on=D(2027, 5, 1),
                           reasons="meeting missed key evidence")  # fmt: skip
    # WHEN the bodies decide afresh THEN the later dates are accepted: the old ones are set aside
    life.move(ref, "threshold_decision")
    life.record_threshold_decision(ref, decision="met_on_discretion", decided_on=D(2027, 5, 10),
                                   decided_by="bodies", reasons="harm")  # fmt: skip
    life.record_event(ref, "applicant_informed", D(2027, 5, 11))
    life.move(ref, "review_meeting")
    life.record_event(ref, "review_meeting", D(2027, 5, 20))
    assert life.summary(ref).stage == "review_meeting"


def test_one_review_dated_outside_the_calendar_does_not_hide_the_others(
    life: Lifecycle, any_store: Store
) -> None:
    from dhr_desk.models import DhrDetails
    from dhr_desk.workflows.working_calendar import CalendarRangeError

    # GIVEN two reviews, one of them carrying a decision date the calendar cannot count from
    # (written straight to the store, as an older version or a hand edit could have left it)
    good, bad = new_dhr(life), new_dhr(life)
    for ref in (good, bad):
        decided(life, ref)
    with any_store.sessions.begin() as session:
        bad_id = session.scalars(select(Review.id).where(Review.reference == bad)).one()
        session.execute(
            update(DhrDetails).where(DhrDetails.review_id == bad_id)
            .values(decision_date=D(2075, 12, 30))
        )  # fmt: skip
    with any_store.sessions() as session:
        # WHEN the deadline list is asked for with somewhere to report problems
        problems: list[str] = []
        found = open_deadlines(session, D(2027, 3, 1), problems)
        # THEN the good review's deadlines are there and the bad one is named
        assert {d.reference for d in found} == {good}
        assert len(problems) == 1 and problems[0].startswith(f"{bad}: its deadlines cannot")
        # AND without somewhere to report them, the error is raised, not swallowed
        with pytest.raises(CalendarRangeError):
            open_deadlines(session, D(2027, 3, 1))


def test_a_joint_review_links_the_other_statutory_review(life: Lifecycle, any_store: Store) -> None:
    ref = new_dhr(life)
    with pytest.raises(LifecycleError, match="not a kind of joint review: use sar, cspr, other"):
        life.record_joint_review(ref, kind="ofsted", other_reference="X-1", why="w")
    with pytest.raises(LifecycleError, match="other review's reference"):
        life.record_joint_review(ref, kind="sar", other_reference=" ", why="w")
    life.record_joint_review(ref, kind="sar", other_reference=" SAR-2027-04 ",
                             why="Adult safeguarding board agreed a joint review.")  # fmt: skip
    with any_store.sessions() as session:
        review = session.scalars(select(Review).where(Review.reference == ref)).one()
        assert (review.joint_review_kind, review.joint_review_with) == ("sar", "SAR-2027-04")
    asb = life.register_asb(
        NewAsbApplication(received_on=D(2027, 3, 10), applicant_name="A", district="Norwich")
    ).reference
    with pytest.raises(LifecycleError, match="not a Domestic Homicide Review"):
        life.record_joint_review(asb, kind="sar", other_reference="SAR-1", why="w")


def submitted_review(life: Lifecycle, any_store: Store) -> str:
    ref = new_dhr(life)
    decided(life, ref)
    with any_store.sessions.begin() as session:  # a review already at submission
        review = session.scalars(select(Review).where(Review.reference == ref)).one()
        review.stage_key = "submitted"
    life.record_event(ref, "signed_off", D(2027, 7, 20))
    return ref


def test_a_mistyped_first_submission_date_can_be_corrected_until_a_resubmission(
    life: Lifecycle, any_store: Store
) -> None:
    from dhr_desk.models import DhrDetails

    ref = submitted_review(life, any_store)
    life.record_event(ref, "submitted", D(2027, 8, 10))
    life.record_event(ref, "submitted", D(2027, 8, 1))  # corrected, earlier
    with any_store.sessions() as session:
        details = session.scalars(select(DhrDetails).join(Review)
                                  .where(Review.reference == ref)).one()  # fmt: skip
        assert (details.first_submitted_on, details.submitted_on) == (D(2027, 8, 1),) * 2
        due = {d.key: d.due for d in open_deadlines(session, D(2027, 8, 2)) if d.reference == ref}
    assert due["da_commissioner_copy"] == D(2027, 8, 13)  # 10 working days from the corrected date
    with pytest.raises(LifecycleError, match="is before sign-off"):
        life.record_event(ref, "submitted", D(2027, 7, 1))


def test_a_review_submitted_before_first_submissions_were_kept_keeps_its_copy_deadline(
    life: Lifecycle, any_store: Store
) -> None:
    from dhr_desk.models import DhrDetails

    ref = submitted_review(life, any_store)
    life.record_event(ref, "submitted", D(2027, 8, 1))
    with any_store.sessions.begin() as session:  # as an older version left it
        session.execute(update(DhrDetails).values(first_submitted_on=None))
    with any_store.sessions() as session:
        due = {d.key: d.due for d in open_deadlines(session, D(2027, 8, 2)) if d.reference == ref}
    assert due["da_commissioner_copy"] == D(2027, 8, 13)


def test_a_directed_review_cannot_close_as_not_held_nor_reopen_once_commissioned(
    life: Lifecycle, any_store: Store
) -> None:
    ref = new_dhr(life)
    decided(life, ref, "not_hold")
    life.record_event(ref, "home_office_notified", D(2027, 2, 5))
    life.move(ref, "home_office_notified")
    life.record_direction(ref, directed_on=D(2027, 3, 1), why="HO letter")
    with pytest.raises(MoveRefused, match="cannot close as not held"):
        life.move(ref, "closed")
    life.move(ref, "commissioning")
    life.appoint_chair(ref, name="Chair", appointed_on=D(2027, 3, 10),
                       independence_statement="independent")  # fmt: skip
    with any_store.sessions.begin() as session:  # finished and closed, by whatever route
        review = session.scalars(select(Review).where(Review.reference == ref)).one()
        review.stage_key, review.status, review.closed_on = "closed", "closed", D(2028, 6, 1)
    with pytest.raises(MoveRefused, match="only before it has been commissioned"):
        life.move(ref, "commissioning")


def test_who_signed_off_is_kept_with_the_sign_off_only(life: Lifecycle) -> None:
    ref = new_dhr(life)
    decided(life, ref)
    with pytest.raises(LifecycleError, match="for a sign-off or a SPOC only"):
        life.record_event(ref, "home_office_notified", D(2027, 2, 5), by="CSP Chair")
    life.record_event(ref, "signed_off", D(2027, 2, 6), by="  CSP Chair,  for the board ")
    with life._sessions() as session:
        from dhr_desk.models import AuditEvent, DhrDetails, Review

        review = session.scalars(select(Review).where(Review.reference == ref)).one()
        details = session.get(DhrDetails, review.id)
        assert details is not None and details.signed_off_by == "CSP Chair, for the board"
        assert details.home_office_notified_on is None  # the refused event left nothing
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert last is not None and '"by": "CSP Chair, for the board"' in (last.detail or "")


def test_an_asb_application_from_a_district_not_in_the_partnership_is_refused(
    life: Lifecycle,
) -> None:
    with pytest.raises(LifecycleError, match="'Atlantis' is not a district of the partnership"):
        life.register_asb(NewAsbApplication(received_on=D(2027, 3, 10), applicant_name="A",
                                            district="Atlantis"))  # fmt: skip
