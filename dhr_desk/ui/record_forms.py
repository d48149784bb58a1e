"""Small forms for recording things in a review: a base whose OK waits until every required
field is filled in (each problem shown under its field), and the forms the workspace tabs use
for people, the panel, meetings, information requests, family contacts and proceedings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.form_fields import DateField, Field, text_box, text_line
from dhr_desk.workflows.identifier_register import ROLE_WORDS, PersonDetails, shares_name_part
from dhr_desk.workflows.review_records import PanelEntry

W = TypeVar("W", bound=Any)
MEETING_KINDS = (
    ("Panel meeting", "panel"),
    ("Scoping meeting", "scoping"),
    ("Meeting with the family", "family"),
    ("ASB Case Review meeting", "review_meeting"),
    ("Learning event", "learning_event"),
    ("Other", "other"),
)
REQUEST_KINDS = (
    ("Individual Management Review (IMR)", "imr"),
    ("Chronology", "chronology"),
    ("Summary report", "summary_report"),
    ("Scoping: any contact?", "scoping"),
    ("Secure records", "secure_records"),
    ("Factual accuracy check of the draft", "factual_accuracy"),
    ("Other", "other"),
)
CONTACT_KINDS = (
    ("Family", "family"),
    ("Friend", "friend"),
    ("Employer", "employer"),
    ("Community", "community"),
    ("Perpetrator", "perpetrator"),
    ("Other", "other"),
)
CONTACT_METHODS = (
    ("Letter", "letter"),
    ("Email", "email"),
    ("Phone", "phone"),
    ("Visit", "visit"),
    ("Meeting", "meeting"),
    ("Video call", "video_call"),
    ("Through an intermediary (e.g. a family liaison officer)", "via_intermediary"),
    ("Other", "other"),
)
PROCEEDING_KINDS = (
    ("Criminal trial", "criminal_trial"),
    ("Inquest", "inquest"),
    ("IOPC investigation", "iopc"),
    ("Safeguarding Adults Review", "sar"),
    ("Child Safeguarding Practice Review", "cspr"),
    ("NHS investigation", "nhs_investigation"),
    ("Other", "other"),
)
EARLIEST_LIFE_DATE = dt.date(1900, 1, 1)
QUALITY_OUTCOMES = (("Accepted", "accepted"), ("Revision asked for", "revision_requested"))
ATTENDANCE = (("Present", "present"), ("Apologies", "apologies"), ("Absent", "absent"))


def choice(name: str, options: Sequence[tuple[str, str]], editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    box.setEditable(editable)
    for label, value in options:
        box.addItem(label, value)
    return box


def chosen(box: QComboBox) -> str:
    """The value of the chosen item, or the text typed into an editable box."""
    data = box.currentData()
    if box.isEditable() and box.currentText() != box.itemText(box.currentIndex()):
        return box.currentText().strip()
    return str(data) if data is not None else box.currentText().strip()


def typed(widget: QLineEdit | QPlainTextEdit) -> str | None:
    text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
    return text.strip() or None


class ReasonDialog(QDialog):
    """A small form whose OK waits until every required field is filled in."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.outer.addLayout(self.form)
        self.checks: list[tuple[Field, Callable[[], str]]] = []
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish(self) -> None:
        self.outer.addWidget(self.buttons)
        self.validate()

    def note(self, text: str) -> None:
        label = QLabel(text)
        label.setWordWrap(True)
        self.form.addRow(label)

    def optional(self, label: str, widget: W, form: QFormLayout | None = None) -> W:
        field = Field(label, widget)
        (form or self.form).addRow(field)
        if isinstance(widget, DateField):  # a date after today is still refused inline
            self.checks.append((field, widget.problem))
            widget.changed.connect(self.validate)
        return widget

    def required(self, label: str, widget: W, what: str, form: QFormLayout | None = None) -> W:
        field = Field(label, widget)
        (form or self.form).addRow(field)

        def check() -> str:
            if isinstance(widget, DateField):
                return widget.problem()
            if isinstance(widget, QComboBox):
                return "" if widget.currentText().strip() else f"Enter {what}."
            text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
            return "" if str(text).strip() else f"Enter {what}."

        self.checks.append((field, check))
        for signal in ("textChanged", "changed", "currentTextChanged"):
            if hasattr(widget, signal):
                getattr(widget, signal).connect(self.validate)
        return widget

    def validate(self, *_: object) -> bool:
        problems = [field.show_problem(check()) for field, check in self.checks]
        ok = not any(problems)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok


# --- the identifier register ----------------------------------------------------------------


class PersonDialog(ReasonDialog):
    """Add or edit one person of the identifier register: real identifiers on the left (never
    published), how the person appears in documents on the right."""

    def __init__(self, details: PersonDetails | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Edit a person" if details else "Add a person", parent)
        self.note(
            "Real identifiers stay inside the team. Documents that leave it use the pseudonym, "
            "and professionals are referred to by role."
        )
        columns = QHBoxLayout()
        real, shown = QFormLayout(), QFormLayout()
        for form in (real, shown):
            column = QVBoxLayout()
            column.addLayout(form)
            column.addStretch(1)  # fields keep to the top instead of spreading out
            columns.addLayout(column, 1)
        self.outer.addLayout(columns)
        self.role = choice("Role", [(words, key) for key, words in ROLE_WORDS.items()])
        self.optional("&Role", self.role, shown)
        self.pseudonym = text_line("Pseudonym")
        pseudonym = Field("&Pseudonym", self.pseudonym)
        shown.addRow(pseudonym)
        self.agreed = QCheckBox("Pseudonym &agreed with the family")
        shown.addRow(self.agreed)
        self.described = self.optional(
            "Role &description", text_line("Role description", "e.g. GP 1, Police officer 2"), shown
        )
        self.relationship = self.optional(
            "Relationship to the &victim", text_line("Relationship to the victim"), shown
        )
        self.notes = self.optional("N&otes", text_box("Notes"), shown)
        self.real_name = self.required("Real &name", text_line("Real name"), "the real name", real)
        self.nicknames = self.optional("Nic&knames (one a line)", text_box("Nicknames"), real)
        self.born = self.optional("Date of &birth", life_date("Date of birth"), real)
        self.died = self.optional("Date of d&eath", life_date("Date of death"), real)
        self.address = self.optional("Addre&ss", text_box("Address"), real)
        self.workplace = self.optional("&Workplace", text_line("Workplace"), real)
        self.others = self.optional(
            "Other &identifiers (one a line)", text_box("Other identifiers"), real
        )
        self.checks.append((pseudonym, self.pseudonym_problem))
        for edit in (self.pseudonym, self.real_name, self.nicknames):
            edit.textChanged.connect(self.validate)
        if details is not None:
            self.role.setCurrentIndex(max(self.role.findData(details.role), 0))
            self.pseudonym.setText(details.pseudonym or "")
            self.agreed.setChecked(details.pseudonym_agreed_with_family)
            self.described.setText(details.role_description or "")
            self.relationship.setText(details.relationship_to_victim or "")
            self.notes.setPlainText(details.notes or "")
            self.real_name.setText(details.real_name)
            self.nicknames.setPlainText(details.nicknames or "")
            self.born.set_value(details.date_of_birth)
            self.died.set_value(details.date_of_death)
            self.address.setPlainText(details.address or "")
            self.workplace.setText(details.workplace or "")
            self.others.setPlainText(details.other_identifiers or "")
        self.finish()

    def pseudonym_problem(self) -> str:
        """The register's rule, checked as typed against this person's own names (the other
        people's names are checked when it is saved)."""
        names = (self.real_name.text(), self.nicknames.toPlainText())
        if shares_name_part(self.pseudonym.text(), *names):
            return "The pseudonym shares a word with the real name or a nickname."
        return ""

    def details(self) -> PersonDetails:
        return PersonDetails(
            role=chosen(self.role),
            real_name=self.real_name.text().strip(),
            pseudonym=typed(self.pseudonym),
            pseudonym_agreed_with_family=self.agreed.isChecked(),
            role_description=typed(self.described),
            relationship_to_victim=typed(self.relationship),
            nicknames=typed(self.nicknames),
            date_of_birth=self.born.value(),
            date_of_death=self.died.value(),
            address=typed(self.address),
            workplace=typed(self.workplace),
            other_identifiers=typed(self.others),
            notes=typed(self.notes),
        )


def life_date(name: str) -> DateField:
    """A date of birth or death: optional, and long before the working calendar begins."""
    return DateField(name, optional=True, earliest=EARLIEST_LIFE_DATE)


class RevealDialog(ReasonDialog):
    def __init__(self, who: str, parent: QWidget | None = None) -> None:
        super().__init__("Show real identifiers", parent)
        self.note(
            f"You are about to see the real identifiers of {who}. Each time they are shown it "
            "is recorded in the review's audit log with your name and the reason."
        )
        self.reason = self.required("&Why you need to see them", text_box("Reason"), "why")
        self.finish()


class IdentifiersDialog(QDialog):
    """One person's identifiers, read-only, with a reminder of where they may go."""

    def __init__(self, details: PersonDetails, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Real identifiers")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        warning = QLabel(
            "<b>Confidential.</b> Do not copy these into anything that leaves the team; use "
            f"the pseudonym ({details.pseudonym or 'not set yet'}). This view was recorded "
            "in the audit log."
        )
        warning.setWordWrap(True)
        layout.addWidget(warning)
        form = QFormLayout()
        for label, value in (
            ("Role", ROLE_WORDS.get(details.role, details.role)),
            ("Real name", details.real_name),
            ("Nicknames", details.nicknames),
            ("Date of birth", details.date_of_birth and f"{details.date_of_birth:%d/%m/%Y}"),
            ("Date of death", details.date_of_death and f"{details.date_of_death:%d/%m/%Y}"),
            ("Address", details.address),
            ("Workplace", details.workplace),
            ("Other identifiers", details.other_identifiers),
        ):
            shown = QLabel(str(value) if value else "not recorded")
            shown.setWordWrap(True)
            shown.setAccessibleName(label)
            form.addRow(f"{label}:", shown)
        layout.addLayout(form)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)


# --- panel and meetings ---------------------------------------------------------------------


class ChairDialog(ReasonDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Appoint the independent chair", parent)
        self.name = self.required("&Name", text_line("Chair's name"), "the chair's name")
        self.on = self.required("&Appointed on", DateField("Appointed on"), "the date")
        self.statement = self.required(
            "&Independence statement", text_box("Independence statement"), "the statement"
        )
        self.also_author = QCheckBox("The chair also &writes the report (author)")
        self.also_author.setChecked(True)
        self.form.addRow(self.also_author)
        self.finish()


class MemberDialog(ReasonDialog):
    def __init__(self, agencies: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__("Add a panel member", parent)
        self.name = self.required("&Name", text_line("Member's name"), "the name")
        self.agency = self.required(
            "&Agency", choice("Agency", [(a, a) for a in agencies], editable=True), "the agency"
        )
        self.agency.setCurrentIndex(-1)
        self.job_title = self.optional("&Job title", text_line("Job title"))
        self.declared = QCheckBox(
            "Has &declared no direct involvement with the people or their line managers"
        )
        self.form.addRow(self.declared)
        self.declaration = self.optional("Declaration &text", text_box("Declaration"))
        self.on = self.optional("Declared o&n", DateField("Declared on"))
        self.finish()


class DeclarationDialog(ReasonDialog):
    def __init__(self, member: PanelEntry, parent: QWidget | None = None) -> None:
        super().__init__(f"Declaration by {member.name}", parent)
        self.declared = QCheckBox("Declares &no direct involvement")
        self.declared.setChecked(True)
        self.form.addRow(self.declared)
        self.declaration = self.required(
            "Declaration &text", text_box("Declaration"), "the declaration"
        )
        self.on = self.required("Declared &on", DateField("Declared on"), "the date")
        self.finish()


class StandDownDialog(ReasonDialog):
    def __init__(self, member: PanelEntry, parent: QWidget | None = None) -> None:
        super().__init__(f"{member.name} stands down", parent)
        self.on = self.required("&On", DateField("Stood down on"), "the date")
        self.why = self.required("&Why", text_box("Why"), "why")
        self.finish()


class MeetingDialog(ReasonDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Schedule a meeting", parent)
        self.kind = self.optional("&Kind", choice("Kind of meeting", MEETING_KINDS))
        self.on = self.required("&Date", DateField("Meeting date", future_allowed=True), "the date")
        self.location = self.optional("&Where", text_line("Where", "e.g. County Hall, or online"))
        self.finish()


class MeetingHeldDialog(ReasonDialog):
    """The meeting took place: when, and who came."""

    def __init__(self, members: Sequence[PanelEntry], parent: QWidget | None = None) -> None:
        super().__init__("Record the meeting as held", parent)
        self.on = self.required("&Held on", DateField("Held on"), "the date")
        self.attendance: dict[int, QComboBox] = {}
        if members:
            self.note("Attendance:")
        for member in members:
            box = choice(f"Attendance of {member.name}", ATTENDANCE)
            self.form.addRow(f"{member.name} ({member.role.lower()})", box)
            self.attendance[member.member_id] = box
        self.finish()

    def attended(self) -> dict[int, str]:
        return {member: chosen(box) for member, box in self.attendance.items()}


# --- information requests -------------------------------------------------------------------


class RequestDialog(ReasonDialog):
    def __init__(self, agencies: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__("Request information from an agency", parent)
        self.agency = self.required(
            "&Agency", choice("Agency", [(a, a) for a in agencies], editable=True), "the agency"
        )
        self.agency.setCurrentIndex(-1)
        self.kind = self.optional("&What", choice("What is asked for", REQUEST_KINDS))
        self.on = self.required("&Requested on", DateField("Requested on"), "the date")
        self.due = self.optional(
            "&Due (if not the usual time; see Settings)",
            DateField("Due on", optional=True, future_allowed=True),
        )
        self.finish()


class ReturnDialog(ReasonDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Record the agency's return", parent)
        self.on = self.required("&Received on", DateField("Received on"), "the date")
        self.nil = QCheckBox("&Nil return: the agency had no relevant contact")
        self.form.addRow(self.nil)
        self.finish()


class QualityDialog(ReasonDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Record the quality check", parent)
        self.on = self.required("&Checked on", DateField("Checked on"), "the date")
        self.by = self.required("Checked &by", text_line("Checked by"), "who checked it")
        self.outcome = self.optional(
            "&Outcome",
            choice("Outcome", QUALITY_OUTCOMES),
        )
        self.notes = self.optional("&Notes", text_box("Notes"))
        self.finish()


# --- family and proceedings -----------------------------------------------------------------


class FamilyContactDialog(ReasonDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Log a contact with the family or community", parent)
        self.on = self.required("&Contacted on", DateField("Contacted on"), "the date")
        self.kind = self.optional("&Who", choice("Who", CONTACT_KINDS))
        self.method = self.optional("&How", choice("How", CONTACT_METHODS))
        self.summary = self.required(
            "&Summary (use pseudonyms)", text_box("Summary"), "what happened"
        )
        self.leaflet = QCheckBox("Home Office &leaflet given")
        self.advocacy = QCheckBox("Specialist &advocacy offered")
        self.declined = QCheckBox("&Declined to take part")
        for box in (self.leaflet, self.advocacy, self.declined):
            self.form.addRow(box)
        self.advocate = self.optional("Advocate's &organisation", text_line("Advocate"))
        self.finish()


class ProceedingDialog(ReasonDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Log a parallel proceeding", parent)
        self.kind = self.optional("&Kind", choice("Kind of proceeding", PROCEEDING_KINDS))
        self.status = self.required(
            "&Where it stands", text_line("Status", "e.g. trial listed"), "where it stands"
        )
        self.next_date = self.optional(
            "&Next date", DateField("Next date", optional=True, future_allowed=True)
        )
        self.blocks = QCheckBox("&Publication waits until it concludes")
        self.blocks.setChecked(True)
        self.form.addRow(self.blocks)
        self.finish()


class DayDialog(ReasonDialog):
    """One date for one thing (a proceeding concluded …)."""

    def __init__(self, title: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.on = self.required(label, DateField(label.replace("&", "")), "the date")
        self.finish()


def default_day(field: DateField) -> dt.date:
    """A required date field's value (OK is only enabled once it has one)."""
    return field.value() or dt.date.today()
