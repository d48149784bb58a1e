"""A seeded corpus for the anonymisation checker (issue #6), generated in memory by the tests.

A fictional identifier register (a victim, a perpetrator and a child; every name invented) and,
for each place a document can hold text and each way an identifier can be written, a generator
that plants one value in that one place. Called with the real identifier, a generator gives a
document the checker must flag, at that place; called with the pseudonym, the same generator
gives the "clean twin", which must come back with no hit at all.

Nothing here is stored as a binary fixture: DOCX files are made with python-docx and, for the
parts it cannot write (footnotes, endnotes, tracked changes, custom properties, a name split
across runs), with hand-written OOXML added to the package; PDFs with reportlab and pypdf;
workbooks with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import docx
import openpyxl
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from openpyxl.comments import Comment
from pypdf import PdfWriter
from pypdf.annotations import FreeText, Link
from pypdf.xmp import XmpInformation
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from dhr_desk.workflows.identifier_patterns import RegisterEntry, register_identifiers

# ------------------------------------------------------------------------------- the register

VICTIM = RegisterEntry(
    person_id=101,
    label="Victim 'Ellen'",
    real_name="Mary-Jane O'Brien",
    nicknames="Mazzy",
    date_of_birth=dt.date(1980, 2, 3),
    address="12 Acacia Avenue\nNorwich\nNR1 2AB",
    workplace="Larkspur Garden Centre",
    other_identifiers="Thornfield Primary School",
)
PERPETRATOR = RegisterEntry(
    person_id=102,
    label="Perpetrator 'Tom'",
    real_name="John Adam Smith",
    nicknames="Smudger",
    date_of_birth=dt.date(1976, 11, 21),
    workplace="Quayside Motors",
)
CHILD = RegisterEntry(
    person_id=103,
    label="Child A",
    real_name="Poppy Hartigan",
    date_of_birth=dt.date(2012, 7, 9),
    other_identifiers="Brambleside Nursery",
)
REGISTER = (VICTIM, PERPETRATOR, CHILD)
IDENTIFIERS = register_identifiers(list(REGISTER))
PEOPLE = {entry.person_id: entry for entry in REGISTER}
#: What an anonymised document calls each person: no word shared with any real name.
PSEUDONYMS = {101: "Ellen", 102: "Tom", 103: "Child A"}

# ------------------------------------------------------------------------------------ DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORD_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
CUSTOM_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
TRACKED = 'w:author="Reviewer" w:date="2024-01-15T10:00:00Z"'
#: Characters Word keeps as elements of their own rather than as text in ``w:t``.
SPECIAL = {
    "\u00ad": "<w:softHyphen/>",
    "\u2011": "<w:noBreakHyphen/>",
    "\n": "<w:br/>",
    "\t": "<w:tab/>",
}


def _t(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def plain_run(text: str) -> str:
    return f"<w:r>{_t(text)}</w:r>"


def split_runs(text: str, size: int = 3) -> str:
    """The text as Word leaves it after editing: runs of a few characters, alternately bold,
    with a spelling mark and a bookmark among them, and soft hyphens, non-breaking hyphens, line
    breaks and tabs as elements of their own."""
    pieces = re.findall(rf"[\u00ad\u2011\n\t]|[^\u00ad\u2011\n\t]{{1,{size}}}", text)
    runs = ['<w:proofErr w:type="spellStart"/>']
    for index, piece in enumerate(pieces):
        content = SPECIAL.get(piece) or _t(piece)
        bold = "<w:rPr><w:b/></w:rPr>" if index % 2 else ""
        runs.append(f"<w:r>{bold}{content}</w:r>")
        if index == 0:
            runs.append('<w:bookmarkStart w:id="0" w:name="_Ref1"/><w:bookmarkEnd w:id="0"/>')
    runs.append('<w:proofErr w:type="spellEnd"/>')
    return "".join(runs)


def inserted_run(text: str) -> str:
    return f'<w:ins w:id="901" {TRACKED}><w:r>{_t(text)}</w:r></w:ins>'


def deleted_run(text: str) -> str:
    return (
        f'<w:del w:id="902" {TRACKED}><w:r><w:delText xml:space="preserve">{escape(text)}'
        "</w:delText></w:r></w:del>"
    )


def _note_reference(tag: str) -> str:
    return f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{tag} w:id="1"/></w:r>'


def add_raw_paragraph(document: Any, inner: str) -> None:
    """A body paragraph made of hand-written runs."""
    paragraph = document.add_paragraph()
    for element in list(parse_xml(f"<w:p {nsdecls('w')}>{inner}</w:p>")):
        paragraph._p.append(element)


def _notes_xml(tag: str, text: str) -> str:
    """footnotes.xml or endnotes.xml: the two separators Word expects, then note 1."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{tag}s xmlns:w="{W_NS}">'
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:{tag}>"
        f'<w:{tag} w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f"<w:{tag}Ref/></w:r>{plain_run(f' Interview with {text}, June 2020.')}</w:p></w:{tag}>"
        f"</w:{tag}s>"
    )


def _custom_xml(properties: dict[str, str]) -> str:
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" '
        f"name={quoteattr(name)}><vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{CUSTOM_PROPS_NS}" xmlns:vt="{VT_NS}">{items}</Properties>'
    )


@dataclass(frozen=True)
class _NewPart:
    name: str  # inside the package: "word/footnotes.xml"
    content_type: str
    rels: str  # the relationships part that points at it
    rel_type: str
    target: str  # relative to the rels part's owner
    xml: str


def add_parts(package: bytes, parts: list[_NewPart]) -> bytes:
    """The OOXML package with parts added: each written, given a content-type override and a
    relationship from its owner."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    for number, part in enumerate(parts, start=1):
        members[part.name] = part.xml.encode("utf-8")
        override = f'<Override PartName="/{part.name}" ContentType="{part.content_type}"/>'
        types = members["[Content_Types].xml"].decode("utf-8")
        members["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()
        relationship = (
            f'<Relationship Id="rIdCorpus{number}" Type="{part.rel_type}" Target="{part.target}"/>'
        )
        rels = members[part.rels].decode("utf-8")
        members[part.rels] = rels.replace(
            "</Relationships>", relationship + "</Relationships>"
        ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, blob in members.items():
            target.writestr(name, blob)
    return out.getvalue()


def make_docx(
    *,
    body: str = "Ellen",
    runs: str = "the family",
    inserted: str | None = None,
    deleted: str | None = None,
    comment: str | None = None,
    footnote: str | None = None,
    endnote: str | None = None,
    table_cell: str = "Ellen",
    header: str | None = None,
    footer: str | None = None,
    core: dict[str, str] | None = None,
    custom: dict[str, str] | None = None,
    text_box: str | None = None,
    link_text: str | None = None,
    link_address: str | None = None,
) -> bytes:
    """A short overview-report DOCX. Its body paragraphs are always numbered the same:

    1 heading; 2 filler; 3 ``body``; 4 ``runs`` split across many runs; 5 a tracked deletion
    and/or insertion; 6 the paragraph ``comment`` is anchored on; 7 the footnote and endnote
    references. Then table 1 (``table_cell`` at row 2, cell 2); after it, paragraph 8 holds the
    text box and the hyperlink when asked for; then the section's header and footer, and the
    core and custom document properties.
    """
    document = docx.Document()
    document.add_heading("Chronology of agency contact", level=1)
    document.add_paragraph("The panel reviewed the records shared by each agency.")
    document.add_paragraph(f"Agencies first met {body} in March 2019.")
    add_raw_paragraph(
        document,
        plain_run("A statement was taken from ") + split_runs(runs) + plain_run(" in 2020."),
    )
    tracked = (deleted_run(deleted) if deleted is not None else "") + (
        inserted_run(inserted) if inserted is not None else ""
    )
    add_raw_paragraph(
        document, plain_run("The chair wrote to ") + tracked + plain_run(" about the terms.")
    )
    anchor = document.add_paragraph("The review considered the agency reports.")
    if comment is not None:
        document.add_comment(
            anchor.runs,
            text=f"Check with {comment} before publication.",
            author="Reviewer",
            initials="RV",
        )
    notes = plain_run("Records were shared by all agencies.")
    if footnote is not None:
        notes += _note_reference("footnoteReference")
    if endnote is not None:
        notes += _note_reference("endnoteReference")
    add_raw_paragraph(document, notes)
    table = document.add_table(rows=3, cols=2)
    rows = (("Date", "Event"), ("2019", f"Home visit to {table_cell}"), ("2020", "Case closed"))
    for row, (when, what) in enumerate(rows):
        table.cell(row, 0).text = when
        table.cell(row, 1).text = what
    if text_box is not None or link_text is not None or link_address is not None:
        extra = plain_run("See ")
        if text_box is not None:
            extra += (
                '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" '
                'style="width:200pt;height:40pt"><v:textbox><w:txbxContent><w:p>'
                f"{plain_run(f'Note on {text_box}')}</w:p></w:txbxContent></v:textbox></v:shape>"
                "</w:pict></w:r>"
            )
        if link_text is not None or link_address is not None:
            address = f"mailto:{link_address or 'panel'}@example.org"
            rid = document.part.relate_to(address, f"{OFFICE_RELS}/hyperlink", is_external=True)
            extra += (
                f'<w:hyperlink xmlns:r="{OFFICE_RELS}" r:id="{rid}">'
                f"{plain_run(link_text or 'the panel')}</w:hyperlink>"
            )
        add_raw_paragraph(document, extra)
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = f"Review concerning {header}"
    if footer is not None:
        section.footer.paragraphs[0].text = f"Prepared for {footer}"
    for name, value in (core or {}).items():
        setattr(document.core_properties, name, value)
    buffer = io.BytesIO()
    document.save(buffer)
    parts = []
    for tag, text in (("footnote", footnote), ("endnote", endnote)):
        if text is not None:
            parts.append(
                _NewPart(
                    f"word/{tag}s.xml",
                    f"{WORD_CT}.{tag}s+xml",
                    "word/_rels/document.xml.rels",
                    f"{OFFICE_RELS}/{tag}s",
                    f"{tag}s.xml",
                    _notes_xml(tag, text),
                )
            )
    if custom:
        parts.append(
            _NewPart(
                "docProps/custom.xml",
                "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                "_rels/.rels",
                f"{OFFICE_RELS}/custom-properties",
                "docProps/custom.xml",
                _custom_xml(custom),
            )
        )
    return add_parts(buffer.getvalue(), parts) if parts else buffer.getvalue()


def docx_with(place: str) -> Callable[[Any], bytes]:
    """A generator planting its value at one place of ``make_docx``."""
    return lambda value: make_docx(**{place: value})


def docx_core(field: str, template: str = "{}") -> Callable[[Any], bytes]:
    return lambda value: make_docx(core={field: template.format(value)})


def docx_custom(value: str) -> bytes:
    return make_docx(custom={"Reviewed with": value, "Status": "Draft"})


def docx_deletion(value: str) -> bytes:
    """The real name deleted and the pseudonym inserted with Track Changes on: the usual way a
    name survives "anonymising" a report."""
    return make_docx(deleted=value, inserted="Ellen")


# ------------------------------------------------------------------------------------- PDF

PAGE_ONE = [
    "Overview report",
    "The panel reviewed the records shared by each agency.",
    "Agencies met the family in March 2019.",
]


def page_two(*lines: str) -> list[str]:
    """Page 2: the planted lines are lines 3 onwards."""
    return [
        "Chronology, continued",
        "The review considered the agency reports.",
        *lines,
        "Case closed in 2020.",
    ]


def make_pdf(
    pages: list[list[str]], *, note: str | None = None, metadata: dict[str, str] | None = None
) -> bytes:
    """A PDF of text lines, with a text annotation (sticky note) on page 1 when ``note`` is given,
    and metadata set through reportlab (``Author``, ``Title``, ``Subject``, ``Keywords``)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for key, value in (metadata or {}).items():
        getattr(pdf, f"set{key}")(value)
    for number, lines in enumerate(pages, start=1):
        y = 780
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 18
        if note is not None and number == 1:
            pdf.textAnnotation(note, Rect=(72, 600, 260, 640))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_page_two(value: str) -> bytes:
    return make_pdf([PAGE_ONE, page_two(f"A statement was taken from {value} in 2020.")])


def pdf_hyphenated(value: str) -> bytes:
    """The value hyphenated across a line end: ``Smi-`` / ``th``."""
    head, tail = value[:-2], value[-2:]
    return make_pdf(
        [PAGE_ONE, page_two(f"A statement was given by {head}-", f"{tail} to the police.")]
    )


def pdf_two_lines(value: str) -> bytes:
    """The value broken across two lines at its last space."""
    first, _, last = value.rpartition(" ")
    return make_pdf([PAGE_ONE, page_two(f"The panel wrote to {first}", f"{last} in June 2020.")])


def pdf_annotation(value: str) -> bytes:
    return make_pdf([PAGE_ONE, page_two("Nothing to add.")], note=f"Check {value} is removed.")


def _rewrite(data: bytes, change: Callable[[PdfWriter], object]) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_free_text(value: str) -> bytes:
    """A free-text (typewriter) annotation added with pypdf to page 2."""
    base = make_pdf([PAGE_ONE, page_two("Nothing to add.")])
    return _rewrite(
        base,
        lambda writer: writer.add_annotation(
            1, FreeText(text=f"Query: is {value} right?", rect=(72, 500, 320, 540))
        ),
    )


def pdf_metadata(key: str) -> Callable[[Any], bytes]:
    return lambda value: make_pdf([PAGE_ONE], metadata={key: value})


def pdf_custom_info(value: str) -> bytes:
    """A custom entry in the information dictionary, added with pypdf."""
    base = make_pdf([PAGE_ONE])
    return _rewrite(base, lambda writer: writer.add_metadata({"/ReviewedWith": value}))


def pdf_two_text_objects(value: str) -> bytes:
    """The value drawn as two pieces, each its own text object, side by side on one line: how
    a name partly in another font or colour can come out of a PDF printer."""
    head, tail = value[:-2], value[-2:]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for line_number, line in enumerate(PAGE_ONE):
        pdf.drawString(72, 780 - 18 * line_number, line)
    pdf.showPage()
    first = f"A statement was taken from {head}"
    pdf.drawString(72, 780, "Chronology, continued")
    pdf.drawString(72, 762, "The review considered the agency reports.")
    pdf.drawString(72, 744, first)
    pdf.drawString(72 + pdf.stringWidth(first, "Helvetica", 12), 744, f"{tail} in 2020.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_link(value: str) -> bytes:
    """A link annotation on page 1 whose address holds the value."""
    base = make_pdf([PAGE_ONE])
    link = Link(rect=(72, 700, 300, 720), url=f"mailto:{value}@example.org")
    return _rewrite(base, lambda writer: writer.add_annotation(0, link))


def pdf_bookmark(value: str) -> bytes:
    base = make_pdf([PAGE_ONE, page_two("Nothing to add.")])
    return _rewrite(
        base, lambda writer: writer.add_outline_item(title=f"Interview with {value}", page_number=1)
    )


def pdf_xmp(value: str) -> bytes:
    """XMP metadata (what Acrobat shows as the author) naming the value."""

    def change(writer: PdfWriter) -> None:
        xmp = XmpInformation.create()
        xmp.dc_creator = [value]
        writer.xmp_metadata = xmp

    return _rewrite(make_pdf([PAGE_ONE]), change)


def pdf_encrypted(value: str, *, user_password: str = "secret") -> bytes:
    """The page-2 PDF encrypted: with a user password it cannot be opened without it; with an
    empty one (an owner password only: "no printing") it opens and must be read."""
    return _rewrite(
        pdf_page_two(value),
        lambda writer: writer.encrypt(
            user_password, owner_password="owner-secret", algorithm="AES-128"
        ),
    )


def pdf_owner_password_only(value: str) -> bytes:
    return pdf_encrypted(value, user_password="")


# ------------------------------------------------------------------------------------ XLSX


def make_xlsx(
    *,
    cell: str = "Ellen",
    date_cell: dt.date = dt.date(2019, 4, 12),
    sheet_name: str | None = None,
    comment: str | None = None,
    creator: str | None = None,
    formula: str | None = None,
    header: str | None = None,
    hidden: str | None = None,
) -> bytes:
    """A chronology workbook: sheet 'Chronology', ``cell`` in B3, ``date_cell`` (a real date) in
    C3, a formula looking for ``formula`` in D3, ``comment`` on B2, ``header`` in the page
    header; a second sheet named ``sheet_name``; a hidden sheet 'Working' with ``hidden`` in A1."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Chronology"
    sheet.append(["Date", "Event", "Recorded"])
    sheet.append([dt.date(2019, 3, 1), "Referral received", dt.date(2019, 3, 2)])
    sheet.append([dt.date(2019, 4, 12), f"Home visit to {cell}", date_cell])
    for row in sheet.iter_rows(min_row=2):
        for each in (row[0], row[2]):
            each.number_format = "DD/MM/YYYY"
    if formula is not None:
        sheet["D3"] = f'=COUNTIF(B:B,"*{formula}*")'
    if header is not None:
        sheet.oddHeader.center.text = f"Chronology: {header}"
    if hidden is not None:
        working = book.create_sheet("Working")
        working["A1"] = f"Source: {hidden}"
        working.sheet_state = "hidden"
    if comment is not None:
        sheet["B2"].comment = Comment(f"Confirm with {comment}", "Reviewer")
    if sheet_name is not None:
        book.create_sheet(sheet_name)["A1"] = "Notes"
    if creator is not None:
        book.properties.creator = creator
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_with(place: str) -> Callable[[Any], bytes]:
    return lambda value: make_xlsx(**{place: value})


# ------------------------------------------------------------------------------------ text


def make_text(value: str, encoding: str = "utf-8") -> bytes:
    """Four lines of notes; the value on line 3."""
    lines = [
        "Chronology notes",
        "The panel met in March 2019.",
        f"Contact with {value} was recorded.",
        "End of notes.",
    ]
    return ("\n".join(lines) + "\n").encode(encoding)


def text_in(encoding: str) -> Callable[[Any], bytes]:
    return lambda value: make_text(value, encoding)


# ----------------------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Plant:
    """One identifier planted in one place of one generated document."""

    case: str  # the test id
    file_name: str
    build: Callable[[Any], bytes]
    real: Any  # the identifier as written in the document
    person_id: int
    kind: str  # the kind the hit must have
    location: str  # what the hit's location must contain
    pseudonym: Any = None  # what the clean twin has instead (default: the person's pseudonym)
    found: str | None = None  # the text the hit must report, when not ``real`` itself

    def document(self) -> bytes:
        return self.build(self.real)

    def twin(self) -> bytes:
        return self.build(self.replacement)

    @property
    def replacement(self) -> Any:
        return PSEUDONYMS[self.person_id] if self.pseudonym is None else self.pseudonym

    @property
    def expected_found(self) -> str:
        return self.found if self.found is not None else str(self.real)


VICTIM_NAME = "Mary-Jane O'Brien"
PERPETRATOR_NAME = "John Adam Smith"
CHILD_NAME = "Poppy Hartigan"

# fmt: off
#: Every place a document can hold an identifier: one generated document per place.
PLACES: list[Plant] = [
    # DOCX
    Plant("docx body", "report.docx", docx_with("body"), VICTIM_NAME, 101, "full name",
          "paragraph 3"),
    Plant("docx table cell", "report.docx", docx_with("table_cell"), PERPETRATOR_NAME, 102,
          "full name", "table 1, row 2, cell 2"),
    Plant("docx header", "report.docx", docx_with("header"), VICTIM_NAME, 101, "full name",
          "header 1, paragraph 1"),
    Plant("docx footer", "report.docx", docx_with("footer"), "12 Acacia Avenue", 101, "address",
          "footer 1, paragraph 1", pseudonym="her home"),
    Plant("docx footnote", "report.docx", docx_with("footnote"), PERPETRATOR_NAME, 102, "full name",
          "footnote 1, paragraph 1"),
    Plant("docx endnote", "report.docx", docx_with("endnote"), CHILD_NAME, 103, "full name",
          "endnote 1, paragraph 1"),
    Plant("docx comment", "report.docx", docx_with("comment"), VICTIM_NAME, 101, "full name",
          "comment 0, paragraph 1"),
    Plant("docx tracked insertion", "report.docx", docx_with("inserted"), PERPETRATOR_NAME, 102,
          "full name", "paragraph 5 (tracked insertion)"),
    Plant("docx tracked deletion", "report.docx", docx_deletion, VICTIM_NAME, 101, "full name",
          "paragraph 5 (tracked deletion)"),
    Plant("docx core author", "report.docx", docx_core("author"), VICTIM_NAME, 101, "full name",
          "document property: creator"),
    Plant("docx core title", "report.docx", docx_core("title", "Review concerning {}"),
          PERPETRATOR_NAME, 102, "full name", "document property: title"),
    Plant("docx core subject", "report.docx", docx_core("subject"), "Mazzy", 101, "nickname",
          "document property: subject", pseudonym="Ellen"),
    Plant("docx core keywords", "report.docx", docx_core("keywords", "DHR; {}; chronology"),
          "NR1 2AB", 101, "postcode", "document property: keywords", pseudonym="Norfolk"),
    Plant("docx core comments", "report.docx", docx_core("comments"), "3 February 1980", 101,
          "date of birth", "document property: description", pseudonym="early 1980s"),
    Plant("docx core last modified by", "report.docx", docx_core("last_modified_by"), "J. Smith",
          102, "initial and surname", "document property: lastModifiedBy", pseudonym="Reviewer"),
    Plant("docx custom property", "report.docx", docx_custom, "Poppy", 103, "forename",
          "custom property: Reviewed with"),
    Plant("docx name split across runs", "report.docx", docx_with("runs"), VICTIM_NAME, 101,
          "full name", "paragraph 4"),
    Plant("docx date split across runs", "report.docx", docx_with("runs"), "03/02/1980", 101,
          "date of birth", "paragraph 4", pseudonym="04/02/1980"),
    Plant("docx soft hyphen", "report.docx", docx_with("runs"), "Smi\u00adth", 102, "surname",
          "paragraph 4", pseudonym="To\u00adm", found="Smith"),
    Plant("docx non-breaking hyphen", "report.docx", docx_with("runs"), "Mary\u2011Jane O'Brien",
          101, "full name", "paragraph 4", found=VICTIM_NAME),
    Plant("docx line break in name", "report.docx", docx_with("runs"), "Mary-Jane\nO'Brien", 101,
          "full name", "paragraph 4", pseudonym="the\nvictim", found=VICTIM_NAME),
    Plant("docx text box", "report.docx", docx_with("text_box"), CHILD_NAME, 103, "full name",
          "text box 1"),
    Plant("docx hyperlink text", "report.docx", docx_with("link_text"), VICTIM_NAME, 101,
          "full name", "paragraph 8"),
    Plant("docx hyperlink address", "report.docx", docx_with("link_address"), "john.smith", 102,
          "full name", "link address", pseudonym="tom"),
    # PDF
    Plant("pdf page 2 text", "report.pdf", pdf_page_two, VICTIM_NAME, 101, "full name",
          "page 2, line 3"),
    Plant("pdf hyphenated across lines", "report.pdf", pdf_hyphenated, "Smith", 102, "surname",
          "page 2, line 3"),
    Plant("pdf name across two lines", "report.pdf", pdf_two_lines, PERPETRATOR_NAME, 102,
          "full name", "page 2, line 3", pseudonym="the other party"),
    Plant("pdf curly possessive", "report.pdf", pdf_page_two, "O\u2019Brien\u2019s", 101, "surname",
          "page 2, line 3", pseudonym="Ellen\u2019s", found="O\u2019Brien"),
    Plant("pdf text annotation", "report.pdf", pdf_annotation, VICTIM_NAME, 101, "full name",
          "page 1, annotation 1"),
    Plant("pdf free-text annotation", "report.pdf", pdf_free_text, "NR1 2AB", 101, "postcode",
          "page 2, annotation 1", pseudonym="Norfolk"),
    Plant("pdf metadata author", "report.pdf", pdf_metadata("Author"), VICTIM_NAME, 101,
          "full name", "document property: Author"),
    Plant("pdf metadata title", "report.pdf", pdf_metadata("Title"), PERPETRATOR_NAME, 102,
          "full name", "document property: Title"),
    Plant("pdf metadata subject", "report.pdf", pdf_metadata("Subject"), "3rd Feb 1980", 101,
          "date of birth", "document property: Subject", pseudonym="early 1980s"),
    Plant("pdf custom information entry", "report.pdf", pdf_custom_info, CHILD_NAME, 103,
          "full name", "document property: ReviewedWith"),
    Plant("pdf name in two text objects", "report.pdf", pdf_two_text_objects, "Smith", 102,
          "surname", "page 2, line 3"),
    Plant("pdf link address", "report.pdf", pdf_link, "mary-jane.obrien", 101, "full name",
          "annotation 1", pseudonym="ellen"),
    Plant("pdf bookmark", "report.pdf", pdf_bookmark, PERPETRATOR_NAME, 102, "full name",
          "bookmark 1"),
    Plant("pdf xmp metadata", "report.pdf", pdf_xmp, VICTIM_NAME, 101, "full name", "XMP metadata"),
    Plant("pdf owner password only", "report.pdf", pdf_owner_password_only, PERPETRATOR_NAME, 102,
          "full name", "page 2, line 3"),
    # XLSX
    Plant("xlsx cell", "chronology.xlsx", xlsx_with("cell"), VICTIM_NAME, 101, "full name",
          "sheet 'Chronology', cell B3"),
    Plant("xlsx date cell", "chronology.xlsx", xlsx_with("date_cell"), dt.date(1980, 2, 3), 101,
          "date of birth", "sheet 'Chronology', cell C3", pseudonym=dt.date(1980, 2, 4),
          found="03/02/1980"),
    Plant("xlsx cell date as text", "chronology.xlsx", xlsx_with("cell"), "21st November 1976", 102,
          "date of birth", "sheet 'Chronology', cell B3", pseudonym="late 1976"),
    Plant("xlsx sheet name", "chronology.xlsx", xlsx_with("sheet_name"), "John Smith", 102,
          "full name", "sheet name"),
    Plant("xlsx comment", "chronology.xlsx", xlsx_with("comment"), CHILD_NAME, 103, "full name",
          "sheet 'Chronology', comment on B2"),
    Plant("xlsx formula", "chronology.xlsx", xlsx_with("formula"), VICTIM_NAME, 101, "full name",
          "sheet 'Chronology', cell D3"),
    Plant("xlsx page header", "chronology.xlsx", xlsx_with("header"), "Smudger", 102, "nickname",
          "sheet 'Chronology', oddHeader (center)"),
    Plant("xlsx hidden sheet", "chronology.xlsx", xlsx_with("hidden"), "Poppy", 103, "forename",
          "sheet 'Working', cell A1"),
    Plant("xlsx creator", "chronology.xlsx", xlsx_with("creator"), VICTIM_NAME, 101, "full name",
          "document property: creator"),
    # plain text
    Plant("text line", "notes.txt", make_text, VICTIM_NAME, 101, "full name", "text, line 3"),
    Plant("text cp1252 curly apostrophe", "notes.txt", text_in("cp1252"), "Mary-Jane O\u2019Brien",
          101, "full name", "text, line 3"),
    Plant("text utf-8 with BOM", "notes.txt", text_in("utf-8-sig"), PERPETRATOR_NAME, 102,
          "full name", "text, line 3"),
    Plant("csv line", "contacts.csv", make_text, "Smudger", 102, "nickname", "text, line 3"),
]
# fmt: on


def _text(
    case: str,
    real: str,
    person_id: int,
    kind: str,
    pseudonym: str | None = None,
    found: str | None = None,
) -> Plant:
    return Plant(
        f"text {case}",
        "notes.txt",
        make_text,
        real,
        person_id,
        kind,
        "text, line 3",
        pseudonym,
        found,
    )


# fmt: off
#: Every way of writing an identifier the checker must tolerate, each in a text file (line 3).
VARIANTS: list[Plant] = [
    # case
    _text("all caps", "MARY-JANE O'BRIEN", 101, "full name"),
    _text("all lower", "john adam smith", 102, "full name"),
    _text("mixed case", "pOPPY hARTIGAN", 103, "full name"),
    # possessives
    _text("possessive surname", "Smith's", 102, "surname", "Tom's", found="Smith"),
    _text("curly possessive", "O\u2019Brien\u2019s", 101, "surname", "Ellen\u2019s",
          found="O\u2019Brien"),
    _text("possessive full name", "John Adam Smith's", 102, "full name", "Tom's",
          found="John Adam Smith"),
    _text("possessive nickname", "Mazzy's", 101, "nickname", "Ellen's", found="Mazzy"),
    _text("curly apostrophe in name", "Mary-Jane O\u2019Brien", 101, "full name"),
    # hyphenation, spacing, line breaks
    _text("hyphen as space", "Mary Jane O'Brien", 101, "full name"),
    _text("hyphen dropped", "MaryJane OBrien", 101, "full name"),
    _text("en dash", "Mary\u2013Jane O'Brien", 101, "full name"),
    _text("forenames spaced", "Mary Jane", 101, "forename"),
    _text("forenames joined", "MaryJane", 101, "forename"),
    _text("forename part", "Jane", 101, "forename"),
    _text("surname without apostrophe", "OBrien", 101, "surname"),
    _text("line break in name", "Mary-Jane\nO'Brien", 101, "full name", "the\nvictim",
          found=VICTIM_NAME),
    _text("hyphenated at line end", "O'Bri-\nen", 101, "surname", "El-\nlen", found="O'Brien"),
    _text("hyphenated surname at line end", "Smi-\nth", 102, "surname", "T-\nom", found="Smith"),
    _text("windows line break in name", "Mary-Jane\r\nO'Brien", 101, "full name", "the\r\nvictim",
          found=VICTIM_NAME),
    _text("hyphenated at windows line end", "Smi-\r\nth", 102, "surname", "T-\r\nom",
          found="Smith"),
    _text("non-breaking space", "Mary-Jane\u00a0O'Brien", 101, "full name", found=VICTIM_NAME),
    _text("soft hyphen", "O'Bri\u00aden", 101, "surname", "El\u00adlen", found="O'Brien"),
    _text("plural surname", "the Smiths", 102, "surname", "Tom's family", found="Smiths"),
    _text("plural double-barrelled surname", "the O'Briens", 101, "surname", "Ellen's family",
          found="O'Briens"),
    _text("email address", "john.smith@example.org", 102, "full name", "tom@example.org",
          found="john.smith"),
    _text("tab between names", "John\tAdam Smith", 102, "full name", found=PERPETRATOR_NAME),
    _text("first and last names only", "John Smith", 102, "full name"),
    _text("title and surname", "Mr Smith", 102, "surname", "Mr Tom", found="Smith"),
    _text("middle name alone", "Adam", 102, "middle name"),
    _text("surname alone in caps", "SMITH", 102, "surname"),
    # initials with surname
    _text("initial dot surname", "J. Smith", 102, "initial and surname"),
    _text("initials spaced", "J A Smith", 102, "initial and surname"),
    _text("initials dotted", "J.A. Smith", 102, "initial and surname"),
    _text("initials run together", "JA Smith", 102, "initial and surname"),
    _text("initial no space", "J.Smith", 102, "initial and surname"),
    _text("initial and double-barrelled surname", "M. O'Brien", 101, "initial and surname"),
    _text("initials of two forenames", "M J O'Brien", 101, "initial and surname"),
    # nicknames, workplaces, schools, the child
    _text("nickname", "Mazzy", 101, "nickname"),
    _text("workplace", "Larkspur Garden Centre", 101, "workplace", "her workplace"),
    _text("workplace caps", "LARKSPUR GARDEN CENTRE", 101, "workplace", "her workplace"),
    _text("school", "Thornfield Primary School", 101, "other identifier", "the primary school"),
    _text("perpetrator workplace", "Quayside Motors", 102, "workplace", "a garage"),
    _text("child forename", "Poppy", 103, "forename"),
    _text("child full name", "Poppy Hartigan", 103, "full name"),
    _text("child nursery", "Brambleside Nursery", 103, "other identifier", "the nursery"),
    # addresses and postcodes
    _text("street with number", "12 Acacia Avenue", 101, "address", "her home"),
    _text("street without number", "Acacia Avenue", 101, "address", "her street"),
    _text("street with comma", "12, Acacia Avenue", 101, "address", "her home"),
    _text("postcode", "NR1 2AB", 101, "postcode", "Norfolk"),
    _text("postcode no space", "NR12AB", 101, "postcode", "Norfolk"),
    _text("postcode lower case", "nr1 2ab", 101, "postcode", "Norfolk"),
    # dates of birth
    *[
        _text(f"date {written}", written, 101, "date of birth", "early 1980s")
        for written in (
            "03/02/1980",
            "3/2/80",
            "3/2/1980",
            "03-02-1980",
            "03.02.1980",
            "3 February 1980",
            "3rd Feb 1980",
            "3rd Feb. 1980",
            "3 FEB 1980",
            "3rd February, 1980",
            "3rd of February 1980",
            "1980-02-03",
            "February 3, 1980",
            "Feb 3rd 1980",
            "03/02/80",
            "3.2.80",
            "1980/02/03",
            "03-Feb-1980",
            "3 Feb 80",
        )
    ],
    _text("date with weekday", "Saturday 3 February 1980", 101, "date of birth", "a Saturday",
          found="3 February 1980"),
    _text("date perpetrator", "21/11/1976", 102, "date of birth", "late 1976"),
    _text("date perpetrator long", "21st November 1976", 102, "date of birth", "late 1976"),
    _text("date child", "9 July 2012", 103, "date of birth", "summer 2012"),
    _text("date child iso", "2012-07-09", 103, "date of birth", "summer 2012"),
]
# fmt: on

#: Text near an identifier that is not one: none of these may give a hit.
NEAR_MISSES: list[str] = [
    "Smithson",
    "Blacksmith",
    "J Smithson",
    "Johnson",
    "Adamson",
    "Maryland",
    "Janet",
    "Poppyseed",
    "Mazzyland",
    "04/02/1980",
    "03/02/1981",
    "13/02/1980",
    "03/12/1980",
    "3/2/81",
    "3 February 1981",
    "23rd February 1980",
    "1980-02-04",
    "1980-12-03",
    "NR1 2AC",
    "NR11 2AB",
    "Acacia trees",
    "112 Acacia Lane",
    "Norwich",
    "Garden Centre",
    "Primary School",
    "a meeting in February 1980",
    "Ellen",
    "Tom",
    "Child A",
    "Tom's",
    "Ellen\u2019s",
]

# ------------------------------------------------------------------------------ bad input


def ole_file() -> bytes:
    """The start of an OLE compound file: what Word writes for a password-protected DOCX (the
    package encrypted inside a compound file) and for a 97-2003 .doc."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:34] = b"\x3e\x00\x03\x00\xfe\xff\x09\x00\x06\x00"
    return bytes(header) + b"\x00" * 1024 + "EncryptedPackage".encode("utf-16-le")


def zip_encrypted(package: bytes) -> bytes:
    """The package with every member marked encrypted (general-purpose flag bit 0), as a zip
    tool's password leaves it."""
    data = bytearray(package)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(signature, start)) != -1:
            data[found + flag_at] |= 0x01
            start = found + 4
    return bytes(data)


def docx_with_member(package: bytes, member: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members[member] = content
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, blob in members.items():
            target.writestr(name, blob)
    return out.getvalue()


def odt_file(value: str) -> bytes:
    """A minimal OpenDocument text file holding the value."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        target.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
            f"<office:text><text:p>{escape(value)}</text:p></office:text></office:body>"
            "</office:document-content>",
        )
    return out.getvalue()


def garbled_pdf() -> bytes:
    """A PDF header followed by bytes that are not a PDF."""
    return b"%PDF-1.7\n" + bytes((i * 37 + 11) % 256 for i in range(4096))


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    return data[: int(len(data) * keep)]


@dataclass(frozen=True)
class BadFile:
    """A file the checker cannot read: it must say so, with ``says`` in its message, and report
    no hits."""

    case: str
    file_name: str
    build: Callable[[], bytes]
    says: str


def _name_docx() -> bytes:
    return make_docx(body=VICTIM_NAME)


# fmt: off
BAD_FILES: list[BadFile] = [
    BadFile("docx that is a pdf", "report.docx", lambda: pdf_page_two(VICTIM_NAME),
            "its name says a Word (DOCX) document, but it is a PDF"),
    BadFile("pdf that is a docx", "report.pdf", _name_docx,
            "its name says a PDF, but it is a Word (DOCX) document"),
    BadFile("txt that is a docx", "notes.txt", _name_docx,
            "its name says a text file, but it is a Word (DOCX) document"),
    BadFile("xlsx that is a docx", "chronology.xlsx", _name_docx,
            "its name says an Excel (XLSX) workbook, but it is a Word (DOCX) document"),
    BadFile("docx that is text", "report.docx", lambda: make_text(VICTIM_NAME),
            "its name says a Word (DOCX) document, but it is a text file"),
    BadFile("docx that is an odt", "report.docx", lambda: odt_file(VICTIM_NAME),
            "but it is a zip archive"),
    BadFile("password-protected docx", "report.docx", ole_file, "password-protected"),
    BadFile("password-protected xlsx", "chronology.xlsx", ole_file, "password-protected"),
    BadFile("docx with encrypted zip members", "report.docx", lambda: zip_encrypted(_name_docx()),
            "encrypted"),
    BadFile("truncated docx", "report.docx", lambda: truncated(_name_docx()), "cannot be checked"),
    BadFile("docx with damaged xml", "report.docx",
            lambda: docx_with_member(_name_docx(), "word/document.xml", b"<w:document><w:body"),
            "damaged"),
    BadFile("password-protected pdf", "report.pdf", lambda: pdf_encrypted(VICTIM_NAME),
            "password-protected"),
    BadFile("garbled pdf", "report.pdf", garbled_pdf, "cannot be checked"),
    BadFile("truncated pdf", "report.pdf", lambda: truncated(pdf_page_two(VICTIM_NAME)),
            "cannot be checked"),
    BadFile("truncated xlsx", "chronology.xlsx", lambda: truncated(make_xlsx(cell=VICTIM_NAME)),
            "cannot be checked"),
    BadFile("empty docx", "report.docx", lambda: b"", "is empty"),
    BadFile("empty pdf", "report.pdf", lambda: b"", "is empty"),
    BadFile("empty text", "notes.txt", lambda: b"", "is empty"),
    BadFile("old word doc", "report.doc", ole_file, "only DOCX, XLSX, PDF and text files"),
    BadFile("odt", "report.odt", lambda: odt_file(VICTIM_NAME),
            "only DOCX, XLSX, PDF and text files"),
    BadFile("rtf", "report.rtf", lambda: rb"{\rtf1\ansi Mary-Jane O'Brien\par}",
            "only DOCX, XLSX, PDF and text files"),
    BadFile("no extension", "report", lambda: make_text(VICTIM_NAME),
            "only DOCX, XLSX, PDF and text files"),
]
# fmt: on
