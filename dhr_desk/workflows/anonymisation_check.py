"""The anonymisation checker: a document's every part against the review's register of real
identifiers (issue #6; domain.md, "Anonymisation (hard rule)").

Each hit says where it is (part, page or paragraph, line), whose identifier it is (by role and
pseudonym, never by the real name), what kind (full name, surname, date of birth …) and the text
around it, so the person fixing the document can find it. A file that cannot be read is reported
as such, and blocks like a hit.

Before matching, a part's text is straightened where a document breaks a word: soft hyphens go,
and a word hyphenated across a line end (``Smi-`` / ``th``) is joined again. Names split across
Word runs are already joined by ``document_text``.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from dhr_desk.workflows.document_text import CannotCheck, TextPart, document_parts
from dhr_desk.workflows.identifier_patterns import WORD, Identifier

CONTEXT = 40  # characters shown either side of a hit
BROKEN_WORD = re.compile("\u00ad|[-\u2010\u2011][ \t]*\r?\n[ \t]*")
#: A line break inside a word, as a PDF gives a name drawn in two pieces ("Smi" / "th").
BROKEN_LINE = re.compile("\u00ad|[-\u2010\u2011]?[ \t]*\r?\n[ \t]*")


@dataclass(frozen=True)
class Hit:
    """One real identifier found in a document. ``key`` names this hit for an override: the
    same text in the same place of the same file gives the same key."""

    key: str
    file_name: str
    location: str
    kind: str
    person: str
    person_id: int
    found: str
    context: str


@dataclass(frozen=True)
class FileCheck:
    """The result for one file: its hits, or why it could not be checked."""

    file_name: str
    sha256: str
    hits: tuple[Hit, ...] = ()
    cannot_check: str | None = None
    parts_read: int = 0

    @property
    def clean(self) -> bool:
        return not self.hits and self.cannot_check is None


@dataclass
class _Straightened:
    """A part's text with broken words joined, and the way back to the original offsets."""

    text: str
    cuts: list[int] = field(default_factory=list)  # offsets in ``text`` where characters went
    removed: list[int] = field(default_factory=list)  # characters gone up to each cut

    def original(self, offset: int) -> int:
        index = bisect.bisect_right(self.cuts, offset)
        return offset + (self.removed[index - 1] if index else 0)


def straighten(text: str, join_lines: bool = False) -> _Straightened:
    """The text with soft hyphens gone and words hyphenated at a line end joined; with
    ``join_lines``, letters either side of any line break are joined too."""
    if "\u00ad" not in text and "\n" not in text:
        return _Straightened(text)
    pattern = BROKEN_LINE if join_lines else BROKEN_WORD
    pieces: list[str] = []
    result = _Straightened("")
    last = 0
    gone = 0
    length = 0
    for match in pattern.finditer(text):
        before = text[last : match.start()]
        # a hyphen at a line end joins the word only when letters stand either side of it
        if match.group() != "\u00ad" and not (
            match.start() > 0
            and text[match.start() - 1].isalpha()
            and match.end() < len(text)
            and text[match.end()].isalpha()
        ):
            continue
        pieces.append(before)
        length += len(before)
        gone += match.end() - match.start()
        result.cuts.append(length)
        result.removed.append(gone)
        last = match.end()
    pieces.append(text[last:])
    result.text = "".join(pieces)
    return result


def _index(identifiers: list[Identifier]) -> dict[str, list[Identifier]]:
    by_word: dict[str, list[Identifier]] = {}
    for identifier in identifiers:
        for word in identifier.first_words:
            by_word.setdefault(word, []).append(identifier)
    return by_word


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    identifier: Identifier


def _matches(text: str, by_word: dict[str, list[Identifier]]) -> list[_Match]:
    """Every identifier found in the text; of overlapping ones the longest is kept."""
    found: list[_Match] = []
    for word in WORD.finditer(text):
        candidates = by_word.get(word.group().casefold())
        if not candidates:
            continue
        start = word.start()
        for identifier in candidates:
            matched = identifier.pattern.match(text, start)
            if matched:
                found.append(_Match(start, matched.end(), identifier))
    found.sort(key=lambda m: (m.start, -(m.end - m.start), -m.identifier.length))
    kept: list[_Match] = []
    reach = -1
    for hit in found:
        if hit.end <= reach:  # inside a longer hit already kept
            continue
        kept.append(hit)
        reach = max(reach, hit.end)
    return kept


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    flat = " ".join(f"{before}[{text[start:end]}]{after}".split())
    return ("…" if start > CONTEXT else "") + flat + ("…" if end + CONTEXT < len(text) else "")


_Item = tuple[str, _Match, str, str]  # location, match, text found, context


def _part_hits(
    part: TextPart, text: str, by_word: dict[str, list[Identifier]], join_lines: bool = False
) -> list[_Item]:
    """The hits in one reading of a part; each match's offsets are in ``text``."""
    straight = straighten(text, join_lines)
    hits = []
    for match in _matches(straight.text, by_word):
        begin = straight.original(match.start)
        location = part.location
        if part.lines:
            location = f"{location}, line {text.count(chr(10), 0, begin) + 1}"
        found = " ".join(straight.text[match.start : match.end].split())
        at = _Match(begin, straight.original(match.end - 1) + 1, match.identifier)
        hits.append((location, at, found, _context(straight.text, match.start, match.end)))
    return hits


def _touches(item: _Item, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(item[1].start < end and start < item[1].end for start, end in ranges)


def _readings(part: TextPart, by_word: dict[str, list[Identifier]]) -> list[tuple[_Item, str]]:
    """Each hit of the part with its label: a part with tracked changes is read as it now stands
    (a hit touching inserted text is a tracked insertion) and as it stood before them (a hit
    touching deleted text is a tracked deletion); a page is read again with words joined across
    line breaks (a name drawn in two pieces), keeping what only that reading finds."""
    now = _part_hits(part, part.text, by_word)
    labelled = [(item, " (tracked insertion)" if _touches(item, part.inserted) else "")
                for item in now]  # fmt: skip
    if part.original is not None:
        then = _part_hits(part, part.original, by_word)
        labelled += [(item, " (tracked deletion)") for item in then
                     if _touches(item, part.deleted)]  # fmt: skip
    if part.lines and "\n" in part.text:
        starts = {item[1].start for item in now}
        joined = _part_hits(part, part.text, by_word, join_lines=True)
        labelled += [
            (item, "")
            for item in joined
            if item[1].start not in starts and "\n" in part.text[item[1].start : item[1].end]
        ]
    return labelled


def _nfc_offset(text: str, offset: int) -> int:
    return len(unicodedata.normalize("NFC", text[:offset]))


def composed(part: TextPart) -> TextPart:
    """The part in Unicode's composed form (NFC), its tracked-change ranges moved with it: a
    name written in decomposed form ("e" + combining accent, common in text pasted from a Mac
    or a PDF) must still match."""
    texts = (part.text, part.original or "")
    if all(unicodedata.is_normalized("NFC", t) for t in texts):
        return part
    original = part.original

    def moved(ranges: tuple[tuple[int, int], ...], text: str) -> tuple[tuple[int, int], ...]:
        return tuple((_nfc_offset(text, a), _nfc_offset(text, b)) for a, b in ranges)

    return dataclasses.replace(
        part,
        text=unicodedata.normalize("NFC", part.text),
        original=None if original is None else unicodedata.normalize("NFC", original),
        inserted=moved(part.inserted, part.text),
        deleted=moved(part.deleted, original or ""),
    )


def scan_parts(
    file_name: str, sha256: str, parts: list[TextPart], identifiers: list[Identifier]
) -> list[Hit]:
    """The hits in a document's parts, each read as ``_readings`` says."""
    by_word = _index(identifiers)
    hits: list[Hit] = []
    seen: Counter[str] = Counter()
    for part in map(composed, parts):
        for (location, match, found, context), label in _readings(part, by_word):
            identifier = match.identifier
            where = location + label
            basis = "|".join((sha256, where, str(identifier.person_id), identifier.kind,
                              found.casefold()))  # fmt: skip
            seen[basis] += 1
            key = hashlib.sha256(f"{basis}|{seen[basis]}".encode()).hexdigest()[:20]
            hits.append(Hit(key, file_name, where, identifier.kind, identifier.person,
                            identifier.person_id, found, context))  # fmt: skip
    return hits


def check_document(file_name: str, data: bytes, identifiers: list[Identifier]) -> FileCheck:
    """Read every part of the file and look for every identifier; a file that cannot be read
    comes back with ``cannot_check`` set."""
    name = PurePath(file_name).name
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        parts = document_parts(name, data)
    except CannotCheck as exc:
        return FileCheck(name, sha256, cannot_check=str(exc))
    hits = scan_parts(name, sha256, parts, identifiers)
    return FileCheck(name, sha256, tuple(hits), parts_read=len(parts))
