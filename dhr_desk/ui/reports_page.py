"""The Reports section, two tabs: the agency accountability report for the board, for any
period (per agency and per theme: actions open, overdue, due soon, completed, the share
completed by the target date, the oldest overdue item), shown on screen and saved as PDF or
XLSX; and the ASB Case Review annual return (``asb_return_panel``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.exports.accountability_export import FIGURES, oldest_words, share_words
from dhr_desk.ui.asb_return_panel import AsbReturnPanel
from dhr_desk.ui.background_read import BackgroundRead
from dhr_desk.ui.form_fields import (
    DateField,
    attempt,
    fill_table,
    read_only_table,
    show_failure,
)
from dhr_desk.workflows.accountability import (
    AccountabilityReport,
    AccountabilityRow,
    report_periods,
)
from dhr_desk.workflows.desk import Desk

CHOSEN_DATES = "Dates chosen below"


def figures(rows: Sequence[AccountabilityRow]) -> list[tuple[str, ...]]:
    return [
        (r.name, str(r.open), str(r.overdue), str(r.due_soon), str(r.completed), share_words(r),
         str(r.closed_not_completed), oldest_words(r))
        for r in rows
    ]  # fmt: skip


class ReportsPage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.today: dt.date | None = None  # today, unless set (tests)
        self.report: AccountabilityReport | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.addWidget(QLabel("<h1>Reports</h1>"))
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)
        accountability = QWidget()
        layout = QVBoxLayout(accountability)
        self.tabs.addTab(accountability, "Agency accountability")
        self.asb = AsbReturnPanel(desk)
        self.tabs.addTab(self.asb, "ASB annual return")
        intro = QLabel(
            "<b>Agency accountability report</b> for the partnership board: per agency and per "
            "theme, the actions open, overdue and completed in a period, the share completed by "
            "their target date and the oldest overdue item."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        period = QHBoxLayout()
        self.preset = QComboBox()
        self.preset.setAccessibleName("Period of the report")
        self.preset.addItems([*report_periods(dt.date.today()), CHOSEN_DATES])
        self.preset.currentIndexChanged.connect(lambda _=0: self._preset_chosen())
        period.addWidget(QLabel("&Period"))
        period.itemAt(0).widget().setBuddy(self.preset)  # type: ignore[union-attr]
        period.addWidget(self.preset)
        period.addStretch(1)
        layout.addLayout(period)
        period = QHBoxLayout()
        self.start = DateField("First day of the period")
        self.end = DateField("Last day of the period", future_allowed=True)
        for label, field in (("Fro&m", self.start), ("&To", self.end)):
            text = QLabel(label)
            text.setBuddy(field.edit)
            period.addWidget(text)
            period.addWidget(field)
            field.changed.connect(self._dates_changed)
        period.addStretch(1)
        layout.addLayout(period)

        buttons = QHBoxLayout()
        self.show_button = QPushButton("&Show the figures")
        self.show_button.setAccessibleName("Work out the figures for the period and show them")
        self.show_button.clicked.connect(self.show_figures)
        self.save_button = QPushButton("Sa&ve the report…")
        self.save_button.setAccessibleName("Save the report for the period as PDF or XLSX")
        self.save_button.clicked.connect(self.save_report)
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.said = QLabel("")
        self.said.setWordWrap(True)
        self.said.setAccessibleName("About the figures shown")
        layout.addWidget(self.said)
        layout.addWidget(QLabel("<b>By agency</b> (the last row counts each action once)"))
        self.agencies = read_only_table("Figures by agency", ["Agency", *FIGURES])
        layout.addWidget(self.agencies, 2)
        layout.addWidget(QLabel("<b>By theme</b> (an action counts under each of its themes)"))
        self.themes = read_only_table("Figures by theme", ["Theme", *FIGURES])
        layout.addWidget(self.themes, 1)
        self._work = BackgroundRead(self)
        self._work.delivered.connect(self._arrived)
        self._work.failed.connect(self._failed)
        self._preset_chosen()

    # --- the period ---------------------------------------------------------------------------

    def _preset_chosen(self) -> None:
        choice = self.preset.currentText()
        periods = report_periods(self.today or dt.date.today())
        if choice in periods:
            start, end = periods[choice]
            for field, day in ((self.start, start), (self.end, end)):
                field.blockSignals(True)
                field.set_value(day)
                field.blockSignals(False)
        self._enable()

    def _dates_changed(self) -> None:
        """Dates typed by hand: the period is the dates chosen."""
        self.preset.blockSignals(True)
        self.preset.setCurrentText(CHOSEN_DATES)
        self.preset.blockSignals(False)
        self._enable()

    def period(self) -> tuple[dt.date, dt.date]:
        return self.start.value() or dt.date.today(), self.end.value() or dt.date.today()

    def _enable(self) -> None:
        problem = self.start.problem()
        self.show_button.setEnabled(not problem and not self.busy)
        self.save_button.setEnabled(not problem and not self.busy)
        if problem:
            self.said.setText(f"The period cannot start after today: {problem}")

    # --- working out and saving -----------------------------------------------------------

    @property
    def busy(self) -> bool:
        return hasattr(self, "_work") and self._work.busy

    def wait(self) -> None:
        self._work.wait()

    def show_figures(self) -> None:
        start, end = self.period()
        desk, today = self.desk, self.today
        self.said.setText("Working out the figures…")
        self._work.request(lambda: desk.accountability_report(start, end, today))
        self._enable()

    def _arrived(self, report: object) -> None:
        assert isinstance(report, AccountabilityReport)
        self.report = report
        fill_table(self.agencies, figures([*report.agencies, report.totals]))
        fill_table(self.themes, figures(report.themes))
        self.said.setText(
            f"{report.period_words}: {report.totals.actions} action(s) in the period, "
            f"{report.totals.overdue} overdue at {report.as_at:%d/%m/%Y}."
            if report.agencies
            else f"{report.period_words}: no actions were open or finished in the period."
        )
        self._enable()

    def _failed(self, error: BaseException) -> None:
        self.said.setText("")
        show_failure(self, "Figures not worked out", error)
        self._enable()

    def save_report(self) -> None:
        start, end = self.period()
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the accountability report", f"accountability-{start}-to-{end}.pdf",
            "PDF (*.pdf);;Excel (*.xlsx)",
        )  # fmt: skip
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        if path.suffix.lower() not in (".pdf", ".xlsx"):
            path = path.with_name(path.name + ".pdf")
        start, end = self.period()
        report = attempt(self, "Report not saved",
                         lambda: self.desk.save_accountability_report(path, start, end,
                                                                      self.today))  # fmt: skip
        if report is not None:
            self._arrived(report)
            self.said.setText(f"Saved to {path}. " + self.said.text())
