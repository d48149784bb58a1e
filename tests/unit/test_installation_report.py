"""The installation report PDF: generated, then read back as a person would read it."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from dhr_desk.exports.installation_report import build_installation_report
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.desk import Desk


def test_the_report_reads_back_with_its_facts_and_marking(
    embedded_store: Store, secrets: SecretStore
) -> None:
    info = Desk(embedded_store, secrets).installation()
    reader = PdfReader(BytesIO(build_installation_report(info)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "dhr-desk installation report" in text
    assert text.count("OFFICIAL-SENSITIVE") == 2  # header and footer
    assert info.data_dir in text
    assert "Embedded database (SQLCipher)" in text and "Encrypted at rest" in text
    assert f"Schema revision\n{info.schema_revision}" in text
    assert info.generated_at.strftime("%d/%m/%Y") in text  # en-GB date
    assert reader.metadata is not None and reader.metadata.title == "dhr-desk installation report"


def test_saving_writes_the_whole_file_or_nothing(
    embedded_store: Store, secrets: SecretStore, tmp_path: object
) -> None:
    from pathlib import Path

    target = Path(str(tmp_path)) / "report.pdf"
    Desk(embedded_store, secrets).save_installation_report(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert not target.with_name("report.pdf.partial").exists()
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)
