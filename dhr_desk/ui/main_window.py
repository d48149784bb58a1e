"""The main window: a sidebar of sections and a workspace, an About dialog, and window geometry
remembered per data directory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from dhr_desk.ui.about_dialog import AboutDialog
from dhr_desk.ui.background_read import BackgroundRead
from dhr_desk.ui.sections import SECTIONS

if TYPE_CHECKING:  # types only: the window appears before the database stack is imported
    from dhr_desk.security.database_key import PassphraseRequest
    from dhr_desk.ui.register_page import PreparedRows
    from dhr_desk.workflows.dashboard import Dashboard
    from dhr_desk.workflows.desk import Desk

SECTION_ROW = {section.key: row for row, section in enumerate(SECTIONS)}
DEFAULT_SIZE = (1180, 720)  # fits a 1366x768 screen with a taskbar
SIDEBAR_STYLE = """
QListWidget#sidebar { background: #1f3a5a; color: #ffffff; border: none; font-size: 11pt;
                      padding-top: 12px; outline: none; }
QListWidget#sidebar::item { padding: 9px 16px; }
QListWidget#sidebar::item:selected { background: #ffffff; color: #1f3a5a; font-weight: bold; }
QListWidget#sidebar:focus { border-left: 4px solid #ffbf47; }
"""


class MainWindow(QMainWindow):
    """The shell appears at once; ``attach`` fills the workspace once the store is open."""

    def __init__(self, desk: Desk | None = None, *, data_dir: Path | None = None) -> None:
        super().__init__()
        self._desk: Desk | None = None
        self._workspaces: list[QWidget] = []
        if desk is not None:
            data_dir = Path(desk.installation().data_dir)
        self.setWindowTitle("dhr-desk")
        self._settings = (
            QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
            if data_dir is not None
            else None
        )

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setFixedWidth(220)
        self.sidebar.setStyleSheet(SIDEBAR_STYLE)
        for number, section in enumerate(SECTIONS, start=1):
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            item.setToolTip(f"{section.title} (Ctrl+{number})")
            self.sidebar.addItem(item)
            jump = QAction(section.title, self)
            jump.setShortcut(QKeySequence(f"Ctrl+{number}"))
            jump.triggered.connect(lambda _=False, row=number - 1: self.show_section(row))
            self.addAction(jump)
        self.sidebar.setEnabled(False)

        self.pages = QStackedWidget()
        opening = QLabel("Opening the database…")
        opening.setObjectName("page-opening")
        opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(opening)
        self.sidebar.currentRowChanged.connect(self.pages.setCurrentIndex)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._database = QLabel()
        self._database.setAccessibleName("Database")
        self.statusBar().addPermanentWidget(self._database)
        self._lists = BackgroundRead(self)
        self._lists.delivered.connect(self._show_lists)
        self._lists.failed.connect(self._lists_failed)

        self.resize(*DEFAULT_SIZE)
        geometry = self._settings.value("geometry") if self._settings is not None else None
        if geometry is not None:
            self.restoreGeometry(geometry)
        if desk is not None:
            self.attach(desk)

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            raise RuntimeError("the store is not open yet")
        return self._desk

    def attach(self, desk: Desk) -> None:
        """The store is open: build each section's page and enable the sidebar."""
        self._desk = desk
        info = desk.installation()
        while self.pages.count():
            old = self.pages.widget(0)
            self.pages.removeWidget(old)
            old.deleteLater()
        from dhr_desk.ui.agencies_page import AgenciesPage
        from dhr_desk.ui.dashboard_page import DashboardPage
        from dhr_desk.ui.register_page import RegisterPage
        from dhr_desk.ui.settings_page import SettingsPage

        self.dashboard = DashboardPage()
        self.dashboard.show_references.connect(self.show_in_register)
        self.dashboard.open_review.connect(self.open_review)
        self.register = RegisterPage(self._settings)
        self.register.open_review.connect(self.open_review)
        self.register.new_dhr.connect(lambda: self.new_review("dhr"))
        self.register.new_asb.connect(lambda: self.new_review("asb"))
        for section in SECTIONS:
            if section.key == "dashboard":
                page: QWidget = self.dashboard
            elif section.key == "reviews":
                page = self.register
            elif section.key == "actions":
                from dhr_desk.ui.action_tracker_page import ActionsPage

                self.actions_page = ActionsPage(desk)
                self.actions_page.open_review.connect(self.open_review)
                page = self.actions_page
            elif section.key == "agencies":
                self.agencies = AgenciesPage(desk)
                self.agencies.open_review.connect(self.open_review)
                self.agencies.show_actions.connect(self.show_agency_actions)
                page = self.agencies
            elif section.key == "reports":
                from dhr_desk.ui.reports_page import ReportsPage

                self.reports_page = ReportsPage(desk)
                page = self.reports_page
            else:
                self.settings_page = SettingsPage(self, info)
                page = self.settings_page
            page.setObjectName(f"page-{section.key}")
            self.pages.addWidget(page)
        self.refresh_lists()
        self.sidebar.setEnabled(True)
        for action in self._needs_store:
            action.setEnabled(True)
        protection = "encrypted" if info.encrypted else "server"
        self._database.setText(
            f"{info.database}  ·  {protection}  ·  schema {info.schema_revision}"
        )
        self.show_section(0)

    def refresh_lists(self) -> None:
        """Read the dashboard and the register afresh (on opening, after a change, on F5), in a
        worker thread: the window stays usable and shows the old lists until the new arrive."""
        desk, prepare = self.desk, self.register.preparer()

        def read() -> tuple[Dashboard, PreparedRows, list[str]]:
            board, rows, problems = desk.lists()
            return board, prepare(rows), problems

        self.statusBar().showMessage("Reading the reviews…")
        self._lists.request(read)
        if hasattr(self, "actions_page") and self.actions_page.isVisible():
            self.actions_page.refresh()  # a change in a review's window shows in the tracker

    @property
    def lists_busy(self) -> bool:
        """The dashboard and register are being read (or a read waits to start)."""
        return self._lists.busy

    def _show_lists(self, listed: tuple[Dashboard, PreparedRows, list[str]]) -> None:
        board, rows, problems = listed
        self.dashboard.show_dashboard(board)
        self.register.set_rows(rows)
        if problems:
            self.statusBar().showMessage("Some deadlines could not be worked out: "
                                         + " ".join(problems))  # fmt: skip
        else:
            self.statusBar().clearMessage()

    def _lists_failed(self, error: BaseException) -> None:
        from dhr_desk.ui.form_fields import show_failure

        self.statusBar().clearMessage()
        show_failure(self, "Reviews not loaded", error)

    def show_in_register(self, references: object, what: str) -> None:
        """A dashboard figure clicked through: the register, showing just its reviews."""
        self.register.show_only(references)  # type: ignore[arg-type]
        self.sidebar.setCurrentRow(SECTION_ROW["reviews"])
        self.statusBar().showMessage(f"Showing {what}. Clear filters to see every review.")

    def show_agency_actions(self, agency: str) -> None:
        """From an agency's page: the tracker with every action of that agency."""
        self.actions_page.show_agency(agency)
        self.sidebar.setCurrentRow(SECTION_ROW["actions"])
        self.statusBar().showMessage(f"Showing every action of {agency}.")

    def open_review(self, reference: str) -> None:
        from dhr_desk.ui.review_workspace import ReviewWorkspace

        workspace = ReviewWorkspace(self.desk, reference, self)
        workspace.changed.connect(self.refresh_lists)
        workspace.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        workspace.show()
        self._workspaces.append(workspace)
        workspace.destroyed.connect(lambda _=None, w=workspace: self._forget(w))

    def _forget(self, workspace: QWidget) -> None:
        if workspace in self._workspaces:
            self._workspaces.remove(workspace)

    def new_review(self, kind: str) -> None:
        from dhr_desk.ui.new_review_forms import AsbApplicationForm, DhrNotificationForm

        form_class = DhrNotificationForm if kind == "dhr" else AsbApplicationForm
        form = form_class(self.desk.lifecycle(), self)
        if form.exec() and form.created is not None:
            self.refresh_lists()
            self.statusBar().showMessage(f"Registered {form.created.reference}.")
            self.open_review(form.created.reference)

    def ask_passphrase(self, request: PassphraseRequest) -> str | None:
        """The store's passphrase prompt, shown over this window."""
        from dhr_desk.ui.passphrase_dialog import gui_passphrase_prompt

        return gui_passphrase_prompt(request, parent=self)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        new_dhr = file_menu.addAction("New &DHR notification…")
        new_dhr.triggered.connect(lambda: self.new_review("dhr"))
        new_asb = file_menu.addAction("New &ASB application…")
        new_asb.triggered.connect(lambda: self.new_review("asb"))
        imported = file_menu.addAction("&Import ASB applications…")
        imported.triggered.connect(self.import_asb_applications)
        refresh = file_menu.addAction("Re&fresh")
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh_lists)
        file_menu.addSeparator()
        report = file_menu.addAction("Save installation &report…")
        report.triggered.connect(self.save_installation_report)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        help_menu = self.menuBar().addMenu("&Help")
        about = help_menu.addAction("&About dhr-desk")
        about.triggered.connect(self.show_about)
        self._needs_store = [new_dhr, new_asb, refresh, report, about]
        for action in self._needs_store:
            action.setEnabled(False)

    def section_count(self) -> int:
        return self.sidebar.count()

    def show_section(self, row: int) -> None:
        """Open a section (Ctrl+1…6); nothing to open until the store is."""
        if self._desk is None:
            return
        self.sidebar.setCurrentRow(row)
        self.sidebar.setFocus()

    def current_section(self) -> str:
        return str(self.sidebar.currentItem().data(Qt.ItemDataRole.UserRole))

    def show_about(self) -> None:
        AboutDialog(self.desk.installation(), self).exec()

    def import_asb_applications(self, path: str | None = None) -> list[str]:
        """ASB applications from a JSON file: all registered, or none with every problem."""
        from dhr_desk.ui.form_fields import attempt

        if path is None:
            kinds = "Applications (*.json);;All files (*)"
            path, _ = QFileDialog.getOpenFileName(self, "Import ASB applications", "", kinds)
        if not path:
            return []
        made = attempt(self, "Applications not imported",
                       lambda: self.desk.import_asb_applications(Path(path)))  # fmt: skip
        if made is None:
            return []
        self.refresh_lists()
        references = [summary.reference for summary in made]
        QMessageBox.information(
            self, "Applications imported",
            f"{len(references)} application(s) registered: {', '.join(references)}. Each is in "
            "the register at Application received.",
        )  # fmt: skip
        return references

    def save_installation_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save installation report", "dhr-desk-installation.pdf", "PDF (*.pdf)"
        )
        if not path:
            return
        try:
            self.desk.save_installation_report(Path(path))
        except OSError as exc:
            QMessageBox.warning(
                self, "Report not saved", f"The report could not be written to {path}: {exc}"
            )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self._lists.wait()  # the store closes after the window: no read may still be using it
        if hasattr(self, "actions_page"):
            self.actions_page.wait()
        if hasattr(self, "reports_page"):
            self.reports_page.wait()
        if self._settings is not None:
            self._settings.setValue("geometry", self.saveGeometry())
            self._settings.sync()
        super().closeEvent(event)
