"""The action plan export in the Home Office columns, read back: the PDF with pypdf (landscape,
the heading row on every page, page numbers, the marking, title and author), the DOCX with
python-docx (a real table whose heading row repeats, the marking in header and footer, core
properties) and the XLSX with openpyxl; every recommendation and action present, and no real
name from the identifier register anywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from dhr_desk.exports.action_plan_export import HOME_OFFICE_COLUMNS
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.action_plan import ActionDetails, Progress, RecommendationDetails
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.identifier_register import PersonDetails
from dhr_desk.workflows.lifecycle import NewDhrNotification

TODAY = dt.date.today()
TRUST = "Fictional Health Trust"
REAL_NAME = "Invented Realperson"  # in the identifier register only: must never be printed
MANY = 24  # enough recommendations for the table to run over several pages


@pytest.fixture
def plan(embedded_store: Store, secrets: SecretStore) -> tuple[Desk, str]:
    desk = Desk(embedded_store, secrets)
    desk.add_agency(name=TRUST, kind="health")
    desk.change_setting("letters.sender", {"organisation": "Fictional CSP", "name": "Officer"})
    reference = desk.lifecycle().register_dhr(
        NewDhrNotification(date_notified=TODAY - dt.timedelta(days=300), referrer="Police",
                           title="Review concerning 'Sorrel'")
    ).reference  # fmt: skip
    desk.add_person(reference, PersonDetails(role="victim", real_name=REAL_NAME,
                                             pseudonym="Sorrel"))  # fmt: skip
    first = desk.add_recommendation(
        reference,
        RecommendationDetails("Share risk information at first contact.", "multi_agency",
                              "national", lead_agency=TRUST),
        [ActionDetails(TRUST, "Write a protocol.", TODAY + dt.timedelta(days=30)),
         ActionDetails(TRUST, "Train triage staff.", TODAY - dt.timedelta(days=10))],
    )  # fmt: skip
    entry = desk.action_plan(reference)[0].actions[1]
    desk.add_milestone(reference, entry.action_id, description="Course written", due_on=TODAY)
    entry = desk.action_plan(reference)[0].actions[1]  # the milestone made a new version
    done = Progress("complete", TODAY, outcome="All staff trained.")
    desk.record_progress(reference, entry.action_id, seen_version=entry.version, progress=done)
    assert first
    desk.add_recommendation(reference, RecommendationDetails("Review housing.", "single_agency",
                                                             "local"))  # fmt: skip
    for n in range(MANY):
        desk.add_recommendation(
            reference,
            RecommendationDetails(f"Recommendation text number {n + 3}, long enough to wrap "
                                  "over more than one line of its column.", "single_agency",
                                  "regional"),
            [ActionDetails(TRUST, f"Action for recommendation {n + 3}.", TODAY)],
        )  # fmt: skip
    return desk, reference


def test_the_pdf_is_landscape_marked_numbered_with_the_heading_row_on_every_page(
    plan: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, reference = plan
    path = desk.export_action_plan(reference, tmp_path / "plan.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) >= 2
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title == f"Action plan: {reference}, Review concerning 'Sorrel'"
    assert metadata.author == "Fictional CSP"
    texts = [page.extract_text() for page in reader.pages]
    for number, (page, text) in enumerate(zip(reader.pages, texts, strict=True), start=1):
        assert page.mediabox.width > page.mediabox.height  # landscape
        assert text.count("OFFICIAL-SENSITIVE") >= 2  # header and footer
        assert f"Page {number}" in text
        assert "Action to take" in text and "Lead agency" in text  # the heading row repeated
    everything = "\n".join(texts)
    last = MANY + 2
    for expected in (
        "1. Share risk information at first contact.",
        "1.1 Write a protocol.",
        "1.2 Train triage staff.",
        "Course written",
        "All staff trained.",
        "2. Review housing.",
        f"{last}.1 Action for recommendation {last}.",
        "National (follow",  # the scope column wraps: its lines mix with the next cells'
        "Commissioner)",
    ):
        assert expected in " ".join(everything.split()), expected
    assert REAL_NAME not in everything


def test_the_docx_is_a_real_table_with_a_repeating_heading_row(
    plan: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, reference = plan
    word = Document(str(desk.export_action_plan(reference, tmp_path / "plan.docx")))
    [table] = word.tables
    heading = table.rows[0]
    assert [c.text for c in heading.cells] == list(HOME_OFFICE_COLUMNS)
    header_flag = heading._tr.trPr.find(qn("w:tblHeader"))
    assert header_flag is not None and header_flag.get(qn("w:val")) == "true"
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == 2 + 1 + MANY  # two actions, a recommendation without one, the rest
    assert rows[0][2] == "1.1 Write a protocol." and rows[1][6].endswith("All staff trained.")
    assert rows[2][:3] == ["2. Review housing.", "Local", ""]
    section = word.sections[0]
    assert section.page_width > section.page_height
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert section.footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert word.core_properties.author == "Fictional CSP"
    assert word.core_properties.title.startswith(f"Action plan: {reference}")
    assert REAL_NAME not in "\n".join(p.text for p in word.paragraphs) + str(rows)


def test_the_xlsx_has_every_row_with_dates_as_dates(plan: tuple[Desk, str], tmp_path: Path) -> None:
    desk, reference = plan
    sheet = load_workbook(desk.export_action_plan(reference, tmp_path / "plan.xlsx")).active
    assert sheet["A1"].value == "OFFICIAL-SENSITIVE"
    assert [c.value for c in sheet[3]] == list(HOME_OFFICE_COLUMNS)
    assert sheet.max_row == 3 + 2 + 1 + MANY
    assert sheet["C4"].value == "1.1 Write a protocol."
    assert sheet["F4"].value.date() == TODAY + dt.timedelta(days=30)


def test_another_kind_of_file_is_refused_with_what_to_do(
    plan: tuple[Desk, str], tmp_path: Path
) -> None:
    desk, reference = plan
    with pytest.raises(ValueError, match=r"Save the action plan as \.pdf, \.docx or \.xlsx"):
        desk.export_action_plan(reference, tmp_path / "plan.odt")
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]  # nothing written
