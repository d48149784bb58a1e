"""The covering letter of a DHR submission to the Home Office Quality Assurance Panel, as PDF and
DOCX (issue #6, point 5; domain.md, "Documents of a DHR"): the review's reference and pseudonym,
the key dates, the panel meetings, the reasons for exceeding the completion date, the status of
parallel proceedings, that the family has seen the report, and whom to send the feedback letter
to. The wording is read from ``resources/submission``; the letter is built once as blocks and
written in both formats, so they say the same. Marked OFFICIAL-SENSITIVE.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from html import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from dhr_desk.exports.docx_page import marked_document
from dhr_desk.exports.pdf_page import Marking, en_gb_date, render_pdf, styles
from dhr_desk.exports.report_starters import proceeding_lines
from dhr_desk.workflows.submission_facts import CaseFacts

MARKING: Marking = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Block:
    """One part of the letter: a heading, a paragraph, or a two-column table of dates."""

    kind: str  # "heading", "text", "dates"
    text: str = ""
    rows: tuple[tuple[str, str], ...] = ()


def _d(day: dt.date | None) -> str:
    return en_gb_date(day) if day else "not recorded"


def letter_blocks(facts: CaseFacts, wording: dict[str, str], made_on: dt.date) -> list[Block]:
    """The letter, block by block, in the order it is read."""
    values = {
        "review_name": facts.review_name,
        "reference": facts.reference,
        "victim": facts.victim,
        "partnership": facts.partnership,
        "signed_off_on": _d(facts.signed_off_on),
        "completion_due": _d(facts.completion_due),
        "completion_basis": facts.completion_basis,
        "days_over": str(facts.days_over),
        "family_seen_draft_on": _d(facts.family_seen_draft_on),
        "feedback_contact": facts.feedback_contact or "the sender of this letter",
    }

    def say(key: str) -> str:
        return wording[key].format(**values)

    sender = facts.sender
    from_lines = [sender.get("organisation", ""), *sender.get("address", "").splitlines()]
    blocks = [
        Block("text", "\n".join(line for line in from_lines if line.strip())),
        Block("text", en_gb_date(made_on)),
        Block("text", say("addressee")),
        Block("text", say("salutation")),
        Block("heading", say("subject")),
        Block("text", say("opening")),
        Block("heading", say("dates_heading")),
        Block("dates", rows=tuple((label, _d(day)) for label, day in facts.dates)),
        Block("heading", say("meetings_heading")),
        Block(
            "text",
            ", ".join(_d(day) for day in facts.panel_meetings) or "No panel meeting is recorded.",
        ),
        Block("heading", say("delay_heading")),
    ]
    if facts.completion_due is not None and facts.late:
        blocks.append(Block("text", say("late")))
        blocks.append(Block("text", facts.delay_reasons or "(not recorded)"))
    elif facts.completion_due is not None:
        blocks.append(Block("text", say("on_time")))
    blocks.append(Block("heading", say("proceedings_heading")))
    proceedings = proceeding_lines(facts)
    blocks.append(Block("text", "\n".join(proceedings) if proceedings else say("no_proceedings")))
    blocks.append(Block("heading", say("family_heading")))
    family = "family_seen" if facts.family_seen_draft_on else "family_declined"
    blocks.append(Block("text", say(family)))
    blocks.append(Block("heading", say("feedback_heading")))
    blocks.append(Block("text", say("feedback")))
    blocks.append(Block("text", say("closing")))
    signature = [sender.get("name", ""), sender.get("role", ""), sender.get("organisation", ""),
                 sender.get("email", ""), sender.get("phone", "")]  # fmt: skip
    blocks.append(Block("text", say("valediction")))
    signed = "\n".join(line for line in signature if line.strip()) or facts.partnership
    blocks.append(Block("text", signed))
    return [b for b in blocks if b.text.strip() or b.rows]


def _title(facts: CaseFacts) -> str:
    return f"Covering letter: {facts.reference}"


def covering_letter_pdf(facts: CaseFacts, wording: dict[str, str], made_on: dt.date) -> bytes:
    style = styles()
    story: list[Flowable] = []
    for block in letter_blocks(facts, wording, made_on):
        if block.kind == "heading":
            story.append(Paragraph(f"<b>{escape(block.text)}</b>", style["body"]))
        elif block.kind == "dates":
            table = Table([list(row) for row in block.rows], colWidths=[90 * mm, 40 * mm])
            table.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
            ]))  # fmt: skip
            story.append(table)
        else:
            story.append(Paragraph(escape(block.text).replace("\n", "<br/>"), style["body"]))
        story.append(Spacer(1, 3 * mm))
    return render_pdf(story, title=_title(facts), marking=MARKING, made_on=made_on,
                      author=facts.partnership)  # fmt: skip


def covering_letter_docx(facts: CaseFacts, wording: dict[str, str], made_on: dt.date) -> bytes:

    word = marked_document(MARKING, _title(facts), facts.partnership)
    for block in letter_blocks(facts, wording, made_on):
        if block.kind == "heading":
            word.add_paragraph().add_run(block.text).bold = True
        elif block.kind == "dates":
            table = word.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, day in block.rows:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, day
        else:
            paragraph = word.add_paragraph()
            for i, line in enumerate(block.text.split("\n")):
                if i:
                    paragraph.add_run().add_break()
                paragraph.add_run(line)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
