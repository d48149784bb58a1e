"""How each real identifier in a review's register may be written in a document (issue #6).

domain.md, "Anonymisation (hard rule)": no real names and no dates of birth in anything
submitted or published. The register holds the real identifiers; this module turns each into
the patterns a checker looks for:

- a name in full, each of its parts (three letters or more) alone, and initials with the surname
  (``J. Smith``, ``J A Smith``, ``JA Smith``); a name's words may be joined by spaces, hyphens,
  apostrophes or nothing (``Mary-Jane``, ``Mary Jane``, ``MaryJane``; ``O'Brien``, ``OBrien``);
- nicknames, workplaces and other identifiers (school, a child's name …), one per line;
- an address's street line, with and without its number, and its postcode with or without the
  space;
- a date of birth in the usual UK formats: ``03/02/1980``, ``3/2/80``, ``03-02-1980``,
  ``3 February 1980``, ``3rd Feb 1980``, ``3rd of February, 1980``, ``February 3, 1980`` and
  ``1980-02-03``.

Matching ignores case (initials excepted: a capital ``J`` before the surname, not the word
"a"), and allows a possessive after any of them (``Smith's``). Each pattern is anchored at the
start of a word, and ``first_words`` lists the words (casefolded) it can start with, so a
document is read once, word by word, whatever the size of the register.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+")
#: Between the words of a name or phrase: spaces, line breaks, hyphens and dashes, dots, commas
#: and apostrophes, or nothing at all.
JOIN = r"[\s\-\u2010\u2011\u2012\u2013\u2014.,'\u2019]*"
END = r"(?![^\W_])"  # not followed by a letter or digit: "Smith's" yes, "Smithson" no
PLURAL = r"(?:e?s)?"  # "the Smiths", "the O'Briens"
SHORTEST_PART = 3  # a name part alone is looked for from three letters ("Jo" alone is not)
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "rev", "sir", "dame", "prof"})
MONTHS = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)


@dataclass(frozen=True)
class RegisterEntry:
    """One person's real identifiers as the checker needs them (from ``ReviewPerson``)."""

    person_id: int
    label: str  # who, without an identifier: "Victim 'Ellen'" or "Child 1"
    real_name: str
    nicknames: str | None = None
    date_of_birth: dt.date | None = None
    address: str | None = None
    workplace: str | None = None
    other_identifiers: str | None = None


@dataclass(frozen=True)
class Identifier:
    """One way a real identifier may appear: what it is, whose, and the pattern."""

    person_id: int
    person: str  # the register entry's label
    kind: str  # "full name", "surname", "date of birth", "postcode" …
    pattern: re.Pattern[str]
    first_words: frozenset[str]
    length: int  # words in the identifier: the longer of two overlapping hits wins


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def _phrase(words: list[str]) -> str:
    return JOIN.join(re.escape(w) for w in words) + PLURAL + END


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _identifier(entry: RegisterEntry, kind: str, words: list[str], pattern: str,
                first: set[str]) -> Identifier:  # fmt: skip
    return Identifier(
        entry.person_id,
        entry.label,
        kind,
        re.compile(pattern, re.IGNORECASE),
        frozenset(w.casefold() for w in first),
        len(words),
    )


def _starts(words: list[str]) -> set[str]:
    """The words a phrase can start with in a document: its first word, or its first words run
    together ("MaryJane", "OBrien"), or a one-word name in the plural ("Smiths")."""
    starts = {"".join(words[:n]) for n in range(1, len(words) + 1)}
    if len(words) == 1:
        starts |= {words[0] + "s", words[0] + "es"}
    return starts


def _phrase_identifier(
    entry: RegisterEntry, kind: str, text: str, shortest: int = 2
) -> Identifier | None:
    words = _words(text)
    if not words or len("".join(words)) < shortest:
        return None
    return _identifier(entry, kind, words, _phrase(words), _starts(words))


def name_identifiers(entry: RegisterEntry) -> list[Identifier]:
    """The full name, each part of three letters or more, and initials with the surname."""
    words = [w for w in _words(entry.real_name) if w.casefold() not in TITLES]
    if not words:
        return []
    found = [_identifier(entry, "full name", words, _phrase(words), _starts(words))]
    # The parts of a joined name count on their own: "Mary-Jane O'Brien" gives Mary, Jane, Brien,
    # and "Mary-Jane" and "O'Brien" whole, however they are joined.
    pieces = [p for p in re.split(r"[\s]+", entry.real_name.strip()) if p]
    pieces = [p for p in pieces if p.strip(".").casefold() not in TITLES]
    surname_words = _words(pieces[-1]) if pieces else []
    first_words = _words(pieces[0]) if pieces else []
    if len(pieces) > 2:  # "John Adam Smith" is also "John Smith"
        short = first_words + surname_words
        found.append(_identifier(entry, "full name", short, _phrase(short), _starts(short)))
    for index, piece in enumerate(pieces):
        joined = _words(piece)
        if len(joined) > 1:
            kind = "surname" if index == len(pieces) - 1 else "forename"
            found.append(_identifier(entry, kind, joined, _phrase(joined), _starts(joined)))
    for index, word in enumerate(words):
        if len(word) < SHORTEST_PART:
            continue
        kind = "surname" if word in surname_words else "forename"
        if kind == "forename" and index > 0 and word not in first_words:
            kind = "middle name"
        found.append(
            _identifier(entry, kind, [word], re.escape(word) + PLURAL + END, _starts([word]))
        )
    forenames = [w for p in pieces[:-1] for w in _words(p)]
    if forenames and surname_words:
        initials = "".join(f"(?-i:{re.escape(w[0].upper())})" for w in forenames[:1])
        middle = r"(?:\.?\s*(?-i:[A-Z]))?" * 2  # up to two more initials, whichever they are
        surname = _phrase(surname_words)
        found.append(
            _identifier(
                entry,
                "initial and surname",
                [*forenames[:1], *surname_words],
                rf"{initials}{middle}\.?\s*{surname}",
                {forenames[0][0]} | {forenames[0][0] + c for c in "abcdefghijklmnopqrstuvwxyz"},
            )
        )
    return found


def _day_words(day: int) -> set[str]:
    suffixes = ("st", "nd", "rd", "th")
    plain = {str(day), f"{day:02d}"}
    return plain | {f"{d}{s}" for d in plain for s in suffixes}


def date_identifiers(entry: RegisterEntry, born: dt.date) -> list[Identifier]:
    """A date of birth in the usual UK ways of writing it."""
    day = rf"0?{born.day}"
    ordinal = rf"{day}(?:st|nd|rd|th)?"
    month = rf"0?{born.month}"
    month_words = MONTHS[born.month - 1]
    month_name = "(?:" + "|".join(month_words) + r")\.?"
    year = rf"(?:{born.year}|{born.year % 100:02d})"
    sep = r"\s*[/\-.]\s*"
    gap = r"[\s,/\-.]+"  # 3 Feb 1980, 3-Feb-1980, 3/Feb/80
    first_day = _day_words(born.day)
    patterns = (
        (rf"{day}{sep}{month}{sep}{year}{END}", first_day),  # 03/02/1980, 3-2-80, 03.02.1980
        (rf"{ordinal}(?:\s+of)?{gap}{month_name}{gap}{year}{END}", first_day),
        (rf"{month_name}{gap}{ordinal},?{gap}{year}{END}", set(month_words)),
        (rf"{born.year}{sep}{month}{sep}{day}{END}", {str(born.year)}),  # 1980-02-03
    )
    return [
        _identifier(entry, "date of birth", ["date"], pattern, first) for pattern, first in patterns
    ]


def address_identifiers(entry: RegisterEntry) -> list[Identifier]:
    """The street line(s) of an address, with and without the number, and the postcode; the
    town and county alone are not identifying and are not looked for."""
    text = entry.address or ""
    found: list[Identifier] = []
    for match in POSTCODE.finditer(text):
        outward, inward = match.group(1), match.group(2)
        found.append(
            _identifier(
                entry,
                "postcode",
                [outward, inward],
                rf"{re.escape(outward)}\s*{re.escape(inward)}{END}",
                {outward, outward + inward},
            )
        )
    rest = POSTCODE.sub(" ", text)
    segments = [s.strip() for s in re.split(r"[\n,]+", rest) if s.strip()]
    street = [s for s in segments if re.search(r"\d", s)] or segments[:1]
    for segment in street:
        identifier = _phrase_identifier(entry, "address", segment)
        if identifier is not None:
            found.append(identifier)
        words = _words(segment)
        if words and words[0][0].isdigit() and len(words) >= 3:
            unnumbered = _phrase_identifier(entry, "address", " ".join(words[1:]))
            if unnumbered is not None:
                found.append(unnumbered)
    return found


def _composed(entry: RegisterEntry) -> RegisterEntry:
    """The entry's text in Unicode's composed form (NFC), as documents are read: a name
    pasted in decomposed form ("e" + combining accent) must still match."""

    def nfc(text: str | None) -> str | None:
        return None if text is None else unicodedata.normalize("NFC", text)

    return dataclasses.replace(
        entry, real_name=nfc(entry.real_name) or "", nicknames=nfc(entry.nicknames),
        address=nfc(entry.address), workplace=nfc(entry.workplace),
        other_identifiers=nfc(entry.other_identifiers),
    )  # fmt: skip


def register_identifiers(entries: list[RegisterEntry]) -> list[Identifier]:
    """Every identifier of every person in the register."""
    found: list[Identifier] = []
    for entry in map(_composed, entries):
        found += name_identifiers(entry)
        for kind, text in (("nickname", entry.nicknames), ("workplace", entry.workplace),
                           ("other identifier", entry.other_identifiers)):  # fmt: skip
            for line in _lines(text):
                identifier = _phrase_identifier(entry, kind, line)
                if identifier is not None:
                    found.append(identifier)
        if entry.date_of_birth is not None:
            found += date_identifiers(entry, entry.date_of_birth)
        found += address_identifiers(entry)
    return found
