"""The main window: a sidebar of sections and a workspace, an About dialog, and window geometry
remembered per data directory."""

from __future__ import annotations

from pathlib import Path

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
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dhr_desk.ui.about_dialog import AboutDialog, FactsForm, installation_fields
from dhr_desk.ui.sections import SECTIONS, STORED_BUT_NOT_LISTED, Section
from dhr_desk.workflows.desk import Desk

DEFAULT_SIZE = (1180, 720)  # fits a 1366x768 screen with a taskbar
SIDEBAR_STYLE = """
QListWidget#sidebar { background: #1f3a5a; color: #ffffff; border: none; font-size: 11pt;
                      padding-top: 12px; outline: none; }
QListWidget#sidebar::item { padding: 9px 16px; }
QListWidget#sidebar::item:selected { background: #ffffff; color: #1f3a5a; font-weight: bold; }
QListWidget#sidebar:focus { border-left: 4px solid #ffbf47; }
"""


class EmptyState(QWidget):
    """A section with nothing to list: what will be here, or how many records are stored that
    this version cannot list yet."""

    def __init__(self, section: Section, stored: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        title = QLabel(f"<h1>{section.title}</h1>")
        layout.addWidget(title)
        if stored:
            said, explained = section.stored_heading(stored), STORED_BUT_NOT_LISTED
        else:
            said, explained = section.empty_heading, section.empty_text
        heading = QLabel(f"<h3>{said}</h3>")
        heading.setAccessibleName(f"{section.title}: {said}")
        layout.addWidget(heading)
        text = QLabel(explained)
        text.setWordWrap(True)
        text.setMaximumWidth(640)
        layout.addWidget(text)
        layout.addStretch(1)


class SettingsPage(QWidget):
    """What this installation is and where its data lives (editing arrives with the desk)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addWidget(QLabel("<h1>Settings</h1>"))
        layout.addWidget(QLabel("<h3>This installation</h3>"))
        self.facts = FactsForm(installation_fields(window.desk.installation()))
        layout.addWidget(self.facts)
        save = QPushButton("Save installation &report (PDF)…")
        save.setAccessibleName("Save installation report as PDF")
        save.clicked.connect(window.save_installation_report)
        row = QHBoxLayout()
        row.addWidget(save)
        row.addStretch(1)
        layout.addLayout(row)
        note = QLabel(
            "Back up from the command line with 'dhr-desk backup --out FILE'; the copy stays "
            "encrypted with this data directory's key."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        info = desk.installation()
        self.setWindowTitle("dhr-desk")
        self._settings = QSettings(
            str(Path(info.data_dir) / "window.ini"), QSettings.Format.IniFormat
        )

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setFixedWidth(220)
        self.sidebar.setStyleSheet(SIDEBAR_STYLE)
        self.pages = QStackedWidget()
        counts = desk.record_counts()
        for number, section in enumerate(SECTIONS, start=1):
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            item.setToolTip(f"{section.title} (Ctrl+{number})")
            self.sidebar.addItem(item)
            if section.counted is None:
                page: QWidget = SettingsPage(self)
            else:
                page = EmptyState(section, getattr(counts, section.counted))
            page.setObjectName(f"page-{section.key}")
            self.pages.addWidget(page)
            jump = QAction(section.title, self)
            jump.setShortcut(QKeySequence(f"Ctrl+{number}"))
            jump.triggered.connect(lambda _=False, row=number - 1: self.show_section(row))
            self.addAction(jump)
        self.sidebar.currentRowChanged.connect(self.pages.setCurrentIndex)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._build_menus()

        protection = "encrypted" if info.encrypted else "server"
        self.statusBar().showMessage(
            f"{info.database}  ·  {protection}  ·  schema {info.schema_revision}"
        )
        self.resize(*DEFAULT_SIZE)
        geometry = self._settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.show_section(0)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        report = file_menu.addAction("Save installation &report…")
        report.triggered.connect(self.save_installation_report)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        help_menu = self.menuBar().addMenu("&Help")
        about = help_menu.addAction("&About dhr-desk")
        about.triggered.connect(self.show_about)

    def section_count(self) -> int:
        return self.sidebar.count()

    def show_section(self, row: int) -> None:
        self.sidebar.setCurrentRow(row)
        self.sidebar.setFocus()

    def current_section(self) -> str:
        return str(self.sidebar.currentItem().data(Qt.ItemDataRole.UserRole))

    def show_about(self) -> None:
        AboutDialog(self.desk.installation(), self).exec()

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
        self._settings.setValue("geometry", self.saveGeometry())
        self._settings.sync()
        super().closeEvent(event)
