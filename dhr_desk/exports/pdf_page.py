"""The page every dhr-desk PDF is printed on: A4, the protective marking in header and footer,
page numbers, and the date made in en-GB form.

Domain rule (information governance): drafts and working exports carry OFFICIAL-SENSITIVE in
header and footer; approved publications carry OFFICIAL.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any, Literal

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate

Marking = Literal["OFFICIAL-SENSITIVE", "OFFICIAL"]

#: Page streams are compressed but not ASCII85-encoded on top: ASCII85 only makes a PDF safe
#: for 7-bit transports, and without reportlab's optional C accelerator it took half the time
#: of a chase letter. Set once, here, for every PDF the desk makes (never toggled in flight).
rl_config.useA85 = 0

#: The page's margins (the frame inside them has platypus's 6 pt padding on each side).
LEFT_MARGIN: float = 20 * mm
RIGHT_MARGIN: float = 20 * mm
TOP_MARGIN: float = 22 * mm
BOTTOM_MARGIN: float = 22 * mm


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
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
    )

    def decorate(canvas: Any, document: Any) -> None:
        mark_page(canvas, page, title=title, marking=marking, made_on=made_on, page=document.page)

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def mark_page(
    canvas: Any,
    size: tuple[float, float],
    *,
    title: str,
    marking: Marking,
    made_on: dt.date,
    page: int,
    pages: int | None = None,
) -> None:
    """The marking in header and footer, the title and date, and "Page N" (or "Page N of M"
    when the number of pages is known) on one page of ``size``."""
    page_marks(canvas, size, title=title, marking=marking, made_on=made_on)
    page_number(canvas, size, page, pages)


def page_marks(
    canvas: Any, size: tuple[float, float], *, title: str, marking: Marking, made_on: dt.date
) -> None:
    """What every page of a document carries: the marking in header and footer, and the
    title and date (drawn once as a form, it can be put on each page: see chase_digest)."""
    width, height = size
    canvas.saveState()
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawCentredString(width / 2, height - 12 * mm, marking)
    canvas.drawCentredString(width / 2, 10 * mm, marking)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(LEFT_MARGIN, 10 * mm, f"{title} · {en_gb_date(made_on)}")
    canvas.restoreState()


def page_number(canvas: Any, size: tuple[float, float], page: int, pages: int | None) -> None:
    """The page number in the footer: "Page N", or "Page N of M" when the number is known."""
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    number = f"Page {page}" if pages is None else f"Page {page} of {pages}"
    canvas.drawRightString(size[0] - RIGHT_MARGIN, 10 * mm, number)
    canvas.restoreState()
