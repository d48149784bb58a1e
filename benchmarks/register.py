"""The desk at scale: generate 100,000 reviews (as benchmarks/deadlines.py does, encrypted on
disk), then time what the window does with them: build the register rows and the dashboard,
load the rows into the register's Qt model, filter by text and by kind, and sort by due date.
Prints each time and this process's peak memory.

    .venv/bin/python benchmarks/register.py [--reviews 100000]

Target (issue #4): the register stays responsive with 100,000 reviews. Offscreen Qt; no
window is shown. The window builds the dashboard and register in the GUI thread today, behind a
wait cursor: the first figure printed is that pause.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import keyring  # noqa: E402
from deadlines import generate, peak_mib  # noqa: E402
from keyring.backends import fail  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from dhr_desk.security.secret_store import SecretStore  # noqa: E402
from dhr_desk.store.location import DataLocation  # noqa: E402
from dhr_desk.store.store import open_store  # noqa: E402
from dhr_desk.ui.register_page import RegisterPage  # noqa: E402
from dhr_desk.workflows.desk import Desk  # noqa: E402


def timed(label: str, work: object) -> object:
    began = time.perf_counter()
    result = work()  # type: ignore[operator]
    print(f"  {label:<44} {time.perf_counter() - began:6.2f} s")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="dhr-desk register benchmark")
    parser.add_argument("--reviews", type=int, default=100_000)
    args = parser.parse_args()
    today = dt.date(2026, 11, 21)
    keyring.set_keyring(fail.Keyring())
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="dhr-desk-bench-") as tmp:
        store = open_store(DataLocation(Path(tmp)), secrets=SecretStore(),
                           prompt=lambda request: "benchmark passphrase")  # fmt: skip
        generate(store, args.reviews, today)
        desk = Desk(store, SecretStore())
        desk.register(today)  # one-time costs (mapper set-up, holiday table) paid here
        print(f"{args.reviews:,} reviews:")
        _, rows, _ = timed(
            "dashboard and register built (one deadline pass)", lambda: desk.lists(today)
        )  # type: ignore[misc]
        page = RegisterPage(None)
        timed("rows loaded into the register's model", lambda: page.set_rows(rows))
        timed("first search ('B-0042', indexes the text)", lambda: page.search.setText("B-0042"))
        print(f"    {page.proxy.rowCount():,} rows shown")
        timed("next keystroke ('B-00421')", lambda: page.search.setText("B-00421"))
        timed("search cleared", lambda: page.search.setText(""))
        timed("filtered to ASB", lambda: page.kind.setCurrentIndex(page.kind.findData("asb")))
        timed("sorted by due date", lambda: page.view.sortByColumn(7, Qt.SortOrder.AscendingOrder))
        store.close()
    print(f"peak memory {peak_mib():.0f} MiB")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
