"""The desk facade: store trouble reaches the screens as DeskError with a message (never a raw
database exception), and the register and dashboard read what the services wrote."""

from __future__ import annotations

import datetime as dt

import pytest

from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store import sqlcipher
from dhr_desk.store.store import Store
from dhr_desk.workflows.desk import Desk, DeskError
from dhr_desk.workflows.lifecycle import LifecycleError, NewDhrNotification

TODAY = dt.date.today()


def test_a_locked_database_is_a_desk_error_and_nothing_is_saved(
    embedded_store: Store, secrets: SecretStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlcipher, "BUSY_TIMEOUT_MS", 200)  # new connections wait 0.2 s
    embedded_store.engine.dispose()
    desk = Desk(embedded_store, secrets)
    assert embedded_store.key is not None
    holder = sqlcipher.connect(embedded_store.location.database_file, embedded_store.key)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        with pytest.raises(DeskError) as refused:
            desk.lifecycle().register_dhr(
                NewDhrNotification(date_notified=TODAY, referrer="Police", title="'Ash'")
            )
        assert "Traceback" not in str(refused.value) and str(refused.value)
    finally:
        holder.rollback()
        holder.close()
    assert desk.register()[0] == []


def test_a_refused_change_stays_a_lifecycle_error(
    embedded_store: Store, secrets: SecretStore
) -> None:
    desk = Desk(embedded_store, secrets)
    with pytest.raises(LifecycleError, match="Record who referred"):
        desk.lifecycle().register_dhr(
            NewDhrNotification(date_notified=TODAY, referrer=" ", title="'Ash'")
        )


def test_the_register_lists_what_the_services_wrote(
    embedded_store: Store, secrets: SecretStore
) -> None:
    desk = Desk(embedded_store, secrets)
    made = desk.lifecycle().register_dhr(
        NewDhrNotification(date_notified=TODAY - dt.timedelta(days=3), referrer="Police",
                           title="Review concerning 'Ash'", district="Norwich")
    )  # fmt: skip
    rows, problems = desk.register()
    assert problems == []
    (row,) = rows
    assert (row.reference, row.kind_label, row.stage_name, row.district) == (
        made.reference, "DHR", "Notified", "Norwich",
    )  # fmt: skip
    assert row.next_deadline == "Decision whether to hold a review" and row.next_status
    board = desk.dashboard()
    assert [c.references for c in board.by_stage] == [(made.reference,)]


def test_the_agency_directory_refuses_duplicates_and_bad_emails(
    embedded_store: Store, secrets: SecretStore
) -> None:
    from dhr_desk.workflows.agency_directory import DirectoryError, starter_list

    desk = Desk(embedded_store, secrets)
    starters = starter_list()
    assert len(starters) >= 20 and len({s.name for s in starters}) == len(starters)
    added = desk.add_starter_agencies()
    assert len(added) == len(starters) and desk.add_starter_agencies() == []
    with pytest.raises(DirectoryError, match="already in the directory"):
        desk.add_agency(name="norfolk constabulary", kind="police")
    with pytest.raises(DirectoryError, match="not a kind of agency"):
        desk.add_agency(name="Fictional Trust", kind="hospital")
    with pytest.raises(DirectoryError, match="not an email address"):
        desk.add_contact("Norfolk Constabulary", name="A Contact", email="nobody")
    desk.add_contact("Norfolk Constabulary", name="A Contact (fictional)", role="DHR lead",
                     email="contact@example.org")  # fmt: skip
    page = desk.agency("Norfolk Constabulary")
    assert [c.email for c in page.contacts] == ["contact@example.org"]
    assert page.asb_relevant_body and page.kind == "police"
