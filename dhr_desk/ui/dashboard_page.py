"""The dashboard: deadlines overdue, due this week and in the next 30 days (each opening its
review), open reviews by kind and stage, paused reviews and why, overdue actions by agency.
Every number is a button that opens the register filtered to the reviews behind it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.register_page import STATUS_COLOURS, show_date
from dhr_desk.workflows.dashboard import Dashboard
from dhr_desk.workflows.deadlines import Deadline

LIST_LIMIT = 50  # rows shown in each deadline list; the figure opens the whole list


class DashboardPage(QWidget):
    """``show_references`` asks for the register filtered to a list; ``open_review`` for one."""

    show_references = Signal(object, str)  # references, what they are
    open_review = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self._scroll)
        self._new_body()
        self.buttons: dict[str, QPushButton] = {}
        self.board: Dashboard | None = None
        self.mine_only: bool | None = None  # None: mine when I lead any review, else all
        self.whose: QComboBox | None = None
        reading = QLabel("<h1>Dashboard</h1>Reading the reviews…")
        reading.setAccessibleName("Dashboard: reading the reviews")
        self._layout.addWidget(reading)
        self._layout.addStretch(1)

    def _new_body(self) -> None:
        """A fresh page for each showing (the scroll area deletes the old one with all it
        held)."""
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(24, 16, 24, 16)
        self._scroll.setWidget(self._body)

    def show_dashboard(self, board: Dashboard) -> None:
        position = self._scroll.verticalScrollBar().value()
        self._new_body()
        self.buttons = {}
        self.board = board
        mine = self.mine_only if self.mine_only is not None else bool(board.mine)
        self._layout.addWidget(QLabel(f"<h1>Dashboard</h1>Today is {show_date(board.as_of)}."))
        whose_row = QHBoxLayout()
        label = QLabel("&Deadlines of:")
        self.whose = QComboBox()
        self.whose.setAccessibleName("Whose deadlines the dashboard shows")
        self.whose.addItem(f"the reviews I lead ({len(board.mine)}, as {board.officer})", True)
        self.whose.addItem("every review", False)
        self.whose.setCurrentIndex(0 if mine else 1)
        self.whose.currentIndexChanged.connect(self._whose_changed)
        label.setBuddy(self.whose)
        whose_row.addWidget(label)
        whose_row.addWidget(self.whose)
        whose_row.addStretch(1)
        whose_holder = QWidget()
        whose_holder.setLayout(whose_row)
        self._layout.addWidget(whose_holder)
        overdue = board.deadlines_of(board.overdue, mine)
        this_week = board.deadlines_of(board.this_week, mine)
        next_30 = board.deadlines_of(board.next_30_days, mine)
        figures = QHBoxLayout()
        for key, label_text, deadlines in (
            ("overdue", "Overdue", overdue),
            ("this_week", "Due this week", this_week),
            ("next_30_days", "Next 30 days", next_30),
        ):
            figures.addWidget(self._figure(key, label_text, deadlines))
        paused_refs = [p.reference for p in board.paused]
        figures.addWidget(
            self._figure_button("paused", "Paused", len(paused_refs), paused_refs, "reviews")
        )
        figures.addStretch(1)
        holder = QWidget()
        holder.setLayout(figures)
        self._layout.addWidget(holder)

        grid = QGridLayout()
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.addWidget(self._deadline_table("Overdue", overdue), 0, 0)
        grid.addWidget(self._deadline_table("Due this week", this_week), 0, 1)
        grid.addWidget(self._deadline_table("Next 30 days", next_30), 1, 0)
        grid.addWidget(self._stage_box(board), 1, 1)
        grid.addWidget(self._paused_box(board), 2, 0)
        grid.addWidget(self._actions_box(board), 2, 1)
        grid_holder = QWidget()
        grid_holder.setLayout(grid)
        self._layout.addWidget(grid_holder)
        if board.problems:
            warning = QLabel("Not counted: " + " ".join(board.problems))
            warning.setWordWrap(True)
            warning.setStyleSheet("color: #8a1f11;")
            self._layout.addWidget(warning)
        self._layout.addStretch(1)
        QTimer.singleShot(0, lambda: self._scroll.verticalScrollBar().setValue(position))

    def _whose_changed(self, _index: int) -> None:
        if self.whose is None or self.board is None:
            return
        self.mine_only = bool(self.whose.currentData())
        board = self.board
        QTimer.singleShot(0, lambda: self._show_again(board))  # not while its signal runs

    def _show_again(self, board: Dashboard) -> None:
        self.show_dashboard(board)
        if self.whose is not None:
            self.whose.setFocus()  # the keyboard stays where it was

    def _figure(self, key: str, label: str, deadlines: Sequence[Deadline]) -> QPushButton:
        references = sorted({d.reference for d in deadlines})
        return self._figure_button(key, label, len(deadlines), references, "deadlines")

    def _figure_button(
        self, key: str, label: str, count: int, references: Sequence[str], noun: str
    ) -> QPushButton:
        button = QPushButton(f"{count}\n{label}")
        button.setObjectName(f"figure-{key}")
        button.setAccessibleName(f"{label}: {count} {noun}; open the list")
        button.setMinimumSize(96, 64)
        colour = {"overdue": STATUS_COLOURS["overdue"], "this_week": STATUS_COLOURS["due_soon"],
                  "paused": STATUS_COLOURS["paused"]}.get(key, "#eef3f8")  # fmt: skip
        button.setStyleSheet(
            f"QPushButton {{ background: {colour}; font-size: 12pt; border: 1px solid #7a869a;"
            " border-radius: 4px; padding: 6px; }"
            " QPushButton:focus { border: 3px solid #1f3a5a; }"
        )
        button.clicked.connect(
            lambda _=False, refs=tuple(references), what=label: self.show_references.emit(
                refs, what
            )
        )
        self.buttons[key] = button
        return button

    def _deadline_table(self, title: str, deadlines: Sequence[Deadline]) -> QGroupBox:
        box = QGroupBox(f"{title} ({len(deadlines)})")
        layout = QVBoxLayout(box)
        if not deadlines:
            layout.addWidget(QLabel("None."))
            return box
        shown = deadlines[:LIST_LIMIT]
        table = QTableWidget(len(shown), 4)
        table.setAccessibleName(f"{title} deadlines")
        table.setHorizontalHeaderLabels(["Due", "Review", "Status", "Deadline"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        for row, d in enumerate(shown):
            late = f" ({d.days_overdue} days)" if d.status == "overdue" else ""
            cells = (show_date(d.due), d.reference, d.status.replace("_", " ") + late, d.name)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(d.basis)
                if column == 2 and d.status in STATUS_COLOURS:
                    item.setBackground(QColor(STATUS_COLOURS[d.status]))
                table.setItem(row, column, item)
        for column in range(3):
            table.resizeColumnToContents(column)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setMinimumHeight(170)
        table.itemActivated.connect(
            lambda item, t=table: self.open_review.emit(t.item(item.row(), 1).text())
        )
        layout.addWidget(table)
        if len(deadlines) > LIST_LIMIT:
            layout.addWidget(QLabel(f"The first {LIST_LIMIT}; the figure above opens all."))
        return box

    def _counted_box(
        self, title: str, empty: str, rows: Sequence[tuple[str, str, int, tuple[str, ...], str]]
    ) -> QGroupBox:
        """A label and a count button per row (key, label, count, references, what they are);
        each button opens the register filtered to its references."""
        box = QGroupBox(title)
        layout = QGridLayout(box)
        if not rows:
            layout.addWidget(QLabel(empty), 0, 0)
        for row, (key, label, count, references, what) in enumerate(rows):
            layout.addWidget(QLabel(label), row, 0)
            button = QPushButton(str(count))
            button.setAccessibleName(f"{label}: {count}; open the list of {what}")
            button.setMaximumWidth(60)
            button.clicked.connect(
                lambda _=False, refs=references, w=what: self.show_references.emit(refs, w)
            )
            self.buttons[key] = button
            layout.addWidget(button, row, 1)
        return box

    def _stage_box(self, board: Dashboard) -> QGroupBox:
        return self._counted_box(
            "Open reviews by kind and stage",
            "No open reviews.",
            [
                (f"stage-{c.kind}-{c.stage}", f"{c.kind_label}: {c.stage_name}",
                 len(c.references), c.references, f"{c.kind_label} at {c.stage_name}")
                for c in board.by_stage
            ],
        )  # fmt: skip

    def _paused_box(self, board: Dashboard) -> QGroupBox:
        box = QGroupBox(f"Paused reviews ({len(board.paused)})")
        layout = QVBoxLayout(box)
        if not board.paused:
            layout.addWidget(QLabel("None."))
        for paused in board.paused[:LIST_LIMIT]:
            text = (
                f"{paused.reference}: paused since {show_date(paused.since)} "
                f"({paused.reason_kind.replace('_', ' ')}): {paused.reason}"
            )
            button = QPushButton(text.replace("&", "&&"))  # typed text, not mnemonics
            button.setAccessibleName(f"{text}; open the review")
            button.setFlat(True)
            button.setStyleSheet("text-align: left;")
            button.clicked.connect(lambda _=False, ref=paused.reference: self.open_review.emit(ref))
            layout.addWidget(button)
        if len(board.paused) > LIST_LIMIT:
            layout.addWidget(QLabel(f"The first {LIST_LIMIT}; the Paused figure above opens all."))
        return box

    def _actions_box(self, board: Dashboard) -> QGroupBox:
        return self._counted_box(
            "Overdue actions by agency",
            "No action is past its target date.",
            [
                (f"agency-{a.agency}", a.agency, a.actions, a.references,
                 f"reviews with actions overdue at {a.agency}")
                for a in board.overdue_actions
            ],
        )  # fmt: skip
