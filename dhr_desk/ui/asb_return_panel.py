"""Reports → ASB annual return (issue #7, point 5): the four statutory figures for a period (by
default a financial year), per district and in total, against the previous period of the same
length; saved as CSV, XLSX, a publishable PDF (OFFICIAL) or JSON."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.exports.asb_return_export import return_rows
from dhr_desk.ui.form_fields import DateField, attempt, fill_table, read_only_table
from dhr_desk.workflows.asb_return import FIGURE_WORDS, FIGURES, AsbReturn, financial_year
from dhr_desk.workflows.desk import Desk

CHOSEN = "Dates chosen below"
FILTERS = "PDF (*.pdf);;Excel (*.xlsx);;CSV (*.csv);;JSON (*.json)"


def return_periods(today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """The financial year so far and the three before it."""
    start, end = financial_year(today)
    periods = {f"This financial year so far ({start.year}-{str(end.year)[2:]})": (start, today)}
    for back in range(1, 4):
        first = dt.date(start.year - back, 4, 1)
        periods[f"Financial year {first.year}-{str(first.year + 1)[2:]}"] = (
            first, dt.date(first.year + 1, 3, 31))  # fmt: skip
    return periods


class AsbReturnPanel(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.report: AsbReturn | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<b>ASB Case Review annual return</b>: the figures the partnership must publish at "
            "least once a year: applications received, threshold not met, case reviews carried "
            "out and case reviews that resulted in recommendations, each counted by the date of "
            "its own event in the period."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.preset = QComboBox()
        self.preset.setAccessibleName("Period of the ASB return")
        self.periods = return_periods(dt.date.today())
        self.preset.addItems([*self.periods, CHOSEN])
        self.preset.setCurrentIndex(1)  # the last complete financial year
        self.preset.currentIndexChanged.connect(lambda _=0: self._preset_chosen())
        label = QLabel("&Period")
        label.setBuddy(self.preset)
        row.addWidget(label)
        row.addWidget(self.preset)
        row.addStretch(1)
        layout.addLayout(row)
        row = QHBoxLayout()  # the dates on a line of their own: the page stays narrow
        self.start = DateField("First day of the return's period")
        self.end = DateField("Last day of the return's period", future_allowed=True)
        for text, field in (("Fro&m", self.start), ("&To", self.end)):
            caption = QLabel(text)
            caption.setBuddy(field.edit)
            caption.setMinimumWidth(caption.sizeHint().width() + 4)  # never clipped
            row.addWidget(caption)
            row.addWidget(field)
            field.changed.connect(self._dates_changed)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        self.show_button = QPushButton("&Show the return")
        self.show_button.clicked.connect(self.show_return)
        self.save_button = QPushButton("Sa&ve the return…")
        self.save_button.setAccessibleName("Save the return as PDF, XLSX, CSV or JSON")
        self.save_button.clicked.connect(self.save_return)
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.said = QLabel("")
        self.said.setWordWrap(True)
        self.said.setAccessibleName("About the return shown")
        layout.addWidget(self.said)
        self.table = read_only_table("ASB return by district",
                                     ["District", *(FIGURE_WORDS[f] for f in FIGURES)])  # fmt: skip
        layout.addWidget(self.table, 1)
        self._preset_chosen()

    def _preset_chosen(self) -> None:
        chosen = self.periods.get(self.preset.currentText())
        if chosen is not None:
            for field, day in zip((self.start, self.end), chosen, strict=True):
                field.blockSignals(True)
                field.set_value(day)
                field.blockSignals(False)
            self.show_return()

    def _dates_changed(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentText(CHOSEN)
        self.preset.blockSignals(False)

    def period(self) -> tuple[dt.date, dt.date]:
        return self.start.value() or dt.date.today(), self.end.value() or dt.date.today()

    def show_return(self) -> None:
        start, end = self.period()
        report = attempt(self, "Return not worked out", lambda: self.desk.asb_return(start, end))
        if report is not None:
            self._show(report)

    def _show(self, report: AsbReturn) -> None:
        self.report = report
        rows = [[str(v) for v in row] for row in return_rows(report)]
        rows[-1] = [rows[-1][0], *(f"+{v}" if int(v) > 0 else v for v in rows[-1][1:])]
        fill_table(self.table, rows)
        total = report.total
        self.said.setText(
            f"{report.period_words}: {total.applications} application(s), "
            f"{total.threshold_not_met} threshold not met, {total.reviews_carried_out} case "
            f"review(s) carried out, {total.reviews_with_recommendations} with recommendations. "
            f"Compared with {report.previous_words}."
        )

    def save_return(self) -> None:
        start, end = self.period()
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the ASB return", f"asb-return-{start}-to-{end}.pdf", FILTERS
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        if path.suffix.lower() not in (".pdf", ".xlsx", ".csv", ".json"):
            path = path.with_name(path.name + ".pdf")
        start, end = self.period()
        report = attempt(self, "Return not saved",
                         lambda: self.desk.save_asb_return(path, start, end))  # fmt: skip
        if report is not None:
            self._show(report)
            self.said.setText(f"Saved to {path}. " + self.said.text())
