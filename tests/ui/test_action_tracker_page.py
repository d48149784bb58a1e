"""The action tracker (Actions section) through its widgets on the demo data: every open action
across reviews listed; each filter narrows the table and Show all brings everything back; a sort
keeps the chosen actions chosen; a bulk target-date move with its reason reaches every chosen
action; the view exported to XLSX reads back row for row; an agency's page opens the tracker on
its whole list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from dhr_desk.ui.action_forms import BulkUpdateDialog
from dhr_desk.ui.action_tracker_page import FIELDS, ActionsPage
from dhr_desk.ui.main_window import SECTION_ROW, MainWindow
from dhr_desk.workflows.desk import Desk
from tests.ui.test_desk import TODAY, desk, window  # noqa: F401 (fixtures)
from tests.ui.test_main_window import save_screenshot


def shown_tracker(qtbot: QtBot, main: MainWindow) -> ActionsPage:
    main.show_section(SECTION_ROW["actions"])
    page = main.actions_page
    qtbot.waitUntil(lambda: not page.busy and bool(page.rows), timeout=30_000)
    return page


def choose(box: QComboBox, value: str) -> None:
    index = box.findData(value)
    assert index > 0, f"{value} is not offered"
    box.setCurrentIndex(index)


def column(page: ActionsPage, field: str) -> list[str]:
    c = FIELDS.index(field)
    return [page.model.index(r, c).data() for r in range(page.model.rowCount())]


def test_the_tracker_lists_every_open_action_and_each_filter_narrows_it(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    qtmodeltester: ModelTester,
    tmp_path: Path,
) -> None:
    page = shown_tracker(qtbot, window)
    every = desk.tracker()
    still_open = [a for a in every if a.open]
    assert len(every) > len(still_open) > 5, "the demo has open and finished actions"
    assert page.model.rowCount() == len(still_open)  # opens on what still needs chasing
    assert page.count.text().startswith(f"{len(still_open)} of {len(every)} actions shown")
    qtmodeltester.check(page.model)
    save_screenshot(window, "desk-actions-tracker", tmp_path)
    # WHEN filtered by agency THEN only its actions show
    agency = still_open[0].agency
    choose(page.agency, agency)
    assert set(column(page, "agency")) == {agency}
    # AND by RAG: the rating is written in words in every row shown
    page.clear_filters()
    assert page.model.rowCount() == len(every)
    choose(page.rag, "red")
    assert page.model.rowCount() == sum(1 for a in every if a.rag == "red") > 0
    assert all(text.startswith("Red") for text in column(page, "rag"))
    choose(page.due, "overdue")
    overdue = column(page, "rag")
    assert overdue and all("days overdue" in text for text in overdue)
    page.clear_filters()
    choose(page.status, "finished")
    assert page.model.rowCount() == len(every) - len(still_open)
    choose(page.due, "next_30")
    assert page.model.rowCount() == 0  # a finished action is due nothing
    page.clear_filters()
    theme = next(t for a in every for t in a.themes)
    choose(page.theme, theme)
    assert page.model.rowCount() == sum(1 for a in every if theme in a.themes)


def test_a_bulk_move_of_target_dates_reaches_every_chosen_action_and_is_exported(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    page = shown_tracker(qtbot, window)
    model = page.model
    # GIVEN two actions chosen, THEN a sort keeps them chosen
    selection = QItemSelection()
    for row in (0, 2):
        selection.select(model.index(row, 0), model.index(row, len(FIELDS) - 1))
    page.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)
    picked = {a.action_id for a in page.chosen()}
    assert len(picked) == 2 and page.bulk_button.isEnabled()
    page.view.sortByColumn(FIELDS.index("agency"), Qt.SortOrder.DescendingOrder)
    assert {a.action_id for a in page.chosen()} == picked
    new_date = TODAY + dt.timedelta(days=120)
    dialogs: list[BulkUpdateDialog] = []

    def filled(self: QDialog) -> int:
        assert isinstance(self, BulkUpdateDialog)
        dialogs.append(self)
        ok = self.buttons.button(self.buttons.StandardButton.Ok)
        assert not ok.isEnabled()  # no reason yet
        self.what.setCurrentIndex(self.what.findData("target_date"))
        self.target.set_value(new_date)
        self.why.setPlainText("Agreed with the agencies at the board (fictional)")
        assert ok.isEnabled()
        save_screenshot(self, "desk-actions-bulk-update", tmp_path)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QDialog, "exec", filled)
    page.bulk_button.click()
    assert dialogs and page.said.text() == "Updated 2 action(s)."
    qtbot.waitUntil(lambda: not page.busy, timeout=30_000)
    moved = [a for a in desk.tracker() if a.action_id in picked]
    assert [a.target_date for a in moved] == [new_date, new_date]
    assert {a.action_id for a in page.chosen()} == picked  # still chosen after the re-read
    # WHEN the view is exported THEN the XLSX holds every row shown, dates as dates
    out = tmp_path / "actions.xlsx"
    page.save_view(out)
    sheet = load_workbook(out).active
    values = [row for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert len(values) == model.rowCount()
    assert [v[0] for v in values] == column(page, "reference")
    assert sheet.cell(3, 1).value == "Review" and sheet.cell(1, 1).value == "OFFICIAL-SENSITIVE"
    dated = [v[2] for v in values if v[2] is not None]
    assert dated and all(isinstance(d, dt.datetime) for d in dated)


def test_a_refused_bulk_update_says_why_and_changes_nothing(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = shown_tracker(qtbot, window)
    page.view.selectRow(0)
    before = desk.tracker()

    def completing(self: QDialog) -> int:
        assert isinstance(self, BulkUpdateDialog)
        self.status.setCurrentIndex(self.status.findData("complete"))
        self.why.setPlainText("Done")  # but no outcome
        return QDialog.DialogCode.Accepted.value

    said: list[str] = []
    monkeypatch.setattr(QDialog, "exec", completing)
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, _t, text, *a: said.append(text)))  # fmt: skip
    page.bulk_button.click()
    assert said and "outcome" in said[0] and "Nothing was changed" in said[0]
    assert desk.tracker() == before


def test_an_agencys_page_lists_its_whole_list_and_opens_the_tracker_on_it(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
) -> None:
    every = desk.tracker()
    agency = next(a.agency for a in every if not a.open)  # one with a finished action
    window.show_section(SECTION_ROW["agencies"])
    agencies = window.agencies
    agencies.show_agency(agency)
    theirs = [a for a in every if a.agency == agency]
    assert agencies.actions.rowCount() == len(theirs)
    statuses = {agencies.actions.item(r, 3).text() for r in range(agencies.actions.rowCount())}
    assert "Complete" in statuses or "Closed, not completed" in statuses
    agencies.tracker_button.click()
    page = window.actions_page
    qtbot.waitUntil(lambda: not page.busy and bool(page.rows), timeout=30_000)
    assert window.sidebar.currentRow() == SECTION_ROW["actions"]
    assert page.agency.currentData() == agency and page.status.currentData() == ""
    assert sorted(a.action_id for a in page.model.rows) == sorted(a.action_id for a in theirs)


def test_retiring_an_owner_prompts_to_reassign_their_open_actions(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from dhr_desk.ui.agencies_page import ReassignDialog, RetireDialog

    leaver = "Action owner 3 (demo)"
    theirs = [a for a in desk.tracker() if a.owner == leaver and a.open]
    assert theirs, "the demo gives the health trust's actions an owner"
    window.show_section(SECTION_ROW["agencies"])
    agencies = window.agencies
    agencies.show_agency(theirs[0].agency)
    names = [agencies.contacts.item(r, 0).text() for r in range(agencies.contacts.rowCount())]
    agencies.contacts.selectRow(names.index(leaver))
    asked: list[QDialog] = []

    def answer(self: QDialog) -> int:
        asked.append(self)
        if isinstance(self, RetireDialog):
            self.why.setPlainText("Left the trust (fictional)")
        else:
            assert isinstance(self, ReassignDialog)
            assert f"owns {len(theirs)} open action(s)" in " ".join(
                label.text() for label in self.findChildren(QLabel)
            )
            save_screenshot(self, "desk-agencies-reassign", tmp_path)
            self.to.setCurrentIndex(
                self.to.findText("Agency lead 3 (demo)", Qt.MatchFlag.MatchStartsWith)
            )
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QDialog, "exec", answer)
    agencies.retire_contact()
    assert [type(d).__name__ for d in asked] == ["RetireDialog", "ReassignDialog"]
    assert agencies.said.text() == f"{len(theirs)} open action(s) reassigned from {leaver}."
    after = {a.action_id: a.owner for a in desk.tracker()}
    assert {after[a.action_id] for a in theirs} == {"Agency lead 3 (demo)"}
