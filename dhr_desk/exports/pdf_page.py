"""The page every dhr-desk PDF is printed on: A4, the protective marking in header and footer,
page numbers, and the date made in en-GB form.

Domain rule (information governance): drafts and working exports carry OFFICIAL-SENSITIVE in
header and footer; approved publications carry OFFICIAL.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any, Literal

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate

Marking = Literal["OFFICIAL-SENSITIVE", "OFFICIAL"]


def en_gb_date(value: dt.date) -> str:
    """dd/mm/yyyy, as users read dates."""
    return value.strftime("%d/%m/%Y")


def styles() -> dict[str, ParagraphStyle]:
    sheet = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=sheet["Title"], fontSize=18, leading=22),
        "heading": ParagraphStyle("heading", parent=sheet["Heading2"], spaceBefore=8),
        "body": ParagraphStyle("body", parent=sheet["BodyText"], fontSize=10.5, leading=14),
        "small": ParagraphStyle("small", parent=sheet["BodyText"], fontSize=8.5, leading=11),
    }


def render_pdf(
    story: list[Flowable],
    *,
    title: str,
    marking: Marking,
    made_on: dt.date,
    author: str = "dhr-desk",
    landscape_pages: bool = False,
) -> bytes:
    """Lay the story out on marked A4 pages (portrait, or landscape) and return the PDF bytes."""
    buffer = BytesIO()
    page = landscape(A4) if landscape_pages else A4
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        title=title,
        author=author,
        subject=marking,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=22 * mm,
        bottomMargin=22 * mm,
    )

    def decorate(canvas: Any, document: Any) -> None:
        width, height = page
        canvas.saveState()
        canvas.setFont("Helvetica-Bold", 9)
        canvas.drawCentredString(width / 2, height - 12 * mm, marking)
        canvas.drawCentredString(width / 2, 10 * mm, marking)
        canvas.setFont("Helvetica", 8)
        canvas.drawString(20 * mm, 10 * mm, f"{title} · {en_gb_date(made_on)}")
        canvas.drawRightString(width - 20 * mm, 10 * mm, f"Page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
