"""Keyboard access: within what is on screen at once (a section of the main window with its
menus, a review window with one tab showing), no two controls share an Alt+letter, so each
letter reaches exactly one control. Checked on every section and on every tab of a DHR and an
ASB review, paused and not."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QMainWindow,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from dhr_desk.ui.main_window import MainWindow
from dhr_desk.ui.review_workspace import ReviewWorkspace
from dhr_desk.workflows.desk import Desk
from tests.ui.test_desk import TODAY, desk, window  # noqa: F401 (fixtures)


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def shared_mnemonics(root: QWidget) -> dict[str, list[str]]:
    """Alt+letters used by more than one visible control under ``root``."""
    used: dict[str, list[str]] = {}

    def note(text: str) -> None:
        letter = mnemonic(text)
        if letter:
            used.setdefault(letter, []).append(text)

    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QAbstractButton | QLabel):
            note(widget.text())
        elif isinstance(widget, QGroupBox):
            note(widget.title())
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                note(widget.tabText(index))
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            note(action.text())
    return {letter: texts for letter, texts in used.items() if len(texts) > 1}


def test_no_two_controls_of_a_main_window_section_share_a_letter(
    window: MainWindow,  # noqa: F811
) -> None:
    for row in range(window.section_count()):
        window.show_section(row)
        QApplication.processEvents()
        assert shared_mnemonics(window) == {}, window.current_section()


@pytest.mark.parametrize("kind", ["dhr", "asb"])
def test_no_two_controls_of_a_review_window_tab_share_a_letter(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    kind: str,
) -> None:
    reference = next(r.reference for r in desk.register()[0]
                     if r.kind == kind and r.status == "open")  # fmt: skip
    workspace = ReviewWorkspace(desk, reference)
    qtbot.addWidget(workspace)
    workspace.resize(1300, 760)
    workspace.show()
    for paused in (False, True):
        if paused:  # the Pause button becomes Resume
            desk.lifecycle().pause(reference, on=TODAY, reason_kind="other", reason="A test",
                                   approved_by="Chair (fictional)")  # fmt: skip
            workspace.refresh()
            assert workspace.pause_button.text() == "Resume…"
        for index in range(workspace.tabs.count()):
            workspace.tabs.setCurrentIndex(index)
            QApplication.processEvents()
            clashes = shared_mnemonics(workspace)
            assert clashes == {}, (workspace.tabs.tabText(index), paused)
