"""The submission pack on a real store (SQLite and PostgreSQL), from a demo DHR: the report
starters (real Word headings, pseudonyms only, marked places), the pre-flight checklist item by
item, the gate refusing a real name and accepting after an override of that hit, the pack made
and verified from its manifest with every PDF read back with pypdf, every DOCX with python-docx
and every XLSX with openpyxl; a tampered pack, an unwritable folder, an ASB review refused."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from dhr_desk.exports.pack_archive import PackUnreadable, verify_pack
from dhr_desk.models import AuditEvent
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.demo_data import load_demo
from dhr_desk.workflows.desk import Desk, DeskError
from dhr_desk.workflows.document_register import DocumentError
from dhr_desk.workflows.identifier_register import PersonDetails
from dhr_desk.workflows.lifecycle import MoveRefused, NewDhrNotification
from dhr_desk.workflows.pack_metadata import MetadataFieldsError, checked_fields
from dhr_desk.workflows.submission_facts import age_band
from dhr_desk.workflows.submission_pack import last_metadata

TODAY = dt.date.today()
REASONS = "The criminal trial ran for four months and the family asked for time to comment."


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    load_demo(any_store.sessions)
    return Desk(any_store, secrets)


@pytest.fixture
def reference(desk: Desk) -> str:
    """The demo DHR at sign-off (its draft seen by the family; not yet signed off)."""
    rows, _ = desk.register()
    return next(r.reference for r in rows if r.stage == "sign_off")


def real_names(desk: Desk, reference: str) -> list[str]:
    return [
        desk.reveal_person(reference, p.person_id, why="test reads the register").details.real_name
        for p in desk.people(reference)
    ]


def word_file(folder: Path, name: str, *paragraphs: str) -> Path:
    document = WordDocument()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    path = folder / name
    document.save(str(path))
    return path


def add_final(desk: Desk, reference: str, folder: Path, kind: str, text: str) -> int:
    title = {"overview_report": "Overview report", "executive_summary": "Executive summary"}[kind]
    path = word_file(folder, f"{kind}.docx", f"{title} of the review.", text)
    return desk.add_document_version(reference, path, title=title, kind=kind, status="final")


def ready(desk: Desk, reference: str) -> None:
    """Signed off, with the reasons for the delay and the feedback contact recorded."""
    desk.lifecycle().record_event(reference, "signed_off", TODAY - dt.timedelta(days=2))
    desk.record_covering_facts(reference, delay_reasons=REASONS,
                               feedback_contact="The review officer, dhr@example.org")  # fmt: skip


def items(outcome: object) -> dict[str, tuple[bool, str]]:
    return {i.key: (i.passed, i.reason) for i in outcome.checklist}  # type: ignore[attr-defined]


def test_age_bands_follow_the_homicide_index_bands() -> None:
    born = dt.date(1980, 2, 29)
    assert age_band(born, dt.date(1996, 2, 28)) == "Under 16"
    assert age_band(born, dt.date(1996, 2, 29)) == "16-24"
    assert age_band(born, dt.date(2005, 2, 28)) == "16-24"  # 24 the day before 25
    assert age_band(born, dt.date(2005, 3, 1)) == "25-34"
    assert age_band(born, dt.date(2055, 3, 1)) == "75 and over"
    assert age_band(None, TODAY) == "" and age_band(born, None) == ""


def test_the_metadata_field_list_refuses_an_unknown_fact_or_a_repeated_label() -> None:
    assert checked_fields([{"label": "Year", "default": "{year_of_death}"}])[0]["label"] == "Year"
    with pytest.raises(MetadataFieldsError, match=r"\{date_of_birth\}"):
        checked_fields([{"label": "Born", "default": "{date_of_birth}"}])
    with pytest.raises(MetadataFieldsError, match="listed twice"):
        checked_fields([{"label": "Sex"}, {"label": "sex"}])
    with pytest.raises(MetadataFieldsError, match="between 1 and 60"):
        checked_fields([])


def test_the_starters_have_word_headings_pseudonyms_only_and_marked_places(
    desk: Desk, reference: str, tmp_path: Path
) -> None:
    # WHEN both starters are written
    overview = desk.report_starter(reference, "overview_report", tmp_path / "or.docx")
    summary = desk.report_starter(reference, "executive_summary", tmp_path / "es.docx")
    names = real_names(desk, reference)
    for path, first in ((overview, "1. Introduction"), (summary, "1. The review process")):
        word = WordDocument(str(path))
        headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
        text = "\n".join(
            [p.text for p in word.paragraphs]
            + [c.text for t in word.tables for r in t.rows for c in r.cells]
        )
        # THEN they are laid out with real Word headings, in the Home Office order
        assert headings[0] == first
        assert any("Recommendations" in h for h in headings)
        # AND filled from the case with the pseudonyms, never a real name
        assert "'Aspen'" in text
        assert "Agencies share risk information" in text  # the recommendation
        for name in names:
            for part in name.split():
                assert part not in text
        # AND the chair's places are marked and highlighted
        prompts = [
            r for p in word.paragraphs for r in p.runs if r.text.startswith("[For the chair")
        ]
        assert prompts and all(r.font.highlight_color is not None for r in prompts)
        # AND the marking is in header and footer
        section = word.sections[0]
        assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
        assert section.footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    overview_headings = [
        p.text for p in WordDocument(str(overview)).paragraphs if p.style.name == "Heading 2"
    ]
    assert {"Pseudonyms", "Timescales", "Terms of reference", "The review panel members",
            "Parallel reviews", "Equality and diversity"} <= set(overview_headings)  # fmt: skip


def test_the_checklist_says_what_is_missing_and_nothing_is_written(
    desk: Desk, reference: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    # GIVEN no version chosen, no sign-off and no reasons for the (long) delay
    outcome = desk.submission_pack(reference, overview_version=None, summary_version=None,
                                   out_dir=out)  # fmt: skip
    found = items(outcome)
    # THEN each missing thing fails with what to do, and nothing is written
    assert outcome.path is None and list(out.iterdir()) == []
    assert found["overview_report_chosen"][0] is False
    assert "mark it Final" in found["executive_summary_chosen"][1]
    assert found["signed_off"] == (False, "Record the date the CSP chair or board signed the "
                                          "report off.")  # fmt: skip
    assert found["delay_explained"][0] is False and "days past" in found["delay_explained"][1]
    assert found["family_seen"][0] is True  # the demo family saw the draft
    assert found["actions_complete"][0] is True
    # AND a version of the wrong kind is refused for the overview report
    summary = add_final(desk, reference, tmp_path, "executive_summary", "About 'Aspen'.")
    outcome = desk.submission_pack(reference, overview_version=summary, summary_version=summary)
    assert "is not an overview report" in items(outcome)["overview_report_chosen"][1]
    labels = [item.label for item in outcome.checklist]
    assert labels[:3] == [
        "The overview report version to submit is chosen",
        "The executive summary version to submit is chosen",
        "No real identifier in any file of the pack (anonymisation gate)",
    ]
    # AND a recommendation with no action with a target date fails its item
    life = desk.lifecycle()
    life.add_recommendation(reference, text="Review the triage form.", level="single_agency",
                            scope="local", actions=[])  # fmt: skip
    outcome = desk.submission_pack(reference, overview_version=None, summary_version=summary)
    lacking = "Recommendation 2 has no action with both a lead agency and a target date."
    assert items(outcome)["actions_complete"] == (False, lacking)


def test_a_real_name_blocks_the_pack_until_that_hit_is_overridden_then_the_pack_verifies(
    desk: Desk, reference: str, tmp_path: Path
) -> None:
    ready(desk, reference)
    victim = real_names(desk, reference)[0]
    forename = victim.split()[0]
    out = tmp_path / "out"
    # GIVEN final versions, the overview report naming the victim by her real forename once
    overview = add_final(desk, reference, tmp_path, "overview_report",
                         f"'Aspen' was known to her friends as {forename}.")  # fmt: skip
    summary = add_final(desk, reference, tmp_path, "executive_summary", "About 'Aspen'.")
    # WHEN the pack is asked for THEN the gate refuses it, naming where; nothing is written
    refused = desk.submission_pack(reference, overview_version=overview, summary_version=summary,
                                   out_dir=out)  # fmt: skip
    assert refused.path is None and list(out.iterdir()) == []
    passed, reason = items(refused)["anonymisation"]
    assert not passed and "1 hit standing in overview_report.docx" in reason
    [hit] = refused.gate.standing
    assert hit.location == "paragraph 2" and forename not in hit.person
    # AND the review cannot move on to Submitted: the set's verdict is what the guard reads,
    # though the last file checked (the typed text) was clean
    with pytest.raises(MoveRefused, match="anonymisation check on the submission pack"):
        desk.lifecycle().move(reference, "submitted")
    # WHEN that hit is overridden with a reason
    why = "A friend's nickname the family asked to keep; agreed by the chair."
    desk.override_hit(reference, overview, hit.key, why)
    made = desk.submission_pack(reference, overview_version=overview, summary_version=summary,
                                metadata={"Victim sex": "Female"}, out_dir=out)  # fmt: skip
    # THEN every item passes and the pack is one zip marked OFFICIAL-SENSITIVE
    assert made.passed and made.path is not None, items(made)
    assert (
        made.path.name == f"{reference}-submission-pack-{TODAY.isoformat()}-OFFICIAL-SENSITIVE.zip"
    )
    assert [p.name for p in out.iterdir()] == [made.path.name]  # nothing else left behind
    archive = zipfile.ZipFile(made.path)
    assert archive.comment == b"OFFICIAL-SENSITIVE"
    assert sorted(archive.namelist()) == [
        "01-covering-letter.docx", "01-covering-letter.pdf", "02-overview-report.docx",
        "03-executive-summary.docx", "04-action-plan.docx", "04-action-plan.pdf",
        "04-action-plan.xlsx", "05-metadata-sheet.xlsx", "manifest.json",
    ]  # fmt: skip
    listing = json.loads(archive.read("manifest.json"))
    # AND the manifest lists each file with size and SHA-256, the checklist and the override
    assert listing["marking"] == "OFFICIAL-SENSITIVE" and listing["reference"] == reference
    assert all(item["passed"] for item in listing["checklist"]) and len(listing["checklist"]) == 8
    [override] = listing["anonymisation"]["overrides"]
    assert override["reason"].startswith("A friend's nickname") and override["where"] == (
        "paragraph 2")  # fmt: skip
    assert forename not in archive.read("manifest.json").decode()
    verified = verify_pack(made.path)
    assert verified.ok and len(verified.checked) == 8
    # AND each PDF reads back with pypdf, each DOCX with python-docx, each XLSX with openpyxl
    letter = "\n".join(p.extract_text() for p in PdfReader(
        io.BytesIO(archive.read("01-covering-letter.pdf"))).pages)  # fmt: skip
    assert f"Submission of Domestic Homicide Review {reference}" in letter
    assert "'Aspen'" in letter and "OFFICIAL-SENSITIVE" in letter
    assert REASONS.split(" and ")[0] in letter.replace("\n", " ")
    assert "dhr@example.org" in letter and "Key dates" in letter
    word_letter = WordDocument(io.BytesIO(archive.read("01-covering-letter.docx")))
    assert any("Date of death" in c.text for t in word_letter.tables for r in t.rows
               for c in r.cells)  # fmt: skip
    plan_pdf = PdfReader(io.BytesIO(archive.read("04-action-plan.pdf")))
    assert "Agencies share risk information" in plan_pdf.pages[0].extract_text()
    plan_docx = WordDocument(io.BytesIO(archive.read("04-action-plan.docx")))
    assert plan_docx.tables[0].rows[0].cells[0].text == "Recommendation"
    sheet = load_workbook(io.BytesIO(archive.read("05-metadata-sheet.xlsx"))).active
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert values["Victim sex"] == "Female" and values["Police force area"] == "Norfolk"
    assert values["Relationship of perpetrator to victim"] == "partner"
    assert WordDocument(io.BytesIO(archive.read("02-overview-report.docx"))).paragraphs[1].text \
        .endswith(f"{forename}.")  # the chosen version, byte for byte  # fmt: skip
    desk.lifecycle().move(reference, "submitted")  # the pack passed the gate
    # AND the pack is on the audit trail, and the typed value is offered next time
    with desk._store.sessions() as session:
        made_events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "submission pack made")
        ).all()
    assert len(made_events) == 1 and made.path.name in (made_events[0].detail or "")
    assert dict(desk.pack_metadata(reference).rows)["Victim sex"] == "Female"
    # AND a second pack the same day is numbered, never written over the first
    again = desk.submission_pack(reference, overview_version=overview, summary_version=summary,
                                 out_dir=out)  # fmt: skip
    assert again.path is not None and again.path.name.endswith("OFFICIAL-SENSITIVE-2.zip")


def test_a_tampered_pack_fails_verification_and_a_non_pack_is_unreadable(
    desk: Desk, reference: str, tmp_path: Path
) -> None:
    ready(desk, reference)
    overview = add_final(desk, reference, tmp_path, "overview_report", "About 'Aspen'.")
    summary = add_final(desk, reference, tmp_path, "executive_summary", "Summary: 'Aspen'.")
    made = desk.submission_pack(reference, overview_version=overview, summary_version=summary,
                                out_dir=tmp_path / "out")  # fmt: skip
    assert made.path is not None
    # GIVEN a copy with one file changed and one file added
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(made.path) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data + b" " if name == "04-action-plan.xlsx" else data)
        target.writestr("extra.txt", "not in the manifest")
    result = verify_pack(tampered)
    assert not result.ok
    assert "04-action-plan.xlsx: " in result.problems[0] and "manifest says" in result.problems[0]
    assert result.problems[-1] == "extra.txt: in the zip but not in the manifest."
    # AND a file that is not a pack, or not there, cannot be read as one
    with pytest.raises(PackUnreadable, match="not a zip file"):
        verify_pack(_text_file(tmp_path))
    with pytest.raises(PackUnreadable, match=r"no manifest\.json"):
        verify_pack(tmp_path / "overview_report.docx")
    with pytest.raises(PackUnreadable, match="There is no file"):
        verify_pack(tmp_path / "gone.zip")


def _text_file(folder: Path) -> Path:
    path = folder / "pack.zip"
    path.write_text("this is not a zip\n")
    return path


def test_an_unwritable_folder_or_an_asb_review_is_refused_before_anything_is_made(
    desk: Desk, reference: str, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where a folder should be\n")
    with pytest.raises(DeskError, match=r"cannot be written to .*Nothing was written"):
        desk.submission_pack(reference, overview_version=None, summary_version=None,
                             out_dir=blocker / "packs")  # fmt: skip
    rows, _ = desk.register()
    asb = next(r.reference for r in rows if r.kind == "asb")
    with pytest.raises(DeskError, match="submission packs are for domestic homicide reviews"):
        desk.submission_pack(asb, overview_version=None, summary_version=None)
    assert blocker.read_text() == "a file where a folder should be\n"  # left as it was


def test_a_name_typed_for_the_pack_or_an_override_reason_naming_a_person_is_stopped(
    desk: Desk, reference: str, tmp_path: Path
) -> None:
    ready(desk, reference)
    victim = real_names(desk, reference)[0]
    forename = victim.split()[0]
    overview = add_final(desk, reference, tmp_path, "overview_report",
                         f"Known to her friends as {forename}.")  # fmt: skip
    summary = add_final(desk, reference, tmp_path, "executive_summary", "Summary: 'Aspen'.")
    out = tmp_path / "out"
    refused = desk.submission_pack(reference, overview_version=overview, summary_version=summary)
    [hit] = refused.gate.standing
    # GIVEN an override reason naming the victim THEN it is refused (it would reach the manifest)
    with pytest.raises(DocumentError, match="The reason names a person in the register"):
        desk.override_hit(reference, overview, hit.key, f"{forename} is how her friends knew her")
    desk.override_hit(reference, overview, hit.key, "The name her friends used; agreed by chair.")
    # AND a metadata value naming her fails the gate item in the preview, not at the last step
    outcome = desk.submission_pack(reference, overview_version=overview, summary_version=summary,
                                   metadata={"Victim ethnicity": victim}, out_dir=out)  # fmt: skip
    passed, why = items(outcome)["anonymisation"]
    assert not passed and outcome.path is None and list(out.iterdir()) == []
    assert "manifest-typed-text.txt is the metadata values and reasons typed" in why
    # AND only the values typed (not the filled-in defaults) are offered again
    made = desk.submission_pack(reference, overview_version=overview, summary_version=summary,
                                metadata={"Victim sex": "Female"}, out_dir=out)  # fmt: skip
    assert made.path is not None
    with desk._store.sessions() as session:
        assert last_metadata(session, reference) == {"Victim sex": "Female"}


def test_the_register_item_needs_a_victim_and_every_pseudonym(desk: Desk, tmp_path: Path) -> None:
    life = desk.lifecycle()
    notified = TODAY - dt.timedelta(days=20)
    new = NewDhrNotification(date_notified=notified, referrer="Police", title="'Rowan'")
    reference = life.register_dhr(new).reference

    def item(key: str) -> tuple[bool, str]:
        outcome = desk.submission_pack(reference, overview_version=None, summary_version=None)
        return items(outcome)[key]

    assert item("register_complete") == (False, item("register_complete")[1])
    assert "has no victim" in item("register_complete")[1]
    desk.add_person(reference, PersonDetails(role="victim", real_name="Ysolde Penwarden",
                                             pseudonym="Rowan"))  # fmt: skip
    desk.add_person(reference, PersonDetails(role="perpetrator", real_name="Corin Haldane"))
    passed, why = item("register_complete")
    assert not passed and why.startswith("1 in the register has no pseudonym (Perpetrator)")
    # AND a family contact declined by someone other than the family is not the family's
    declined = "Declined to take part."
    life.log_family_contact(reference, contacted_on=TODAY, kind="perpetrator", summary=declined,
                            declined=True)  # fmt: skip
    assert item("family_seen")[0] is False
    life.log_family_contact(reference, contacted_on=TODAY, kind="family", summary=declined,
                            declined=True)  # fmt: skip
    assert item("family_seen")[0] is True


def test_a_starter_that_would_hold_a_real_name_is_not_written(
    desk: Desk, reference: str, tmp_path: Path
) -> None:
    victim = real_names(desk, reference)[0]
    desk.lifecycle().add_recommendation(
        reference, text=f"Agencies record how {victim} was supported.", level="single_agency",
        scope="local", actions=[],
    )  # fmt: skip
    with pytest.raises(DeskError, match="The starter would hold a real identifier"):
        desk.report_starter(reference, "overview_report", tmp_path / "starter.docx")
    assert not (tmp_path / "starter.docx").exists()


def test_a_damaged_member_is_reported_not_crashed_on(
    desk: Desk, reference: str, tmp_path: Path
) -> None:
    ready(desk, reference)
    overview = add_final(desk, reference, tmp_path, "overview_report", "About 'Aspen'.")
    summary = add_final(desk, reference, tmp_path, "executive_summary", "Summary: 'Aspen'.")
    made = desk.submission_pack(reference, overview_version=overview, summary_version=summary,
                                out_dir=tmp_path / "out")  # fmt: skip
    assert made.path is not None
    data = bytearray(made.path.read_bytes())
    with zipfile.ZipFile(made.path) as archive:
        info = archive.getinfo("04-action-plan.pdf")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    data[start] ^= 0xFF  # one byte of the compressed data flipped
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    result = verify_pack(damaged)
    assert not result.ok
    assert result.problems[0].startswith("04-action-plan.pdf: cannot be read from the zip")


def test_a_name_in_decomposed_unicode_is_still_found() -> None:
    import unicodedata

    from dhr_desk.workflows.anonymisation_check import check_document
    from dhr_desk.workflows.identifier_patterns import RegisterEntry, register_identifiers

    for typed, written in (("Zoë Müller", "NFD"), (unicodedata.normalize("NFD", "Zoë Müller"),
                                                   "NFC")):  # fmt: skip
        identifiers = register_identifiers([RegisterEntry(1, "Victim 'Ash'", typed)])
        text = unicodedata.normalize(written, "Later, Zoë Müller moved to the city.")
        check = check_document("note.txt", text.encode("utf-8"), identifiers)
        assert [h.kind for h in check.hits] == ["full name"], written
