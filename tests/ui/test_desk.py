"""The desk on a real store holding the demo data: dashboard figures that click through to the
register, the register's filters, sorting, remembered layout and export, the review workspace
(stepper, guarded moves, pause and resume), and registering new reviews through the forms.
Each screen is rendered to PNG (kept under DHR_DESK_SCREENSHOT_DIR when set)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.ui.main_window import MainWindow
from dhr_desk.ui.new_review_forms import AsbApplicationForm, DhrNotificationForm
from dhr_desk.ui.review_workspace import ReviewWorkspace
from dhr_desk.workflows.demo_data import load_demo
from dhr_desk.workflows.desk import Desk
from tests.ui.test_main_window import lists_read, save_screenshot

TODAY = dt.date.today()


@pytest.fixture
def desk(embedded_store: Store, secrets: SecretStore) -> Desk:
    load_demo(embedded_store.sessions, today=TODAY)
    return Desk(embedded_store, secrets)


@pytest.fixture
def window(qtbot: QtBot, desk: Desk) -> MainWindow:
    win = MainWindow(desk)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    lists_read(qtbot, win)
    return win


def answer_yes(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, title: str, text: str, *args: object) -> object:
        asked.append(f"{title}: {text}")
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, title, text, *a: said.append(text))
    )
    return said


def test_the_dashboard_figures_click_through_to_the_reviews_behind_them(
    window: MainWindow, desk: Desk, tmp_path: Path
) -> None:
    board = desk.dashboard()
    page = window.dashboard
    # GIVEN the demo, half of whose reviews the officer looking leads THEN the dashboard opens
    # on "my deadlines": the figure counts the overdue deadlines of the reviews they lead
    mine = board.deadlines_of(board.overdue, mine_only=True)
    assert mine and len(mine) < len(board.overdue)
    assert {d.reference for d in mine} <= board.mine
    assert page.whose is not None and page.whose.currentData() is True
    assert page.buttons["overdue"].text().startswith(f"{len(mine)}\n")
    # WHEN every review is chosen THEN every overdue deadline is counted
    page.whose.setCurrentIndex(1)
    for _ in range(3):  # the page is rebuilt after the change, then laid out
        QApplication.processEvents()
    overdue = page.buttons["overdue"]
    assert overdue.text().startswith(f"{len(board.overdue)}\n")
    assert "Overdue" in overdue.accessibleName()
    save_screenshot(window, "desk-dashboard", tmp_path)
    # WHEN it is clicked THEN the register shows exactly the reviews behind it
    overdue.click()
    assert window.current_section() == "reviews"
    shown = {row.reference for row in window.register.proxy.visible_rows()}
    assert shown == {d.reference for d in board.overdue}
    assert "(the dashboard's list)" in window.register.shown.text()
    # AND a stage figure does the same for its stage
    first = board.by_stage[0]
    page.buttons[f"stage-{first.kind}-{first.stage}"].click()
    assert {r.reference for r in window.register.proxy.visible_rows()} == set(first.references)
    assert board.paused and board.paused[0].reason


def test_the_register_filters_sorts_and_remembers_its_layout(
    window: MainWindow, qtbot: QtBot, desk: Desk, tmp_path: Path, secrets: SecretStore,
    embedded_store: Store,
) -> None:  # fmt: skip
    page = window.register
    window.show_section(1)
    total = page.model.rowCount()
    assert total == len(desk.register()[0]) and total > 20
    assert page.shown.text() == f"{total:,} of {total:,} reviews shown"
    # filters by kind and free text
    page.kind.setCurrentIndex(page.kind.findData("asb"))
    assert {r.kind for r in page.proxy.visible_rows()} == {"asb"}
    qtbot.keyClicks(page.search, "Norwich")
    assert page.proxy.visible_rows()
    assert all("norwich" in r.district.casefold() or "norwich" in r.title.casefold()
               for r in page.proxy.visible_rows())  # fmt: skip
    page.clear_filters()
    assert page.proxy.rowCount() == total
    page.status.setCurrentIndex(page.status.findData("overdue"))
    assert {r.next_status for r in page.proxy.visible_rows()} == {"overdue"}
    page.clear_filters()
    # sorting by due date puts reviews with no open deadline last
    page.view.sortByColumn(7, Qt.SortOrder.AscendingOrder)
    dues = [r.next_due for r in page.proxy.visible_rows()]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated) and dues[: len(dated)] == dated
    save_screenshot(window, "desk-register", tmp_path)
    # the column layout is remembered for the next window on this data folder
    page.view.horizontalHeader().moveSection(2, 0)
    window.close()
    again = MainWindow(Desk(embedded_store, secrets))
    qtbot.addWidget(again)
    assert again.register.view.horizontalHeader().logicalIndex(0) == 2


def test_the_view_exports_to_xlsx_and_csv_as_shown(window: MainWindow, tmp_path: Path) -> None:
    page = window.register
    page.kind.setCurrentIndex(page.kind.findData("dhr"))
    shown = page.proxy.visible_rows()
    assert page.save_view(tmp_path / "view.xlsx")
    sheet = load_workbook(tmp_path / "view.xlsx").active
    assert sheet["A1"].value == "OFFICIAL-SENSITIVE"
    assert [c.value for c in sheet[3]][:3] == ["Reference", "Kind", "Pseudonym / title"]
    assert [sheet.cell(row=4 + i, column=1).value for i in range(len(shown))] == [
        r.reference for r in shown
    ]
    assert sheet.max_row == 3 + len(shown)
    assert page.save_view(tmp_path / "view.csv")
    with (tmp_path / "view.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Reference" and [r[0] for r in rows[1:]] == [r.reference for r in shown]
    assert (tmp_path / "view.csv").stat().st_mode & 0o077 == 0


def test_a_formula_typed_into_a_title_is_exported_as_text(tmp_path: Path) -> None:
    from dhr_desk.exports.table_export import save_table

    save_table(tmp_path / "t.csv", "T", ["Title"], [['=HYPERLINK("x")']])
    assert "'=HYPERLINK" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    with pytest.raises(ValueError, match=r"Save as \.csv or \.xlsx"):
        save_table(tmp_path / "t.pdf", "T", ["Title"], [])


def test_the_workspace_moves_a_review_through_its_guards(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # GIVEN a review at the decision stage, nothing decided yet
    reference = next(r.reference for r in desk.register()[0] if r.stage == "decision")
    workspace = ReviewWorkspace(desk, reference)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 680)
    workspace.show()
    steps = [workspace.stepper.item(i).text() for i in range(workspace.stepper.count())]
    assert steps[0].startswith("✓") and steps[1].startswith("▶  Decision")
    assert workspace.stepper.item(1).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Decision: current"
    )
    texts = " ".join(label.text() for label in workspace.next_box.findChildren(QLabel))
    assert "Still needed: Record the CSP Chair's decision" in texts
    save_screenshot(workspace, "desk-workspace", tmp_path)
    # WHEN the officer tries to move on THEN the refusal says what is missing; nothing moves
    answer_yes(monkeypatch, QMessageBox.StandardButton.Yes)
    said = warnings(monkeypatch)
    workspace.move_to("home_office_notified")
    assert said and "Record the CSP Chair's decision" in said[0]
    assert desk.overview(reference).summary.stage == "decision"
    # AND once the decision and the Home Office notification are recorded through their
    # dialogs, the move goes through
    from dhr_desk.ui.review_workspace import DecisionDialog, EventDialog

    def filled(self: QDialog) -> int:
        if isinstance(self, DecisionDialog):
            self.reasons.setPlainText("Statutory criteria met")
            self.decided_by.setText("CSP Chair, with partners")
        elif isinstance(self, EventDialog):
            self.event.setCurrentIndex(self.event.findData("home_office_notified"))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QDialog, "exec", filled)
    assert workspace.decision_button.isVisibleTo(workspace)
    workspace.record_decision()
    assert not workspace.decision_button.isVisibleTo(workspace)
    workspace.record_event()
    workspace.move_to("home_office_notified")
    assert desk.overview(reference).summary.stage == "home_office_notified"
    assert "▶  Home Office notified" in workspace.stepper.item(2).text()
    timeline = [workspace.timeline.item(r, 1).text() for r in range(workspace.timeline.rowCount())]
    assert "The decision" in timeline and "Deadline: Review complete (signed off)" in timeline


def test_pausing_needs_a_reason_and_resuming_moves_the_clocks(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from dhr_desk.ui.review_workspace import PauseDialog

    reference = next(r.reference for r in desk.register()[0] if r.stage == "commissioning"
                     and r.status == "open")  # fmt: skip
    dialog = PauseDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()  # no reason, no approver yet
    qtbot.keyClicks(dialog.reason, "Criminal trial listed")
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.approver, "CSP Chair")
    assert ok.isEnabled()
    dialog.show()
    save_screenshot(dialog, "desk-pause-dialog", tmp_path)

    def filled(self: QDialog) -> int:
        if isinstance(self, PauseDialog):
            self.reason.setPlainText("Trial")
            self.approver.setText("CSP Chair")
        else:
            self.reason.setPlainText("Verdict given")  # type: ignore[attr-defined]
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QDialog, "exec", filled)
    workspace = ReviewWorkspace(desk, reference)
    qtbot.addWidget(workspace)
    workspace.pause_or_resume()
    assert desk.overview(reference).summary.status == "paused"
    assert workspace.pause_button.text() == "Resume…"
    workspace.pause_or_resume()
    assert desk.overview(reference).summary.status == "open"


def test_a_new_dhr_is_checked_as_typed_and_registered(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    form = DhrNotificationForm(desk.lifecycle())
    qtbot.addWidget(form)
    form.show()
    assert not form.ok.isEnabled()
    save_screenshot(form, "desk-new-dhr-empty", tmp_path)
    qtbot.keyClicks(form.title, "Review concerning 'Larch'")
    qtbot.keyClicks(form.referrer, "Fictional Constabulary")
    assert form.ok.isEnabled()
    # a death after the date the CSP was told is refused inline
    form.death.set_value(TODAY)
    form.notified.set_value(TODAY - dt.timedelta(days=2))
    assert not form.ok.isEnabled()
    assert "cannot be after" in form.fields[2][0].message.text()
    form.death.set_value(TODAY - dt.timedelta(days=9))
    assert form.ok.isEnabled()
    save_screenshot(form, "desk-new-dhr", tmp_path)
    # closing with typed work asks first; Cancel keeps the form
    asked = answer_yes(monkeypatch, QMessageBox.StandardButton.Cancel)
    form.reject()
    assert asked and form.isVisible()
    form.submit()
    assert form.created is not None and form.created.stage == "notified"
    assert desk.overview(form.created.reference).summary.title == "Review concerning 'Larch'"


def test_a_new_asb_application_with_its_complaints(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    form = AsbApplicationForm(desk.lifecycle())
    qtbot.addWidget(form)
    form.resize(720, 640)
    form.show()
    qtbot.keyClicks(form.applicant, "Applicant (fictional)")
    form.district.setCurrentText("Atlantis")  # typed, not one of the partnership's
    district = next(f for f, _ in form.fields if f.editor is form.district)
    assert not form.ok.isEnabled()
    assert "not a district of the partnership" in district.message.text()
    form.district.setCurrentText("Norwich")
    assert form.ok.isEnabled()
    form.on_behalf.setChecked(True)
    assert not form.ok.isEnabled()  # consent must be recorded
    form.consent.setCurrentIndex(form.consent.findData(True))
    for days in (40, 20, 5):
        form.add_complaint()
        row = form.complaints.rowCount() - 1
        form.complaints.cellWidget(row, 0).set_value(TODAY - dt.timedelta(days=days + 1))
        form.complaints.cellWidget(row, 1).set_value(TODAY - dt.timedelta(days=days))
        form.complaints.cellWidget(row, 3).setText(f"INC-{days}")
    form.complaints.cellWidget(0, 0).set_value(TODAY)  # behaviour after the complaint
    assert not form.ok.isEnabled() and "before the behaviour" in form.complaint_field.message.text()
    form.complaints.cellWidget(0, 0).set_value(TODAY - dt.timedelta(days=45))
    assert form.ok.isEnabled()
    # THEN the form says, as typed, which complaints qualify and whether the threshold is met
    shown = form.qualifying.text()
    assert shown.count("qualifies:") == 3 and "<b>Threshold met automatically</b>: 3" in shown
    # AND a complaint made more than a month after the behaviour does not qualify, saying why
    form.complaints.cellWidget(2, 0).set_value(TODAY - dt.timedelta(days=70))
    shown = form.qualifying.text()
    assert "Complaint 3 does not:" in shown and "more than one month" in shown
    assert "<b>Threshold not met automatically</b>: 2 qualifying of the 3 needed" in shown
    save_screenshot(form, "desk-new-asb", tmp_path)
    form.complaints.cellWidget(2, 0).set_value(TODAY - dt.timedelta(days=6))
    form.submit()
    assert form.created is not None
    assessment = desk.lifecycle().assess_threshold(form.created.reference)
    assert assessment.qualifying_count == 3 and assessment.met_automatically


def test_the_agencies_directory_starts_from_the_norfolk_list_and_shows_open_requests(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from dhr_desk.ui.agencies_page import AgenciesPage, ContactDialog

    page = AgenciesPage(desk)
    qtbot.addWidget(page)
    page.resize(1140, 700)
    assert page.list.count() == 0  # the directory is read when the page is first shown
    page.show()
    before = page.list.count()  # the demo's fictional agencies
    assert before > 0
    page.add_starter_list()
    names = [page.list.item(i).text() for i in range(page.list.count())]
    assert "Norfolk Constabulary" in names and "Norwich City Council" in names
    assert page.list.count() > before + 15
    page.add_starter_list()  # twice adds nothing
    assert page.list.count() == len(names)
    assert page.said.text() == "Every agency of the starter list is already here."
    # an agency's page lists its outstanding requests across reviews
    page.list.setCurrentItem(page.list.findItems("Fictional Constabulary",
                                                 Qt.MatchFlag.MatchExactly)[0])  # fmt: skip
    assert page.requests.rowCount() >= 1 or page.actions.rowCount() >= 1

    def filled(self: QDialog) -> int:
        assert isinstance(self, ContactDialog)
        self.name.setText("Contact (fictional)")
        self.role.setText("Safeguarding lead")
        self.email.setText("not-an-address")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QDialog, "exec", filled)
    said = warnings(monkeypatch)
    contacts = page.contacts.rowCount()  # the demo's invented owner, lead and board member
    page.add_contact()
    assert said and "is not an email address" in said[0]
    assert page.contacts.rowCount() == contacts
    page.show()
    save_screenshot(page, "desk-agencies", tmp_path)


def test_sorting_keeps_the_selected_review_selected(window: MainWindow) -> None:
    page = window.register
    page.kind.setCurrentIndex(page.kind.findData("dhr"))  # with a filter on, too
    page.view.selectRow(3)
    chosen = page.model.rows[page.proxy.mapToSource(page.view.currentIndex()).row()].reference
    page.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    now = page.model.rows[page.proxy.mapToSource(page.view.currentIndex()).row()].reference
    assert now == chosen
    assert {r.kind for r in page.proxy.visible_rows()} == {"dhr"}
    assert not page.view.tabKeyNavigation()  # Tab leaves the table for the buttons below


def test_paused_deadlines_are_not_counted_as_due(desk: Desk) -> None:
    board = desk.dashboard()
    assert all(d.status != "paused" for d in board.this_week + board.next_30_days)


def test_a_review_whose_template_is_missing_opens_with_a_message(
    qtbot: QtBot, desk: Desk, embedded_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import update

    from dhr_desk.models import Review

    reference = desk.register()[0][0].reference
    with embedded_store.sessions.begin() as session:
        session.execute(
            update(Review).where(Review.reference == reference).values(template_version="2099.1")
        )
    said = warnings(monkeypatch)
    workspace = ReviewWorkspace(desk, reference)
    qtbot.addWidget(workspace)
    assert said and "2099.1 is not installed; this review needs it" in said[0]
    _rows, problems = desk.register()
    assert any(reference in p and "install its stage template" in p for p in problems)


def test_control_characters_pasted_from_word_do_not_stop_an_export(tmp_path: Path) -> None:
    from dhr_desk.exports.table_export import save_table

    save_table(tmp_path / "t.xlsx", "T", ["Title"], [["Review concerning\x0b'Ash'"]])
    assert load_workbook(tmp_path / "t.xlsx").active["A4"].value == "Review concerning 'Ash'"


def test_an_agency_and_its_contacts_are_edited_retired_and_reinstated_through_the_page(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from dhr_desk.ui.agencies_page import AgenciesPage, AgencyDialog, ContactDialog, RetireDialog

    page = AgenciesPage(desk)
    qtbot.addWidget(page)
    page.resize(1140, 700)
    page.show()
    page.add_starter_list()
    page.refresh(select="Norfolk Constabulary")
    answers: list[object] = []

    def answer(self: QDialog) -> int:
        """Fill each dialog as the next queued answer says (a function given the dialog)."""
        fill = answers.pop(0)
        fill(self)  # type: ignore[operator]
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QDialog, "exec", answer)
    said = warnings(monkeypatch)
    # an agency added through its dialog, as a relevant body for ASB Case Reviews
    answers.append(lambda d: (isinstance(d, AgencyDialog),
                              d.name.setText("Fictional Housing Association"),
                              d.kind.setCurrentIndex(d.kind.findData("housing")),
                              d.relevant_body.setChecked(True)))  # fmt: skip
    page.add_agency()
    assert page.page is not None and page.page.name == "Fictional Housing Association"
    assert page.page.kind == "housing" and page.page.asb_relevant_body
    page.refresh(select="Norfolk Constabulary")
    # a contact added as the agency's lead, then edited to be the board representative too
    answers.append(
        lambda d: (
            isinstance(d, ContactDialog),
            d.name.setText("Lead (fictional)"),
            d.email.setText("lead@example.org"),
            d.lead.setChecked(True),
        )
    )
    page.add_contact()
    assert page.contacts.item(0, 4).text() == "Agency lead"
    assert not page.edit_contact_button.isEnabled()  # until a contact is selected
    page.contacts.selectRow(0)
    assert page.edit_contact_button.isEnabled()

    def edit_contact(d: QDialog) -> None:
        assert isinstance(d, ContactDialog) and d.name.text() == "Lead (fictional)"
        assert d.lead.isChecked() and not d.board.isChecked()
        d.board.setChecked(True)
        save_screenshot(d, "desk-agency-contact", tmp_path)

    answers.append(edit_contact)
    page.edit_contact()
    assert page.contacts.item(0, 4).text() == "Agency lead, Board representative"
    save_screenshot(page, "desk-agencies-edit", tmp_path)

    # the agency renamed through its dialog, the list following it
    def rename(d: QDialog) -> None:
        assert isinstance(d, AgencyDialog) and d.name.text() == "Norfolk Constabulary"
        assert d.relevant_body.isChecked()
        d.name.setText("Norfolk Constabulary (renamed, fictional)")

    answers.append(rename)
    page.edit_agency()
    assert page.page is not None and page.page.name == "Norfolk Constabulary (renamed, fictional)"
    assert page.list.currentItem().text() == "Norfolk Constabulary (renamed, fictional)"
    # retired with a reason: marked in the list and on its page, then reinstated
    answers.append(lambda d: (isinstance(d, RetireDialog), d.why.setPlainText("Merged")))
    page.retire_or_reinstate()
    assert page.list.currentItem().text() == "Norfolk Constabulary (renamed, fictional) (retired)"
    assert "Retired" in page.heading.text() and not page.add_contact_button.isEnabled()
    assert page.retire_button.text() == "Rein&state agency"
    assert "Norfolk Constabulary (renamed, fictional)" not in desk.agencies()
    page.retire_or_reinstate()
    assert page.page.active and page.retire_button.text() == "Re&tire agency…"
    # an edit on a version someone else has saved meanwhile: refused, said, their change shown
    stale = page.page
    desk.update_agency(stale.name, seen_version=stale.version, new_name=stale.name,
                       kind="other", district=None, asb_relevant_body=True)  # fmt: skip
    answers.append(lambda d: d.kind.setCurrentIndex(d.kind.findData("police")))
    page.edit_agency()
    assert said and "Someone else changed the agency" in said[-1]
    assert page.page.kind == "other"
    # the contact leaves
    page.contacts.selectRow(0)
    answers.append(lambda d: d.why.setPlainText("Left (fictional)"))
    page.retire_contact()
    assert page.contacts.rowCount() == 0
    assert not answers


def test_the_lead_officer_is_changed_from_the_review_window(
    qtbot: QtBot, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dhr_desk.ui.record_forms import ReasonDialog

    reference = next(r.reference for r in desk.register()[0] if r.stage == "decision")
    workspace = ReviewWorkspace(desk, reference)
    qtbot.addWidget(workspace)
    assert dict(workspace.overview.facts)["Lead officer"] in desk.officers()
    offered: list[str] = []

    def choose(self: QDialog) -> int:
        assert isinstance(self, ReasonDialog)
        box = self.findChild(QComboBox)
        offered.extend(box.itemText(i) for i in range(box.count()))
        box.setCurrentText("new.colleague")
        return QDialog.DialogCode.Accepted.value if self.validate() else 0

    monkeypatch.setattr(QDialog, "exec", choose)
    workspace.change_lead_officer()
    assert "colleague.fictional" in offered  # the demo's other officer
    assert dict(desk.overview(reference).facts)["Lead officer"] == "new.colleague"
    assert dict(workspace.overview.facts)["Lead officer"] == "new.colleague"  # reloaded


def test_asb_applications_are_imported_from_the_file_menu(
    window: MainWindow, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    received = (TODAY - dt.timedelta(days=1)).isoformat()
    path = tmp_path / "applications.json"
    path.write_text(json.dumps({
        "format": "dhr-desk-asb-applications", "format_version": 1,
        "applications": [{"received_on": received, "applicant_name": "Applicant (fictional)",
                          "district": "Breckland", "complaints": []}],
    }))  # fmt: skip
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda _p, title, text, *a: told.append(text)))  # fmt: skip
    before = {r.reference for r in desk.register()[0]}
    assert any(a.text() == "&Import ASB applications…" for a in window.menuBar().actions()[0]
               .menu().actions())  # fmt: skip
    made = window.import_asb_applications(str(path))
    assert len(made) == 1 and made[0] not in before
    assert told and told[0].startswith(f"1 application(s) registered: {made[0]}")
    assert {r.reference for r in desk.register()[0]} == before | set(made)
