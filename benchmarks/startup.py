"""Start-up time: from process start to the main window shown, dhr-desk against a bare PySide6
window, several runs each (medians), with each one's peak memory.

    .venv/bin/python benchmarks/startup.py [--runs 7]

Target (issue #2): dhr-desk's window shown at most 1.5 x the bare window's time. dhr-desk shows
its window first and then opens the store, so the time to "ready" (store open, sections filled)
is printed as well. The store is created before timing (first-run creation is printed on its
own) and opened with a raw key as with a real keyring; the passphrase path, with SQLCipher's key
derivation, is timed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.5

BARE_WINDOW = """
import resource, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("bare window"))
window.resize(1180, 720)
window.show()
def report():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"window shown; at {time.time():.6f}; peak memory {peak} KiB", flush=True)
    print(f"ready; at {time.time():.6f}; peak memory {peak} KiB", flush=True)
    app.quit()
QTimer.singleShot(0, report)
app.exec()
"""


def one_start(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Seconds to 'window shown' and to 'ready', and the peak KiB, of one start.

    The child stamps each stage with its own wall clock, so the parent's reading of the pipe
    adds nothing to the figure.
    """
    start = time.time()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT
    )
    assert process.stdout is not None
    shown = ready = None
    peak = 0
    for line in process.stdout:
        stage, at, memory = (part.strip() for part in line.split(";"))
        elapsed = float(at.removeprefix("at ")) - start
        if stage == "window shown":
            shown = elapsed
        elif stage == "ready":
            ready = elapsed
            peak = int(memory.removeprefix("peak memory ").split()[0])
            break
    process.wait(timeout=60)
    if shown is None or ready is None:
        raise SystemExit(f"{command} did not reach its window (exit {process.returncode})")
    return shown, ready, peak


def measure(
    label: str, command: list[str], env: dict[str, str], runs: int
) -> tuple[float, float, int]:
    one_start(command, env)  # warm the file cache once
    starts = [one_start(command, env) for _ in range(runs)]
    shown = statistics.median(s[0] for s in starts)
    ready = statistics.median(s[1] for s in starts)
    peak = max(s[2] for s in starts)
    spread = f"{min(s[0] for s in starts) * 1000:.0f}-{max(s[0] for s in starts) * 1000:.0f}"
    print(
        f"{label:<26} window shown {shown * 1000:5.0f} ms ({spread}), "
        f"ready {ready * 1000:5.0f} ms, peak {peak / 1024:4.0f} MiB"
    )
    return shown, ready, peak


def main() -> int:
    parser = argparse.ArgumentParser(description="dhr-desk start-up benchmark")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if not k.startswith("DHR_DESK_")}
    base.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(f"Qt platform {base['QT_QPA_PLATFORM']}; medians of {args.runs} runs (range in brackets)")

    with tempfile.TemporaryDirectory(prefix="dhr-desk-bench-") as tmp:
        keyring_env = dict(
            base,
            PYTHONPATH=str(ROOT / "benchmarks"),
            PYTHON_KEYRING_BACKEND="env_keyring.FileKeyringForBenchmark",
            DHR_DESK_TRUSTED_KEYRING_BACKENDS="env_keyring.FileKeyringForBenchmark",
            DHR_DESK_BENCH_KEYRING_FILE=f"{tmp}/keyring.json",
            DHR_DESK_QUIT_WHEN_SHOWN="1",
        )
        passphrase_env = dict(
            base,
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
            DHR_DESK_PASSPHRASE="benchmark passphrase",
            DHR_DESK_QUIT_WHEN_SHOWN="1",
        )
        app = [sys.executable, "-m", "dhr_desk", "--data-dir"]
        _, created, _ = one_start([*app, f"{tmp}/keyring"], keyring_env)
        print(f"{'dhr-desk first run':<26} ready {created * 1000:5.0f} ms (creates the store)")

        bare, _, bare_peak = measure(
            "bare PySide6 window", [sys.executable, "-c", BARE_WINDOW], base, args.runs
        )
        desk, _, desk_peak = measure(
            "dhr-desk, keyring key", [*app, f"{tmp}/keyring"], keyring_env, args.runs
        )
        one_start([*app, f"{tmp}/passphrase"], passphrase_env)
        measure("dhr-desk, passphrase", [*app, f"{tmp}/passphrase"], passphrase_env, args.runs)

    ratio = desk / bare
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"window shown, dhr-desk / bare: {ratio:.2f} ({verdict} the target of {TARGET_RATIO}x)")
    print(f"peak memory: dhr-desk {desk_peak / 1024:.0f} MiB, bare {bare_peak / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
