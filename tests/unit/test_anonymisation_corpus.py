"""The anonymisation checker against a seeded corpus (issue #6): an identifier from the register
planted in every part of a DOCX, PDF, XLSX and text file, and written every usual way, must be
found where it was planted; the same documents with pseudonyms only must give no hit; near
misses give none; and a file that cannot be read says so rather than passing as clean."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from dhr_desk.workflows.anonymisation_check import FileCheck, check_document
from dhr_desk.workflows.document_text import document_parts
from tests.anonymisation_corpus import (
    BAD_FILES,
    CHILD_NAME,
    IDENTIFIERS,
    NEAR_MISSES,
    PEOPLE,
    PERPETRATOR_NAME,
    PLACES,
    PSEUDONYMS,
    REGISTER,
    VARIANTS,
    VICTIM_NAME,
    BadFile,
    Plant,
    add_raw_paragraph,
    deleted_run,
    inserted_run,
    make_docx,
    make_text,
    plain_run,
)

#: Planted identifiers the checker does not find yet (each check comes back clean): case id ->
#: why. Strict: when the checker is fixed the case passes, and its entry here must go.
#: Cases the checker misses, as strict xfails with the reason (none at present: each one found
#: while writing this corpus was fixed in the checker).
KNOWN_MISSES: dict[str, str] = {}


def _params(plants: list[Plant], *, known_misses: bool = False) -> list[object]:
    """One case per plant; with ``known_misses`` the cases the checker misses are strict xfails
    (only for finding: their clean twins must pass all the same)."""
    return [
        pytest.param(
            plant,
            id=plant.case,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[plant.case])]
            if known_misses and plant.case in KNOWN_MISSES
            else [],
        )
        for plant in plants
    ]


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _check(file_name: str, data: bytes) -> FileCheck:
    return check_document(file_name, data, IDENTIFIERS)


def _describe(check: FileCheck) -> list[tuple[str, int, str, str]]:
    return [(hit.location, hit.person_id, hit.kind, hit.found) for hit in check.hits]


REAL_WORDS = {
    word.casefold() for entry in REGISTER for word in re.findall(r"[^\W_]{3,}", entry.real_name)
}


def test_known_misses_name_real_cases() -> None:
    cases = {plant.case for plant in PLACES + VARIANTS}
    assert set(KNOWN_MISSES) <= cases


def test_the_register_is_fictional_and_pseudonyms_share_no_word_with_real_names() -> None:
    for pseudonym in PSEUDONYMS.values():
        assert not {w.casefold() for w in re.findall(r"[^\W_]+", pseudonym)} & REAL_WORDS
    assert {entry.person_id for entry in REGISTER} == set(PSEUDONYMS)
    assert len(PLACES) >= 40 and len(VARIANTS) >= 60


@pytest.mark.parametrize("plant", _params(PLACES + VARIANTS, known_misses=True))
def test_planted_identifier_is_found_where_it_was_planted(plant: Plant) -> None:
    check = _check(plant.file_name, plant.document())

    assert check.cannot_check is None
    assert not check.clean
    described = _describe(check)
    assert [(h.person_id, h.kind) for h in check.hits] == [(plant.person_id, plant.kind)], described
    hit = check.hits[0]
    assert plant.location in hit.location, described
    assert _squash(hit.found) == _squash(plant.expected_found), described
    assert hit.file_name == plant.file_name
    # whose it is, by role and pseudonym only: the report never repeats a real name
    assert hit.person == PEOPLE[plant.person_id].label
    assert not set(re.findall(r"[^\W_]+", hit.person.casefold())) & REAL_WORDS
    # the context shows the hit, marked
    assert f"[{_squash(hit.found)}]" in _squash(hit.context)


@pytest.mark.parametrize("plant", _params(PLACES + VARIANTS))
def test_clean_twin_with_the_pseudonym_gives_no_hit(plant: Plant) -> None:
    data = plant.twin()
    check = _check(plant.file_name, data)

    assert check.cannot_check is None
    assert _describe(check) == []
    assert check.clean is True
    assert check.parts_read > 0


def test_twin_generators_really_plant_the_pseudonym() -> None:
    """A clean twin is only evidence if the pseudonym made it into the document: read each twin
    back and find the pseudonym in its text."""
    for plant in PLACES:
        if plant.case in KNOWN_MISSES or not isinstance(plant.replacement, str):
            continue
        parts = document_parts(plant.file_name, plant.twin())
        raw = " ".join(f"{p.text} {p.original or ''}" for p in parts)
        text = _squash(re.sub(r"-\n|\u00ad", "", raw).replace("\u2011", "-"))
        wanted = _squash(plant.replacement.replace("\u00ad", ""))
        assert wanted in text or wanted.replace(" ", "") in text.replace(" ", ""), plant.case
        real = plant.expected_found
        assert _squash(real) not in text, plant.case


def _check_package(data: bytes) -> None:
    """Every part of an OOXML package is well-formed XML with a content type, and every
    internal relationship points at a part that is there."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
        overrides = {e.get("PartName", "").lstrip("/") for e in types if e.get("PartName")}
        defaults = {e.get("Extension", "").lower() for e in types if e.get("Extension")}
        for name in names - {"[Content_Types].xml"}:
            if name.endswith(".xml") and not name.startswith("customXml/item"):
                assert name in overrides, name  # a part only its own content type makes work
            else:
                assert name in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
            if name.endswith((".xml", ".rels")):
                root = ElementTree.fromstring(archive.read(name))
            if name.endswith(".rels"):
                folder = posixpath.dirname(posixpath.dirname(name))
                for rel in root:
                    if rel.get("TargetMode") != "External":
                        target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                        assert target.lstrip("/") in names, (name, target)


def test_generated_documents_are_well_formed() -> None:
    """The corpus is only evidence if its files are what Word, Excel and a PDF reader would
    open: each re-opens in its own library, strictly where the library allows."""
    for plant in PLACES:
        data = plant.document()
        if plant.file_name.endswith(".docx"):
            _check_package(data)
            assert docx.Document(io.BytesIO(data)).paragraphs
        elif plant.file_name.endswith(".xlsx"):
            _check_package(data)
            openpyxl.load_workbook(io.BytesIO(data)).close()
        elif plant.file_name.endswith(".pdf"):
            reader = PdfReader(io.BytesIO(data), strict=True)
            if reader.is_encrypted:
                assert reader.decrypt("")
            assert len(reader.pages) >= 1


@pytest.mark.parametrize("near_miss", NEAR_MISSES)
def test_near_miss_gives_no_hit(near_miss: str) -> None:
    check = _check("notes.txt", make_text(near_miss))
    assert _describe(check) == []
    assert check.clean


def test_surname_alone_is_a_hit_but_a_longer_word_is_not() -> None:
    hits = _check("notes.txt", make_text("a Smith, then Smithson and Blacksmith")).hits
    assert [(h.person_id, h.kind, h.found) for h in hits] == [(102, "surname", "Smith")]


def test_every_docx_place_at_once_each_reported_in_its_own_place() -> None:
    data = make_docx(
        body=VICTIM_NAME,
        runs="J A Smith",
        inserted=PERPETRATOR_NAME,
        deleted=VICTIM_NAME,
        comment=CHILD_NAME,
        footnote="Mazzy",
        endnote="NR1 2AB",
        table_cell="Quayside Motors",
        header="3rd Feb 1980",
        footer="Thornfield Primary School",
        core={"author": "John Smith", "title": "Smudger"},
        custom={"Reviewed with": "Poppy"},
    )
    check = _check("report.docx", data)
    got = sorted((h.location, h.person_id, h.kind) for h in check.hits)
    assert got == sorted(
        [
            ("paragraph 3", 101, "full name"),
            ("paragraph 4", 102, "initial and surname"),
            ("paragraph 5 (tracked insertion)", 102, "full name"),
            ("paragraph 5 (tracked deletion)", 101, "full name"),
            ("comment 0, paragraph 1", 103, "full name"),
            ("footnote 1, paragraph 1", 101, "nickname"),
            ("endnote 1, paragraph 1", 101, "postcode"),
            ("table 1, row 2, cell 2", 102, "workplace"),
            ("header 1, paragraph 1", 101, "date of birth"),
            ("footer 1, paragraph 1", 101, "other identifier"),
            ("document property: creator", 102, "full name"),
            ("document property: title", 102, "nickname"),
            ("custom property: Reviewed with", 103, "forename"),
        ]
    )
    assert len({hit.key for hit in check.hits}) == len(check.hits)


def test_context_shows_the_text_around_the_hit() -> None:
    (hit,) = _check("notes.txt", make_text(VICTIM_NAME)).hits
    assert hit.location == "text, line 3"
    assert "Contact with [Mary-Jane O'Brien] was recorded." in hit.context
    (hit,) = _check("report.docx", make_docx(footnote=PERPETRATOR_NAME)).hits
    assert hit.context == "Interview with [John Adam Smith], June 2020."


def test_partly_deleted_name_is_a_deletion_and_the_kept_part_no_insertion() -> None:
    """'Met [Mary-Jane -> Ellen] O'Brien': the deleted forenames leave the full name in the
    file, and the surname, never touched, still stands."""
    document = docx.Document()
    add_raw_paragraph(
        document,
        plain_run("Met ")
        + deleted_run("Mary-Jane")
        + inserted_run("Ellen")
        + plain_run(" O'Brien today."),
    )
    buffer = io.BytesIO()
    document.save(buffer)
    check = _check("report.docx", buffer.getvalue())
    got = sorted((h.location, h.kind, h.found) for h in check.hits)
    deletion = ("paragraph 1 (tracked deletion)", "full name", VICTIM_NAME)
    assert deletion in got
    assert got == [("paragraph 1", "surname", "O'Brien"), deletion] or got == [deletion]


def test_name_in_a_nested_table_is_reported_once() -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=1)
    inner = outer.cell(0, 0).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = VICTIM_NAME
    buffer = io.BytesIO()
    document.save(buffer)
    check = _check("report.docx", buffer.getvalue())
    assert [(h.location, h.kind) for h in check.hits] == [("table 2, row 1, cell 1", "full name")]


def test_same_name_twice_gives_two_hits_with_different_keys() -> None:
    check = _check("notes.txt", make_text(f"{VICTIM_NAME} and later {VICTIM_NAME}"))
    assert [h.kind for h in check.hits] == ["full name", "full name"]
    assert check.hits[0].key != check.hits[1].key
    # the same file checked again gives the same keys (an override stays attached)
    again = _check("notes.txt", make_text(f"{VICTIM_NAME} and later {VICTIM_NAME}"))
    assert [h.key for h in again.hits] == [h.key for h in check.hits]


@pytest.mark.parametrize("bad", [pytest.param(b, id=b.case) for b in BAD_FILES])
def test_file_that_cannot_be_read_is_reported_not_passed(bad: BadFile) -> None:
    check = _check(bad.file_name, bad.build())

    assert check.cannot_check is not None
    assert bad.says in check.cannot_check
    assert check.hits == ()
    assert check.clean is False
