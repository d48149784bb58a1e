"""A chase run at scale: 50,000 actions across 2,000 reviews and 300 contacts (30 agencies, each
with owners, a lead and a board representative) in an encrypted store on disk, then time a run
that writes every digest (.eml and PDF) and logs every chase, with this process's peak memory.

    .venv/bin/python benchmarks/chase.py [--actions 50000] [--reviews 2000] [--contacts 300]

Target (issue #5): under 10 seconds. The preview (the plan alone) is timed first, then the run.
Target dates are spread from 60 days overdue to 30 days ahead so every step of the ladder
occurs. Generation uses bulk inserts and is not timed against the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import keyring  # noqa: E402
from deadlines import peak_mib  # noqa: E402
from keyring.backends import fail  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from dhr_desk.models import Action, Agency, AgencyContact, Recommendation, Review  # noqa: E402
from dhr_desk.security.secret_store import SecretStore  # noqa: E402
from dhr_desk.store.location import DataLocation  # noqa: E402
from dhr_desk.store.store import Store, open_store  # noqa: E402
from dhr_desk.workflows.desk import Desk  # noqa: E402

TARGET_SECONDS = 10
AGENCIES = 30
AS_OF = dt.date(2026, 11, 25)  # a Wednesday


def generate(store: Store, actions: int, reviews: int, contacts: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    stamp = {"version": 1, "created_at": now, "updated_at": now}
    per_agency = max(contacts // AGENCIES, 3)
    agency_rows = [{"id": a, "name": f"Benchmark agency {a}", "kind": "other",
                    "asb_relevant_body": False, "active": True, **stamp}
                   for a in range(1, AGENCIES + 1)]  # fmt: skip
    contact_rows, owners = [], {}
    cid = 0
    for a in range(1, AGENCIES + 1):
        for k in range(per_agency):
            cid += 1
            contact_rows.append({
                "id": cid, "agency_id": a, "name": f"Contact {cid} (benchmark)",
                "email": f"contact{cid}@example.org" if cid % 10 else None,  # some letter-only
                "is_agency_lead": k == 0, "is_board_representative": k == 1, "active": True,
                **stamp,
            })  # fmt: skip
            if k >= 2:
                owners.setdefault(a, []).append(cid)
    review_rows = [{"id": r, "reference": f"DHR-B-{r:05d}", "kind": "dhr",
                    "title": f"Benchmark review {r}", "district": "Norwich",
                    "stage_key": "action_monitoring", "template_key": "dhr",
                    "template_version": "2016.1", "status": "open",
                    "opened_on": AS_OF - dt.timedelta(days=400),
                    "directed_by_secretary_of_state": False, **stamp}
                   for r in range(1, reviews + 1)]  # fmt: skip
    per_review = max(actions // reviews, 1)
    recommendation_rows, action_rows = [], []
    rec_id = action_id = 0
    for r in range(1, reviews + 1):
        for n in range(1, per_review // 5 + 2):
            rec_id += 1
            recommendation_rows.append({
                "id": rec_id, "review_id": r, "number": n, "text": "Benchmark recommendation.",
                "level": "multi_agency", "scope": "local", **stamp,
            })  # fmt: skip
        for k in range(per_review):
            action_id += 1
            agency = rng.randint(1, AGENCIES)
            action_rows.append({
                "id": action_id, "recommendation_id": rec_id - (k % (per_review // 5 + 1)),
                "number": k + 1, "description": "Benchmark action.", "lead_agency_id": agency,
                "owner_contact_id": rng.choice(owners[agency]),
                "target_date": AS_OF + dt.timedelta(days=rng.randint(-60, 30)),
                "status": "in_progress", **stamp,
            })  # fmt: skip
    with store.sessions.begin() as session:
        for model, rows in ((Agency, agency_rows), (AgencyContact, contact_rows),
                            (Review, review_rows), (Recommendation, recommendation_rows),
                            (Action, action_rows)):  # fmt: skip
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])
    print(f"generated {len(action_rows):,} actions, {len(review_rows):,} reviews, "
          f"{len(contact_rows):,} contacts in {AGENCIES} agencies")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description="dhr-desk chase benchmark")
    parser.add_argument("--actions", type=int, default=50_000)
    parser.add_argument("--reviews", type=int, default=2_000)
    parser.add_argument("--contacts", type=int, default=300)
    args = parser.parse_args()
    keyring.set_keyring(fail.Keyring())
    with tempfile.TemporaryDirectory(prefix="dhr-desk-bench-") as tmp:
        store = open_store(DataLocation(Path(tmp) / "data"), secrets=SecretStore(),
                           prompt=lambda request: "benchmark passphrase")  # fmt: skip
        generate(store, args.actions, args.reviews, args.contacts)
        desk = Desk(store, SecretStore())
        desk.change_setting("chasing.policy", {"csp_chair_name": "CSP Chair (benchmark)",
                                               "csp_chair_email": "chair@example.org"})  # fmt: skip
        began = time.perf_counter()
        plan = desk.chase_plan(AS_OF)
        planned = time.perf_counter() - began
        items = sum(len(d.items) for d in plan.digests)
        print(f"  preview (plan only): {planned:5.2f} s: {len(plan.digests)} digests, "
              f"{items:,} items")  # fmt: skip
        out = Path(tmp) / "out"
        out.mkdir()
        began = time.perf_counter()
        run = desk.chase(out, AS_OF)
        took = time.perf_counter() - began
        files = sum(len(f) for f in run.files.values())
        size = sum(p.stat().st_size for p in out.iterdir()) / 1024 / 1024
        verdict = "met" if took < TARGET_SECONDS else "NOT met"
        print(f"  chase run: {took:5.2f} s (target {TARGET_SECONDS} s, {verdict}): "
              f"{len(run.plan.digests)} digests, {files} files ({size:.1f} MiB), "
              f"{run.logged:,} chases logged")  # fmt: skip
        began = time.perf_counter()
        again = desk.chase(out, AS_OF)
        print(f"  same day again: {time.perf_counter() - began:5.2f} s, {again.logged} logged")
        store.close()
    print(f"peak memory {peak_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
