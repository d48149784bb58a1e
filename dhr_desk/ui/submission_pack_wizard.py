"""The submission pack wizard (issue #6, point 5), opened from a DHR's Documents tab: choose the
overview report and executive summary versions, write the covering letter's reasons for delay
and feedback contact, check the metadata sheet, then see the pre-flight checklist (the
anonymisation gate run over every file) and make the pack into a folder. The pack is made only
when every item passes; a failure says what to put right, and nothing is written."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from dhr_desk.ui.form_fields import attempt, fill_table, read_only_table, text_box, text_line
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.document_register import KIND_WORDS, VersionEntry
from dhr_desk.workflows.pack_service import PackOutcome
from dhr_desk.workflows.working_calendar import en_gb


def version_box(
    name: str, versions: list[VersionEntry], kind: str, default: int | None
) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    box.addItem("(none chosen)", None)
    for v in versions:
        if v.kind == KIND_WORDS[kind]:
            box.addItem(f"{v.title} v{v.number}: {v.status}, added {en_gb(v.added_on)} "
                        f"({v.anonymisation})", v.version_id)  # fmt: skip
    box.setCurrentIndex(max(box.findData(default), 0) if default is not None else 0)
    return box


def checklist_table(name: str) -> QTableWidget:
    """A pack's checklist: each item's result in words, the item, and why."""
    table = read_only_table(name, ["Result", "Item", "Why"])
    table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    return table


def show_checklist(table: QTableWidget, outcome: PackOutcome | None) -> int:
    """The outcome's items in the table ("Pass" or "FAIL", never colour alone); how many fail."""
    items = outcome.checklist if outcome else ()
    fill_table(table, [("Pass" if i.passed else "FAIL", i.label, i.reason) for i in items])
    table.resizeRowsToContents()
    return sum(not i.passed for i in items)


class SubmissionPackWizard(QWizard):
    """Four pages: documents, covering letter, metadata sheet, checklist and making the pack."""

    def __init__(self, desk: Desk, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.reference = desk, reference
        self.outcome: PackOutcome | None = None
        self.made: Path | None = None
        self.setWindowTitle(f"Submission pack for the Home Office: {reference}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(900, 600)
        versions = attempt(self, "Documents not loaded", lambda: desk.documents(reference)) or []
        finals = attempt(self, "Documents not loaded", lambda: desk.final_versions(reference))
        overview_id, summary_id = finals or (None, None)
        offered = attempt(self, "Metadata not loaded", lambda: desk.pack_metadata(reference))

        documents = QWizardPage()
        documents.setTitle("1. The documents to submit")
        documents.setSubTitle("Choose the versions of the overview report and executive summary "
                              "the panel signed off. The newest version marked Final is chosen "
                              "for you.")  # fmt: skip
        form = QFormLayout(documents)
        self.overview = version_box("Overview report version", versions, "overview_report",
                                     overview_id)  # fmt: skip
        self.summary = version_box("Executive summary version", versions, "executive_summary",
                                    summary_id)  # fmt: skip
        form.addRow("&Overview report", self.overview)
        form.addRow("&Executive summary", self.summary)
        note = QLabel("The covering letter, the action plan (PDF, Word, Excel) and the metadata "
                      "sheet are made for you. Each file goes into the pack under a plain name "
                      "(02-overview-report.docx …), never its own file name.")  # fmt: skip
        note.setWordWrap(True)
        form.addRow(note)
        self.addPage(documents)

        letter = _LetterPage(self)
        letter.setTitle("2. The covering letter")
        late = offered is not None and offered.late
        letter.setSubTitle(
            "The review took longer than its completion date: say why (the letter quotes it)."
            if late else "The review was completed by its completion date."
        )  # fmt: skip
        form = QFormLayout(letter)
        self.delay_reasons = text_box("Reasons for the delay", "e.g. the criminal trial …")
        self.delay_reasons.setPlainText(offered.delay_reasons if offered else "")
        form.addRow("Reasons for the &delay", self.delay_reasons)
        self.feedback_contact = text_line("Feedback letter to", "name, role, email")
        self.feedback_contact.setText(offered.feedback_contact if offered else "")
        form.addRow("Send the &feedback letter to", self.feedback_contact)
        self.addPage(letter)

        metadata = QWizardPage()
        metadata.setTitle("3. The metadata sheet")
        metadata.setSubTitle("What the Home Office library records about the review. Some values "
                             "were filled from the case (year of death, age bands …): check them "
                             "and type the rest. The list of fields is in Settings.")  # fmt: skip
        box = QVBoxLayout(metadata)
        self.metadata = QTableWidget(0, 2)
        self.metadata.setAccessibleName("Metadata sheet: field and value")
        self.metadata.setHorizontalHeaderLabels(["Field", "Value"])
        self.metadata.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.metadata.verticalHeader().setVisible(False)
        for label, value in offered.rows if offered else ():
            row = self.metadata.rowCount()
            self.metadata.insertRow(row)
            field = QTableWidgetItem(label)
            field.setFlags(field.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.metadata.setItem(row, 0, field)
            self.metadata.setItem(row, 1, QTableWidgetItem(value))
        self.metadata.resizeColumnToContents(0)
        box.addWidget(self.metadata)
        self.addPage(metadata)

        self.checklist_page = _ChecklistPage(self)
        self.addPage(self.checklist_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Make the pack")

    def typed_metadata(self) -> dict[str, str]:
        typed = {}
        for row in range(self.metadata.rowCount()):
            field, value = self.metadata.item(row, 0), self.metadata.item(row, 1)
            if field is not None:
                typed[field.text()] = value.text() if value is not None else ""
        return typed

    def run_checklist(self, out_dir: Path | None = None) -> PackOutcome | None:
        return attempt(
            self,
            "Pack not made" if out_dir else "Not checked",
            lambda: self.desk.submission_pack(
                self.reference,
                overview_version=self.overview.currentData(),
                summary_version=self.summary.currentData(),
                metadata=self.typed_metadata(),
                out_dir=out_dir,
            ),
        )


class _LetterPage(QWizardPage):
    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        wizard = self.wizard()
        assert isinstance(wizard, SubmissionPackWizard)

        def save() -> bool:
            wizard.desk.record_covering_facts(
                wizard.reference,
                delay_reasons=wizard.delay_reasons.toPlainText(),
                feedback_contact=wizard.feedback_contact.text(),
            )
            return True

        return bool(attempt(self, "Covering letter not saved", save))


class _ChecklistPage(QWizardPage):
    """The pre-flight checklist, and the folder the pack is written to."""

    def __init__(self, wizard: SubmissionPackWizard) -> None:
        super().__init__()
        self.setTitle("4. Pre-flight checklist")
        self.setSubTitle("Each item must pass before the pack is made. The anonymisation gate "
                         "reads every file of the pack against the review's register.")  # fmt: skip
        self.pack_wizard = wizard
        layout = QVBoxLayout(self)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName("Checklist verdict")
        layout.addWidget(self.verdict)
        self.table = checklist_table("Pre-flight checklist")
        layout.addWidget(self.table, 1)
        again = QPushButton("Check a&gain")
        again.setAccessibleName("Run the checklist again")
        again.clicked.connect(self.initializePage)
        folder_line = QHBoxLayout()
        label = QLabel("Write the pack to &folder:")
        self.folder = QLineEdit(str(Path.home()))
        self.folder.setAccessibleName("Folder to write the pack to")
        label.setBuddy(self.folder)
        folder_line.addWidget(label)
        folder_line.addWidget(self.folder, 1)
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        folder_line.addWidget(browse)
        folder_line.addWidget(again)
        layout.addLayout(folder_line)
        self.passed = False

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        outcome = self.pack_wizard.run_checklist()
        self.show_outcome(outcome)

    def show_outcome(self, outcome: PackOutcome | None) -> None:
        self.pack_wizard.outcome = outcome
        failed = show_checklist(self.table, outcome)
        self.passed = bool(outcome and outcome.passed)
        if outcome is None:
            self.verdict.setText("<b>The checklist could not be run.</b>")
        elif self.passed:
            self.verdict.setText("<b>Every item passes.</b> Choose the folder and make the pack: "
                                 "one zip marked OFFICIAL-SENSITIVE.")  # fmt: skip
        else:
            self.verdict.setText(
                f"<b>{failed} item{'s' if failed != 1 else ''} FAIL.</b> Put each right (close "
                "this wizard, record what is missing in the review, then open it again), or "
                "go Back to change a choice. Nothing is made until every item passes."
            )
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return self.passed

    def browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the pack", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        out = Path(os.path.expanduser(self.folder.text().strip() or "."))
        outcome = self.pack_wizard.run_checklist(out)
        if outcome is None:
            return False
        self.show_outcome(outcome)
        self.pack_wizard.made = outcome.path
        return outcome.path is not None
