"""The forms of a review's action plan: a recommendation, an action (with its owner chosen from
the agency's contacts), progress on an action, a milestone, a RAG rating set by hand, and
sign-off. Each keeps OK greyed until what it needs is filled in; the service checks the rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from dhr_desk.ui.form_fields import DateField, Field, text_box, text_line
from dhr_desk.ui.record_forms import ReasonDialog, choice
from dhr_desk.workflows.action_plan import (
    LEVEL_WORDS,
    NATIONAL_FOLLOW_UP,
    SCOPE_WORDS,
    STATUS_WORDS,
    ActionDetails,
    ActionEntry,
    Progress,
    RecommendationDetails,
    RecommendationEntry,
)
from dhr_desk.workflows.action_tracker import BulkChange, TrackedAction
from dhr_desk.workflows.agency_directory import ContactEntry

SOMEONE_ELSE = -1  # the owner is not a contact in the directory: typed by name
NO_OWNER = -2


class RecommendationDialog(ReasonDialog):
    """Add a recommendation, or edit one (``current`` given)."""

    def __init__(
        self,
        agencies: Sequence[str],
        themes: Sequence[str],
        current: RecommendationEntry | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = f"Edit recommendation {current.number}" if current else "Add a recommendation"
        super().__init__(title, parent)
        self.setMinimumWidth(520)
        self.text = self.required("&Recommendation", text_box("Recommendation"), "the text")
        self.text.setFixedHeight(90)
        self.level = self.optional("&Level", choice("Level", list(_pairs(LEVEL_WORDS))))
        self.scope = self.optional("&Scope", choice("Scope", list(_pairs(SCOPE_WORDS))))
        self.follow_up = self.optional(
            "National follow-up &with", text_line("National follow-up with", NATIONAL_FOLLOW_UP)
        )
        named = list(agencies)
        if current is not None and current.lead_agency and current.lead_agency not in named:
            named.append(current.lead_agency)  # retired since: kept unless changed
        lead = [("(none)", "")] + [(a, a) for a in named]
        self.lead = self.optional("Lead a&gency", choice("Lead agency", lead))
        self.themes = QListWidget()
        self.themes.setAccessibleName("Themes: tick each that applies")
        self.themes.setMinimumHeight(150)
        chosen = set(current.themes) if current else set()
        for theme in sorted(set(themes) | chosen, key=str.casefold):
            item = QListWidgetItem(theme)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if theme in chosen else Qt.CheckState.Unchecked
            )
            self.themes.addItem(item)
        self.form.addRow(Field("&Themes (tick with Space)", self.themes))
        self.made_on = self.optional("&Made on", DateField("Made on", optional=True))
        self.scope.currentIndexChanged.connect(self._national)
        if current is not None:
            self.text.setPlainText(current.text)
            self.level.setCurrentIndex(max(self.level.findData(current.level), 0))
            self.scope.setCurrentIndex(max(self.scope.findData(current.scope), 0))
            self.follow_up.setText(current.follow_up_with)
            self.lead.setCurrentIndex(max(self.lead.findData(current.lead_agency), 0))
            self.made_on.set_value(current.made_on)
        self._national()
        self.finish()

    def _national(self) -> None:
        self.follow_up.setEnabled(self.scope.currentData() == "national")

    def details(self) -> RecommendationDetails:
        themes = tuple(
            self.themes.item(i).text()
            for i in range(self.themes.count())
            if self.themes.item(i).checkState() == Qt.CheckState.Checked
        )
        return RecommendationDetails(
            text=self.text.toPlainText(),
            level=str(self.level.currentData()),
            scope=str(self.scope.currentData()),
            themes=themes,
            lead_agency=str(self.lead.currentData() or "") or None,
            follow_up_with=self.follow_up.text().strip() or None,
            made_on=self.made_on.value(),
        )


class ActionDialog(ReasonDialog):
    """Add an action to a recommendation, or edit one (``current`` given). The owner is one of
    the agency's contacts, or someone typed by name and email; an owner who has left is said,
    so the action can be given to someone else. Moving a target date already set asks why."""

    def __init__(
        self,
        agencies: Sequence[str],
        contacts_of: Callable[[str], Sequence[ContactEntry]],
        current: ActionEntry | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Edit action {current.number}" if current else "Add an action", parent)
        self.setMinimumWidth(520)
        self._contacts_of = contacts_of
        self._current = current
        if current is not None and current.owner_left:
            self.note(f"{current.owner} has left {current.agency}: choose who owns the action now.")
        self.agency = self.required(
            "&Agency", choice("Agency", [(a, a) for a in agencies]), "the agency"
        )
        self.owner = self.optional("&Owner", choice("Owner", []))
        self.owner_name = self.optional("Owner's &name", text_line("Owner's name"))
        self.owner_email = self.optional("Owner's &email", text_line("Owner's email"))
        self.description = self.required(
            "Action to ta&ke", text_box("Action to take"), "what is to be done"
        )
        self.target = self.optional(
            "&Target date", DateField("Target date", optional=True, future_allowed=True)
        )
        self.reason = self.optional(
            "&Why the target date moves", text_line("Why the target date moves")
        )
        if current is not None:
            self.agency.setCurrentIndex(self.agency.findData(current.agency))
            self.description.setPlainText(current.description)
            self.target.set_value(current.target_date)
        else:
            self.agency.setCurrentIndex(-1)
        self.agency.currentIndexChanged.connect(self._fill_owners)
        self.owner.currentIndexChanged.connect(self._someone_else)
        self.target.changed.connect(self._moved)
        self._fill_owners()
        self._moved()
        self.finish()

    def _fill_owners(self) -> None:
        """The agency's contacts; the current owner selected (one who has left shown as such,
        so OK keeps them until someone else is chosen)."""
        self.owner.blockSignals(True)
        self.owner.clear()
        agency = str(self.agency.currentData() or "")
        current = self._current if self._current and self._current.agency == agency else None
        self.owner.addItem("(no owner named yet)", NO_OWNER)
        for contact in self._contacts_of(agency) if agency else []:
            self.owner.addItem(f"{contact.name} ({contact.role or 'no role given'})", contact.id)
        if current is not None and current.owner_left:
            self.owner.addItem(f"{current.owner} (has left)", current.owner_contact_id)
        self.owner.addItem("Someone not in the directory (type below)", SOMEONE_ELSE)
        chosen = 0
        if current is not None and current.owner_contact_id is not None:
            chosen = max(self.owner.findData(current.owner_contact_id), 0)
        elif current is not None and current.owner:
            chosen = self.owner.count() - 1
            self.owner_name.setText(current.owner)
            self.owner_email.setText(current.owner_email)
        self.owner.setCurrentIndex(chosen)
        self.owner.blockSignals(False)
        self._someone_else()

    def _someone_else(self) -> None:
        typed = self.owner.currentData() == SOMEONE_ELSE
        self.owner_name.setEnabled(typed)
        self.owner_email.setEnabled(typed)

    def _moved(self) -> None:
        was = self._current.target_date if self._current else None
        self.reason.setEnabled(was is not None and self.target.value() != was)

    def details(self) -> ActionDetails:
        owner = self.owner.currentData()
        typed = owner == SOMEONE_ELSE
        return ActionDetails(
            agency=str(self.agency.currentData() or self.agency.currentText()),
            description=self.description.toPlainText(),
            target_date=self.target.value(),
            owner_contact_id=None if owner in (SOMEONE_ELSE, NO_OWNER, None) else int(owner),
            owner_name=self.owner_name.text() if typed else None,
            owner_email=self.owner_email.text() if typed else None,
        )


class ProgressDialog(ReasonDialog):
    """Progress on an action: the status, when, a note for the evidence; the outcome when it is
    complete, the reason when it is closed without being completed."""

    def __init__(self, action: ActionEntry, parent: QWidget | None = None) -> None:
        super().__init__(f"Progress on action {action.number}", parent)
        self.setMinimumWidth(480)
        self.note(action.description)
        self.status = self.optional("&Status", choice("Status", list(_pairs(STATUS_WORDS))))
        self.status.setCurrentIndex(max(self.status.findData(action.status), 0))
        self.on = self.required("&On", DateField("Progress date"), "the date")
        self.progress_note = self.optional(
            "&Note for the evidence", text_box("Note for the evidence", "What was done, by whom")
        )
        self.outcome = self.optional(
            "O&utcome (when complete)", text_box("Outcome", "What changed as a result")
        )
        self.closure = self.optional(
            "&Reason (when closed, not completed)", text_box("Reason it closed")
        )
        self.status.currentIndexChanged.connect(self._fields)
        self._fields()
        self.finish()

    def _fields(self) -> None:
        status = self.status.currentData()
        self.outcome.setEnabled(status == "complete")
        self.closure.setEnabled(status == "closed_by_csp")

    def progress(self) -> Progress:
        return Progress(
            status=str(self.status.currentData()),
            on=self.on.value() or dt.date.today(),
            note=self.progress_note.toPlainText(),
            outcome=self.outcome.toPlainText(),
            closure_reason=self.closure.toPlainText(),
        )


NEW_MILESTONE = -1


class MilestoneDialog(ReasonDialog):
    """Add a key milestone, or record one achieved."""

    def __init__(self, action: ActionEntry, parent: QWidget | None = None) -> None:
        super().__init__(f"Key milestones of action {action.number}", parent)
        for milestone in action.milestones:
            when = f" (due {milestone.due_on:%d/%m/%Y})" if milestone.due_on else ""
            done = f": achieved {milestone.achieved_on:%d/%m/%Y}" if milestone.achieved_on else ""
            self.note(f"• {milestone.description}{when}{done}")
        options = [("Add a new milestone", NEW_MILESTONE)] + [
            (f"Achieved: {m.description}", m.milestone_id)
            for m in action.milestones
            if m.achieved_on is None
        ]
        self.what = self.optional("&What", choice("What to record", []))
        for label, value in options:
            self.what.addItem(label, value)
        self.description = self.optional("&Milestone", text_line("Milestone"))
        self.due = self.optional(
            "&Due", DateField("Milestone due", optional=True, future_allowed=True)
        )
        self.achieved = self.optional("&Achieved on", DateField("Achieved on"))
        self.what.currentIndexChanged.connect(self._fields)
        self._fields()
        self.finish()

    def adding(self) -> bool:
        return self.what.currentData() == NEW_MILESTONE

    def _fields(self) -> None:
        self.description.setEnabled(self.adding())
        self.due.setEnabled(self.adding())
        self.achieved.setEnabled(not self.adding())


RATINGS = [
    ("Worked out from the dates", ""),
    ("Red", "red"),
    ("Amber", "amber"),
    ("Green", "green"),
]


class RatingDialog(ReasonDialog):
    """Set an action's RAG rating by hand, with the reason, or go back to the worked-out one."""

    def __init__(self, action: ActionEntry, parent: QWidget | None = None) -> None:
        super().__init__(f"RAG rating of action {action.number}", parent)
        self.note(f"Now: {action.rag_words}.")
        self.rating = self.optional("&Rating", choice("RAG rating", RATINGS))
        self.why = self.optional("&Why", text_box("Why the rating is set by hand"))
        self.rating.currentIndexChanged.connect(
            lambda _=0: self.why.setEnabled(bool(self.rating.currentData()))
        )
        self.why.setEnabled(False)
        self.finish()


class SignOffDialog(ReasonDialog):
    def __init__(self, action: ActionEntry, parent: QWidget | None = None) -> None:
        super().__init__(f"Sign off action {action.number}", parent)
        self.note(f"{action.status_words}: {action.outcome or action.description}")
        self.by = self.required("Signed off &by", text_line("Signed off by"), "who signed it off")
        self.on = self.required("&On", DateField("Signed off on"), "the date")
        self.finish()


class BulkUpdateDialog(ReasonDialog):
    """One change to the actions chosen in the tracker: a new status or a new target date,
    with the reason recorded on each (and, for complete, the outcome)."""

    def __init__(self, chosen: Sequence[TrackedAction], parent: QWidget | None = None) -> None:
        super().__init__(f"Update {len(chosen)} action(s)", parent)
        self.setMinimumWidth(520)
        shown = ", ".join(f"{a.reference} {a.number}" for a in chosen[:8])
        more = f" and {len(chosen) - 8} more" if len(chosen) > 8 else ""
        self.note(f"<b>Chosen:</b> {shown}{more}.")
        self.what = self.optional("&Change", choice("What to change", [
            ("The status", "status"), ("The target date", "target_date")]))  # fmt: skip
        self.status = self.optional("&Status", choice("New status", list(_pairs(STATUS_WORDS))))
        self.target = self.optional(
            "&Target date", DateField("New target date", future_allowed=True)
        )
        self.on = self.optional("&Recorded as on", DateField("Date of the update"))
        self.outcome = self.optional(
            "O&utcome (when complete)", text_box("Outcome", "What changed as a result")
        )
        self.why = self.required(
            "&Why", text_box("Why these actions change", "Recorded on each action and audited"),
            "why these actions change",
        )  # fmt: skip
        self.why.setFixedHeight(70)
        self.what.currentIndexChanged.connect(self._fields)
        self.status.currentIndexChanged.connect(self._fields)
        self._fields()
        self.finish()

    def _fields(self) -> None:
        by_status = self.what.currentData() == "status"
        self.status.setEnabled(by_status)
        self.on.setEnabled(by_status)
        self.target.setEnabled(not by_status)
        self.outcome.setEnabled(by_status and self.status.currentData() == "complete")

    def change(self) -> BulkChange:
        reason, on = self.why.toPlainText().strip(), self.on.value() or dt.date.today()
        if self.what.currentData() == "status":
            return BulkChange(reason=reason, on=on, status=str(self.status.currentData()),
                              outcome=self.outcome.toPlainText().strip())  # fmt: skip
        return BulkChange(reason=reason, on=on, target_date=self.target.value())


def _pairs(words: dict[str, str]) -> list[tuple[str, str]]:
    return [(label, value) for value, label in words.items()]
