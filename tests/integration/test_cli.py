"""The headless commands, run as real processes: version, info, backup and restore, and the
bad inputs each ending in one clear message and an exit code, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dhr_desk import __version__
from dhr_desk.store.schema import head_revision
from tests.conftest import file_digest
from tests.support.network import free_port

PASSPHRASE = "a fictional test passphrase"


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHR_DESK_")}
    env.update(
        DHR_DESK_DATA_DIR=str(data_dir),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        DHR_DESK_PASSPHRASE=PASSPHRASE,
        QT_QPA_PLATFORM="offscreen",
    )
    env.update(extra)
    return env


def dhr_desk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dhr_desk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_version(tmp_path: Path) -> None:
    done = dhr_desk("--version", env=cli_env(tmp_path / "data"))
    assert done.returncode == 0
    assert done.stdout.strip() == f"dhr-desk {__version__}"


def test_info_json_creates_and_describes_the_store(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = dhr_desk("info", "--json", env=cli_env(data))
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["version"] == __version__
    assert info["data_dir"] == str(data.resolve())
    assert info["database"]["backend"] == "sqlite"
    assert info["database"]["encrypted"] is True
    assert info["database"]["schema_revision"] == head_revision()
    assert info["keyring_backend"] == "keyring.backends.fail.Keyring"
    assert (data / "dhr-desk.db").exists()


def test_the_data_dir_option_works_before_or_after_the_command(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "ignored")
    for args in (
        ("--data-dir", str(tmp_path / "a"), "info", "--json"),
        ("info", "--json", "--data-dir", str(tmp_path / "b")),
    ):
        done = dhr_desk(*args, env=env)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["data_dir"] == args[args.index("--data-dir") + 1]
    assert not (tmp_path / "ignored").exists()


def test_no_keyring_and_no_passphrase_exits_2_and_says_what_to_do(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "data")
    del env["DHR_DESK_PASSPHRASE"]
    done = dhr_desk("info", env=env)
    assert done.returncode == 2
    assert "No usable keyring backend" in done.stderr
    assert "DHR_DESK_PASSPHRASE" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "dhr-desk.db").exists()


def test_a_wrong_passphrase_exits_non_zero_and_leaves_the_file_unchanged(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert dhr_desk("info", env=cli_env(data)).returncode == 0
    before = file_digest(data / "dhr-desk.db")
    done = dhr_desk("info", env=cli_env(data, DHR_DESK_PASSPHRASE="not the passphrase"))
    assert done.returncode == 3
    assert "does not open" in done.stderr and "Traceback" not in done.stderr
    assert file_digest(data / "dhr-desk.db") == before


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = cli_env(data)
    assert dhr_desk("info", env=env).returncode == 0
    out = tmp_path / "copy.db"
    done = dhr_desk("backup", "--out", str(out), env=env)
    assert done.returncode == 0, done.stderr
    assert "Backed up to" in done.stdout and out.exists()
    again = dhr_desk("backup", "--out", str(out), env=env)
    assert again.returncode == 3 and "already exists" in again.stderr
    done = dhr_desk("restore", str(out), env=env)
    assert done.returncode == 0, done.stderr
    assert "kept as" in done.stdout
    assert list(data.glob("dhr-desk.db.before-restore-*"))
    assert dhr_desk("info", env=env).returncode == 0


def test_restore_of_a_missing_file_says_so(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "data")
    done = dhr_desk("restore", str(tmp_path / "nope.db"), env=env)
    assert done.returncode == 3 and "does not exist" in done.stderr


def test_an_unreachable_server_gives_host_and_port_without_a_traceback(tmp_path: Path) -> None:
    port = free_port()
    done = dhr_desk(
        "info",
        "--database-url",
        f"postgresql://officer@127.0.0.1:{port}/dhr_desk",
        env=cli_env(tmp_path / "data"),
    )
    assert done.returncode == 3
    assert f"127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_read_only_data_directory_is_refused_with_a_message(tmp_path: Path) -> None:
    data = tmp_path / "readonly"
    data.mkdir()
    data.chmod(0o555)
    immutable = False
    if os.geteuid() == 0:  # root writes through permissions: make the folder immutable instead
        if shutil.which("chattr") is None or subprocess.call(["chattr", "+i", str(data)]) != 0:
            pytest.skip("running as root on a filesystem without immutable folders")
        immutable = True
    try:
        done = dhr_desk("info", env=cli_env(data))
    finally:
        if immutable:
            subprocess.call(["chattr", "-i", str(data)])
        data.chmod(0o755)
    assert done.returncode == 3, done.stderr
    assert "read-only" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(data.iterdir()) == []


def test_smoke_test_passes(tmp_path: Path) -> None:
    done = dhr_desk("--smoke-test", env=cli_env(tmp_path / "unused"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "smoke test passed"
    assert "pdf: installation-report.pdf rendered and read back" in done.stdout
    assert not (tmp_path / "unused").exists()


def test_a_command_line_that_is_not_understood_exits_64_not_2(tmp_path: Path) -> None:
    done = dhr_desk("backup", env=cli_env(tmp_path / "data"))  # --out missing
    assert done.returncode == 64
    assert "--out" in done.stderr


def test_backing_up_onto_a_folder_is_refused(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "data")
    (tmp_path / "folder").mkdir()
    done = dhr_desk("backup", "--out", str(tmp_path / "folder"), "--force", env=env)
    assert done.returncode == 3
    assert "is a folder" in done.stderr and "Traceback" not in done.stderr


def test_restoring_a_file_that_is_not_a_database_says_so_before_trying_a_key(
    tmp_path: Path,
) -> None:
    env = cli_env(tmp_path / "data")
    assert dhr_desk("info", env=env).returncode == 0
    letter = tmp_path / "letter.db"
    letter.write_text("Dear colleague,\n" * 200)
    done = dhr_desk("restore", str(letter), env=env)
    assert done.returncode == 3
    assert "not a dhr-desk database" in done.stderr
    assert "passphrase" not in done.stderr.lower()
