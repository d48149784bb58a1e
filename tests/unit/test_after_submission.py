"""After the submission pack, on a real store (SQLite and PostgreSQL), from the demo DHR at
sign-off: the submission date and the Domestic Abuse Commissioner's copy with its deadline from
the template, the Secretary of State's copy when Settings lists them, the Home Office letter
recorded with its file in one transaction (a bad file leaves no outcome behind), each area for
final development holding publication back until done, and a resubmission cycle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.demo_data import load_demo
from dhr_desk.workflows.desk import Desk, DeskError
from dhr_desk.workflows.lifecycle import LifecycleError
from dhr_desk.workflows.working_calendar import en_gb
from tests.unit.test_submission_pack import add_final

TODAY = dt.date.today()


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    load_demo(any_store.sessions)
    return Desk(any_store, secrets)


@pytest.fixture
def submitted(desk: Desk, tmp_path: Path) -> str:
    """The demo DHR at sign-off, its pack made and the submission recorded 20 days ago."""
    reference = next(r.reference for r in desk.register()[0] if r.stage == "sign_off")
    life = desk.lifecycle()
    life.record_event(reference, "signed_off", ago(30))
    desk.record_covering_facts(reference, delay_reasons="The trial.", feedback_contact="dhr@x.org")
    overview = add_final(desk, reference, tmp_path, "overview_report", "About 'Aspen'.")
    summary = add_final(desk, reference, tmp_path, "executive_summary", "Summary: 'Aspen'.")
    made = desk.submission_pack(reference, overview_version=overview, summary_version=summary,
                                out_dir=tmp_path / "packs")  # fmt: skip
    assert made.path is not None
    life.move(reference, "submitted")
    life.record_event(reference, "submitted", ago(20))
    return reference


def letter(folder: Path, name: str = "ho-letter.pdf", body: bytes = b"%PDF-1.4\n%fake\n") -> Path:
    path = folder / name
    path.write_bytes(body)
    return path


def test_the_submission_and_the_commissioners_copy_with_its_deadline(
    desk: Desk, submitted: str
) -> None:
    record = desk.after_submission(submitted)
    # THEN the submission, the pack made and the copy's deadline (10 working days) are shown
    assert record.submitted_on == ago(20) and record.first_submitted_on == ago(20)
    assert record.last_pack.startswith(f"{submitted}-submission-pack-")
    [copy] = record.copies  # the Secretary of State is not listed in Settings by default
    assert copy.to == "Domestic Abuse Commissioner" and copy.sent_on is None
    assert copy.due is not None and ago(20) + dt.timedelta(days=13) <= copy.due
    late = copy.due < TODAY
    assert copy.status == (
        f"overdue since {en_gb(copy.due)}" if late else f"due by {en_gb(copy.due)}"
    )
    # WHEN the copy is recorded THEN it shows as sent
    desk.lifecycle().record_event(submitted, "da_commissioner_copy_sent", ago(15))
    assert desk.after_submission(submitted).copies[0].status == f"sent on {en_gb(ago(15))}"


def test_the_secretary_of_states_copy_when_settings_list_them(desk: Desk, submitted: str) -> None:
    desk.change_setting("dhr.final_report_recipients", [
        "Home Office Quality Assurance Panel", "Domestic Abuse Commissioner",
        "Secretary of State"])  # fmt: skip
    copies = {c.to: c for c in desk.after_submission(submitted).copies}
    assert copies["Secretary of State"].sent_on is None
    with pytest.raises(DeskError, match="before the report was submitted"):
        desk.record_secretary_of_state_copy(submitted, ago(25))
    with pytest.raises(DeskError, match="after today"):
        desk.record_secretary_of_state_copy(submitted, TODAY + dt.timedelta(days=1))
    desk.record_secretary_of_state_copy(submitted, ago(10))
    copies = {c.to: c for c in desk.after_submission(submitted).copies}
    assert copies["Secretary of State"].status == f"sent on {en_gb(ago(10))}"


def test_the_letter_and_its_areas_hold_publication_until_each_is_done(
    desk: Desk, submitted: str, tmp_path: Path
) -> None:
    life = desk.lifecycle()
    life.move(submitted, "quality_assurance")
    # GIVEN "approved subject to amendments" with no area listed THEN refused, nothing kept
    with pytest.raises(LifecycleError, match="List each area for final development"):
        desk.record_feedback_letter(submitted, outcome="approved_subject_to_amendments",
                                    received_on=ago(5), letter=letter(tmp_path))  # fmt: skip
    # AND a "PDF" that is not one is refused with the outcome: both or neither are kept
    fake = letter(tmp_path, "fake.pdf", b"not a pdf at all")
    with pytest.raises(LifecycleError, match="is not a PDF file"):
        desk.record_feedback_letter(submitted, outcome="approved_subject_to_amendments",
                                    received_on=ago(5), letter=fake,
                                    areas=["Add the family's tribute."])  # fmt: skip
    record = desk.after_submission(submitted)
    assert record.qa_outcome == "" and record.areas == () and record.feedback_letters == ()
    # WHEN the letter is recorded with two areas
    desk.record_feedback_letter(
        submitted, outcome="approved_subject_to_amendments", received_on=ago(5),
        letter=letter(tmp_path), areas=["Add the family's tribute.", "", "Explain the delay."],
    )  # fmt: skip
    record = desk.after_submission(submitted)
    assert record.qa_outcome == "Approved subject to amendments"
    assert [a.description for a in record.areas] == ["Add the family's tribute.",
                                                     "Explain the delay."]  # fmt: skip
    assert record.feedback_letters == ("Home Office feedback letter v1 (ho-letter.pdf, final)",)
    [kept] = [v for v in desk.documents(submitted) if v.title == "Home Office feedback letter"]
    assert kept.marking == "OFFICIAL"  # published with the report
    # THEN publication waits for the areas
    with pytest.raises(LifecycleError, match="Finish every area for final development"):
        life.move(submitted, "ready_to_publish")
    for area in record.areas:
        desk.area_done(submitted, area.amendment_id, done_on=ago(1), by="Chair (fictional)")
    assert desk.after_submission(submitted).open_areas == 0
    life.move(submitted, "ready_to_publish")


def test_resubmission_required_sends_the_review_back_and_keeps_the_first_date(
    desk: Desk, submitted: str, tmp_path: Path
) -> None:
    life = desk.lifecycle()
    life.move(submitted, "quality_assurance")
    desk.record_feedback_letter(submitted, outcome="resubmission_required", received_on=ago(10),
                                letter=letter(tmp_path))  # fmt: skip
    life.move(submitted, "submitted")  # the letter and the submission date are set aside
    life.record_event(submitted, "submitted", ago(2))
    record = desk.after_submission(submitted)
    assert record.resubmitted and record.first_submitted_on == ago(20)
    assert record.submitted_on == ago(2) and record.qa_outcome == ""
    assert len(record.feedback_letters) == 1  # the first round's letter is kept
