"""A DHR from notification to a made submission pack through the real widgets only: the
notification form, the review window's decision, events and moves, its People, Panel, Agencies,
Family, Action plan and Documents tabs, and the submission pack wizard. Each premature move is
refused with its guard's message; the pack made verifies and the audit trail has every move."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document as WordDocument
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton, QWizard
from pytestqt.qtbot import QtBot

from dhr_desk.exports.pack_archive import verify_pack
from dhr_desk.ui import record_forms as forms
from dhr_desk.ui.action_forms import ActionDialog, RecommendationDialog
from dhr_desk.ui.action_plan_tab import ActionPlanTab
from dhr_desk.ui.documents_tab import AddVersionDialog, AnonymisationDialog, DocumentsTab
from dhr_desk.ui.new_review_forms import DhrNotificationForm
from dhr_desk.ui.review_tabs import AuditTab, FamilyTab, PanelTab, PeopleTab, RequestsTab
from dhr_desk.ui.review_workspace import DecisionDialog, ReviewWorkspace
from dhr_desk.ui.submission_pack_wizard import SubmissionPackWizard
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.guards import GUARDS
from dhr_desk.workflows.identifier_register import MASK
from dhr_desk.workflows.working_calendar import en_gb
from tests.ui.test_desk import answer_yes, desk, warnings  # noqa: F401 (desk: a fixture)
from tests.ui.test_main_window import save_screenshot
from tests.ui.test_review_tabs import ACCEPTED, REJECTED, cells, show_tab

TODAY = dt.date.today()
POLICE, HEALTH = "Fictional Constabulary", "Fictional Health Trust"


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def word_file(folder: Path, name: str, *paragraphs: str) -> Path:
    """A report written as the chair would: pseudonyms and roles only."""
    document = WordDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    path = folder / f"{name}.docx"
    document.save(str(path))
    return path


#: What the officer types into each dialog, whatever the step (field name: text).
TYPED: dict[type, dict[str, str]] = {
    DecisionDialog: {"reasons": "The death of an adult after abuse by her partner.",
                     "decided_by": "CSP Chair, with partners"},
    forms.ChairDialog: {"name": "Independent Chair (fictional)",
                        "statement": "No previous involvement with any agency in the review."},
    forms.MemberDialog: {"name": "Panel Member (fictional)",
                         "declaration": "No direct involvement with the people or managers."},
    forms.MeetingDialog: {"location": "County Hall"},
    forms.QualityDialog: {"by": "Review officer"},
    forms.FamilyContactDialog: {"summary": "Letter to Wren's sister: the review explained.",
                                "advocate": "AAFDA"},
    RecommendationDialog: {"text": "Health staff ask about domestic abuse at every contact."},
    ActionDialog: {"description": "Train every ward sister in routine enquiry."},
    AddVersionDialog: {"author": "Independent chair"},
}  # fmt: skip


def set_field(widget: Any, value: Any) -> None:
    """Set one field as the officer would: a date, a choice from a list, a tick, or text."""
    if hasattr(widget, "set_value"):  # a DateField
        widget.set_value(value)
    elif hasattr(widget, "findData"):
        widget.setCurrentIndex(widget.findData(value))
        if widget.isEditable() and widget.currentIndex() < 0:
            widget.setCurrentText(value)  # typed: a new document's title
        assert value in (widget.currentData(), widget.currentText()), f"{value} not offered"
    elif hasattr(widget, "setChecked"):
        widget.setChecked(value)
    elif hasattr(widget, "setPlainText"):
        widget.setPlainText(value)
    else:
        widget.setText(value)


def test_a_dhr_is_taken_from_notification_to_a_submission_pack_through_the_window(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # GIVEN a death notified to the CSP eight months ago, registered with the form
    form = DhrNotificationForm(desk.lifecycle())
    qtbot.addWidget(form)
    qtbot.keyClicks(form.title, "Review concerning 'Wren'")
    qtbot.keyClicks(form.referrer, POLICE)
    form.notified.set_value(ago(240))
    form.death.set_value(ago(250))
    form.circumstances.setPlainText("Wren died at home; her partner Rook was arrested.")
    form.secured.setChecked(True)
    assert form.ok.isEnabled()
    form.submit()
    assert form.created is not None and form.created.stage == "notified"
    reference = form.created.reference
    workspace = ReviewWorkspace(desk, reference)
    qtbot.addWidget(workspace)
    workspace.show()
    asked = answer_yes(monkeypatch, QMessageBox.StandardButton.Yes)
    said = warnings(monkeypatch)
    s: dict[str, Any] = {}
    answered: list[QDialog] = []
    checked: list[str] = []

    def fill(dialog: QDialog) -> int:
        # a refused change brings its dialog back: say why instead of looping
        assert not any(d is dialog for d in answered), f"refused: {said[-1:]}"
        answered.append(dialog)
        if isinstance(dialog, AnonymisationDialog):
            checked.append(dialog.summary.text())
            return REJECTED  # Close: nothing to override
        for name, value in {**TYPED.get(type(dialog), {}), **s}.items():
            set_field(getattr(dialog, name), value)
        assert dialog.validate(), dialog.windowTitle()  # type: ignore[attr-defined]
        return ACCEPTED

    monkeypatch.setattr(QDialog, "exec", fill)

    def do(action: Callable[[], None], **what: Any) -> None:
        s.clear()
        s.update(what)
        action()

    def record(event: str, on: dt.date) -> None:
        do(workspace.record_event, event=event, on=on)

    def refused(target: str, *guards: str) -> None:
        before, count = stage(), len(said)
        workspace.move_to(target)
        assert stage() == before and len(said) == count + 1
        assert all(GUARDS[g].needs in said[-1] for g in guards), said[-1]

    def stage() -> str:
        return desk.overview(reference).summary.stage

    def tab(kind: type) -> Any:
        return show_tab(workspace, kind)

    # WHEN the victim and perpetrator are added, each with a pseudonym
    people = tab(PeopleTab)
    do(people.add, role="victim", real_name="Ottoline Brasswick", pseudonym="Wren",
       born=dt.date(1986, 5, 17))  # fmt: skip
    do(people.add, role="perpetrator", real_name="Desmond Quarrendon", pseudonym="Rook")
    rows = cells(people.records.table)
    assert [r[:3] for r in rows] == [["Victim", "", "Wren"], ["Perpetrator", "", "Rook"]]
    assert rows[0][4] == MASK and not any("Brasswick" in text for r in rows for text in r)
    # THEN the review moves to its decision, but not on until the decision is recorded
    workspace.move_to("decision")
    assert "Decision · Open" in workspace.heading.text()
    refused("home_office_notified", "decision_recorded", "home_office_notified")
    assert workspace.decision_button.isVisibleTo(workspace)
    do(workspace.record_decision, decision="hold", on=ago(230))
    assert not workspace.decision_button.isVisibleTo(workspace)
    record("home_office_notified", ago(228))
    workspace.move_to("home_office_notified")
    workspace.move_to("commissioning")
    # AND commissioning needs the chair and the panel's declarations first
    refused("terms_of_reference", "chair_appointed_with_independence_statement",
            "panel_declarations_complete")  # fmt: skip
    panel = tab(PanelTab)
    do(panel.appoint_chair, on=ago(220))
    do(panel.add_member, agency=HEALTH, declared=True, on=ago(218))
    members = cells(panel.members.table)
    assert [r[:3] for r in members] == [["Independent Chair (fictional)", "Chair", "Independent"],
                                        ["Panel Member (fictional)", "Member", HEALTH]]  # fmt: skip
    assert members[1][4].startswith("No involvement declared on")
    do(panel.schedule, on=ago(210))
    panel.meetings.table.selectRow(0)
    do(panel.held, on=ago(210))
    assert cells(panel.meetings.table)[0][2].startswith("Held on")
    workspace.move_to("terms_of_reference")
    record("terms_of_reference_agreed", ago(210))
    requests = tab(RequestsTab)
    do(requests.request, agency=POLICE, kind="imr", on=ago(205))
    do(requests.request, agency=HEALTH, kind="chronology", on=ago(205))
    do(tab(FamilyTab).log, on=ago(200), leaflet=True, advocacy=True)
    workspace.move_to("information_gathering")
    # AND drafting waits until every return is in and quality-checked
    refused("analysis_and_drafting", "no_outstanding_information_requests")
    requests = tab(RequestsTab)
    for row in range(2):
        for slot, days in ((requests.returned, 150), (requests.check, 145)):
            requests.records.table.selectRow(row)
            do(slot, on=ago(days))
    rows = cells(requests.records.table)
    assert [r[0] for r in rows] == [POLICE, HEALTH] and rows[0][1].endswith("Management Review")
    assert all(r[4].startswith("Checked: Accepted on") for r in rows)
    workspace.move_to("analysis_and_drafting")
    plan = tab(ActionPlanTab)
    do(plan.add_recommendation, made_on=ago(60), lead=HEALTH)
    plan.tree.setCurrentIndex(plan.model.index(0, 0))
    do(plan.add_action, agency=HEALTH, target=TODAY + dt.timedelta(days=90))
    action = plan.model.item(0, 0).child(0, 2)
    assert plan.model.item(0, 5).text() == "1 of 1 open" and action.text() == HEALTH
    workspace.move_to("consultation")
    requests = tab(RequestsTab)
    do(requests.request, agency=HEALTH, kind="factual_accuracy", on=ago(40))
    requests.records.table.selectRow([r.received for r in requests.records.records].index(False))
    do(requests.returned, on=ago(30))
    record("family_seen_draft", ago(25))
    documents = tab(DocumentsTab)
    draft = word_file(tmp_path, "overview-draft", "Wren lived with Rook in a market town.",
                      "The GP saw Wren twice in the year before she died.")  # fmt: skip
    do(documents.add, path=str(draft), title_box="Overview report", kind="overview_report",
       status="draft")  # fmt: skip
    # AND sign-off waits for the draft's anonymisation check, which finds nothing
    refused("sign_off", "draft_anonymisation_passed")
    documents.versions.table.selectRow(0)
    documents.check()
    assert checked and checked[0].startswith("<b>Clean:</b>")
    assert cells(documents.versions.table)[0][-1] == "clean"
    workspace.move_to("sign_off")
    do(workspace.record_event, event="signed_off", on=ago(10), by="CSP Chair (fictional)")
    refused("submitted", "submission_anonymisation_passed")
    assert "Sign-off · Open" in workspace.heading.text()
    needs = [w.text() for w in workspace.next_box.findChildren(QLabel) if w.isVisibleTo(workspace)]
    assert needs == ["Still needed: " + GUARDS["submission_anonymisation_passed"].needs]

    # WHEN the final versions are added and the submission pack wizard is worked through
    documents = tab(DocumentsTab)
    for kind, title in (("overview_report", "Overview report"),
                        ("executive_summary", "Executive summary")):  # fmt: skip
        final = word_file(tmp_path, f"{kind}-final", f"{title}: the review of Wren's death.",
                          "Rook was convicted; the panel's learning follows.")  # fmt: skip
        do(documents.add, path=str(final), title_box=title, kind=kind, status="final")
    finals = {v.kind: v.version_id for v in documents.versions.records if v.status == "Final"}
    wizard = SubmissionPackWizard(desk, reference, documents)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.overview.currentData() == finals["Overview report"]
    assert wizard.summary.currentData() == finals["Executive summary"]
    wizard.next()
    assert "longer than its completion date" in wizard.currentPage().subTitle()
    wizard.delay_reasons.setPlainText("The criminal trial was adjourned twice.")
    wizard.feedback_contact.setText("The review officer, dhr@example.org")
    wizard.next()
    wizard.next()
    page = wizard.checklist_page
    assert wizard.currentPage() is page
    assert [row[0] for row in cells(page.table)] == ["Pass"] * 8, cells(page.table)
    signed = next(row[2] for row in cells(page.table) if "sign-off" in row[1])
    assert signed == f"Signed off on {en_gb(ago(10))} by CSP Chair (fictional)."
    assert page.verdict.text().startswith("<b>Every item passes.</b>")
    page.folder.setText(str(tmp_path / "packs"))
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled() and finish.text() == "&Make the pack"
    finish.click()
    # THEN the pack is made and verifies, and the review moves to submission
    assert wizard.made is not None and wizard.made.is_file()
    assert wizard.made.parent == tmp_path / "packs" and verify_pack(wizard.made).ok
    # the wizard saved to the review: Reload (as the Documents tab does when it closes)
    next(b for b in workspace.findChildren(QPushButton) if b.text() == "Reload").click()
    workspace.move_to("submitted")
    assert stage() == "submitted"
    assert "Submitted to Home Office · Open" in workspace.heading.text()
    # AND the audit trail has every move; only the five premature moves were refused
    audit = [row[2] for row in cells(tab(AuditTab).records.table)]
    assert audit.count("Stage moved") == 9 and "Decision recorded" in audit
    assert len(said) == 5 and all(a.startswith("Move the review on?") for a in asked)
    save_screenshot(workspace, "desk-dhr-walk", tmp_path)
