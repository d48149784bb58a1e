"""The review workspace's Documents tab (issue #6): the documents register, every version with
its status, marking and anonymisation state; the circulation log; a version opened (from a
private temporary copy), saved, circulated, or checked against the identifier register, with
each hit shown where it is and overridable one by one with a written reason.

A file refused (unreadable, not what its name says, too large, already a version) says why, and
nothing is added."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.after_submission_dialog import AfterSubmissionDialog
from dhr_desk.ui.form_fields import (
    DateField,
    attempt,
    fill_table,
    read_only_table,
    text_box,
    text_line,
)
from dhr_desk.ui.publication_dialog import PublicationDialog
from dhr_desk.ui.record_forms import ReasonDialog, choice, chosen, default_day
from dhr_desk.ui.review_tabs import RecordsTab, RecordTable, Workspace
from dhr_desk.ui.submission_pack_wizard import SubmissionPackWizard
from dhr_desk.workflows.anonymisation_check import Hit
from dhr_desk.workflows.anonymisation_gate import GateResult
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.document_register import (
    KIND_WORDS,
    MARKING_WORDS,
    STATUS_WORDS,
    CirculationEntry,
    VersionEntry,
)
from dhr_desk.workflows.evidence_files import ACCEPTED
from dhr_desk.workflows.working_calendar import en_gb

FILE_FILTER = "Documents ({});;All files (*)".format(" ".join(f"*{s}" for s in ACCEPTED))
KINDS = [(words, key) for key, words in KIND_WORDS.items() if not key.endswith("_pack")]
STATUSES = [(words, key) for key, words in STATUS_WORDS.items()]
MARKINGS = [(words, key) for key, words in MARKING_WORDS.items()]
LETTER_WORDS = {
    "acknowledgement": "Acknowledgement",
    "threshold_met": "Threshold met",
    "threshold_not_met": "Threshold not met",
    "outcome": "Outcome, with the recommendations",
    "escalation_acknowledgement": "Escalation acknowledged",
    "escalation_decision": "Escalation decision",
}


class AddVersionDialog(ReasonDialog):
    """A file added as a new version of a document (a new title starts a new document)."""

    def __init__(self, titles: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__("Add a document version", parent)
        self.setMinimumWidth(520)
        self.titles = titles  # title -> kind key of the review's documents
        self.note(
            "The file is kept in the database with the review (encrypted with it), with its "
            "checksum. Choosing an existing title adds its next version."
        )
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.path = text_line("File", "the file to add")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Choose the file to add")
        browse.clicked.connect(self.browse)
        line.addWidget(self.path, 1)
        line.addWidget(browse)
        self.required("&File", row, "the file")
        self.checks[-1] = (self.checks[-1][0], self._file_problem)
        self.path.textChanged.connect(self.validate)
        self.title_box = choice("Document title", [(t, t) for t in sorted(titles)], editable=True)
        self.title_box.setCurrentText("")
        self.required("&Title", self.title_box, "the document's title")
        self.kind = self.optional("&Kind", choice("Kind of document", KINDS))
        self.title_box.currentTextChanged.connect(self._title_chosen)
        self.author = self.optional("&Author", text_line("Author", "e.g. the independent chair"))
        self.status = self.optional("&Status", choice("Status", STATUSES))
        self.marking = self.optional("&Marking", choice("Protective marking", MARKINGS))
        self.version_note = self.optional("N&ote", text_box("Note"))
        self.finish()

    def _file_problem(self) -> str:
        text = self.path.text().strip()
        if not text:
            return "Choose the file."
        return "" if Path(text).is_file() else "There is no file there: choose it again."

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a document", "", FILE_FILTER)
        if path:
            self.path.setText(path)
            if not self.title_box.currentText().strip():
                self.title_box.setCurrentText(Path(path).stem)

    def _title_chosen(self, title: str) -> None:
        kind = self.titles.get(title.strip())
        if kind is not None:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        self.kind.setEnabled(kind is None)


class CirculateDialog(ReasonDialog):
    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Log a circulation of {label}", parent)
        self.sent_to = self.required(
            "Sent &to", text_line("Sent to", "e.g. the family, via the advocate"), "who it went to"
        )
        self.email = self.optional("&Email", text_line("Email"))
        self.purpose = self.required(
            "&Why", text_line("Why", "e.g. for factual accuracy"), "why it was sent"
        )
        self.on = self.required("Sent &on", DateField("Sent on"), "the date")
        self.finish()


class ReturnedDialog(ReasonDialog):
    def __init__(self, entry: CirculationEntry, parent: QWidget | None = None) -> None:
        super().__init__(f"{entry.document} came back from {entry.sent_to}", parent)
        self.on = self.required("Came &back on", DateField("Came back on"), "the date")
        self.comments = self.optional("&Note", text_box("Note", "e.g. comments received"))
        self.finish()


class OverrideDialog(ReasonDialog):
    def __init__(self, hit: Hit, parent: QWidget | None = None) -> None:
        super().__init__("Override one hit", parent)
        self.setMinimumWidth(480)
        self.note(
            f"<b>{escape(hit.kind.capitalize())} of {escape(hit.person)}</b> at "
            f"{escape(hit.location)}:<br>{escape(hit.context)}<br><br>Let it through only if it "
            "is not this person's identifier (another person of the same name, a place, a "
            "public figure). Your name and reason go into the audit trail and the pack's "
            "manifest."
        )
        self.reason = self.required("&Reason", text_box("Reason"), "the reason")
        self.finish()


class AnonymisationDialog(QDialog):
    """A version's check: each hit where it is and whose, and overrides one by one."""

    def __init__(self, desk: Desk, reference: str, version: VersionEntry,
                 result: GateResult, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.desk, self.reference, self.version = desk, reference, version
        self.setWindowTitle(f"Anonymisation check: {version.title} v{version.number}")
        self.resize(860, 420)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = read_only_table(
            "Hits", ["Where", "What", "Whose", "Found in", "Overridden because"]
        )
        self.table.itemSelectionChanged.connect(self._enable)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.override_button = QPushButton("&Override this hit…")
        self.override_button.setAccessibleName("Override the selected hit, with a reason")
        self.override_button.clicked.connect(self.override)
        buttons.addWidget(self.override_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.hits: list[Hit] = []
        self.show_result(result)

    def show_result(self, result: GateResult) -> None:
        reasons = {hit.key: o for hit, o in result.overridden}
        self.hits = [h for c in result.checks for h in c.hits]
        fill_table(
            self.table,
            [
                (h.location, h.kind, h.person, h.context,
                 f"{reasons[h.key].reason} ({reasons[h.key].by})" if h.key in reasons else "")
                for h in self.hits
            ],
        )  # fmt: skip
        self.overridden = set(reasons)
        if result.cannot_check:
            text = (
                f"<b>Cannot be checked.</b> {escape(result.cannot_check[0].cannot_check or '')} "
                "Until it can be read, this version cannot go into a pack."
            )
        elif not self.hits:
            text = (
                "<b>Clean:</b> no real name, nickname, date of birth, address or workplace of the "
                "review's register was found in any part of the file."
            )
        elif result.standing:
            text = (
                f"<b>{len(result.standing)} of {len(self.hits)} hit(s) stand.</b> Fix the "
                "document and add it as a new version, or override a hit that is not an "
                "identifier, with a reason. A version with a standing hit cannot go into a pack."
            )
        else:
            text = f"<b>Every hit ({len(self.hits)}) is overridden</b>, each with a reason."
        self.summary.setText(text)
        self._enable()

    def _selected(self) -> Hit | None:
        row = self.table.currentRow()
        if not self.table.selectionModel().selectedRows() or not 0 <= row < len(self.hits):
            return None
        return self.hits[row]

    def _enable(self) -> None:
        hit = self._selected()
        self.override_button.setEnabled(hit is not None and hit.key not in self.overridden)

    def override(self) -> None:
        hit = self._selected()
        if hit is None:
            return
        dialog = OverrideDialog(hit, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            done = attempt(
                self,
                "Hit not overridden",
                lambda: self._override(hit, dialog.reason.toPlainText()),
            )
            if done:
                result = attempt(self, "Not checked again", self._recheck)
                if result is not None:
                    self.show_result(result)
                break

    def _override(self, hit: Hit, reason: str) -> bool:
        self.desk.override_hit(self.reference, self.version.version_id, hit.key, reason)
        return True

    def _recheck(self) -> GateResult:
        return self.desk.check_versions(self.reference, [self.version.version_id])


class DocumentsTab(RecordsTab):
    """Every document of the review, by version, and where each version went."""

    def __init__(
        self, workspace: Workspace, kind: str = "dhr", parent: QWidget | None = None
    ) -> None:
        super().__init__(workspace, parent)
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Vertical)
        self.versions = RecordTable(
            "Document versions",
            ["Document", "Version", "File", "Status", "Marking", "Added", "Author",
             "Anonymisation"],
        )  # fmt: skip
        self.versions.button("&Add a version…", self.add)
        self.versions.button("O&pen", self.open_copy, for_one=lambda v: True)
        self.versions.button("Save a cop&y…", self.save_copy, for_one=lambda v: True)
        self.versions.button("Ne&w status…", self.set_status, for_one=lambda v: True)
        self.versions.button("C&irculate…", self.circulate, for_one=lambda v: True)
        self.versions.button("Chec&k anonymisation", self.check, for_one=lambda v: True)
        if kind == "dhr":  # the Home Office documents are a DHR's: a row of their own
            home_office = QHBoxLayout()
            home_office.addWidget(QLabel("<b>Home Office</b>:"))
            starters = QPushButton("Report starters")
            starters.setAccessibleName("Write an overview report or executive summary starter")
            menu = QMenu(starters)
            menu.addAction("Overview report starter…", lambda: self.starter("overview_report"))
            menu.addAction("Executive summary starter…",
                           lambda: self.starter("executive_summary"))  # fmt: skip
            starters.setMenu(menu)
            pack = QPushButton("Submission pack…")
            pack.setAccessibleName("Check and make the submission pack for the Home Office")
            pack.clicked.connect(self.submission_pack)
            after = QPushButton("After submission…")
            after.setAccessibleName("Submission date, copies, the Home Office letter, amendments")
            after.clicked.connect(self.after_submission)
            publish = QPushButton("Publication…")
            publish.setAccessibleName("Record the publication and make the publication pack")
            publish.clicked.connect(self.publication)
            for button in (starters, pack, after, publish):
                home_office.addWidget(button)
            home_office.addStretch(1)
            table_layout = self.versions.layout()
            assert isinstance(table_layout, QVBoxLayout)  # RecordTable: bar, table, note
            table_layout.insertLayout(1, home_office)
        else:  # an ASB Case Review: the letters to the applicant
            letters = QHBoxLayout()
            letters.addWidget(QLabel("<b>Letters to the applicant</b>:"))
            self.letter_kind = QComboBox()
            self.letter_kind.setAccessibleName("Which letter to the applicant")
            for key, words in LETTER_WORDS.items():
                self.letter_kind.addItem(words, key)
            make = QPushButton("Make the letter…")
            make.setAccessibleName("Make the chosen letter as PDF and Word, and keep it here")
            make.clicked.connect(self.make_letter)
            letters.addWidget(self.letter_kind)
            letters.addWidget(make)
            letters.addStretch(1)
            table_layout = self.versions.layout()
            assert isinstance(table_layout, QVBoxLayout)
            table_layout.insertLayout(1, letters)
        self.versions.finish_bar()
        self.versions.table.itemActivated.connect(lambda _item: self.open_copy())
        split.addWidget(self.versions)
        self.log = RecordTable(
            "Circulation log", ["Document", "Sent to", "Why", "Sent", "Came back", "Note"]
        )
        self.log.bar.addWidget(QLabel("<b>Circulation log</b>: what went to whom, and back"))
        self.log.button("Came &back…", self.returned, for_one=lambda c: c.returned_on is None)
        self.log.finish_bar()
        split.addWidget(self.log)
        split.setSizes([300, 160])
        layout.addWidget(split, 1)

    def load(self) -> None:
        found = attempt(self, "Documents not loaded", lambda: self.desk.documents(self.reference))
        rows = found or []
        self.versions.show_records(
            rows,
            [
                (v.title if v.latest else "", f"v{v.number}", v.file_name, v.status, v.marking,
                 en_gb(v.added_on), v.author, v.anonymisation)
                for v in rows
            ],
            "No documents yet. Add the terms of reference, agency returns and drafts here as "
            "they arrive: each new file of a document becomes its next version.",
        )  # fmt: skip
        log = attempt(self, "Log not loaded", lambda: self.desk.circulation_log(self.reference))
        entries = log or []
        self.log.show_records(
            entries,
            [
                (c.document, c.sent_to, c.purpose, en_gb(c.sent_on),
                 en_gb(c.returned_on) if c.returned_on else "not yet", c.note)
                for c in entries
            ],
            "Nothing circulated yet. Log each draft sent to the chair, panel, agencies or "
            "family with Circulate…",
        )  # fmt: skip
        self.stale = False

    def _chosen(self) -> VersionEntry | None:
        version = self.versions.selected()
        return version if isinstance(version, VersionEntry) else None

    def add(self) -> None:
        titles = {v.title: _kind_key(v.kind) for v in self.versions.records}
        dialog = AddVersionDialog(titles, self)
        self.workspace.until_done(
            dialog,
            "Document not added",
            lambda: self.desk.add_document_version(
                self.reference,
                Path(dialog.path.text().strip()),
                title=dialog.title_box.currentText(),
                kind=chosen(dialog.kind),
                author=dialog.author.text(),
                status=chosen(dialog.status),
                marking=chosen(dialog.marking),
                note=dialog.version_note.toPlainText(),
            ),
        )

    def open_copy(self) -> None:
        version = self._chosen()
        if version is None:
            return
        path = attempt(
            self,
            "Not opened",
            lambda: self.desk.open_version_copy(self.reference, version.version_id),
        )
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def save_copy(self) -> None:
        version = self._chosen()
        if version is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save a copy of the version", version.file_name)
        if path:
            attempt(
                self,
                "Copy not saved",
                lambda: self.desk.save_version_copy(self.reference, version.version_id, Path(path)),
            )

    def set_status(self) -> None:
        version = self._chosen()
        if version is None:
            return
        dialog = ReasonDialog(f"Status of {version.title} v{version.number}", self)
        box: QComboBox = dialog.optional("&Status", choice("Status", STATUSES))
        box.setCurrentIndex(box.findData(version.status_key))
        dialog.finish()
        self.workspace.until_done(
            dialog,
            "Status not changed",
            lambda: self.desk.set_document_status(self.reference, version.version_id, chosen(box)),
        )

    def circulate(self) -> None:
        version = self._chosen()
        if version is None:
            return
        dialog = CirculateDialog(f"{version.title} v{version.number}", self)
        self.workspace.until_done(
            dialog,
            "Circulation not logged",
            lambda: self.desk.circulate(
                self.reference,
                version.version_id,
                sent_to=dialog.sent_to.text(),
                purpose=dialog.purpose.text(),
                sent_on=default_day(dialog.on),
                email=dialog.email.text(),
            ),
        )

    def returned(self) -> None:
        entry = self.log.selected()
        if not isinstance(entry, CirculationEntry):
            return
        dialog = ReturnedDialog(entry, self)
        self.workspace.until_done(
            dialog,
            "Return not logged",
            lambda: self.desk.document_returned(
                self.reference,
                entry.circulation_id,
                returned_on=default_day(dialog.on),
                note=dialog.comments.toPlainText(),
            ),
        )

    def check(self) -> None:
        version = self._chosen()
        if version is None:
            return
        result = attempt(
            self,
            "Not checked",
            lambda: self.desk.check_versions(self.reference, [version.version_id]),
        )
        if result is None:
            return
        AnonymisationDialog(self.desk, self.reference, version, result, self).exec()
        self.workspace.refresh()

    def starter(self, which: str) -> None:
        name = {"overview_report": "overview-report", "executive_summary": "executive-summary"}
        suggested = f"{self.reference}-{name[which]}-starter.docx"
        path, _ = QFileDialog.getSaveFileName(self, "Save the starter", suggested,
                                              "Word document (*.docx)")  # fmt: skip
        if not path:
            return
        target = Path(path if path.lower().endswith(".docx") else path + ".docx")
        if attempt(self, "Starter not written",
                   lambda: self.desk.report_starter(self.reference, which, target)):  # fmt: skip
            QMessageBox.information(
                self, "Starter written",
                f"Written to {target}. It uses pseudonyms only; the highlighted places are for "
                "the chair. Add the chair's drafts here as versions of the document.",
            )  # fmt: skip

    def submission_pack(self) -> None:
        wizard = SubmissionPackWizard(self.desk, self.reference, self)
        wizard.exec()
        if wizard.made is not None:
            QMessageBox.information(
                self, "Submission pack made",
                f"The pack is at {wizard.made}. It is OFFICIAL-SENSITIVE: send it to the Home "
                "Office by a secure route, then record the submission date.",
            )  # fmt: skip
        self.workspace.refresh()

    def after_submission(self) -> None:
        AfterSubmissionDialog(self.desk, self.reference, self).exec()
        self.workspace.refresh()

    def make_letter(self, folder: str | None = None) -> tuple[Path, Path] | None:
        """The chosen letter, written as PDF and DOCX to a folder chosen, and kept here."""
        kind = str(self.letter_kind.currentData())
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, "Folder for the letter")
        if not folder:
            return None
        out = Path(folder)
        made = attempt(
            self, "Letter not made", lambda: self.desk.asb_letter(self.reference, kind, out)
        )
        self.workspace.refresh()
        if made is not None:
            QMessageBox.information(
                self, "Letter made",
                f"Written to {made[0]} (PDF) and {made[1].name} (Word, to edit before sending). "
                "The PDF is kept in this review's Documents and shown on its timeline.",
            )  # fmt: skip
        return made

    def publication(self) -> None:
        PublicationDialog(self.desk, self.reference, self).exec()
        self.workspace.refresh()


def _kind_key(words: str) -> str:
    return next((key for key, text in KIND_WORDS.items() if text == words), "other")
