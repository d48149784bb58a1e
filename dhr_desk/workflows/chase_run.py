"""A chase run: work out the plan (workflows/chasing.py), write each digest as an .eml draft
(when the recipient has an email address) and a PDF letter, then log every chase on the actions
it covers. A dry run only works out the plan.

Nothing half-written: each file is written whole under a temporary name, then given its name
(never over another file); the chases are then logged in one transaction. A failure anywhere
removes every file of the run and logs nothing, so the next run produces the same digests again.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from dhr_desk.exports.chase_digest import digest_eml, digest_pdf
from dhr_desk.workflows.calendar_book import load_calendar
from dhr_desk.workflows.chasing import (
    ChasePlan,
    ChasePolicy,
    ChasingError,
    plan_chase,
    record_chases,
)
from dhr_desk.workflows.settings_registry import get_setting


@dataclass(frozen=True)
class ChaseRun:
    plan: ChasePlan
    files: dict[str, list[Path]] = field(default_factory=dict)  # by recipient key
    logged: int = 0
    dry_run: bool = False


def read_plan(session: Session, as_of: dt.date) -> ChasePlan:
    policy = ChasePolicy.from_setting(get_setting(session, "chasing.policy"))
    return plan_chase(session, as_of, load_calendar(session), policy)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40] or "recipient"


def _check_folder(out_dir: Path) -> None:
    if not out_dir.is_dir():
        raise ChasingError(f"{out_dir} is not a folder. Create it, or choose another.")
    probe = out_dir / f".dhr-desk-probe-{uuid.uuid4().hex}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ChasingError(
            f"Cannot write in {out_dir} ({exc.strerror or exc}). Choose a folder you can write "
            "to; nothing was produced or logged."
        ) from exc


def _write_private(path: Path, data: bytes) -> None:
    """Write a new file readable by this user only (O_EXCL: never over another file)."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _free_name(out_dir: Path, stem: str, suffix: str, taken: set[Path]) -> Path:
    candidate, n = out_dir / f"{stem}{suffix}", 1
    while candidate.exists() or candidate in taken:
        n += 1
        candidate = out_dir / f"{stem}-{n}{suffix}"
    taken.add(candidate)
    return candidate


def run_chase(
    sessions: sessionmaker[Session],
    actor: str,
    as_of: dt.date,
    out_dir: Path,
    *,
    dry_run: bool = False,
    made_at: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> ChaseRun:
    """Plan; unless a dry run, write the digests into ``out_dir`` and log the chases."""
    with sessions() as session:
        plan = read_plan(session, as_of)
        sender = dict(get_setting(session, "letters.sender"))
    if dry_run:
        return ChaseRun(plan, dry_run=True)
    _check_folder(out_dir)  # even on a day with nothing due: a wrong folder is said at once
    if not plan.digests:
        return ChaseRun(plan)
    made = made_at()
    temporaries: list[Path] = []
    placed: list[Path] = []
    files: dict[str, list[Path]] = {}
    taken: set[Path] = set()
    try:
        for digest in plan.digests:
            stem = f"{as_of:%Y-%m-%d}-actions-due-{_slug(digest.recipient.name)}"
            outputs = [(".pdf", digest_pdf(digest, sender, as_of))]
            if not digest.letter_only:
                outputs.insert(0, (".eml", digest_eml(digest, sender, made)))
            for suffix, data in outputs:
                final = _free_name(out_dir, stem, suffix, taken)
                temporary = final.with_name(f".{final.name}.{uuid.uuid4().hex}.partial")
                temporaries.append(temporary)
                _write_private(temporary, data)
                files.setdefault(digest.recipient.key, []).append(final)
                _place(temporary, final)
                placed.append(final)
        with sessions.begin() as session:
            logged = record_chases(
                session, actor, plan, {k: [p.name for p in v] for k, v in files.items()}
            )
    except BaseException:
        for path in temporaries + placed:  # nothing logged: no file may be left behind
            path.unlink(missing_ok=True)
        raise
    return ChaseRun(plan, files, logged)


def _place(temporary: Path, final: Path) -> None:
    """Give the written file its name, never over another file (a hard link fails if the name
    is taken), then drop the temporary name."""
    os.link(temporary, final)
    temporary.unlink()
