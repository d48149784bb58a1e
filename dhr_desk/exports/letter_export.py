"""A letter (``workflows.asb_letters.Letter``) written as PDF and as DOCX, the same words in
each: the partnership's address block is the signature's; the recipient, the date, the subject
in bold, the paragraphs (a numbered list kept as lines), the signature. Marked
OFFICIAL-SENSITIVE (it names the applicant)."""

from __future__ import annotations

import io
from html import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from dhr_desk.exports.docx_page import marked_document
from dhr_desk.exports.pdf_page import Marking, en_gb_date, render_pdf, styles
from dhr_desk.workflows.asb_letters import Letter

MARKING: Marking = "OFFICIAL-SENSITIVE"


def _title(letter: Letter) -> str:
    """Short enough for the page footer beside the marking."""
    return f"{letter.reference} letter"


def _pdf_lines(text: str) -> str:
    """Lines kept, and a line's leading spaces (an action under its recommendation) kept."""
    return "<br/>".join(
        "&nbsp;" * (len(line) - len(line.lstrip(" "))) + escape(line.lstrip(" "))
        for line in text.split("\n")
    )


def letter_pdf(letter: Letter) -> bytes:
    style = styles()
    story: list[Flowable] = [
        Paragraph("<br/>".join(escape(line) for line in letter.recipient), style["body"]),
        Spacer(1, 4 * mm),
        Paragraph(en_gb_date(letter.dated), style["body"]),
        Spacer(1, 4 * mm),
        Paragraph(
            f"Dear {escape(letter.recipient[0] if letter.recipient else 'applicant')},",
            style["body"],
        ),
        Spacer(1, 2 * mm),
        Paragraph(f"<b>{escape(letter.subject)}</b>", style["body"]),
        Spacer(1, 2 * mm),
    ]
    for paragraph in letter.paragraphs:
        story.append(Paragraph(_pdf_lines(paragraph), style["body"]))
        story.append(Spacer(1, 2 * mm))
    story.append(Paragraph("Yours sincerely,", style["body"]))
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph("<br/>".join(escape(line) for line in letter.signature),
                           style["body"]))  # fmt: skip
    return render_pdf(story, title=_title(letter), marking=MARKING, made_on=letter.dated,
                      author=letter.partnership)  # fmt: skip


def letter_docx(letter: Letter) -> bytes:

    word = marked_document(MARKING, _title(letter), letter.partnership)

    def lines(texts: tuple[str, ...] | list[str]) -> None:
        paragraph = word.add_paragraph()
        for i, text in enumerate(texts):
            if i:
                paragraph.add_run().add_break()
            paragraph.add_run(text)

    lines(letter.recipient)
    word.add_paragraph(en_gb_date(letter.dated))
    word.add_paragraph(f"Dear {letter.recipient[0] if letter.recipient else 'applicant'},")
    word.add_paragraph().add_run(letter.subject).bold = True
    for paragraph in letter.paragraphs:
        lines(paragraph.split("\n"))
    word.add_paragraph("Yours sincerely,")
    lines(letter.signature)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
