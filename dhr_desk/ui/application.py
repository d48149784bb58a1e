"""Starting the Qt application: one QApplication, a readable default font, fatal errors shown
as a message box rather than a traceback."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from dhr_desk import __version__
from dhr_desk.ui.main_window import MainWindow

MIN_POINT_SIZE = 10
#: Start-up probe for the benchmark and the frozen-app check: print when the window is up, quit.
QUIT_WHEN_SHOWN_ENV = "DHR_DESK_QUIT_WHEN_SHOWN"


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


def report_startup(stage: str, app: QApplication) -> None:
    """With DHR_DESK_QUIT_WHEN_SHOWN set, print each start-up stage as the event loop reaches
    it ("window shown", then "ready" once the store is open) and quit at "ready"."""
    if not os.environ.get(QUIT_WHEN_SHOWN_ENV):
        return

    def report() -> None:
        print(f"{stage}; at {time.time():.6f}; peak memory {peak_memory_kib()} KiB", flush=True)
        if stage == "ready":
            app.quit()

    QTimer.singleShot(0, report)


def peak_memory_kib() -> int:
    """Peak resident memory of this process (0 where the platform does not say)."""
    if sys.platform == "win32":
        return 0
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def show_fatal_error(title: str, message: str, parent: QWidget | None = None) -> None:
    """A store that cannot be opened: say what happened and what to do, then stop."""
    print(f"dhr-desk: {title}: {message}", file=sys.stderr)
    if os.environ.get(QUIT_WHEN_SHOWN_ENV):
        return  # a start-up probe has nobody to click OK
    box = QMessageBox(QMessageBox.Icon.Critical, f"dhr-desk: {title}", message, parent=parent)
    box.exec()


__all__ = [
    "MainWindow",
    "create_application",
    "report_startup",
    "show_fatal_error",
]
