"""The Actions section: every action of every review in one sortable table, filtered by agency,
review, status, RAG, theme and due window; the chosen actions updated together (status or
target date, with the reason); the view exported to XLSX; and Chase now.

The actions are read in a worker thread (50,000 take seconds); filtering and sorting are done
in Python on the rows held, so a change of filter shows at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.action_forms import BulkUpdateDialog
from dhr_desk.ui.background_read import BackgroundRead
from dhr_desk.ui.chase_page import ChaseControls
from dhr_desk.ui.form_fields import attempt, show_failure
from dhr_desk.workflows.action_plan import RAG_WORDS
from dhr_desk.workflows.action_tracker import (
    DUE_WINDOWS,
    STATUS_FILTERS,
    TRACKER_COLUMNS,
    BulkResult,
    Chosen,
    TrackedAction,
    TrackerFilter,
    filtered,
)
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.working_calendar import en_gb

Index = QModelIndex | QPersistentModelIndex
FIELDS = tuple(field for field, _ in TRACKER_COLUMNS)
#: RAG colours; the rating is always written in words as well (accessibility).
RAG_COLOURS = {"red": "#f6d5d8", "amber": "#fbe7c6", "green": "#dff0e0"}
ANY = ""


def cell_text(row: TrackedAction, field: str) -> str:
    if field == "target_date":
        return en_gb(row.target_date) if row.target_date else "None set"
    if field == "status":
        if row.completed_on and not row.open:
            return f"{row.status_words} {en_gb(row.completed_on)}"
        return row.status_words
    if field == "rag":
        if row.days_overdue:
            return f"{row.rag_words} ({row.days_overdue} days overdue)"
        return row.rag_words
    if field == "last_chased":
        return en_gb(row.last_chased) if row.last_chased else ""
    if field == "themes":
        return "; ".join(row.themes)
    if field == "owner" and row.owner_left:
        return f"{row.owner} (has left: reassign)"
    return str(getattr(row, field))


def _sort_key(field: str) -> Callable[[TrackedAction], Any]:
    def numbered(row: TrackedAction) -> tuple[int, ...]:
        return tuple(int(part) for part in row.number.split("."))

    if field in ("target_date", "last_chased"):  # undated last
        return lambda r: (getattr(r, field) is None, getattr(r, field) or dt.date.max,
                          r.reference, numbered(r))  # fmt: skip
    if field == "number":
        return lambda r: (numbered(r), r.reference)
    if field == "rag":
        rank = {"red": 0, "amber": 1, "green": 2, None: 3}
        return lambda r: (rank[r.rag], -r.days_overdue, r.reference, numbered(r))
    return lambda r: (cell_text(r, field).casefold(), r.reference, numbered(r))


class TrackerModel(QAbstractTableModel):
    """The rows shown (already filtered), sorted in Python by one key function."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[TrackedAction] = []
        self.sorted_by: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Iterable[TrackedAction]) -> None:
        self.beginResetModel()
        self.rows = self._in_order(list(rows))
        self.endResetModel()

    def _in_order(self, rows: list[TrackedAction]) -> list[TrackedAction]:
        if self.sorted_by is None:
            return rows
        column, order = self.sorted_by
        return sorted(rows, key=_sort_key(FIELDS[column]),
                      reverse=order == Qt.SortOrder.DescendingOrder)  # fmt: skip

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(FIELDS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        field = FIELDS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell_text(row, field)
        if role == Qt.ItemDataRole.BackgroundRole and field == "rag" and row.rag:
            return QBrush(QColor(RAG_COLOURS[row.rag]))
        if role == Qt.ItemDataRole.ToolTipRole and field in ("description", "rag", "themes"):
            return cell_text(row, field)
        return None

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return TRACKER_COLUMNS[section][1]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(FIELDS):
            return
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()  # the selection follows its actions
        held = [(self.rows[i.row()].action_id, i.column()) for i in kept]
        self.sorted_by = (column, order)
        self.rows = self._in_order(self.rows)
        where = {r.action_id: i for i, r in enumerate(self.rows)}
        self.changePersistentIndexList(kept, [self.index(where[a], c) for a, c in held])
        self.layoutChanged.emit()


class ActionsPage(QWidget):
    """The action tracker with Chase now under it."""

    open_review = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.as_of: dt.date | None = None  # today, unless set (tests)
        self.rows: list[TrackedAction] = []
        self._read = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        top = QHBoxLayout()
        top.addWidget(QLabel("<h1>Actions</h1>"))
        self.count = QLabel("")
        self.count.setAccessibleName("How many actions are shown")
        top.addWidget(self.count, 1, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)

        first, second = QHBoxLayout(), QHBoxLayout()
        first.addWidget(QLabel("Show:"))
        self.agency = self._combo(first, "Agency", "Filter by agency")
        self.review = self._combo(first, "Review", "Filter by review")
        self.status = self._combo(first, "Status", "Filter by status",
                                  list(STATUS_FILTERS.items()))  # fmt: skip
        self.rag = self._combo(second, "RAG", "Filter by RAG rating", list(RAG_WORDS.items()))
        self.theme = self._combo(second, "Theme", "Filter by theme")
        self.due = self._combo(second, "Due", "Filter by when due", list(DUE_WINDOWS.items()))
        clear = QPushButton("Show a&ll")
        clear.setAccessibleName("Clear every filter")
        clear.clicked.connect(self.clear_filters)
        second.addWidget(clear)
        layout.addLayout(first)
        layout.addLayout(second)
        self.status.blockSignals(True)  # the table comes below; it reads this when rows arrive
        self.status.setCurrentIndex(self.status.findData("open"))  # what needs chasing
        self.status.blockSignals(False)

        self.model = TrackerModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Actions across all reviews")
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(FIELDS.index("target_date"), Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setStretchLastSection(True)
        for field, width in (("reference", 105), ("number", 55), ("target_date", 85),
                             ("rag", 150), ("status", 100), ("agency", 160), ("owner", 130),
                             ("description", 220), ("themes", 120)):  # fmt: skip
            self.view.setColumnWidth(FIELDS.index(field), width)
        self.view.activated.connect(lambda _index: self.open_chosen())
        self.view.selectionModel().selectionChanged.connect(self._enable)
        layout.addWidget(self.view, 1)

        buttons = QHBoxLayout()
        self.open_button = QPushButton("&Open review")
        self.open_button.setAccessibleName("Open the review of the chosen action")
        self.open_button.clicked.connect(self.open_chosen)
        self.bulk_button = QPushButton("&Update chosen…")
        self.bulk_button.setAccessibleName(
            "Change the status or target date of the chosen actions, with the reason"
        )
        self.bulk_button.clicked.connect(self.update_chosen)
        self.export_button = QPushButton("&Export this view…")
        self.export_button.setAccessibleName("Export the actions shown to XLSX or CSV")
        self.export_button.clicked.connect(self.export_view)
        for button in (self.open_button, self.bulk_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.said = QLabel("")
        self.said.setWordWrap(True)
        self.said.setAccessibleName("What the last update did")
        layout.addWidget(self.said)
        chasing = QLabel("<b>Chasing</b>: one digest per recipient across every review, as the "
                         "chasing policy in Settings says.")  # fmt: skip
        chasing.setWordWrap(True)
        layout.addWidget(chasing)
        self.chase = ChaseControls(desk)
        self.chase.chased.connect(self.refresh)
        layout.addWidget(self.chase)

        self._reading = BackgroundRead(self)
        self._reading.delivered.connect(self._arrived)
        self._reading.failed.connect(self._read_failed)
        self._enable()

    def _combo(
        self, row: QHBoxLayout, label: str, name: str, options: Sequence[tuple[str, str]] = ()
    ) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.setToolTip(name)
        # long agency names would otherwise widen the window: the popup still shows them whole
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(8)
        box.addItem(f"{label}: any", ANY)
        for value, words in options:
            box.addItem(words, value)
        box.currentIndexChanged.connect(lambda _=0: self.apply_filters())
        row.addWidget(box, 1)  # as wide as the window allows; narrow when it is small
        return box

    # --- reading ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.refresh()  # read afresh each time the section is shown; the old rows stay meanwhile
        super().showEvent(event)

    @property
    def busy(self) -> bool:
        return self._reading.busy or self.chase.busy

    def wait(self) -> None:
        """Block until nothing runs (the window closes the store after this)."""
        self._reading.wait()
        self.chase.wait()

    def refresh(self) -> None:
        desk, as_of = self.desk, self.as_of
        if not self._read:
            self.count.setText("Reading the actions…")
        self._reading.request(lambda: desk.tracker(as_of))

    def _arrived(self, rows: object) -> None:
        assert isinstance(rows, list)
        self._read = True
        self.rows = rows
        self._offer(self.agency, sorted({r.agency for r in rows}, key=str.casefold))
        self._offer(self.review, sorted({r.reference for r in rows}))
        self._offer(self.theme, sorted({t for r in rows for t in r.themes}, key=str.casefold))
        self.apply_filters()

    def _read_failed(self, error: BaseException) -> None:
        self.count.setText("")
        show_failure(self, "Actions not loaded", error)

    @staticmethod
    def _offer(box: QComboBox, values: Sequence[str]) -> None:
        """Offer these values, keeping the one chosen (even if no action has it now)."""
        current = box.currentData()
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for value in values:
            box.addItem(value, value)
        if current and box.findData(current) < 0:
            box.addItem(current, current)
        box.setCurrentIndex(max(box.findData(current), 0))
        box.blockSignals(False)

    # --- filtering ---------------------------------------------------------------------------

    def current_filter(self) -> TrackerFilter:
        def value(box: QComboBox) -> str:
            return str(box.currentData() or "")

        return TrackerFilter(agency=value(self.agency), reference=value(self.review),
                             status=value(self.status), rag=value(self.rag),
                             theme=value(self.theme), due=value(self.due))  # fmt: skip

    def show_agency(self, agency: str) -> None:
        """Every action of one agency, open or finished (from the agency's page)."""
        self.clear_filters(apply=False)
        if self.agency.findData(agency) < 0:  # before the first read, or with no actions
            self.agency.addItem(agency, agency)
        self.agency.blockSignals(True)
        self.agency.setCurrentIndex(self.agency.findData(agency))
        self.agency.blockSignals(False)
        self.apply_filters()

    def clear_filters(self, apply: bool = True) -> None:
        for box in (self.agency, self.review, self.status, self.rag, self.theme, self.due):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        if apply:
            self.apply_filters()

    def apply_filters(self) -> None:
        chosen = {r.action_id for r in self.chosen()}
        shown = filtered(self.rows, self.current_filter(), self.as_of or dt.date.today())
        self.model.set_rows(shown)
        if chosen:  # the choice survives a refresh for the actions still shown
            selection = QItemSelection()
            for number, row in enumerate(self.model.rows):
                if row.action_id in chosen:
                    selection.select(self.model.index(number, 0),
                                     self.model.index(number, len(FIELDS) - 1))  # fmt: skip
            self.view.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        if self._read:
            overdue = sum(1 for r in shown if r.days_overdue)
            self.count.setText(f"{len(shown)} of {len(self.rows)} actions shown; "
                               f"{overdue} of them overdue")  # fmt: skip
        self._enable()

    # --- acting on the chosen actions --------------------------------------------------------

    def chosen(self) -> list[TrackedAction]:
        rows = self.view.selectionModel().selectedRows()
        return [self.model.rows[i.row()] for i in sorted(rows, key=lambda i: i.row())]

    def _enable(self, *_: object) -> None:
        chosen = self.chosen()
        self.open_button.setEnabled(len({r.reference for r in chosen}) == 1)
        self.bulk_button.setEnabled(bool(chosen))
        self.export_button.setEnabled(bool(self.model.rows))

    def open_chosen(self) -> None:
        chosen = self.chosen()
        if chosen:
            self.open_review.emit(chosen[0].reference)

    def update_chosen(self) -> None:
        chosen = self.chosen()
        if not chosen:
            return
        dialog = BulkUpdateDialog(chosen, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        change = dialog.change()
        items = [Chosen(r.action_id, r.reference, r.number, r.version) for r in chosen]

        def conflict(title: str, message: str) -> None:
            QMessageBox.warning(self, title, message)
            self.refresh()

        def save() -> BulkResult:
            return self.desk.bulk_update(items, change)

        result = attempt(self, "Actions not updated", save, conflict=conflict)
        if result is None:
            return
        said = f"Updated {len(result.changed)} action(s)."
        if result.left_alone:
            said += " Left as they were: " + "; ".join(result.left_alone) + "."
        self.said.setText(said)
        self.refresh()

    def export_view(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the actions shown", "actions.xlsx", "Excel (*.xlsx);;CSV (*.csv)"
        )
        if path:
            self.save_view(Path(path))

    def save_view(self, path: Path) -> None:
        from dhr_desk.exports.table_export import save_table

        headings = [title for _, title in TRACKER_COLUMNS] + ["Days overdue"]
        dated = {"target_date", "last_chased"}  # real dates in the spreadsheet
        rows = [
            [getattr(r, f) if f in dated else cell_text(r, f) for f in FIELDS] + [r.days_overdue]
            for r in self.model.rows
        ]
        try:
            save_table(path, "Actions", headings, rows)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Not exported", f"The view could not be saved: {exc}")
            return
        self.said.setText(f"Exported {len(rows)} action(s) to {path}.")
