"""The Actions section's Chase now, through its widgets on the demo data: the preview lists
each recipient once with how they are sent it and what needs a person; the digests are written
to the chosen folder and logged; a second run the same day has nothing to produce."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from dhr_desk.ui.chase_page import ChasePreview
from dhr_desk.ui.main_window import SECTION_ROW, MainWindow
from dhr_desk.workflows.desk import Desk
from tests.ui.test_desk import TODAY, desk, window  # noqa: F401 (fixtures)
from tests.ui.test_main_window import save_screenshot
from tests.unit.test_settings_and_calendar import next_working_day


def test_chase_now_previews_then_writes_one_digest_per_recipient_and_logs_them(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    window.show_section(SECTION_ROW["actions"])
    page = window.actions_page.chase
    page.as_of = next_working_day(TODAY)
    previews: list[ChasePreview] = []

    def look(self: QDialog) -> int:
        assert isinstance(self, ChasePreview)
        previews.append(self)
        save_screenshot(self, f"desk-chase-preview-{len(previews)}", tmp_path)
        return QDialog.DialogCode.Accepted.value if self.go.isEnabled() else 0

    out = tmp_path / "chases"
    out.mkdir()
    told: list[str] = []
    monkeypatch.setattr(QDialog, "exec", look)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a: str(out)))
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda _p, _t, text, *a: told.append(text)))  # fmt: skip
    plan = desk.chase_plan(page.as_of)  # what the preview should show
    page.chase_button.click()
    assert not page.chase_button.isEnabled()  # while the worker thread works it out
    qtbot.waitUntil(lambda: not page.busy, timeout=30_000)
    assert page.chase_button.isEnabled()
    [preview] = previews
    names = [preview.table.item(r, 0).text() for r in range(preview.table.rowCount())]
    assert names == [d.recipient.name for d in plan.digests] and len(set(names)) == len(names)
    assert names, "the demo has actions due"
    # the first recipient is chosen, and what they would be sent is listed item by item
    first = plan.digests[0]
    listed = [(preview.items.item(r, 0).text(), preview.items.item(r, 1).text())
              for r in range(preview.items.rowCount())]  # fmt: skip
    assert listed == [(i.reference, i.number) for i in first.items]
    assert f"What {first.recipient.name} would be sent" in preview.items_heading.text()
    how = {preview.table.item(r, 4).text() for r in range(preview.table.rowCount())}
    assert how <= {"Email draft and letter", "Letter only: no email address"}
    # THEN the files are in the folder, the page says what was done, and the chases are logged
    written = sorted(p.suffix for p in out.iterdir())
    assert ".pdf" in written and told and "logged on the actions" in page.result.text()
    save_screenshot(window, "desk-actions-chased", tmp_path)
    # AND a second run the same day has nothing to produce
    page.chase_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=30_000)
    assert len(previews) == 2 and not previews[1].go.isEnabled()
    assert "Nobody has anything due today" in previews[1].findChildren(type(page.result))[0].text()


def test_a_folder_that_cannot_be_written_is_said_and_the_page_stays_usable(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = window.actions_page.chase
    page.as_of = next_working_day(TODAY)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, _t, text, *a: said.append(text)))  # fmt: skip
    page.produce(Path("/proc"))  # a folder no one can create files in
    qtbot.waitUntil(lambda: not page.busy, timeout=30_000)
    assert said and "Cannot write in /proc" in said[0]
    assert page.chase_button.isEnabled() and page.result.text() == ""
