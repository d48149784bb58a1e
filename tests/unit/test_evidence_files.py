"""Evidence files on an action: a real PDF and a real Word document attached, listed and copied
back byte for byte; progress recorded (chasing holds); and every bad file refused with nothing
stored: a file that is not what its name says, a kind not accepted, an empty or too large file,
one that cannot be read, and a stored copy that no longer matches its checksum."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document as WordDocument
from sqlalchemy import select

from dhr_desk.exports.pdf_page import render_pdf, styles
from dhr_desk.models import Action, DocumentVersion
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.action_plan import ActionDetails, ActionPlanError, RecommendationDetails
from dhr_desk.workflows.desk import Desk, DeskError
from dhr_desk.workflows.evidence_files import MAX_BYTES, check_file
from dhr_desk.workflows.lifecycle import NewDhrNotification

TODAY = dt.date.today()
TRUST = "Fictional Health Trust"


@pytest.fixture
def desk(any_store: Store, secrets: SecretStore) -> Desk:
    desk = Desk(any_store, secrets)
    desk.add_agency(name=TRUST, kind="health")
    return desk


@pytest.fixture
def action(desk: Desk) -> tuple[str, int]:
    reference = (
        desk.lifecycle()
        .register_dhr(
            NewDhrNotification(
                date_notified=TODAY - dt.timedelta(days=90), referrer="Police", title="'Aspen'"
            )
        )
        .reference
    )
    rid = desk.add_recommendation(
        reference, RecommendationDetails("Train the staff.", "single_agency", "local")
    )
    return reference, desk.add_action(
        reference, rid, ActionDetails(TRUST, "Run the training.", TODAY + dt.timedelta(days=30))
    )


def a_pdf(folder: Path) -> Path:
    from reportlab.platypus import Paragraph

    path = folder / "training-register.pdf"
    story = [Paragraph("Training register (fictional)", styles()["body"])]
    path.write_bytes(
        render_pdf(story, title="Register", marking="OFFICIAL-SENSITIVE", made_on=TODAY)
    )
    return path


def a_docx(folder: Path) -> Path:
    document = WordDocument()
    document.add_paragraph("Revised policy (fictional)")
    path = folder / "policy.docx"
    out = io.BytesIO()
    document.save(out)
    path.write_bytes(out.getvalue())
    return path


def test_files_are_attached_listed_and_copied_back_byte_for_byte(
    desk: Desk, action: tuple[str, int], any_store: Store, tmp_path: Path
) -> None:
    reference, action_id = action
    pdf, docx = a_pdf(tmp_path), a_docx(tmp_path)
    first = desk.attach_evidence(reference, action_id, pdf, note="Signed register")
    desk.attach_evidence(reference, action_id, docx)
    files = desk.evidence_files(reference, action_id)
    assert [(f.file_name, f.size_bytes, f.note) for f in files] == [
        ("training-register.pdf", pdf.stat().st_size, "Signed register"),
        ("policy.docx", docx.stat().st_size, ""),
    ]
    assert files[0].document_id == first and files[0].added_on <= TODAY
    copy = desk.save_evidence_copy(reference, first, tmp_path / "copy.pdf")
    assert copy.read_bytes() == pdf.read_bytes()
    entry = desk.action_plan(reference)[0].actions[0]
    assert entry.evidence_files == 2
    with any_store.sessions() as session:  # progress recorded: an updated action is not chased
        assert session.get(Action, action_id).progress_updated_at is not None  # type: ignore[union-attr]
        stored = session.scalars(select(DocumentVersion)).all()
        assert {v.media_type for v in stored} == {
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
        assert all(v.storage_path is None for v in stored)  # in the (encrypted) store only
    assert [e.action for e in desk.audit_trail(reference)].count("Evidence attached") == 2


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("report.pdf", b"This is a text file renamed.", "is not a PDF file"),
        ("policy.docx", b"PK\x03\x04 not really a zip", "is not a DOCX file"),
        ("photo.png", b"\xff\xd8\xff a JPEG named .png", "is not a PNG file"),
        ("tool.exe", b"MZ\x90\x00", "not a kind of file accepted"),
        ("notes.txt", b"", "is empty"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_stored(
    desk: Desk, action: tuple[str, int], tmp_path: Path, name: str, content: bytes, why: str
) -> None:
    reference, action_id = action
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ActionPlanError, match=why):
        desk.attach_evidence(reference, action_id, path)
    assert desk.evidence_files(reference, action_id) == []
    assert "Evidence attached" not in [e.action for e in desk.audit_trail(reference)]


def test_a_file_too_large_or_unreadable_is_refused_before_anything_is_stored(
    desk: Desk, action: tuple[str, int], tmp_path: Path
) -> None:
    reference, action_id = action
    huge = tmp_path / "scan.pdf"
    with huge.open("wb") as handle:  # sparse: no disk used
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(ActionPlanError, match=r"evidence files can be up to 25\.0 MB"):
        desk.attach_evidence(reference, action_id, huge)
    with pytest.raises(DeskError, match=r"could not be read.*Nothing was attached"):
        desk.attach_evidence(reference, action_id, tmp_path / "gone.pdf")
    with pytest.raises(DeskError, match="could not be read"):
        desk.attach_evidence(reference, action_id, tmp_path)  # a folder, not a file
    assert desk.evidence_files(reference, action_id) == []
    assert check_file("plain.txt", "Café notes".encode("cp1252")) == "text/plain"


def test_a_damaged_stored_copy_is_refused_not_handed_out(
    desk: Desk, action: tuple[str, int], any_store: Store, tmp_path: Path
) -> None:
    reference, action_id = action
    document_id = desk.attach_evidence(reference, action_id, a_pdf(tmp_path))
    with any_store.sessions.begin() as session:
        version = session.scalars(select(DocumentVersion)).one()
        version.content = b"%PDF-1.4 something else"
    with pytest.raises(ActionPlanError, match="checksum differs"):
        desk.save_evidence_copy(reference, document_id, tmp_path / "copy.pdf")
    assert not (tmp_path / "copy.pdf").exists()
    with pytest.raises(ActionPlanError, match="no longer in"):
        desk.save_evidence_copy(reference, document_id + 99, tmp_path / "copy.pdf")


def test_a_damaged_office_file_is_refused_with_a_message_and_long_utf8_text_is_accepted(
    tmp_path: Path,
) -> None:
    docx = a_docx(tmp_path).read_bytes()
    damaged = bytearray(docx)
    central = damaged.index(b"PK\x01\x02")  # the first central directory entry
    damaged[central + 6 : central + 8] = (166).to_bytes(2, "little")  # "zip file version 16.6"
    with pytest.raises(ActionPlanError, match="is not a DOCX file"):
        check_file("policy.docx", bytes(damaged))
    # a UTF-8 character cut by the 64 KiB the check reads is not held against the file
    text = ("a" * 65535 + "\u201d" * 10).encode("utf-8")
    assert check_file("notes.txt", text) == "text/plain"


def test_evidence_on_a_finished_action_keeps_the_day_it_ended(
    desk: Desk, action: tuple[str, int], any_store: Store, tmp_path: Path
) -> None:
    from dhr_desk.workflows.action_plan import Progress

    reference, action_id = action
    entry = desk.action_plan(reference)[0].actions[0]
    closing = Progress("closed_by_csp", TODAY, closure_reason="Ended")
    desk.record_progress(reference, action_id, seen_version=entry.version, progress=closing)
    with any_store.sessions() as session:
        ended = session.get(Action, action_id).progress_updated_at  # type: ignore[union-attr]
    desk.attach_evidence(reference, action_id, a_pdf(tmp_path))
    with any_store.sessions() as session:
        assert session.get(Action, action_id).progress_updated_at == ended  # type: ignore[union-attr]
