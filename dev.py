#!/usr/bin/env python3
"""Set up dhr-desk from a fresh clone with nothing but python3, then run it.

    python3 dev.py app     set up (first time only) and open the desktop app
    python3 dev.py test    set up (first time only) and run the whole test suite

Set-up makes a virtual environment in .venv and installs dhr-desk with its development tools
from PyPI; it is repeated only when pyproject.toml changes. Where Debian lacks the venv module's
pip (python3-venv), pip itself is fetched from PyPI. Where Qt needs system libraries that are
missing, it says which Debian packages to install.

Other commands: `python3 dev.py missing-packages` prints the missing Debian packages, one a line
(for CI to install); any arguments after `app` or `test` go to dhr-desk or pytest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
WINDOWS = os.name == "nt"
PY = VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")
STAMP = VENV / ".dhr-desk-installed"

#: Shared libraries Qt loads on Linux, and the Debian package that ships each.
DEBIAN_PACKAGE_OF = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libXrender.so.1": "libxrender1",
    "libXext.so.6": "libxext6",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
}


def say(message: str) -> None:
    print(f"[dev.py] {message}", file=sys.stderr, flush=True)


def run(*command: str | Path, env: dict[str, str] | None = None) -> int:
    return subprocess.call([str(part) for part in command], cwd=ROOT, env=env)


def ensure_venv() -> None:
    if PY.exists():
        return
    say(f"creating the virtual environment {VENV}")
    if run(sys.executable, "-m", "venv", VENV) == 0 and _has_pip():
        return
    say("this Python has no ensurepip (Debian's python3-venv); fetching pip from PyPI instead")
    shutil.rmtree(VENV, ignore_errors=True)
    if run(sys.executable, "-m", "venv", "--without-pip", VENV) != 0:
        sys.exit(
            "[dev.py] could not create a virtual environment. On Debian: "
            "sudo apt-get install python3-venv"
        )
    _bootstrap_pip()


def _has_pip() -> bool:
    return (
        PY.exists()
        and subprocess.call(
            [str(PY), "-m", "pip", "--version"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        == 0
    )


def _bootstrap_pip() -> None:
    """Install pip into the venv from its own wheel on PyPI (a wheel can run pip from itself)."""
    index = "https://pypi.org/pypi/pip/json"
    with urllib.request.urlopen(index, timeout=60) as response:
        release = json.load(response)
    wheel = next(f for f in release["urls"] if f["filename"].endswith(".whl"))
    wheel["url"] = urllib.parse.urljoin(
        index, wheel["url"]
    )  # mirrors may answer with relative links
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / wheel["filename"]
        with urllib.request.urlopen(wheel["url"], timeout=120) as response:
            data = response.read()
        if hashlib.sha256(data).hexdigest() != wheel["digests"]["sha256"]:
            sys.exit("[dev.py] the pip wheel from PyPI failed its checksum; try again")
        target.write_bytes(data)
        if run(PY, f"{target}/pip", "install", "--quiet", target) != 0:
            sys.exit("[dev.py] installing pip into the virtual environment failed")


def ensure_installed() -> None:
    ensure_venv()
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    say("installing dhr-desk and its development tools into .venv (first run takes a minute)")
    if run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip") != 0:
        say("could not upgrade pip; going on with the one there is")
    if run(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]") != 0:
        sys.exit("[dev.py] installing dhr-desk failed (see pip's message above)")
    STAMP.write_text(digest)


def missing_debian_packages(platforms: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(Debian packages, unknown libraries) that Qt and the given platform plugins lack."""
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return [], []
    where = subprocess.run(
        [str(PY), "-c", "import PySide6, os; print(os.path.dirname(PySide6.__file__))"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if not where:
        return [], []
    qt = Path(where) / "Qt"
    binaries = [qt / "lib" / "libQt6Widgets.so.6"]
    binaries += [qt / "plugins" / "platforms" / f"libq{name}.so" for name in platforms]
    packages: set[str] = set()
    unknown: set[str] = set()
    for binary in binaries:
        if not binary.exists():
            continue
        out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=False)
        for line in out.stdout.splitlines():
            if "not found" in line:
                soname = line.split("=>")[0].strip()
                package = DEBIAN_PACKAGE_OF.get(soname)
                (packages.add(package) if package else unknown.add(soname))
    return sorted(packages), sorted(unknown)


def check_qt_libraries(platforms: tuple[str, ...]) -> None:
    packages, unknown = missing_debian_packages(platforms)
    if not packages and not unknown:
        return
    lines = ["Qt needs system libraries that this machine lacks."]
    if packages:
        lines.append("Install them, then run this command again:")
        lines.append(f"    sudo apt-get install {' '.join(packages)}")
    if unknown:
        lines.append(f"Also missing (find the package with apt-file search): {', '.join(unknown)}")
    sys.exit("[dev.py] " + "\n".join(lines))


def command_app(extra: list[str]) -> int:
    ensure_installed()
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    check_qt_libraries(("xcb",) if not platform else (platform.split(":")[0],))
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless and not platform:
        sys.exit(
            "[dev.py] there is no display (DISPLAY is not set), so the window cannot open. Run "
            "this from a desktop session, or under a virtual screen: xvfb-run python3 dev.py app"
        )
    say("opening dhr-desk")
    return run(PY, "-m", "dhr_desk", *extra)


def command_test(extra: list[str]) -> int:
    ensure_installed()
    check_qt_libraries(("offscreen",))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    checks: list[tuple[str, list[str | Path]]] = [
        ("ruff lint", [PY, "-m", "ruff", "check", "."]),
        ("ruff format", [PY, "-m", "ruff", "format", "--check", "."]),
        ("mypy strict (models, workflows)", [PY, "-m", "mypy"]),
        ("import-linter (the rooms)", [VENV / ("Scripts" if WINDOWS else "bin") / "lint-imports"]),
    ]
    failed = []
    for name, command in checks:
        say(f"{name}")
        if run(*command, env=env) != 0:
            failed.append(name)
    say("pytest")
    pytest_rc = run(PY, "-m", "pytest", *extra, env=env)
    if failed:
        say(f"FAILED: {', '.join(failed)}")
        return 1
    return pytest_rc


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test", "missing-packages"):
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    if command == "app":
        return command_app(extra)
    if command == "test":
        return command_test(extra)
    ensure_installed()
    packages, _ = missing_debian_packages(("offscreen", "xcb"))
    print("\n".join(packages))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
