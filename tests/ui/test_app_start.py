"""The desktop app's real start path (dhr_desk.app.run_gui): the window appears first, the store
opens after, and a second window on the same data directory is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dhr_desk.app import main
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.instance_lock import InstanceLock
from dhr_desk.store.location import DataLocation
from dhr_desk.ui.main_window import MainWindow
from tests.ui.test_main_window import save_screenshot


@pytest.fixture
def start_up_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DHR_DESK_QUIT_WHEN_SHOWN", "1")


def test_the_app_shows_its_window_then_opens_the_store(
    qtbot: QtBot,
    location: DataLocation,
    start_up_probe: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--data-dir", str(location.data_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(";")[0] for line in out] == ["window shown", "ready"]
    assert location.database_file.exists()
    assert SecretStore().get(location.key_name) is not None  # first run put the key in the keyring


def test_without_a_keyring_the_app_takes_the_environment_passphrase(
    qtbot: QtBot,
    location: DataLocation,
    start_up_probe: None,
    no_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DHR_DESK_PASSPHRASE", "a fictional passphrase")
    assert main(["--data-dir", str(location.data_dir)]) == 0
    assert main(["--data-dir", str(location.data_dir)]) == 0


def test_a_second_window_on_the_same_data_directory_is_refused(
    qtbot: QtBot,
    location: DataLocation,
    start_up_probe: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    location.data_dir.mkdir(parents=True)
    with InstanceLock(location):
        assert main(["--data-dir", str(location.data_dir)]) == 4
    assert "already open" in capsys.readouterr().err


def test_a_store_that_cannot_be_opened_ends_with_its_message_and_code(
    qtbot: QtBot,
    location: DataLocation,
    start_up_probe: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    location.data_dir.mkdir(parents=True)
    location.database_file.write_bytes(b"%PDF-1.7 not a database" * 100)
    assert main(["--data-dir", str(location.data_dir)]) == 3
    assert "is a PDF document" in capsys.readouterr().err
    assert location.database_file.read_bytes().startswith(b"%PDF")


def test_before_the_store_opens_the_window_offers_nothing_that_needs_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = MainWindow(data_dir=tmp_path)
    qtbot.addWidget(window)
    window.show()
    assert not window.sidebar.isEnabled()
    assert window.pages.currentWidget().objectName() == "page-opening"
    menu_actions = [a for m in window.menuBar().actions() for a in m.menu().actions()]
    needs_store = [
        a for a in menu_actions if a.text() in ("Save installation &report…", "&About dhr-desk")
    ]
    assert needs_store and not any(a.isEnabled() for a in needs_store)
    save_screenshot(window, "main-window-opening", tmp_path)


def test_an_unexpected_fault_while_opening_ends_with_a_message_not_a_hang(
    qtbot: QtBot,
    location: DataLocation,
    start_up_probe: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from dhr_desk.workflows.desk import Desk

    def broken(self: Desk) -> None:
        raise LookupError("simulated fault")

    monkeypatch.setattr(Desk, "installation", broken)  # read while the window is filled
    assert main(["--data-dir", str(location.data_dir)]) == 1
    err = capsys.readouterr().err
    assert "Unexpected error" in err and "simulated fault" in err
