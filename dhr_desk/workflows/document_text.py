"""The text of a document, part by part, as the anonymisation checker reads it (issue #6).

Everything a reader of the file could see or find is read, not only the body: in a DOCX the
body and its tables, headers and footers, footnotes and endnotes, comments (and their authors),
tracked insertions and deletions, text boxes, image descriptions, field codes, link addresses,
and the core, extended and custom document properties; in a PDF each page's text, annotations,
form fields, bookmarks and the metadata (information dictionary and XMP); in an XLSX every cell
(dates written out as dates), sheet names, comments, headers and footers and the workbook
properties; a text file whole.

A file is recognised by its content, not its name. A file that is not what its name says, is
password-protected, damaged or of a kind that cannot be read raises ``CannotCheck`` with what to
do: the gate treats that like a hit (domain.md: nothing leaves unchecked).
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from xml.etree import ElementTree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Bytes of XML read from one Office file at most: more is a zip bomb, not a review.
MAX_UNPACKED = 1024 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".csv", ".md", ".eml", ".text"})


class CannotCheck(ValueError):
    """The file cannot be read to the end; the message says why and what to do. Blocks the gate
    like a hit."""


@dataclass(frozen=True)
class TextPart:
    """A stretch of text and where it is (``"paragraph 12"``, ``"page 3"``, ``"comment 2"``).
    ``lines`` says whether a hit's line within the part is worth naming (pages, text files)."""

    location: str
    text: str
    lines: bool = False
    #: the same stretch before its tracked changes, when it has any (DOCX)
    original: str | None = None
    #: where tracked insertions are in ``text`` and tracked deletions in ``original``
    inserted: tuple[tuple[int, int], ...] = ()
    deleted: tuple[tuple[int, int], ...] = ()


def kind_of(data: bytes) -> str:
    """What the bytes are: ``docx``, ``xlsx``, ``pdf``, ``ole`` (Word/Excel 97-2003, or an
    encrypted Office file), ``zip`` (another zip), ``text`` or ``unknown``."""
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(OLE):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError,
                EOFError, OSError, RuntimeError):  # fmt: skip
            return "unknown"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    head = data[:65536]
    if b"\x00" not in head:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=len(data) <= len(head))
            return "text"
        except UnicodeDecodeError:
            try:
                head.decode("cp1252")
                return "text"
            except UnicodeDecodeError:
                pass
    return "unknown"


KIND_WORDS = {
    "docx": "a Word (DOCX) document",
    "xlsx": "an Excel (XLSX) workbook",
    "pdf": "a PDF",
    "ole": "an old-format (97-2003) or password-protected Office file",
    "zip": "a zip archive",
    "text": "a text file",
    "unknown": "a file of a kind that cannot be read",
}
SUFFIX_KIND = {".docx": "docx", ".docm": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".pdf": "pdf"}


def expected_kind(file_name: str) -> str | None:
    """The kind a file's name promises, or None for a name this checker does not read."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    return SUFFIX_KIND.get(suffix)


def document_parts(file_name: str, data: bytes) -> list[TextPart]:
    """Every part of the file's text, in reading order; ``CannotCheck`` if it cannot be read."""
    name = PurePath(file_name).name
    promised = expected_kind(name)
    actual = kind_of(data)
    if not data:
        raise CannotCheck(f"{name} is empty: there is nothing to check. Is it the right file?")
    if promised is None:
        raise CannotCheck(
            f"{name} cannot be checked: only DOCX, XLSX, PDF and text files can be read. Save it "
            "as DOCX or PDF and check that copy."
        )
    if actual == "ole" and promised in ("docx", "xlsx"):
        raise CannotCheck(
            f"{name} cannot be checked: it is password-protected (or an old 97-2003 file "
            "renamed). Remove the password in Word or Excel (File > Info > Protect), save, and "
            "check it again."
        )
    if actual != promised:
        raise CannotCheck(
            f"{name} cannot be checked: its name says {KIND_WORDS[promised]}, but it is "
            f"{KIND_WORDS[actual]}. Open it in the program that made it and save it again with "
            "the right type."
        )
    try:
        if actual == "docx":
            return list(_docx_parts(data))
        if actual == "xlsx":
            return list(_xlsx_parts(data))
        if actual == "pdf":
            return list(_pdf_parts(name, data))
        return [TextPart("text", _decode(data), lines=True)]
    except CannotCheck:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ElementTree.ParseError,
            NotImplementedError, EOFError, OSError, RuntimeError, ValueError,
            TypeError, AttributeError, IndexError) as exc:  # fmt: skip
        raise CannotCheck(
            f"{name} cannot be checked: it is damaged ({type(exc).__name__}). Open it in the "
            "program that made it, save it again, and check the new copy."
        ) from exc


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# ---------------------------------------------------------------------------------------- DOCX


def _xml(archive: zipfile.ZipFile, member: str, budget: list[int]) -> ElementTree.Element:
    info = archive.getinfo(member)
    budget[0] -= info.file_size
    if budget[0] < 0:
        raise CannotCheck(
            "The file unpacks to more than 1 GB of text: it cannot be checked. Is it really a "
            "review document?"
        )
    return ElementTree.fromstring(archive.read(member))


@dataclass
class _Paragraph:
    """Text of one paragraph with tracked changes accepted (``now``) and rejected (``then``),
    and where the inserted and deleted stretches are."""

    now: list[str]
    then: list[str]
    now_length: int = 0
    then_length: int = 0
    inserted: list[tuple[int, int]] = field(default_factory=list)
    deleted: list[tuple[int, int]] = field(default_factory=list)

    def add(self, now: str, then: str, inserted: bool = False, deleted: bool = False) -> None:
        if inserted and now:
            self.inserted.append((self.now_length, self.now_length + len(now)))
        if deleted and then:
            self.deleted.append((self.then_length, self.then_length + len(then)))
        self.now.append(now)
        self.then.append(then)
        self.now_length += len(now)
        self.then_length += len(then)


def _runs(element: ElementTree.Element, into: _Paragraph, inserted: bool, deleted: bool) -> None:
    """The text of a paragraph's runs, in order, without descending into nested paragraphs
    (a text box in a run has paragraphs of its own)."""
    for child in element:
        tag = child.tag
        if tag == f"{W}p" or tag == f"{W}txbxContent":
            continue
        if tag in (f"{W}ins", f"{W}moveTo"):
            _runs(child, into, True, deleted)
            continue
        if tag in (f"{W}del", f"{W}moveFrom"):
            _runs(child, into, inserted, True)
            continue
        if tag in (f"{W}t", f"{W}delText", f"{W}instrText", f"{W}delInstrText"):
            text = child.text or ""
            if deleted or tag in (f"{W}delText", f"{W}delInstrText"):
                into.add("", text, deleted=True)  # a w:t inside w:del is read as deleted too
            elif inserted:
                into.add(text, "", inserted=True)
            else:
                into.add(text, text)
            continue
        if tag in (f"{W}tab", f"{W}ptab"):
            into.add(" ", " ")
            continue
        if tag in (f"{W}br", f"{W}cr"):
            into.add("\n", "\n")
            continue
        if tag == f"{W}noBreakHyphen":
            into.add("-", "-")
            continue
        _runs(child, into, inserted, deleted)


def _paragraph_part(p: ElementTree.Element, location: str) -> TextPart | None:
    para = _Paragraph([], [])
    _runs(p, para, False, False)
    now, then = "".join(para.now), "".join(para.then)
    if not now.strip() and not then.strip():
        return None
    if not para.inserted and not para.deleted:
        return TextPart(location, now)
    return TextPart(location, now, original=then, inserted=tuple(para.inserted),
                    deleted=tuple(para.deleted))  # fmt: skip


def _story_parts(root: ElementTree.Element, where: str) -> Iterator[TextPart]:
    """Paragraphs of a story (body, header, note), tables by table/row/cell, text boxes after
    the paragraph that holds them."""
    counters = {"paragraph": 0, "table": 0, "box": 0}

    def walk(element: ElementTree.Element, table: str | None) -> Iterator[TextPart]:
        for child in element:
            if child.tag == f"{W}tbl":
                counters["table"] += 1
                number = counters["table"]
                for r, row in enumerate(child.findall(f"{W}tr"), start=1):
                    for c, cell in enumerate(row.findall(f"{W}tc"), start=1):
                        yield from walk(cell, f"table {number}, row {r}, cell {c}")
            elif child.tag == f"{W}p":
                if table is None:
                    counters["paragraph"] += 1
                    location = f"{where}paragraph {counters['paragraph']}"
                else:
                    location = f"{where}{table}"
                part = _paragraph_part(child, location)
                if part is not None:
                    yield part
                for box in child.iter(f"{W}txbxContent"):
                    counters["box"] += 1
                    yield from walk(box, f"text box {counters['box']}")
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}body",
                               f"{W}ins", f"{W}del", f"{W}moveTo", f"{W}moveFrom"):  # fmt: skip
                yield from walk(child, table)

    return walk(root, None)


CORE_FIELDS = ("title", "subject", "creator", "keywords", "description", "lastModifiedBy",
               "category", "contentStatus", "identifier", "language", "version")  # fmt: skip


def _property_parts(archive: zipfile.ZipFile, budget: list[int]) -> Iterator[TextPart]:
    names = set(archive.namelist())
    for member, label in (("docProps/core.xml", "document property"),
                          ("docProps/app.xml", "document property")):  # fmt: skip
        if member not in names:
            continue
        for element in _xml(archive, member, budget).iter():
            local = element.tag.rsplit("}", 1)[-1]
            text = (element.text or "").strip()
            if text and len(element) == 0 and local not in (
                "TotalTime", "Pages", "Words", "Characters", "Application", "DocSecurity",
                "Lines", "Paragraphs", "ScaleCrop", "LinksUpToDate", "CharactersWithSpaces",
                "SharedDoc", "HyperlinksChanged", "AppVersion", "Template", "revision",
                "created", "modified", "lastPrinted", "Slides", "Notes", "HiddenSlides",
                "MMClips",
            ):  # fmt: skip
                yield TextPart(f"{label}: {local}", text)
    if "docProps/custom.xml" in names:
        for prop in _xml(archive, "docProps/custom.xml", budget):
            name = prop.get("name", "")
            values = " ".join((v.text or "") for v in prop.iter() if v is not prop)
            yield TextPart(f"custom property: {name}", f"{name}: {values}".strip())


def _attribute_parts(root: ElementTree.Element, where: str) -> Iterator[TextPart]:
    """Names Word keeps in attributes: who made each tracked change or comment, and the
    descriptions (alt text) of pictures."""
    authors: set[str] = set()
    for element in root.iter():
        author = element.get(f"{W}author")
        if author:
            authors.add(author)
        local = element.tag.rsplit("}", 1)[-1]
        if local == "docPr":
            text = " ".join(x for x in (element.get("title"), element.get("descr")) if x)
            if text:
                yield TextPart(f"{where}picture description", text)
    for author in sorted(authors):
        yield TextPart(f"{where}tracked change or comment author", author)


def _docx_parts(data: bytes) -> Iterator[TextPart]:
    budget = [MAX_UNPACKED]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if any(info.flag_bits & 0x1 for info in archive.infolist()):
            raise CannotCheck(
                "Part of the document is encrypted inside the file, so it cannot be checked. "
                "Remove the protection in Word, save, and check it again."
            )
        body = _xml(archive, "word/document.xml", budget)
        yield from _story_parts(body, "")
        yield from _attribute_parts(body, "")
        stories = sorted(n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
        for member in stories:
            label = PurePath(member).stem  # header1, footer2 …
            root = _xml(archive, member, budget)
            label = re.sub(r"(\D+)(\d*)", lambda m: f"{m.group(1)} {m.group(2)}".strip(), label)
            yield from _story_parts(root, f"{label}, ")
        for member, tag, label in (
            ("word/footnotes.xml", "footnote", "footnote"),
            ("word/endnotes.xml", "endnote", "endnote"),
            ("word/comments.xml", "comment", "comment"),
        ):
            if member not in names:
                continue
            root = _xml(archive, member, budget)
            for note in root.findall(f"{W}{tag}"):
                if note.get(f"{W}type") in ("separator", "continuationSeparator",
                                            "continuationNotice"):  # fmt: skip
                    continue
                number = note.get(f"{W}id", "?")
                yield from _story_parts(note, f"{label} {number}, ")
                for attr in ("author", "initials"):
                    if note.get(f"{W}{attr}"):
                        yield TextPart(f"{label} {number}, {attr}", note.get(f"{W}{attr}", ""))
            yield from _attribute_parts(root, f"{label}s, ")
        for member in names:
            if member.startswith("word/_rels/") and member.endswith(".rels"):
                for rel in _xml(archive, member, budget):
                    if rel.get("TargetMode") == "External" and rel.get("Target"):
                        yield TextPart("link address", rel.get("Target", ""))
        yield from _property_parts(archive, budget)


# ---------------------------------------------------------------------------------------- XLSX


def _cell_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _xlsx_parts(data: bytes) -> Iterator[TextPart]:
    import openpyxl  # slow to import; only when a workbook is checked

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
        if total > MAX_UNPACKED:
            raise CannotCheck(
                "The workbook unpacks to more than 1 GB: it cannot be checked. Is it really a "
                "review document?"
            )
    formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        for sheet in formulas.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    value = getattr(cell, "value", None)
                    if isinstance(value, str) and value.startswith("="):
                        yield TextPart(f"sheet '{sheet.title}', cell {cell.coordinate} (formula)",
                                       value)  # fmt: skip
    finally:
        formulas.close()
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, rich_text=False)
    try:
        for sheet in book.worksheets:
            title = sheet.title
            yield TextPart(f"sheet name '{title}'", title)
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None and cell.value != "":
                        yield TextPart(f"sheet '{title}', cell {cell.coordinate}",
                                       _cell_text(cell.value))  # fmt: skip
                    if cell.comment is not None:
                        yield TextPart(
                            f"sheet '{title}', comment on {cell.coordinate}",
                            f"{cell.comment.author or ''}\n{cell.comment.text or ''}",
                        )
            for which in ("oddHeader", "oddFooter", "evenHeader", "evenFooter",
                          "firstHeader", "firstFooter"):  # fmt: skip
                item = getattr(sheet, which, None)
                for side in ("left", "center", "right"):
                    text = getattr(getattr(item, side, None), "text", None)
                    if text:
                        yield TextPart(f"sheet '{title}', {which} ({side})", text)
        for name in getattr(book, "defined_names", {}) or {}:
            yield TextPart("defined name", str(name))
        props = book.properties
        for field in ("title", "subject", "creator", "keywords", "description",
                      "lastModifiedBy", "category", "identifier"):  # fmt: skip
            value = getattr(props, field, None)
            if value:
                yield TextPart(f"document property: {field}", str(value))
        for prop in getattr(book, "custom_doc_props", None) or []:
            yield TextPart(f"custom property: {prop.name}", f"{prop.name}: {prop.value}")
    finally:
        book.close()


# ----------------------------------------------------------------------------------------- PDF


def _pdf_value(value: Any) -> str:
    try:
        resolved = value.get_object() if hasattr(value, "get_object") else value
    except Exception:  # a dangling reference in a damaged file: nothing to read there
        return ""
    if isinstance(resolved, bytes):
        return _decode(resolved)
    return str(resolved) if resolved is not None else ""


def _pdf_parts(name: str, data: bytes) -> Iterator[TextPart]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CannotCheck(
                f"{name} cannot be checked: it is password-protected. Save a copy without the "
                "password (or ask its author for one) and check that."
            )
        pages = reader.pages
        count = len(pages)
    except FileNotDecryptedError as exc:
        raise CannotCheck(
            f"{name} cannot be checked: it is password-protected. Save a copy without the "
            "password and check that."
        ) from exc
    except PdfReadError as exc:
        raise CannotCheck(
            f"{name} cannot be checked: it is damaged ({exc}). Save or print it to PDF again "
            "and check the new copy."
        ) from exc
    texts = 0
    for number in range(count):
        page = pages[number]
        try:
            text = page.extract_text() or ""
        except PdfReadError as exc:
            raise CannotCheck(
                f"{name} cannot be checked: page {number + 1} is damaged ({exc}). Save or print "
                "it to PDF again and check the new copy."
            ) from exc
        texts += bool(text.strip())
        yield TextPart(f"page {number + 1}", text, lines=True)
        annotations = page.get("/Annots")
        for index, annotation in enumerate(_pdf_list(annotations), start=1):
            note = annotation.get_object() if hasattr(annotation, "get_object") else annotation
            if not hasattr(note, "get"):
                continue
            words = [_pdf_value(note.get(key)) for key in ("/T", "/Subj", "/Contents", "/RC")]
            action = note.get("/A")
            action = action.get_object() if hasattr(action, "get_object") else action
            if hasattr(action, "get"):
                words.append(_pdf_value(action.get("/URI")))  # a link's address
            text = "\n".join(w for w in words if w)
            if text:
                yield TextPart(f"page {number + 1}, annotation {index}", text)
    if count and not texts:
        raise CannotCheck(
            f"{name} cannot be checked: none of its {count} page(s) has text to read (a scan, or "
            "pages saved as pictures). Check the document it was made from instead."
        )
    metadata: Any = reader.metadata or {}
    for key in metadata:
        value = _pdf_value(metadata.get(key))
        if value:
            yield TextPart(f"document property: {str(key).lstrip('/')}", value)
    root: Any = reader.trailer["/Root"].get_object()
    xmp = root.get("/Metadata")
    if xmp is not None:
        raw = _decode(xmp.get_object().get_data())
        text = re.sub(r"<[^>]+>", " ", raw)
        if text.strip():
            yield TextPart("XMP metadata", text)
    for field_name, form_field in (reader.get_fields() or {}).items():
        value = _pdf_value(form_field.get("/V"))
        yield TextPart(f"form field '{field_name}'", f"{field_name}\n{value}")
    yield from _outline_parts(reader.outline, [0])


def _pdf_list(value: Any) -> list[Any]:
    if value is None:
        return []
    resolved = value.get_object() if hasattr(value, "get_object") else value
    return list(resolved) if isinstance(resolved, list) else []


def _outline_parts(outline: Any, counter: list[int]) -> Iterator[TextPart]:
    for item in outline or []:
        if isinstance(item, list):
            yield from _outline_parts(item, counter)
            continue
        counter[0] += 1
        title = getattr(item, "title", None)
        if title:
            yield TextPart(f"bookmark {counter[0]}", str(title))
