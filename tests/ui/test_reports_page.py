"""The Reports section through its widgets on the demo data: a period chosen from the board's
usual ones fills the dates; the figures shown per agency and per theme are the service's; the
report saved as PDF and XLSX reads back; a period starting after today cannot be asked for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from dhr_desk.ui.main_window import SECTION_ROW, MainWindow
from dhr_desk.workflows.accountability import report_periods
from dhr_desk.workflows.desk import Desk
from tests.ui.test_desk import TODAY, desk, window  # noqa: F401 (fixtures)
from tests.ui.test_main_window import save_screenshot


def test_the_board_report_is_shown_for_a_chosen_period_and_saved_as_pdf_and_xlsx(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    tmp_path: Path,
) -> None:
    window.show_section(SECTION_ROW["reports"])
    page = window.reports_page
    page.preset.setCurrentText("Last 12 months")
    start, end = report_periods(TODAY)["Last 12 months"]
    assert page.period() == (start, end)
    page.show_button.click()
    qtbot.waitUntil(lambda: page.report is not None and not page.busy, timeout=30_000)
    expected = desk.accountability_report(start, end)
    shown = [page.agencies.item(r, 0).text() for r in range(page.agencies.rowCount())]
    assert shown == [r.name for r in expected.agencies] + ["All agencies"]
    assert len(expected.agencies) >= 2 and page.themes.rowCount() == len(expected.themes) > 0
    overdue = [page.agencies.item(r, 2).text() for r in range(page.agencies.rowCount())]
    assert overdue == [str(r.overdue) for r in (*expected.agencies, expected.totals)]
    assert f"{expected.totals.actions} action(s) in the period" in page.said.text()
    save_screenshot(window, "desk-reports-accountability", tmp_path)
    # WHEN saved THEN the PDF and the XLSX carry the same figures
    pdf, xlsx = tmp_path / "board.pdf", tmp_path / "board.xlsx"
    page.save_to(pdf)
    page.save_to(xlsx)
    assert page.said.text().startswith(f"Saved to {xlsx}")
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert all(r.name in text for r in expected.agencies) and "OFFICIAL-SENSITIVE" in text
    sheet = load_workbook(xlsx)["By agency"]
    assert [c.value for c in sheet[5]][:3] == [
        expected.agencies[0].name, expected.agencies[0].open, expected.agencies[0].overdue,
    ]  # fmt: skip
    # AND a name without a suffix is saved as PDF
    page.save_to(tmp_path / "no-suffix")
    assert (tmp_path / "no-suffix.pdf").read_bytes().startswith(b"%PDF")


def test_dates_typed_by_hand_are_the_period_and_one_after_today_cannot_be_asked_for(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
) -> None:
    window.show_section(SECTION_ROW["reports"])
    page = window.reports_page
    page.start.set_value(TODAY - dt.timedelta(days=30))
    assert page.preset.currentText() == "Dates chosen below"
    assert page.show_button.isEnabled()
    page.start.set_value(TODAY + dt.timedelta(days=1))
    assert not page.show_button.isEnabled() and not page.save_button.isEnabled()
    assert "cannot start after today" in page.said.text()


def test_the_asb_return_is_shown_for_a_financial_year_and_saved(
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    tmp_path: Path,
) -> None:
    from dhr_desk.ui.asb_return_panel import CHOSEN, return_periods
    from dhr_desk.workflows.asb_return import financial_year

    window.show_section(SECTION_ROW["reports"])
    page = window.reports_page
    page.tabs.setCurrentWidget(page.asb)
    panel = page.asb
    # GIVEN the panel opens on the last complete financial year THEN its figures are shown
    start, _ = financial_year(TODAY)
    last_year = (dt.date(start.year - 1, 4, 1), dt.date(start.year, 3, 31))
    assert panel.period() == last_year
    expected = desk.asb_return(*last_year)
    rows = [
        [panel.table.item(r, c).text() for c in range(5)] for r in range(panel.table.rowCount())
    ]
    assert rows[-3] == ["Total", *(str(v) for v in expected.total.as_json().values())]
    assert rows[0][0] == "Breckland" and rows[-1][0] == "Change"
    # WHEN this year so far is chosen (the demo's applications are recent) THEN it is shown
    this_year = next(iter(return_periods(TODAY)))
    panel.preset.setCurrentText(this_year)
    assert panel.report is not None and panel.report.total.applications > 0
    assert panel.report.total == desk.asb_return(*return_periods(TODAY)[this_year]).total
    panel.show()
    save_screenshot(window, "desk-reports-asb-return", tmp_path)
    # AND dates typed by hand make the period; the return saves as CSV
    panel.start.set_value(TODAY - dt.timedelta(days=10))
    assert panel.preset.currentText() == CHOSEN
    assert panel.period() == (TODAY - dt.timedelta(days=10), TODAY)
    panel.save_to(tmp_path / "asb-return.csv")
    saved = (tmp_path / "asb-return.csv").read_text("utf-8-sig")
    assert saved.startswith("District,Applications received") and "Total," in saved
    assert panel.said.text().startswith(f"Saved to {tmp_path / 'asb-return.csv'}")
