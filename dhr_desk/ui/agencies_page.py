"""Agencies and people: the directory of agencies (with the Norfolk starter list on request),
each agency's contacts, and its outstanding information requests and open actions across all
reviews."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.form_fields import attempt, fill_table, read_only_table, text_box, text_line
from dhr_desk.ui.record_forms import ReasonDialog, choice
from dhr_desk.ui.register_page import show_date
from dhr_desk.workflows.agency_directory import AgencyPage, ContactEntry
from dhr_desk.workflows.desk import Desk
from dhr_desk.workflows.partnership import DISTRICTS

AGENCY_KINDS = (
    ("Police", "police"), ("District council", "district_council"),
    ("County council", "county_council"), ("Health", "health"),
    ("Mental health", "mental_health"), ("Ambulance", "ambulance"),
    ("Probation", "probation"), ("Prison", "prison"), ("Housing", "housing"),
    ("Education", "education"), ("Fire", "fire"),
    ("Specialist domestic abuse service", "specialist_domestic_abuse"),
    ("Voluntary sector", "voluntary"), ("Government", "government"), ("Other", "other"),
)  # fmt: skip


class AgencyDialog(ReasonDialog):
    """Add an agency, or edit one (``page`` given): name, kind, district, ASB relevant body."""

    def __init__(self, page: AgencyPage | None = None, parent: QWidget | None = None) -> None:
        super().__init__(f"Edit {page.name}" if page else "Add an agency", parent)
        self.name = self.required("&Name", text_line("Agency name"), "the agency's name")
        self.kind = self.optional("&Kind", choice("Kind of agency", AGENCY_KINDS))
        districts = [("(county-wide)", "")] + [(d, d) for d in DISTRICTS]
        self.district = self.optional("&District", choice("District", districts))
        self.relevant_body = QCheckBox("A &relevant body for ASB Case Reviews")
        self.relevant_body.setAccessibleName("A relevant body for ASB Case Reviews")
        self.form.addRow(self.relevant_body)
        if page is not None:
            self.name.setText(page.name)
            self.kind.setCurrentIndex(max(self.kind.findData(page.kind), 0))
            self.district.setCurrentIndex(max(self.district.findData(page.district), 0))
            self.relevant_body.setChecked(page.asb_relevant_body)
            self.note("Requests, panel places and actions follow the agency if it is renamed.")
        self.finish()

    def details(self) -> dict[str, object]:
        return {
            "kind": str(self.kind.currentData()),
            "district": str(self.district.currentData() or "") or None,
            "asb_relevant_body": self.relevant_body.isChecked(),
        }


class ContactDialog(ReasonDialog):
    """Add a contact at an agency, or edit one (``contact`` given)."""

    def __init__(
        self, agency: str, contact: ContactEntry | None = None, parent: QWidget | None = None
    ) -> None:
        title = f"Edit {contact.name} ({agency})" if contact else f"Add a contact at {agency}"
        super().__init__(title, parent)
        self.name = self.required("&Name", text_line("Contact name"), "the contact's name")
        self.role = self.optional("&Role", text_line("Role", "e.g. Safeguarding lead"))
        self.email = self.optional("&Email", text_line("Email"))
        self.phone = self.optional("&Phone", text_line("Phone"))
        self.lead = QCheckBox("The agency's &lead (chased at the first escalation)")
        self.board = QCheckBox("The agency's &board representative (chased at the second)")
        for box in (self.lead, self.board):
            box.setAccessibleName(box.text().replace("&", ""))
            self.form.addRow(box)
        if contact is not None:
            self.name.setText(contact.name)
            self.role.setText(contact.role)
            self.email.setText(contact.email)
            self.phone.setText(contact.phone)
            self.lead.setChecked(contact.agency_lead)
            self.board.setChecked(contact.board_representative)
        self.finish()

    def details(self) -> dict[str, object]:
        return {
            "name": self.name.text(),
            "role": self.role.text(),
            "email": self.email.text(),
            "phone": self.phone.text(),
            "agency_lead": self.lead.isChecked(),
            "board_representative": self.board.isChecked(),
        }


class RetireDialog(ReasonDialog):
    def __init__(self, what: str, example: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Retire {what}", parent)
        self.note(
            f"{what} stays on every record that names it, but is no longer offered or listed."
        )
        self.why = self.required("&Why", text_box("Why", example), "why")
        self.finish()


class ReassignDialog(ReasonDialog):
    """Who owns a leaver's open actions now: OK reassigns them all; Cancel leaves them showing
    "has left" in the tracker and the action plans until someone is chosen."""

    def __init__(
        self, leaver: str, owned: int, others: list[ContactEntry], parent: QWidget | None = None
    ) -> None:
        super().__init__("Reassign the open actions", parent)
        self.setMinimumWidth(440)
        self.note(
            f"{leaver} owns {owned} open action(s). Choose who owns them now; until then they "
            "show as owned by someone who has left, and chasing them needs a person."
        )
        named = [(f"{c.name} ({c.role})" if c.role else c.name, str(c.id)) for c in others]
        self.to = self.optional("&New owner", choice("New owner", named))
        self.buttons.button(self.buttons.StandardButton.Ok).setText("&Reassign")
        self.buttons.button(self.buttons.StandardButton.Cancel).setText("&Later")
        self.finish()


class AgenciesPage(QWidget):
    """``open_review`` asks the window to open a review listed under an agency."""

    open_review = Signal(str)
    show_actions = Signal(str)  # an agency's name: its actions in the tracker

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(QLabel("<h1>Agencies and people</h1>"))
        top = QHBoxLayout()
        self.starter = QPushButton("Add the Norfolk &starter list")
        self.starter.clicked.connect(self.add_starter_list)
        add = QPushButton("Add an a&gency…")
        add.clicked.connect(self.add_agency)
        self.edit_button = QPushButton("Ed&it agency…")
        self.edit_button.clicked.connect(self.edit_agency)
        self.retire_button = QPushButton("Re&tire agency…")
        self.retire_button.clicked.connect(self.retire_or_reinstate)
        for button in (self.starter, add):
            top.addWidget(button)
        self.said = QLabel()
        self.said.setAccessibleName("What was done")
        self.said.setWordWrap(True)
        top.addWidget(self.said)
        top.addStretch(1)
        layout.addLayout(top)
        body = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName("Agencies")
        self.list.setMinimumWidth(140)
        self.list.setMaximumWidth(300)
        self.list.currentItemChanged.connect(
            lambda item, _old: self.show_agency(self._name_of(item))
        )
        body.addWidget(self.list)
        detail = QVBoxLayout()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        detail.addWidget(self.heading)
        agency_row = QHBoxLayout()
        agency_row.addWidget(self.edit_button)
        agency_row.addWidget(self.retire_button)
        agency_row.addStretch(1)
        detail.addLayout(agency_row)
        detail.addWidget(QLabel("<b>Contacts</b>"))
        contacts_row = QHBoxLayout()
        self.add_contact_button = QPushButton("Add &contact…")
        self.add_contact_button.setAccessibleName("Add a contact")
        self.add_contact_button.clicked.connect(self.add_contact)
        self.edit_contact_button = QPushButton("Edit c&ontact…")
        self.edit_contact_button.setAccessibleName("Edit the selected contact")
        self.edit_contact_button.clicked.connect(self.edit_contact)
        self.retire_contact_button = QPushButton("&Left…")
        self.retire_contact_button.setAccessibleName("The selected contact has left: retire them")
        self.retire_contact_button.setToolTip("The selected contact has left: retire them")
        self.retire_contact_button.clicked.connect(self.retire_contact)
        for button in (
            self.add_contact_button, self.edit_contact_button, self.retire_contact_button
        ):  # fmt: skip
            contacts_row.addWidget(button)
        contacts_row.addStretch(1)
        detail.addLayout(contacts_row)
        self.contacts = read_only_table(
            "Contacts", ["Name", "Role", "Email", "Phone", "Escalation"]
        )
        self.contacts.itemSelectionChanged.connect(self._enable)
        detail.addWidget(self.contacts)
        detail.addWidget(QLabel("<b>Outstanding information requests</b>"))
        self.requests = read_only_table(
            "Outstanding information requests", ["Review", "Requested", "Due", "What"]
        )
        detail.addWidget(self.requests)
        actions_row = QHBoxLayout()
        self.actions_heading = QLabel("<b>Actions</b>")
        actions_row.addWidget(self.actions_heading)
        actions_row.addStretch(1)
        self.tracker_button = QPushButton("In the action trac&ker")
        self.tracker_button.setAccessibleName(
            "Show every action of this agency in the action tracker, to filter, update or export"
        )
        self.tracker_button.clicked.connect(
            lambda: self.show_actions.emit(self.page.name) if self.page else None
        )
        actions_row.addWidget(self.tracker_button)
        detail.addLayout(actions_row)
        self.actions = read_only_table(
            "Actions", ["Review", "Action", "Target date", "Status", "Description"]
        )
        detail.addWidget(self.actions)
        for table in (self.requests, self.actions):
            table.itemActivated.connect(
                lambda item, t=table: self.open_review.emit(t.item(item.row(), 0).text())
            )
        body.addLayout(detail, 1)
        layout.addLayout(body, 1)
        self.page: AgencyPage | None = None
        self._read = False  # the directory is read when the page is first shown

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        if not self._read:
            self.refresh()
        super().showEvent(event)

    @staticmethod
    def _name_of(item: QListWidgetItem | None) -> str:
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def _selected_contact(self) -> ContactEntry | None:
        rows = self.contacts.selectionModel().selectedRows()
        if self.page is None or not rows:
            return None
        return self.page.contacts[rows[0].row()]

    def _enable(self) -> None:
        page = self.page
        self.edit_button.setEnabled(page is not None)
        self.tracker_button.setEnabled(bool(page and page.actions))
        self.retire_button.setEnabled(page is not None)
        self.retire_button.setText("Rein&state agency" if page and not page.active
                                   else "Re&tire agency…")  # fmt: skip
        self.add_contact_button.setEnabled(page is not None and page.active)
        contact = self._selected_contact()
        self.edit_contact_button.setEnabled(contact is not None)
        self.retire_contact_button.setEnabled(contact is not None)

    def refresh(self, select: str | None = None) -> None:
        self._read = True
        entries = attempt(self, "Agencies not loaded", self.desk.directory) or []
        current = select or self._name_of(self.list.currentItem()) or None
        self.list.blockSignals(True)
        self.list.clear()
        for entry in entries:
            item = QListWidgetItem(entry.name if entry.active else f"{entry.name} (retired)")
            item.setData(Qt.ItemDataRole.UserRole, entry.name)
            item.setToolTip(item.text())  # long names are cut at the list's edge
            if not entry.active:
                item.setForeground(QColor("#5f6b7a"))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.starter.setVisible(True)
        if not entries:
            self.page = None
            self.heading.setText(
                "No agencies recorded yet. Add the Norfolk starter list (police, county and "
                "district councils, NHS trusts and the ICB, probation, ambulance, domestic abuse "
                "and substance misuse services), or add agencies one by one."
            )
            self._enable()
            return
        names = [entry.name for entry in entries]
        row = names.index(current) if current in names else 0
        self.list.blockSignals(True)  # shown once, below, not again by the selection signal
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self.show_agency(names[row])

    def show_agency(self, name: str) -> None:
        if not name:
            return
        page = attempt(self, "Agency not loaded", lambda: self.desk.agency(name))
        if page is None:
            return
        self.page = page
        where = f", {page.district}" if page.district else ""
        relevant = "; a relevant body for ASB Case Reviews" if page.asb_relevant_body else ""
        retired = (
            "<br><b>Retired</b>: no longer offered for new requests, panel places or actions."
            if not page.active
            else ""
        )
        self.heading.setText(
            f"<h2>{escape(page.name)}</h2>{page.kind.replace('_', ' ').capitalize()}{where}"
            f"{relevant}{retired}"
        )
        fill_table(
            self.contacts,
            [(c.name, c.role, c.email, c.phone, escalation(c)) for c in page.contacts],
        )
        fill_table(
            self.requests,
            [
                (r.reference, show_date(r.requested_on), show_date(r.due_on), r.what)
                for r in page.open_requests
            ],
        )
        fill_table(
            self.actions,
            [
                (a.reference, a.number, show_date(a.target_date), a.status_words, a.description)
                for a in page.actions
            ],
        )
        still_open = sum(1 for a in page.actions if a.open)
        self.actions_heading.setText(
            f"<b>Actions</b>: {still_open} open of {len(page.actions)}" if page.actions
            else "<b>Actions</b>: none"
        )  # fmt: skip
        self._enable()

    def add_starter_list(self) -> None:
        added = attempt(self, "Starter list not added", self.desk.add_starter_agencies)
        if added is not None:
            self.refresh()
            self.said.setText(f"Added {len(added)} agencies." if added else
                              "Every agency of the starter list is already here.")  # fmt: skip

    def _saved(self, title: str, change: Callable[[], object], select: str | None) -> bool:
        """Save; if someone else changed the record meanwhile, say so and show theirs."""

        def conflict(heading: str, message: str) -> None:
            QMessageBox.warning(self, heading, message)
            self.refresh(select=select)

        done = attempt(self, title, lambda: change() or True, conflict=conflict)
        if done:
            self.refresh(select=select)
        return bool(done)

    def add_agency(self) -> None:
        dialog = AgencyDialog(parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name = dialog.name.text().strip()
        details = dialog.details()
        self._saved("Agency not added", lambda: self.desk.add_agency(name=name, **details), name)

    def edit_agency(self) -> None:
        page = self.page
        if page is None:
            return
        dialog = AgencyDialog(page, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        new_name = dialog.name.text().strip()
        details = dialog.details()
        if not self._saved(
            "Agency not changed",
            lambda: self.desk.update_agency(
                page.name, seen_version=page.version, new_name=new_name, **details
            ),
            new_name,
        ):
            self.refresh(select=page.name)

    def retire_or_reinstate(self) -> None:
        page = self.page
        if page is None:
            return
        if not page.active:
            self._saved(
                "Agency not reinstated",
                lambda: self.desk.set_agency_active(page.name, active=True),
                page.name,
            )
            return
        dialog = RetireDialog(page.name, "e.g. merged into another trust", self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        why = dialog.why.toPlainText()
        self._saved("Agency not retired",
                    lambda: self.desk.set_agency_active(page.name, active=False, reason=why),
                    page.name)  # fmt: skip

    def add_contact(self) -> None:
        if self.page is None:
            return
        agency = self.page.name
        dialog = ContactDialog(agency, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        details = dialog.details()
        self._saved("Contact not added", lambda: self.desk.add_contact(agency, **details), agency)

    def edit_contact(self) -> None:
        contact, page = self._selected_contact(), self.page
        if contact is None or page is None:
            return
        dialog = ContactDialog(page.name, contact, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        details = dialog.details()
        self._saved(
            "Contact not changed",
            lambda: self.desk.update_contact(contact.id, seen_version=contact.version, **details),
            page.name,
        )

    def retire_contact(self) -> None:
        contact, page = self._selected_contact(), self.page
        if contact is None or page is None:
            return
        dialog = RetireDialog(contact.name, "e.g. left the agency in March", self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        why = dialog.why.toPlainText()
        owned: list[int] = []
        if not self._saved(
            "Contact not retired",
            lambda: owned.append(self.desk.retire_contact(contact.id, reason=why)),
            page.name,
        ):
            return
        if owned and owned[0]:
            self.offer_reassignment(contact, owned[0])

    def offer_reassignment(self, leaver: ContactEntry, owned: int) -> None:
        """The reassign prompt: a leaver's open actions given to a current contact."""
        others = [c for c in self.page.contacts if c.id != leaver.id] if self.page else []
        if not others:
            QMessageBox.information(
                self, "Actions to reassign",
                f"{leaver.name} owns {owned} open action(s) and the agency has no other contact. "
                "Add the new owner as a contact, then reassign each action with Edit… in its "
                "review's Action plan (the tracker lists them as 'has left').",
            )  # fmt: skip
            return
        dialog = ReassignDialog(leaver.name, owned, others, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self.said.setText(f"{leaver.name}'s {owned} open action(s) still need a new owner.")
            return
        to = int(dialog.to.currentData())
        moved = attempt(self, "Actions not reassigned",
                        lambda: self.desk.reassign_owner(leaver.id, to))  # fmt: skip
        if moved is not None:
            self.said.setText(f"{moved} open action(s) reassigned from {leaver.name}.")


def escalation(contact: ContactEntry) -> str:
    """Where a contact stands in the chasing ladder, in words."""
    roles = [label for label, held in (("Agency lead", contact.agency_lead),
                                       ("Board representative", contact.board_representative))
             if held]  # fmt: skip
    return ", ".join(roles)
