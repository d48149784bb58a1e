"""The identifier register and the review's record lists, on SQLite and PostgreSQL: identifiers
masked in lists, each reveal audited without copying an identifier into the log, pseudonym
rules, and edits or changes made on an out-of-date view refused rather than saved over."""

from __future__ import annotations

import datetime as dt

import pytest

from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.desk import ChangedElsewhere, Desk
from dhr_desk.workflows.identifier_register import MASK, IdentifierError, PersonDetails
from dhr_desk.workflows.lifecycle import LifecycleError, NewDhrNotification

TODAY = dt.date.today()
DAYS = dt.timedelta(days=1)
VICTIM = PersonDetails(
    role="victim",
    real_name="Imogen Testcase",
    nicknames="Immy",
    pseudonym="Wren",
    date_of_birth=dt.date(1980, 5, 17),
    date_of_death=TODAY - 20 * DAYS,
    address="1 Nowhere Lane",
)


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    return Desk(any_store, secrets)


def new_review(desk: Desk) -> str:
    made = desk.lifecycle().register_dhr(
        NewDhrNotification(
            date_notified=TODAY - 10 * DAYS,
            referrer="Police",
            title="Review concerning 'Wren'",
            date_of_death=TODAY - 20 * DAYS,
        )
    )
    return made.reference


def test_the_register_lists_people_masked_and_a_reveal_is_audited(desk: Desk) -> None:
    reference = new_review(desk)
    person = desk.add_person(reference, VICTIM)
    desk.add_person(
        reference,
        PersonDetails(role="professional", real_name="Dr Ada Invented", role_description="GP 1"),
    )
    # WHEN the register is listed THEN no real identifier appears, only masks and pseudonyms
    listed = desk.people(reference)
    assert [p.role for p in listed] == ["Victim", "Professional"]
    shown = " ".join(str(value) for p in listed for value in vars(p).values())
    assert "Imogen" not in shown and "1980" not in shown and "Nowhere" not in shown
    assert listed[0].real_name == MASK and listed[0].pseudonym == "Wren"
    assert listed[1].pseudonym.startswith("none yet") and listed[1].described_as == "GP 1"
    # AND a reveal needs a reason
    with pytest.raises(IdentifierError, match="Say why"):
        desk.reveal_person(reference, person, why="  ")
    # WHEN revealed with a reason THEN the details come back and the audit names who and why,
    # without the identifiers themselves
    revealed = desk.reveal_person(reference, person, why="Letter to the family")
    assert revealed.details.real_name == "Imogen Testcase"
    assert revealed.details.date_of_birth == dt.date(1980, 5, 17)
    (entry, *_) = desk.audit_trail(reference)
    assert entry.action == "Identifiers revealed" and "Letter to the family" in entry.detail
    trail = " ".join(f"{e.action} {e.detail}" for e in desk.audit_trail(reference))
    assert "Imogen" not in trail and "Nowhere" not in trail and "1980" not in trail


def test_pseudonym_and_date_rules(desk: Desk) -> None:
    reference = new_review(desk)
    desk.add_person(reference, VICTIM)
    refused = {
        "already the pseudonym": PersonDetails(
            role="child", real_name="Tom Other", pseudonym="wren"
        ),
        "part of a real name": PersonDetails(
            role="child", real_name="Tom Other", pseudonym="Imogen"
        ),
        "nickname": PersonDetails(role="child", real_name="Tom Other", pseudonym="Immy Smith"),
        "real name": PersonDetails(role="child", real_name=" ", pseudonym="Lark"),
        "after today": PersonDetails(
            role="child", real_name="Tom Other", date_of_birth=TODAY + DAYS
        ),
        "before the date of birth": PersonDetails(
            role="child",
            real_name="Tom Other",
            date_of_birth=TODAY - 2 * DAYS,
            date_of_death=TODAY - 3 * DAYS,
        ),
        "not a role": PersonDetails(role="suspect", real_name="Tom Other"),
    }
    for message, details in refused.items():
        with pytest.raises(IdentifierError, match=message):
            desk.add_person(reference, details)
    # AND a pseudonym sharing one's own name is refused too, while an unrelated one is taken
    with pytest.raises(IdentifierError, match="part of a real name"):
        desk.add_person(
            reference, PersonDetails(role="child", real_name="Tom Other", pseudonym="Tom")
        )
    desk.add_person(reference, PersonDetails(role="child", real_name="Tom Other", pseudonym="Lark"))
    assert [p.pseudonym for p in desk.people(reference)] == ["Wren", "Lark"]


def test_an_edit_made_on_an_old_version_is_refused_not_saved_over(desk: Desk) -> None:
    reference = new_review(desk)
    person = desk.add_person(reference, VICTIM)
    mine = desk.reveal_person(reference, person, why="to edit")
    theirs = desk.reveal_person(reference, person, why="to edit")
    # GIVEN another user saves first
    changed = desk.update_person(
        reference,
        person,
        seen_version=theirs.version,
        details=PersonDetails(**{**vars(VICTIM), "address": "2 Elsewhere"}),
    )
    assert changed == ["address"]
    # WHEN I save my edit of the version I read THEN it is refused, theirs stands
    with pytest.raises(ChangedElsewhere, match="Someone else changed this person"):
        desk.update_person(
            reference,
            person,
            seen_version=mine.version,
            details=PersonDetails(**{**vars(VICTIM), "pseudonym": "Finch"}),
        )
    now = desk.reveal_person(reference, person, why="check").details
    assert now.address == "2 Elsewhere" and now.pseudonym == "Wren"
    # AND the audit says which fields changed and that identifiers did, not their values
    change = next(e for e in desk.audit_trail(reference) if e.action == "Person changed")
    assert "address" in change.detail and "Elsewhere" not in change.detail


def test_a_change_made_on_an_out_of_date_review_is_refused(desk: Desk) -> None:
    reference = new_review(desk)
    seen = desk.overview(reference).last_change
    assert seen > 0
    # GIVEN a reveal since (a read, not a change) THEN a change from the view still goes through
    person = desk.add_person(reference, VICTIM)  # a change: the token moves on
    seen = desk.overview(reference).last_change
    desk.reveal_person(reference, person, why="check")
    desk.lifecycle(seen_change=seen).record_decision(
        reference,
        decision="hold",
        decided_on=TODAY - 2 * DAYS,
        reasons="Criteria met",
        decided_by="CSP Chair",
    )
    # WHEN someone else records something after I read the review
    stale = seen
    desk.lifecycle(actor="colleague").record_event(reference, "home_office_notified", TODAY - DAYS)
    # THEN my change is refused, naming who changed it, and nothing of mine is saved
    with pytest.raises(ChangedElsewhere, match="by colleague at"):
        desk.lifecycle(seen_change=stale).pause(
            reference, on=TODAY, reason_kind="trial", reason="Trial", approved_by="Chair"
        )
    assert desk.overview(reference).summary.status == "open"
    # AND a change made from a fresh view goes through
    fresh = desk.overview(reference).last_change
    desk.lifecycle(seen_change=fresh).pause(
        reference, on=TODAY, reason_kind="trial", reason="Trial", approved_by="Chair"
    )
    assert desk.overview(reference).summary.status == "paused"


def test_the_record_lists_say_everything_in_words(desk: Desk) -> None:
    reference = new_review(desk)
    life = desk.lifecycle()
    life.record_decision(
        reference,
        decision="hold",
        decided_on=TODAY - 9 * DAYS,
        reasons="Criteria met",
        decided_by="CSP Chair",
    )
    life.appoint_chair(
        reference,
        name="Pat Chairperson",
        appointed_on=TODAY - 8 * DAYS,
        independence_statement="No prior involvement",
    )
    member = life.add_panel_member(
        reference, name="Sam Member", agency="Fictional Police", declared_no_involvement=False
    )
    meeting = life.schedule_meeting(reference, kind="panel", scheduled_for=TODAY - 5 * DAYS)
    life.record_meeting_held(
        reference, meeting, held_on=TODAY - 5 * DAYS, attendance={member: "apologies"}
    )
    late = life.issue_information_request(
        reference,
        agency="Fictional Police",
        kind="imr",
        requested_on=TODAY - 7 * DAYS,
        due_on=TODAY - DAYS,
    )
    life.log_family_contact(
        reference,
        contacted_on=TODAY - 4 * DAYS,
        summary="Letter sent",
        leaflet_given=True,
        advocate="AAFDA",
    )
    trial = life.log_proceeding(reference, kind="criminal_trial", status="Listed")
    panel = desk.panel(reference)
    assert [(m.name, m.role) for m in panel] == [
        ("Pat Chairperson", "Chair"),
        ("Sam Member", "Member"),
    ]
    assert panel[1].declaration.startswith("Not yet declared") and panel[1].current
    (held,) = desk.meetings(reference)
    assert held.held.startswith("Held on") and held.attendance == "apologies: 1" and not held.open
    (request,) = desk.requests(reference)
    assert request.status == "Overdue by 1 day" and request.what.startswith("Individual")
    life.receive_information(reference, late, received_on=TODAY, nil_return=True)
    assert desk.requests(reference)[0].status.startswith("Nil return on")
    (contact,) = desk.family_contacts(reference)
    assert contact.support == "Home Office leaflet given; advocate: AAFDA"
    life.conclude_proceeding(reference, trial, on=TODAY)
    (proceeding,) = desk.proceedings(reference)
    assert proceeding.kind == "Criminal trial" and proceeding.status.startswith("Concluded on")
    actions = [e.action for e in desk.audit_trail(reference)]
    assert actions[0] == "Proceeding concluded" and actions[-1] == "Registered"
    with pytest.raises(LookupError):
        desk.panel("DHR-1999-001")
    with pytest.raises(LifecycleError):
        life.conclude_proceeding(reference, 999999, on=TODAY)


def test_joined_names_and_names_added_later_are_checked_against_pseudonyms(desk: Desk) -> None:
    reference = new_review(desk)
    desk.add_person(
        reference, PersonDetails(role="victim", real_name="Mary-Jane O'Brien", pseudonym="Wren")
    )
    for pseudonym in ("Jane", "Brien", "Mary", "mary-jane"):
        with pytest.raises(IdentifierError, match="part of a real name"):
            desk.add_person(
                reference, PersonDetails(role="child", real_name="Tom Other", pseudonym=pseudonym)
            )
    # AND a person whose real name or nickname is someone's pseudonym is refused too
    with pytest.raises(IdentifierError, match="shares a word with the pseudonym 'Wren'"):
        desk.add_person(reference, PersonDetails(role="friend", real_name="Kit Wren"))
    with pytest.raises(IdentifierError, match="pseudonym 'Wren'"):
        desk.add_person(
            reference, PersonDetails(role="friend", real_name="Kit Other", nicknames="Wrenny\nWren")
        )
    assert len(desk.people(reference)) == 1


def test_a_change_committed_while_the_view_is_read_makes_the_view_out_of_date(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dhr_desk.workflows.review_overview as overview_module

    reference = new_review(desk)
    real = overview_module.collect_records
    done: list[bool] = []

    def colleague_commits_midway(*args: object, **kwargs: object) -> object:
        if not done:  # a colleague's change lands between the token and the records
            done.append(True)
            desk.lifecycle(actor="colleague").log_proceeding(
                reference, kind="inquest", status="Opened"
            )
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(overview_module, "collect_records", colleague_commits_midway)
    seen = desk.overview(reference).last_change
    monkeypatch.setattr(overview_module, "collect_records", real)
    # THEN a change from that view is refused, whatever the view happened to show
    with pytest.raises(ChangedElsewhere, match="by colleague"):
        desk.lifecycle(seen_change=seen).pause(
            reference, on=TODAY, reason_kind="trial", reason="Trial", approved_by="Chair"
        )
