"""The review workspace's record tabs: People (the identifier register, real identifiers masked
until revealed, each reveal audited), Panel and meetings, Agencies and information requests,
Family and community, Parallel proceedings, and the review's Audit trail.

Each tab is a read-only table with the buttons that act on its rows; a change goes through the
workspace, which saves it, reports a refusal with the dialog kept, and reloads the review."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.form_fields import attempt, fill_table, read_only_table
from dhr_desk.ui.record_forms import (
    ChairDialog,
    DayDialog,
    DeclarationDialog,
    FamilyContactDialog,
    IdentifiersDialog,
    MeetingDialog,
    MeetingHeldDialog,
    MemberDialog,
    PersonDialog,
    ProceedingDialog,
    QualityDialog,
    RequestDialog,
    ReturnDialog,
    RevealDialog,
    StandDownDialog,
    chosen,
    default_day,
    typed,
)
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.lifecycle import Lifecycle


class Workspace(Protocol):
    """What a tab needs of the workspace that holds it."""

    desk: Desk
    reference: str

    def lifecycle(self) -> Lifecycle: ...

    def until_done(self, dialog: QDialog, title: str, change: Callable[[], object]) -> None: ...

    def refresh(self) -> None: ...


class RecordTable(QWidget):
    """A read-only table of records with buttons above it; buttons that act on one record
    are enabled only while a row is selected."""

    def __init__(self, name: str, headings: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QHBoxLayout()
        layout.addLayout(self.bar)
        self.table = read_only_table(name, headings)
        layout.addWidget(self.table, 1)
        self.empty = QLabel("")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.records: list[Any] = []
        self.for_one: list[tuple[QPushButton, Callable[[Any], bool]]] = []
        self.table.itemSelectionChanged.connect(self._enable)

    def button(
        self,
        text: str,
        slot: Callable[[], None],
        *,
        for_one: Callable[[Any], bool] | None = None,
    ) -> QPushButton:
        """A button; with ``for_one`` it acts on the selected record and is enabled only when
        one is selected for which ``for_one`` holds."""
        button = QPushButton(text)
        button.clicked.connect(slot)
        self.bar.addWidget(button)
        if for_one is not None:
            self.for_one.append((button, for_one))
            button.setEnabled(False)
        return button

    def finish_bar(self) -> None:
        self.bar.addStretch(1)

    def show_records(
        self, records: Sequence[Any], rows: Sequence[Sequence[str]], empty: str
    ) -> None:
        self.records = list(records)
        fill_table(self.table, rows)
        self.empty.setText("" if records else empty)
        self.empty.setVisible(not records)
        self._enable()

    def selected(self) -> Any | None:
        row = self.table.currentRow()
        chosen_rows = self.table.selectionModel().selectedRows()
        if not chosen_rows or not 0 <= row < len(self.records):
            return None
        return self.records[row]

    def _enable(self) -> None:
        record = self.selected()
        for button, fits in self.for_one:
            button.setEnabled(record is not None and fits(record))


class RecordsTab(QWidget):
    """One workspace tab: loaded when first shown and after each change (``stale``)."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.stale = True

    @property
    def desk(self) -> Desk:
        return self.workspace.desk

    @property
    def reference(self) -> str:
        return self.workspace.reference

    def load(self) -> None:
        raise NotImplementedError


class PeopleTab(RecordsTab):
    """The identifier register: real identifiers masked until revealed; each reveal audited."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        layout = QVBoxLayout(self)
        note = QLabel(
            "Real names, dates of birth and addresses are hidden. Show them only when you "
            "need to; each time is recorded in the audit log."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.records = RecordTable(
            "Identifier register",
            [
                "Role",
                "Described as",
                "Pseudonym",
                "Agreed with family",
                "Real name",
                "Date of birth",
                "Address",
            ],
        )
        self.records.button("&Add a person…", self.add)
        self.records.button("Show real &identifiers…", self.reveal, for_one=lambda _p: True)
        self.records.button("Edit the perso&n…", self.edit, for_one=lambda _p: True)
        self.records.finish_bar()
        layout.addWidget(self.records, 1)

    def load(self) -> None:
        found = attempt(self, "People not loaded", lambda: self.desk.people(self.reference))
        entries = found or []
        self.records.show_records(
            entries,
            [
                (
                    p.role,
                    p.described_as,
                    p.pseudonym,
                    "Yes" if p.pseudonym_agreed else "No",
                    p.real_name,
                    p.date_of_birth,
                    p.address,
                )
                for p in entries
            ],
            "No one is in the register yet. Add the victim, the perpetrator and the others "
            "named in the review, each with a pseudonym.",
        )
        self.stale = False

    def add(self) -> None:
        dialog = PersonDialog(parent=self)
        self.workspace.until_done(
            dialog,
            "Person not added",
            lambda: self.desk.add_person(self.reference, dialog.details()),
        )

    def _reveal(self, why: str) -> Any:
        person = self.records.selected()
        if person is None:
            return None
        return attempt(
            self,
            "Identifiers not shown",
            lambda: self.desk.reveal_person(self.reference, person.person_id, why=why),
        )

    def reveal(self) -> None:
        person = self.records.selected()
        if person is None:
            return
        ask = RevealDialog(f"{person.role.lower()} {person.pseudonym}", self)
        if ask.exec() != QDialog.DialogCode.Accepted:
            return
        revealed = self._reveal(ask.reason.toPlainText())
        if revealed is not None:
            IdentifiersDialog(revealed.details, self).exec()
        self.workspace.refresh()  # the reveal is in the audit trail now

    def edit(self) -> None:
        person = self.records.selected()
        if person is None:
            return
        ask = RevealDialog(f"{person.role.lower()} {person.pseudonym} (to edit them)", self)
        if ask.exec() != QDialog.DialogCode.Accepted:
            return
        revealed = self._reveal(ask.reason.toPlainText())
        if revealed is None:
            return
        dialog = PersonDialog(revealed.details, self)
        self.workspace.until_done(
            dialog,
            "Person not saved",
            lambda: self.desk.update_person(
                self.reference,
                revealed.person_id,
                seen_version=revealed.version,
                details=dialog.details(),
            ),
        )


class PanelTab(RecordsTab):
    """The panel (chair first; declarations of no involvement) and the review's meetings."""

    def __init__(self, workspace: Workspace, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        layout = QVBoxLayout(self)
        panel_box = QGroupBox("Panel")
        QVBoxLayout(panel_box)
        self.members = RecordTable(
            "Panel members", ["Name", "Role", "Agency", "Job title", "Declaration", "On the panel"]
        )
        if kind == "dhr":
            self.members.button("&Appoint the chair…", self.appoint_chair)
        self.members.button("Add a mem&ber…", self.add_member)
        self.members.button("Declaratio&n…", self.declare, for_one=lambda m: m.current)
        self.members.button("Stand do&wn…", self.stand_down, for_one=lambda m: m.current)
        self.members.finish_bar()
        panel_box.layout().addWidget(self.members)
        layout.addWidget(panel_box, 1)
        meetings_box = QGroupBox("Meetings")
        QVBoxLayout(meetings_box)
        self.meetings = RecordTable("Meetings", ["Date", "Kind", "Held", "Where", "Attendance"])
        self.meetings.button("Schedule a meet&ing…", self.schedule)
        self.meetings.button("Mar&k as held…", self.held, for_one=lambda m: m.open)
        self.meetings.finish_bar()
        meetings_box.layout().addWidget(self.meetings)
        layout.addWidget(meetings_box, 1)
        self.current_members: list[Any] = []

    def load(self) -> None:
        members = attempt(self, "Panel not loaded", lambda: self.desk.panel(self.reference)) or []
        self.current_members = [m for m in members if m.current]
        self.members.show_records(
            members,
            [(m.name, m.role, m.agency, m.job_title, m.declaration, m.on_panel) for m in members],
            "No one is on the panel yet.",
        )
        held = attempt(self, "Meetings not loaded", lambda: self.desk.meetings(self.reference))
        found = held or []
        self.meetings.show_records(
            found,
            [(m.scheduled_for, m.kind, m.held, m.location, m.attendance) for m in found],
            "No meetings yet.",
        )
        self.stale = False

    def appoint_chair(self) -> None:
        dialog = ChairDialog(self)
        life = self.workspace.lifecycle()
        self.workspace.until_done(
            dialog,
            "Chair not appointed",
            lambda: life.appoint_chair(
                self.reference,
                name=dialog.name.text().strip(),
                appointed_on=default_day(dialog.on),
                independence_statement=dialog.statement.toPlainText(),
                also_author=dialog.also_author.isChecked(),
            ),
        )

    def add_member(self) -> None:
        agencies = attempt(self, "Agencies not loaded", self.desk.agencies) or []
        dialog = MemberDialog(agencies, self)
        life = self.workspace.lifecycle()
        self.workspace.until_done(
            dialog,
            "Member not added",
            lambda: life.add_panel_member(
                self.reference,
                name=dialog.name.text().strip(),
                agency=chosen(dialog.agency) or None,
                job_title=typed(dialog.job_title),
                declared_no_involvement=dialog.declared.isChecked(),
                declaration=typed(dialog.declaration),
                declared_on=dialog.on.value() if dialog.declared.isChecked() else None,
            ),
        )

    def declare(self) -> None:
        member = self.members.selected()
        if member is None:
            return
        dialog = DeclarationDialog(member, self)
        life = self.workspace.lifecycle()
        self.workspace.until_done(
            dialog,
            "Declaration not recorded",
            lambda: life.record_panel_declaration(
                self.reference,
                member.member_id,
                declared_no_involvement=dialog.declared.isChecked(),
                declaration=dialog.declaration.toPlainText(),
                declared_on=default_day(dialog.on),
            ),
        )

    def stand_down(self) -> None:
        member = self.members.selected()
        if member is None:
            return
        dialog = StandDownDialog(member, self)
        life = self.workspace.lifecycle()
        self.workspace.until_done(
            dialog,
            "Not stood down",
            lambda: life.stand_down_panel_member(
                self.reference,
                member.member_id,
                on=default_day(dialog.on),
                why=dialog.why.toPlainText(),
            ),
        )

    def schedule(self) -> None:
        dialog = MeetingDialog(self)
        life = self.workspace.lifecycle()
        self.workspace.until_done(
            dialog,
            "Meeting not scheduled",
            lambda: life.schedule_meeting(
                self.reference,
                kind=chosen(dialog.kind),
                scheduled_for=default_day(dialog.on),
                location=typed(dialog.location),
            ),
        )

    def held(self) -> None:
        meeting = self.meetings.selected()
        if meeting is None:
            return
        dialog = MeetingHeldDialog(self.current_members, self)
        life = self.workspace.lifecycle()
        self.workspace.until_done(
            dialog,
            "Meeting not recorded",
            lambda: life.record_meeting_held(
                self.reference,
                meeting.meeting_id,
                held_on=default_day(dialog.on),
                attendance=dialog.attended(),
            ),
        )


class RequestsTab(RecordsTab):
    """Information asked of agencies (IMRs, chronologies, factual-accuracy checks …)."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        layout = QVBoxLayout(self)
        self.records = RecordTable(
            "Information requests", ["Agency", "What", "Requested", "Due", "Status"]
        )
        self.records.button("Request &information…", self.request)
        self.records.button("Record the retur&n…", self.returned, for_one=lambda r: not r.received)
        self.records.button(
            "&Quality check…", self.check, for_one=lambda r: r.received and not r.checked
        )
        self.records.finish_bar()
        layout.addWidget(self.records, 1)

    def load(self) -> None:
        found = attempt(self, "Requests not loaded", lambda: self.desk.requests(self.reference))
        rows = found or []
        self.records.show_records(
            rows,
            [(r.agency, r.what, r.requested_on, r.due_on, r.status) for r in rows],
            "No information has been requested yet.",
        )
        self.stale = False

    def request(self) -> None:
        agencies = attempt(self, "Agencies not loaded", self.desk.agencies) or []
        dialog = RequestDialog(agencies, self)
        life = self.workspace.lifecycle()
        self.workspace.until_done(
            dialog,
            "Not requested",
            lambda: life.issue_information_request(
                self.reference,
                agency=chosen(dialog.agency),
                kind=chosen(dialog.kind),
                requested_on=default_day(dialog.on),
                due_on=dialog.due.value(),
            ),
        )

    def returned(self) -> None:
        request = self.records.selected()
        if request is None:
            return
        dialog = ReturnDialog(self)
        life = self.workspace.lifecycle()
        self.workspace.until_done(
            dialog,
            "Return not recorded",
            lambda: life.receive_information(
                self.reference,
                request.request_id,
                received_on=default_day(dialog.on),
                nil_return=dialog.nil.isChecked(),
            ),
        )

    def check(self) -> None:
        request = self.records.selected()
        if request is None:
            return
        dialog = QualityDialog(self)
        life = self.workspace.lifecycle()
        self.workspace.until_done(
            dialog,
            "Check not recorded",
            lambda: life.quality_check_information(
                self.reference,
                request.request_id,
                checked_on=default_day(dialog.on),
                checked_by=dialog.by.text().strip(),
                outcome=chosen(dialog.outcome),
                notes=typed(dialog.notes),
            ),
        )


class FamilyTab(RecordsTab):
    """Contacts with the family, friends, employer and community, and what came of them."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        layout = QVBoxLayout(self)
        self.records = RecordTable(
            "Family and community contacts", ["Date", "Who", "How", "Summary", "Support"]
        )
        self.records.button("Log &a contact…", self.log)
        self.records.finish_bar()
        layout.addWidget(self.records, 1)

    def load(self) -> None:
        found = attempt(
            self, "Contacts not loaded", lambda: self.desk.family_contacts(self.reference)
        )
        rows = found or []
        self.records.show_records(
            rows,
            [(c.contacted_on, c.who, c.method, c.summary, c.support) for c in rows],
            "No contact with the family is logged yet. The family should be told of the review, "
            "given the Home Office leaflet and offered specialist advocacy.",
        )
        self.stale = False

    def log(self) -> None:
        dialog = FamilyContactDialog(self)
        life = self.workspace.lifecycle()
        self.workspace.until_done(
            dialog,
            "Contact not logged",
            lambda: life.log_family_contact(
                self.reference,
                contacted_on=default_day(dialog.on),
                kind=chosen(dialog.kind),
                summary=dialog.summary.toPlainText().strip(),
                leaflet_given=dialog.leaflet.isChecked(),
                advocate_offered=dialog.advocacy.isChecked(),
                advocate=typed(dialog.advocate),
                declined=dialog.declined.isChecked(),
                method=chosen(dialog.method),
            ),
        )


class ProceedingsTab(RecordsTab):
    """Trials, inquests and other reviews running alongside; publication waits for them."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        layout = QVBoxLayout(self)
        self.records = RecordTable(
            "Parallel proceedings",
            ["Kind", "Lead body", "Where it stands", "Next date", "Publication waits for it"],
        )
        self.records.button("Log &a proceeding…", self.log)
        self.records.button(
            "Record it co&ncluded…", self.conclude, for_one=lambda p: not p.concluded
        )
        self.records.finish_bar()
        layout.addWidget(self.records, 1)

    def load(self) -> None:
        found = attempt(
            self, "Proceedings not loaded", lambda: self.desk.proceedings(self.reference)
        )
        rows = found or []
        self.records.show_records(
            rows,
            [(p.kind, p.lead_body, p.status, p.next_date, p.blocks_publication) for p in rows],
            "No parallel proceedings are logged.",
        )
        self.stale = False

    def log(self) -> None:
        dialog = ProceedingDialog(self)
        life = self.workspace.lifecycle()
        self.workspace.until_done(
            dialog,
            "Proceeding not logged",
            lambda: life.log_proceeding(
                self.reference,
                kind=chosen(dialog.kind),
                status=dialog.status.text().strip(),
                next_date=dialog.next_date.value(),
                blocks_publication=dialog.blocks.isChecked(),
            ),
        )

    def conclude(self) -> None:
        proceeding = self.records.selected()
        if proceeding is None:
            return
        dialog = DayDialog(f"{proceeding.kind} concluded", "&Concluded on", self)
        life = self.workspace.lifecycle()
        self.workspace.until_done(
            dialog,
            "Not recorded",
            lambda: life.conclude_proceeding(
                self.reference, proceeding.proceeding_id, on=default_day(dialog.on)
            ),
        )


class AuditTab(RecordsTab):
    """Every audited change to the review and every reveal of identifiers, newest first."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        layout = QVBoxLayout(self)
        self.records = RecordTable("Audit trail", ["When", "Who", "What", "Detail"])
        self.records.finish_bar()
        layout.addWidget(self.records, 1)

    def load(self) -> None:
        found = attempt(self, "Audit not loaded", lambda: self.desk.audit_trail(self.reference))
        rows = found or []
        self.records.show_records(
            rows, [(e.at, e.actor, e.action, e.detail) for e in rows], "Nothing audited yet."
        )
        self.stale = False
