"""The reviews register: every review in a sortable, filterable table (Qt model/view with a
proxy), its column layout remembered, and the current view exported to XLSX or CSV.

Built for 100,000 rows: sorting is done by the source model in Python with one key function
(not by the proxy, which would call back into Python for every comparison), and filtering
works out the rows shown once per change, so the proxy only reads a list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.workflows.review_register import REGISTER_COLUMNS, STATUS_WORDS, RegisterRow

ANY = ""
FIELDS = tuple(field for field, _ in REGISTER_COLUMNS)
Index = QModelIndex | QPersistentModelIndex
#: Status colours; the status is always written in words as well (accessibility).
STATUS_COLOURS = {
    "overdue": "#f6d5d8",
    "due_soon": "#fbe7c6",
    "paused": "#e3e6ea",
    "upcoming": "#dff0e0",
}


def show_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def cell_text(row: RegisterRow, field: str) -> str:
    value = getattr(row, field)
    if field == "next_due":
        return show_date(value)
    if field in ("status", "next_status"):
        text = STATUS_WORDS.get(value, value)
        if field == "next_status" and value == "overdue":
            text += f" ({row.days_overdue} days)"
        return text
    return str(value)


def _sort_key(field: str) -> Callable[[RegisterRow], Any]:
    if field == "next_due":  # reviews with no open deadline sort last
        return lambda r: (r.next_due is None, r.next_due or dt.date.max, r.reference)
    if field == "next_status":
        rank = {"overdue": 0, "due_soon": 1, "upcoming": 2, "paused": 3, "": 4}
        return lambda r: (rank.get(r.next_status, 5), -r.days_overdue, r.reference)
    return lambda r: (str(getattr(r, field)).casefold(), r.reference)


def sorted_rows(rows: Sequence[RegisterRow], field: str, descending: bool) -> list[RegisterRow]:
    """The rows in a column's order; by due date, reviews with no open deadline stay last in
    either direction."""
    key = _sort_key(field)
    if field != "next_due":
        return sorted(rows, key=key, reverse=descending)
    dated = sorted((r for r in rows if r.next_due is not None), key=key, reverse=descending)
    return dated + sorted((r for r in rows if r.next_due is None), key=lambda r: r.reference)


def search_index(rows: Iterable[RegisterRow]) -> dict[str, str]:
    """Every column's text of each row, casefolded, by reference: what the search matches."""
    return {r.reference: "\n".join(cell_text(r, f) for f in FIELDS).casefold() for r in rows}


class PreparedRows(NamedTuple):
    """Rows made ready away from the GUI thread: sorted as the table was (``sorted_by`` is the
    column and whether descending, or None) and indexed for searching."""

    rows: list[RegisterRow]
    text_of: dict[str, str]
    sorted_by: tuple[int, bool] | None


class RegisterModel(QAbstractTableModel):
    """The register's rows, sorted in Python (see the module note)."""

    FIELDS = FIELDS

    def __init__(self, rows: Sequence[RegisterRow] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RegisterRow] = list(rows)
        self._text_of: dict[str, str] | None = None  # every column's text, by reference
        self._texts: list[str] | None = None  # the same, in row order

    def set_rows(self, rows: Iterable[RegisterRow], text_of: dict[str, str] | None = None) -> None:
        """New rows, in the order given; ``text_of`` is their search index if already built."""
        self.beginResetModel()
        self.rows = list(rows)
        self._text_of = text_of
        self._texts = None
        self.endResetModel()

    def search_texts(self) -> list[str]:
        """Every column's text of each row, in row order, for searching: worked out at the
        first search after new rows (100,000 rows x 11 columns once, not at every keystroke)
        and put back in order after a sort."""
        if self._text_of is None:
            self._text_of = search_index(self.rows)
        if self._texts is None:
            text_of = self._text_of
            self._texts = [text_of[r.reference] for r in self.rows]
        return self._texts

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.FIELDS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        field = self.FIELDS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell_text(row, field)
        if role == Qt.ItemDataRole.BackgroundRole and field == "next_status":
            colour = STATUS_COLOURS.get(row.next_status)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and field == "title":
            return f"{row.reference}: {row.title}"
        return None

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return REGISTER_COLUMNS[section][1]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.FIELDS):
            return
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()  # the selection and current row follow their reviews
        held = [(self.rows[i.row()].reference, i.column()) for i in kept]
        self.rows = sorted_rows(
            self.rows, self.FIELDS[column], order == Qt.SortOrder.DescendingOrder
        )
        self._texts = None  # back in order at the next search
        where = {r.reference: i for i, r in enumerate(self.rows)}
        self.changePersistentIndexList(kept, [self.index(where[ref], col) for ref, col in held])
        self.layoutChanged.emit()


class RegisterFilter(QAbstractProxyModel):
    """Filters by kind, stage, district, status and free text (any column), or to a given set
    of references (a dashboard figure's list). Sorting is passed to the source model.

    A proxy that maps through a list of the source rows shown: which rows pass is worked out in
    Python once per change (typing that extends the search only re-tests the rows that passed
    the shorter text), and Qt then asks only about the rows on screen. A
    QSortFilterProxyModel would call back into Python once for each of 100,000 rows on every
    keystroke (about 0.4 s)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = ANY
        self.stage = ANY
        self.district = ANY
        self.status = ANY  # a review status (open, paused, closed) or a deadline status
        self.text = ""
        self.references: frozenset[str] | None = None
        self._visible: list[int] = []  # source rows shown, in the source's order
        self._row_of: dict[int, int] | None = None  # source row -> proxy row, built when asked
        self._held: list[tuple[QModelIndex, str]] = []  # persistent indexes across a sort
        self._narrowed: tuple[tuple[object, ...], str, list[int]] | None = None

    def setSourceModel(self, model: QAbstractItemModel) -> None:  # noqa: N802 - Qt API
        self.beginResetModel()  # ended by _source_reset below
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.layoutAboutToBeChanged.connect(self._source_reordering)
        model.layoutChanged.connect(self._source_reordered)
        self._source_reset()

    def source(self) -> RegisterModel:
        model = self.sourceModel()
        assert isinstance(model, RegisterModel)
        return model

    # --- which rows pass --------------------------------------------------------------------

    def _filters(self) -> tuple[object, ...]:
        return (self.kind, self.stage, self.district, self.status, self.references)

    def _passing(self) -> list[int]:
        """The source rows that pass every filter, in the source's order."""
        rows = self.source().rows
        needle = self.text.casefold().strip()
        kind, stage, district, status = self.kind, self.stage, self.district, self.status
        references = self.references
        if not (kind or stage or district or status or needle) and references is None:
            self._narrowed = None
            return list(range(len(rows)))
        filters = self._filters()
        candidates: Sequence[int] = range(len(rows))
        if self._narrowed is not None:  # typing on: only the rows the shorter text let through
            before_filters, before_needle, before_rows = self._narrowed
            if before_filters == filters and needle.startswith(before_needle):
                candidates = before_rows
        if kind or stage or district or status or references is not None:
            candidates = [
                i
                for i in candidates
                if (not kind or rows[i].kind == kind)
                and (not stage or rows[i].stage_name == stage)
                and (not district or rows[i].district == district)
                and (not status or status in (rows[i].status, rows[i].next_status))
                and (references is None or rows[i].reference in references)
            ]
        if needle:
            texts = self.source().search_texts()
            candidates = [i for i in candidates if needle in texts[i]]
        passing = list(candidates)
        self._narrowed = (filters, needle, passing)
        return passing

    def apply(self) -> None:
        """Work out which rows pass, once; the view is told to read the new list."""
        self.beginResetModel()
        self._visible = self._passing()
        self._row_of = None
        self.endResetModel()

    def _source_reset(self) -> None:
        """New rows: the filters are worked out afresh on them."""
        self._narrowed = None
        self._visible = self._passing()
        self._row_of = None
        self.endResetModel()

    def _source_reordering(self) -> None:
        self.layoutAboutToBeChanged.emit()
        rows = self.source().rows
        self._held = [
            (index, rows[self._visible[index.row()]].reference)
            for index in self.persistentIndexList()
            if index.isValid() and index.row() < len(self._visible)
        ]

    def _source_reordered(self) -> None:
        """The source sorted: the same rows shown in its new order; the selection and current
        row follow their reviews."""
        self._narrowed = None  # row numbers have changed
        self._visible = self._passing()
        self._row_of = None
        rows = self.source().rows
        held = {reference for _, reference in self._held}
        position = {}
        if held:
            for proxy_row, source_row in enumerate(self._visible):
                if rows[source_row].reference in held:
                    position[rows[source_row].reference] = proxy_row
        self.changePersistentIndexList(
            [index for index, _ in self._held],
            [
                self.index(position[reference], index.column())
                if reference in position
                else QModelIndex()
                for index, reference in self._held
            ],
        )
        self._held = []
        self.layoutChanged.emit()

    def _proxy_rows(self) -> dict[int, int]:
        if self._row_of is None:
            self._row_of = {source: proxy for proxy, source in enumerate(self._visible)}
        return self._row_of

    # --- the proxy's Qt interface -----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else self.source().columnCount()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index | None = None) -> Any:  # type: ignore[override]
        if index is None:  # QObject.parent()
            return super().parent()
        return QModelIndex()  # a table: no row has a parent

    def mapToSource(self, proxy_index: Index) -> QModelIndex:  # noqa: N802 - Qt API
        if not proxy_index.isValid() or proxy_index.row() >= len(self._visible):
            return QModelIndex()
        return self.source().index(self._visible[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:  # noqa: N802 - Qt API
        if not source_index.isValid():
            return QModelIndex()
        row = self._proxy_rows().get(source_index.row())
        return QModelIndex() if row is None else self.index(row, source_index.column())

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            return self.source().headerData(section, orientation, role)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.source().sort(column, order)

    def row_of(self, reference: str) -> int | None:
        """Where a review is shown, or None if it is not."""
        rows = self.source().rows
        for proxy_row, source_row in enumerate(self._visible):
            if rows[source_row].reference == reference:
                return proxy_row
        return None

    def visible_rows(self) -> list[RegisterRow]:
        rows = self.source().rows
        return [rows[number] for number in self._visible]


class RegisterPage(QWidget):
    """The Reviews section: filters over the table, the count shown, export of the view."""

    open_review = Signal(str)
    new_dhr = Signal()
    new_asb = Signal()

    def __init__(self, settings: QSettings | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._loaded = False  # until the first rows arrive (they are read in a worker thread)
        self.model = RegisterModel(parent=self)
        self.proxy = RegisterFilter(self)
        self.proxy.setSourceModel(self.model)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        top = QHBoxLayout()
        top.addWidget(QLabel("<h1>Reviews</h1>"))
        top.addStretch(1)
        for text, name, signal in (
            ("New &DHR…", "Register a new DHR notification", self.new_dhr),
            ("New &ASB…", "Register a new ASB Case Review application", self.new_asb),
        ):
            button = QPushButton(text)
            button.setAccessibleName(name)
            button.setToolTip(name)
            button.clicked.connect(signal.emit)
            top.addWidget(button)
        layout.addLayout(top)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show:"))
        self.kind = self._combo(filters, "Kind", "Filter by kind")
        self.stage = self._combo(filters, "Stage", "Filter by stage")
        self.district = self._combo(filters, "District", "Filter by district")
        searching = QHBoxLayout()
        self.status = self._combo(searching, "Status", "Filter by status")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search any column")
        self.search.setAccessibleName("Search the register")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(80)
        self.search.textChanged.connect(self._filter_changed)
        search_label = QLabel("&Search")
        search_label.setBuddy(self.search)
        filters.addStretch(1)
        layout.addLayout(filters)
        searching.addWidget(search_label)
        searching.addWidget(self.search, 1)
        layout.addLayout(searching)

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Reviews register")
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setSectionsMovable(True)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._save_layout)
        self.view.horizontalHeader().sectionResized.connect(self._save_layout)
        self.view.horizontalHeader().sectionMoved.connect(self._save_layout)
        self.view.activated.connect(self._activated)
        self.view.setStyleSheet("QTableView:focus { border: 2px solid #ffbf47; }")
        layout.addWidget(self.view, 1)

        bottom = QHBoxLayout()
        self.shown = QLabel()
        self.shown.setAccessibleName("Reviews shown")
        self.shown.setWordWrap(True)
        bottom.addWidget(self.shown, 1)
        self.clear = QPushButton("&Clear filters")
        self.clear.clicked.connect(self.clear_filters)
        bottom.addWidget(self.clear)
        export = QPushButton("&Export this view…")
        export.setAccessibleName("Export the reviews shown to XLSX or CSV")
        export.clicked.connect(self.export_view)
        bottom.addWidget(export)
        layout.addLayout(bottom)
        self._restore_layout()
        self._count()

    def _combo(self, row: QHBoxLayout, label: str, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setMinimumContentsLength(8)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.currentIndexChanged.connect(self._filter_changed)
        combo.setProperty("any_label", f"Any {label.lower()}")
        combo.setToolTip(name)
        row.addWidget(combo)
        return combo

    def _sorted_by(self) -> tuple[int, bool] | None:
        header = self.view.horizontalHeader()
        column = header.sortIndicatorSection()
        if not 0 <= column < len(RegisterModel.FIELDS):
            return None
        return column, header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    def preparer(self) -> Callable[[list[RegisterRow]], PreparedRows]:
        """What makes rows ready for this table (sorted as it is now, indexed for searching),
        safe to run in a worker thread: it touches no widget."""
        sorted_by = self._sorted_by()

        def prepare(rows: list[RegisterRow]) -> PreparedRows:
            if sorted_by is not None:
                rows = sorted_rows(rows, RegisterModel.FIELDS[sorted_by[0]], sorted_by[1])
            return PreparedRows(rows, search_index(rows), sorted_by)

        return prepare

    def set_rows(self, rows: Sequence[RegisterRow] | PreparedRows) -> None:
        """New data: fill the choices from what is there, keep the filters that still apply."""
        if isinstance(rows, PreparedRows):
            self.model.set_rows(rows.rows, rows.text_of)
            resort = rows.sorted_by != self._sorted_by()  # the user sorted meanwhile
        else:
            self.model.set_rows(rows)
            resort = True
        self._loaded = True
        sorted_by = self._sorted_by()
        if resort and sorted_by is not None:
            self.model.sort(sorted_by[0], self.view.horizontalHeader().sortIndicatorOrder())
        listed = self.model.rows
        kinds = sorted({(r.kind, r.kind_label) for r in listed})
        self._fill(self.kind, [(label, kind) for kind, label in kinds])
        self._fill(self.stage, [(s, s) for s in sorted({r.stage_name for r in listed})])
        self._fill(self.district, [(d, d) for d in sorted({r.district for r in listed} - {""})])
        statuses = [
            ("Open", "open"),
            ("Paused", "paused"),
            ("Closed", "closed"),
            ("Deadline overdue", "overdue"),
            ("Deadline due soon", "due_soon"),
        ]
        self._fill(self.status, statuses)
        self._filter_changed()

    @staticmethod
    def _fill(combo: QComboBox, choices: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(str(combo.property("any_label") or "Any"), ANY)
        for label, value in choices:
            combo.addItem(label, value)
        found = combo.findData(current)
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    def _filter_changed(self) -> None:
        self.proxy.kind = self.kind.currentData() or ANY
        self.proxy.stage = self.stage.currentData() or ANY
        self.proxy.district = self.district.currentData() or ANY
        self.proxy.status = self.status.currentData() or ANY
        self.proxy.text = self.search.text()
        self._apply_filters()
        self._count()

    def _apply_filters(self) -> None:
        """Filter afresh; the selected review stays selected while it is still shown."""
        current = self.proxy.mapToSource(self.view.currentIndex())
        chosen = self.model.rows[current.row()].reference if current.isValid() else None
        column = max(self.view.currentIndex().column(), 0)
        self.proxy.apply()
        row = self.proxy.row_of(chosen) if chosen is not None else None
        if row is not None:
            self.view.selectionModel().setCurrentIndex(
                self.proxy.index(row, column),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if not self._loaded:
            self.shown.setText("Reading the reviews…")
            return
        if not total:
            self.shown.setText("No reviews registered yet: use New DHR… or New ASB… above.")
            return
        only = " (the dashboard's list)" if self.proxy.references is not None else ""
        self.shown.setText(f"{shown:,} of {total:,} reviews shown{only}")

    def show_only(self, references: Iterable[str]) -> None:
        """Show just these reviews (a dashboard figure clicked through); clears other filters."""
        self.clear_filters(keep_references=True)
        self.proxy.references = frozenset(references)
        self._apply_filters()
        self._count()

    def clear_filters(self, keep_references: bool = False) -> None:
        for combo in (self.kind, self.stage, self.district, self.status):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        if not keep_references:
            self.proxy.references = None
        self._filter_changed()

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.rows[self.proxy.mapToSource(index).row()]
        self.open_review.emit(row.reference)

    def export_view(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export the reviews shown",
            f"reviews-{dt.date.today():%Y-%m-%d}.xlsx",
            "Excel workbook (*.xlsx);;CSV, comma-separated (*.csv)",
        )
        if path:
            target = Path(path)
            if target.suffix.lower() not in (".xlsx", ".csv"):  # typed without a suffix
                target = target.with_name(target.name + (".csv" if "csv" in chosen else ".xlsx"))
            self.save_view(target)

    def save_view(self, path: Path) -> bool:
        from dhr_desk.exports.table_export import save_table

        columns = [REGISTER_COLUMNS[i] for i in self._visual_columns()]
        rows = [
            [row.next_due if f == "next_due" else cell_text(row, f) for f, _ in columns]
            for row in self.proxy.visible_rows()
        ]
        try:
            save_table(path, "Reviews register", [h for _, h in columns], rows)
        except Exception as exc:  # any failure is a message, and nothing is half-written
            QMessageBox.warning(self, "Not exported", f"The view could not be saved: {exc}")
            return False
        return True

    def _visual_columns(self) -> list[int]:
        """The columns in the order (and with the hiding) the user has arranged."""
        header = self.view.horizontalHeader()
        return [
            header.logicalIndex(v)
            for v in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(v))
        ]

    def _save_layout(self, *_: object) -> None:
        if self._settings is not None:
            self._settings.setValue("register/header", self.view.horizontalHeader().saveState())

    def _restore_layout(self) -> None:
        state = self._settings.value("register/header") if self._settings is not None else None
        if state is not None:
            self.view.horizontalHeader().restoreState(state)
        else:
            for column, width in enumerate((105, 45, 175, 115, 150, 60, 165, 85, 145, 100)):
                self.view.setColumnWidth(column, width)
