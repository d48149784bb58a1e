"""Registering a review: the DHR notification form and the ASB Case Review application form.
Every field is checked as it is typed, the OK button waits until the form is complete, and
closing a form with typed work asks before discarding it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.form_fields import DateField, Field, attempt, text_box, text_line
from dhr_desk.workflows.asb_threshold import Complaint, assess_threshold
from dhr_desk.workflows.lifecycle import (
    ComplaintInput,
    Lifecycle,
    NewAsbApplication,
    NewDhrNotification,
    ReviewSummary,
)
from dhr_desk.workflows.partnership import DISTRICTS


def district_combo() -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setAccessibleName("District")
    combo.addItem("")
    combo.addItems(DISTRICTS)
    return combo


class ReviewForm(QDialog):
    """What both forms share: a scrolling grid of fields, inline checks, OK when complete,
    and a question before typed work is thrown away."""

    title_text = ""

    def __init__(self, lifecycle: Lifecycle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lifecycle = lifecycle
        self.created: ReviewSummary | None = None
        self._dirty = False
        self._closing = False
        self.setWindowTitle(self.title_text)
        self.resize(720, 640)
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.grid = QGridLayout(body)
        scroll.setWidget(body)
        outer.addWidget(QLabel(f"<h2>{self.title_text}</h2>"))
        outer.addWidget(scroll, 1)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Register")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.fields: list[tuple[Field, Callable[[], str]]] = []

    def add(
        self, row: int, column: int, label: str, editor: QWidget, check: Callable[[], str]
    ) -> Field:
        field = Field(label, editor)
        self.grid.addWidget(field, row, column)
        self.fields.append((field, check))
        for signal in ("textChanged", "currentTextChanged", "changed", "toggled"):
            if hasattr(editor, signal):
                getattr(editor, signal).connect(self._edited)
        return field

    def _edited(self, *_: object) -> None:
        self._dirty = True
        self.validate()

    def validate(self) -> bool:
        """Check every field and show each problem under its field; OK only when none."""
        problems = [field.show_problem(check()) for field, check in self.fields]
        complete = not any(problems)
        self.ok.setEnabled(complete)
        self.summary.setText("" if complete else "Complete the fields marked in red.")
        return complete

    def submit(self) -> None:
        if not self.validate():
            return
        created = attempt(self, "Not registered", self.register)
        if created is not None:
            self.created = created
            self._dirty = False
            self.accept()

    def register(self) -> ReviewSummary:
        raise NotImplementedError

    def reject(self) -> None:
        if self._dirty and not self._confirm_discard():
            return
        self._dirty = False
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._dirty and not self._confirm_discard():
            event.ignore()
            return
        self._dirty = False  # asked once: QDialog's close goes through reject() next
        super().closeEvent(event)

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Discard this form?",
            "You have typed details that are not registered yet. Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard


def _required(widget: QLineEdit | QPlainTextEdit, what: str) -> Callable[[], str]:
    def check() -> str:
        text = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
        return "" if text.strip() else f"Enter {what}."

    return check


class DhrNotificationForm(ReviewForm):
    """Stage 1: a death notified to the CSP (the decision clock starts on the date told)."""

    title_text = "New DHR notification"

    def __init__(self, lifecycle: Lifecycle, parent: QWidget | None = None) -> None:
        super().__init__(lifecycle, parent)
        self.title = text_line("Pseudonym or title", "e.g. Review concerning 'Juniper'")
        self.notified = DateField("Date the CSP was told")
        self.death = DateField("Date of death", optional=True)
        self.referrer = text_line("Referrer", "e.g. the police, by role")
        self.district = district_combo()
        self.circumstances = text_box(
            "Circumstances", "What is known, by role and pseudonym only: no real names."
        )
        self.secured = QCheckBox("Agencies have been asked to secure their records")
        self.add(0, 0, "&Pseudonym / title (never a real name)", self.title,
                 _required(self.title, "a pseudonym or title"))  # fmt: skip
        self.add(1, 0, "Date the CSP was &told", self.notified, self._notified_problem)
        self.add(1, 1, "Date of &death", self.death, self._death_problem)
        self.add(2, 0, "Re&ferrer", self.referrer, _required(self.referrer, "who referred it"))
        self.add(2, 1, "D&istrict", self.district, lambda: "")
        told = self.add(3, 0, "&Circumstances", self.circumstances, lambda: "")
        self.grid.addWidget(told, 3, 0, 1, 2)
        self.grid.addWidget(self.secured, 4, 0, 1, 2)
        self.secured.toggled.connect(self._edited)
        self.grid.setRowStretch(5, 1)
        self._dirty = False
        self.validate()

    def _notified_problem(self) -> str:
        return self.notified.problem()

    def _death_problem(self) -> str:
        death, told = self.death.value(), self.notified.value()
        if death is not None and told is not None and death > told:
            return "The death cannot be after the date the CSP was told."
        return self.death.problem()

    def register(self) -> ReviewSummary:
        told = self.notified.value()
        assert told is not None
        return self.lifecycle.register_dhr(
            NewDhrNotification(
                date_notified=told,
                referrer=self.referrer.text().strip(),
                title=self.title.text().strip(),
                date_of_death=self.death.value(),
                circumstances=self.circumstances.toPlainText().strip() or None,
                district=self.district.currentText().strip() or None,
                records_secured_requested=self.secured.isChecked(),
            )
        )


COMPLAINT_COLUMNS = ("Behaviour on", "Complained on", "Complained to", "Separate incident ref")


class AsbApplicationForm(ReviewForm):
    """An ASB Case Review application with the complaints it relies on (s.104 ASBCPA 2014)."""

    title_text = "New ASB Case Review application"

    def __init__(self, lifecycle: Lifecycle, parent: QWidget | None = None) -> None:
        super().__init__(lifecycle, parent)
        self.received = DateField("Date the application was received")
        self.applicant = text_line("Applicant")
        self.district = district_combo()
        self.victim_type = QComboBox()
        self.victim_type.setAccessibleName("Victim type")
        for label, value in (("An individual", "individual"), ("A business", "business"),
                             ("A community group", "community_group")):  # fmt: skip
            self.victim_type.addItem(label, value)
        self.on_behalf = QCheckBox("Made on the victim's behalf")
        self.consent = QComboBox()
        self.consent.setAccessibleName("Victim's consent")
        for label, value in (("Not yet known", None), ("The victim consents", True),
                             ("The victim does not consent", False)):  # fmt: skip
            self.consent.addItem(label, value)
        self.add(0, 0, "Date recei&ved", self.received, self.received.problem)
        self.add(0, 1, "&Applicant (kept private)", self.applicant,
                 _required(self.applicant, "the applicant's name"))  # fmt: skip
        self.contact = text_box("Applicant's postal address", "for the letters")
        self.contact.setMaximumHeight(70)
        self.email = text_line("Applicant's email")
        self.add(3, 0, "Applicant's a&ddress (kept private)", self.contact, lambda: "")
        self.add(3, 1, "Applicant's &email", self.email, self._email_problem)
        self.add(1, 0, "D&istrict", self.district, self._district_problem)
        self.add(1, 1, "&Victim", self.victim_type, lambda: "")
        self.grid.addWidget(self.on_behalf, 2, 0)
        self.on_behalf.toggled.connect(self._edited)
        self.add(2, 1, "Victim's co&nsent", self.consent, self._consent_problem)

        self.complaints = QTableWidget(0, len(COMPLAINT_COLUMNS))
        self.complaints.setAccessibleName("Complaints the application relies on")
        self.complaints.setHorizontalHeaderLabels(list(COMPLAINT_COLUMNS))
        self.complaints.horizontalHeader().setStretchLastSection(True)
        self.complaints.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.complaints.setMinimumHeight(140)
        self.complaints.setTabKeyNavigation(False)  # Tab reaches each date and text field
        buttons = QHBoxLayout()
        add = QPushButton("Add &complaint")
        add.clicked.connect(self.add_complaint)
        remove = QPushButton("Re&move complaint")
        remove.clicked.connect(self.remove_complaint)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Complaints the application relies on (dates DD/MM/YYYY)"))
        column.addWidget(self.complaints)
        column.addLayout(buttons)
        self.complaint_field = self.add(5, 0, "", holder, self._complaints_problem)
        self.grid.addWidget(self.complaint_field, 5, 0, 1, 2)
        self.qualifying = QLabel("")
        self.qualifying.setWordWrap(True)
        self.qualifying.setTextFormat(Qt.TextFormat.RichText)
        self.qualifying.setAccessibleName("Which complaints qualify, and the threshold")
        self.grid.addWidget(self.qualifying, 6, 0, 1, 2)
        self.grid.setRowStretch(7, 1)
        self.local_threshold = lifecycle.asb_local_threshold()
        self._dirty = False
        self.validate()

    def add_complaint(self) -> None:
        row = self.complaints.rowCount()
        self.complaints.insertRow(row)
        for column in range(2):
            field = DateField(f"Complaint {row + 1}: {COMPLAINT_COLUMNS[column].lower()}")
            field.changed.connect(self._edited)
            self.complaints.setCellWidget(row, column, field)
        for column in (2, 3):
            line = QLineEdit()
            line.setAccessibleName(f"Complaint {row + 1}: {COMPLAINT_COLUMNS[column].lower()}")
            line.textChanged.connect(self._edited)
            self.complaints.setCellWidget(row, column, line)
        self.complaints.setRowHeight(row, 34)
        self._edited()

    def remove_complaint(self) -> None:
        row = self.complaints.currentRow()
        if row < 0:
            row = self.complaints.rowCount() - 1
        if row >= 0:
            self.complaints.removeRow(row)
            self._edited()

    def complaint_inputs(self) -> list[ComplaintInput]:
        found = []
        for row in range(self.complaints.rowCount()):
            behaviour, complained, to, ref = (
                self.complaints.cellWidget(row, c) for c in range(len(COMPLAINT_COLUMNS))
            )
            assert isinstance(behaviour, DateField) and isinstance(complained, DateField)
            assert isinstance(to, QLineEdit) and isinstance(ref, QLineEdit)
            incident, made = behaviour.value(), complained.value()
            assert incident is not None and made is not None
            found.append(
                ComplaintInput(
                    incident_date=incident,
                    complained_on=made,
                    complained_to=to.text().strip() or None,
                    separate_incident_ref=ref.text().strip() or None,
                )
            )
        return found

    def _district_problem(self) -> str:
        district = self.district.currentText().strip()
        if not district:
            return "Choose the district."
        if district not in DISTRICTS:
            return f"'{district}' is not a district of the partnership: choose one from the list."
        return ""

    def validate(self) -> bool:
        complete = super().validate()
        if hasattr(self, "qualifying"):
            self.show_qualifying()
        return complete

    def show_qualifying(self) -> None:
        """Live, as complaints are typed: which qualify (s.104(4) ASBCPA 2014: complained of
        within one month of the behaviour, the application within six months of the
        complaint) and why, and whether the local threshold is met automatically."""
        received = self.received.value()
        complete = received is not None and all(
            isinstance(w, DateField) and w.value() is not None
            for row in range(self.complaints.rowCount())
            for w in (self.complaints.cellWidget(row, 0), self.complaints.cellWidget(row, 1))
        )
        if not complete or self.complaints.rowCount() == 0 or self._complaints_problem():
            self.qualifying.setText("")
            return
        assert received is not None
        found = assess_threshold(
            [Complaint(c.incident_date, c.complained_on, c.separate_incident_ref, str(n))
             for n, c in enumerate(self.complaint_inputs(), start=1)],
            received, self.local_threshold,
        )  # fmt: skip
        lines = [
            f"&#10003; Complaint {f.complaint.label} qualifies: {escape(f.reason)}"
            for f in found.qualifying
        ] + [
            f"&#10007; Complaint {f.complaint.label} does not: {escape(f.reason)}"
            for f in found.not_qualifying
        ]  # fmt: skip
        verdict = (
            f"<b>Threshold met automatically</b>: {found.qualifying_count} qualifying "
            f"(the local number is {found.required})."
            if found.met_automatically
            else f"<b>Threshold not met automatically</b>: {found.qualifying_count} qualifying "
            f"of the {found.required} needed; the panel may still find it met on discretion."
        )
        self.qualifying.setText("<br>".join([*lines, verdict]))

    def _email_problem(self) -> str:
        email = self.email.text().strip()
        return f"'{email}' is not an email address." if email and "@" not in email else ""

    def _consent_problem(self) -> str:
        if self.on_behalf.isChecked() and self.consent.currentData() is None:
            return "An application on the victim's behalf needs their consent recorded."
        return ""

    def _complaints_problem(self) -> str:
        received = self.received.value() or dt.date.today()
        for number, complaint in enumerate(self.complaint_inputs(), start=1):
            if complaint.complained_on < complaint.incident_date:
                return f"Complaint {number} was made before the behaviour it complains of."
            if complaint.complained_on > received:
                return f"Complaint {number} was made after the application was received."
        return ""

    def register(self) -> ReviewSummary:
        received = self.received.value()
        assert received is not None
        on_behalf = self.on_behalf.isChecked()
        return self.lifecycle.register_asb(
            NewAsbApplication(
                received_on=received,
                applicant_name=self.applicant.text().strip(),
                applicant_contact=self.contact.toPlainText().strip() or None,
                applicant_email=self.email.text().strip() or None,
                district=self.district.currentText().strip(),
                victim_type=str(self.victim_type.currentData()),
                on_behalf_of=on_behalf,
                victim_consent=self.consent.currentData() if on_behalf else None,
                complaints=tuple(self.complaint_inputs()),
            )
        )
