"""A chase digest as the recipient receives it: an .eml draft (plain text and HTML, subject
starting OFFICIAL-SENSITIVE:, ``X-Unsent: 1`` so Outlook opens it as a draft to check and send)
and a PDF letter on the partnership's letterhead (setting ``letters.sender``).

One digest lists every item due from its recipient across all reviews, grouped by step, each
with the review, the action, what is due and when. Reviews are named by reference only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from html import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from dhr_desk.exports.pdf_page import Marking, en_gb_date, render_pdf, styles
from dhr_desk.workflows.chasing import STEP_WORDS, Digest, items_by_step

MARKING: Marking = "OFFICIAL-SENSITIVE"


def subject(digest: Digest) -> str:
    count = len(digest.items)
    late = sum(1 for item in digest.items if item.days_overdue > 0)
    overdue = f", {late} overdue" if late else ""
    return f"{MARKING}: Review actions due from you: {count} item{'s' * (count != 1)}{overdue}"


def _greeting(digest: Digest) -> str:
    return f"Dear {digest.recipient.name},"


def _opening(digest: Digest) -> str:
    role = digest.recipient.role.lower()
    return (
        f"You are receiving this as {role} ({digest.recipient.agency}). The partnership has a "
        "statutory duty to hold agencies to account for the actions agreed in its reviews. "
        "Please send an update on each item below: what has been done, and the evidence, or "
        "when it will be done."
    )


def _sign_off(sender: Mapping[str, str]) -> list[str]:
    keys = ("name", "role", "organisation", "email", "phone")
    lines = [sender.get(key, "") for key in keys]
    return [line for line in lines if line] or ["The review team"]


def plain_text(digest: Digest, sender: Mapping[str, str]) -> str:
    lines = [_greeting(digest), "", _opening(digest), ""]
    for step, items in items_by_step(digest.items).items():
        lines += [STEP_WORDS[step].upper(), ""]
        for item in items:
            lines += [
                f"- {item.reference}, action {item.number} ({item.agency}): {item.when}",
                f"  {item.description}",
                f"  Status: {item.status_words}. Owner: {item.owner}.",
                "",
            ]
    lines += ["Thank you.", "", *_sign_off(sender), "", MARKING]
    return "\n".join(lines)


def html_text(digest: Digest, sender: Mapping[str, str]) -> str:
    parts = [f"<p><b>{MARKING}</b></p>", f"<p>{escape(_greeting(digest))}</p>",
             f"<p>{escape(_opening(digest))}</p>"]  # fmt: skip
    for step, items in items_by_step(digest.items).items():
        parts.append(f"<h3>{escape(STEP_WORDS[step])}</h3>")
        parts.append('<table border="1" cellpadding="4" cellspacing="0">')
        parts.append("<tr><th>Review</th><th>Action</th><th>Agency</th><th>What is due</th>"
                     "<th>When</th><th>Status</th><th>Owner</th></tr>")  # fmt: skip
        for item in items:
            cells = (item.reference, item.number, item.agency, item.description, item.when,
                     item.status_words, item.owner)  # fmt: skip
            parts.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
        parts.append("</table>")
    parts.append("<p>Thank you.</p><p>" + "<br>".join(escape(x) for x in _sign_off(sender)))
    parts.append(f"</p><p><b>{MARKING}</b></p>")
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def digest_eml(digest: Digest, sender: Mapping[str, str], made_at: dt.datetime) -> bytes:
    """The digest as an unsent draft: the officer opens it, checks it, and sends it."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject(digest)
    if sender.get("email"):
        message["From"] = formataddr((sender.get("name") or "", sender["email"]))
    message["To"] = formataddr((digest.recipient.name, digest.recipient.email))
    message["Date"] = format_datetime(made_at)
    message["X-Unsent"] = "1"
    message["Sensitivity"] = "Company-Confidential"
    message.set_content(plain_text(digest, sender))
    message.add_alternative(html_text(digest, sender), subtype="html")
    return message.as_bytes()


TABLE_ROWS = 25
WIDTHS = (25 * mm, 13 * mm, 30 * mm, 52 * mm, 30 * mm, 20 * mm)
PADDING = 12  # a cell's 6 pt padding on each side
AGENCY_WIDTH, DESCRIPTION_WIDTH, WHEN_WIDTH, STATUS_WIDTH = (w - PADDING for w in WIDTHS[2:])
CELL_FONT, CELL_SIZE = "Helvetica", 8.5


def _wrapped(text: str, width: float) -> str:
    """Text broken into lines that fit the column (plain cells: Paragraphs are slow by the
    thousand)."""
    return "\n".join(simpleSplit(text, CELL_FONT, CELL_SIZE, width))


def _items_table(rows: list[list[str]]) -> Table:
    table = Table([["Review", "Action", "Agency", "What is due", "When", "Status"], *rows],
                  colWidths=list(WIDTHS), repeatRows=1, splitInRow=1)  # fmt: skip
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
        ("FONT", (0, 1), (-1, -1), CELL_FONT, CELL_SIZE),
        ("LEADING", (0, 1), (-1, -1), CELL_SIZE + 2),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e6ea")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))  # fmt: skip
    return table


def digest_pdf(digest: Digest, sender: Mapping[str, str], made_on: dt.date) -> bytes:
    """The digest as a letter on the partnership's letterhead."""
    style = styles()
    head = [sender.get("organisation", ""), sender.get("address", ""), sender.get("phone", ""),
            sender.get("email", "")]  # fmt: skip
    story: list[Flowable] = []
    letterhead = "<br/>".join(escape(x).replace("\n", "<br/>") for x in head if x)
    if letterhead:
        story.append(Paragraph(letterhead, style["small"]))
        story.append(Spacer(1, 6 * mm))
    recipient = "<br/>".join(escape(x) for x in (
        digest.recipient.name, f"{digest.recipient.role}, {digest.recipient.agency}"))  # fmt: skip
    story += [
        Paragraph(recipient, style["body"]),
        Spacer(1, 4 * mm),
        Paragraph(en_gb_date(made_on), style["body"]),
        Spacer(1, 4 * mm),
        Paragraph(
            f"<b>{escape(subject(digest).removeprefix(MARKING + ': '))}</b>", style["heading"]
        ),
        Paragraph(escape(_greeting(digest)), style["body"]),
        Spacer(1, 2 * mm),
        Paragraph(escape(_opening(digest)), style["body"]),
    ]
    for step, items in items_by_step(digest.items).items():
        story.append(Paragraph(escape(STEP_WORDS[step]), style["heading"]))
        rows = [
            [item.reference, item.number, _wrapped(item.agency, AGENCY_WIDTH),
             _wrapped(item.description, DESCRIPTION_WIDTH), _wrapped(item.when, WHEN_WIDTH),
             _wrapped(item.status_words, STATUS_WIDTH)]
            for item in items
        ]  # fmt: skip
        for start in range(0, len(rows), TABLE_ROWS):  # short tables: a long one is slow to split
            story.append(_items_table(rows[start : start + TABLE_ROWS]))
    story += [Spacer(1, 6 * mm), Paragraph("Yours sincerely,", style["body"]), Spacer(1, 8 * mm)]
    story.append(Paragraph("<br/>".join(escape(x) for x in _sign_off(sender)), style["body"]))
    return render_pdf(story, title="Review actions due", marking=MARKING,
                      made_on=made_on)  # fmt: skip
