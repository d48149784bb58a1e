"""The action plan, rule by rule: recommendations numbered in turn with themes from the controlled
list, a lead agency and national follow-up; actions refused for a date before the review began,
a retired agency or an owner who has left; RAG worked out from status and dates (boundaries
included) and overridden only with a reason; progress that needs an outcome or a reason to end;
sign-off of finished actions only; and edits on a stale version refused, on both stores."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dhr_desk.models import Action, ActionStatus, Rag
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.action_plan import (
    NATIONAL_FOLLOW_UP,
    ActionDetails,
    ActionEntry,
    ActionPlanError,
    Progress,
    RecommendationDetails,
    derived_rag,
)
from dhr_desk.workflows.desk import ChangedElsewhere, Desk
from dhr_desk.workflows.lifecycle import NewDhrNotification

TODAY = dt.date.today()
BEGAN = TODAY - dt.timedelta(days=200)
TRUST, COUNCIL = "Fictional Health Trust", "Fictional Borough Council"


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    desk = Desk(any_store, secrets)
    desk.add_agency(name=TRUST, kind="health")
    desk.add_agency(name=COUNCIL, kind="district_council")
    desk.add_contact(TRUST, name="Owner One (fictional)", email="one@example.org")
    desk.add_contact(COUNCIL, name="Owner Two (fictional)", email="two@example.org")
    return desk


@pytest.fixture
def reference(desk: Desk) -> str:
    made = desk.lifecycle().register_dhr(
        NewDhrNotification(date_notified=BEGAN, referrer="Police", title="'Hazel'")
    )
    return made.reference


def recommendation(
    text: str = "Improve information sharing.", **kw: object
) -> RecommendationDetails:
    fields: dict[str, object] = {"text": text, "level": "multi_agency", "scope": "local"}
    fields.update(kw)
    return RecommendationDetails(**fields)  # type: ignore[arg-type]


def action(target: dt.date | None = TODAY + dt.timedelta(days=60), **kw: object) -> ActionDetails:
    fields: dict[str, object] = {
        "agency": TRUST,
        "description": "Train the staff.",
        "target_date": target,
    }
    fields.update(kw)
    return ActionDetails(**fields)  # type: ignore[arg-type]


def only_action(desk: Desk, reference: str, number: str = "1.1") -> ActionEntry:
    return next(a for r in desk.action_plan(reference) for a in r.actions if a.number == number)


# --- recommendations and themes -----------------------------------------------------------


def test_recommendations_are_numbered_in_turn_with_themes_lead_agency_and_follow_up(
    desk: Desk, reference: str
) -> None:
    first = desk.add_recommendation(
        reference,
        recommendation(themes=("information sharing", "Coercive control"), lead_agency=TRUST),
        [action()],
    )
    desk.add_recommendation(
        reference, recommendation("Change national guidance.", scope="national")
    )
    plan = desk.action_plan(reference)
    assert [(r.number, r.recommendation_id == first) for r in plan] == [(1, True), (2, False)]
    assert plan[0].themes == ("Coercive control", "Information sharing")  # the list's spelling
    assert plan[0].lead_agency == TRUST and plan[0].follow_up_with == ""
    # a national recommendation is marked for follow-up with the Home Office / Commissioner
    assert plan[1].follow_up_with == NATIONAL_FOLLOW_UP
    assert [a.number for a in plan[0].actions] == ["1.1"] and plan[1].actions == ()


def test_a_theme_outside_the_controlled_list_is_refused_until_added(
    desk: Desk, reference: str
) -> None:
    with pytest.raises(ActionPlanError, match="not in the list of themes"):
        desk.add_recommendation(reference, recommendation(themes=("Stalking",)))
    assert desk.action_plan(reference) == []
    desk.add_theme("Stalking")
    with pytest.raises(ActionPlanError, match="already a theme"):
        desk.add_theme("stalking")
    desk.add_recommendation(reference, recommendation(themes=("Stalking",)))
    # WHEN a theme is retired THEN it is not offered, but a tagged recommendation keeps it
    desk.retire_theme("Stalking")
    desk.retire_theme("Housing")  # a default theme, never stored before
    assert "Stalking" not in desk.themes() and "Housing" not in desk.themes()
    assert "Mental health" in desk.themes()
    assert desk.action_plan(reference)[0].themes == ("Stalking",)


def test_a_recommendation_edit_is_saved_audited_and_refused_when_stale(
    desk: Desk, reference: str
) -> None:
    rid = desk.add_recommendation(reference, recommendation())
    seen = desk.action_plan(reference)[0].version
    changed = desk.update_recommendation(
        reference, rid, seen_version=seen, details=recommendation(themes=("Housing",))
    )
    assert changed == ["themes"]
    with pytest.raises(ChangedElsewhere, match="Someone else changed recommendation 1"):
        desk.update_recommendation(
            reference, rid, seen_version=seen, details=recommendation("Another text.")
        )
    assert desk.action_plan(reference)[0].text == "Improve information sharing."
    assert "Recommendation changed" in [e.action for e in desk.audit_trail(reference)]


# --- actions: bad input ------------------------------------------------------------------


def test_an_action_is_refused_for_a_date_before_the_review_a_retired_agency_or_a_wrong_owner(
    desk: Desk, reference: str
) -> None:
    rid = desk.add_recommendation(reference, recommendation())
    with pytest.raises(ActionPlanError, match="before the review began"):
        desk.add_action(reference, rid, action(BEGAN - dt.timedelta(days=1)))
    desk.add_action(reference, rid, action(BEGAN))  # the day it began is allowed
    with pytest.raises(ActionPlanError, match="not in the agencies directory"):
        desk.add_action(reference, rid, action(agency="Nowhere Trust (fictional)"))
    council_owner = desk.contacts(COUNCIL)[0].id
    with pytest.raises(ActionPlanError, match="from Fictional Health Trust's contacts"):
        desk.add_action(reference, rid, action(owner_contact_id=council_owner))
    desk.set_agency_active(COUNCIL, active=False, reason="Merged (fictional)")
    with pytest.raises(ActionPlanError, match="retired from the directory"):
        desk.add_action(reference, rid, action(agency=COUNCIL))
    with pytest.raises(ActionPlanError, match="not an email address"):
        desk.add_action(reference, rid, action(owner_name="Someone", owner_email="someone"))
    assert [a.number for a in desk.action_plan(reference)[0].actions] == ["1.1"]


def test_an_action_whose_agency_was_retired_since_can_still_be_edited_but_not_moved_to_one(
    desk: Desk, reference: str
) -> None:
    rid = desk.add_recommendation(reference, recommendation(lead_agency=COUNCIL))
    desk.add_action(reference, rid, action(agency=COUNCIL))
    desk.set_agency_active(COUNCIL, active=False, reason="Merged (fictional)")
    entry = only_action(desk, reference)
    edited = action(agency=COUNCIL, description="Train every officer.")
    desk.update_action(reference, entry.action_id, seen_version=entry.version, details=edited)
    plan = desk.action_plan(reference)[0]
    reworded = recommendation("Reworded.", lead_agency=COUNCIL)
    desk.update_recommendation(reference, rid, seen_version=plan.version, details=reworded)
    assert desk.action_plan(reference)[0].actions[0].description == "Train every officer."
    # but another action cannot be given to the retired council
    other = desk.add_action(reference, rid, action())
    other_entry = only_action(desk, reference, "1.2")
    assert other_entry.action_id == other
    with pytest.raises(ActionPlanError, match="retired from the directory"):
        desk.update_action(reference, other, seen_version=other_entry.version,
                           details=action(agency=COUNCIL))  # fmt: skip


def test_an_owner_who_has_left_is_flagged_and_must_be_replaced_on_the_next_edit(
    desk: Desk, reference: str
) -> None:
    rid = desk.add_recommendation(reference, recommendation())
    owner = desk.contacts(TRUST)[0]
    desk.add_action(reference, rid, action(owner_contact_id=owner.id))
    desk.retire_contact(owner.id, reason="Left the trust (fictional)")
    entry = only_action(desk, reference)
    assert entry.owner_left and entry.owner == "Owner One (fictional)"
    # an edit keeping the owner who left is still allowed (the page prompts to reassign) …
    desk.update_action(
        reference,
        entry.action_id,
        seen_version=entry.version,
        details=action(owner_contact_id=owner.id, description="Train all staff."),
    )
    # … but a new action cannot be given to them
    with pytest.raises(ActionPlanError, match="has left Fictional Health Trust"):
        desk.add_action(reference, rid, action(owner_contact_id=owner.id))


def test_a_leavers_open_actions_are_reassigned_together_and_finished_ones_keep_them(
    desk: Desk, reference: str
) -> None:
    rid = desk.add_recommendation(reference, recommendation())
    desk.add_contact(TRUST, name="Owner Three (fictional)", email="three@example.org")
    leaver, successor = desk.contacts(TRUST)
    for _ in range(3):
        desk.add_action(reference, rid, action(owner_contact_id=leaver.id))
    done = only_action(desk, reference, "1.3")
    desk.record_progress(reference, done.action_id, seen_version=done.version,
                         progress=Progress("complete", TODAY, outcome="Done"))  # fmt: skip
    # WHEN the owner leaves THEN the desk says how many open actions need a new owner
    assert desk.retire_contact(leaver.id, reason="Left (fictional)") == 2
    with pytest.raises(ActionPlanError, match="current contact at Fictional Health Trust"):
        desk.reassign_owner(leaver.id, leaver.id)
    desk.add_contact(COUNCIL, name="Elsewhere (fictional)")
    elsewhere = desk.contacts(COUNCIL)[-1]
    with pytest.raises(ActionPlanError, match="current contact at Fictional Health Trust"):
        desk.reassign_owner(leaver.id, elsewhere.id)
    # AND reassigning moves the open ones only, audited
    assert desk.reassign_owner(leaver.id, successor.id) == 2
    owners = {a.number: (a.owner, a.owner_left) for a in desk.action_plan(reference)[0].actions}
    assert owners == {
        "1.1": ("Owner Three (fictional)", False),
        "1.2": ("Owner Three (fictional)", False),
        "1.3": ("Owner One (fictional)", True),
    }
    assert "Actions reassigned" in [e.action for e in desk.audit_trail(reference)]


def test_moving_a_target_date_needs_a_reason(desk: Desk, reference: str) -> None:
    rid = desk.add_recommendation(reference, recommendation())
    desk.add_action(reference, rid, action(None))
    entry = only_action(desk, reference)
    # setting a first target date needs no reason
    desk.update_action(
        reference,
        entry.action_id,
        seen_version=entry.version,
        details=action(TODAY + dt.timedelta(days=30)),
    )
    entry = only_action(desk, reference)
    with pytest.raises(ActionPlanError, match=r"Say why action 1\.1's target date moves"):
        desk.update_action(
            reference,
            entry.action_id,
            seen_version=entry.version,
            details=action(TODAY + dt.timedelta(days=90)),
        )
    desk.update_action(
        reference,
        entry.action_id,
        seen_version=entry.version,
        details=action(TODAY + dt.timedelta(days=90)),
        reason="Funding delayed",
    )
    assert only_action(desk, reference).target_date == TODAY + dt.timedelta(days=90)


# --- RAG -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "target", "expected"),
    [
        (ActionStatus.IN_PROGRESS, TODAY - dt.timedelta(days=1), Rag.RED),  # a day past
        (ActionStatus.NOT_STARTED, TODAY, Rag.AMBER),  # due today is not yet late
        (ActionStatus.IN_PROGRESS, TODAY + dt.timedelta(days=28), Rag.AMBER),  # window's edge
        (ActionStatus.IN_PROGRESS, TODAY + dt.timedelta(days=29), Rag.GREEN),  # a day beyond
        (ActionStatus.NOT_STARTED, None, Rag.AMBER),  # no target date set
        (ActionStatus.COMPLETE, TODAY - dt.timedelta(days=100), None),  # finished: none
        (ActionStatus.CLOSED_BY_CSP, TODAY - dt.timedelta(days=100), None),
    ],
)
def test_rag_is_worked_out_from_status_and_dates(
    status: ActionStatus, target: dt.date | None, expected: Rag | None
) -> None:
    assert derived_rag(status, target, TODAY, amber_days=28) is expected


def test_rag_is_overridden_only_with_a_reason_and_shown_with_it(desk: Desk, reference: str) -> None:
    rid = desk.add_recommendation(reference, recommendation())
    desk.add_action(reference, rid, action(TODAY + dt.timedelta(days=90)))
    entry = only_action(desk, reference)
    assert entry.rag == "green" and entry.rag_words == "Green"
    with pytest.raises(ActionPlanError, match="Say why"):
        desk.override_rag(reference, entry.action_id, seen_version=entry.version, rag="red")
    desk.override_rag(
        reference,
        entry.action_id,
        seen_version=entry.version,
        rag="red",
        reason="Training budget withdrawn",
    )
    entry = only_action(desk, reference)
    assert entry.rag == "red"
    assert entry.rag_words == "Red (set by hand: Training budget withdrawn)"
    # back to the worked-out rating
    desk.override_rag(reference, entry.action_id, seen_version=entry.version, rag=None)
    assert only_action(desk, reference).rag == "green"


# --- progress, completion, sign-off ------------------------------------------------------


def test_an_action_ends_complete_with_its_outcome_or_closed_with_a_reason(
    desk: Desk, reference: str, any_store: Store
) -> None:
    rid = desk.add_recommendation(reference, recommendation())
    desk.add_action(reference, rid, action())
    desk.add_action(reference, rid, action(description="Audit the files."))
    first = only_action(desk, reference)
    aid, version = first.action_id, first.version
    with pytest.raises(ActionPlanError, match="needs its outcome"):
        desk.record_progress(
            reference, aid, seen_version=version, progress=Progress("complete", TODAY)
        )
    with pytest.raises(ActionPlanError, match="in the future"):
        desk.record_progress(
            reference,
            aid,
            seen_version=version,
            progress=Progress("in_progress", TODAY + dt.timedelta(days=1)),
        )
    with pytest.raises(ActionPlanError, match="Nothing to record"):
        desk.record_progress(
            reference, aid, seen_version=version, progress=Progress("not_started", TODAY)
        )
    with pytest.raises(ActionPlanError, match="still open"):
        desk.sign_off_action(reference, aid, seen_version=version, by="CSP Chair", on=TODAY)
    desk.record_progress(
        reference,
        aid,
        seen_version=version,
        progress=Progress("in_progress", TODAY, note="Sessions booked."),
    )
    entry = only_action(desk, reference)
    desk.record_progress(
        reference,
        aid,
        seen_version=entry.version,
        progress=Progress(
            "complete", TODAY, note="All trained.", outcome="Staff trained; audit shows use."
        ),
    )
    entry = only_action(desk, reference)
    assert entry.status_words == "Complete" and entry.rag is None
    assert entry.completed_on == TODAY and entry.outcome.startswith("Staff trained")
    assert entry.evidence.splitlines()[1].endswith("All trained.")
    desk.sign_off_action(reference, aid, seen_version=entry.version, by="CSP Chair", on=TODAY)
    assert only_action(desk, reference).signed_off.startswith("CSP Chair on ")
    # the second is closed without being completed: the reason is required
    second = only_action(desk, reference, "1.2")
    with pytest.raises(ActionPlanError, match="Say why the action is closed"):
        desk.record_progress(
            reference,
            second.action_id,
            seen_version=second.version,
            progress=Progress("closed_by_csp", TODAY),
        )
    desk.record_progress(
        reference,
        second.action_id,
        seen_version=second.version,
        progress=Progress("closed_by_csp", TODAY, closure_reason="Service decommissioned"),
    )
    closed = only_action(desk, reference, "1.2")
    assert closed.status_words == "Closed, not completed"
    assert closed.completed_on == TODAY  # the day it ended, for the board's figures
    # progress was recorded as a time: the chasing policy reads it
    with any_store.sessions() as session:
        assert all(a.progress_updated_at for a in session.scalars(select(Action)))
    # reopening clears completion and sign-off
    entry = only_action(desk, reference)
    desk.record_progress(
        reference,
        aid,
        seen_version=entry.version,
        progress=Progress("in_progress", TODAY, note="Audit failed."),
    )
    entry = only_action(desk, reference)
    assert entry.completed_on is None and entry.signed_off == "" and entry.outcome == ""


def test_a_progress_update_on_a_stale_version_is_refused(desk: Desk, reference: str) -> None:
    rid = desk.add_recommendation(reference, recommendation())
    desk.add_action(reference, rid, action())
    entry = only_action(desk, reference)
    desk.record_progress(
        reference,
        entry.action_id,
        seen_version=entry.version,
        progress=Progress("in_progress", TODAY),
    )
    with pytest.raises(ChangedElsewhere, match=r"Someone else changed action 1\.1"):
        desk.record_progress(
            reference,
            entry.action_id,
            seen_version=entry.version,
            progress=Progress("complete", TODAY, outcome="Done"),
        )
    assert only_action(desk, reference).status == "in_progress"


def test_milestones_are_added_and_achieved(desk: Desk, reference: str) -> None:
    rid = desk.add_recommendation(reference, recommendation())
    aid = desk.add_action(reference, rid, action())
    with pytest.raises(ActionPlanError, match="before the review began"):
        desk.add_milestone(reference, aid, description="Plan", due_on=BEGAN - dt.timedelta(1))
    mid = desk.add_milestone(reference, aid, description="Course designed", due_on=TODAY)
    desk.milestone_achieved(reference, mid, on=TODAY)
    [milestone] = only_action(desk, reference).milestones
    assert (milestone.description, milestone.achieved_on) == ("Course designed", TODAY)


def test_the_action_plan_guard_holds_only_when_every_recommendation_has_an_action(
    desk: Desk, reference: str
) -> None:
    from dhr_desk.models import Review
    from dhr_desk.workflows.guards import GUARDS
    from dhr_desk.workflows.review_facts import collect_records

    def holds() -> bool:
        with desk._store.sessions() as session:
            review = session.scalars(select(Review).where(Review.reference == reference)).one()
            facts = collect_records(session, [review.id])[0].facts
            return GUARDS["action_plan_exists"].holds(facts)

    assert not holds()
    rid = desk.add_recommendation(reference, recommendation())
    assert not holds()  # a recommendation without an action
    desk.add_action(reference, rid, action())
    assert holds()
