"""The review workspace: a stage stepper (done, current, ahead, in words as well as marks),
what each next stage needs with a button that moves the review on or says exactly what is
missing, pause/resume and revised-date dialogs that require a reason, and the Summary and
Timeline tabs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.action_plan_tab import ActionPlanTab
from dhr_desk.ui.documents_tab import DocumentsTab
from dhr_desk.ui.form_fields import (
    DateField,
    Field,
    attempt,
    fill_table,
    read_only_table,
    text_box,
    text_line,
)
from dhr_desk.ui.record_forms import ReasonDialog
from dhr_desk.ui.register_page import show_date
from dhr_desk.ui.review_tabs import (
    AuditTab,
    FamilyTab,
    PanelTab,
    PeopleTab,
    ProceedingsTab,
    RecordsTab,
    RequestsTab,
)
from dhr_desk.workflows.asb_threshold import ThresholdAssessment
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.lifecycle import APPLICANT_AT_MEETING, Lifecycle, current_actor
from dhr_desk.workflows.review_overview import ReviewOverview

STEP_MARKS = {"done": "✓", "current": "▶", "ahead": "·"}
PAUSE_KINDS = (
    ("Criminal trial", "trial"),
    ("Inquest", "inquest"),
    ("IOPC investigation", "iopc"),
    ("Other", "other"),
)


class PauseDialog(ReasonDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Pause the review", parent)
        self.form.addRow(QLabel("Pausing stops the review's clocks until it is resumed."))
        self.kind = QComboBox()
        self.kind.setAccessibleName("Reason for the pause")
        for label, value in PAUSE_KINDS:
            self.kind.addItem(label, value)
        self.form.addRow(Field("&Because of", self.kind))
        self.on = self.required("&From", DateField("Paused from"), "the date")
        self.reason = self.required("&Reason", text_box("Reason"), "the reason")
        self.approver = self.required("&Approved by", text_line("Approved by"), "who approved it")
        self.finish()


class ResumeDialog(ReasonDialog):
    def __init__(self, since: dt.date | None, parent: QWidget | None = None) -> None:
        super().__init__("Resume the review", parent)
        started = f" (paused since {show_date(since)})" if since else ""
        self.form.addRow(QLabel(f"Resuming moves every clock on by the paused span{started}."))
        self.on = self.required("&Resumed on", DateField("Resumed on"), "the date")
        self.reason = self.required("&Why", text_box("Why it resumes"), "why it resumes")
        self.finish()


class RevisedDateDialog(ReasonDialog):
    def __init__(self, rules: tuple[tuple[str, str], ...], parent: QWidget | None = None) -> None:
        super().__init__("Agree a revised date", parent)
        self.deadline = QComboBox()
        self.deadline.setAccessibleName("Deadline")
        for key, name in rules:
            self.deadline.addItem(name, key)
        completion = self.deadline.findData("completion")
        self.deadline.setCurrentIndex(max(completion, 0))
        self.form.addRow(Field("&Deadline", self.deadline))
        self.revised = self.required(
            "Revised &date", DateField("Revised date", future_allowed=True), "the date"
        )
        self.reason = self.required("&Reason", text_box("Reason"), "the reason")
        self.approver = self.required("&Approved by", text_line("Approved by"), "who approved it")
        self.approved_on = self.required("Approved &on", DateField("Approved on"), "the date")
        self.finish()


class EventDialog(ReasonDialog):
    """Record the date of one of the review's events (sign-off, publication …)."""

    def __init__(self, events: tuple[tuple[str, str], ...], parent: QWidget | None = None) -> None:
        super().__init__("Record an event", parent)
        self.event = QComboBox()
        self.event.setAccessibleName("Event")
        for key, words in events:
            self.event.addItem(words, key)
        self.form.addRow(Field("&Event", self.event))
        self.on = self.required("&On", DateField("Event date"), "the date")
        self.by = text_line("Who", "e.g. CSP Chair, for the board")
        self.by_field = Field("Signed off &by", self.by)
        self.form.addRow(self.by_field)
        self.note = text_box("Note (optional)")
        self.form.addRow(Field("&Note (optional)", self.note))
        self.event.currentIndexChanged.connect(self._sign_off_or_not)
        self._sign_off_or_not()
        self.finish()

    def _sign_off_or_not(self, *_: object) -> None:
        """Who is asked for a sign-off (who signed off) and a SPOC (the SPOC's name) only."""
        event = self.event.currentData()
        self.by_field.setVisible(event in ("signed_off", "spoc_assigned"))
        self.by_field.caption.setText("The S&POC's name" if event == "spoc_assigned"
                                      else "Signed off &by")  # fmt: skip


class DecisionDialog(ReasonDialog):
    """Stage 2: the CSP Chair's decision, with partners, to hold or not hold a review."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Record the decision", parent)
        self.decision = QComboBox()
        self.decision.setAccessibleName("Decision")
        self.decision.addItem("Hold a review", "hold")
        self.decision.addItem("Do not hold a review", "not_hold")
        self.form.addRow(Field("&Decision", self.decision))
        self.on = self.required("Decided &on", DateField("Decided on"), "the date")
        self.reasons = self.required("&Reasons", text_box("Reasons"), "the reasons")
        self.decided_by = self.required(
            "Decided &by", text_line("Decided by", "e.g. CSP Chair, with partners"), "who decided"
        )
        self.finish()


THRESHOLD_DECISIONS = (
    ("Met: enough qualifying complaints", "met_automatically"),
    ("Met on discretion", "met_on_discretion"),
    ("Not met", "not_met"),
)


class ThresholdDialog(ReasonDialog):
    """ASB: the threshold decision, with the count of qualifying complaints against the
    partnership's threshold (s.104(4)) shown first; the decision the count requires is chosen
    for the officer and the one it rules out is not offered."""

    def __init__(self, assessment: ThresholdAssessment, parent: QWidget | None = None) -> None:
        super().__init__("Record the threshold decision", parent)
        self.note(assessment.explanation)
        for problem in assessment.problems:
            self.note(f"Check: {problem}")
        self.decision = QComboBox()
        self.decision.setAccessibleName("Threshold decision")
        for label, value in THRESHOLD_DECISIONS:
            if (value == "met_automatically") == assessment.met_automatically:
                self.decision.addItem(label, value)
        self.form.addRow(Field("&Decision", self.decision))
        self.on = self.required("Decided &on", DateField("Decided on"), "the date")
        self.decided_by = self.required("Decided &by", text_line("Decided by"), "who decided")
        self.reasons = self.required("&Reasons", text_box("Reasons"), "the reasons")
        self.signposting = text_box("Signposting", "other help the applicant can get")
        self.signposting_field = Field("&Signposting (threshold not met)", self.signposting)
        self.form.addRow(self.signposting_field)
        self.decision.currentIndexChanged.connect(self._not_met_or_not)
        self._not_met_or_not()
        self.finish()

    def _not_met_or_not(self, *_: object) -> None:
        """Signposting goes in the letter when the threshold is not met."""
        self.signposting_field.setVisible(self.decision.currentData() == "not_met")


class ReviewMeetingDialog(ReasonDialog):
    """ASB: the case review meeting, who took part, the applicant, and what it found."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Record the review meeting", parent)
        self.on = self.required("Held &on", DateField("Review meeting held on"), "the date")
        self.attendees = self.required(
            "&Took part (agencies and people)", text_box("Who took part"), "who took part"
        )
        self.applicant = QComboBox()
        self.applicant.setAccessibleName("The applicant at the meeting")
        for key, words in APPLICANT_AT_MEETING.items():
            self.applicant.addItem(words[:1].upper() + words[1:], key)
        self.optional("The &applicant", self.applicant)
        self.findings = self.required("&Findings", text_box("What the review found"),
                                      "what the review found")  # fmt: skip
        self.note("The findings go into the outcome letter. Record the recommendations and "
                  "their actions in the Action plan tab.")  # fmt: skip
        self.finish()


class ReviewWorkspace(QDialog):
    """One review, opened from the register or the dashboard. ``changed`` tells the window to
    refresh its lists after a change here."""

    changed = Signal()

    def __init__(self, desk: Desk, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.reference = reference
        self.setWindowTitle(f"Review {reference}")
        self.resize(1100, 680)  # fits a 1366x768 screen
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.heading)
        body = QHBoxLayout()
        self.stepper = QListWidget()
        self.stepper.setAccessibleName("Stages of this review")
        self.stepper.setFixedWidth(260)
        self.stepper.setWordWrap(True)  # long stage names wrap instead of scrolling sideways
        self.stepper.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        body.addWidget(self.stepper)
        right = QVBoxLayout()
        self.next_box = QGroupBox("What next")
        self.next_layout = QVBoxLayout(self.next_box)
        right.addWidget(self.next_box)
        actions = QHBoxLayout()
        self.pause_button = QPushButton()
        self.pause_button.setAccessibleName("Pause or resume the review (the clocks stop)")
        self.pause_button.clicked.connect(self.pause_or_resume)
        self.decision_button = QPushButton("Record the &decision…")
        self.decision_button.clicked.connect(self.record_decision)
        self.threshold_button = QPushButton("Record the t&hreshold decision…")
        self.threshold_button.clicked.connect(self.record_threshold_decision)
        record = QPushButton("Record an &event…")
        record.clicked.connect(self.record_event)
        revised = QPushButton("Agree a re&vised date…")
        revised.clicked.connect(self.agree_revised_date)
        self.meeting_button = QPushButton("Record the review meeting…")
        self.meeting_button.clicked.connect(self.record_review_meeting)
        self.escalation_button = QPushButton("Escalation…")
        self.escalation_button.setAccessibleName("The applicant's escalation: request and decision")
        self.escalation_button.clicked.connect(self.escalation)
        lead = QPushButton("Lead officer…")
        lead.setAccessibleName("Change who leads this review")
        lead.clicked.connect(self.change_lead_officer)
        reload = QPushButton("Reload")
        reload.setAccessibleName("Reload this review from the database")
        reload.clicked.connect(self.refresh)
        reload.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        reload.setToolTip("Reload (F5)")
        for button in (
            self.decision_button,
            self.threshold_button,
            self.meeting_button,
            record,
            self.pause_button,
            revised,
            self.escalation_button,
            lead,
            reload,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        right.addLayout(actions)
        self.tabs = QTabWidget()
        self.summary = read_only_table("Summary", ["What", "Recorded"])
        self.timeline = read_only_table("Timeline", ["Date", "What", "Status", "Detail"])
        self.tabs.addTab(self.summary, "&Summary")
        self.tabs.addTab(self.timeline, "&Timeline")
        first = attempt(self, "Review not loaded", lambda: desk.overview(reference))
        kind = first.summary.kind if first is not None else "dhr"  # no tabs hidden if unknown
        self.record_tabs: list[RecordsTab] = [PeopleTab(self), PanelTab(self, kind)]
        titles = ["Pe&ople", "Panel && &meetings"]
        self.record_tabs.append(RequestsTab(self))
        titles.append("A&gencies")
        self.record_tabs.append(ActionPlanTab(self))
        titles.append("Action p&lan")
        self.record_tabs.append(DocumentsTab(self, kind))
        titles.append("Documents")  # every letter of it is taken: Ctrl+Tab reaches it
        if kind == "dhr":
            self.record_tabs += [FamilyTab(self), ProceedingsTab(self)]
            titles += ["&Family", "Pro&ceedings"]
        self.record_tabs.append(AuditTab(self))
        titles.append("A&udit")
        for tab, title in zip(self.record_tabs, titles, strict=True):
            self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(self._load_shown_tab)
        right.addWidget(self.tabs, 1)
        body.addLayout(right, 1)
        layout.addLayout(body, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.overview: ReviewOverview | None = None
        if first is not None:
            self._show(first)

    def lifecycle(self) -> Lifecycle:
        """The lifecycle services, refusing a change if the review changed since it was read."""
        # Not loaded: 0 refuses every change, offering a reload, rather than checking nothing.
        seen = self.overview.last_change if self.overview is not None else 0
        return self.desk.lifecycle(seen_change=seen)

    def _load_shown_tab(self, *_: object) -> None:
        shown = self.tabs.currentWidget()
        if isinstance(shown, RecordsTab) and shown.stale:
            shown.load()

    def refresh(self) -> None:
        """Read the review afresh: the overview (with its change token) first, then the tab
        shown, so what is on screen is never older than the token changes are checked with."""
        for tab in self.record_tabs:
            tab.stale = True
        overview = attempt(self, "Review not loaded", lambda: self.desk.overview(self.reference))
        if overview is not None:
            self._show(overview)

    def _show(self, overview: ReviewOverview) -> None:
        """Show a freshly read overview, then the tab shown (read after it)."""
        self._load_shown_tab()
        self.overview = overview
        s = overview.summary
        status = "<b>Paused</b>" if s.status == "paused" else s.status.capitalize()
        self.heading.setText(
            f"<h2>{escape(s.reference)}: {escape(s.title)}</h2>{escape(s.stage_name)} · {status}"
        )
        self.stepper.clear()
        for step in overview.steps:
            item = QListWidgetItem(f"{STEP_MARKS[step.state]}  {step.name}")
            item.setToolTip(step.description)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{step.name}: {step.state}")
            if step.state == "current":
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                item.setBackground(Qt.GlobalColor.yellow)
            elif step.state == "ahead":
                item.setForeground(Qt.GlobalColor.darkGray)
            self.stepper.addItem(item)
        self._show_next_steps(overview)
        self.decision_button.setVisible(overview.decision_needed)
        self.threshold_button.setVisible(overview.threshold_needed)
        self.escalation_button.setVisible(s.kind == "asb")  # an ASB applicant's right
        self.meeting_button.setVisible(overview.meeting_needed)
        self.pause_button.setText("Resume…" if s.status == "paused" else "Pause…")
        self.pause_button.setEnabled(s.status != "closed")
        fill_table(self.summary, [(label, value) for label, value in overview.facts])
        entries = attempt(self, "Timeline not loaded", lambda: self.desk.timeline(self.reference))
        fill_table(
            self.timeline,
            [(show_date(e.on), e.text, e.status, e.detail) for e in (entries or [])],
        )

    def _show_next_steps(self, overview: ReviewOverview) -> None:
        while self.next_layout.count():
            item = self.next_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # gone from view now, not when the event loop next runs
                item.widget().deleteLater()
        if not overview.next_steps:
            self.next_layout.addWidget(QLabel("This review has no further stage."))
        for step in overview.next_steps:
            row = QHBoxLayout()
            button = QPushButton(f"Move to {step.target_name}")
            button.setAccessibleName(
                f"Move to {step.target_name}"
                + ("" if step.ready else f"; still needed: {' '.join(step.missing)}")
            )
            button.clicked.connect(lambda _=False, t=step.target: self.move_to(t))
            row.addWidget(button)
            needs = QLabel(
                "Ready: everything it needs is recorded."
                if step.ready
                else "Still needed: " + " ".join(step.missing)
            )
            needs.setWordWrap(True)
            if not step.ready:
                needs.setStyleSheet("color: #8a1f11;")
            row.addWidget(needs, 1)
            holder = QWidget()
            holder.setLayout(row)
            self.next_layout.addWidget(holder)
            holder.show()  # at once, not when the event loop next runs

    def move_to(self, target: str) -> None:
        lifecycle = self.lifecycle()
        name = next(
            (s.target_name for s in self.overview.next_steps if s.target == target), target
        ) if self.overview else target  # fmt: skip
        answer = QMessageBox.question(
            self, "Move the review on?", f"Move {self.reference} to {name}?"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        moved = attempt(
            self, "Not moved", lambda: lifecycle.move(self.reference, target), self._conflict
        )
        if moved is not None:
            self.changed.emit()
        self.refresh()

    def _conflict(self, title: str, message: str) -> None:
        """Someone else changed the review: say so and offer to reload (nothing was saved)."""
        answer = QMessageBox.question(
            self,
            title,
            f"{message}\n\nReload the review now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.refresh()

    def until_done(self, dialog: QDialog, title: str, change: Callable[[], object]) -> None:
        """Show the dialog until its change is saved or it is cancelled: a refused change says
        why and brings the dialog back with everything typed still in it. If someone else
        changed the review meanwhile, nothing is saved and a reload is offered instead."""
        clashed: list[str] = []

        def conflict(title: str, message: str) -> None:
            clashed.append(message)
            self._conflict(title, message)

        while dialog.exec() == QDialog.DialogCode.Accepted:
            if attempt(self, title, lambda: change() or True, conflict):
                self.changed.emit()
                break
            if clashed:
                return
        self.refresh()

    def pause_or_resume(self) -> None:
        lifecycle = self.lifecycle()
        if self.overview is not None and self.overview.summary.status == "paused":
            resume = ResumeDialog(self.overview.paused_since, self)
            self.until_done(
                resume,
                "Not resumed",
                lambda: lifecycle.resume(
                    self.reference,
                    on=resume.on.value() or dt.date.today(),
                    why=resume.reason.toPlainText(),
                ),
            )
            return
        pause = PauseDialog(self)
        self.until_done(
            pause,
            "Not paused",
            lambda: lifecycle.pause(
                self.reference,
                on=pause.on.value() or dt.date.today(),
                reason_kind=str(pause.kind.currentData()),
                reason=pause.reason.toPlainText(),
                approved_by=pause.approver.text(),
            ),
        )

    def record_decision(self) -> None:
        dialog = DecisionDialog(self)
        lifecycle = self.lifecycle()
        self.until_done(
            dialog,
            "Decision not recorded",
            lambda: lifecycle.record_decision(
                self.reference,
                decision=str(dialog.decision.currentData()),
                decided_on=dialog.on.value() or dt.date.today(),
                reasons=dialog.reasons.toPlainText(),
                decided_by=dialog.decided_by.text(),
            ),
        )

    def record_threshold_decision(self) -> None:
        lifecycle = self.lifecycle()
        assessment = attempt(
            self, "Threshold not assessed", lambda: lifecycle.assess_threshold(self.reference)
        )
        if assessment is None:
            return
        dialog = ThresholdDialog(assessment, self)
        self.until_done(
            dialog,
            "Threshold decision not recorded",
            lambda: lifecycle.record_threshold_decision(
                self.reference,
                decision=str(dialog.decision.currentData()),
                decided_on=dialog.on.value() or dt.date.today(),
                decided_by=dialog.decided_by.text(),
                reasons=dialog.reasons.toPlainText(),
                signposting=dialog.signposting.toPlainText()
                if dialog.decision.currentData() == "not_met"
                else None,
            ),
        )

    def record_event(self) -> None:
        if self.overview is None:
            return
        dialog = EventDialog(self.overview.recordable_events, self)
        lifecycle = self.lifecycle()
        self.until_done(
            dialog,
            "Event not recorded",
            lambda: lifecycle.record_event(
                self.reference,
                str(dialog.event.currentData()),
                dialog.on.value() or dt.date.today(),
                why=dialog.note.toPlainText().strip() or None,
                by=dialog.by.text()
                if dialog.event.currentData() in ("signed_off", "spoc_assigned")
                else None,
            ),
        )

    def record_review_meeting(self) -> None:
        dialog = ReviewMeetingDialog(self)
        lifecycle = self.lifecycle()
        self.until_done(
            dialog,
            "Review meeting not recorded",
            lambda: lifecycle.record_asb_review_meeting(
                self.reference, held_on=dialog.on.value() or dt.date.today(),
                attendees=dialog.attendees.toPlainText(),
                applicant=str(dialog.applicant.currentData()),
                findings=dialog.findings.toPlainText(),
            ),
        )  # fmt: skip

    def escalation(self) -> None:
        from dhr_desk.ui.escalation_dialog import EscalationDialog

        EscalationDialog(self.desk, self.reference, self.refresh, self).exec()

    def change_lead_officer(self) -> None:
        """Who leads the review: an officer already known, or a login name typed."""
        dialog = ReasonDialog("Lead officer", self)
        names = attempt(self, "Officers not loaded", self.desk.officers) or []
        box = QComboBox()
        box.setEditable(True)
        box.setAccessibleName("Login name of the officer who leads the review")
        box.addItems(names)
        current = next((v for k, v in self.overview.facts if k == "Lead officer"), "") if (
            self.overview is not None) else ""  # fmt: skip
        box.setCurrentText(current if current != "none" else current_actor())
        dialog.required("&Officer (login name)", box, "the officer's login name")
        dialog.note('Their dashboard shows this review\'s deadlines under "the reviews I lead".')
        dialog.finish()
        self.until_done(
            dialog,
            "Lead officer not changed",
            lambda: self.desk.set_lead_officer(self.reference, box.currentText()),
        )

    def agree_revised_date(self) -> None:
        if self.overview is None:
            return
        dialog = RevisedDateDialog(self.overview.deadline_rules, self)
        lifecycle = self.lifecycle()
        self.until_done(
            dialog,
            "Revised date not agreed",
            lambda: lifecycle.agree_revised_date(
                self.reference,
                deadline=str(dialog.deadline.currentData()),
                revised_date=dialog.revised.value() or dt.date.today(),
                reason=dialog.reason.toPlainText(),
                approver=dialog.approver.text(),
                approved_on=dialog.approved_on.value(),
            ),
        )
