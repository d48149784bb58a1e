"""The action tracker across reviews: every action listed with its review, owner, themes and
RAG; the filters (agency, review, status, RAG, theme, due window, boundaries included); and bulk
updates of status or target date, always with a reason, all or none, refused when stale."""

from __future__ import annotations

import datetime as dt

import pytest

from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.action_plan import (
    ActionDetails,
    ActionPlanError,
    Progress,
    RecommendationDetails,
)
from dhr_desk.workflows.action_tracker import (
    BulkChange,
    Chosen,
    TrackedAction,
    TrackerFilter,
    filtered,
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
    return desk


def new_review(desk: Desk, title: str) -> str:
    return (
        desk.lifecycle()
        .register_dhr(NewDhrNotification(date_notified=BEGAN, referrer="Police", title=title))
        .reference
    )


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def two_reviews(desk: Desk) -> tuple[str, str]:
    """GIVEN two reviews: the first with a themed recommendation of three actions (overdue,
    due in 10 days, due in 60 days) at the trust; the second with one council action with no
    target date and one finished."""
    first, second = new_review(desk, "'Rowan'"), new_review(desk, "'Willow'")
    owner = desk.contacts(TRUST)[0].id
    rid = desk.add_recommendation(
        first,
        RecommendationDetails("Share risk information.", "multi_agency", "local",
                              themes=("Information sharing", "Risk assessment")),
    )  # fmt: skip
    for target in (days(-3), days(10), days(60)):
        desk.add_action(first, rid, ActionDetails(TRUST, f"Due {target}", target,
                                                  owner_contact_id=owner))  # fmt: skip
    rid2 = desk.add_recommendation(
        second, RecommendationDetails("House the survivor sooner.", "single_agency", "local")
    )
    desk.add_action(
        second, rid2, ActionDetails(COUNCIL, "No date yet", None, owner_name="A. Clerk")
    )
    finished = desk.add_action(second, rid2, ActionDetails(COUNCIL, "Done already", days(-40)))
    entry = next(a for a in desk.tracker() if a.action_id == finished)
    done = Progress("complete", TODAY, outcome="Policy rewritten")
    desk.record_progress(second, finished, seen_version=entry.version, progress=done)
    return first, second


def numbers(rows: list[TrackedAction]) -> list[str]:
    return [f"{r.reference[-3:]} {r.number}" for r in rows]


def chosen(rows: list[TrackedAction]) -> list[Chosen]:
    return [Chosen(r.action_id, r.reference, r.number, r.version) for r in rows]


def test_every_action_of_every_review_is_listed_with_its_owner_themes_and_rag(
    desk: Desk, two_reviews: tuple[str, str]
) -> None:
    first, second = two_reviews
    rows = desk.tracker()
    assert [(r.reference, r.number) for r in rows] == [
        (first, "1.1"), (first, "1.2"), (first, "1.3"), (second, "1.1"), (second, "1.2"),
    ]  # fmt: skip
    overdue, soon, later, undated, done = rows
    assert overdue.owner == "Owner One (fictional)" and overdue.agency == TRUST
    assert overdue.themes == ("Information sharing", "Risk assessment")
    assert (overdue.rag, overdue.days_overdue) == ("red", 3)
    assert (soon.rag, later.rag) == ("amber", "green")  # default amber window: 28 days
    assert (undated.owner, undated.rag, undated.rag_words) == (
        "A. Clerk",
        "amber",
        "Amber (no target date)",
    )
    assert (done.rag, done.rag_words, done.days_overdue) == (None, "Complete", 0)
    assert done.completed_on == TODAY and undated.themes == ()


def test_each_filter_narrows_the_list_and_due_windows_include_their_last_day(
    desk: Desk, two_reviews: tuple[str, str]
) -> None:
    first, _ = two_reviews
    rows = desk.tracker()

    def shown(**wanted: str) -> list[str]:
        return numbers(filtered(rows, TrackerFilter(**wanted), TODAY))

    assert len(shown()) == 5
    assert shown(agency=COUNCIL) == ["002 1.1", "002 1.2"]
    assert shown(reference=first) == ["001 1.1", "001 1.2", "001 1.3"]
    assert shown(status="open") == ["001 1.1", "001 1.2", "001 1.3", "002 1.1"]
    assert shown(status="finished") == shown(status="complete") == ["002 1.2"]
    assert shown(status="closed_by_csp") == []
    assert shown(rag="red") == ["001 1.1"]
    assert shown(rag="amber") == ["001 1.2", "002 1.1"]
    assert shown(theme="Risk assessment") == ["001 1.1", "001 1.2", "001 1.3"]
    assert shown(theme="Housing") == []
    # a finished action is in no due window, though its target date has passed
    assert shown(due="overdue") == ["001 1.1"]
    assert shown(due="next_14") == ["001 1.2"]
    assert shown(due="no_target") == ["002 1.1"]
    assert shown(agency=TRUST, due="next_30", rag="amber") == ["001 1.2"]
    # boundaries: due today is not overdue and is in the window; the window's last day is in it
    edge = [r for r in rows if r.number == "1.2" and r.reference == first]
    assert filtered(edge, TrackerFilter(due="next_14"), days(-5)) == []  # 15 days ahead
    assert filtered(edge, TrackerFilter(due="next_14"), days(10) - dt.timedelta(days=14)) == edge
    assert filtered(edge, TrackerFilter(due="next_14"), days(10)) == edge
    assert filtered(edge, TrackerFilter(due="overdue"), days(10)) == []
    assert filtered(edge, TrackerFilter(due="overdue"), days(11)) == edge


def test_a_bulk_status_change_records_the_reason_on_each_and_leaves_the_unchanged_alone(
    desk: Desk, two_reviews: tuple[str, str]
) -> None:
    first, second = two_reviews
    rows = desk.tracker()
    result = desk.bulk_update(
        chosen(rows[:2] + rows[4:]),
        BulkChange(reason="Agreed at the board on a fictional date", on=TODAY,
                   status="in_progress"),
    )  # fmt: skip
    assert result.changed == (f"{first} 1.1", f"{first} 1.2", f"{second} 1.2")
    assert result.left_alone == ()
    again = desk.bulk_update(
        chosen(desk.tracker()[:1]), BulkChange(reason="Again", on=TODAY, status="in_progress")
    )
    assert again.changed == () and again.left_alone == (f"{first} 1.1: already in progress",)
    plan = {a.number: a for r in desk.action_plan(first) for a in r.actions}
    assert plan["1.1"].evidence.endswith("Agreed at the board on a fictional date")
    # reopened: completion cleared
    reopened = next(r for r in desk.tracker() if r.reference == second and r.number == "1.2")
    assert (reopened.status, reopened.completed_on) == ("in_progress", None)
    trail = [e.action for e in desk.audit_trail(first)]
    assert trail.count("Action progress") == 2


def test_bulk_closing_uses_the_reason_and_bulk_completing_needs_the_outcome(
    desk: Desk, two_reviews: tuple[str, str]
) -> None:
    rows = desk.tracker()[:2]
    with pytest.raises(ActionPlanError, match=r"outcome.*Nothing was changed"):
        desk.bulk_update(chosen(rows), BulkChange(reason="Done", on=TODAY, status="complete"))
    assert [r.status for r in desk.tracker()[:2]] == ["not_started", "not_started"]
    desk.bulk_update(chosen(rows), BulkChange(reason="Service ended", on=TODAY,
                                              status="closed_by_csp"))  # fmt: skip
    closed = desk.tracker()[:2]
    assert [r.status_words for r in closed] == ["Closed, not completed"] * 2
    plan = desk.action_plan(rows[0].reference)[0].actions[0]
    assert plan.outcome == "Service ended"


def test_a_bulk_target_date_move_needs_a_reason_a_sane_date_and_saves_all_or_none(
    desk: Desk, two_reviews: tuple[str, str]
) -> None:
    first, second = two_reviews
    rows = desk.tracker()
    with pytest.raises(ActionPlanError, match="Say why"):
        desk.bulk_update(chosen(rows), BulkChange(reason="  ", on=TODAY, target_date=days(90)))
    with pytest.raises(ActionPlanError, match="either the status or the target date"):
        desk.bulk_update(chosen(rows), BulkChange(reason="x", on=TODAY))
    with pytest.raises(ActionPlanError, match="Choose the actions"):
        desk.bulk_update([], BulkChange(reason="x", on=TODAY, target_date=days(90)))
    with pytest.raises(ActionPlanError, match="before the review began"):
        too_early = BEGAN - dt.timedelta(days=1)
        desk.bulk_update(chosen(rows), BulkChange(reason="x", on=TODAY, target_date=too_early))
    assert [r.target_date for r in desk.tracker()] == [r.target_date for r in rows]
    result = desk.bulk_update(
        chosen(rows), BulkChange(reason="Waiting for the new system", on=TODAY,
                                 target_date=days(90))
    )  # fmt: skip
    assert len(result.changed) == 4
    assert result.left_alone == (f"{second} 1.2: finished, its target date stays",)
    after = desk.tracker()
    assert [r.target_date for r in after[:4]] == [days(90)] * 4
    assert after[4].target_date == days(-40)
    assert after[0].rag == "green" and after[0].days_overdue == 0
    moved = [e for e in desk.audit_trail(first) if e.action == "Action changed"]
    assert len(moved) == 3 and "Waiting for the new system" in moved[0].detail
    # AND the move is in each action's evidence, dated, with the reason
    evidence = desk.action_plan(first)[0].actions[0].evidence
    assert evidence.endswith(f"to {days(90):%d/%m/%Y}: Waiting for the new system")


def test_a_bulk_update_on_a_stale_version_changes_nothing(
    desk: Desk, two_reviews: tuple[str, str]
) -> None:
    first, _ = two_reviews
    rows = desk.tracker()
    seen = rows[1]
    desk.record_progress(first, seen.action_id, seen_version=seen.version,
                         progress=Progress("in_progress", TODAY, note="Someone else"))  # fmt: skip
    with pytest.raises(ChangedElsewhere, match=r"Someone else changed action 1\.2"):
        desk.bulk_update(chosen(rows[:3]), BulkChange(reason="x", on=TODAY, target_date=days(99)))
    assert [r.target_date for r in desk.tracker()[:3]] == [r.target_date for r in rows[:3]]
