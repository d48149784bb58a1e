"""One dhr-desk window per data directory; no restore under a running window; a crashed
window never leaves a lock behind."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from dhr_desk.app import main
from dhr_desk.store.errors import AlreadyRunning
from dhr_desk.store.instance_lock import InstanceLock
from dhr_desk.store.location import DataLocation


def test_a_second_instance_on_the_same_data_directory_is_refused(location: DataLocation) -> None:
    location.data_dir.mkdir(parents=True)
    with InstanceLock(location):
        with pytest.raises(AlreadyRunning, match="already open") as caught:
            InstanceLock(location).acquire()
        assert caught.value.exit_code == 4
        assert "window" in str(caught.value)
    InstanceLock(location).acquire().release()  # free again once the first has gone


def test_another_data_directory_is_not_affected(location: DataLocation, tmp_path: object) -> None:
    other = DataLocation(location.data_dir.parent / "other")
    location.data_dir.mkdir(parents=True)
    other.data_dir.mkdir()
    with InstanceLock(location), InstanceLock(other):
        pass


def test_a_lock_held_by_a_process_that_died_does_not_block(location: DataLocation) -> None:
    location.data_dir.mkdir(parents=True)
    code = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from dhr_desk.store.instance_lock import InstanceLock
        from dhr_desk.store.location import DataLocation
        InstanceLock(DataLocation(Path({str(location.data_dir)!r}))).acquire()
        os._exit(9)  # dies without releasing, as a crash would
        """
    )
    assert subprocess.call([sys.executable, "-c", code]) == 9
    assert location.lock_file.exists()
    InstanceLock(location).acquire().release()


def test_restore_is_refused_while_a_window_has_the_data_directory(
    location: DataLocation, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = location.data_dir.parent / "backup.db"
    assert main(["info", "--data-dir", str(location.data_dir)]) == 0
    assert main(["backup", "--out", str(backup), "--data-dir", str(location.data_dir)]) == 0
    with InstanceLock(location):
        code = main(["restore", str(backup), "--data-dir", str(location.data_dir)])
    assert code == 4
    assert "already open" in capsys.readouterr().err
    assert not list(location.data_dir.glob("*.before-restore-*"))
