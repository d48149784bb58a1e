"""Publication (issue #6, point 7), opened from a DHR's Documents tab: the family told the date,
the embargo, the publication date and web address (recording publication starts the takedown
review, 12 months on, and the learning briefing); and the publication pack: the approved
versions, the action plan and the Home Office letter, checked again, marked OFFICIAL, made only
when every item of its checklist passes."""

from __future__ import annotations

import datetime as dt
import os
from html import escape
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.form_fields import DateField, attempt, text_line
from dhr_desk.ui.record_forms import ReasonDialog
from dhr_desk.ui.submission_pack_wizard import checklist_table, show_checklist, version_box
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.pack_service import PackOutcome
from dhr_desk.workflows.publication_pack import PublicationRecord
from dhr_desk.workflows.working_calendar import en_gb


class RecordPublicationDialog(ReasonDialog):
    """Each of the four is optional: record what has happened (or is agreed) so far."""

    def __init__(self, record: PublicationRecord, parent: QWidget | None = None) -> None:
        super().__init__("Record the publication", parent)
        self.told = self.optional("&Family told the date on",
                                  DateField("Family told the date on", optional=True))  # fmt: skip
        self.told.set_value(record.family_told_on)
        self.embargo = self.optional(
            "&Embargoed until", DateField("Embargoed until", optional=True, future_allowed=True)
        )
        self.embargo.set_value(record.embargo_until)
        self.published = self.optional("&Published on",
                                       DateField("Published on", optional=True))  # fmt: skip
        self.published.set_value(record.published_on)
        self.url = text_line("Web address", "https://…")
        self.url.setText(record.url)
        self.optional("&Web address", self.url)
        self.note(
            "Recording the publication date starts the takedown review (12 months on) and the "
            "learning briefing; both show on the timeline and the dashboard."
        )
        self.finish()


class PublicationDialog(QDialog):
    def __init__(self, desk: Desk, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.reference = desk, reference
        self.made: Path | None = None
        self.setWindowTitle(f"Publication: {reference}")
        self.resize(920, 600)
        layout = QVBoxLayout(self)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("What is recorded of the publication")
        layout.addWidget(self.facts)
        row = QHBoxLayout()
        record = QPushButton("&Record the family told, embargo, publication…")
        record.clicked.connect(self.record_publication)
        row.addWidget(record)
        row.addStretch(1)
        layout.addLayout(row)
        versions = attempt(self, "Documents not loaded", lambda: desk.documents(reference)) or []
        approved = attempt(self, "Documents not loaded",
                           lambda: desk.final_versions(reference, "publication"))  # fmt: skip
        overview_id, summary_id = approved or (None, None)
        form = QFormLayout()
        self.overview = version_box("Approved overview report version", versions,
                                    "overview_report", overview_id)  # fmt: skip
        self.summary = version_box("Approved executive summary version", versions,
                                   "executive_summary", summary_id)  # fmt: skip
        form.addRow("&Overview report", self.overview)
        form.addRow("E&xecutive summary", self.summary)
        layout.addLayout(form)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName("Publication checklist verdict")
        layout.addWidget(self.verdict)
        self.table = checklist_table("Publication checklist")
        layout.addWidget(self.table, 1)
        folder_row = QHBoxLayout()
        label = QLabel("Write the pack to fol&der:")
        self.folder = QLineEdit(str(Path.home()))
        self.folder.setAccessibleName("Folder to write the publication pack to")
        label.setBuddy(self.folder)
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        check = QPushButton("&Check")
        check.clicked.connect(self.check)
        self.make_button = QPushButton("&Make the publication pack")
        self.make_button.clicked.connect(self.make)
        for widget in (label, self.folder, browse, check, self.make_button):
            folder_row.addWidget(widget, 1 if widget is self.folder else 0)
        layout.addLayout(folder_row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.overview.currentIndexChanged.connect(lambda _i: self.check())
        self.summary.currentIndexChanged.connect(lambda _i: self.check())
        self.load()
        self.check()

    def load(self) -> None:
        record = attempt(self, "Not loaded", lambda: self.desk.publication_record(self.reference))
        self.record = record
        if record is None:
            return

        def day(value: dt.date | None) -> str:
            return en_gb(value) if value else "not recorded"

        lines = [
            f"<b>Family told the date:</b> {day(record.family_told_on)}",
            f"<b>Embargoed until:</b> {day(record.embargo_until)}",
            f"<b>Published:</b> {day(record.published_on)} · <b>Web address:</b> "
            f"{escape(record.url or 'not recorded')}",
            f"<b>Takedown review:</b> {escape(record.takedown_review)} · <b>Learning briefing:"
            f"</b> {escape(record.learning_briefing)}",
            f"<b>Last publication pack:</b> {escape(record.last_pack or 'none yet')}",
        ]
        self.facts.setText("<br>".join(lines))

    def show_outcome(self, outcome: PackOutcome | None) -> None:
        failed = show_checklist(self.table, outcome)
        passed = bool(outcome and outcome.passed)
        self.make_button.setEnabled(passed)
        if outcome is None:
            self.verdict.setText("<b>The checklist could not be run.</b>")
        elif passed:
            self.verdict.setText("<b>Every item passes.</b> Make the pack: one zip marked "
                                 "OFFICIAL, for the website.")  # fmt: skip
        else:
            self.verdict.setText(f"<b>{failed} item{'s' if failed != 1 else ''} FAIL.</b> "
                                 "Nothing is made until every item passes.")  # fmt: skip

    def _run(self, out_dir: Path | None) -> PackOutcome | None:
        return attempt(
            self,
            "Publication pack not made" if out_dir else "Not checked",
            lambda: self.desk.publication_pack(
                self.reference,
                overview_version=self.overview.currentData(),
                summary_version=self.summary.currentData(),
                out_dir=out_dir,
            ),
        )

    def check(self) -> None:
        self.show_outcome(self._run(None))

    def make(self) -> None:
        out = Path(os.path.expanduser(self.folder.text().strip() or "."))
        outcome = self._run(out)
        self.show_outcome(outcome)
        if outcome is not None and outcome.path is not None:
            self.made = outcome.path
            self.load()
            QMessageBox.information(
                self, "Publication pack made",
                f"The pack is at {outcome.path}. It is marked OFFICIAL. Once it is on the "
                "website, record the publication date and web address.",
            )  # fmt: skip

    def browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the pack", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def record_publication(self) -> None:
        if self.record is None:
            return
        dialog = RecordPublicationDialog(self.record, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:

            def save() -> bool:
                self.desk.record_publication(
                    self.reference, family_told_on=dialog.told.value(),
                    embargo_until=dialog.embargo.value(), published_on=dialog.published.value(),
                    url=dialog.url.text(),
                )  # fmt: skip
                return True

            if attempt(self, "Publication not recorded", save):
                break
        self.load()
        self.check()
