"""The agency accountability report for the partnership board, as PDF and XLSX: per agency and
per theme, actions open, overdue, due soon, completed and closed without being completed, the
share completed by target date and the oldest overdue item, with the rules they are counted by.

PDF: landscape A4, the protective marking in header and footer, page numbers, the heading row
repeated on every page, title and author (the partnership) in the document properties. XLSX:
sheets "By agency", "By theme" and "How counted", each with the marking above a bold, frozen
heading row; counts as numbers, shares as numbers formatted as percentages, dates as dates
shown DD/MM/YYYY. The report names reviews by reference only.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from html import escape
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from dhr_desk.exports.pdf_page import Marking, en_gb_date, render_pdf, styles
from dhr_desk.exports.table_export import safe_text, write_private
from dhr_desk.workflows.accountability import AccountabilityReport, AccountabilityRow

MARKING: Marking = "OFFICIAL-SENSITIVE"
TITLE = "Agency accountability report"
NONE_SHOWN = "\u2014"  # a share with nothing to count, or no overdue item: never 0%

#: The figures' headings, after the agency's or theme's name (PDF and XLSX).
FIGURES = (
    "Open",
    "Overdue",
    "Due soon",
    "Completed",
    "Completed by target date",
    "Closed, not completed",
    "Oldest overdue item",
)


def report_title(report: AccountabilityReport) -> str:
    return f"{TITLE}, {en_gb_date(report.start)} to {en_gb_date(report.end)}"


def share_words(row: AccountabilityRow) -> str:
    """ "75% (3 of 4)", or "—" when no completed action had a target date."""
    share = row.completed_by_target_share
    if share is None:
        return NONE_SHOWN
    return f"{share:.0%} ({row.completed_by_target} of {row.completed_with_target})"


def oldest_words(row: AccountabilityRow) -> str:
    return row.oldest_overdue.words if row.oldest_overdue else NONE_SHOWN


def _about(report: AccountabilityReport, partnership: str) -> str:
    made = f"Made {en_gb_date(report.made_on)} by {partnership}."
    if report.as_at == report.end:
        return f"Period {en_gb_date(report.start)} to {en_gb_date(report.end)}. {made}"
    return (
        f"Period {en_gb_date(report.start)} to {en_gb_date(report.end)}; the period has not "
        f"ended, so figures are as at {en_gb_date(report.as_at)}. {made}"
    )


# --- PDF -----------------------------------------------------------------------------------

#: Room a section needs below its heading (the heading and three rows) to start on this page.
SECTION_ROOM = 40 * mm
#: Landscape A4 less 20 mm margins: 257 mm.
PDF_WIDTHS = (62 * mm, 16 * mm, 18 * mm, 18 * mm, 21 * mm, 30 * mm, 24 * mm, 68 * mm)


def _pdf_table(
    first: str, rows: Sequence[AccountabilityRow], total: AccountabilityRow | None
) -> Table:
    style = styles()
    cell = style["small"]
    number = ParagraphStyle("number", parent=cell, alignment=TA_RIGHT)
    head = [
        Paragraph(f"<b>{escape(h)}</b>", number if 0 < i < 7 else cell)
        for i, h in enumerate((first, *FIGURES))
    ]

    def line(row: AccountabilityRow, bold: bool = False) -> list[Flowable]:
        b, end_b = ("<b>", "</b>") if bold else ("", "")
        figures = (row.open, row.overdue, row.due_soon, row.completed)
        return [
            Paragraph(f"{b}{escape(row.name)}{end_b}", cell),
            *(Paragraph(f"{b}{n}{end_b}", number) for n in figures),
            Paragraph(f"{b}{escape(share_words(row))}{end_b}", number),
            Paragraph(f"{b}{row.closed_not_completed}{end_b}", number),
            Paragraph(f"{b}{escape(oldest_words(row))}{end_b}", cell),
        ]

    body = [line(row) for row in rows]
    if total is not None:
        body.append(line(total, bold=True))
    table = Table([head, *body], colWidths=list(PDF_WIDTHS), repeatRows=1, splitInRow=1)
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e6ea")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if total is not None:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f1f3f5")))
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 1.2, colors.black))
    table.setStyle(TableStyle(commands))
    return table


def accountability_pdf(report: AccountabilityReport, partnership: str) -> bytes:
    style = styles()
    heading = style["heading"]
    title = report_title(report)
    story: list[Flowable] = [
        Paragraph(escape(TITLE), style["title"]),
        Paragraph(escape(_about(report, partnership)), style["body"]),
        Spacer(1, 3 * mm),
        Paragraph("By agency", heading),
    ]
    if not report.agencies:
        story.append(Paragraph("No actions fall in this period.", style["body"]))
    else:
        story.append(_pdf_table("Agency", report.agencies, report.totals))
        story += [
            Spacer(1, 2 * mm),
            Paragraph(
                "Each action counts once, under its lead agency. Agencies with the most overdue "
                "actions come first.",
                style["small"],
            ),
        ]
    # a section's heading never sits alone at the foot of a page (KeepTogether with a long
    # table would push the whole table on, leaving a blank page)
    story += [CondPageBreak(SECTION_ROOM), Paragraph("By theme", heading)]
    if not report.themes:
        story.append(Paragraph("No actions fall in this period.", style["body"]))
    else:
        story += [
            _pdf_table("Theme", report.themes, None),
            Spacer(1, 2 * mm),
            Paragraph(
                "An action counts once under each theme of its recommendation, so these "
                "figures do not add up to the agency totals.",
                style["small"],
            ),
        ]
    rules: list[Flowable] = [Paragraph("How these figures are counted", heading)]
    rules += [Paragraph(f"\u2022 {escape(rule)}", style["small"]) for rule in report.how_counted]
    story.append(KeepTogether(rules))
    return render_pdf(story, title=title, marking=MARKING, made_on=report.made_on,
                      author=partnership, landscape_pages=True)  # fmt: skip


# --- XLSX ----------------------------------------------------------------------------------

XLSX_HEADINGS = (
    "Open",
    "Overdue",
    "Due soon",
    "Completed",
    "Completed with a target date",
    "Completed by target date",
    "% completed by target date",
    "Closed, not completed",
    "Oldest overdue: review",
    "Oldest overdue: action",
    "Oldest overdue: target date",
    "Oldest overdue: days overdue",
)
PERCENT_COLUMN = 8  # 1-based, counting the name column
DATE_COLUMN = 12
XlsxCell = str | int | float | dt.date | None


def _xlsx_values(row: AccountabilityRow) -> list[XlsxCell]:
    share = row.completed_by_target_share
    oldest = row.oldest_overdue
    return [
        safe_text(row.name),
        row.open,
        row.overdue,
        row.due_soon,
        row.completed,
        row.completed_with_target,
        row.completed_by_target,
        NONE_SHOWN if share is None else share,
        row.closed_not_completed,
        oldest.reference if oldest else None,
        oldest.number if oldest else None,
        oldest.target_date if oldest else None,
        oldest.days_overdue if oldest else None,
    ]


def accountability_xlsx(report: AccountabilityReport, partnership: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    title = report_title(report)
    book = Workbook()

    def start_sheet(sheet: Worksheet, name: str) -> None:
        sheet.title = name
        sheet.append([MARKING])
        sheet.append([title])
        sheet.append([safe_text(_about(report, partnership))])
        sheet["A1"].font = Font(bold=True, color="B00020")
        sheet["A2"].font = Font(bold=True, size=13)
        sheet.oddHeader.center.text = MARKING  # printed pages carry the marking too
        sheet.oddFooter.center.text = MARKING

    def figures_sheet(
        sheet: Worksheet, first: str, rows: Sequence[AccountabilityRow], note: str
    ) -> None:
        header = 4
        sheet.append([first, *XLSX_HEADINGS])
        for cell in sheet[header]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            sheet.append(_xlsx_values(row))
        last = header + len(rows)
        for cells in sheet.iter_rows(min_row=header + 1, max_row=last):
            percent, day = cells[PERCENT_COLUMN - 1], cells[DATE_COLUMN - 1]
            if isinstance(percent.value, float):
                percent.number_format = "0%"
            else:
                percent.alignment = Alignment(horizontal="right")
            if isinstance(day.value, dt.date):
                day.number_format = "DD/MM/YYYY"
        sheet.append([])
        sheet.append([note])
        sheet.freeze_panes = sheet.cell(row=header + 1, column=2)
        widths = [max([len(first)] + [len(r.name) for r in rows]) + 2]
        widths += [14] * len(XLSX_HEADINGS)
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(width, 50)
        sheet.row_dimensions[header].height = 45

    agencies = book.active
    start_sheet(agencies, "By agency")
    figures_sheet(agencies, "Agency", [*report.agencies, report.totals],
                  "Each action counts once, under its lead agency; the last row is the "
                  "total.")  # fmt: skip
    total_row = 4 + len(report.agencies) + 1
    for cell in agencies[total_row]:
        cell.font = Font(bold=True)

    themes = book.create_sheet()
    start_sheet(themes, "By theme")
    figures_sheet(themes, "Theme", report.themes,
                  "An action counts once under each theme of its recommendation, so these "
                  "figures do not add up to the agency totals.")  # fmt: skip

    rules = book.create_sheet()
    start_sheet(rules, "How counted")
    rules.append(["How these figures are counted"])
    rules["A4"].font = Font(bold=True)
    for rule in report.how_counted:
        rules.append([rule])
    rules.append(["Period starts", report.start])
    rules.append(["Period ends", report.end])
    rules.append(["Figures as at", report.as_at])
    rules.append(["Amber window (days)", report.amber_days])
    for cells in rules.iter_rows(min_row=5):
        for cell in cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    rules.freeze_panes = "A5"
    rules.column_dimensions["A"].width = 110
    rules.column_dimensions["B"].width = 14

    book.properties.title = title
    book.properties.creator = partnership
    book.properties.keywords = MARKING
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def save_accountability_report(path: Path, report: AccountabilityReport, partnership: str) -> Path:
    """Write the report as PDF or XLSX by the suffix of ``path``: whole, or not at all."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return write_private(path, accountability_pdf(report, partnership))
    if suffix == ".xlsx":
        return write_private(path, accountability_xlsx(report, partnership))
    raise ValueError(f"Save the report as .pdf or .xlsx, not '{path.suffix or path.name}'.")
