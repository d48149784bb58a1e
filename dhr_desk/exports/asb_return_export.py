"""The ASB Case Review annual return written out (issue #7, point 5): CSV and XLSX (a row per
district, the total, the previous period's total and the change), a publishable PDF marked
OFFICIAL with the period and a short explanation of each figure, and the documented JSON.
Figures only: no applicant, victim or address ever appears."""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from dhr_desk.exports.pdf_page import Marking, en_gb_date, render_pdf, styles
from dhr_desk.exports.table_export import csv_bytes, write_private, xlsx_bytes
from dhr_desk.workflows.asb_return import FIGURE_EXPLAINED, FIGURE_WORDS, FIGURES, AsbReturn

MARKING: Marking = "OFFICIAL"  # a publication (domain.md: approved publications are OFFICIAL)
FORMATS = ("csv", "json", "xlsx", "pdf")
HEADINGS = ("District", *(FIGURE_WORDS[name] for name in FIGURES))


def _change(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def return_rows(report: AsbReturn) -> list[list[str | int]]:
    """A row per district, then the total, the previous period's total and the change."""
    rows: list[list[str | int]] = [
        [name, *(getattr(figures, f) for f in FIGURES)]
        for name, figures in report.districts.items()
    ]
    rows.append(["Total", *(getattr(report.total, f) for f in FIGURES)])
    rows.append([f"Previous period ({report.previous_words})",
                 *(getattr(report.previous_total, f) for f in FIGURES)])  # fmt: skip
    rows.append(["Change", *(report.change(f) for f in FIGURES)])  # a number: "+1" reads
    return rows  # as a formula in a spreadsheet


def _title(report: AsbReturn) -> str:
    """Short enough for the page footer beside the marking."""
    return f"ASB Case Reviews {report.start:%m/%Y}-{report.end:%m/%Y}"


def return_csv(report: AsbReturn, partnership: str, made_on: dt.date) -> bytes:
    return csv_bytes(HEADINGS, return_rows(report))


def return_xlsx(report: AsbReturn, partnership: str, made_on: dt.date) -> bytes:
    return xlsx_bytes(_title(report), HEADINGS, return_rows(report), author=partnership,
                      marking=MARKING)  # fmt: skip


def return_json(report: AsbReturn, partnership: str, made_on: dt.date) -> bytes:
    return (json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def return_pdf(report: AsbReturn, partnership: str, made_on: dt.date) -> bytes:
    style = styles()
    cell = style["small"]
    title = _title(report)
    head = [Paragraph(f"<b>{escape(h)}</b>", cell) for h in HEADINGS]
    rows = return_rows(report)
    rows[-1] = [rows[-1][0], *(_change(int(v)) for v in rows[-1][1:])]  # +1, -2, 0
    body = [[Paragraph(escape(str(value)), cell) for value in row] for row in rows]
    table = Table([head, *body], colWidths=[52 * mm, 29 * mm, 29 * mm, 29 * mm, 31 * mm],
                  repeatRows=1)  # fmt: skip
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e6ea")),
        ("BACKGROUND", (0, len(body) - 2), (-1, len(body)), colors.HexColor("#f3f4f6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))  # fmt: skip
    story: list[Flowable] = [
        Paragraph(f"ASB Case Reviews: annual return, {report.period_words}", style["title"]),
        Paragraph(
            f"Published by {escape(partnership)} under the Anti-social Behaviour, Crime and "
            "Policing Act 2014 (the duty to publish the number of applications, threshold "
            "decisions, case reviews and reviews that resulted in recommendations). Period: "
            f"{report.period_words}; compared with {report.previous_words}.",
            style["body"],
        ),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 5 * mm),
        Paragraph("<b>What each figure counts</b>", style["body"]),
    ]
    for name in FIGURES:
        story.append(Paragraph(f"<b>{escape(FIGURE_WORDS[name])}</b>: "
                               f"{escape(FIGURE_EXPLAINED[name])}", style["body"]))  # fmt: skip
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(
        "Each figure is counted by the date of its own event inside the period, so an "
        "application received in one period and decided in the next counts in each for what "
        f"happened in it. Made on {en_gb_date(made_on)}.", style["small"],
    ))  # fmt: skip
    return render_pdf(story, title=title, marking=MARKING, made_on=made_on, author=partnership)


WRITERS = {"csv": return_csv, "json": return_json, "xlsx": return_xlsx, "pdf": return_pdf}


def return_bytes(report: AsbReturn, fmt: str, partnership: str, made_on: dt.date) -> bytes:
    if fmt not in WRITERS:
        raise ValueError(f"Write the return as {', '.join(FORMATS)}, not '{fmt}'.")
    return WRITERS[fmt](report, partnership, made_on)


def save_return(path: Path, report: AsbReturn, partnership: str, made_on: dt.date) -> Path:
    """Write the return in the format the file's suffix names (written whole, private)."""
    fmt = path.suffix.lower().lstrip(".")
    return write_private(path, return_bytes(report, fmt, partnership, made_on))
