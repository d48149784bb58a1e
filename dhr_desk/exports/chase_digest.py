"""A chase digest as the recipient receives it: an .eml draft (plain text and HTML, subject
starting OFFICIAL-SENSITIVE:, ``X-Unsent: 1`` so Outlook opens it as a draft to check and send)
and a PDF letter on the partnership's letterhead (setting ``letters.sender``).

One digest lists every item due from its recipient across all reviews, grouped by step, each
with the review, the action, what is due and when. Reviews are named by reference only.
"""

from __future__ import annotations

import binascii
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.contentmanager import ContentManager
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from functools import lru_cache
from html import escape
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from dhr_desk.exports.pdf_page import (
    BOTTOM_MARGIN,
    LEFT_MARGIN,
    RIGHT_MARGIN,
    TOP_MARGIN,
    Marking,
    en_gb_date,
    page_marks,
    page_number,
    styles,
)
from dhr_desk.workflows.chasing import STEP_WORDS, ChaseItem, Digest, items_by_step

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
        parts += [
            "<tr><td>" + "</td><td>".join(map(escape, (
                item.reference, item.number, item.agency, item.description, item.when,
                item.status_words, item.owner))) + "</td></tr>"
            for item in items
        ]  # fmt: skip
        parts.append("</table>")
    parts.append("<p>Thank you.</p><p>" + "<br>".join(escape(x) for x in _sign_off(sender)))
    parts.append(f"</p><p><b>{MARKING}</b></p>")
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def _set_text(message: EmailMessage, text: str, subtype: str = "plain") -> None:
    """Text as quoted-printable UTF-8, as the standard library's set_content makes a digest
    (its lines are longer than 78), but encoded by binascii in C rather than in Python, which
    took half the time of a digest."""
    body = b"\n".join(text.encode("utf-8").splitlines()) + b"\n"
    message["Content-Type"] = f"text/{subtype}"
    message.set_param("charset", "utf-8")
    message["Content-Transfer-Encoding"] = "quoted-printable"
    message.set_payload(binascii.b2a_qp(body, istext=True).decode("ascii"))


_TEXT = ContentManager()
_TEXT.add_set_handler(str, _set_text)


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
    message.set_content(plain_text(digest, sender), content_manager=_TEXT)
    message.add_alternative(html_text(digest, sender), subtype="html", content_manager=_TEXT)
    return message.as_bytes()


# --- the PDF letter ------------------------------------------------------------------------
#
# Drawn straight on the canvas. A letter is prose, then one table per step; platypus laid
# out a table of some thousands of rows slowly enough to take most of a chase run, so the
# rows are measured, wrapped and written as PDF operators here. The look is what platypus
# drew (pdf_page's styles and margins, tables with a grey grid and a shaded header row), with
# the header row repeated at the top of every page a table runs onto and "Page N of M".

TITLE = "Review actions due"
PAGE_WIDTH: float = A4[0]
PAGE_HEIGHT: float = A4[1]
FRAME_PADDING = 6  # platypus's frame padding inside the margins
TEXT_LEFT = LEFT_MARGIN + FRAME_PADDING
TEXT_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN - 2 * FRAME_PADDING
TOP = PAGE_HEIGHT - TOP_MARGIN - FRAME_PADDING
BOTTOM = BOTTOM_MARGIN + FRAME_PADDING
FUZZ = 1e-6

COLUMNS = ("Review", "Action", "Agency", "What is due", "When", "Status")
#: The columns' widths, 170 mm: margin to margin.
WIDTHS: tuple[float, ...] = (25 * mm, 13 * mm, 30 * mm, 52 * mm, 30 * mm, 20 * mm)
PAD_X, PAD_Y = 6.0, 3.0  # a cell's padding on each side
HEAD_FONT, HEAD_SIZE, HEAD_LEADING = "Helvetica-Bold", 9.0, 9.0 * 1.2
CELL_FONT, CELL_SIZE, CELL_LEADING = "Helvetica", 8.5, 10.5
HEAD_HEIGHT = HEAD_LEADING + 2 * PAD_Y
EDGES = tuple(LEFT_MARGIN + sum(WIDTHS[:i]) for i in range(len(WIDTHS) + 1))
GRID = "0.4 w 1 J 0.502 0.502 0.502 RG"  # 0.4 pt, colors.grey
HEAD_SHADE = "0.8902 0.902 0.9176 rg"  # #e3e6ea


@dataclass(frozen=True)
class _Style:
    font: str
    size: float
    leading: float
    before: float
    after: float


def _style(name: str) -> _Style:
    found = styles()[name]
    return _Style(found.fontName, found.fontSize, found.leading, found.spaceBefore,
                  found.spaceAfter)  # fmt: skip


SMALL, BODY, HEADING = _style("small"), _style("body"), _style("heading")
FONTS = (BODY.font, HEADING.font, SMALL.font, CELL_FONT, HEAD_FONT)
_ENCODING = pdfmetrics.getFont(CELL_FONT).encName  # WinAnsi, as for every standard font
_ESCAPES = {c: f"\\{c:03o}" for c in (*range(32), *range(127, 256))} | {
    ord("\\"): "\\\\", ord("("): "\\(", ord(")"): "\\)"}  # fmt: skip


@lru_cache(maxsize=65536)
def _width(word: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(word, font, size))


def _broken(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the column, in pieces that fit (never running off the page)."""
    pieces, piece = [], ""
    for char in word:
        if piece and pdfmetrics.stringWidth(piece + char, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


@lru_cache(maxsize=16384)
def _wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """Text in lines that fit ``width``: words on spaces, as a Paragraph would; line breaks
    kept; a word too long for a line broken where it must be."""
    text = text.strip()
    if not text:
        return ()
    lines: list[str] = []
    space = _width(" ", font, size)
    for part in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in part.split():
            wide = _width(word, font, size)
            if line and used + space + wide <= width + FUZZ:
                line.append(word)
                used += space + wide
                continue
            if line:
                lines.append(" ".join(line))
            if wide > width + FUZZ:
                *whole, last = _broken(word, font, size, width)
                lines += whole
                line, used = [last], _width(last, font, size)
            else:
                line, used = [word], wide
        lines.append(" ".join(line))
    return tuple(lines)


@lru_cache(maxsize=65536)
def _pdf_string(text: str) -> str | None:
    """The text as a PDF string literal's contents, or None when a character is not in the
    standard fonts' encoding (then the canvas draws it, with its substitute fonts)."""
    try:
        raw = text.encode(_ENCODING)
    except UnicodeEncodeError:
        return None
    return raw.decode("latin-1").translate(_ESCAPES)


def _font_names(canvas: Canvas) -> dict[str, str]:
    """Each font's name in the PDF's resources (/F1 …), as the canvas registers it."""
    names = {}
    for font in set(FONTS):
        text = canvas.beginText()
        text.setFont(font, 10)
        found = re.search(r"(/\S+) [0-9.]+ Tf", text.getCode())
        if found is None:  # pragma: no cover - reportlab always writes Tf for a font
            raise RuntimeError(f"no PDF name for the font {font}")
        names[font] = found.group(1)
    return names


@dataclass
class _Page:
    """One page's content as PDF operators: shading and grid, then the text over them."""

    shapes: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    others: list[tuple[float, float, str, str, float]] = field(default_factory=list)
    font: tuple[str, float, float] | None = None

    def code(self) -> str:
        return " ".join(["q", *self.shapes, "Q q 0 g BT", *self.text, "ET Q"])


@lru_cache(maxsize=16384)
def _cell(text: str, width: float) -> tuple[tuple[str, ...], str | None]:
    """A table cell's text in lines, and the operators that show them from the first line's
    start ("" for no text; None when the canvas must draw a character, see _pdf_string)."""
    lines = _wrap(text, CELL_FONT, CELL_SIZE, width)
    literals = [_pdf_string(line) for line in lines]
    if None in literals:
        return lines, None
    return lines, " ".join(f"({s}) '" if n else f"({s}) Tj" for n, s in enumerate(literals))


@lru_cache(maxsize=1024)
def _move(across: float, lines_up: int) -> str:
    """From the start of the last line shown to the next cell's first line."""
    return f"{across:.2f} {lines_up * CELL_LEADING:g} Td"


@dataclass(frozen=True)
class _Row:
    """A row of the items table: each cell's lines, how many lines the row takes, and the
    operators that show it all once the text origin is at the first cell's first baseline
    (None when a cell has characters the canvas must draw)."""

    cells: tuple[tuple[str, ...], ...]
    count: int
    shown: str | None


INNER_WIDTHS = tuple(width - 2 * PAD_X for width in WIDTHS)
CELL_X = f"{EDGES[0] + PAD_X:.2f}"


def _row(item: ChaseItem) -> _Row:
    texts = (item.reference, item.number, item.agency, item.description, item.when,
             item.status_words)  # fmt: skip
    made = list(map(_cell, texts, INNER_WIDTHS))
    cells = tuple(lines for lines, _ in made)
    count = max(1, *map(len, cells))
    ops: list[str] = []
    across, up = 0.0, 0
    for width, (lines, shown) in zip(WIDTHS, made, strict=True):
        if shown is None:
            return _Row(cells, count, None)
        if shown:
            if ops:
                ops.append(_move(across, up))
            ops.append(shown)
            across, up = 0.0, len(lines) - 1
        across += width
    return _Row(cells, count, " ".join(ops))


class _Letter:
    """The letter laid out page by page, top down, the way platypus flows a story: a block's
    space before is dropped at the top of a page and overlaps the space after the last."""

    def __init__(self, fonts: Mapping[str, str]) -> None:
        self.fonts = fonts
        self.pages: list[_Page] = []
        self._new_page()

    def _new_page(self) -> None:
        self.page = _Page()
        self.pages.append(self.page)
        self.y = TOP
        self.after = 0.0
        self.at_top = True

    def _room(self) -> float:
        return self.y - BOTTOM

    def _font(self, font: str, size: float, leading: float) -> None:
        page = self.page
        if page.font != (font, size, leading):
            page.text.append(f"{self.fonts[font]} {size:g} Tf {leading:g} TL")
            page.font = (font, size, leading)

    def _lines(self, x: float, top: float, lines: Sequence[str], font: str, size: float,
               leading: float) -> None:  # fmt: skip
        """Lines down from ``top``, the first baseline a font size below it; each line after
        the first shown with ``'`` (next line, then show)."""
        if not lines:
            return
        self._font(font, size, leading)
        y = top - size
        literals = [_pdf_string(line) for line in lines]
        if None in literals:  # the canvas draws these, with its substitute fonts
            for line, literal in zip(lines, literals, strict=True):
                if literal is None:
                    self.page.others.append((x, y, line, font, size))
                else:
                    self.page.text.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm ({literal}) Tj")
                y -= leading
            return
        first, *rest = literals
        self.page.text.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm ({first}) Tj")
        self.page.text += [f"({literal}) '" for literal in rest]

    def space(self, height: float) -> None:
        """A Spacer: nothing at the top of a page."""
        if self.at_top:
            return
        if height > self._room():
            self._new_page()
            return
        self.y -= height
        self.after = 0.0

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` more fits on this one."""
        if not self.at_top and height > self._room() + FUZZ:
            self._new_page()

    def prose(self, lines: Sequence[str], style: _Style, *, keep_next: float = 0.0) -> None:
        """A paragraph, kept whole on one page when it fits on one (a heading together with
        ``keep_next`` of what follows it)."""
        gap = 0.0 if self.at_top else max(style.before - self.after, 0.0)
        height = len(lines) * style.leading
        # what is kept together: the paragraph, its space after, and keep_next of what follows
        kept = height + (style.after + keep_next if keep_next else 0.0)
        whole = kept <= TOP - BOTTOM  # else it starts here, and runs over
        if not self.at_top and whole and gap + kept > self._room() + FUZZ:
            self._new_page()
            gap = 0.0
        self.y -= gap
        start = 0
        while start < len(lines):
            fit = max(int((self._room() + FUZZ) // style.leading), 1 if self.at_top else 0)
            if fit == 0:
                self._new_page()
                continue
            chunk = lines[start : start + fit]
            self._lines(TEXT_LEFT, self.y, chunk, style.font, style.size, style.leading)
            self.y -= len(chunk) * style.leading
            self.at_top = False
            start += len(chunk)
        self.y -= style.after
        self.after = style.after
        self.at_top = False

    def table(self, rows: Sequence[_Row]) -> None:
        """The items table: the header row on every page it runs onto; a row moved whole to
        the next page when it does not fit, and split between pages only when taller than a
        page."""
        page_lines = int((TOP - BOTTOM - HEAD_HEIGHT - 2 * PAD_Y + FUZZ) // CELL_LEADING)
        self._head()
        for row in rows:
            height = row.count * CELL_LEADING + 2 * PAD_Y
            if height > self._room() + FUZZ and row.count <= page_lines:
                self._next_page()
            if height <= self._room() + FUZZ:  # the usual: the row whole, as one string
                if row.shown is None:
                    self._row_lines(row, 0, row.count)
                else:
                    self._font(CELL_FONT, CELL_SIZE, CELL_LEADING)
                    baseline = self.y - PAD_Y - CELL_SIZE
                    self.page.text.append(f"1 0 0 1 {CELL_X} {baseline:.2f} Tm {row.shown}")
                self.y -= height
                self.rules.append(self.y)
                continue
            done = 0  # a row taller than a page: split it between pages, line by line
            while done < row.count:
                fit = int((self._room() - 2 * PAD_Y + FUZZ) // CELL_LEADING)
                fit = min(fit, row.count - done)
                if fit <= 0:
                    self._next_page()
                    continue
                self._row_lines(row, done, fit)
                self.y -= fit * CELL_LEADING + 2 * PAD_Y
                self.rules.append(self.y)
                done += fit
        self._close()
        self.after = 0.0

    def _row_lines(self, row: _Row, start: int, count: int) -> None:
        top = self.y - PAD_Y
        for x, lines in zip(EDGES, row.cells, strict=False):
            part = lines[start : start + count]
            self._lines(x + PAD_X, top, part, CELL_FONT, CELL_SIZE, CELL_LEADING)

    def _next_page(self) -> None:
        self._close()
        self._new_page()
        self._head()

    def _head(self) -> None:
        self.at_top = False
        self.table_top = self.y
        self.y -= HEAD_HEIGHT
        self.rules = [self.table_top, self.y]
        width = EDGES[-1] - EDGES[0]
        self.page.shapes.append(f"{HEAD_SHADE} {EDGES[0]:.2f} {self.y:.2f} {width:.2f} "
                                f"{HEAD_HEIGHT:.2f} re f")  # fmt: skip
        for x, name in zip(EDGES, COLUMNS, strict=False):
            self._lines(x + PAD_X, self.table_top - PAD_Y, (name,), HEAD_FONT, HEAD_SIZE,
                        HEAD_LEADING)  # fmt: skip

    def _close(self) -> None:
        """The grid of the table's part on this page."""
        left, right = EDGES[0], EDGES[-1]
        ops = [GRID]
        ops += [f"{left:.2f} {y:.2f} m {right:.2f} {y:.2f} l" for y in self.rules]
        ops += [f"{x:.2f} {self.table_top:.2f} m {x:.2f} {self.y:.2f} l" for x in EDGES]
        ops.append("S")
        self.page.shapes += ops


def _para(texts: Sequence[str], style: _Style) -> list[str]:
    """Lines of text, each wrapped to the page (a paragraph with line breaks)."""
    return [line for text in texts for line in
            (_wrap(text, style.font, style.size, TEXT_WIDTH) or ("",))]  # fmt: skip


def digest_pdf(digest: Digest, sender: Mapping[str, str], made_on: dt.date) -> bytes:
    """The digest as a letter on the partnership's letterhead."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(TITLE)
    canvas.setAuthor("dhr-desk")
    canvas.setSubject(MARKING)
    canvas.setCreator("(unspecified)")  # as platypus's document template had it
    letter = _Letter(_font_names(canvas))
    head = [sender.get(key, "") for key in ("organisation", "address", "phone", "email")]
    letterhead = [line for text in head if text for line in text.split("\n")]
    if letterhead:
        letter.prose(_para(letterhead, SMALL), SMALL)
        letter.space(6 * mm)
    recipient = digest.recipient
    letter.prose(_para([recipient.name, f"{recipient.role}, {recipient.agency}"], BODY), BODY)
    letter.space(4 * mm)
    letter.prose(_para([en_gb_date(made_on)], BODY), BODY)
    letter.space(4 * mm)
    letter.prose(_para([subject(digest).removeprefix(MARKING + ": ")], HEADING), HEADING)
    letter.prose(_para([_greeting(digest)], BODY), BODY)
    letter.space(2 * mm)
    letter.prose(_para([_opening(digest)], BODY), BODY)
    for step, items in items_by_step(digest.items).items():
        rows = [_row(item) for item in items]
        first = min(rows[0].count * CELL_LEADING + 2 * PAD_Y, TOP - BOTTOM - HEAD_HEIGHT - 40)
        letter.prose(_para([STEP_WORDS[step]], HEADING), HEADING, keep_next=HEAD_HEIGHT + first)
        letter.table(rows)
    sign_off = _para(_sign_off(sender), BODY)
    letter.keep(6 * mm + 2 * BODY.before + (1 + len(sign_off)) * BODY.leading + 8 * mm)
    letter.space(6 * mm)
    letter.prose(_para(["Yours sincerely,"], BODY), BODY)
    letter.space(8 * mm)
    letter.prose(sign_off, BODY)
    canvas.beginForm("marks")  # drawn once, put on every page
    page_marks(canvas, A4, title=TITLE, marking=MARKING, made_on=made_on)
    canvas.endForm()
    pages = len(letter.pages)
    for number, page in enumerate(letter.pages, start=1):
        canvas.doForm("marks")
        page_number(canvas, A4, number, pages)
        canvas.addLiteral(page.code())
        for x, y, text, font, size in page.others:  # characters outside the fonts' encoding
            canvas.setFont(font, size)
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
