"""The Qt binding itself: PySide6-Essentials 6.12.0 returns None from methods that return nothing
without taking a reference to it, so on Python 3.11 each such call (setText, setItem …) drops
None's reference count by one and the process aborts with "deallocating None" after some
thousands of calls. pyproject.toml excludes that release; this test catches any other that does
the same."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot


@pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None is immortal from Python 3.12: nothing to drop"
)
def test_calls_to_methods_returning_nothing_keep_none_alive(qtbot: QtBot) -> None:
    table = QTableWidget(1, 1)
    label = QLabel()
    qtbot.addWidget(table)
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(1000):
        table.setItem(0, 0, QTableWidgetItem("x"))
        label.setText("x")
    # a few references may come or go with the loop's own objects; a thousand may not
    assert sys.getrefcount(None) - before > -100
