"""The submission pack wizard driven through its real widgets on the demo DHR at sign-off: the
checklist first fails (no sign-off, the delay unexplained) and the pack cannot be made; once the
sign-off is recorded and the reasons typed on the letter page, every item passes and Make the
pack writes the zip, which verifies. The metadata and checklist pages are rendered to PNG."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document as WordDocument
from PySide6.QtWidgets import QPushButton, QWizard
from pytestqt.qtbot import QtBot

from dhr_desk.exports.pack_archive import verify_pack
from dhr_desk.ui.documents_tab import DocumentsTab
from dhr_desk.ui.submission_pack_wizard import SubmissionPackWizard
from dhr_desk.workflows.desk import Desk
from tests.ui.test_desk import desk  # noqa: F401 (a fixture)
from tests.ui.test_main_window import save_screenshot
from tests.ui.test_review_tabs import cells, open_workspace, show_tab

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
    assert [row[0] for row in cells(page.table)] == ["Pass"] * 7, cells(page.table)
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
