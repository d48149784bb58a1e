"""The review window's Action plan tab: the recommendations, each with its actions beneath it
(agency, owner, target date, status, RAG in words and colour, last chase), and the buttons that
add and edit them and record progress, milestones, a RAG set by hand and sign-off."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.action_forms import (
    ActionDialog,
    MilestoneDialog,
    ProgressDialog,
    RatingDialog,
    RecommendationDialog,
    SignOffDialog,
)
from dhr_desk.ui.form_fields import attempt
from dhr_desk.ui.record_forms import default_day
from dhr_desk.ui.review_tabs import RecordsTab, Workspace
from dhr_desk.workflows.action_plan import (
    LEVEL_WORDS,
    SCOPE_WORDS,
    ActionEntry,
    RecommendationEntry,
)
from dhr_desk.workflows.agency_directory import ContactEntry

RAG_COLOURS = {"red": "#f6d5d8", "amber": "#fbe7c6", "green": "#dff0e0"}
HEADINGS = ["No.", "Recommendation / action", "Agency", "Owner", "Target", "Status", "RAG",
            "Last chased"]  # fmt: skip


def _row(cells: list[str], key: tuple[str, int]) -> list[QStandardItem]:
    """One row of read-only cells; the first carries the record's kind and id."""
    items = [QStandardItem(text) for text in cells]
    for item in items:
        item.setEditable(False)
    items[0].setData(key, Qt.ItemDataRole.UserRole)
    return items


def _date(day: object) -> str:
    return day.strftime("%d/%m/%Y") if day else ""  # type: ignore[attr-defined]


class ActionPlanTab(RecordsTab):
    """Recommendations and their actions as a tree; buttons act on the selected row."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        layout = QVBoxLayout(self)
        plan_row, action_row = QHBoxLayout(), QHBoxLayout()
        self.add_recommendation_button = self._button(plan_row, "Add a &recommendation…",
                                                      self.add_recommendation)  # fmt: skip
        self.add_action_button = self._button(plan_row, "Add an &action…", self.add_action)
        self.edit_button = self._button(plan_row, "Ed&it…", self.edit)
        self.export_button = self._button(plan_row, "E&xport the plan…", self.export_plan)
        self.export_button.setAccessibleName(
            "Export the action plan in the Home Office columns (PDF, Word or Excel)"
        )
        self.progress_button = self._button(action_row, "Record &progress…", self.progress)
        self.milestone_button = self._button(action_row, "&Key milestones…", self.milestones)
        self.rating_button = self._button(action_row, "Rating &by hand…", self.rating)
        self.evidence_button = self._button(action_row, "Evi&dence files…", self.evidence)
        self.evidence_button.setAccessibleName("The files attached to the action as evidence")
        self.sign_off_button = self._button(action_row, "Sig&n off…", self.sign_off)
        for row in (plan_row, action_row):
            row.addStretch(1)
            layout.addLayout(row)
        # a QStandardItemModel, not QTreeWidget: QTreeWidget's model gives columns other than
        # the first children too, which Qt's own model tester rejects
        self.model = QStandardItemModel(0, len(HEADINGS), self)
        self.model.setHorizontalHeaderLabels(HEADINGS)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Action plan: recommendations and their actions")
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.tree.activated.connect(lambda *_: self.edit())
        self.tree.setIndentation(14)
        layout.addWidget(self.tree, 1)
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAccessibleName("The selected recommendation or action in full")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        self.empty = QLabel("")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.plan: list[RecommendationEntry] = []
        self._enable()

    def _button(self, row: QHBoxLayout, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # --- reading --------------------------------------------------------------------------

    def load(self) -> None:
        found = attempt(self, "Action plan not loaded",
                        lambda: self.desk.action_plan(self.reference))  # fmt: skip
        chosen = self.selected()
        keep = (
            ("action", chosen.action_id)
            if isinstance(chosen, ActionEntry)
            else (("recommendation", chosen.recommendation_id) if chosen is not None else None)
        )
        self.plan = found or []
        self.model.removeRows(0, self.model.rowCount())
        current: QStandardItem | None = None
        for recommendation in self.plan:
            key = ("recommendation", recommendation.recommendation_id)
            row = _row(self._recommendation_cells(recommendation), key)
            row[1].setToolTip(recommendation.text)
            font = row[1].font()
            font.setBold(True)
            row[1].setFont(font)
            for action in recommendation.actions:
                child_key = ("action", action.action_id)
                child = _row(self._action_cells(action), child_key)
                child[1].setToolTip(action.description)
                if action.rag in RAG_COLOURS:
                    child[6].setBackground(QBrush(QColor(RAG_COLOURS[action.rag])))
                row[0].appendRow(child)
                if keep == child_key:
                    current = child[0]
            self.model.appendRow(row)
            if keep == key:
                current = row[0]
        self.tree.expandAll()
        for column, width in enumerate((56, 300, 150, 130, 80, 100, 150)):
            self.tree.setColumnWidth(column, width)
        if current is not None:
            self.tree.selectionModel().setCurrentIndex(
                current.index(),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self.empty.setText(
            ""
            if self.plan
            else "No recommendations yet. Add each recommendation of the report, then the "
            "actions agreed with agencies to carry it out."
        )
        self.empty.setVisible(not self.plan)
        self.stale = False
        self._enable()

    @staticmethod
    def _recommendation_cells(r: RecommendationEntry) -> list[str]:
        about = f"{LEVEL_WORDS[r.level]}, {SCOPE_WORDS[r.scope].lower()}"
        if r.follow_up_with:
            about += f"; follow up with {r.follow_up_with}"
        if r.themes:
            about += f"; themes: {', '.join(r.themes)}"
        text = r.text
        open_actions = sum(1 for a in r.actions if a.open)
        status = f"{open_actions} of {len(r.actions)} open" if r.actions else "No actions yet"
        return [str(r.number), text, r.lead_agency, "", "", status, "", ""]

    @staticmethod
    def _action_cells(a: ActionEntry) -> list[str]:
        owner = f"{a.owner} (has left)" if a.owner_left else a.owner
        return [a.number, a.description, a.agency, owner, _date(a.target_date), a.status_words,
                a.rag_words, a.last_chased]  # fmt: skip

    def selected(self) -> RecommendationEntry | ActionEntry | None:
        rows = self.tree.selectionModel().selectedRows(0)
        if not rows:
            return None
        kind, key = rows[0].data(Qt.ItemDataRole.UserRole)
        for recommendation in self.plan:
            if kind == "recommendation" and recommendation.recommendation_id == key:
                return recommendation
            for action in recommendation.actions:
                if kind == "action" and action.action_id == key:
                    return action
        return None

    def _recommendation_of(self, chosen: object) -> RecommendationEntry | None:
        if isinstance(chosen, RecommendationEntry):
            return chosen
        if isinstance(chosen, ActionEntry):
            return next(r for r in self.plan if chosen in r.actions)
        return None

    def _describe(self, chosen: RecommendationEntry | ActionEntry | None) -> str:
        """The selected row in full: what the table's columns cannot hold."""
        if isinstance(chosen, RecommendationEntry):
            lines = [
                f"<b>Recommendation {chosen.number}</b>: {escape(chosen.text)}",
                f"{LEVEL_WORDS[chosen.level]}, {SCOPE_WORDS[chosen.scope].lower()}"
                + (
                    f"; follow up with {escape(chosen.follow_up_with)}"
                    if chosen.follow_up_with
                    else ""
                ),
                "Themes: " + (escape(", ".join(chosen.themes)) or "none"),
            ]
            if chosen.made_on:
                lines.append(f"Made on {_date(chosen.made_on)}")
            return "<br>".join(lines)
        if isinstance(chosen, ActionEntry):
            state = chosen.status_words
            if chosen.rag is not None:
                state += f"; RAG: {escape(chosen.rag_words)}"
            lines = [f"<b>Action {chosen.number}</b>: {escape(chosen.description)}", state]
            if chosen.owner_left:
                lines.append(f"{escape(chosen.owner)} has left: use Edit… to give the action "
                             "to someone else.")  # fmt: skip
            for m in chosen.milestones:
                done = f", achieved {_date(m.achieved_on)}" if m.achieved_on else ""
                due = f" (due {_date(m.due_on)})" if m.due_on else ""
                lines.append(f"Milestone: {escape(m.description)}{due}{done}")
            if chosen.evidence:
                lines.append("Evidence: " + escape(chosen.evidence).replace("\n", "<br>"))
            if chosen.evidence_files:
                lines.append(f"Evidence files: {chosen.evidence_files} (see Evidence files…)")
            if chosen.outcome:
                lines.append(f"Outcome: {escape(chosen.outcome)}")
            if chosen.signed_off:
                lines.append(f"Signed off by {escape(chosen.signed_off)}")
            return "<br>".join(lines)
        return "Select a recommendation or an action to see it in full." if self.plan else ""

    def _enable(self) -> None:
        chosen = self.selected()
        self.details.setText(self._describe(chosen))
        action = chosen if isinstance(chosen, ActionEntry) else None
        self.add_action_button.setEnabled(chosen is not None)
        self.edit_button.setEnabled(chosen is not None)
        self.progress_button.setEnabled(action is not None)
        self.milestone_button.setEnabled(action is not None and action.open)
        self.rating_button.setEnabled(action is not None and action.open)
        self.evidence_button.setEnabled(action is not None)
        self.sign_off_button.setEnabled(
            action is not None and not action.open and not action.signed_off
        )

    # --- changing ------------------------------------------------------------------------

    def _contacts(self, agency: str) -> list[ContactEntry]:
        return attempt(self, "Contacts not loaded", lambda: self.desk.contacts(agency)) or []

    def add_recommendation(self) -> None:
        agencies = attempt(self, "Agencies not loaded", self.desk.agencies) or []
        themes = attempt(self, "Themes not loaded", self.desk.themes) or []
        dialog = RecommendationDialog(agencies, themes, parent=self)
        self.workspace.until_done(
            dialog, "Recommendation not added",
            lambda: self.desk.add_recommendation(self.reference, dialog.details()),
        )  # fmt: skip

    def add_action(self) -> None:
        recommendation = self._recommendation_of(self.selected())
        if recommendation is None:
            return
        agencies = attempt(self, "Agencies not loaded", self.desk.agencies) or []
        dialog = ActionDialog(agencies, self._contacts, parent=self)
        dialog.setWindowTitle(f"Add an action to recommendation {recommendation.number}")
        self.workspace.until_done(
            dialog, "Action not added",
            lambda: self.desk.add_action(self.reference, recommendation.recommendation_id,
                                         dialog.details()),
        )  # fmt: skip

    def edit(self) -> None:
        chosen = self.selected()
        agencies = attempt(self, "Agencies not loaded", self.desk.agencies) or []
        if isinstance(chosen, RecommendationEntry):
            themes = attempt(self, "Themes not loaded", self.desk.themes) or []
            dialog = RecommendationDialog(agencies, themes, chosen, self)
            self.workspace.until_done(
                dialog, "Recommendation not changed",
                lambda: self.desk.update_recommendation(
                    self.reference, chosen.recommendation_id, seen_version=chosen.version,
                    details=dialog.details()),
            )  # fmt: skip
        elif isinstance(chosen, ActionEntry):
            if chosen.agency not in agencies:  # retired since: still shown, so it can stay
                agencies = [*agencies, chosen.agency]
            action_dialog = ActionDialog(agencies, self._contacts, chosen, self)
            self.workspace.until_done(
                action_dialog, "Action not changed",
                lambda: self.desk.update_action(
                    self.reference, chosen.action_id, seen_version=chosen.version,
                    details=action_dialog.details(), reason=action_dialog.reason.text()),
            )  # fmt: skip

    def _action(self) -> ActionEntry | None:
        chosen = self.selected()
        return chosen if isinstance(chosen, ActionEntry) else None

    def progress(self) -> None:
        action = self._action()
        if action is None:
            return
        dialog = ProgressDialog(action, self)
        self.workspace.until_done(
            dialog, "Progress not recorded",
            lambda: self.desk.record_progress(self.reference, action.action_id,
                                              seen_version=action.version,
                                              progress=dialog.progress()),
        )  # fmt: skip

    def milestones(self) -> None:
        action = self._action()
        if action is None:
            return
        dialog = MilestoneDialog(action, self)

        def save() -> object:
            if dialog.adding():
                return self.desk.add_milestone(self.reference, action.action_id,
                                               description=dialog.description.text(),
                                               due_on=dialog.due.value())  # fmt: skip
            return self.desk.milestone_achieved(self.reference, int(dialog.what.currentData()),
                                                on=default_day(dialog.achieved))  # fmt: skip

        self.workspace.until_done(dialog, "Milestone not recorded", save)

    def rating(self) -> None:
        action = self._action()
        if action is None:
            return
        dialog = RatingDialog(action, self)
        self.workspace.until_done(
            dialog, "Rating not set",
            lambda: self.desk.override_rag(self.reference, action.action_id,
                                           seen_version=action.version,
                                           rag=dialog.rating.currentData() or None,
                                           reason=dialog.why.toPlainText()),
        )  # fmt: skip

    def evidence(self) -> None:
        action = self._action()
        if action is None:
            return
        from dhr_desk.ui.evidence_dialog import EvidenceDialog

        dialog = EvidenceDialog(self.desk, self.reference, action, self)
        dialog.exec()
        if dialog.attached:
            self.workspace.changed.emit()
            self.workspace.refresh()

    def sign_off(self) -> None:
        action = self._action()
        if action is None:
            return
        dialog = SignOffDialog(action, self)
        self.workspace.until_done(
            dialog, "Not signed off",
            lambda: self.desk.sign_off_action(self.reference, action.action_id,
                                              seen_version=action.version,
                                              by=dialog.by.text(), on=default_day(dialog.on)),
        )  # fmt: skip

    def export_plan(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export the action plan",
            f"{self.reference}-action-plan.pdf",
            "PDF (*.pdf);;Word document (*.docx);;Excel workbook (*.xlsx)",
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".pdf", ".docx", ".xlsx"):  # typed without a suffix
            suffix = ".docx" if "docx" in chosen else ".xlsx" if "xlsx" in chosen else ".pdf"
            target = target.with_name(target.name + suffix)
        saved = attempt(self, "Action plan not exported",
                        lambda: self.desk.export_action_plan(self.reference, target))  # fmt: skip
        if saved is not None:
            self.details.setText(f"Action plan saved to {saved}.")
