"""The documents register and the anonymisation gate on a real store: versions numbered per
document with their bytes, SHA-256, status and marking; a duplicate, a lying, an empty or a
too-large file refused with nothing stored; the circulation log and its dates; a version checked
against the review's register, each hit overridden only with a reason (audited, kept for that
file's content), and a file that cannot be checked blocking like a hit."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest
from docx import Document as WordDocument
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from dhr_desk.models import AnonymisationCheck, AnonymisationOverride, AuditEvent, DocumentVersion
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows import document_register
from dhr_desk.workflows.desk import Desk, DeskError
from dhr_desk.workflows.document_register import DocumentError
from dhr_desk.workflows.identifier_register import PersonDetails
from dhr_desk.workflows.lifecycle import NewDhrNotification
from dhr_desk.workflows.private_copies import PrivateCopies

TODAY = dt.date.today()
REAL_NAME = "Odalys Quillfeather"  # invented


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    return Desk(any_store, secrets)


@pytest.fixture
def reference(desk: Desk) -> str:
    made = desk.lifecycle().register_dhr(
        NewDhrNotification(
            date_notified=TODAY - dt.timedelta(days=200), referrer="Police", title="'Aspen'"
        )
    )
    desk.add_person(
        made.reference,
        PersonDetails(
            role="victim", real_name=REAL_NAME, pseudonym="Aspen", date_of_birth=dt.date(1980, 2, 3)
        ),
    )
    return made.reference


def word_file(folder: Path, name: str, *paragraphs: str) -> Path:
    document = WordDocument()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    path = folder / name
    path.write_bytes(buffer.getvalue())
    return path


def test_versions_are_numbered_per_document_and_keep_their_bytes(
    desk: Desk, reference: str, tmp_path: Path
) -> None:
    # GIVEN two drafts of the overview report and a terms of reference
    first = word_file(tmp_path, "overview-v1.docx", "Aspen lived in Norwich.")
    second = word_file(tmp_path, "overview-v2.docx", "Aspen lived in Norfolk.")
    terms = tmp_path / "terms.txt"
    terms.write_text("Terms of reference for the review concerning Aspen.\n")
    v1 = desk.add_document_version(reference, first, title="Overview report",
                                   kind="overview_report", author="Independent chair")  # fmt: skip
    v2 = desk.add_document_version(reference, second, title="Overview report",
                                   kind="overview_report", status="with_chair")  # fmt: skip
    desk.add_document_version(reference, terms, title="Terms of reference",
                              kind="terms_of_reference", marking="official")  # fmt: skip
    # THEN they are listed by document, newest version first, with what was given
    listed = desk.documents(reference)
    assert [(v.title, v.number, v.latest) for v in listed] == [
        ("Overview report", 2, True),
        ("Overview report", 1, False),
        ("Terms of reference", 1, True),
    ]
    assert listed[0].status == "With the chair" and listed[1].author == "Independent chair"
    assert listed[2].marking == "OFFICIAL" and listed[0].marking == "OFFICIAL-SENSITIVE"
    assert listed[0].sha256 == hashlib.sha256(second.read_bytes()).hexdigest()
    assert all(v.anonymisation == "not checked" for v in listed)
    # AND a copy comes back byte for byte, and an opened copy is private and removed afterwards
    copy = desk.save_version_copy(reference, v1, tmp_path / "copy.docx")
    assert copy.read_bytes() == first.read_bytes()
    desk.opened_copies = PrivateCopies(tmp_path)
    opened = desk.open_version_copy(reference, v2)
    assert opened.name == "overview-v2.docx" and opened.read_bytes() == second.read_bytes()
    assert opened.stat().st_mode & 0o077 == 0
    assert desk.opened_copies.remove_all() and not opened.exists()
    # AND a new status is kept and audited
    desk.set_document_status(reference, v2, "final")
    assert desk.documents(reference)[0].status == "Final"


def test_bad_files_are_refused_and_nothing_is_stored(
    desk: Desk, reference: str, tmp_path: Path, any_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = word_file(tmp_path, "draft.docx", "Aspen.")
    desk.add_document_version(reference, good, title="Overview report", kind="overview_report")
    # a duplicate (same bytes under another name) says which version it is
    again = tmp_path / "draft-copy.docx"
    again.write_bytes(good.read_bytes())
    with pytest.raises(DocumentError, match=r"same file as Overview report v1 \(draft.docx"):
        desk.add_document_version(reference, again, title="Other", kind="other")
    # a file whose extension lies about its content
    liar = tmp_path / "report.pdf"
    liar.write_bytes(good.read_bytes())
    with pytest.raises(DocumentError, match="not a PDF file, though its name says so"):
        desk.add_document_version(reference, liar, title="Report", kind="other")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty"):
        desk.add_document_version(reference, empty, title="Empty", kind="other")
    # a 200 MB attachment is refused from its size, before it is read
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as out:
        out.truncate(200 * 1024 * 1024)
    with pytest.raises(DocumentError, match=r"200\.0 MB.*up to 100\.0 MB"):
        desk.add_document_version(reference, huge, title="Huge", kind="other")
    # a title already used for another kind of document
    other = word_file(tmp_path, "other.docx", "Different text.")
    with pytest.raises(DocumentError, match="already a document of the kind 'Overview report'"):
        desk.add_document_version(reference, other, title="Overview report", kind="minutes")
    # a file that cannot be read
    with pytest.raises(DeskError, match="could not be read"):
        desk.add_document_version(reference, tmp_path / "gone.docx", title="X", kind="other")
    with any_store.sessions() as session:
        assert len(session.scalars(select(DocumentVersion)).all()) == 1


def test_the_store_refuses_a_status_not_in_the_list(
    any_store: Store, desk: Desk, reference: str, tmp_path: Path
) -> None:
    version = desk.add_document_version(
        reference, word_file(tmp_path, "a.docx", "Aspen."), title="A", kind="other"
    )
    with pytest.raises(IntegrityError), any_store.sessions.begin() as session:
        session.execute(
            text("UPDATE document_versions SET status = 'lost' WHERE id = :id"), {"id": version}
        )


def test_the_circulation_log_keeps_who_why_when_and_the_return(
    desk: Desk, reference: str, tmp_path: Path
) -> None:
    version = desk.add_document_version(
        reference, word_file(tmp_path, "d.docx", "Aspen."), title="Overview report",
        kind="overview_report",
    )  # fmt: skip
    sent = desk.circulate(reference, version, sent_to="Family, via the advocate",
                          purpose="to read the draft", sent_on=TODAY)  # fmt: skip
    (entry,) = desk.circulation_log(reference)
    assert (entry.document, entry.sent_to, entry.purpose, entry.sent_on, entry.returned_on) == (
        "Overview report v1",
        "Family, via the advocate",
        "to read the draft",
        TODAY,
        None,
    )
    with pytest.raises(DocumentError, match="after today"):
        desk.circulate(reference, version, sent_to="Panel", purpose="comment",
                       sent_on=TODAY + dt.timedelta(days=1))  # fmt: skip
    with pytest.raises(DocumentError, match="Say why"):
        desk.circulate(reference, version, sent_to="Panel", purpose=" ", sent_on=TODAY)
    with pytest.raises(DocumentError, match="cannot have come back"):
        desk.document_returned(reference, sent, returned_on=TODAY - dt.timedelta(days=1))
    desk.document_returned(reference, sent, returned_on=TODAY, note="Comments on section 3")
    (entry,) = desk.circulation_log(reference)
    assert entry.returned_on == TODAY and entry.note == "Comments on section 3"


def test_the_gate_blocks_a_hit_until_that_hit_is_overridden_with_a_reason(
    desk: Desk, reference: str, tmp_path: Path, any_store: Store
) -> None:
    # GIVEN a draft naming the victim twice, and a clean one
    leaky = desk.add_document_version(
        reference,
        word_file(tmp_path, "leaky.docx", "Aspen, born 3rd Feb 1980.", "Odalys was well liked."),
        title="Overview report", kind="overview_report",
    )  # fmt: skip
    clean = desk.add_document_version(
        reference, word_file(tmp_path, "clean.docx", "Aspen was well liked."),
        title="Executive summary", kind="executive_summary",
    )  # fmt: skip
    # WHEN checked THEN both hits stand and the gate is shut; the clean one passes
    result = desk.check_versions(reference, [leaky, clean], "submission")
    assert not result.passed
    assert [(h.location, h.kind, h.person) for h in result.standing] == [
        ("paragraph 1", "date of birth", "Victim 'Aspen'"),
        ("paragraph 2", "forename", "Victim 'Aspen'"),
    ]
    assert result.checks[1].clean
    # AND the record says where and what, never the identifier
    with any_store.sessions() as session:
        check = session.scalars(
            select(AnonymisationCheck).where(AnonymisationCheck.target == "leaky.docx")
        ).one()
        assert check.result.value == "blocked" and check.hit_count == 2
        assert "Odalys" not in (check.findings or "") and "1980" not in (check.findings or "")
        assert json.loads(check.findings or "")[0]["where"] == "paragraph 1"
    # WHEN one hit is overridden without a real reason THEN it is refused
    first, second = result.standing
    with pytest.raises(DocumentError, match="Write the reason"):
        desk.override_hit(reference, leaky, first.key, "ok")
    with pytest.raises(DocumentError, match="no longer in the file"):
        desk.override_hit(reference, leaky, "not-a-key", "A reason of some length")
    # WHEN each is overridden with a reason THEN the gate opens, and the audit has the reasons
    desk.override_hit(reference, leaky, first.key, "The date is the date of a public event")
    assert [h.key for h in desk.check_versions(reference, [leaky]).standing] == [second.key]
    desk.override_hit(reference, leaky, second.key, "Another person of that name, a public figure")
    again = desk.check_versions(reference, [leaky], "submission")
    assert again.passed and [o.reason for _, o in again.overridden] == [
        "The date is the date of a public event",
        "Another person of that name, a public figure",
    ]
    states = {v.version_id: v.anonymisation for v in desk.documents(reference)}
    assert states == {leaky: "hits overridden (2)", clean: "clean"}
    with any_store.sessions() as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "anonymisation hit overridden")
        ).all()
        assert len(audit) == 2 and all("Odalys" not in (a.detail or "") for a in audit)
        assert len(session.scalars(select(AnonymisationOverride)).all()) == 2
    # AND a new version with the same words is checked anew: the overrides were for that file
    changed = desk.add_document_version(
        reference,
        word_file(tmp_path, "leaky2.docx", "Aspen, born 3rd Feb 1980.", "Odalys was well liked.",
                  "A new paragraph."),
        title="Overview report", kind="overview_report",
    )  # fmt: skip
    assert len(desk.check_versions(reference, [changed]).standing) == 2


def test_a_file_that_cannot_be_checked_blocks_like_a_hit(
    desk: Desk, reference: str, tmp_path: Path
) -> None:
    # a password-protected Word file is an OLE container, not a zip: the register takes .doc
    # files (as old Word), but the checker cannot read them
    protected = tmp_path / "protected.doc"
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    version = desk.add_document_version(reference, protected, title="Old", kind="other")
    result = desk.check_versions(reference, [version], "publication")
    assert not result.passed and result.standing == ()
    assert "cannot be checked" in (result.cannot_check[0].cannot_check or "")
    assert desk.documents(reference)[0].anonymisation == "cannot be checked"


def test_a_damaged_stored_copy_is_noticed(
    desk: Desk, reference: str, tmp_path: Path, any_store: Store
) -> None:
    version = desk.add_document_version(
        reference, word_file(tmp_path, "a.docx", "Aspen."), title="A", kind="other"
    )
    with any_store.sessions.begin() as session:
        session.get(DocumentVersion, version).content = b"PK\x03\x04 damaged"  # type: ignore[union-attr]
    with pytest.raises(DocumentError, match="checksum differs"):
        desk.save_version_copy(reference, version, tmp_path / "copy.docx")
    assert not (tmp_path / "copy.docx").exists()
    with pytest.raises(DocumentError, match="checksum differs"):
        desk.check_versions(reference, [version])


def test_kinds_and_statuses_have_words() -> None:
    assert document_register.STATUS_WORDS["with_family"] == "With the family"
    assert set(document_register.KIND_WORDS) >= {"overview_report", "executive_summary"}


def test_a_pdf_with_no_text_on_any_page_cannot_be_checked() -> None:
    from reportlab.pdfgen import canvas

    from dhr_desk.workflows.anonymisation_check import check_document

    buffer = io.BytesIO()
    scan = canvas.Canvas(buffer)
    scan.rect(10, 10, 100, 100)  # a picture, no text: as a scanned page reads
    scan.showPage()
    scan.save()
    check = check_document("scan.pdf", buffer.getvalue(), [])
    assert not check.clean and "none of its 1 page(s) has text" in (check.cannot_check or "")
