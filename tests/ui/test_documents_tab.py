"""The Documents tab driven through its real widgets on the demo data: a draft added as a
version, checked against the review's register (the hit shown where it is and whose), the hit
overridden with a reason, the state shown in the list; a circulation logged and its return.
The tab and the check are rendered to PNG (kept under DHR_DESK_SCREENSHOT_DIR when set)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document as WordDocument
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from dhr_desk.ui import documents_tab as tab_module
from dhr_desk.ui.documents_tab import DocumentsTab
from dhr_desk.workflows.desk import Desk
from tests.ui.test_desk import desk  # noqa: F401 (a fixture)
from tests.ui.test_main_window import save_screenshot
from tests.ui.test_review_tabs import ACCEPTED, REJECTED, answering, cells, open_workspace, show_tab

TODAY = dt.date.today()


def test_a_draft_is_added_checked_overridden_and_circulated(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workspace = open_workspace(qtbot, desk, "analysis_and_drafting")
    reference = workspace.reference
    victim = desk.people(reference)[0]
    real = desk.reveal_person(reference, victim.person_id, why="test").details
    forename = real.real_name.split()[0]
    # GIVEN a draft that uses the pseudonym but lets the real first name slip once
    draft = WordDocument()
    draft.add_paragraph(f"{victim.pseudonym} lived with her partner.")
    draft.add_paragraph(f"A neighbour called her {forename} when giving evidence.")
    path = tmp_path / "overview-draft.docx"
    draft.save(str(path))
    tab = show_tab(workspace, DocumentsTab)
    assert isinstance(tab, DocumentsTab)

    def fill(dialog: QDialog) -> int:
        if isinstance(dialog, tab_module.AddVersionDialog):
            dialog.path.setText(str(path))
            dialog.title_box.setCurrentText("Overview report")
            dialog.kind.setCurrentIndex(dialog.kind.findData("overview_report"))
            dialog.author.setText("Independent chair")
            return ACCEPTED if dialog.validate() else REJECTED
        if isinstance(dialog, tab_module.AnonymisationDialog):
            assert cells(dialog.table)[0][:3] == [
                "paragraph 2",
                "forename",
                f"Victim '{victim.pseudonym}'",
            ]
            assert f"[{forename}]" in cells(dialog.table)[0][3]
            assert "1 of 1 hit(s) stand" in dialog.summary.text()
            dialog.show()
            save_screenshot(dialog, "desk-anonymisation-check", tmp_path)
            dialog.table.selectRow(0)
            assert dialog.override_button.isEnabled()
            dialog.override()
            assert "Every hit (1) is overridden" in dialog.summary.text()
            assert cells(dialog.table)[0][4].startswith("A witness's words, quoted")
            assert not dialog.override_button.isEnabled()
            return REJECTED
        if isinstance(dialog, tab_module.OverrideDialog):
            dialog.reason.setPlainText("A witness's words, quoted and agreed with the family")
            return ACCEPTED
        if isinstance(dialog, tab_module.CirculateDialog):
            dialog.sent_to.setText("Family, via the advocate")
            dialog.purpose.setText("to read the draft")
            dialog.on.set_value(TODAY)
            return ACCEPTED if dialog.validate() else REJECTED
        if isinstance(dialog, tab_module.ReturnedDialog):
            dialog.on.set_value(TODAY)
            return ACCEPTED if dialog.validate() else REJECTED
        raise AssertionError(f"unexpected dialog {type(dialog).__name__}")

    shown = answering(monkeypatch, fill)
    # WHEN the draft is added THEN it is listed as version 1, not checked yet
    next(b for b in tab.findChildren(tab_module.QPushButton) if "Add a version" in b.text()).click()
    rows = cells(tab.versions.table)
    assert rows[0][:4] == ["Overview report", "v1", "overview-draft.docx", "Draft"]
    assert rows[0][-1] == "not checked"
    # WHEN it is checked THEN the hit is shown, overridden with a reason, and the list says so
    tab.versions.table.selectRow(0)
    tab.check()
    assert cells(tab.versions.table)[0][-1] == "hits overridden (1)"
    # WHEN it is circulated and comes back THEN the log has both
    tab.versions.table.selectRow(0)
    tab.circulate()
    log = cells(tab.log.table)
    assert log[0][:5] == [
        "Overview report v1",
        "Family, via the advocate",
        "to read the draft",
        TODAY.strftime("%d/%m/%Y"),
        "not yet",
    ]
    tab.log.table.selectRow(0)
    tab.returned()
    assert cells(tab.log.table)[0][4] == TODAY.strftime("%d/%m/%Y")
    assert shown == ["AddVersionDialog", "AnonymisationDialog", "OverrideDialog",
                     "CirculateDialog", "ReturnedDialog"]  # fmt: skip
    tab.versions.table.selectRow(0)
    save_screenshot(workspace, "desk-documents-tab", tmp_path)
