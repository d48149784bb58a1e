"""Starting the Qt application: one QApplication, a readable default font, fatal errors shown
as a message box rather than a traceback."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from dhr_desk import __version__
from dhr_desk.ui.main_window import MainWindow
from dhr_desk.ui.passphrase_dialog import gui_passphrase_prompt

MIN_POINT_SIZE = 10


def create_application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(["dhr-desk"])
    app.setApplicationName("dhr-desk")
    app.setOrganizationName("NCSP")
    app.setApplicationVersion(__version__)
    font = QFont(app.font())
    if font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
        app.setFont(font)
    return app


def show_fatal_error(title: str, message: str) -> None:
    """A store that cannot be opened: say what happened and what to do, then stop."""
    box = QMessageBox(QMessageBox.Icon.Critical, f"dhr-desk: {title}", message)
    box.exec()


__all__ = ["MainWindow", "create_application", "gui_passphrase_prompt", "show_fatal_error"]
