"""Settings: the review name (DHR or DARDR), deadline windows, who letters are from, the working
calendar (add a one-off bank holiday and see which deadlines move), and where the data lives
with a backup button. Each group saves on its own; every change is checked and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.about_dialog import FactsForm
from dhr_desk.ui.form_fields import (
    DateField,
    attempt,
    fill_table,
    read_only_table,
    text_box,
    text_line,
)
from dhr_desk.ui.record_forms import ReasonDialog
from dhr_desk.workflows.asb_letters import PLACEHOLDERS, standard_wording
from dhr_desk.workflows.calendar_effects import MovedDeadline
from dhr_desk.workflows.chasing import DEFAULT_POLICY
from dhr_desk.workflows.pack_metadata import FILLS
from dhr_desk.workflows.settings_registry import SENDER_FIELDS
from dhr_desk.workflows.working_calendar import en_gb

if TYPE_CHECKING:
    from dhr_desk.ui.main_window import MainWindow
    from dhr_desk.workflows.installation import InstallationInfo

#: The chasing policy's day counts as the page shows them: key, label, smallest value.
CHASING_DAYS = (
    ("reminder_days_before", "Remind the o&wner (days before the target date)", 0),
    ("escalate_to_lead_days_overdue", "Escalate to the agency &lead (days overdue)", 0),
    ("escalate_to_board_days_overdue", "Escalate to the board and CSP chair (days o&verdue)", 0),
    ("cooling_days", "Coolin&g period (days before the same chase again)", 1),
)
SHOWN_MOVES = 15  # deadlines listed by name after a calendar change; the rest are counted


class HolidayDialog(ReasonDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add a one-off bank holiday", parent)
        self.note(
            "A one-off holiday (a coronation, a state funeral) is not a working day: every "
            "deadline counted in working days across it moves on a day."
        )
        self.day = self.required(
            "&Date", DateField("Holiday date", future_allowed=True), "the date"
        )
        self.name = self.required("&Name", text_line("Holiday name"), "the name")
        self.reason = self.optional("&Reason or source", text_line("Reason"))
        self.finish()


def moved_words(moved: list[MovedDeadline]) -> str:
    if not moved:
        return "No open deadline moves."
    lines = [f"{len(moved)} open deadlines move:" if len(moved) != 1 else "1 open deadline moves:"]
    lines += [
        f"• {m.reference}, {m.name}: {en_gb(m.was)} → {en_gb(m.now)}" for m in moved[:SHOWN_MOVES]
    ]
    if len(moved) > SHOWN_MOVES:
        lines.append(f"… and {len(moved) - SHOWN_MOVES} more.")
    return "\n".join(lines)


class SettingsPage(QScrollArea):
    """The Settings section (scrolls; each group has its own Save)."""

    def __init__(self, window: MainWindow, info: InstallationInfo) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWidgetResizable(True)
        body = QWidget()
        body.setMaximumWidth(900)  # long lines of form fields are hard to read
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(QLabel("<h1>Settings</h1>"))
        self.saved = QLabel("")
        self.saved.setAccessibleName("Settings status")
        layout.addWidget(self.saved)
        loaded = attempt(self, "Settings not loaded", window.desk.settings)
        values = loaded or {}
        self.save_buttons: list[QPushButton] = []

        reviews, form = self._group("Reviews", layout)
        self.display_name = QComboBox()
        self.display_name.setAccessibleName("Name of domestic homicide reviews")
        self.display_name.addItem("DHR: Domestic Homicide Review", "DHR")
        self.display_name.addItem("DARDR: Domestic Abuse Related Death Review", "DARDR")
        self.display_name.setCurrentIndex(
            max(self.display_name.findData(values.get("dhr.display_name", "DHR")), 0)
        )
        form.addRow("Reviews are &called", self.display_name)
        self._save_button(reviews, "Save the review name", self.save_reviews)

        deadlines, form = self._group("Deadlines", layout)
        self.due_soon = text_line("Due-soon window", "e.g. 5wd, 10d, 1m")
        self.due_soon.setText(str(values.get("deadlines.due_soon_window", "5wd")))
        self.due_soon.setToolTip("wd: working days, d: calendar days, m: months")
        form.addRow("A deadline is &due soon within", self.due_soon)
        self.request_weeks = QSpinBox()
        self.request_weeks.setRange(1, 26)
        self.request_weeks.setSuffix(" weeks")
        self.request_weeks.setAccessibleName("Weeks an agency is given to answer a request")
        self.request_weeks.setValue(int(values.get("requests.default_weeks", 6)))
        form.addRow("Agencies are given &this long to answer", self.request_weeks)
        self._save_button(deadlines, "Save the deadline windows", self.save_deadlines)

        chasing, form = self._group("Actions and chasing", layout)
        policy = {**DEFAULT_POLICY, **(values.get("chasing.policy") or {})}
        self.amber_days = self._days(
            form, "Actions t&urn amber (days before the target date)",
            values.get("actions.amber_days", 28), 1, 90,
        )  # fmt: skip
        self.policy_days: dict[str, QSpinBox] = {}
        for key, label, lowest in CHASING_DAYS:
            self.policy_days[key] = self._days(form, label, policy[key], lowest, 365)
        days = self.policy_days
        self.reminder_days = days["reminder_days_before"]
        self.lead_days = days["escalate_to_lead_days_overdue"]
        self.board_days = days["escalate_to_board_days_overdue"]
        self.cooling_days = days["cooling_days"]
        self.chair_name = text_line("CSP chair's name")
        self.chair_name.setText(str(policy["csp_chair_name"]))
        form.addRow("CSP chair's name", self.chair_name)
        self.chair_email = text_line("CSP chair's email")
        self.chair_email.setText(str(policy["csp_chair_email"]))
        form.addRow("CSP chair's email", self.chair_email)
        self._save_button(chasing, "Save the chasing policy", self.save_chasing)

        letters, form = self._group("Letters are from", layout)
        sender = values.get("letters.sender") or {}
        self.sender: dict[str, Any] = {}
        for key in SENDER_FIELDS:
            label = key.capitalize()
            edit = text_box(f"Sender {key}") if key == "address" else text_line(f"Sender {key}")
            if key == "address":
                edit.setPlainText(sender.get(key, ""))
            else:
                edit.setText(sender.get(key, ""))
            self.sender[key] = edit
            form.addRow(f"&{label}", edit)
        self._save_button(letters, "Save the sender", self.save_sender)

        asb, form = self._group("ASB Case Reviews: escalation and letters", layout)
        self.route = text_line("Who hears escalations")
        self.route.setText(str(values.get("asb.escalation_route", "")))
        form.addRow("Escalations are heard by", self.route)
        self.own_letters: dict[str, dict[str, str]] = dict(values.get("asb.letters") or {})
        self.letter = QComboBox()
        self.letter.setAccessibleName("Which letter's wording")
        standard = attempt(self, "Letter wording not read", standard_wording) or {}
        self.standard_letters = standard
        for key, wording in standard.items():
            self.letter.addItem(wording.title, key)
        form.addRow("Letter", self.letter)
        self.letter_subject = text_line("Letter subject")
        form.addRow("Subject", self.letter_subject)
        self.letter_body = text_box("Letter body", "paragraphs separated by a blank line")
        self.letter_body.setMinimumHeight(220)
        self.letter_body.setToolTip("Placeholders filled from the review: " + ", ".join(
            "{" + name + "}" for name in sorted(PLACEHOLDERS)))  # fmt: skip
        form.addRow("Body", self.letter_body)
        self.letter.currentIndexChanged.connect(lambda _=0: self._show_letter())
        self._show_letter()
        self._save_button(asb, "Save the escalation route and this letter", self.save_asb)
        standard_button = QPushButton("Use the standard wording for this letter")
        standard_button.clicked.connect(self.standard_letter)
        asb.layout().addWidget(standard_button)  # type: ignore[union-attr]

        packs, form = self._group("Submission pack: the metadata sheet's fields", layout)
        fields = values.get("packs.metadata_fields") or []
        self.metadata_fields = text_box("Metadata sheet fields", "Label = default")
        self.metadata_fields.setPlainText(
            "\n".join(
                f"{f['label']} = {f['default']}" if f["default"] else f["label"] for f in fields
            )
        )
        self.metadata_fields.setMinimumHeight(200)
        self.metadata_fields.setToolTip(
            "One field per line: Label = default. A default may name facts of the case in "
            "braces: " + ", ".join("{" + fill + "}" for fill in FILLS)
        )
        form.addRow("Fields (one per line)", self.metadata_fields)
        self._save_button(packs, "Save the metadata fields", self.save_metadata_fields)

        calendar = QGroupBox("Working calendar: bank holidays in England and Wales")
        column = QVBoxLayout(calendar)
        row = QHBoxLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2075)
        self.year.setValue(dt.date.today().year)
        self.year.setAccessibleName("Year shown")
        self.year.valueChanged.connect(self.load_holidays)
        year_label = QLabel("&Year")
        year_label.setBuddy(self.year)
        row.addWidget(year_label)
        row.addWidget(self.year)
        add = QPushButton("Add a one-off hol&iday…")
        add.clicked.connect(self.add_holiday)
        self.remove = QPushButton("Re&move the selected holiday…")
        self.remove.clicked.connect(self.remove_holiday)
        row.addWidget(add)
        row.addWidget(self.remove)
        row.addStretch(1)
        column.addLayout(row)
        self.holidays = read_only_table("Bank holidays", ["Date", "Holiday", "Where it comes from"])
        self.holidays.setMinimumHeight(220)
        column.addWidget(self.holidays)
        self.moved = QLabel("")
        self.moved.setWordWrap(True)
        self.moved.setAccessibleName("Deadlines moved by the last calendar change")
        column.addWidget(self.moved)
        layout.addWidget(calendar)
        self.days: list[dt.date] = []
        self.load_holidays()

        data = QGroupBox("Data and backup")
        column = QVBoxLayout(data)
        column.addWidget(FactsForm(info.facts()))
        row = QHBoxLayout()
        self.backup_button = QPushButton("&Back up now…")
        self.backup_button.clicked.connect(self.back_up)
        report = QPushButton("&Save installation report (PDF)…")
        report.setAccessibleName("Save installation report as PDF")
        report.clicked.connect(window.save_installation_report)
        row.addWidget(self.backup_button)
        row.addWidget(report)
        row.addStretch(1)
        column.addLayout(row)
        if info.backend != "sqlite":
            self.backup_button.setEnabled(False)
            note = QLabel(
                "This data is on a PostgreSQL server: it is backed up on the server (pg_dump or "
                "the server's own backups), not from here."
            )
        else:
            note = QLabel(
                "A backup is a checked copy of the whole database, encrypted with the same key. "
                "Keep it somewhere the partnership's retention rules allow."
            )
        note.setWordWrap(True)
        column.addWidget(note)
        layout.addWidget(data)
        layout.addStretch(1)
        self.setWidget(body)
        if loaded is None:  # defaults on screen: saving them would overwrite the real values
            for button in self.save_buttons:
                button.setEnabled(False)
            self.saved.setText(
                "The settings could not be read, so they cannot be saved from here. Restart "
                "dhr-desk; if it happens again, see the message it gave."
            )

    def _group(self, title: str, layout: QVBoxLayout) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        form = QFormLayout(box)
        layout.addWidget(box)
        return box, form

    @staticmethod
    def _days(form: QFormLayout, label: str, value: Any, lowest: int, highest: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(lowest, highest)
        box.setSuffix(" days")
        box.setValue(int(value))
        box.setAccessibleName(label.replace("&", ""))
        form.addRow(label, box)
        return box

    def _save_button(self, box: QGroupBox, text: str, slot: Callable[[], None]) -> None:
        button = QPushButton(text)
        button.clicked.connect(slot)
        self.save_buttons.append(button)
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        form = box.layout()
        assert isinstance(form, QFormLayout)
        form.addRow("", row)

    def _save(self, title: str, changes: dict[str, Any]) -> bool:
        desk = self.window_.desk

        def save() -> bool:
            for key, value in changes.items():
                desk.change_setting(key, value)
            return True

        if attempt(self, title, save):
            self.saved.setText(f"Saved at {dt.datetime.now():%H:%M}.")
            return True
        return False

    def save_reviews(self) -> None:
        if self._save(
            "Review name not saved", {"dhr.display_name": self.display_name.currentData()}
        ):
            self.window_.refresh_lists()  # the register's kind column uses the name

    def save_deadlines(self) -> None:
        changes = {
            "deadlines.due_soon_window": self.due_soon.text().strip(),
            "requests.default_weeks": self.request_weeks.value(),
        }
        if self._save("Deadline windows not saved", changes):
            self.window_.refresh_lists()  # due-soon statuses change with the window

    def save_chasing(self) -> None:
        """The amber window and the chasing policy; a policy that makes no sense (the board
        before the lead) is refused with the reason, nothing saved."""
        policy: dict[str, object] = {key: box.value() for key, box in self.policy_days.items()}
        policy["csp_chair_name"] = self.chair_name.text().strip()
        policy["csp_chair_email"] = self.chair_email.text().strip()
        changes = {"chasing.policy": policy, "actions.amber_days": self.amber_days.value()}
        self._save("Chasing policy not saved", changes)

    def save_sender(self) -> None:
        sender = {
            key: edit.toPlainText() if key == "address" else edit.text()
            for key, edit in self.sender.items()
        }
        self._save("Sender not saved", {"letters.sender": sender})

    def _show_letter(self) -> None:
        key = str(self.letter.currentData())
        own = self.own_letters.get(key)
        standard = self.standard_letters.get(key)
        subject = own["subject"] if own else (standard.subject if standard else "")
        body = own["body"] if own else (standard.body if standard else "")
        self.letter_subject.setText(subject)
        self.letter_body.setPlainText(body)

    def save_asb(self) -> None:
        """The route and the letter shown; wording naming an unknown placeholder is refused."""
        key = str(self.letter.currentData())
        letters = dict(self.own_letters)
        letters[key] = {"subject": self.letter_subject.text(),
                        "body": self.letter_body.toPlainText()}  # fmt: skip
        changes = {"asb.letters": letters, "asb.escalation_route": self.route.text()}
        if self._save("ASB settings not saved", changes):
            self.own_letters = letters

    def standard_letter(self) -> None:
        """Back to the standard wording for the letter shown (the partnership's is dropped)."""
        key = str(self.letter.currentData())
        letters = {k: v for k, v in self.own_letters.items() if k != key}
        if self._save("Letter wording not saved", {"asb.letters": letters}):
            self.own_letters = letters
            self._show_letter()

    def save_metadata_fields(self) -> None:
        """Each line "Label = default" (the default may be empty); refused with the reason."""
        fields = []
        for line in self.metadata_fields.toPlainText().splitlines():
            if line.strip():
                label, _, default = line.partition("=")
                fields.append({"label": label.strip(), "default": default.strip()})
        self._save("Metadata fields not saved", {"packs.metadata_fields": fields})

    def load_holidays(self, *_: object) -> None:
        found = attempt(
            self, "Calendar not loaded", lambda: self.window_.desk.holidays(self.year.value())
        )
        days = found or []
        self.days = [d.day for d in days]
        fill_table(self.holidays, [(f"{d.day:%a} {en_gb(d.day)}", d.name, d.source) for d in days])

    def add_holiday(self) -> None:
        dialog = HolidayDialog(self)
        desk = self.window_.desk
        while dialog.exec() == HolidayDialog.DialogCode.Accepted:
            day = dialog.day.value() or dt.date.today()
            name, reason = dialog.name.text().strip(), dialog.reason.text().strip() or None
            moved = attempt(self, "Holiday not added", partial(desk.add_holiday, day, name, reason))
            if moved is not None:
                self._calendar_changed(f"{en_gb(day)} added as a bank holiday.", moved, day)
                break

    def remove_holiday(self) -> None:
        row = self.holidays.currentRow()
        if not 0 <= row < len(self.days) or not self.holidays.selectionModel().hasSelection():
            QMessageBox.information(self, "Remove a holiday", "Select a holiday in the list first.")
            return
        day = self.days[row]
        answer = QMessageBox.question(
            self,
            "Remove the holiday?",
            f"Make {en_gb(day)} a working day again? Deadlines counted in working days across it "
            "will come a day sooner. (You can add it back.)",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        desk = self.window_.desk
        moved = attempt(self, "Holiday not removed", lambda: desk.remove_holiday(day))
        if moved is not None:
            self._calendar_changed(f"{en_gb(day)} is a working day again.", moved, day)

    def _calendar_changed(self, said: str, moved: list[MovedDeadline], day: dt.date) -> None:
        self.year.setValue(day.year)
        self.load_holidays()
        self.moved.setText(f"{said} {moved_words(moved)}")
        self.saved.setText(said)
        self.window_.refresh_lists()

    def back_up(self) -> None:
        suggested = f"dhr-desk-backup-{dt.date.today():%Y-%m-%d}.db"
        path, _ = QFileDialog.getSaveFileName(
            self, "Back up the database", suggested, "dhr-desk backup (*.db)"
        )
        if not path:
            return
        desk = self.window_.desk
        # The save dialog has already asked before replacing an existing file.
        done = attempt(self, "Backup not made", lambda: desk.backup(Path(path), overwrite=True))
        if done is not None:
            size = done.size_bytes / 1_048_576
            QMessageBox.information(
                self, "Backup made", f"Backed up to {done.path} ({size:.1f} MB), checked."
            )
