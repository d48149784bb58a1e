"""The action tracker and the board's report at scale: the same 50,000 actions across 2,000
reviews as benchmarks/chase.py, in an encrypted store on disk; times reading every action for
the tracker (done in a worker thread in the desk), one filter over them (done in the window's
thread), a bulk target-date move of 500 chosen actions, and the accountability report for a
year worked out and written as PDF and XLSX. Peak memory of this process at the end.

    .venv/bin/python benchmarks/action_tracker.py [--actions 50000] [--reviews 2000]

No target is set by the issue for these; the figures are for watching them over time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import keyring  # noqa: E402
from chase import AS_OF, generate  # noqa: E402
from deadlines import peak_mib  # noqa: E402
from keyring.backends import fail  # noqa: E402

from dhr_desk.security.secret_store import SecretStore  # noqa: E402
from dhr_desk.store.location import DataLocation  # noqa: E402
from dhr_desk.store.store import open_store  # noqa: E402
from dhr_desk.workflows.action_tracker import BulkChange, Chosen, TrackerFilter, filtered  # noqa: E402
from dhr_desk.workflows.desk import Desk  # noqa: E402


def timed(what: str, work: object) -> object:
    began = time.perf_counter()
    result = work()  # type: ignore[operator]
    print(f"  {what}: {time.perf_counter() - began:6.2f} s")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="dhr-desk action tracker benchmark")
    parser.add_argument("--actions", type=int, default=50_000)
    parser.add_argument("--reviews", type=int, default=2_000)
    args = parser.parse_args()
    keyring.set_keyring(fail.Keyring())
    with tempfile.TemporaryDirectory(prefix="dhr-desk-bench-") as tmp:
        store = open_store(DataLocation(Path(tmp) / "data"), secrets=SecretStore(),
                           prompt=lambda request: "benchmark passphrase")  # fmt: skip
        generate(store, args.actions, args.reviews, 300)
        desk = Desk(store, SecretStore())
        today = dt.date.today()
        rows = timed("tracker: every action read", lambda: desk.tracker(AS_OF))
        assert isinstance(rows, list)
        wanted = TrackerFilter(agency="Benchmark agency 7", status="open", due="overdue")
        shown = timed("tracker: one filter applied", lambda: filtered(rows, wanted, AS_OF))
        assert isinstance(shown, list)
        print(f"    {len(rows):,} actions, {len(shown):,} shown by the filter")
        chosen = [Chosen(r.action_id, r.reference, r.number, r.version) for r in rows[:500]]
        change = BulkChange(reason="Benchmark", on=today, target_date=AS_OF + dt.timedelta(days=90))
        timed("bulk target-date move of 500 actions", lambda: desk.bulk_update(chosen, change))
        start = dt.date(today.year - 1, today.month, 1)
        timed("accountability report, a year", lambda: desk.accountability_report(start, today))
        out = Path(tmp)
        timed("  … written as PDF", lambda: desk.save_accountability_report(
            out / "report.pdf", start, today))  # fmt: skip
        timed("  … written as XLSX", lambda: desk.save_accountability_report(
            out / "report.xlsx", start, today))  # fmt: skip
        store.close()
    print(f"peak memory {peak_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
