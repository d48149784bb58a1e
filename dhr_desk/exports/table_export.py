"""A table as shown on screen (headings and rows of text, dates and numbers) written to CSV or
XLSX: the reviews register's current view, and later lists like it.

Files are written whole beside the target and renamed into place, private to the user (the
register names reviews and districts): a failure part-way leaves no half-written file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path

Cell = str | int | dt.date | None

#: Spreadsheet programs run text beginning with these as a formula: such a cell is written
#: with a leading apostrophe so it stays text (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MARKING = "OFFICIAL-SENSITIVE"


#: Control characters no spreadsheet cell may hold (a pasted Word line break, \x0b, among them).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(value: str) -> str:
    value = CONTROL.sub(" ", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def write_private(path: Path, data: bytes) -> Path:
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def csv_bytes(headings: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel on Windows reads accents right), dates as
    DD/MM/YYYY, one heading row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow(
            [
                value.strftime("%d/%m/%Y")
                if isinstance(value, dt.date)
                else safe_text(value)
                if isinstance(value, str)
                else ("" if value is None else value)
                for value in row
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(
    title: str,
    headings: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    wrap: bool = False,
    author: str = "dhr-desk",
    marking: str = MARKING,
) -> bytes:
    """One worksheet: the protective marking and title above a frozen, filterable heading row;
    dates as real dates shown DD/MM/YYYY; with ``wrap``, long text wraps in its cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "-", title)[:31]  # characters Excel refuses
    sheet.append([marking])
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, color="B00020")
    sheet["A2"].font = Font(bold=True, size=13)
    sheet.append(list(headings))
    header_row = 3
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headings]
    for row in rows:
        values = [safe_text(v) if isinstance(v, str) else v for v in row]
        sheet.append(values)
        for i, value in enumerate(values):
            widths[i] = max(widths[i], 10 if isinstance(value, dt.date) else len(str(value or "")))
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width + 2, 60)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    last = get_column_letter(len(headings))
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + len(rows)}"
    book.properties.title = title
    book.properties.creator = author
    book.properties.keywords = marking
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def save_table(
    path: Path, title: str, headings: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> Path:
    """Write ``rows`` to ``path`` as CSV or XLSX, by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_private(path, csv_bytes(headings, rows))
    if suffix == ".xlsx":
        return write_private(path, xlsx_bytes(title, headings, rows))
    raise ValueError(f"Save as .csv or .xlsx, not '{path.suffix or path.name}'.")
