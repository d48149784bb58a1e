"""After submission (issue #6, point 6), opened from a DHR's Documents tab: the submission date,
the copies to the Domestic Abuse Commissioner (and the Secretary of State when Settings lists
them) with their deadlines, the Home Office feedback letter with its outcome and file, and each
area for final development, marked done one by one."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.form_fields import (
    DateField,
    attempt,
    fill_table,
    read_only_table,
    text_box,
    text_line,
    until_saved,
)
from dhr_desk.ui.record_forms import DayDialog, ReasonDialog, default_day
from dhr_desk.workflows.after_submission import OUTCOME_WORDS, AfterSubmission, AreaForDevelopment
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.working_calendar import en_gb


class FeedbackLetterDialog(ReasonDialog):
    """The Home Office letter: outcome, date received, its file, areas for final development."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Record the Home Office feedback letter", parent)
        self.outcome = QComboBox()
        self.outcome.setAccessibleName("Outcome of the letter")
        for key, words in OUTCOME_WORDS.items():
            self.outcome.addItem(words, key)
        self.optional("&Outcome", self.outcome)
        self.on = self.required("&Received on", DateField("Letter received on"), "the date")
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.path = text_line("Letter file", "the letter as PDF or Word")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        line.addWidget(self.path, 1)
        line.addWidget(browse)
        row.setFocusProxy(self.path)
        self.optional("The letter's &file", row)
        self.path.textChanged.connect(self.validate)
        self.areas = text_box("Areas for final development", "one per line")
        self.optional("&Areas for final development (one per line)", self.areas)
        self.note("The letter is added to the Documents as the Home Office feedback letter, "
                  "marked OFFICIAL (it is published with the report). Each area is tracked "
                  "until done; publication waits for all of them.")  # fmt: skip
        self.finish()

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "The Home Office letter", "",
                                              "Letters (*.pdf *.docx);;All files (*)")  # fmt: skip
        if path:
            self.path.setText(path)

    def validate(self, *_: object) -> bool:
        ok = super().validate()
        if hasattr(self, "path") and not self.path.text().strip():
            ok = False
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        return ok


class AreaDoneDialog(ReasonDialog):
    def __init__(self, area: AreaForDevelopment, parent: QWidget | None = None) -> None:
        super().__init__("Area for final development done", parent)
        self.note(f"<b>{escape(area.description)}</b>")
        self.on = self.required("Done &on", DateField("Done on"), "the date")
        self.by = self.required("Done &by", text_line("Done by", "name and role"), "who did it")
        self.finish()


class AfterSubmissionDialog(QDialog):
    """The review's submission and the Home Office's answer, in one place."""

    def __init__(self, desk: Desk, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.reference = desk, reference
        self.setWindowTitle(f"After submission: {reference}")
        self.resize(880, 560)
        layout = QVBoxLayout(self)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("Submission, copies and the Home Office letter")
        layout.addWidget(self.facts)
        buttons = QHBoxLayout()
        for text, slot in (
            ("Record the &submission…", self.record_submission),
            ("&Copy sent to the DA Commissioner…", self.record_da_copy),
            ("Feedback &letter…", self.record_letter),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.sos_button = QPushButton("Copy sent to the Secretary of S&tate…")
        self.sos_button.clicked.connect(self.record_sos_copy)
        buttons.addWidget(self.sos_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("<b>Areas for final development</b> (publication waits for all)"))
        self.areas = read_only_table("Areas for final development",
                                     ["Area", "Raised", "Done", "By"])  # fmt: skip
        header = self.areas.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.areas.itemSelectionChanged.connect(self._enable)
        layout.addWidget(self.areas, 1)
        row = QHBoxLayout()
        self.done_button = QPushButton("&Mark done…")
        self.done_button.clicked.connect(self.area_done)
        row.addWidget(self.done_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.record: AfterSubmission | None = None
        self.load()

    def load(self) -> None:
        record = attempt(self, "Not loaded", lambda: self.desk.after_submission(self.reference))
        self.record = record
        if record is None:
            return
        lines = [f"<b>Last pack made:</b> {escape(record.last_pack or 'none yet')}"]
        submitted, first = record.submitted_on, record.first_submitted_on
        if submitted is None:
            lines.append("<b>Submitted to the Home Office:</b> not yet recorded")
        elif record.resubmitted and first is not None:
            lines.append(f"<b>Resubmitted</b> on {en_gb(submitted)} (first submitted on "
                         f"{en_gb(first)})")  # fmt: skip
        else:
            lines.append(f"<b>Submitted to the Home Office</b> on {en_gb(submitted)}")
        for copy in record.copies:
            lines.append(f"<b>Copy to the {escape(copy.to)}:</b> {escape(copy.status)}")
        received = record.qa_letter_received_on
        if record.qa_outcome and received is not None:
            lines.append(f"<b>Home Office letter</b> received {en_gb(received)}: "
                         f"{escape(record.qa_outcome)}")  # fmt: skip
        else:
            lines.append("<b>Home Office letter:</b> not yet recorded")
        for letter in record.feedback_letters:
            lines.append(f"&nbsp;&nbsp;in Documents: {escape(letter)}")
        self.facts.setText("<br>".join(lines))
        self.sos_button.setVisible(any(c.to == "Secretary of State" for c in record.copies))
        fill_table(self.areas, [
            (a.description, en_gb(a.raised_on) if a.raised_on else "",
             en_gb(a.done_on) if a.done_on else "not yet", a.done_by)
            for a in record.areas
        ])  # fmt: skip
        self._enable()

    def _selected(self) -> AreaForDevelopment | None:
        row = self.areas.currentRow()
        if self.record is None or not self.areas.selectionModel().selectedRows():
            return None
        return self.record.areas[row] if 0 <= row < len(self.record.areas) else None

    def _enable(self) -> None:
        area = self._selected()
        self.done_button.setEnabled(area is not None and area.done_on is None)

    def _until_done(self, dialog: QDialog, title: str, change: Callable[[], object]) -> None:
        until_saved(self, dialog, title, change)
        self.load()

    def _event(self, title: str, label: str, event: str) -> None:
        dialog = DayDialog(title, label, self)
        self._until_done(
            dialog,
            f"{title}: not recorded",
            lambda: self.desk.lifecycle().record_event(self.reference, event,
                                                       default_day(dialog.on)),
        )  # fmt: skip

    def record_submission(self) -> None:
        self._event("Submitted to the Home Office", "&Submitted on", "submitted")

    def record_da_copy(self) -> None:
        self._event("Copy sent to the Domestic Abuse Commissioner", "&Sent on",
                    "da_commissioner_copy_sent")  # fmt: skip

    def record_sos_copy(self) -> None:
        dialog = DayDialog("Copy sent to the Secretary of State", "&Sent on", self)
        self._until_done(
            dialog,
            "Copy not recorded",
            lambda: self.desk.record_secretary_of_state_copy(self.reference,
                                                             default_day(dialog.on)),
        )  # fmt: skip

    def record_letter(self) -> None:
        dialog = FeedbackLetterDialog(self)
        self._until_done(
            dialog,
            "Letter not recorded",
            lambda: self.desk.record_feedback_letter(
                self.reference,
                outcome=str(dialog.outcome.currentData()),
                received_on=default_day(dialog.on),
                letter=Path(dialog.path.text().strip()),
                areas=dialog.areas.toPlainText().splitlines(),
            ),
        )

    def area_done(self) -> None:
        area = self._selected()
        if area is None:
            return
        dialog = AreaDoneDialog(area, self)
        self._until_done(
            dialog,
            "Not marked done",
            lambda: self.desk.area_done(self.reference, area.amendment_id,
                                        done_on=default_day(dialog.on),
                                        by=dialog.by.text().strip()),
        )  # fmt: skip
