"""The publication pack on a real store (SQLite and PostgreSQL), from the demo DHR ready to
publish: refused item by item (no approved versions, no Home Office letter, a criminal trial
still running, the family not told, a report still marked OFFICIAL-SENSITIVE, a real name in
the summary), then made, marked OFFICIAL, and verified from its manifest with each file read
back; the publication recorded with its embargo and address, starting the takedown review and
the learning briefing (a review on the 2016.1 template moved to 2016.2 to get it)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader
from sqlalchemy import select

from dhr_desk.exports.pack_archive import verify_pack
from dhr_desk.models import AuditEvent
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.demo_data import load_demo
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.lifecycle import LifecycleError
from dhr_desk.workflows.working_calendar import add_months, en_gb

TODAY = dt.date.today()


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    load_demo(any_store.sessions)
    return Desk(any_store, secrets)


@pytest.fixture
def reference(desk: Desk) -> str:
    """The demo DHR ready to publish (approved by the Home Office, nothing published)."""
    return next(r.reference for r in desk.register()[0] if r.stage == "ready_to_publish")


def word_file(folder: Path, name: str, body: str, marking: str = "OFFICIAL") -> Path:
    document = WordDocument()
    document.sections[0].header.paragraphs[0].text = marking
    document.add_paragraph(body)
    path = folder / name
    document.save(str(path))
    return path


def add(desk: Desk, reference: str, path: Path, kind: str, status: str) -> int:
    titles = {"overview_report": "Overview report", "executive_summary": "Executive summary",
              "ho_feedback_letter": "Home Office feedback letter"}  # fmt: skip
    return desk.add_document_version(reference, path, title=titles[kind], kind=kind,
                                     status=status, marking="official")  # fmt: skip


def items(outcome: object) -> dict[str, tuple[bool, str]]:
    return {i.key: (i.passed, i.reason) for i in outcome.checklist}  # type: ignore[attr-defined]


def test_the_publication_pack_is_refused_item_by_item_then_made_marked_official(
    desk: Desk, reference: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    life = desk.lifecycle()

    def check(
        overview: int | None = None, summary: int | None = None
    ) -> dict[str, tuple[bool, str]]:
        outcome = desk.publication_pack(reference, overview_version=overview,
                                        summary_version=summary, out_dir=out)  # fmt: skip
        assert outcome.path is None and list(out.iterdir()) == []  # refused: nothing written
        return items(outcome)

    # GIVEN nothing approved in the register, no letter, the family not told
    found = check()
    assert found["approved"][0] is True  # the demo's letter approved the report
    assert not found["overview_report_chosen"][0] and not found["letter"][0]
    assert found["family_told"] == (False, found["family_told"][1])
    # AND the overview report still marked OFFICIAL-SENSITIVE, a summary naming the victim,
    # a trial still running that blocks publication
    victim = desk.reveal_person(reference, desk.people(reference)[0].person_id, why="test")
    forename = victim.details.real_name.split()[0]
    sensitive = word_file(tmp_path, "or.docx", "About 'Aspen'.", "OFFICIAL-SENSITIVE")
    draft = add(desk, reference, sensitive, "overview_report", "approved")
    final = add(desk, reference, word_file(tmp_path, "final.docx", "The review of 'Aspen'."),
                "overview_report", "final")  # fmt: skip
    summary = add(desk, reference, word_file(tmp_path, "es.docx", f"Known as {forename}."),
                  "executive_summary", "approved")  # fmt: skip
    add(desk, reference, word_file(tmp_path, "letter.docx", "The Panel approves the report."),
        "ho_feedback_letter", "final")  # fmt: skip
    trial = life.log_proceeding(reference, kind="criminal_trial", status="Trial listed",
                                blocks_publication=True)  # fmt: skip
    found = check(draft, summary)
    assert found["marking"][0] is False
    assert found["marking"][1].startswith("01-overview-report.docx still says OFFICIAL-SENSITIVE")
    assert found["anonymisation"][0] is False and "es.docx" in found["anonymisation"][1]
    assert found["proceedings"] == (False, "Still running: Criminal trial. Publish once each has "
                                           "concluded (Proceedings tab).")  # fmt: skip
    assert "v2 is final, not approved" in check(final, summary)["overview_report_chosen"][1]
    # WHEN each is put right
    desk.set_document_status(reference, final, "approved")
    summary = add(desk, reference, word_file(tmp_path, "es2.docx", "Summary of 'Aspen'."),
                  "executive_summary", "approved")  # fmt: skip
    life.conclude_proceeding(reference, trial, on=ago(3))
    desk.record_publication(reference, family_told_on=ago(1), embargo_until=TODAY,
                            url="https://example.invalid/dhr/aspen")  # fmt: skip
    assert desk.final_versions(reference, "publication") == (final, summary)
    made = desk.publication_pack(reference, overview_version=final, summary_version=summary,
                                 out_dir=out)  # fmt: skip
    # THEN the pack is made, marked OFFICIAL, and verifies
    assert made.passed and made.path is not None, items(made)
    assert made.path.name == f"{reference}-publication-pack-{TODAY.isoformat()}-OFFICIAL.zip"
    archive = zipfile.ZipFile(made.path)
    assert archive.comment == b"OFFICIAL"
    assert sorted(archive.namelist()) == [
        "01-overview-report.docx", "02-executive-summary.docx", "03-action-plan.docx",
        "03-action-plan.pdf", "03-action-plan.xlsx", "04-home-office-letter.docx",
        "manifest.json",
    ]  # fmt: skip
    listing = json.loads(archive.read("manifest.json"))
    assert listing["marking"] == "OFFICIAL" and listing["pack"] == "publication"
    assert listing["embargo_until"] == TODAY.isoformat()
    assert listing["publication_url"] == "https://example.invalid/dhr/aspen"
    assert all(item["passed"] for item in listing["checklist"])
    assert verify_pack(made.path).ok
    plan = PdfReader(io.BytesIO(archive.read("03-action-plan.pdf"))).pages[0].extract_text()
    assert "OFFICIAL" in plan and "OFFICIAL-SENSITIVE" not in plan
    plan_docx = WordDocument(io.BytesIO(archive.read("03-action-plan.docx")))
    assert plan_docx.sections[0].header.paragraphs[0].text == "OFFICIAL"
    letter = WordDocument(io.BytesIO(archive.read("04-home-office-letter.docx")))
    assert letter.paragraphs[0].text == "The Panel approves the report."
    with desk._store.sessions() as session:
        made_events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "publication pack made")
        ).all()
    assert len(made_events) == 1 and made.path.name in (made_events[0].detail or "")


def test_recording_the_publication_starts_the_takedown_review_and_the_learning_briefing(
    desk: Desk, reference: str
) -> None:
    life = desk.lifecycle()
    # GIVEN the review on the 2016.1 template (which has no learning briefing)
    life.migrate_template(reference, "2016.1", why="as a review registered before 2016.2")
    desk.record_publication(reference, embargo_until=ago(2))
    # THEN an address that is not one, or a date before the embargo, is refused
    with pytest.raises(LifecycleError, match="is not a web address"):
        desk.record_publication(reference, url="www dot example")
    with pytest.raises(LifecycleError, match="before the embargo ends"):
        desk.record_publication(reference, published_on=ago(3))
    with pytest.raises(LifecycleError, match="before the embargo ends"):
        life.record_event(reference, "published", ago(3))
    record = desk.publication_record(reference)
    assert record.takedown_review == record.learning_briefing == "starts at publication"
    # WHEN it is published
    desk.record_publication(reference, published_on=ago(1), url="https://example.invalid/r")
    record = desk.publication_record(reference)
    # THEN the takedown review is due 12 months on, the learning briefing 3 months on, and the
    # review moved to the template that has the briefing (audited)
    assert record.published_on == ago(1) and record.url == "https://example.invalid/r"
    assert record.takedown_review == f"due by {en_gb(add_months(ago(1), 12))}"
    assert record.learning_briefing == f"due by {en_gb(add_months(ago(1), 3))}"
    assert desk.overview(reference).summary.template == "dhr 2016.2"
    latest = desk.audit_trail(reference)[0]
    assert latest.action == "Publication recorded" and "dhr 2016.2" in latest.detail
    # AND sharing the learning meets the briefing
    life.record_event(reference, "learning_shared", TODAY)
    assert desk.publication_record(reference).learning_briefing == f"done on {en_gb(TODAY)}"
    timeline = [e.text for e in desk.timeline(reference)]
    assert "Deadline: Learning briefing after publication" in timeline


def test_an_embargo_after_the_publication_date_is_refused(desk: Desk, reference: str) -> None:
    desk.record_publication(reference, published_on=ago(2))
    with pytest.raises(LifecycleError, match="before an embargo ending"):
        desk.record_publication(reference, embargo_until=ago(1))
    assert desk.publication_record(reference).embargo_until is None
