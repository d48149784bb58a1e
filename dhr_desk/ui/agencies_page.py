"""Agencies and people: the directory of agencies (with the Norfolk starter list on request),
each agency's contacts, and its outstanding information requests and open actions across all
reviews."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.form_fields import (
    attempt,
    fill_table,
    ok_when_named,
    read_only_table,
    text_line,
)
from dhr_desk.ui.register_page import show_date
from dhr_desk.workflows.agency_directory import AgencyPage
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


class AgencyDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an agency")
        form = QFormLayout(self)
        self.name = text_line("Agency name")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of agency")
        for label, value in AGENCY_KINDS:
            self.kind.addItem(label, value)
        self.district = QComboBox()
        self.district.setAccessibleName("District")
        self.district.addItem("(county-wide)", "")
        for district in DISTRICTS:
            self.district.addItem(district, district)
        form.addRow("&Name", self.name)
        form.addRow("&Kind", self.kind)
        form.addRow("&District", self.district)
        ok_when_named(self, form, self.name)


class ContactDialog(QDialog):
    def __init__(self, agency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Add a contact at {agency}")
        form = QFormLayout(self)
        self.name = text_line("Contact name")
        self.role = text_line("Role", "e.g. Safeguarding lead")
        self.email = text_line("Email")
        self.phone = text_line("Phone")
        form.addRow("&Name", self.name)
        form.addRow("&Role", self.role)
        form.addRow("&Email", self.email)
        form.addRow("&Phone", self.phone)
        ok_when_named(self, form, self.name)


class AgenciesPage(QWidget):
    """``open_review`` asks the window to open a review listed under an agency."""

    open_review = Signal(str)

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
        top.addWidget(self.starter)
        top.addWidget(add)
        top.addStretch(1)
        layout.addLayout(top)
        body = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName("Agencies")
        self.list.setMinimumWidth(160)
        self.list.setMaximumWidth(300)
        self.list.currentTextChanged.connect(self.show_agency)
        body.addWidget(self.list)
        detail = QVBoxLayout()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        detail.addWidget(self.heading)
        contacts_row = QHBoxLayout()
        contacts_row.addWidget(QLabel("<b>Contacts</b>"))
        contacts_row.addStretch(1)
        self.add_contact_button = QPushButton("Add a &contact…")
        self.add_contact_button.clicked.connect(self.add_contact)
        contacts_row.addWidget(self.add_contact_button)
        detail.addLayout(contacts_row)
        self.contacts = read_only_table("Contacts", ["Name", "Role", "Email", "Phone"])
        detail.addWidget(self.contacts)
        detail.addWidget(QLabel("<b>Outstanding information requests</b>"))
        self.requests = read_only_table(
            "Outstanding information requests", ["Review", "Requested", "Due", "What"]
        )
        detail.addWidget(self.requests)
        detail.addWidget(QLabel("<b>Open actions</b>"))
        self.actions = read_only_table(
            "Open actions", ["Review", "Action", "Target date", "Description"]
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

    def refresh(self, select: str | None = None) -> None:
        self._read = True
        names = attempt(self, "Agencies not loaded", self.desk.agencies) or []
        current = select or (self.list.currentItem().text() if self.list.currentItem() else None)
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems(names)
        self.list.blockSignals(False)
        self.starter.setVisible(True)
        if not names:
            self.heading.setText(
                "No agencies recorded yet. Add the Norfolk starter list (police, county and "
                "district councils, NHS trusts and the ICB, probation, ambulance, domestic abuse "
                "and substance misuse services), or add agencies one by one."
            )
            self.add_contact_button.setEnabled(False)
            return
        matches = self.list.findItems(current or names[0], Qt.MatchFlag.MatchExactly)
        self.list.blockSignals(True)  # shown once, below, not again by the selection signal
        self.list.setCurrentItem(matches[0] if matches else self.list.item(0))
        self.list.blockSignals(False)
        self.show_agency(self.list.currentItem().text())

    def show_agency(self, name: str) -> None:
        if not name:
            return
        page = attempt(self, "Agency not loaded", lambda: self.desk.agency(name))
        if page is None:
            return
        self.page = page
        where = f", {page.district}" if page.district else ""
        relevant = "; a relevant body for ASB Case Reviews" if page.asb_relevant_body else ""
        self.heading.setText(
            f"<h2>{page.name}</h2>{page.kind.replace('_', ' ').capitalize()}{where}{relevant}"
        )
        self.add_contact_button.setEnabled(True)
        fill_table(self.contacts, [(c.name, c.role, c.email, c.phone) for c in page.contacts])
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
                (a.reference, a.number, show_date(a.target_date), a.description)
                for a in page.open_actions
            ],
        )

    def add_starter_list(self) -> None:
        added = attempt(self, "Starter list not added", self.desk.add_starter_agencies)
        if added is not None:
            self.heading.setText(f"Added {len(added)} agencies.")
            self.refresh()

    def add_agency(self) -> None:
        dialog = AgencyDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name = dialog.name.text().strip()
        done = attempt(
            self,
            "Agency not added",
            lambda: (
                self.desk.add_agency(
                    name=name,
                    kind=str(dialog.kind.currentData()),
                    district=str(dialog.district.currentData() or "") or None,
                )
                or True
            ),
        )
        if done:
            self.refresh(select=name)

    def add_contact(self) -> None:
        if self.page is None:
            return
        agency = self.page.name
        dialog = ContactDialog(agency, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        done = attempt(
            self,
            "Contact not added",
            lambda: (
                self.desk.add_contact(
                    agency,
                    name=dialog.name.text(),
                    role=dialog.role.text(),
                    email=dialog.email.text(),
                    phone=dialog.phone.text(),
                )
                or True
            ),
        )
        if done:
            self.refresh(select=agency)
