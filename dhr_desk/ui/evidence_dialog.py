"""An action's evidence files: the list, a file attached (with a note), a copy saved to open.

A file that cannot be read, is not what its name says, is empty or too large is refused with
the reason; nothing is attached then."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.form_fields import attempt, fill_table, read_only_table
from dhr_desk.workflows.action_plan import ActionEntry
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.evidence_files import ACCEPTED, EvidenceFile, size_words
from dhr_desk.workflows.working_calendar import en_gb

FILE_FILTER = "Evidence files ({});;All files (*)".format(
    " ".join(f"*{suffix}" for suffix in ACCEPTED)
)


class EvidenceDialog(QDialog):
    def __init__(
        self, desk: Desk, reference: str, action: ActionEntry, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk, self.reference, self.action = desk, reference, action
        self.attached = 0  # files attached while open: the plan is read again after
        self.setWindowTitle(f"Evidence files of action {action.number}")
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"<b>Action {action.number}</b>: {escape(action.description)}<br>Files are kept in the "
            "database with the review (never as loose files) and checked against their checksum "
            "when a copy is saved."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = read_only_table("Evidence files", ["File", "Size", "Added", "Note"])
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.itemActivated.connect(lambda _item: self.save_copy())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.attach_button = QPushButton("&Attach a file…")
        self.attach_button.setAccessibleName("Attach a file to the action as evidence")
        self.attach_button.clicked.connect(self.choose_file)
        self.save_button = QPushButton("&Save a copy…")
        self.save_button.setAccessibleName("Save a copy of the selected file, to open it")
        self.save_button.clicked.connect(self.save_copy)
        row.addWidget(self.attach_button)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.said = QLabel("")
        self.said.setWordWrap(True)
        self.said.setAccessibleName("What was done")
        layout.addWidget(self.said)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.files: list[EvidenceFile] = []
        self.load()

    def load(self) -> None:
        reference, action_id = self.reference, self.action.action_id
        found = attempt(self, "Evidence files not loaded",
                        lambda: self.desk.evidence_files(reference, action_id))  # fmt: skip
        self.files = found or []
        rows = [(f.file_name, size_words(f.size_bytes), en_gb(f.added_on), f.note)
                for f in self.files]  # fmt: skip
        fill_table(self.table, rows)
        self._enable()

    def _selected(self) -> EvidenceFile | None:
        rows = self.table.selectionModel().selectedRows()
        return self.files[rows[0].row()] if rows else None

    def _enable(self) -> None:
        self.save_button.setEnabled(self._selected() is not None)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Attach a file as evidence", "", FILE_FILTER)
        if not path:
            return
        note, ok = QInputDialog.getText(
            self, "Note on the file", "What the file shows (optional, kept with it):"
        )
        if ok:
            self.attach(Path(path), note)

    def attach(self, path: Path, note: str = "") -> bool:
        done = attempt(self, "File not attached",
                       lambda: self.desk.attach_evidence(self.reference, self.action.action_id,
                                                         path, note))  # fmt: skip
        if done is None:
            return False
        self.attached += 1
        self.said.setText(f"Attached {path.name}.")
        self.load()
        return True

    def save_copy(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save a copy of the file", chosen.file_name)
        if path:
            self.save_to(chosen, Path(path))

    def save_to(self, chosen: EvidenceFile, path: Path) -> None:
        saved = attempt(self, "Copy not saved",
                        lambda: self.desk.save_evidence_copy(self.reference, chosen.document_id,
                                                             path))  # fmt: skip
        if saved is not None:
            self.said.setText(f"Saved a copy to {saved}.")
