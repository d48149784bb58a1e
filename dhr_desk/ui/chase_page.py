"""Chase now, in the Actions section: shows who would get what today (one digest per recipient,
across every review), with what needs a person first (an owner who has left, no lead recorded),
then writes the .eml drafts and PDF letters into a folder you choose and logs every chase."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.background_read import BackgroundRead
from dhr_desk.ui.form_fields import fill_table, read_only_table, show_failure
from dhr_desk.workflows.chase_run import ChaseRun
from dhr_desk.workflows.chasing import STEP_WORDS, ChasePlan
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.working_calendar import en_gb


class ChasePreview(QDialog):
    """Who gets what; OK goes on to choose the folder and produce the digests."""

    def __init__(self, plan: ChasePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Chase now: {en_gb(plan.as_of)}")
        self.resize(880, 640)
        layout = QVBoxLayout(self)
        items = sum(len(d.items) for d in plan.digests)
        if plan.digests:
            said = (f"{len(plan.digests)} recipient(s) would be sent {items} item(s), each one "
                    "digest covering all their items across reviews.")  # fmt: skip
        else:
            said = "Nobody has anything due today: nothing would be produced."
        heading = QLabel(f"<b>{said}</b>")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.table = read_only_table(
            "Who would be sent what", ["Recipient", "Role", "Agency", "Items", "Sent as"]
        )
        fill_table(
            self.table,
            [
                (d.recipient.name, d.recipient.role, d.recipient.agency, str(len(d.items)),
                 "Letter only: no email address" if d.letter_only else "Email draft and letter")
                for d in plan.digests
            ],
        )  # fmt: skip
        layout.addWidget(self.table, 1)
        self.items_heading = QLabel("<b>What they would be sent</b>: choose a recipient above")
        layout.addWidget(self.items_heading)
        self.items = read_only_table(
            "Items for the chosen recipient", ["Review", "Action", "Agency", "Step", "When"]
        )
        layout.addWidget(self.items, 1)
        self.plan = plan
        self.table.itemSelectionChanged.connect(self._show_items)
        if plan.digests:
            self.table.selectRow(0)
        notes = list(plan.notes) + [f"Not chased: {n} {why}." for why, n in
                                    sorted(plan.not_chased.items())]  # fmt: skip
        self.notes = QLabel("<br>".join(notes) if notes else "")
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Notes on the chase")
        layout.addWidget(self.notes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton("&Write the digests…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setEnabled(bool(plan.digests))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _show_items(self) -> None:
        """The chosen recipient's items, each with its review, step and when it is due."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        digest = self.plan.digests[rows[0].row()]
        self.items_heading.setText(
            f"<b>What {escape(digest.recipient.name)} would be sent</b>: {len(digest.items)} "
            "item(s)"
        )
        fill_table(
            self.items,
            [(i.reference, i.number, i.agency, STEP_WORDS[i.step], i.when) for i in digest.items],
        )


#: What the chasing policy does by default, said beside the button.
POLICY_WORDS = (
    "Chasing follows the partnership's chasing policy (by default: a reminder 14 days before the "
    "target date, a chase on the day it falls due, escalation to the agency's lead at 14 days "
    "overdue and to its board representative and the CSP chair at 28, then 7 days before the "
    "same item is chased again; changed in Settings). Chases go out on working days. Each "
    "recipient gets one digest covering all their items across reviews: an email draft to check "
    "and send from Outlook, and a PDF letter. Every chase is logged on the actions it covers."
)


class ChaseControls(QWidget):
    """The Chase now button and what the last chase did."""

    chased = Signal()  # chases were logged: the tracker's "last chased" has changed

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.as_of: dt.date | None = None  # today, unless set (tests, a chase for a past day)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.chase_button = QPushButton("&Chase now…")
        self.chase_button.setAccessibleName("Chase now: preview who gets what, then produce it")
        self.chase_button.setToolTip(POLICY_WORDS)
        self.chase_button.clicked.connect(self.chase_now)
        layout.addWidget(self.chase_button, 0, Qt.AlignmentFlag.AlignTop)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Result of the last chase")
        layout.addWidget(self.result, 1)
        self._work = BackgroundRead(self)  # the plan and the run take seconds with many actions
        self._work.delivered.connect(self._delivered)
        self._work.failed.connect(self._failed)
        self._then: Callable[[Any], None] | None = None

    @property
    def busy(self) -> bool:
        """A plan or a run is being worked out in the worker thread."""
        return self._work.busy

    def wait(self) -> None:
        """Block until nothing runs (the window closes the store after this)."""
        self._work.wait()

    def _start(self, saying: str, work: Callable[[], object], then: Callable[[Any], None]) -> None:
        """Run ``work`` in the worker thread; ``then`` gets its result in this one."""
        self.chase_button.setEnabled(False)
        self.result.setText(saying)
        self._then = then
        self._work.request(work)

    def _delivered(self, result: object) -> None:
        then, self._then = self._then, None
        self.chase_button.setEnabled(True)
        self.result.setText("")
        if then is not None:
            then(result)

    def _failed(self, error: BaseException) -> None:
        self._then = None
        self.chase_button.setEnabled(True)
        self.result.setText("")
        show_failure(self, "Nothing chased", error)

    def chase_now(self) -> None:
        """Work out the plan (in the worker), show the preview, then produce it."""
        as_of = self.as_of
        self._start("Working out who is due what…", lambda: self.desk.chase_plan(as_of),
                    self._preview)  # fmt: skip

    def _preview(self, plan: ChasePlan) -> None:
        preview = ChasePreview(plan, self)
        if preview.exec() != QDialog.DialogCode.Accepted:
            return
        folder = QFileDialog.getExistingDirectory(self, "Folder for the email drafts and letters")
        if folder:
            self.produce(Path(folder))

    def produce(self, folder: Path) -> None:
        """Write the digests and log the chases, in the worker thread: the window answers."""
        as_of = self.as_of
        self._start(f"Writing the digests to {folder}…", lambda: self.desk.chase(folder, as_of),
                    lambda run: self._done(run, folder))  # fmt: skip

    def _done(self, run: ChaseRun, folder: Path) -> None:
        files = sum(len(f) for f in run.files.values())
        self.result.setText(
            f"{len(run.plan.digests)} digest(s) written to {folder} ({files} files); "
            f"{run.logged} chase(s) logged on the actions. Open each .eml file, check it and "
            "send it from Outlook; print or send the letters."
        )
        self.chased.emit()
        QMessageBox.information(self, "Chased", self.result.text())
