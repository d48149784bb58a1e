"""The lifecycle's headless commands as real processes: due, deadlines, calendar, demo."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.test_cli import cli_env, dhr_desk


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env(tmp_path / "data")


@pytest.mark.parametrize(
    ("start", "span", "due"),
    [
        ("2026-12-24", "1wd", "2026-12-29"),  # past Christmas and the substitute Boxing Day
        ("24/12/2026", "5wd", "2027-01-05"),  # en-GB input, past New Year's Day
        ("2027-08-31", "6m", "2028-02-29"),  # clamped to the month's end in a leap year
        ("2027-01-31", "1m", "2027-02-28"),
        ("2027-03-01", "10d", "2027-03-11"),
        ("2027-03-26", "0wd", "2027-03-26"),
    ],
)
def test_due_prints_the_iso_date_alone(
    env: dict[str, str], start: str, span: str, due: str
) -> None:
    done = dhr_desk("due", start, span, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{due}\n"


@pytest.mark.parametrize(
    ("start", "span", "says"),
    [
        ("2027-01-01", "-3wd", "cannot be negative"),
        ("2027-01-01", "6x", "unknown unit 'x'"),
        ("30/02/2027", "1wd", "30/02/2027 is not a real date"),
    ],
)
def test_due_refuses_bad_input_with_a_message(
    env: dict[str, str], start: str, span: str, says: str
) -> None:
    done = dhr_desk("due", start, span, env=env)
    assert done.returncode == 65
    assert says in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_adding_a_bank_holiday_moves_due_dates_and_deadlines(env: dict[str, str]) -> None:
    assert dhr_desk("due", "2027-06-04", "1wd", env=env).stdout == "2027-06-07\n"
    added = dhr_desk("calendar", "add", "2027-06-07", "One-off holiday", env=env)
    assert added.returncode == 0, added.stderr
    assert dhr_desk("due", "2027-06-04", "1wd", env=env).stdout == "2027-06-08\n"
    listing = dhr_desk("calendar", "list", "--year", "2027", env=env).stdout
    assert "07/06/2027  Mon  One-off holiday  [added]" in listing
    assert dhr_desk("calendar", "remove", "2027-06-07", env=env).returncode == 0
    assert dhr_desk("due", "2027-06-04", "1wd", env=env).stdout == "2027-06-07\n"


def test_a_bank_holiday_file_of_the_wrong_shape_changes_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bank-holidays.json"
    events = [
        {"title": "Good day", "date": "2027-06-07", "notes": "", "bunting": True},
        {"title": "Bad day", "date": "soon", "notes": "", "bunting": True},
    ]
    bad.write_text(json.dumps({"england-and-wales": {"division": "england-and-wales",
                                                     "events": events}}))  # fmt: skip
    done = dhr_desk("calendar", "import", str(bad), env=env)
    assert done.returncode == 65
    assert "england-and-wales.events[1].date" in done.stderr
    assert dhr_desk("due", "2027-06-04", "1wd", env=env).stdout == "2027-06-07\n"  # no half import
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"england-and-wales": {"division": "england-and-wales", "events": [
        {"title": "Extra day", "date": "2027-06-07", "notes": "", "bunting": True}]}}))  # fmt: skip
    assert dhr_desk("due", "2027-06-04", "1wd", env=env).stdout == "2027-06-07\n"
    assert dhr_desk("calendar", "import", str(good), env=env).returncode == 0
    assert dhr_desk("due", "2027-06-04", "1wd", env=env).stdout == "2027-06-08\n"


def test_demo_then_deadlines_as_json(env: dict[str, str]) -> None:
    done = dhr_desk("demo", env=env)
    assert done.returncode == 0, done.stderr
    again = dhr_desk("demo", env=env)
    assert again.returncode == 3 and "already holds reviews" in again.stderr
    listed = dhr_desk("deadlines", "--json", "--as-of", "2027-01-15", env=env)
    assert listed.returncode == 0, listed.stderr
    deadlines = json.loads(listed.stdout)
    assert deadlines
    assert set(deadlines[0]) == {
        "reference", "kind", "stage", "deadline", "name", "due", "basis", "status",
        "days_overdue",
    }  # fmt: skip
    assert {d["kind"] for d in deadlines} == {"dhr", "asb"}
    assert {d["status"] for d in deadlines} >= {"overdue", "paused"}
    assert all(d["days_overdue"] > 0 for d in deadlines if d["status"] == "overdue")
    text = dhr_desk("deadlines", "--as-of", "15/01/2027", env=env)
    assert "overdue" in text.stdout and "calendar month" in text.stdout


def test_export_import_export_gives_an_identical_file(tmp_path: Path) -> None:
    first, second = cli_env(tmp_path / "first"), cli_env(tmp_path / "second")
    assert dhr_desk("demo", env=first).returncode == 0
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    done = dhr_desk("export-data", str(a), env=first)
    assert done.returncode == 0, done.stderr
    assert "not encrypted" in done.stdout
    assert dhr_desk("export-data", str(a), env=first).returncode == 3  # no silent overwrite
    loaded = dhr_desk("import", str(a), env=second)
    assert loaded.returncode == 0, loaded.stderr
    assert dhr_desk("export-data", str(b), env=second).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    again = dhr_desk("import", str(a), env=second)
    assert again.returncode == 3 and "not empty" in again.stderr


@pytest.fixture(scope="module")
def good_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo store exported once, shared by the bad-file tests."""
    folder = tmp_path_factory.mktemp("exchange")
    source = cli_env(folder / "source")
    assert dhr_desk("demo", env=source).returncode == 0
    good = folder / "good.json"
    assert dhr_desk("export-data", str(good), env=source).returncode == 0
    return good


def _impossible_date(text: str) -> str:
    return re.sub(r'"opened_on": "\d{4}-\d{2}-\d{2}"', '"opened_on": "2027-02-30"', text, count=1)


@pytest.mark.parametrize(
    ("mangle", "says"),
    [
        (lambda text: text[: len(text) // 2], "is it truncated?"),
        (lambda text: re.sub(r'"format_version": \d+', '"format_version": 999', text, count=1),
         "written by a newer dhr-desk"),
        (_impossible_date, "'2027-02-30' is not a real date"),
    ],
    ids=["truncated", "newer version", "impossible date"],
)  # fmt: skip
def test_a_bad_exchange_file_is_refused_with_its_path_and_nothing_is_imported(
    tmp_path: Path, good_export: Path, mangle: Callable[[str], str], says: str
) -> None:
    target = cli_env(tmp_path / "target")
    bad = tmp_path / "bad.json"
    bad.write_text(mangle(good_export.read_text()))
    done = dhr_desk("import", str(bad), env=target)
    assert done.returncode == 65, done.stderr
    assert says in done.stderr and "$" in done.stderr
    listed = dhr_desk("deadlines", "--json", env=target)
    assert json.loads(listed.stdout) == []  # the target is still empty


def test_settings_are_listed_and_checked(env: dict[str, str]) -> None:
    listed = dhr_desk("settings", "list", env=env)
    assert 'dhr.display_name = "DHR"' in listed.stdout
    assert dhr_desk("settings", "set", "dhr.display_name", "DARDR", env=env).returncode == 0
    assert 'dhr.display_name = "DARDR"' in dhr_desk("settings", "list", env=env).stdout
    refused = dhr_desk("settings", "set", "asb.local_threshold", "4", env=env)
    assert refused.returncode == 65 and "cannot be higher than 3" in refused.stderr


def test_a_removed_bank_holiday_stays_removed_when_a_file_is_imported(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert dhr_desk("calendar", "remove", "2027-05-31", env=env).returncode == 0
    file = tmp_path / "bank-holidays.json"
    event = {"title": "Spring bank holiday", "date": "2027-05-31", "notes": "", "bunting": True}
    division = {"division": "england-and-wales", "events": [event]}
    file.write_text(json.dumps({"england-and-wales": division}))
    done = dhr_desk("calendar", "import", str(file), env=env)
    assert done.returncode == 0, done.stderr
    assert "0 new day(s)" in done.stdout
    assert dhr_desk("due", "2027-05-28", "1wd", env=env).stdout == "2027-05-31\n"


def test_dates_outside_the_calendar_are_refused_not_crashed_on(env: dict[str, str]) -> None:
    for args in (("calendar", "add", "2080-06-07", "Far future"), ("due", "2080-01-01", "1wd")):
        done = dhr_desk(*args, env=env)
        assert done.returncode == 65, done.stderr
        assert "Traceback" not in done.stderr and "unexpected" not in done.stderr


def test_chase_prints_a_line_per_recipient_and_a_total_and_a_second_run_makes_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert dhr_desk("demo", env=env).returncode == 0
    out = tmp_path / "chases"
    out.mkdir()
    monday = "2026-11-23"  # the demo is built around today; a working day is given explicitly
    dry = dhr_desk("chase", "--as-of", monday, "--out", str(out), "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "(dry run: not written)" in dry.stdout and list(out.iterdir()) == []
    done = dhr_desk("chase", "--as-of", monday, "--out", str(out), env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    recipients = [line for line in lines if " item(s), " in line]
    total = lines[-1]
    assert re.fullmatch(
        r"Total: \d+ recipient\(s\), \d+ item\(s\) chased and logged on 23/11/2026\.", total
    )
    assert f"Total: {len(recipients)} recipient(s)" in total
    written = sorted(p.name for p in out.iterdir())
    assert written and all(name in done.stdout for name in written)
    again = dhr_desk("chase", "--as-of", monday, "--out", str(out), env=env)
    assert again.stdout.splitlines()[-1].startswith("Total: 0 recipient(s), 0 item(s)")
    assert sorted(p.name for p in out.iterdir()) == written


def test_chase_refuses_a_folder_it_cannot_use(env: dict[str, str], tmp_path: Path) -> None:
    done = dhr_desk("chase", "--out", str(tmp_path / "nowhere"), env=env)
    assert done.returncode == 65 and "is not a folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_report_accountability_writes_the_pdf_and_xlsx_and_prints_each_agency(
    env: dict[str, str], tmp_path: Path
) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    assert dhr_desk("demo", env=env).returncode == 0
    year_start = f"{dt.date.today().year - 1}-01-01"
    today = dt.date.today().isoformat()
    pdf, xlsx = tmp_path / "board.pdf", tmp_path / "board.xlsx"
    done = dhr_desk("report", "accountability", "--from", year_start, "--to", today,
                    "--out", str(pdf), env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Agency accountability, 01/01/") and lines[-1].endswith("board.pdf")
    agencies = [line.strip().split(":")[0] for line in lines[1:-2]]
    assert "Fictional Constabulary" in agencies and lines[-2].strip().startswith("All agencies:")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert all(name in text for name in agencies) and "OFFICIAL-SENSITIVE" in text
    assert dhr_desk("report", "accountability", "--from", year_start, "--to", today,
                    "--out", str(xlsx), env=env).returncode == 0  # fmt: skip
    sheet = load_workbook(xlsx)["By agency"]
    names = [row[0] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]
    assert set(agencies) <= set(names)
    # bad input: a period backwards, a file type it cannot write, a folder that is not there
    backwards = dhr_desk("report", "accountability", "--from", today, "--to", year_start,
                         "--out", str(pdf), env=env)  # fmt: skip
    assert backwards.returncode == 65 and "after it ends" in backwards.stderr
    wrong = dhr_desk("report", "accountability", "--from", year_start, "--to", today,
                     "--out", str(tmp_path / "board.docx"), env=env)  # fmt: skip
    assert wrong.returncode == 65 and ".pdf or .xlsx" in wrong.stderr
    nowhere = dhr_desk("report", "accountability", "--from", year_start, "--to", today,
                       "--out", str(tmp_path / "missing" / "b.pdf"), env=env)  # fmt: skip
    assert nowhere.returncode != 0 and "could not be written" in nowhere.stderr
    assert "Traceback" not in backwards.stderr + wrong.stderr + nowhere.stderr


def test_check_anonymisation_exits_1_on_a_hit_or_an_unreadable_file_and_0_when_clean(
    env: dict[str, str], tmp_path: Path
) -> None:
    from docx import Document as WordDocument

    from dhr_desk.workflows.demo_data import VICTIM_FORENAMES

    assert dhr_desk("demo", env=env).returncode == 0
    # GIVEN a draft naming every demo victim's first name (one of them is this review's victim),
    # a clean note using the pseudonyms only, and a "PDF" that is text
    draft = WordDocument()
    draft.add_paragraph("Pseudonyms only, except: " + ", ".join(VICTIM_FORENAMES) + ".")
    draft.save(tmp_path / "draft.docx")
    (tmp_path / "clean.txt").write_text("Aspen and Sedge, as agreed with the family.\n")
    (tmp_path / "fake.pdf").write_text("not a PDF at all\n")
    # WHEN the draft and the note are checked THEN the hit is listed with where and whose; exit 1
    done = dhr_desk("check-anonymisation", "DHR-2025-002", str(tmp_path / "draft.docx"),
                    str(tmp_path / "clean.txt"), env=env)  # fmt: skip
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "draft.docx: 1 hit"
    assert re.fullmatch(r"  paragraph 1: forename of Victim '\w+': .*\[\w+\].*", lines[1])
    assert lines[2] == "clean.txt: clean (no real identifier found)"
    assert lines[-1].startswith("Not clean")
    # AND as JSON, the same findings
    done = dhr_desk("check-anonymisation", "DHR-2025-002", str(tmp_path / "draft.docx"),
                    "--json", env=env)  # fmt: skip
    found = json.loads(done.stdout)
    assert done.returncode == 1 and found["clean"] is False
    assert [(h["where"], h["kind"]) for h in found["files"][0]["hits"]] == [
        ("paragraph 1", "forename")
    ]
    # AND the clean note alone exits 0
    done = dhr_desk("check-anonymisation", "DHR-2025-002", str(tmp_path / "clean.txt"), env=env)
    assert done.returncode == 0 and done.stdout.splitlines()[-1] == "Clean."
    # AND a file that is not what its name says cannot be checked, which fails like a hit
    done = dhr_desk("check-anonymisation", "DHR-2025-002", str(tmp_path / "fake.pdf"), env=env)
    assert done.returncode == 1 and "its name says a PDF, but it is a text file" in done.stdout
    # AND a missing file or an unknown review is refused before anything is checked
    done = dhr_desk("check-anonymisation", "DHR-2025-002", str(tmp_path / "gone.docx"), env=env)
    assert done.returncode == 65 and "No such file" in done.stderr
    done = dhr_desk("check-anonymisation", "DHR-1999-999", str(tmp_path / "clean.txt"), env=env)
    assert done.returncode == 65 and "There is no review DHR-1999-999" in done.stderr
    assert "Traceback" not in done.stderr


def test_pack_submission_refuses_then_makes_a_pack_that_pack_verify_accepts(
    env: dict[str, str], tmp_path: Path
) -> None:
    from docx import Document as WordDocument

    from dhr_desk.security.secret_store import SecretStore
    from dhr_desk.store.location import DataLocation
    from dhr_desk.store.store import open_store
    from dhr_desk.workflows.desk import Desk
    from tests.integration.test_cli import PASSPHRASE

    assert dhr_desk("demo", env=env).returncode == 0
    out = tmp_path / "packs"
    # GIVEN the demo DHR at sign-off: nothing chosen, not signed off, its delay unexplained
    done = dhr_desk("pack", "submission", "DHR-2025-002", "--out", str(out), env=env)
    # THEN the checklist is printed with each failure and what to do; exit 1, nothing written
    assert done.returncode == 1, done.stderr
    assert "[FAIL] The overview report version to submit is chosen" in done.stdout
    assert "[FAIL] The partnership's sign-off is recorded" in done.stdout
    assert "[pass] The family has seen the draft report (or declined)" in done.stdout
    assert not out.exists() or list(out.iterdir()) == []
    # WHEN final versions are added (in the app) and the sign-off recorded
    store = open_store(DataLocation(Path(env["DHR_DESK_DATA_DIR"])), secrets=SecretStore(),
                       prompt=lambda request: PASSPHRASE)  # fmt: skip
    try:
        desk = Desk(store, SecretStore())
        for kind, title in (("overview_report", "Overview report"),
                            ("executive_summary", "Executive summary")):  # fmt: skip
            word = WordDocument()
            word.add_paragraph(f"{title} of the review concerning 'Aspen'.")
            word.save(str(tmp_path / f"{kind}.docx"))
            desk.add_document_version("DHR-2025-002", tmp_path / f"{kind}.docx", title=title,
                                      kind=kind, status="final")  # fmt: skip
        desk.lifecycle().record_event("DHR-2025-002", "signed_off", dt.date.today())
    finally:
        store.close()
    # AND the pack is asked for with the reasons for the delay and a metadata value
    done = dhr_desk("pack", "submission", "DHR-2025-002", "--out", str(out),
                    "--delay-reasons", "The inquest was adjourned twice.",
                    "--feedback-contact", "dhr@example.org", "--field", "Victim sex=Female",
                    env=env)  # fmt: skip
    # THEN it is written, and pack verify accepts it
    assert done.returncode == 0, done.stdout + done.stderr
    [pack] = list(out.iterdir())
    assert f"Pack written to {pack}" in done.stdout and pack.suffix == ".zip"
    done = dhr_desk("pack", "verify", str(pack), env=env)
    assert done.returncode == 0 and done.stdout.splitlines()[-1] == (
        "Verified: all 8 files match the manifest.")  # fmt: skip
    # AND an unknown metadata field, or a file that is not a pack, is refused (65)
    done = dhr_desk("pack", "submission", "DHR-2025-002", "--out", str(out), "--field",
                    "Shoe size=9", env=env)  # fmt: skip
    assert done.returncode == 65 and "has no field 'Shoe size'" in done.stderr
    done = dhr_desk("pack", "verify", str(tmp_path / "overview_report.docx"), env=env)
    assert done.returncode == 65 and "no manifest.json" in done.stderr
    # AND the overview report starter is written as DOCX
    done = dhr_desk("pack", "starter", "DHR-2025-002", "overview",
                    "--out", str(tmp_path / "starter.docx"), env=env)  # fmt: skip
    assert done.returncode == 0 and WordDocument(str(tmp_path / "starter.docx")).paragraphs


def test_pack_publication_and_record_publication(env: dict[str, str], tmp_path: Path) -> None:
    from docx import Document as WordDocument

    from dhr_desk.security.secret_store import SecretStore
    from dhr_desk.store.location import DataLocation
    from dhr_desk.store.store import open_store
    from dhr_desk.workflows.desk import Desk
    from dhr_desk.workflows.working_calendar import add_months, en_gb
    from tests.integration.test_cli import PASSPHRASE

    assert dhr_desk("demo", env=env).returncode == 0
    yesterday = dt.date.today() - dt.timedelta(days=1)

    def in_the_app(work: Callable[[Desk], object]) -> object:
        store = open_store(DataLocation(Path(env["DHR_DESK_DATA_DIR"])), secrets=SecretStore(),
                           prompt=lambda request: PASSPHRASE)  # fmt: skip
        try:
            return work(Desk(store, SecretStore()))
        finally:
            store.close()

    ref = str(in_the_app(lambda desk: next(
        r.reference for r in desk.register()[0] if r.stage == "ready_to_publish")))  # fmt: skip
    out = tmp_path / "published"
    done = dhr_desk("pack", "publication", ref, "--out", str(out), env=env)
    assert done.returncode == 1, done.stderr
    assert "[FAIL] The overview report version to publish is chosen" in done.stdout
    assert "[FAIL] The family has been told the publication date" in done.stdout
    done = dhr_desk("pack", "record-publication", ref, "--url", "not an address", env=env)
    assert done.returncode == 65 and "is not a web address" in done.stderr
    told = en_gb(yesterday)
    done = dhr_desk("pack", "record-publication", ref, "--family-told", told, env=env)
    assert done.returncode == 0 and f"family told {told}" in done.stdout

    def add_approved(desk: Desk) -> None:
        for kind, title in (("overview_report", "Overview report"),
                            ("executive_summary", "Executive summary"),
                            ("ho_feedback_letter", "Home Office feedback letter")):  # fmt: skip
            word = WordDocument()
            word.add_paragraph(f"{title} concerning the review. OFFICIAL")
            word.save(str(tmp_path / f"{kind}.docx"))
            desk.add_document_version(ref, tmp_path / f"{kind}.docx", title=title, kind=kind,
                                      status="approved", marking="official")  # fmt: skip

    in_the_app(add_approved)
    done = dhr_desk("pack", "publication", ref, "--out", str(out), env=env)
    assert done.returncode == 0, done.stdout
    [pack] = list(out.iterdir())
    assert pack.name.endswith("-OFFICIAL.zip") and f"Pack written to {pack}" in done.stdout
    assert dhr_desk("pack", "verify", str(pack), env=env).returncode == 0
    done = dhr_desk("pack", "record-publication", ref, "--published", told, "--url",
                    "https://example.invalid/dhr/published", env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    takedown, learning = en_gb(add_months(yesterday, 12)), en_gb(add_months(yesterday, 3))
    assert f"takedown review: due by {takedown}; learning briefing: due by {learning}" in (
        done.stdout)  # fmt: skip


def test_asb_return_prints_the_documented_json_and_writes_each_format(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert dhr_desk("demo", env=env).returncode == 0
    start = dt.date.today() - dt.timedelta(days=365)  # the demo's applications are all in it
    period = ("--from", start.strftime("%d/%m/%Y"), "--to", dt.date.today().isoformat())
    done = dhr_desk("asb-return", *period, env=env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert list(data) == ["period", "districts", "total", "previous_total", "previous_period"]
    assert data["period"] == {"from": start.isoformat(), "to": dt.date.today().isoformat()}
    keys = ["applications", "threshold_not_met", "reviews_carried_out",
            "reviews_with_recommendations"]  # fmt: skip
    assert all(list(figures) == keys for figures in data["districts"].values())
    assert data["total"]["applications"] == sum(
        d["applications"] for d in data["districts"].values()) > 0  # fmt: skip
    done = dhr_desk("asb-return", *period, "--out", str(tmp_path / "return.xlsx"), env=env)
    assert done.returncode == 0 and (tmp_path / "return.xlsx").read_bytes()[:2] == b"PK"
    assert f"{data['total']['applications']} applications" in done.stdout
    done = dhr_desk("asb-return", *period, "--format", "pdf", env=env)
    assert done.returncode == 65 and "give --out FILE" in done.stderr
    done = dhr_desk("asb-return", "--from", "01/04/2027", "--to", "31/03/2027", env=env)
    assert done.returncode == 65 and "before it starts" in done.stderr
    done = dhr_desk("asb-return", "--from", "31/02/2027", "--to", "31/03/2027", env=env)
    assert done.returncode == 65 and "Traceback" not in done.stderr


def test_import_asb_registers_all_or_none(env: dict[str, str], tmp_path: Path) -> None:
    received = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    good = {"received_on": received, "applicant_name": "Applicant (fictional)",
            "district": "Norwich", "complaints": []}  # fmt: skip
    document = {"format": "dhr-desk-asb-applications", "format_version": 1,
                "applications": [good, {**good, "district": "Atlantis"}]}  # fmt: skip
    (tmp_path / "apps.json").write_text(json.dumps(document))
    done = dhr_desk("import-asb", str(tmp_path / "apps.json"), env=env)
    assert done.returncode == 65 and "Application 2: 'Atlantis'" in done.stderr
    assert json.loads(dhr_desk("deadlines", "--json", env=env).stdout) == []  # none registered
    document["applications"] = [good, good]
    (tmp_path / "apps.json").write_text(json.dumps(document))
    done = dhr_desk("import-asb", str(tmp_path / "apps.json"), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "2 applications registered."
    assert re.match(r"ASB-\d{4}-001: ASB case review, Norwich \(Application received\)",
                    done.stdout.splitlines()[0])  # fmt: skip
