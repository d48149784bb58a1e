"""The agencies directory kept up to date: an agency edited (renamed, its records following it),
retired with a reason (kept on records, no longer offered for new work) and reinstated; a
contact edited (with their place in the chasing ladder) and retired when they leave. Edits made
on a version someone else has changed since are refused on both stores."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dhr_desk.models import AuditEvent
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.agency_directory import DirectoryError
from dhr_desk.workflows.desk import ChangedElsewhere, Desk
from dhr_desk.workflows.lifecycle import LifecycleError, NewDhrNotification

TODAY = dt.date.today()


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    desk = Desk(any_store, secrets)
    desk.add_agency(name="Fictional Health Trust", kind="health")
    desk.add_agency(name="Fictional Borough Council", kind="district_council")
    return desk


def audit_actions(store: Store) -> list[str]:
    with store.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def request_from(desk: Desk, agency: str) -> str:
    made = desk.lifecycle().register_dhr(
        NewDhrNotification(date_notified=TODAY, referrer="Police", title="'Birch'")
    )
    desk.lifecycle().issue_information_request(made.reference, agency=agency, kind="imr",
                                               requested_on=TODAY)  # fmt: skip
    return made.reference


def test_an_agency_renamed_keeps_its_requests_and_the_edit_is_audited(
    desk: Desk, any_store: Store
) -> None:
    reference = request_from(desk, "Fictional Health Trust")
    page = desk.agency("Fictional Health Trust")
    # WHEN the trust is renamed and made a relevant body
    changed = desk.update_agency(
        "Fictional Health Trust", seen_version=page.version, new_name="Fictional Care Trust",
        kind="health", district=None, asb_relevant_body=True,
    )  # fmt: skip
    # THEN its open request is listed under the new name, and the edit is audited by field
    assert changed == ["name", "asb_relevant_body"]
    renamed = desk.agency("Fictional Care Trust")
    assert [r.reference for r in renamed.open_requests] == [reference]
    assert renamed.asb_relevant_body
    assert "agency changed" in audit_actions(any_store)
    # AND saving the same values again changes (and audits) nothing
    assert desk.update_agency("Fictional Care Trust", seen_version=renamed.version,
                              new_name="Fictional Care Trust", kind="health", district=None,
                              asb_relevant_body=True) == []  # fmt: skip


def test_an_agency_edit_is_refused_when_the_name_is_taken_or_someone_saved_first(
    desk: Desk,
) -> None:
    page = desk.agency("Fictional Health Trust")
    with pytest.raises(DirectoryError, match="already in the directory"):
        desk.update_agency("Fictional Health Trust", seen_version=page.version,
                           new_name="fictional borough council", kind="health", district=None,
                           asb_relevant_body=False)  # fmt: skip
    with pytest.raises(DirectoryError, match="Give the agency's name"):
        desk.update_agency("Fictional Health Trust", seen_version=page.version, new_name="  ",
                           kind="health", district=None, asb_relevant_body=False)  # fmt: skip
    # GIVEN someone else saves an edit after this page was read
    desk.update_agency("Fictional Health Trust", seen_version=page.version,
                       new_name="Fictional Health Trust", kind="mental_health", district=None,
                       asb_relevant_body=False)  # fmt: skip
    # WHEN an edit made on the old version is saved THEN it is refused, theirs kept
    with pytest.raises(ChangedElsewhere, match="Someone else changed the agency"):
        desk.update_agency("Fictional Health Trust", seen_version=page.version,
                           new_name="Fictional Health Trust", kind="health", district=None,
                           asb_relevant_body=True)  # fmt: skip
    assert desk.agency("Fictional Health Trust").kind == "mental_health"


def test_a_retired_agency_stays_on_its_records_but_is_not_offered_for_new_work(
    desk: Desk, any_store: Store
) -> None:
    reference = request_from(desk, "Fictional Health Trust")
    with pytest.raises(DirectoryError, match="Say why"):
        desk.set_agency_active("Fictional Health Trust", active=False, reason=" ")
    desk.set_agency_active("Fictional Health Trust", active=False, reason="Merged (fictional)")
    # THEN it is listed, marked, in the directory; not among the agencies to choose from
    assert [(e.name, e.active) for e in desk.directory()] == [
        ("Fictional Borough Council", True), ("Fictional Health Trust", False),
    ]  # fmt: skip
    assert desk.agencies() == ["Fictional Borough Council"]
    # AND the review's request still names it
    assert [r.agency for r in desk.requests(reference)] == ["Fictional Health Trust"]
    # AND a new request of it is refused with what to do
    with pytest.raises(LifecycleError, match="retired from the directory"):
        desk.lifecycle().issue_information_request(
            reference, agency="Fictional Health Trust", kind="chronology", requested_on=TODAY
        )
    assert len(desk.requests(reference)) == 1
    # AND the starter list does not add a retired agency back as new
    desk.add_starter_agencies()
    desk.set_agency_active("Norfolk Constabulary", active=False, reason="Test (fictional)")
    assert desk.add_starter_agencies() == []
    assert not desk.agency("Norfolk Constabulary").active
    # AND reinstating offers it again
    desk.set_agency_active("Fictional Health Trust", active=True)
    assert "Fictional Health Trust" in desk.agencies()
    assert desk.agency("Fictional Health Trust").active
    actions = audit_actions(any_store)
    assert "agency retired" in actions and "agency reinstated" in actions


def test_a_contact_edited_and_retired_with_their_place_in_the_chasing_ladder(
    desk: Desk, any_store: Store
) -> None:
    desk.add_contact("Fictional Health Trust", name="Contact One (fictional)",
                     email="one@example.org", agency_lead=True)  # fmt: skip
    [contact] = desk.agency("Fictional Health Trust").contacts
    assert contact.agency_lead and not contact.board_representative
    with pytest.raises(DirectoryError, match="not an email address"):
        desk.update_contact(contact.id, seen_version=contact.version, name=contact.name,
                            email="one at example")  # fmt: skip
    changed = desk.update_contact(
        contact.id, seen_version=contact.version, name="Contact One (fictional)",
        role="Head of safeguarding", email="one@example.org", agency_lead=True,
        board_representative=True,
    )  # fmt: skip
    assert changed == ["role", "is_board_representative"]
    [edited] = desk.agency("Fictional Health Trust").contacts
    assert edited.board_representative and edited.role == "Head of safeguarding"
    with pytest.raises(ChangedElsewhere):
        desk.update_contact(contact.id, seen_version=contact.version, name="Someone else")
    with pytest.raises(DirectoryError, match="Say why"):
        desk.retire_contact(edited.id, reason="")
    desk.retire_contact(edited.id, reason="Left the trust (fictional)")
    assert desk.agency("Fictional Health Trust").contacts == ()
    assert "contact retired" in audit_actions(any_store)
