"""The submission pack wizard driven through its real widgets on the demo DHR at sign-off: the
checklist first fails (no sign-off, the delay unexplained) and the pack cannot be made; once the
sign-off is recorded and the reasons typed on the letter page, every item passes and Make the
pack writes the zip, which verifies. The metadata and checklist pages are rendered to PNG."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document as WordDocument
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton, QWizard
from pytestqt.qtbot import QtBot

from dhr_desk.exports.pack_archive import verify_pack
from dhr_desk.ui.after_submission_dialog import (
    AfterSubmissionDialog,
    AreaDoneDialog,
    FeedbackLetterDialog,
)
from dhr_desk.ui.documents_tab import DocumentsTab
from dhr_desk.ui.publication_dialog import PublicationDialog, RecordPublicationDialog
from dhr_desk.ui.submission_pack_wizard import SubmissionPackWizard
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.working_calendar import en_gb
from tests.ui.test_desk import desk  # noqa: F401 (a fixture)
from tests.ui.test_main_window import save_screenshot
from tests.ui.test_review_tabs import ACCEPTED, REJECTED, answering, cells, open_workspace, show_tab

TODAY = dt.date.today()


def _final(desk: Desk, reference: str, folder: Path, kind: str, title: str) -> int:  # noqa: F811
    word = WordDocument()
    word.add_paragraph(f"{title} of the review, pseudonyms only.")
    path = folder / f"{kind}.docx"
    word.save(str(path))
    return desk.add_document_version(reference, path, title=title, kind=kind, status="final")


def test_the_wizard_refuses_until_every_item_passes_then_makes_a_pack_that_verifies(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    tmp_path: Path,
) -> None:
    workspace = open_workspace(qtbot, desk, "sign_off")
    reference = workspace.reference
    overview = _final(desk, reference, tmp_path, "overview_report", "Overview report")
    _final(desk, reference, tmp_path, "executive_summary", "Executive summary")
    # GIVEN the Documents tab of a DHR offers the starters and the pack
    tab = show_tab(workspace, DocumentsTab)
    buttons = {b.text() for b in tab.findChildren(QPushButton)}
    assert {"Report starters", "Submission pack…"} <= buttons
    # WHEN the wizard opens THEN the newest final versions are chosen
    wizard = SubmissionPackWizard(desk, reference, tab)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.overview.currentData() == overview
    assert wizard.summary.currentData() is not None
    wizard.next()  # to the covering letter: the review is late, so it asks why
    assert "longer than its completion date" in wizard.currentPage().subTitle()
    wizard.next()  # the letter page saves (nothing typed yet) and moves on to the metadata
    metadata = {row[0]: row[1] for row in cells(wizard.metadata)}
    assert metadata["Police force area"] == "Norfolk" and metadata["Victim age band"]
    wizard.metadata.item(6, 1).setText("Female")  # Victim sex
    save_screenshot(wizard, "desk-pack-wizard-metadata", tmp_path)
    wizard.next()
    # THEN the checklist says what fails, and the pack cannot be made
    page = wizard.checklist_page
    failed = [row for row in cells(page.table) if row[0] == "FAIL"]
    assert [row[1] for row in failed] == [
        "The delay is explained (if the review took longer than its completion date)",
        "The partnership's sign-off is recorded",
    ]
    assert "2 items FAIL" in page.verdict.text()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    # WHEN the sign-off is recorded, and the reasons typed on the letter page
    desk.lifecycle().record_event(reference, "signed_off", TODAY)
    wizard.back()
    wizard.back()
    wizard.delay_reasons.setPlainText("The inquest was adjourned twice.")
    wizard.feedback_contact.setText("The review officer, dhr@example.org")
    wizard.next()
    wizard.next()
    # THEN every item passes
    assert [row[0] for row in cells(page.table)] == ["Pass"] * 8, cells(page.table)
    assert page.verdict.text().startswith("<b>Every item passes.</b>")
    save_screenshot(wizard, "desk-pack-wizard-checklist", tmp_path)
    # AND Make the pack writes the zip to the folder chosen, and it verifies
    out = tmp_path / "packs"
    page.folder.setText(str(out))
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled() and finish.text() == "&Make the pack"
    finish.click()
    assert wizard.made is not None and wizard.made.parent == out
    assert verify_pack(wizard.made).ok
    assert desk.pack_metadata(reference).rows[6] == ("Victim sex", "Female")


def test_after_submission_records_the_date_the_letter_and_each_area_done(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workspace = open_workspace(qtbot, desk, "quality_assurance")  # submitted, no letter yet
    reference = workspace.reference
    pdf = tmp_path / "home-office-letter.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%a fictional letter\n")

    def fill(dialog: QDialog) -> int:
        if isinstance(dialog, FeedbackLetterDialog):
            dialog.outcome.setCurrentIndex(
                dialog.outcome.findData("approved_subject_to_amendments")
            )
            assert not dialog.validate()  # no date, no file yet
            dialog.on.set_value(TODAY)
            dialog.path.setText(str(pdf))
            dialog.areas.setPlainText("Add the family's tribute.\nExplain the delay.")
            return ACCEPTED if dialog.validate() else REJECTED
        if isinstance(dialog, AreaDoneDialog):
            dialog.on.set_value(TODAY)
            dialog.by.setText("Independent chair (fictional)")
            return ACCEPTED if dialog.validate() else REJECTED
        return REJECTED

    shown = answering(monkeypatch, fill)
    dialog = AfterSubmissionDialog(desk, reference, workspace)
    qtbot.addWidget(dialog)
    # GIVEN the demo review submitted THEN the submission and the copy are shown
    assert "<b>Submitted to the Home Office</b> on" in dialog.facts.text()
    assert "Copy to the Domestic Abuse Commissioner:</b> sent on" in dialog.facts.text()
    assert "<b>Home Office letter:</b> not yet recorded" in dialog.facts.text()
    assert not dialog.sos_button.isVisibleTo(dialog)  # not listed in Settings
    # WHEN the letter is recorded with its file and two areas
    dialog.record_letter()
    assert shown == ["FeedbackLetterDialog"]
    assert "Approved subject to amendments" in dialog.facts.text()
    assert "home-office-letter.pdf" in dialog.facts.text()
    assert [row[0] for row in cells(dialog.areas)] == [
        "Add the family's tribute.",
        "Explain the delay.",
    ]
    dialog.show()
    save_screenshot(dialog, "desk-after-submission", tmp_path)
    # AND the first area is marked done
    assert not dialog.done_button.isEnabled()
    dialog.areas.selectRow(0)
    assert dialog.done_button.isEnabled()
    dialog.area_done()
    assert cells(dialog.areas)[0][2:] == [en_gb(TODAY), "Independent chair (fictional)"]
    assert desk.after_submission(reference).open_areas == 1


def test_publication_is_recorded_and_its_pack_made_once_every_item_passes(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workspace = open_workspace(qtbot, desk, "ready_to_publish")
    reference = workspace.reference
    for kind, title in (("overview_report", "Overview report"),
                        ("executive_summary", "Executive summary"),
                        ("ho_feedback_letter", "Home Office feedback letter")):  # fmt: skip
        word = WordDocument()
        word.sections[0].header.paragraphs[0].text = "OFFICIAL"
        word.add_paragraph(f"{title} concerning 'Aspen'.")
        word.save(str(tmp_path / f"{kind}.docx"))
        desk.add_document_version(reference, tmp_path / f"{kind}.docx", title=title, kind=kind,
                                  status="approved", marking="official")  # fmt: skip

    def fill(dialog: QDialog) -> int:
        if isinstance(dialog, RecordPublicationDialog):
            dialog.told.set_value(TODAY)
            dialog.url.setText("https://example.invalid/dhr/aspen")
            return ACCEPTED if dialog.validate() else REJECTED
        return REJECTED  # the message box saying where the pack is

    answering(monkeypatch, fill)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: QMessageBox.StandardButton.Ok)
    dialog = PublicationDialog(desk, reference, workspace)
    qtbot.addWidget(dialog)
    # GIVEN approved versions and the letter THEN only the family's being told fails
    failed = [row[1] for row in cells(dialog.table) if row[0] == "FAIL"]
    assert failed == ["The family has been told the publication date"]
    assert not dialog.make_button.isEnabled()
    # WHEN it is recorded THEN every item passes and the pack is made
    dialog.record_publication()
    assert "<b>Family told the date:</b> " + en_gb(TODAY) in dialog.facts.text()
    assert [row[0] for row in cells(dialog.table)] == ["Pass"] * 10
    dialog.folder.setText(str(tmp_path / "published"))
    dialog.show()
    save_screenshot(dialog, "desk-publication", tmp_path)
    dialog.make()
    assert dialog.made is not None and verify_pack(dialog.made).ok
    assert dialog.made.name.endswith("-OFFICIAL.zip")
    assert "publication-pack" in dialog.facts.text()
