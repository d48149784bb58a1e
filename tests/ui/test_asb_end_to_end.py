"""An ASB Case Review from application to outcome through the real widgets only: the
application form, then the review window's events, threshold decision and moves, each
refused until what it needs is recorded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from dhr_desk.ui.new_review_forms import AsbApplicationForm
from dhr_desk.ui.review_workspace import (
    EventDialog,
    ReviewMeetingDialog,
    ReviewWorkspace,
    ThresholdDialog,
)
from dhr_desk.workflows.desk import Desk
from tests.ui.test_desk import answer_yes, desk, warnings  # noqa: F401 (desk: a fixture)
from tests.ui.test_main_window import save_screenshot

TODAY = dt.date.today()


def test_an_asb_application_is_taken_to_its_outcome_through_the_window(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # GIVEN an application made on the victim's behalf, with consent, and three complaints
    form = AsbApplicationForm(desk.lifecycle())
    qtbot.addWidget(form)
    qtbot.keyClicks(form.applicant, "Applicant (fictional)")
    form.contact.setPlainText("1 Invented Lane\nNowhere\nZZ9 9ZZ")
    form.email.setText("not an address")
    email = next(f for f, _ in form.fields if f.editor is form.email)
    assert email.message.text() == "'not an address' is not an email address."
    form.email.setText("applicant@example.invalid")
    assert email.message.text() == ""
    form.district.setCurrentText("Breckland")
    form.on_behalf.setChecked(True)
    form.consent.setCurrentIndex(form.consent.findData(True))
    for days in (40, 20, 5):
        form.add_complaint()
        row = form.complaints.rowCount() - 1
        form.complaints.cellWidget(row, 0).set_value(TODAY - dt.timedelta(days=days + 1))
        form.complaints.cellWidget(row, 1).set_value(TODAY - dt.timedelta(days=days))
    form.submit()
    assert form.created is not None
    reference = form.created.reference
    workspace = ReviewWorkspace(desk, reference)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 680)
    workspace.show()
    answer_yes(monkeypatch, QMessageBox.StandardButton.Yes)
    said = warnings(monkeypatch)
    event = ""

    def fill(dialog: QDialog) -> int:
        if isinstance(dialog, EventDialog):
            dialog.event.setCurrentIndex(dialog.event.findData(event))
            assert dialog.event.currentData() == event
        elif isinstance(dialog, ReviewMeetingDialog):
            assert not dialog.validate()  # nothing typed yet
            dialog.on.set_value(TODAY)
            dialog.attendees.setPlainText(
                "Fictional Constabulary; Breckland Council; the applicant"
            )
            dialog.applicant.setCurrentIndex(dialog.applicant.findData("attended"))
            dialog.findings.setPlainText("Reports were not shared between the agencies.")
            assert dialog.validate()
            dialog.show()
            save_screenshot(dialog, "desk-asb-review-meeting", tmp_path)
        elif isinstance(dialog, ThresholdDialog):
            # three qualifying complaints: only "met" is offered, and chosen
            assert dialog.decision.count() == 1
            assert dialog.decision.currentData() == "met_automatically"
            dialog.decided_by.setText("ASB Case Review panel")
            dialog.reasons.setPlainText("Three qualifying complaints within six months.")
            dialog.show()
            save_screenshot(dialog, "desk-threshold-dialog", tmp_path)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QDialog, "exec", fill)

    def record(name: str) -> None:
        nonlocal event
        event = name
        workspace.record_event()

    def stage() -> str:
        return desk.overview(reference).summary.stage

    # WHEN the officer moves on before the SPOC is assigned THEN it is refused, saying why
    workspace.move_to("spoc_contact")
    assert said and stage() == "application_received"
    record("spoc_assigned")
    workspace.move_to("spoc_contact")
    record("applicant_contacted")
    workspace.move_to("information_gathering")
    workspace.move_to("threshold_decision")
    assert stage() == "threshold_decision"
    # AND the "threshold decided" date is not offered as a bare event: it has its own form
    assert "threshold_decided" not in dict(desk.overview(reference).recordable_events)
    assert workspace.threshold_button.isVisibleTo(workspace)
    workspace.record_threshold_decision()
    assert not workspace.threshold_button.isVisibleTo(workspace)
    record("applicant_informed")
    workspace.move_to("review_meeting")
    assert workspace.meeting_button.isVisibleTo(workspace)
    workspace.record_review_meeting()
    assert not workspace.meeting_button.isVisibleTo(workspace)
    record("outcome_communicated")
    workspace.move_to("outcome_communicated")
    # THEN the review reached its outcome, and every step is in its audit trail
    assert stage() == "outcome_communicated"
    assert "Outcome communicated" in workspace.heading.text()
    actions = [entry.action for entry in desk.audit_trail(reference)]
    assert "Threshold decided" in actions and actions.count("Stage moved") == 5
    assert len(said) == 1  # only the first, premature move was refused
    moves = [
        button.text()
        for button in workspace.next_box.findChildren(QPushButton)
        if button.isVisibleTo(workspace)
    ]
    assert "Move to Action monitoring" in moves and "Move to Review meeting" not in moves
    save_screenshot(workspace, "desk-asb-outcome", tmp_path)
    # AND the outcome letter is made from the Documents tab, addressed to the applicant
    from pypdf import PdfReader

    from dhr_desk.ui.documents_tab import DocumentsTab

    monkeypatch.setattr(QMessageBox, "information", lambda *a: QMessageBox.StandardButton.Ok)
    tab = next(t for t in workspace.record_tabs if isinstance(t, DocumentsTab))
    workspace.tabs.setCurrentWidget(tab)
    tab.letter_kind.setCurrentIndex(tab.letter_kind.findData("outcome"))
    made = tab.make_letter(str(tmp_path / "letters"))
    assert made is not None
    text = " ".join(page.extract_text() for page in PdfReader(made[0]).pages)
    assert "Applicant (fictional)" in text and "1 Invented Lane" in text
    assert f"The outcome of your ASB Case Review ({reference})" in " ".join(text.split())
    assert "What the review found: Reports were not shared between the agencies." in " ".join(
        text.split())  # fmt: skip
    meeting = [m for m in desk.meetings(reference) if m.kind == "Review meeting"]
    assert len(meeting) == 1 and meeting[0].held.startswith("Held on")


def test_letters_and_an_escalation_through_the_review_window(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from dhr_desk.ui.documents_tab import DocumentsTab
    from dhr_desk.ui.escalation_dialog import (
        EscalationDecisionDialog,
        EscalationDialog,
        EscalationRequestDialog,
    )

    reference = next(r.reference for r in desk.register()[0] if r.stage == "outcome_communicated")
    workspace = ReviewWorkspace(desk, reference)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 680)
    workspace.show()
    assert workspace.escalation_button.isVisibleTo(workspace)
    answer_yes(monkeypatch, QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: QMessageBox.StandardButton.Ok)
    # GIVEN the Documents tab of an ASB review WHEN the outcome letter is made
    tab = next(t for t in workspace.record_tabs if isinstance(t, DocumentsTab))
    workspace.tabs.setCurrentWidget(tab)
    tab.letter_kind.setCurrentIndex(tab.letter_kind.findData("outcome"))
    made = tab.make_letter(str(tmp_path))
    # THEN it is written as PDF and Word, and kept in the review's documents
    assert made is not None and made[0].suffix == ".pdf" and made[1].suffix == ".docx"
    assert any(r.title == "Letter to the applicant: Outcome of the case review"
               for r in tab.versions.records)  # fmt: skip
    # WHEN the applicant escalates, and the escalation is upheld
    dialog = EscalationDialog(desk, reference, workspace.refresh, workspace)
    qtbot.addWidget(dialog)

    def fill(shown: QDialog) -> int:
        if isinstance(shown, EscalationRequestDialog):
            assert "OPCCN" in shown.route.text()
            shown.on.set_value(TODAY)
            shown.grounds.setPlainText("I was not invited to the review meeting.")
        elif isinstance(shown, EscalationDecisionDialog):
            shown.outcome.setCurrentIndex(shown.outcome.findData("upheld"))
            shown.on.set_value(TODAY)
            shown.reasons.setPlainText("The applicant should have been invited.")
        assert shown.validate()  # type: ignore[attr-defined]
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QDialog, "exec", fill)
    dialog.record_request()
    assert dialog.entries and dialog.entries[0].decision == "Not decided yet"
    assert not dialog.decide_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.decide_button.isEnabled()
    workspace.move_to("escalation")
    dialog.record_decision()
    # THEN the review is reopened and the decision is on the list
    assert dialog.entries[0].decision.startswith("Upheld on")
    assert desk.overview(reference).summary.stage == "information_gathering"
    dialog.show()
    save_screenshot(dialog, "desk-asb-escalation", tmp_path)
