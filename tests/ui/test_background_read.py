"""Reading away from the GUI thread: results and errors come back in the GUI thread, a read asked
for while one runs waits (only the newest), and the main window shows that it is reading, keeps
answering meanwhile, and shows store trouble as a message."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.ui.background_read import BackgroundRead
from dhr_desk.ui.main_window import SECTION_ROW, MainWindow
from dhr_desk.workflows.desk import Desk, DeskError
from tests.ui.test_main_window import lists_read


def test_a_read_runs_in_another_thread_and_its_result_comes_back_in_the_gui_thread(
    qtbot: QtBot,
) -> None:
    reader = BackgroundRead()
    ran_in: list[QThread] = []
    got: list[tuple[object, QThread]] = []
    reader.delivered.connect(lambda result: got.append((result, QThread.currentThread())))

    def read() -> str:
        ran_in.append(QThread.currentThread())
        return "the lists"

    reader.request(read)
    assert reader.busy
    qtbot.waitUntil(lambda: not reader.busy)
    gui = QApplication.instance().thread()  # type: ignore[union-attr]
    assert ran_in and ran_in[0] is not gui
    assert got == [("the lists", gui)]


def test_an_error_in_the_read_is_delivered_not_lost(qtbot: QtBot) -> None:
    reader = BackgroundRead()
    failed: list[object] = []
    reader.failed.connect(failed.append)

    def read() -> None:
        raise DeskError("The database is locked by another program.")

    with qtbot.waitSignal(reader.failed):
        reader.request(read)
    assert isinstance(failed[0], DeskError) and "locked" in str(failed[0])
    assert not reader.busy


def test_reads_asked_for_while_one_runs_wait_and_only_the_newest_runs(qtbot: QtBot) -> None:
    reader = BackgroundRead()
    release = threading.Event()
    started = threading.Event()
    ran: list[str] = []
    delivered: list[object] = []
    reader.delivered.connect(delivered.append)

    def first() -> str:
        started.set()
        release.wait(10)
        ran.append("first")
        return "first"

    def named(name: str) -> object:
        return lambda: ran.append(name) or name

    reader.request(first)
    assert started.wait(10)
    # WHEN two more are asked for while the first runs
    reader.request(named("second"))  # type: ignore[arg-type]
    reader.request(named("third"))  # type: ignore[arg-type]
    release.set()
    qtbot.waitUntil(lambda: not reader.busy)
    # THEN the first finishes, the second is dropped and the newest runs after it
    assert ran == ["first", "third"]
    assert delivered == ["first", "third"]


def test_the_window_says_it_is_reading_answers_meanwhile_and_reports_store_trouble(
    qtbot: QtBot, embedded_store: Store, secrets: SecretStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = Desk(embedded_store, secrets)
    release = threading.Event()
    real_lists = desk.lists

    def slow_lists() -> object:
        release.wait(10)
        return real_lists()

    monkeypatch.setattr(desk, "lists", slow_lists)
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    # WHILE the lists are read THEN both pages say so and the window still answers
    assert window.lists_busy
    assert window.register.shown.text() == "Reading the reviews…"
    assert any(
        "Reading the reviews" in label.text() for label in window.dashboard.findChildren(QLabel)
    )
    window.show_section(SECTION_ROW["agencies"])
    QApplication.processEvents()
    assert window.current_section() == "agencies"
    release.set()
    lists_read(qtbot, window)
    assert window.register.shown.text().startswith("No reviews registered yet")
    # WHEN a read fails THEN a message says what happened and the old lists stay
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", staticmethod(lambda _p, title, text, *a: said.append(text))
    )

    def locked() -> object:
        raise DeskError("The database is locked by another program: close it and press F5.")

    monkeypatch.setattr(desk, "lists", locked)
    window.refresh_lists()
    lists_read(qtbot, window)
    assert said == ["The database is locked by another program: close it and press F5."]
    assert window.register.shown.text().startswith("No reviews registered yet")
