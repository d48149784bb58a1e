"""Chasing, rule by rule (GIVEN an action and its history, WHEN a run happens on a day, THEN who
is sent what): the reminder window, the due day, each escalation step, the cooling period, an
owner's update since the last chase, finished actions, weekends and bank holidays on a due day;
one digest per recipient across reviews; a second run on the same day producing nothing; the
.eml parsed back with the standard library and the PDF letter read back with pypdf; and the bad
input of the issue (no email address, an owner who has left, a folder that cannot be written)."""

from __future__ import annotations

import datetime as dt
import email
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from dhr_desk.models import Action, ChaseEvent
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.action_plan import ActionDetails, Progress, RecommendationDetails
from dhr_desk.workflows.chasing import ChasePlan, ChasingError, Step
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.lifecycle import NewDhrNotification
from dhr_desk.workflows.settings_registry import SettingError

WEDNESDAY = dt.date(2026, 11, 25)  # a working day; the tests run on fixed dates
BEGAN = dt.date(2026, 1, 5)
TRUST = "Fictional Health Trust"


@pytest.fixture
def desk(embedded_store: Store, secrets: SecretStore) -> Desk:
    desk = Desk(embedded_store, secrets)
    desk.add_agency(name=TRUST, kind="health")
    desk.add_contact(TRUST, name="Owner A (fictional)", email="owner.a@example.org")
    desk.add_contact(TRUST, name="Owner B (fictional)", email="owner.b@example.org")
    desk.add_contact(TRUST, name="Lead (fictional)", email="lead@example.org", agency_lead=True)
    desk.add_contact(TRUST, name="Board member (fictional)", board_representative=True)
    desk.change_setting("chasing.policy", {"csp_chair_name": "CSP Chair (fictional)",
                                           "csp_chair_email": "chair@example.org"})  # fmt: skip
    return desk


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The folder the digests go to (tmp_path also holds the data folder)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def contact(desk: Desk, name: str) -> int:
    return next(c.id for c in desk.contacts(TRUST) if c.name == name)


def review(desk: Desk, title: str = "'Hazel'") -> str:
    made = desk.lifecycle().register_dhr(
        NewDhrNotification(date_notified=BEGAN, referrer="Police", title=title)
    )
    return made.reference


def action_due(
    desk: Desk,
    due: dt.date | None,
    *,
    reference: str | None = None,
    owner: str = "Owner A (fictional)",
) -> int:
    reference = reference or review(desk)
    rid = desk.add_recommendation(
        reference,
        RecommendationDetails(text="Improve triage.", level="single_agency", scope="local"),
    )
    return desk.add_action(
        reference, rid,
        ActionDetails(agency=TRUST, description="Add routine enquiry to triage.", target_date=due,
                      owner_contact_id=contact(desk, owner)),
    )  # fmt: skip


def sent(plan: ChasePlan) -> dict[str, list[tuple[str, Step]]]:
    """Who gets which items, at which step."""
    return {d.recipient.name: [(i.number, i.step) for i in d.items] for d in plan.digests}


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# --- the steps ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (WEDNESDAY + days(15), {}),  # a day outside the reminder window: nothing
        (WEDNESDAY + days(14), {"Owner A (fictional)": [("1.1", Step.REMINDER)]}),
        (WEDNESDAY, {"Owner A (fictional)": [("1.1", Step.DUE)]}),  # the day it falls due
        (WEDNESDAY - days(13), {"Owner A (fictional)": [("1.1", Step.DUE)]}),
        (WEDNESDAY - days(14), {"Lead (fictional)": [("1.1", Step.LEAD)]}),
        (WEDNESDAY - days(27), {"Lead (fictional)": [("1.1", Step.LEAD)]}),
        (WEDNESDAY - days(28), {"Board member (fictional)": [("1.1", Step.BOARD)],
                                "CSP Chair (fictional)": [("1.1", Step.BOARD)]}),
    ],
)  # fmt: skip
def test_each_step_of_the_ladder_at_its_boundary(
    desk: Desk, target: dt.date, expected: dict[str, list[tuple[str, Step]]]
) -> None:
    action_due(desk, target)
    assert sent(desk.chase_plan(WEDNESDAY)) == expected


def test_an_action_with_no_target_date_or_finished_is_never_chased(desk: Desk) -> None:
    reference = review(desk)
    action_due(desk, None, reference=reference)
    for status, extra in (
        ("complete", {"outcome": "Done"}),
        ("closed_by_csp", {"closure_reason": "Withdrawn"}),
    ):
        aid = action_due(desk, WEDNESDAY - days(40), reference=reference)
        entry = next(
            a for r in desk.action_plan(reference) for a in r.actions if a.action_id == aid
        )
        desk.record_progress(
            reference,
            aid,
            seen_version=entry.version,
            progress=Progress(status, dt.date.today(), **extra),
        )  # type: ignore[arg-type]
    assert desk.chase_plan(WEDNESDAY).digests == ()  # fmt: skip


# --- cooling, updates, idempotency -------------------------------------------------------


def test_the_same_step_waits_out_the_cooling_period(desk: Desk, out: Path) -> None:
    action_due(desk, WEDNESDAY)  # due today: the owner is chased
    assert desk.chase(out, WEDNESDAY).logged == 1
    # WHEN run again 6 days later (a Tuesday) THEN the same step is still cooling
    assert sent(desk.chase_plan(WEDNESDAY + days(6))) == {}
    # WHEN 7 days later THEN chased again at the same step
    assert sent(desk.chase_plan(WEDNESDAY + days(7))) == {
        "Owner A (fictional)": [("1.1", Step.DUE)]
    }


def test_escalation_goes_out_within_the_cooling_period_of_a_lower_step(
    desk: Desk, out: Path
) -> None:
    action_due(desk, WEDNESDAY - days(13))  # DUE today …
    desk.chase(out, WEDNESDAY)
    # … and LEAD tomorrow: a higher step is not held back by the chase a day before
    assert sent(desk.chase_plan(WEDNESDAY + days(1))) == {"Lead (fictional)": [("1.1", Step.LEAD)]}


def test_an_owner_update_since_the_last_chase_holds_chasing_for_the_cooling_period(
    desk: Desk, embedded_store: Store, out: Path
) -> None:
    aid = action_due(desk, WEDNESDAY - days(3))
    desk.chase(out, WEDNESDAY)
    # GIVEN the owner updated the action two days after the chase
    with embedded_store.sessions.begin() as session:
        session.get(Action, aid).progress_updated_at = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)  # type: ignore[union-attr]
    # THEN a week after the chase it is not chased (the update is 5 days old) …
    assert sent(desk.chase_plan(WEDNESDAY + days(7))) == {}
    # … and a week after the update it is chased again
    assert sent(desk.chase_plan(dt.date(2026, 12, 4))) == {
        "Owner A (fictional)": [("1.1", Step.DUE)]
    }


def test_running_twice_on_one_day_produces_nothing_new(desk: Desk, out: Path) -> None:
    action_due(desk, WEDNESDAY)
    first = desk.chase(out, WEDNESDAY)
    files = sorted(p.name for p in out.iterdir())
    second = desk.chase(out, WEDNESDAY)
    assert first.logged == 1 and second.logged == 0 and second.plan.digests == ()
    assert sorted(p.name for p in out.iterdir()) == files


# --- weekends and bank holidays ----------------------------------------------------------


def test_a_due_day_on_a_weekend_is_chased_on_the_next_working_day(desk: Desk) -> None:
    saturday = dt.date(2026, 11, 28)
    action_due(desk, saturday)
    assert desk.chase_plan(saturday).digests == ()
    assert desk.chase_plan(saturday + days(1)).digests == ()  # Sunday
    [digest] = desk.chase_plan(saturday + days(2)).digests  # Monday
    assert [(i.step, i.days_overdue) for i in digest.items] == [(Step.DUE, 2)]


def test_a_due_day_on_a_bank_holiday_is_chased_after_the_holidays(desk: Desk) -> None:
    christmas = dt.date(2026, 12, 25)  # Friday; Boxing Day (Saturday) is observed on the 28th
    action_due(desk, christmas)
    for day in (christmas, dt.date(2026, 12, 26), dt.date(2026, 12, 27), dt.date(2026, 12, 28)):
        assert desk.chase_plan(day).digests == (), day
    [digest] = desk.chase_plan(dt.date(2026, 12, 29)).digests
    assert digest.items[0].days_overdue == 4


# --- digests -----------------------------------------------------------------------------


def test_one_digest_per_recipient_across_reviews_and_nothing_for_those_with_nothing_due(
    desk: Desk, out: Path
) -> None:
    first, second = review(desk, "'Hazel'"), review(desk, "'Rowan'")
    action_due(desk, WEDNESDAY, reference=first)
    action_due(desk, WEDNESDAY - days(2), reference=second)
    action_due(desk, WEDNESDAY + days(60), reference=second, owner="Owner B (fictional)")
    run = desk.chase(out, WEDNESDAY)
    [digest] = run.plan.digests  # Owner B has nothing due: no digest at all
    assert digest.recipient.name == "Owner A (fictional)"
    assert [(i.reference, i.number) for i in digest.items] == [(second, "1.1"), (first, "1.1")]
    eml, pdf = run.files[digest.recipient.key]
    assert (eml.suffix, pdf.suffix) == (".eml", ".pdf") and eml.stat().st_mode & 0o077 == 0
    # the .eml, parsed back: a draft marked OFFICIAL-SENSITIVE with both items in both parts
    message = email.message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert isinstance(message, EmailMessage)
    assert message["Subject"].startswith("OFFICIAL-SENSITIVE: ")
    [to] = message["To"].addresses
    assert message["X-Unsent"] == "1"
    assert (to.display_name, to.addr_spec) == ("Owner A (fictional)", "owner.a@example.org")
    plain = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for text in (plain, html):
        assert first in text and second in text and "Add routine enquiry to triage." in text
    # the PDF letter, read back: marked, both reviews listed
    letter = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "OFFICIAL-SENSITIVE" in letter and first in letter and second in letter
    assert "2 days overdue" in letter
    # every chase logged on the action: step, recipient, date, files
    with desk._store.sessions() as session:
        events = session.scalars(select(ChaseEvent)).all()
    assert {(e.recipient_email, e.escalation_level, e.channel.value) for e in events} == {
        ("owner.a@example.org", Step.DUE, "eml_draft")
    }
    assert all(e.note and eml.name in e.note and pdf.name in e.note for e in events)
    assert {e.sent_at.date() for e in events} == {WEDNESDAY}


def test_a_letter_over_several_pages_repeats_the_table_header_and_numbers_pages_n_of_m() -> None:
    from io import BytesIO

    from dhr_desk.exports.chase_digest import digest_pdf
    from dhr_desk.workflows.chasing import ChaseItem, Digest, Recipient

    items = tuple(
        ChaseItem(n, f"DHR-2026-{n:03d}", f"{n}.1", "Add routine enquiry to triage, and record "
                  "the answer on the patient record.", TRUST, "Owner A (fictional)",
                  WEDNESDAY - days(3), 3, Step.DUE, "In progress")
        for n in range(1, 61)
    )  # fmt: skip
    recipient = Recipient("email:owner.a@example.org", "Owner A (fictional)",
                          "owner.a@example.org", "Action owner", TRUST)  # fmt: skip
    sender = {"organisation": "Fictional CSP", "address": "1 High Street\nNorwich"}
    reader = PdfReader(BytesIO(digest_pdf(Digest(recipient, items), sender, WEDNESDAY)))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):  # marked in header and footer, numbered
        assert text.count("OFFICIAL-SENSITIVE") == 2 and f"Page {number} of {len(pages)}" in text
    with_items = [text for text in pages if "DHR-2026-" in text]
    assert len(with_items) >= 3  # the table runs over pages: its header row on each of them
    assert all("Review Action Agency What is due When Status" in text for text in with_items)
    letter = "\n".join(pages)
    assert all(item.reference in letter for item in items)  # every item, whatever the order
    assert "Fictional CSP" in pages[0] and "3 days overdue" in letter
    assert reader.metadata is not None
    assert (reader.metadata.title, reader.metadata.author) == ("Review actions due", "dhr-desk")


# --- bad input ---------------------------------------------------------------------------


def test_a_recipient_without_email_gets_a_letter_only_and_the_preview_says_so(
    desk: Desk, out: Path
) -> None:
    action_due(desk, WEDNESDAY - days(30))  # BOARD: the board member has no email address
    plan = desk.chase_plan(WEDNESDAY)
    board = next(d for d in plan.digests if d.recipient.name == "Board member (fictional)")
    assert board.letter_only
    run = desk.chase(out, WEDNESDAY)
    assert [p.suffix for p in run.files[board.recipient.key]] == [".pdf"]


def test_an_owner_who_has_left_is_flagged_for_reassignment_and_the_lead_chased(
    desk: Desk,
) -> None:
    action_due(desk, WEDNESDAY)
    desk.retire_contact(contact(desk, "Owner A (fictional)"), reason="Left (fictional)")
    plan = desk.chase_plan(WEDNESDAY)
    assert sent(plan) == {"Lead (fictional)": [("1.1", Step.DUE)]}
    assert any("owner has left: reassign it" in note for note in plan.notes)


def test_a_folder_that_cannot_be_written_is_refused_and_nothing_is_logged(
    desk: Desk, embedded_store: Store, out: Path
) -> None:
    action_due(desk, WEDNESDAY)
    with pytest.raises(ChasingError, match="is not a folder"):
        desk.chase(out / "missing", WEDNESDAY)
    unwritable = Path("/proc")  # a folder no one can create files in, root included
    if not unwritable.is_dir():
        pytest.skip("no /proc on this system")
    with pytest.raises(ChasingError, match="Cannot write in /proc"):
        desk.chase(unwritable, WEDNESDAY)
    with embedded_store.sessions() as session:
        assert session.scalar(select(func.count(ChaseEvent.id))) == 0
    assert desk.chase_plan(WEDNESDAY).digests  # still due: the next run will produce it


def test_a_dry_run_writes_and_logs_nothing(desk: Desk, out: Path) -> None:
    from dhr_desk.workflows.chase_run import run_chase

    action_due(desk, WEDNESDAY)
    run = run_chase(desk._store.sessions, "tester", WEDNESDAY, out, dry_run=True)
    assert sent(run.plan) == {"Owner A (fictional)": [("1.1", Step.DUE)]} and run.files == {}
    assert list(out.iterdir()) == []
    assert desk.chase(out, WEDNESDAY).logged == 1  # still due: nothing was logged


@pytest.mark.parametrize(
    ("policy", "says"),
    [
        ({"cooling_days": 0}, "cooling period is at least 1 day"),
        ({"escalate_to_board_days_overdue": 10}, "board comes after"),
        ({"reminder_days_before": -1}, "0 to 365"),
        ({"csp_chair_email": "chair"}, "not an email address"),
        ({"chase_weekly": True}, "has these fields"),
    ],
)
def test_a_chasing_policy_that_makes_no_sense_is_refused(
    desk: Desk, policy: dict[str, object], says: str
) -> None:
    with pytest.raises(SettingError, match=says):
        desk.change_setting("chasing.policy", policy)


def test_a_failure_while_logging_leaves_no_file_and_logs_nothing(
    desk: Desk, embedded_store: Store, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dhr_desk.workflows import chase_run

    action_due(desk, WEDNESDAY)

    def fail(*_: object, **__: object) -> int:
        raise RuntimeError("the database went away (simulated)")

    monkeypatch.setattr(chase_run, "record_chases", fail)
    with pytest.raises(RuntimeError):
        desk.chase(out, WEDNESDAY)
    assert list(out.iterdir()) == []  # neither the digests nor their temporary files
    with embedded_store.sessions() as session:
        assert session.scalar(select(func.count(ChaseEvent.id))) == 0
