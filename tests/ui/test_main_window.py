"""The app shell: sidebar sections with honest empty states, the About dialog, remembered
geometry, and the passphrase dialog's rules. Each screen is also rendered to PNG."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from dhr_desk.models import Agency, AgencyKind
from dhr_desk.security.database_key import PassphraseRequest
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.ui.about_dialog import AboutDialog
from dhr_desk.ui.main_window import SECTION_ROW, MainWindow
from dhr_desk.ui.passphrase_dialog import PassphraseDialog
from dhr_desk.ui.sections import SECTIONS
from dhr_desk.workflows.desk import Desk

SCREENSHOT_DIR_ENV = "DHR_DESK_SCREENSHOT_DIR"


def save_screenshot(widget: object, name: str, tmp_path: Path) -> Path:
    """Render offscreen to PNG (kept under DHR_DESK_SCREENSHOT_DIR when set) and check it."""
    folder = Path(os.environ.get(SCREENSHOT_DIR_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    QApplication.processEvents()  # layouts settle as they would on screen before the grab
    image = widget.grab()  # type: ignore[attr-defined]
    assert not image.isNull()
    assert image.save(str(path))
    assert path.stat().st_size > 1000
    return path


def lists_read(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the dashboard and register (read in a worker thread) are shown."""
    qtbot.waitUntil(lambda: not window.lists_busy, timeout=60_000)


@pytest.fixture
def window(qtbot: QtBot, embedded_store: Store, secrets: SecretStore) -> MainWindow:
    win = MainWindow(Desk(embedded_store, secrets))
    qtbot.addWidget(win)
    win.show()
    lists_read(qtbot, win)
    return win


def test_the_sidebar_has_the_six_sections_in_order(window: MainWindow) -> None:
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles == [
        "Dashboard",
        "Reviews",
        "Actions",
        "Agencies and people",
        "Reports",
        "Settings",
    ]
    assert window.current_section() == "dashboard"


def test_each_section_opens_by_keyboard_and_shows_its_empty_state(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    for number, section in enumerate(SECTIONS, start=1):
        qtbot.keyClick(window, Qt.Key.Key_0 + number, Qt.KeyboardModifier.ControlModifier)
        assert window.current_section() == section.key
        page = window.pages.currentWidget()
        assert page.objectName() == f"page-{section.key}"
        texts = " ".join(label.text() for label in page.findChildren(QLabel))
        assert section.title in texts
        if section.empty_heading and section.key not in (
            "dashboard",
            "reviews",
            "actions",
            "reports",
        ):
            assert section.empty_heading in texts  # the desk has its own pages for these
        save_screenshot(window, f"main-window-{section.key}", tmp_path)


def test_the_settings_page_and_about_dialog_say_where_data_lives_and_how_it_is_protected(
    window: MainWindow, qtbot: QtBot, embedded_store: Store, tmp_path: Path
) -> None:
    about = AboutDialog(window.desk.installation(), window)
    qtbot.addWidget(about)
    values = {name: label.text() for name, label in about.facts.values.items()}
    assert values["Data folder"] == str(embedded_store.location.data_dir)
    assert values["Database kind"] == "Embedded database (SQLCipher)"
    assert values["Encryption"] == (
        "Encrypted at rest with a random key kept in the operating system's keyring"
    )
    assert values["Schema revision"] == embedded_store.schema_revision()
    assert "MemoryKeyring" in values["Keyring backend"]
    assert values["Version"]
    about.show()
    save_screenshot(about, "about-dialog", tmp_path)


def test_window_geometry_is_remembered_per_data_directory(
    qtbot: QtBot, embedded_store: Store, secrets: SecretStore
) -> None:
    first = MainWindow(Desk(embedded_store, secrets))
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 520)
    first.close()
    second = MainWindow(Desk(embedded_store, secrets))
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (720, 520)
    assert (embedded_store.location.data_dir / "window.ini").exists()


def test_the_main_window_fits_a_1366_by_768_screen(window: MainWindow) -> None:
    assert window.width() <= 1366 and window.height() <= 768
    assert window.minimumSizeHint().width() <= 1366
    assert window.minimumSizeHint().height() <= 768


def test_a_new_passphrase_must_be_long_enough_and_typed_twice(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = PassphraseDialog(PassphraseRequest(tmp_path / "dhr-desk.db", creating=True))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.passphrase, "short")
    assert not ok.isEnabled() and "at least 10" in dialog.hint.text()
    qtbot.keyClicks(dialog.passphrase, " but now long")
    qtbot.keyClicks(dialog.confirm, "different one!")
    assert not ok.isEnabled() and "differ" in dialog.hint.text()
    dialog.confirm.setText("short but now long")
    assert ok.isEnabled()
    assert dialog.value() == "short but now long"
    dialog.show()
    save_screenshot(dialog, "passphrase-new", tmp_path)


def test_unlocking_after_a_wrong_passphrase_says_why(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = PassphraseDialog(
        PassphraseRequest(
            tmp_path / "dhr-desk.db", creating=False, retry_reason="Wrong passphrase."
        )
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.error.isVisible() and dialog.error.text() == "Wrong passphrase."
    assert not dialog.confirm.isVisible()
    qtbot.keyClicks(dialog.passphrase, "x")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    save_screenshot(dialog, "passphrase-unlock", tmp_path)


def test_a_section_with_stored_records_does_not_claim_to_be_empty(
    qtbot: QtBot, embedded_store: Store, secrets: SecretStore
) -> None:
    from dhr_desk.workflows.lifecycle import Lifecycle, NewDhrNotification

    # GIVEN two agencies and a review in the store (say, from an import)
    with embedded_store.sessions.begin() as session:
        session.add(Agency(name="Fictional Health Trust", kind=AgencyKind.HEALTH))
        session.add(Agency(name="Fictional District Council", kind=AgencyKind.DISTRICT_COUNCIL))
    Lifecycle(embedded_store.sessions).register_dhr(
        NewDhrNotification(date_notified=dt.date.today(), referrer="Police", title="'Ash'")
    )
    # WHEN the window opens
    win = MainWindow(Desk(embedded_store, secrets))
    qtbot.addWidget(win)
    win.show()
    win.show_section(SECTION_ROW["agencies"])
    # THEN the Agencies section lists them
    listed = win.agencies.list
    assert [listed.item(i).text() for i in range(listed.count())] == [
        "Fictional District Council", "Fictional Health Trust",
    ]  # fmt: skip
    reports = " ".join(label.text() for label in win.pages.widget(4).findChildren(QLabel))
    assert "No reports yet" not in reports and "accountability report" in reports
