"""The review window's Action plan tab driven through its widgets on the demo data: a national
recommendation with themes, an action owned by a contact, a target date moved (refused without a
reason, the dialog brought back with what was typed), progress to completion (refused without
an outcome), a milestone, a RAG rating set by hand and sign-off. Rendered to PNG."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from dhr_desk.ui import action_forms as forms
from dhr_desk.ui.action_plan_tab import ActionPlanTab
from dhr_desk.workflows.desk import Desk
from tests.ui.test_desk import desk, warnings  # noqa: F401 (desk: a fixture)
from tests.ui.test_main_window import save_screenshot
from tests.ui.test_review_tabs import open_workspace, show_tab

ACCEPTED = QDialog.DialogCode.Accepted.value
REJECTED = QDialog.DialogCode.Rejected.value
TODAY = dt.date.today()
Answer = Callable[[QDialog], None]


def answers(monkeypatch: pytest.MonkeyPatch) -> list[Answer]:
    """Dialogs are answered in turn from the returned list; once it is empty, cancelled."""
    queue: list[Answer] = []

    def exec_(self: QDialog) -> int:
        if not queue:
            return REJECTED
        queue.pop(0)(self)
        return ACCEPTED

    monkeypatch.setattr(QDialog, "exec", exec_)
    return queue


def find(tab: ActionPlanTab, number: str) -> QModelIndex:
    """The row whose number is ``number`` ("2" a recommendation, "2.1" an action)."""
    found = tab.model.match(tab.model.index(0, 0), Qt.ItemDataRole.DisplayRole, number, 1,
                            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)  # fmt: skip
    assert found, number
    return found[0]


def select(tab: ActionPlanTab, number: str) -> None:
    tab.tree.selectionModel().setCurrentIndex(
        find(tab, number),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def row(tab: ActionPlanTab, number: str) -> list[str]:
    first = find(tab, number)
    return [str(first.siblingAtColumn(c).data()) for c in range(tab.model.columnCount())]


def test_a_recommendation_and_its_action_are_taken_from_adding_to_sign_off(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    desk.add_contact("Fictional Constabulary", name="Owner (fictional)", role="DA lead",
                     email="owner@example.org")  # fmt: skip
    workspace = open_workspace(qtbot, desk, "information_gathering")
    workspace.resize(1300, 720)
    tab = show_tab(workspace, ActionPlanTab)
    assert isinstance(tab, ActionPlanTab)
    assert "No recommendations yet" in tab.empty.text()
    assert not tab.add_action_button.isEnabled() and not tab.progress_button.isEnabled()
    queue = answers(monkeypatch)
    said = warnings(monkeypatch)

    def national(d: QDialog) -> None:
        assert isinstance(d, forms.RecommendationDialog)
        d.text.setPlainText("Guidance on coercive control should reach every GP practice.")
        d.scope.setCurrentIndex(d.scope.findData("national"))
        assert d.follow_up.isEnabled()
        d.level.setCurrentIndex(d.level.findData("multi_agency"))
        d.lead.setCurrentIndex(d.lead.findData("Fictional Constabulary"))
        for i in range(d.themes.count()):
            if d.themes.item(i).text() in ("Coercive control", "Information sharing"):
                d.themes.item(i).setCheckState(Qt.CheckState.Checked)
        save_screenshot(d, "desk-recommendation-dialog", tmp_path)

    queue.append(national)
    tab.add_recommendation_button.click()
    first = row(tab, "1")
    assert first[1] == "Guidance on coercive control should reach every GP practice."
    assert first[2] == "Fictional Constabulary" and first[5] == "No actions yet"
    select(tab, "1")  # the details under the tree say the rest
    assert "Multi-agency, national; follow up with Home Office / Domestic Abuse Commissioner" in (
        tab.details.text()
    )
    assert "Themes: Coercive control, Information sharing" in tab.details.text()

    # an action owned by the agency's contact, due in 20 days
    target = TODAY + dt.timedelta(days=20)

    def owned(d: QDialog) -> None:
        assert isinstance(d, forms.ActionDialog)
        d.agency.setCurrentIndex(d.agency.findData("Fictional Constabulary"))
        d.owner.setCurrentIndex(d.owner.findText("Owner (fictional)", Qt.MatchFlag.MatchStartsWith))
        assert not d.owner_name.isEnabled()  # only for someone not in the directory
        d.description.setPlainText("Brief every response officer on coercive control.")
        d.target.set_value(target)
        save_screenshot(d, "desk-action-dialog", tmp_path)

    queue.append(owned)
    tab.add_action_button.click()
    action = row(tab, "1.1")
    assert action[2:6] == ["Fictional Constabulary", "Owner (fictional)",
                           target.strftime("%d/%m/%Y"), "Not started"]  # fmt: skip
    assert action[6] == "Amber" and row(tab, "1")[5] == "1 of 1 open"  # within 28 days

    # the target date moved without a reason: refused, the dialog back with the new date in it
    select(tab, "1.1")
    later = TODAY + dt.timedelta(days=120)
    seen: list[object] = []

    def move(d: QDialog) -> None:
        assert isinstance(d, forms.ActionDialog)
        d.target.set_value(later)
        assert d.reason.isEnabled()

    def again_with_reason(d: QDialog) -> None:
        assert isinstance(d, forms.ActionDialog)
        seen.append(d.target.value())
        d.reason.setText("Training provider changed (fictional)")

    queue += [move, again_with_reason]
    tab.edit_button.click()
    assert said and "Say why action 1.1's target date moves" in said[-1]
    assert seen == [later]
    assert row(tab, "1.1")[4] == later.strftime("%d/%m/%Y") and row(tab, "1.1")[6] == "Green"

    # progress: a milestone, a rating set by hand, then complete (the outcome is required)
    select(tab, "1.1")

    def milestone(d: QDialog) -> None:
        assert isinstance(d, forms.MilestoneDialog) and d.adding()
        d.description.setText("Briefing written")
        d.due.set_value(TODAY + dt.timedelta(days=10))

    queue.append(milestone)
    tab.milestone_button.click()
    select(tab, "1.1")

    def red(d: QDialog) -> None:
        assert isinstance(d, forms.RatingDialog)
        d.rating.setCurrentIndex(d.rating.findData("red"))
        d.why.setPlainText("No trainer booked yet")

    queue.append(red)
    tab.rating_button.click()
    assert row(tab, "1.1")[6] == "Red (set by hand: No trainer booked yet)"
    save_screenshot(workspace, "desk-tab-action-plan", tmp_path)
    select(tab, "1.1")

    def complete_without_outcome(d: QDialog) -> None:
        assert isinstance(d, forms.ProgressDialog)
        d.status.setCurrentIndex(d.status.findData("complete"))
        assert d.outcome.isEnabled() and not d.closure.isEnabled()
        d.progress_note.setPlainText("All officers briefed.")

    def with_outcome(d: QDialog) -> None:
        assert isinstance(d, forms.ProgressDialog)
        d.outcome.setPlainText("Audit shows the briefing used in call handling.")

    queue += [complete_without_outcome, with_outcome]
    tab.progress_button.click()
    assert "complete action needs its outcome" in said[-1]
    done = row(tab, "1.1")
    assert done[5] == "Complete" and done[6] == "Complete" and row(tab, "1")[5] == "0 of 1 open"
    select(tab, "1.1")
    assert tab.sign_off_button.isEnabled() and not tab.rating_button.isEnabled()

    def sign(d: QDialog) -> None:
        assert isinstance(d, forms.SignOffDialog)
        d.by.setText("CSP Chair (fictional)")

    queue.append(sign)
    tab.sign_off_button.click()
    select(tab, "1.1")
    assert "Milestone: Briefing written" in tab.details.text()
    assert "Evidence: " in tab.details.text() and "All officers briefed." in tab.details.text()
    assert "Signed off by CSP Chair (fictional)" in tab.details.text()
    save_screenshot(workspace, "desk-tab-action-plan-done", tmp_path)
    [plan] = desk.action_plan(workspace.reference)
    [entry] = plan.actions
    assert entry.signed_off.startswith("CSP Chair (fictional) on ")
    assert entry.milestones[0].description == "Briefing written"
    assert entry.outcome == "Audit shows the briefing used in call handling."
    # the plan exported in the Home Office columns from the tab (Word here), read back
    from docx import Document
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "plan"  # typed without a suffix: the chosen filter's is added
    chosen = (str(target), "Word document (*.docx)")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: chosen))
    tab.export_button.click()
    word = Document(str(tmp_path / "plan.docx"))
    assert (
        word.tables[0].rows[1].cells[2].text
        == "1.1 Brief every response officer on coercive control."
    )
    assert "Action plan saved to" in tab.details.text()
    audit = [e.action for e in desk.audit_trail(workspace.reference)]
    assert {"Recommendation added", "Action added", "Action changed", "Action signed off"} <= set(
        audit
    )


def test_editing_an_action_keeps_its_owner_even_one_who_has_left_until_another_is_chosen(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
) -> None:
    from dhr_desk.workflows.action_plan import ActionDetails, RecommendationDetails

    desk.add_contact("Fictional Constabulary", name="Jo (fictional)", email="jo@example.org")
    desk.add_contact("Fictional Constabulary", name="Jo Bloggs (fictional)")
    reference = next(r.reference for r in desk.register()[0] if r.kind == "dhr")
    owner = next(c for c in desk.contacts("Fictional Constabulary") if c.name == "Jo (fictional)")
    rid = desk.add_recommendation(
        reference, RecommendationDetails("Text.", "single_agency", "local")
    )
    police = "Fictional Constabulary"
    for details in (
        ActionDetails(police, "Do it.", None, owner_contact_id=owner.id),
        ActionDetails(police, "Typed owner.", None, owner_name="Jo", owner_email="jo@x.example"),
        ActionDetails(police, "Nobody yet.", None),
    ):
        desk.add_action(reference, rid, details)
    agencies = desk.agencies()

    def dialog_for(description: str) -> forms.ActionDialog:
        entry = next(a for r in desk.action_plan(reference) for a in r.actions
                     if a.description == description)  # fmt: skip
        dialog = forms.ActionDialog(agencies, desk.contacts, entry)
        qtbot.addWidget(dialog)
        return dialog

    # a contact owner is selected by who they are, not by the start of their name
    assert dialog_for("Do it.").details().owner_contact_id == owner.id
    # a typed owner stays typed; an action with no owner stays without one
    typed = dialog_for("Typed owner.").details()
    assert (typed.owner_contact_id, typed.owner_name, typed.owner_email) == (
        None, "Jo", "jo@x.example")  # fmt: skip
    nobody = dialog_for("Nobody yet.").details()
    assert (nobody.owner_contact_id, nobody.owner_name) == (None, None)
    # an owner who has left is shown as such and kept by OK until someone else is chosen
    desk.retire_contact(owner.id, reason="Left (fictional)")
    left = dialog_for("Do it.")
    assert left.owner.currentText() == "Jo (fictional) (has left)"
    assert left.details().owner_contact_id == owner.id


def test_evidence_files_are_attached_and_a_bad_one_refused_through_the_tab(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from dhr_desk.ui.evidence_dialog import EvidenceDialog
    from tests.unit.test_evidence_files import a_pdf

    workspace = open_workspace(qtbot, desk, "action_monitoring")
    tab = show_tab(workspace, ActionPlanTab)
    assert isinstance(tab, ActionPlanTab)
    first = tab.plan[0].actions[0]
    select(tab, first.number)
    assert tab.evidence_button.isEnabled()
    said = warnings(monkeypatch)
    renamed = tmp_path / "minutes.pdf"
    renamed.write_text("not a PDF at all")
    pdf = a_pdf(tmp_path)
    seen: list[EvidenceDialog] = []

    def use(self: QDialog) -> int:
        assert isinstance(self, EvidenceDialog)
        seen.append(self)
        assert not self.attach(renamed)  # refused, said, nothing attached
        assert self.attach(pdf, "Signed register (fictional)")
        assert self.table.rowCount() == 1 and self.table.item(0, 0).text() == pdf.name
        self.table.selectRow(0)
        self.save_to(self.files[0], tmp_path / "copy.pdf")
        save_screenshot(self, "desk-action-evidence", tmp_path)
        return REJECTED

    monkeypatch.setattr(QDialog, "exec", use)
    tab.evidence_button.click()
    assert seen and said and "is not a PDF file" in said[0]
    assert (tmp_path / "copy.pdf").read_bytes() == pdf.read_bytes()
    select(tab, first.number)
    assert "Evidence files: 1" in tab.details.text()
