"""The Settings section driven through its widgets on a store holding the demo data: the review
name, deadline windows with a refusal, the letter sender, a one-off bank holiday that moves
deadlines (and says which), and a backup that is checked after it is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from dhr_desk.store.backup import validate_backup
from dhr_desk.ui.main_window import MainWindow
from dhr_desk.ui.settings_page import HolidayDialog, SettingsPage
from dhr_desk.workflows.desk import Desk
from tests.ui.test_desk import desk, warnings, window  # noqa: F401 (fixtures)
from tests.ui.test_main_window import lists_read, save_screenshot
from tests.unit.test_settings_and_calendar import next_working_day


def settings_page(window: MainWindow) -> SettingsPage:  # noqa: F811
    window.sidebar.setCurrentRow(window.section_count() - 1)
    assert window.current_section() == "settings"
    return window.settings_page


def test_settings_save_checked_values_and_a_holiday_moves_deadlines(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    page = settings_page(window)
    save_screenshot(window, "desk-settings", tmp_path)
    # WHEN reviews are to be called DARDRs THEN the register says so
    page.display_name.setCurrentIndex(page.display_name.findData("DARDR"))
    page.save_reviews()
    assert "Saved" in page.saved.text()
    lists_read(qtbot, window)
    assert {row.kind_label for row in window.register.model.rows} == {"DARDR", "ASB"}
    # AND a due-soon window that makes no sense is refused with a message, nothing saved
    said = warnings(monkeypatch)
    page.due_soon.setText("400d")
    page.request_weeks.setValue(8)
    page.save_deadlines()
    assert said and "90 days" in said[0]
    assert desk.settings()["deadlines.due_soon_window"] == "5wd"
    page.due_soon.setText("10wd")
    page.save_deadlines()
    assert desk.settings()["deadlines.due_soon_window"] == "10wd"
    assert desk.settings()["requests.default_weeks"] == 8
    # AND the letter sender is kept
    page.sender["name"].setText("Casey Officer")
    page.sender["address"].setPlainText("County Hall\nNorwich")
    page.save_sender()
    assert desk.settings()["letters.sender"]["address"] == "County Hall\nNorwich"

    # WHEN a one-off bank holiday is added on the next working day
    holiday = next_working_day(dt.date.today())

    def fill(dialog: QDialog) -> int:
        assert isinstance(dialog, HolidayDialog)
        dialog.day.set_value(holiday)
        dialog.name.setText("State funeral (fictional)")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QDialog, "exec", fill)
    page.add_holiday()
    # THEN the list shows it and the page says which deadlines moved, from when to when
    listed = [page.holidays.item(r, 1).text() for r in range(page.holidays.rowCount())]
    assert "State funeral (fictional)" in listed
    moved = page.moved.text()
    assert "open deadlines move:" in moved and "→" in moved
    QApplication.processEvents()  # let the page lay out the new text, as the event loop would
    page.ensureWidgetVisible(page.moved)
    QApplication.processEvents()
    save_screenshot(window, "desk-settings-holiday", tmp_path)


def test_a_backup_is_written_and_checked(
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    page = settings_page(window)
    target = tmp_path / "backup.db"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda _p, title, text, *a: told.append(text))
    )
    page.back_up()
    assert told and "checked" in told[0] and target.is_file()
    key = desk._store.key
    assert key is not None and validate_backup(target, key)
    # AND writing over the live database is refused with a message, not a traceback
    said = warnings(monkeypatch)
    critical: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", staticmethod(lambda _p, title, text, *a: critical.append(text))
    )
    live = Path(desk.installation().database)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(live), ""))
    )
    page.back_up()
    assert (said + critical) and "live database" in (said + critical)[0]


def test_the_chasing_policy_is_saved_from_settings_and_a_senseless_one_refused(
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    page = settings_page(window)
    assert page.reminder_days.value() == 14 and page.cooling_days.value() == 7
    said = warnings(monkeypatch)
    # WHEN the board is to be told before the agency lead THEN refused, nothing saved
    page.lead_days.setValue(21)
    page.board_days.setValue(20)
    page.save_chasing()
    assert said and "board comes after" in said[0]
    assert desk.settings()["chasing.policy"]["escalate_to_lead_days_overdue"] == 14
    # WHEN a sensible policy is saved THEN it is stored, with the amber window
    page.board_days.setValue(35)
    page.amber_days.setValue(21)
    page.chair_name.setText("CSP Chair (fictional)")
    page.chair_email.setText("chair@example.org")
    page.save_chasing()
    saved = desk.settings()
    assert saved["chasing.policy"]["escalate_to_lead_days_overdue"] == 21
    assert saved["chasing.policy"]["escalate_to_board_days_overdue"] == 35
    assert saved["chasing.policy"]["csp_chair_email"] == "chair@example.org"
    assert saved["actions.amber_days"] == 21
    page.cooling_days.setFocus()
    page.ensureWidgetVisible(page.cooling_days)
    save_screenshot(window, "desk-settings-chasing", tmp_path)


def test_the_metadata_sheet_fields_are_edited_one_per_line_and_an_unknown_fact_refused(
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = settings_page(window)
    shown = page.metadata_fields.toPlainText().splitlines()
    assert shown[0] == "Review type = {review_type}" and "Victim sex" in shown
    said = warnings(monkeypatch)
    # WHEN a default names a fact dhr-desk does not fill THEN refused, nothing saved
    page.metadata_fields.setPlainText("Review type = {review_type}\nBorn = {date_of_birth}")
    page.save_metadata_fields()
    assert said and "{date_of_birth}" in said[0]
    assert len(desk.settings()["packs.metadata_fields"]) == 13
    # WHEN a field is added THEN the list is kept, defaults and all
    page.metadata_fields.setPlainText("Review type = {review_type}\nInquest held\nRegion = East")
    page.save_metadata_fields()
    assert desk.settings()["packs.metadata_fields"] == [
        {"label": "Review type", "default": "{review_type}"},
        {"label": "Inquest held", "default": ""},
        {"label": "Region", "default": "East"},
    ]


def test_the_asb_letters_are_worded_in_settings_and_an_unknown_placeholder_refused(
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = settings_page(window)
    assert "OPCCN" in page.route.text()
    page.letter.setCurrentIndex(page.letter.findData("threshold_not_met"))
    assert "{signposting}" in page.letter_body.toPlainText()  # the standard wording shown
    said = warnings(monkeypatch)
    page.letter_body.setPlainText("Dear {applicant_address},")
    page.save_asb()
    assert said and "{applicant_address}" in said[0]
    assert desk.settings()["asb.letters"] == {}
    page.letter_subject.setText("About your application {reference}")
    page.letter_body.setPlainText("We decided: {threshold_reasons}\n\nHelp: {signposting}")
    page.route.setText("the Norfolk ASB escalation panel (fictional)")
    page.save_asb()
    saved = desk.settings()
    assert (
        saved["asb.letters"]["threshold_not_met"]["subject"] == "About your application {reference}"
    )
    assert saved["asb.escalation_route"] == "the Norfolk ASB escalation panel (fictional)"
    page.standard_letter()
    assert desk.settings()["asb.letters"] == {}
    assert "{signposting}" in page.letter_body.toPlainText()
