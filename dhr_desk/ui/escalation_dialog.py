"""An ASB Case Review applicant's escalation (issue #7, point 4), from the review window: the
request (about how the application was handled, or how the review was carried out), the route
(Settings: the OPCCN by default), then the decision, upheld or not, with its reasons. Upheld (or
partly upheld) reopens the review at information gathering, so the threshold is decided afresh."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.form_fields import (
    DateField,
    attempt,
    fill_table,
    read_only_table,
    text_box,
    text_line,
    until_saved,
)
from dhr_desk.ui.record_forms import ReasonDialog, default_day
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.review_records import EscalationEntry

ABOUT = (
    ("How the application was handled", "how the application was handled"),
    ("How the case review was carried out", "how the case review was carried out"),
)
OUTCOMES = (("Upheld", "upheld"), ("Partly upheld", "partly_upheld"),
            ("Not upheld", "not_upheld"), ("Withdrawn", "withdrawn"))  # fmt: skip


class EscalationRequestDialog(ReasonDialog):
    def __init__(self, route: str, parent: QWidget | None = None) -> None:
        super().__init__("The applicant asks for an escalation", parent)
        self.on = self.required("Requested &on", DateField("Escalation requested on"), "the date")
        self.about = QComboBox()
        self.about.setAccessibleName("What the applicant is unhappy about")
        for words, value in ABOUT:
            self.about.addItem(words, value)
        self.optional("&About", self.about)
        self.grounds = self.required("&Why, in the applicant's words",
                                     text_box("Grounds of the escalation"), "why")  # fmt: skip
        self.route = self.required("&Heard by", text_line("Heard by"), "who hears it")
        self.route.setText(route)
        self.finish()

    def grounds_text(self) -> str:
        return f"About {self.about.currentData()}: {self.grounds.toPlainText().strip()}"


class EscalationDecisionDialog(ReasonDialog):
    def __init__(self, entry: EscalationEntry, parent: QWidget | None = None) -> None:
        super().__init__("The escalation decision", parent)
        self.note(f"Asked for on {entry.requested_on}: {entry.grounds}")
        self.outcome = QComboBox()
        self.outcome.setAccessibleName("Decision on the escalation")
        for words, value in OUTCOMES:
            self.outcome.addItem(words, value)
        self.optional("&Decision", self.outcome)
        self.on = self.required("Decided &on", DateField("Escalation decided on"), "the date")
        self.reasons = self.required("&Reasons", text_box("Reasons for the decision"),
                                     "the reasons")  # fmt: skip
        self.note("Upheld or partly upheld reopens the review at information gathering: the "
                  "threshold is decided afresh.")  # fmt: skip
        self.finish()


class EscalationDialog(QDialog):
    def __init__(
        self, desk: Desk, reference: str, refresh: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk, self.reference, self.refresh = desk, reference, refresh
        self.setWindowTitle(f"Escalation: {reference}")
        self.resize(820, 420)
        layout = QVBoxLayout(self)
        route = attempt(self, "Settings not read", desk.escalation_route) or ""
        self.route = route
        intro = QLabel(f"An applicant unhappy with how their application was handled, or how the "
                       f"case review was carried out, can ask for it to be looked at again. "
                       f"Escalations are heard by {route} (Settings).")  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        headings = ["Asked for", "Why", "Heard by", "Decision", "Reasons"]
        self.table = read_only_table("Escalations", headings)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Stretch)):  # fmt: skip
            header.setSectionResizeMode(column, mode)
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())  # wrap
        self.table.itemSelectionChanged.connect(self._enable)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        request = QPushButton("&Record a request…")
        request.clicked.connect(self.record_request)
        self.decide_button = QPushButton("Record the &decision…")
        self.decide_button.clicked.connect(self.record_decision)
        row.addWidget(request)
        row.addWidget(self.decide_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.entries: list[EscalationEntry] = []
        self.load()

    def load(self) -> None:
        found = attempt(self, "Not loaded", lambda: self.desk.escalations(self.reference))
        self.entries = found or []
        fill_table(self.table, [(e.requested_on, e.grounds, e.escalated_to, e.decision, e.reasons)
                                for e in self.entries])  # fmt: skip
        self.table.resizeRowsToContents()
        self._enable()

    def _selected(self) -> EscalationEntry | None:
        row = self.table.currentRow()
        if not self.table.selectionModel().selectedRows() or not 0 <= row < len(self.entries):
            return None
        return self.entries[row]

    def _enable(self) -> None:
        entry = self._selected()
        self.decide_button.setEnabled(entry is not None and not entry.decided)

    def _until_done(self, dialog: QDialog, title: str, change: Callable[[], object]) -> None:
        until_saved(self, dialog, title, change)
        self.load()
        self.refresh()

    def record_request(self) -> None:
        dialog = EscalationRequestDialog(self.route, self)
        self._until_done(
            dialog,
            "Escalation not recorded",
            lambda: self.desk.lifecycle().request_escalation(
                self.reference, requested_on=default_day(dialog.on),
                grounds=dialog.grounds_text(), escalated_to=dialog.route.text().strip(),
            ),
        )  # fmt: skip

    def record_decision(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        dialog = EscalationDecisionDialog(entry, self)
        self._until_done(
            dialog,
            "Decision not recorded",
            lambda: self.desk.lifecycle().decide_escalation(
                self.reference, entry.escalation_id, outcome=str(dialog.outcome.currentData()),
                decided_on=default_day(dialog.on), reasons=dialog.reasons.toPlainText().strip(),
            ),
        )  # fmt: skip
