"""Who leads each review ("my deadlines", issue #4), on a real store (SQLite and PostgreSQL):
the officer who registers a review leads it; the lead can be handed to another officer (made
when first named, audited); the dashboard knows the reviews the officer looking leads."""

from __future__ import annotations

import datetime as dt

import pytest

from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.dashboard import build_dashboard
from dhr_desk.workflows.desk import Desk, DeskError
from dhr_desk.workflows.lifecycle import Lifecycle, NewDhrNotification

TODAY = dt.date.today()


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    return Desk(any_store, secrets)


def register(store: Store, actor: str, title: str) -> str:
    life = Lifecycle(store.sessions, actor=actor)
    new = NewDhrNotification(date_notified=TODAY - dt.timedelta(days=3), referrer="Police",
                             title=title)  # fmt: skip
    return life.register_dhr(new).reference


def test_the_officer_who_registers_a_review_leads_it_until_it_is_handed_on(
    any_store: Store, desk: Desk
) -> None:
    mine = register(any_store, "a.officer", "'Birch'")
    theirs = register(any_store, "b.officer", "'Hazel'")
    rows = {row.reference: row.lead_officer for row in desk.register()[0]}
    assert rows == {mine: "a.officer", theirs: "b.officer"}
    assert desk.officers() == ["a.officer", "b.officer"]
    assert dict(desk.overview(mine).facts)["Lead officer"] == "a.officer"
    # WHEN the review is handed to a new colleague THEN they are made an officer, audited
    desk.set_lead_officer(mine, "  c.officer ")
    assert {row.reference: row.lead_officer for row in desk.register()[0]}[mine] == "c.officer"
    assert desk.officers() == ["a.officer", "b.officer", "c.officer"]
    assert desk.audit_trail(mine)[0].action == "Lead officer changed"
    with pytest.raises(DeskError, match="Give the officer's login name"):
        desk.set_lead_officer(mine, "   ")
    with pytest.raises(DeskError, match="There is no review"):
        desk.set_lead_officer("DHR-1999-999", "c.officer")
    # AND the dashboard of each officer knows the reviews they lead
    with any_store.sessions() as session:
        assert build_dashboard(session, TODAY, officer="c.officer").mine == {mine}
        assert build_dashboard(session, TODAY, officer="b.officer").mine == {theirs}
        board = build_dashboard(session, TODAY, officer="a.officer")
    assert board.mine == frozenset()
    all_due = board.overdue + board.this_week + board.next_30_days
    assert all_due  # each new review's decision is due within the month
    assert board.deadlines_of(all_due, mine_only=True) == ()
    assert board.deadlines_of(all_due, mine_only=False) == all_due
