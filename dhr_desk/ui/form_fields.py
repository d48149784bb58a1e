"""Form pieces shared by the desk's dialogs: en-GB date fields with a calendar picker, required
text, inline messages under each field, and one way to run a change and show what went wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.workflows.agency_directory import DirectoryError
from dhr_desk.workflows.desk import ChangedElsewhere, DeskError
from dhr_desk.workflows.identifier_register import IdentifierError
from dhr_desk.workflows.lifecycle import LifecycleError

T = TypeVar("T")
ERROR_STYLE = "color: #b00020;"


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class DateField(QWidget):
    """A date typed as DD/MM/YYYY or picked from a calendar; optionally "not known"; never
    after today unless ``future_allowed``. ``problem()`` says what is wrong, or ""."""

    changed = Signal()

    def __init__(
        self,
        accessible_name: str,
        *,
        optional: bool = False,
        future_allowed: bool = False,
        earliest: dt.date = dt.date(2000, 1, 1),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.future_allowed = future_allowed
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QDateEdit()
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setCalendarPopup(True)
        self.edit.setDate(to_qdate(dt.date.today()))
        self.edit.setMinimumDate(to_qdate(earliest))  # the working calendar starts in 2000
        self.edit.setAccessibleName(accessible_name)
        self.edit.setToolTip("Type DD/MM/YYYY, or click the arrow for a calendar")
        self.edit.dateChanged.connect(lambda _day: self.changed.emit())
        row.addWidget(self.edit)
        self.known: QCheckBox | None = None
        if optional:
            self.known = QCheckBox("Known")
            self.known.setAccessibleName(f"{accessible_name} is known")
            self.known.setChecked(False)
            self.known.toggled.connect(self.edit.setEnabled)
            self.known.toggled.connect(lambda _=False: self.changed.emit())
            self.edit.setEnabled(False)
            row.addWidget(self.known)
        row.addStretch(1)

    def value(self) -> dt.date | None:
        if self.known is not None and not self.known.isChecked():
            return None
        return from_qdate(self.edit.date())

    def set_value(self, day: dt.date | None) -> None:
        if day is None:
            if self.known is not None:
                self.known.setChecked(False)
            return
        if self.known is not None:
            self.known.setChecked(True)
        self.edit.setDate(to_qdate(day))

    def problem(self) -> str:
        day = self.value()
        if day is not None and not self.future_allowed and day > dt.date.today():
            return "This date is after today; record it once it has happened."
        return ""


class Field(QWidget):
    """A labelled input with its inline message underneath."""

    def __init__(self, label: str, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 4)
        self.caption = QLabel(label)
        if isinstance(editor, DateField):
            self.caption.setBuddy(editor.edit)
        else:
            self.caption.setBuddy(editor)
        self.editor = editor
        self.message = QLabel("")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        column.addWidget(self.caption)
        column.addWidget(editor)
        column.addWidget(self.message)

    def show_problem(self, problem: str) -> bool:
        """Show ``problem`` under the field (or hide the message); True when there is one."""
        self.message.setText(problem)
        self.message.setVisible(bool(problem))
        self.message.setAccessibleName(problem)
        return bool(problem)


def text_line(name: str, placeholder: str = "") -> QLineEdit:
    line = QLineEdit()
    line.setAccessibleName(name)
    line.setPlaceholderText(placeholder)
    return line


def text_box(name: str, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(70)
    return box


def read_only_table(name: str, headings: Sequence[str]) -> QTableWidget:
    """A table of text the user reads and selects rows in (one at a time) but does not edit;
    Tab leaves it (the arrow keys move within), long text wraps."""
    table = QTableWidget(0, len(headings))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headings))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(True)
    table.setTabKeyNavigation(False)
    return table


#: Above this many rows a table keeps one row height: measuring every row's wrapped text would
#: hold the window for seconds (an agency with thousands of open requests).
ROWS_SIZED_TO_TEXT = 200


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Put rows of text in a read-only table and size its columns (and, for a short table, its
    rows) to them."""
    table.setUpdatesEnabled(False)
    try:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeColumnsToContents()  # Qt measures the rows on screen only
        if len(rows) <= ROWS_SIZED_TO_TEXT:
            table.resizeRowsToContents()
    finally:
        table.setUpdatesEnabled(True)


def attempt(
    parent: QWidget,
    title: str,
    change: Callable[[], T],
    conflict: Callable[[str, str], None] | None = None,
) -> T | None:
    """Run a change; a refusal or store trouble is shown as a message (never a traceback) and
    None returned. Nothing is saved by a change that fails. ``conflict`` (title, message) is
    told instead when someone else changed the record meanwhile."""
    try:
        return change()
    except ChangedElsewhere as exc:
        if conflict is not None:
            conflict(title, str(exc))
        else:
            QMessageBox.warning(parent, title, str(exc))
    except (LifecycleError, DirectoryError, IdentifierError) as exc:
        QMessageBox.warning(parent, title, str(exc))
    except DeskError as exc:
        QMessageBox.critical(parent, title, str(exc))
    except LookupError as exc:
        QMessageBox.warning(parent, title, str(exc).strip("'\""))
    except ValueError as exc:  # a stage template not installed, a date outside the calendar …
        QMessageBox.warning(parent, title, str(exc))
    return None


def until_saved(parent: QWidget, dialog: QDialog, title: str, change: Callable[[], object]) -> bool:
    """Show the dialog until its change is saved (True) or it is cancelled (False): a refusal
    says why and brings the dialog back with everything typed still in it."""
    while dialog.exec() == QDialog.DialogCode.Accepted:
        if attempt(parent, title, lambda: change() or True):
            return True
    return False


def show_failure(parent: QWidget, title: str, error: BaseException) -> None:
    """An error that came back from a worker thread, said as ``attempt`` says one (a refusal or
    store trouble as a message, never a traceback); anything else is raised again here."""

    def again() -> None:
        raise error

    attempt(parent, title, again)
