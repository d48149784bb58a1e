"""A review's action plan in the Home Office columns (the DHR action plan template):
Recommendation · Scope · Action to take · Lead agency · Key milestones achieved in enacting the
recommendation · Target date · Date of completion and outcome. One row per action; a
recommendation without an action yet gets one row with the action columns empty.

As PDF (landscape A4, the heading row repeated on every page, page numbers, the protective
marking in header and footer, title and author in the document properties), DOCX (a real Word
table whose heading row repeats on every page, the marking in header and footer, title and
author in the core properties) and XLSX. Pseudonymous: the review is named by reference and its
title, which is its pseudonym, never a real name.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from dhr_desk.exports.docx_page import marked_document
from dhr_desk.exports.pdf_page import Marking, en_gb_date, render_pdf, styles
from dhr_desk.exports.table_export import write_private, xlsx_bytes
from dhr_desk.workflows.action_plan import SCOPE_WORDS, MilestoneEntry, RecommendationEntry

HOME_OFFICE_COLUMNS = (
    "Recommendation",
    "Scope (local / regional / national)",
    "Action to take",
    "Lead agency",
    "Key milestones achieved in enacting the recommendation",
    "Target date",
    "Date of completion and outcome",
)
MARKING: Marking = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class ActionPlanDocument:
    """What the exports print: the review by reference and pseudonymous title."""

    reference: str
    title: str
    author: str  # the partnership (setting letters.sender), for the document properties
    made_on: dt.date
    plan: Sequence[RecommendationEntry]
    marking: Marking = MARKING  # OFFICIAL once the report is approved for publication

    @property
    def heading(self) -> str:
        return f"Action plan: {self.reference}, {self.title}"


def _d(day: dt.date | None) -> str:
    return en_gb_date(day) if day else ""


def _milestone(m: MilestoneEntry) -> str:
    when = f"achieved {_d(m.achieved_on)}" if m.achieved_on else (
        f"due {_d(m.due_on)}" if m.due_on else "not yet")  # fmt: skip
    return f"{m.description}: {when}"


def plan_rows(document: ActionPlanDocument) -> list[list[str]]:
    """One row per action in the Home Office columns, as text."""
    rows: list[list[str]] = []
    for recommendation in document.plan:
        first = f"{recommendation.number}. {recommendation.text}"
        scope = SCOPE_WORDS[recommendation.scope]
        if recommendation.follow_up_with:
            scope += f" (follow up: {recommendation.follow_up_with})"
        if not recommendation.actions:
            rows.append([first, scope, "", recommendation.lead_agency, "", "", ""])
        for action in recommendation.actions:
            milestones = "\n".join(_milestone(m) for m in action.milestones)
            done = ""
            if action.status == "complete":
                done = f"{_d(action.completed_on)}: {action.outcome}"
            elif action.status == "closed_by_csp":
                when = f" on {_d(action.completed_on)}" if action.completed_on else ""
                done = f"Closed, not completed{when}: {action.outcome}"
            rows.append([first, scope, f"{action.number} {action.description}", action.agency,
                         milestones, _d(action.target_date), done])  # fmt: skip
    return rows


# --- PDF -----------------------------------------------------------------------------------

PDF_WIDTHS = (50 * mm, 30 * mm, 50 * mm, 30 * mm, 42 * mm, 20 * mm, 35 * mm)


def action_plan_pdf(document: ActionPlanDocument) -> bytes:
    style = styles()
    cell = style["small"]
    head = [Paragraph(f"<b>{escape(h)}</b>", cell) for h in HOME_OFFICE_COLUMNS]
    body = [
        [Paragraph(escape(text).replace("\n", "<br/>"), cell) for text in row]
        for row in plan_rows(document)
    ]
    story: list[Flowable] = [
        Paragraph(escape(document.heading), style["title"]),
        Paragraph(
            f"Made {en_gb_date(document.made_on)} by {escape(document.author)}.", style["small"]
        ),
        Spacer(1, 4 * mm),
    ]
    if not body:
        story.append(Paragraph("No recommendations have been recorded yet.", style["body"]))
    else:
        table = Table([head, *body], colWidths=list(PDF_WIDTHS), repeatRows=1, splitInRow=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e6ea")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))  # fmt: skip
        story.append(table)
    return render_pdf(story, title=document.heading, marking=document.marking,
                      made_on=document.made_on, author=document.author,
                      landscape_pages=True)  # fmt: skip


# --- DOCX ----------------------------------------------------------------------------------


def action_plan_docx(document: ActionPlanDocument) -> bytes:
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    word = marked_document(document.marking, document.heading, document.author)
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(15))
    word.add_heading(document.heading, level=1)
    word.add_paragraph(f"Made {en_gb_date(document.made_on)} by {document.author}.")
    rows = plan_rows(document)
    table = word.add_table(rows=1, cols=len(HOME_OFFICE_COLUMNS))
    table.style = "Table Grid"
    heading_row = table.rows[0]
    for cell, text in zip(heading_row.cells, HOME_OFFICE_COLUMNS, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    repeat = OxmlElement("w:tblHeader")  # Word repeats this row at the top of every page
    repeat.set(qn("w:val"), "true")
    heading_row._tr.get_or_add_trPr().append(repeat)  # python-docx has no API for it
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    if not rows:
        word.add_paragraph("No recommendations have been recorded yet.")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# --- XLSX and saving -----------------------------------------------------------------------


def action_plan_xlsx(document: ActionPlanDocument) -> bytes:
    rows: list[list[str | dt.date | None]] = []
    for row in plan_rows(document):
        values: list[str | dt.date | None] = list(row)
        target = row[5]
        values[5] = dt.datetime.strptime(target, "%d/%m/%Y").date() if target else None
        rows.append(values)
    return xlsx_bytes(document.heading, HOME_OFFICE_COLUMNS, rows, wrap=True,
                      author=document.author, marking=document.marking)  # fmt: skip


WRITERS = {".pdf": action_plan_pdf, ".docx": action_plan_docx, ".xlsx": action_plan_xlsx}


def save_action_plan(path: Path, document: ActionPlanDocument) -> Path:
    """Write the action plan as PDF, DOCX or XLSX by the file's suffix (written whole, then
    renamed into place; private to the user)."""
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(f"Save the action plan as .pdf, .docx or .xlsx, not '{path.suffix}'.")
    return write_private(path, writer(document))
