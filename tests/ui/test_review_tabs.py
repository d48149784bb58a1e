"""The review workspace's record tabs driven through their real widgets on a store holding the
demo data: the identifier register (masked, reveal audited, refusals keep what was typed),
panel and meetings, information requests, family contacts, proceedings and the audit trail;
and a change made on a review someone else changed meanwhile (refused, reload offered).
Each tab is rendered to PNG (kept under DHR_DESK_SCREENSHOT_DIR when set)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from dhr_desk.ui import record_forms as forms
from dhr_desk.ui.review_tabs import (
    AuditTab,
    FamilyTab,
    PanelTab,
    PeopleTab,
    ProceedingsTab,
    RecordsTab,
    RequestsTab,
)
from dhr_desk.ui.review_workspace import ReviewWorkspace
from dhr_desk.workflows.demo_data import VICTIM_FORENAMES
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.identifier_register import MASK, PersonDetails
from tests.ui.test_desk import answer_yes, desk, warnings  # noqa: F401 (desk: a fixture)
from tests.ui.test_main_window import save_screenshot

ACCEPTED = QDialog.DialogCode.Accepted.value
REJECTED = QDialog.DialogCode.Rejected.value
TODAY = dt.date.today()


def cells(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def open_workspace(qtbot: QtBot, desk: Desk, stage: str) -> ReviewWorkspace:  # noqa: F811
    reference = next(
        r.reference
        for r in desk.register()[0]
        if r.kind == "dhr" and r.stage == stage and r.status == "open"
    )
    workspace = ReviewWorkspace(desk, reference)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 680)
    workspace.show()
    return workspace


def show_tab(workspace: ReviewWorkspace, kind: type[RecordsTab]) -> RecordsTab:
    tab = next(t for t in workspace.record_tabs if isinstance(t, kind))
    workspace.tabs.setCurrentWidget(tab)
    assert not tab.stale
    return tab


def answering(monkeypatch: pytest.MonkeyPatch, fill: Callable[[QDialog], int]) -> list[str]:
    """Every dialog is answered by ``fill``; the names of the dialogs shown, in order."""
    shown: list[str] = []

    def exec_(self: QDialog) -> int:
        shown.append(type(self).__name__)
        return fill(self)

    monkeypatch.setattr(QDialog, "exec", exec_)
    return shown


def test_the_identifier_register_masks_until_revealed_and_audits_each_reveal(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    workspace = open_workspace(qtbot, desk, "terms_of_reference")
    tab = show_tab(workspace, PeopleTab)
    assert isinstance(tab, PeopleTab)
    rows = cells(tab.records.table)
    # GIVEN the demo's victim and perpetrator THEN real identifiers are masked in the list
    assert [row[0] for row in rows] == ["Victim", "Perpetrator"]
    assert rows[0][4] == MASK and rows[0][5] == MASK and rows[1][5] == "not recorded"
    assert not any("Demo" in text for row in rows for text in row)
    reveal = next(
        b for b, _ in tab.records.for_one if "real identifiers" in b.text().replace("&", "")
    )
    assert not reveal.isEnabled()  # nothing selected yet
    save_screenshot(workspace, "desk-tab-people", tmp_path)
    # WHEN the victim's identifiers are revealed with a reason
    tab.records.table.selectRow(0)
    assert reveal.isEnabled()
    seen: list[str] = []

    def fill(dialog: QDialog) -> int:
        if isinstance(dialog, forms.RevealDialog):
            dialog.reason.setPlainText("Letter to the family")
            return ACCEPTED
        if isinstance(dialog, forms.IdentifiersDialog):
            seen.extend(label.text() for label in dialog.findChildren(QLabel))
            dialog.show()
            save_screenshot(dialog, "desk-identifiers-revealed", tmp_path)
        return REJECTED

    answering(monkeypatch, fill)
    reveal.click()
    # THEN they are shown, and the audit tab names who and why but not the identifiers
    assert any(text.split(" ")[0] in VICTIM_FORENAMES for text in seen)
    audit = cells(show_tab(workspace, AuditTab).records.table)  # type: ignore[attr-defined]
    assert audit[0][2] == "Identifiers revealed" and "Letter to the family" in audit[0][3]
    assert not any(name in text for row in audit for text in row for name in VICTIM_FORENAMES)


def test_adding_a_person_keeps_what_was_typed_when_the_pseudonym_is_refused(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    workspace = open_workspace(qtbot, desk, "terms_of_reference")
    tab = show_tab(workspace, PeopleTab)
    assert isinstance(tab, PeopleTab)
    said = warnings(monkeypatch)
    typed: list[str] = []
    victim = desk.people(workspace.reference)[0]
    other_name = desk.reveal_person(workspace.reference, victim.person_id, why="test").details
    taken = other_name.real_name.split()[0]  # the victim's real forename

    def fill(dialog: QDialog) -> int:
        assert isinstance(dialog, forms.PersonDialog)
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        if not typed:
            dialog.role.setCurrentIndex(dialog.role.findData("child"))
            dialog.real_name.setText("Robin Inventedchild")
            dialog.born.set_value(dt.date(2015, 3, 1))
            # a pseudonym made from the person's own name is caught as typed
            dialog.pseudonym.setText("Robin")
            assert not ok.isEnabled()
            dialog.show()
            save_screenshot(dialog, "desk-person-dialog", tmp_path)
            # one made from another person's name is caught when saved
            dialog.pseudonym.setText(taken)
            assert ok.isEnabled()
        else:  # shown again with everything typed: change just the pseudonym
            assert dialog.real_name.text() == "Robin Inventedchild"
            assert dialog.born.value() == dt.date(2015, 3, 1)
            dialog.pseudonym.setText("Kestrel")
        typed.append(dialog.pseudonym.text())
        return ACCEPTED

    answering(monkeypatch, fill)
    tab.add()
    assert typed == [taken, "Kestrel"]
    assert said and "part of a real name" in said[0]
    rows = cells(tab.records.table)
    assert ["Child", "", "Kestrel", "No", MASK, MASK, "not recorded"] in rows


def test_an_edit_after_someone_else_saved_is_refused_and_a_reload_offered(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workspace = open_workspace(qtbot, desk, "terms_of_reference")
    tab = show_tab(workspace, PeopleTab)
    assert isinstance(tab, PeopleTab)
    tab.records.table.selectRow(1)
    person = tab.records.selected()
    asked = answer_yes(monkeypatch, QMessageBox.StandardButton.Yes)

    def fill(dialog: QDialog) -> int:
        if isinstance(dialog, forms.RevealDialog):
            dialog.reason.setPlainText("Correct the address")
        elif isinstance(dialog, forms.PersonDialog):
            # meanwhile a colleague saves their own edit of the same person
            theirs = desk.reveal_person(workspace.reference, person.person_id, why="edit")
            desk.update_person(
                workspace.reference,
                person.person_id,
                seen_version=theirs.version,
                details=PersonDetails(**{**vars(theirs.details), "workplace": "Their edit"}),
            )
            dialog.address.setPlainText("My edit")
        return ACCEPTED

    shown = answering(monkeypatch, fill)
    tab.edit()
    # THEN mine was refused (not saved over theirs), a reload was offered, and the dialog
    # was not shown again
    assert shown == ["RevealDialog", "PersonDialog"]
    assert asked and "Someone else changed this person" in asked[0] and "Reload" in asked[0]
    now = desk.reveal_person(workspace.reference, person.person_id, why="check").details
    assert now.workplace == "Their edit" and now.address != "My edit"


def test_a_move_on_a_review_changed_elsewhere_is_refused_with_a_reload(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workspace = open_workspace(qtbot, desk, "terms_of_reference")
    before = workspace.overview.summary.stage if workspace.overview else ""
    # GIVEN a colleague logs a proceeding after the workspace was opened
    desk.lifecycle(actor="colleague").log_proceeding(
        workspace.reference, kind="inquest", status="Opened and adjourned"
    )
    asked = answer_yes(monkeypatch, QMessageBox.StandardButton.Yes)
    # WHEN the officer pauses the review from the out-of-date view
    answering(monkeypatch, lambda d: fill_pause(d))
    workspace.pause_or_resume()
    # THEN it is refused naming the colleague, a reload is offered and taken; nothing saved
    conflict = [text for text in asked if "changed after you opened it" in text]
    assert conflict and "by colleague" in conflict[0]
    assert desk.overview(workspace.reference).summary.status == "open"
    assert workspace.overview is not None
    assert workspace.overview.last_change == desk.overview(workspace.reference).last_change
    # AND from the reloaded view the same change goes through
    workspace.pause_or_resume()
    assert desk.overview(workspace.reference).summary.status == "paused"
    assert desk.overview(workspace.reference).summary.stage == before


def fill_pause(dialog: QDialog) -> int:
    dialog.reason.setPlainText("Inquest")  # type: ignore[attr-defined]
    dialog.approver.setText("CSP Chair")  # type: ignore[attr-defined]
    return ACCEPTED


def test_panel_meetings_requests_family_and_proceedings_through_their_dialogs(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    workspace = open_workspace(qtbot, desk, "commissioning")
    panel = show_tab(workspace, PanelTab)
    assert isinstance(panel, PanelTab)
    assert "No one is on the panel yet." in panel.members.empty.text()

    def fill(dialog: QDialog) -> int:
        if isinstance(dialog, forms.ChairDialog):
            dialog.name.setText("Pat Chairperson")
            dialog.statement.setPlainText("No previous involvement with any agency")
        elif isinstance(dialog, forms.MemberDialog):
            dialog.name.setText("Sam Member")
            dialog.agency.setCurrentIndex(0)
            dialog.declared.setChecked(True)
        elif isinstance(dialog, forms.MeetingDialog):
            dialog.on.set_value(TODAY)
            dialog.location.setText("County Hall")
        elif isinstance(dialog, forms.MeetingHeldDialog):
            last = list(dialog.attendance.values())[-1]  # the member; the chair stays present
            last.setCurrentIndex(last.findData("apologies"))
        elif isinstance(dialog, forms.RequestDialog):
            dialog.agency.setEditText("Fictional Ambulance Service")
            dialog.kind.setCurrentIndex(dialog.kind.findData("chronology"))
        elif isinstance(dialog, forms.ReturnDialog):
            dialog.nil.setChecked(True)
        elif isinstance(dialog, forms.QualityDialog):
            dialog.by.setText("Review officer")
        elif isinstance(dialog, forms.FamilyContactDialog):
            dialog.summary.setPlainText("Letter and leaflet sent to the family")
            dialog.leaflet.setChecked(True)
            dialog.advocate.setText("AAFDA")
            dialog.method.setCurrentIndex(dialog.method.findData("visit"))
        elif isinstance(dialog, forms.ProceedingDialog):
            dialog.status.setText("Trial listed")
        return ACCEPTED

    answering(monkeypatch, fill)
    said = warnings(monkeypatch)
    panel.appoint_chair()
    panel.add_member()
    members = cells(panel.members.table)
    assert [row[:2] for row in members] == [["Pat Chairperson", "Chair"], ["Sam Member", "Member"]]
    assert members[1][4].startswith("No involvement declared on")
    panel.schedule()
    panel.meetings.table.selectRow(0)
    panel.held()
    (meeting,) = cells(panel.meetings.table)
    assert meeting[2].startswith("Held on") and meeting[4] == "present: 1, apologies: 1"
    needs = " ".join(
        label.text()
        for label in workspace.next_box.findChildren(QLabel)
        if label.isVisibleTo(workspace)
    )
    assert "Still needed" not in needs and "Ready" in needs
    save_screenshot(workspace, "desk-tab-panel", tmp_path)

    requests = show_tab(workspace, RequestsTab)
    assert isinstance(requests, RequestsTab)
    requests.request()
    row = next(r for r in cells(requests.records.table) if r[0] == "Fictional Ambulance Service")
    assert row[1] == "Chronology" and row[4] == "Outstanding"

    def select_ambulance() -> list[str]:
        rows = cells(requests.records.table)
        found = next(r for r in rows if r[0] == "Fictional Ambulance Service")
        requests.records.table.selectRow(rows.index(found))
        return found

    select_ambulance()
    requests.returned()
    select_ambulance()
    requests.check()
    row = select_ambulance()
    assert row[4].startswith("Checked: Accepted on")
    save_screenshot(workspace, "desk-tab-requests", tmp_path)

    family = show_tab(workspace, FamilyTab)
    assert isinstance(family, FamilyTab)
    family.log()
    assert [r[4] for r in cells(family.records.table) if "leaflet sent" in r[3]] == [
        "Home Office leaflet given; advocate: AAFDA"
    ]
    save_screenshot(workspace, "desk-tab-family", tmp_path)

    proceedings = show_tab(workspace, ProceedingsTab)
    assert isinstance(proceedings, ProceedingsTab)
    proceedings.log()
    proceedings.records.table.selectRow(0)
    proceedings.conclude()
    (done,) = cells(proceedings.records.table)
    assert done[0] == "Criminal trial" and done[2].startswith("Concluded on") and done[4] == "Yes"
    save_screenshot(workspace, "desk-tab-proceedings", tmp_path)
    audit = show_tab(workspace, AuditTab)
    actions = [row[2] for row in cells(audit.records.table)]  # type: ignore[attr-defined]
    assert actions[:3] == ["Proceeding concluded", "Proceeding logged", "Family contact logged"]
    assert "Chair appointed" in actions and said == []
    save_screenshot(workspace, "desk-tab-audit", tmp_path)


def test_the_person_form_keeps_dates_of_birth_long_before_2000(qtbot: QtBot) -> None:
    details = PersonDetails(
        role="victim",
        real_name="Invented Person",
        pseudonym="Wren",
        date_of_birth=dt.date(1931, 2, 3),
    )
    dialog = forms.PersonDialog(details)
    qtbot.addWidget(dialog)
    dialog.address.setPlainText("Changed only the address")
    assert dialog.details().date_of_birth == dt.date(1931, 2, 3)
    assert dialog.details().date_of_death is None
