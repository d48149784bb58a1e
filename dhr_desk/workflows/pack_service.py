"""Making the Home Office packs (issue #6, points 4, 5 and 7): the report starters, the
submission pack (OFFICIAL-SENSITIVE) and the publication pack (OFFICIAL). Each pack runs its
checklist with the anonymisation gate over every file and over the text its manifest will hold;
only when every item passes is the zip written, whole, then recorded in the audit trail. The
desk (``Desk``) hands this its short-session ``read`` and ``write``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from dhr_desk.workflows import anonymisation_gate, publication_pack, submission_pack
from dhr_desk.workflows.action_plan import RecommendationEntry, action_plan
from dhr_desk.workflows.lifecycle import current_actor
from dhr_desk.workflows.pack_metadata import metadata_rows
from dhr_desk.workflows.settings_registry import get_setting
from dhr_desk.workflows.submission_facts import CaseFacts, case_facts
from dhr_desk.workflows.submission_pack import ChecklistItem, ChosenVersion
from dhr_desk.workflows.submission_wording import submission_wording

if TYPE_CHECKING:
    from dhr_desk.exports.pack_archive import PackFile
    from dhr_desk.exports.pdf_page import Marking

MARKING_SENSITIVE: Marking = "OFFICIAL-SENSITIVE"
MARKING_PUBLISHED: Marking = "OFFICIAL"


class PackError(Exception):
    """A pack or starter not made; the message says why and what to do. Nothing was written."""


@dataclass(frozen=True)
class PackMetadata:
    """What the pack wizard offers: the metadata rows, and the covering letter's facts."""

    rows: tuple[tuple[str, str], ...]
    late: bool
    delay_reasons: str
    feedback_contact: str


@dataclass(frozen=True)
class PackOutcome:
    """The pre-flight checklist, the gate's verdict, and the pack's path (None: not made)."""

    checklist: tuple[ChecklistItem, ...]
    gate: anonymisation_gate.GateResult
    metadata: tuple[tuple[str, str], ...]
    path: Path | None
    listing: dict[str, Any] | None = None

    @property
    def passed(self) -> bool:
        return all(item.passed for item in self.checklist)


@dataclass(frozen=True)
class _Inputs:
    """What a pack is made from, read in one session."""

    facts: CaseFacts
    plan: list[RecommendationEntry]
    chosen: list[tuple[str, ChosenVersion]]  # (the name in the zip, without suffix; version)
    items: list[ChecklistItem]  # before the gate's item
    author: str
    metadata: list[tuple[str, str]]
    typed_metadata: list[tuple[str, str]]  # the values that differ from the fields' defaults
    override_reasons: list[str]
    extra: dict[str, Any]  # what the manifest adds (the publication's dates)

    def typed_text(self) -> bytes:
        """What the manifest holds that a person typed (metadata, override reasons, checklist
        reasons naming who signed off …): it passes the gate with the files."""
        lines = [f"{label}: {value}" for label, value in self.metadata]
        lines += self.override_reasons + [item.reason for item in self.items]
        lines += [str(v) for v in self.extra.values() if v]
        return "\n".join(lines).encode("utf-8")


def plan_as_set(session: Session, reference: str, as_of: dt.date) -> list[RecommendationEntry]:
    """The review's action plan, RAG worked out with the amber window the partnership set."""
    amber = int(get_setting(session, "actions.amber_days"))
    return action_plan(session, reference, as_of, amber)


def author_of(session: Session) -> str:
    """Who the desk's documents are from: the letters' sender organisation (or name)."""
    sender = get_setting(session, "letters.sender")
    return str(sender.get("organisation") or sender.get("name") or "dhr-desk")


def _action_plan_files(got: _Inputs, reference: str, today: dt.date, prefix: str,
                       marking: Marking) -> list[PackFile]:  # fmt: skip
    from dhr_desk.exports.action_plan_export import (
        ActionPlanDocument,
        action_plan_docx,
        action_plan_pdf,
        action_plan_xlsx,
    )
    from dhr_desk.exports.pack_archive import PackFile

    plan = ActionPlanDocument(reference, got.facts.title, got.author, today, got.plan, marking)
    return [
        PackFile(f"{prefix}-action-plan.pdf", action_plan_pdf(plan), "Action plan (PDF)"),
        PackFile(f"{prefix}-action-plan.docx", action_plan_docx(plan), "Action plan (Word)"),
        PackFile(f"{prefix}-action-plan.xlsx", action_plan_xlsx(plan), "Action plan (Excel)"),
    ]


def _submission_files(got: _Inputs, reference: str, today: dt.date) -> list[PackFile]:
    """The files the desk writes for a submission: covering letter, action plan, metadata."""
    from dhr_desk.exports.covering_letter import covering_letter_docx, covering_letter_pdf
    from dhr_desk.exports.pack_archive import PackFile
    from dhr_desk.exports.table_export import xlsx_bytes

    letter = submission_wording().covering_letter
    return [
        PackFile("01-covering-letter.pdf", covering_letter_pdf(got.facts, letter, today),
                 "Covering letter (PDF)"),
        PackFile("01-covering-letter.docx", covering_letter_docx(got.facts, letter, today),
                 "Covering letter (Word)"),
        *_action_plan_files(got, reference, today, "04", MARKING_SENSITIVE),
        PackFile("05-metadata-sheet.xlsx",
                 xlsx_bytes(f"Metadata: {reference}", ("Field", "Value"), got.metadata,
                            wrap=True, author=got.author),
                 "Metadata sheet for the Home Office library"),
    ]  # fmt: skip


def _header(
    got: _Inputs, checklist: Sequence[ChecklistItem], gate: anonymisation_gate.GateResult,
    reference: str, today: dt.date, pack: str, marking: str, to: str,
) -> dict[str, Any]:  # fmt: skip
    return {
        "pack": pack,
        "marking": marking,
        "reference": reference,
        "review": got.facts.review_name,
        "title": got.facts.title,
        "made_on": today.isoformat(),
        "made_by": current_actor(),
        "to": to,
        **got.extra,
        "checklist": [{"item": i.label, "passed": i.passed, "reason": i.reason} for i in checklist],
        "anonymisation": {
            "files_checked": len(gate.checks),
            "overrides": [
                {
                    "file": hit.file_name,
                    "where": hit.location,
                    "kind": hit.kind,
                    "person": hit.person,
                    "reason": o.reason,
                    "by": o.by,
                    "on": o.on,
                }
                for hit, o in gate.overridden
            ],
        },
        "metadata": [{"field": label, "value": value} for label, value in got.metadata],
    }


class PackService:
    """The packs over one store: ``read`` and ``write`` run a function in a short session
    (``write`` passes the actor too) and report store trouble as the desk's errors."""

    def __init__(self, read: Callable[..., Any], write: Callable[..., Any]) -> None:
        self._read = read
        self._write = write

    # --- starters ------------------------------------------------------------------------

    def report_starter(self, reference: str, which: str, path: Path) -> Path:
        """The overview report (``which="overview_report"``) or executive summary starter,
        written to ``path`` as DOCX: Home Office layout, pseudonyms only, marked places; it
        passes the gate first (it is made from records people typed)."""
        from dhr_desk.exports.report_starters import report_starter
        from dhr_desk.exports.table_export import write_private

        wording = submission_wording()
        layout = {"overview_report": wording.overview_report,
                  "executive_summary": wording.executive_summary}.get(which)  # fmt: skip
        if layout is None:
            raise PackError(f"'{which}' is not a starter: overview_report or executive_summary.")
        today = dt.date.today()

        def read(session: Session) -> tuple[CaseFacts, list[RecommendationEntry]]:
            return case_facts(session, reference, today), plan_as_set(session, reference, today)

        facts, plan = self._read(read)
        data = report_starter(layout, facts, plan, today)
        # purpose "other", not "circulation": a clean starter is not a checked draft (the move
        # to sign-off reads the latest circulation check)
        result = self._write(anonymisation_gate.check_files, reference, [(path.name, data)],
                             "other")  # fmt: skip
        if not result.passed:
            where = "; ".join(f"{h.location}: {h.kind} of {h.person}" for h in result.standing)
            raise PackError(
                f"The starter would hold a real identifier ({where}). It is made from the "
                "review's records: correct the one that names the person (a recommendation, a "
                "reason, the title …), then make the starter again. Nothing was written."
            )
        try:
            return write_private(path, data)
        except OSError as exc:
            raise PackError(
                f"The starter could not be written to {path} ({exc.strerror or exc}). Choose "
                "another folder."
            ) from exc

    # --- the submission pack ---------------------------------------------------------------

    def final_versions(
        self, reference: str, purpose: str = "submission"
    ) -> tuple[int | None, int | None]:
        """The overview report and executive summary versions a pack takes by default: the
        newest final (submission) or approved (publication) ones."""
        statuses = (submission_pack.FINAL_STATUSES if purpose == "submission"
                    else submission_pack.APPROVED_STATUSES)  # fmt: skip

        def read(session: Session) -> tuple[int | None, int | None]:
            final = submission_pack.final_version
            return (final(session, reference, "overview_report", statuses),
                    final(session, reference, "executive_summary", statuses))  # fmt: skip

        result: tuple[int | None, int | None] = self._read(read)
        return result

    def pack_metadata(self, reference: str, typed: Mapping[str, str] | None = None) -> PackMetadata:
        """The metadata sheet's fields and values: ``typed`` first, then those typed for the
        last pack, then each field's default with the case's facts filled in."""

        def read(session: Session) -> PackMetadata:
            facts = case_facts(session, reference, dt.date.today())
            fields = get_setting(session, "packs.metadata_fields")
            offered = {**submission_pack.last_metadata(session, reference), **(typed or {})}
            known = {f["label"] for f in fields}
            rows = metadata_rows(facts, fields, {k: v for k, v in offered.items() if k in known})
            return PackMetadata(tuple(rows), facts.late, facts.delay_reasons,
                                facts.feedback_contact)  # fmt: skip

        result: PackMetadata = self._read(read)
        return result

    def submission_pack(
        self, reference: str, *, overview_version: int | None, summary_version: int | None,
        metadata: Mapping[str, str] | None = None, out_dir: Path | None = None,
        made_on: dt.date | None = None,
    ) -> PackOutcome:  # fmt: skip
        """The pre-flight checklist of a submission pack (the gate run over every file, each
        check recorded); with ``out_dir``, and only when every item passes, the pack written
        there as one zip with its manifest. Nothing is written when an item fails."""
        today = made_on or dt.date.today()
        _check_folder(out_dir)
        submission_wording()  # a damaged wording file is reported before anything is read

        def read(session: Session) -> _Inputs:
            facts = case_facts(session, reference, today)
            plan = plan_as_set(session, reference, today)
            overview, overview_item = submission_pack.chosen_version(
                session, reference, overview_version, "overview_report"
            )
            summary, summary_item = submission_pack.chosen_version(
                session, reference, summary_version, "executive_summary")  # fmt: skip
            fields = get_setting(session, "packs.metadata_fields")
            offered = {**submission_pack.last_metadata(session, reference), **(metadata or {})}
            rows = metadata_rows(facts, fields, offered)
            defaults = dict(metadata_rows(facts, fields, {}))
            typed = [(label, value) for label, value in rows if value != defaults.get(label)]
            items = [overview_item, summary_item, submission_pack.plan_item(plan),
                     *submission_pack.case_items(facts)]  # fmt: skip
            chosen = [(n, c) for n, c in (("02-overview-report", overview),
                                          ("03-executive-summary", summary)) if c]  # fmt: skip
            return _Inputs(facts, plan, chosen, items, author_of(session), rows, typed,
                           _reasons(session, reference), {})  # fmt: skip

        got: _Inputs = self._read(read)
        generated = _submission_files(got, reference, today)
        gate = self._gate(reference, got, generated, "submission")
        checklist = (*got.items[:2], submission_pack.gate_item(gate), *got.items[2:])
        outcome = PackOutcome(checklist, gate, tuple(got.metadata), None)
        if out_dir is None or not outcome.passed:
            return outcome
        header = _header(got, checklist, gate, reference, today, "submission", MARKING_SENSITIVE,
                         "Home Office Quality Assurance Panel")  # fmt: skip

        def record(path: Path, files: Sequence[PackFile]) -> None:
            self._write(submission_pack.record_pack, reference, file_name=path.name,
                        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                        files=[f.name for f in files], metadata=got.typed_metadata,
                        overrides=len(gate.overridden))  # fmt: skip

        stem = submission_pack.pack_stem(reference, today, "submission", MARKING_SENSITIVE)
        path, listing = self._finish(reference, got, generated, header, out_dir, stem, record)
        return PackOutcome(checklist, gate, tuple(got.metadata), path, listing)

    # --- the publication pack --------------------------------------------------------------

    def publication_pack(
        self, reference: str, *, overview_version: int | None, summary_version: int | None,
        out_dir: Path | None = None, made_on: dt.date | None = None,
    ) -> PackOutcome:  # fmt: skip
        """The checklist of a publication pack (approved versions, the Home Office letter,
        the gate re-run, nothing blocking, no file still OFFICIAL-SENSITIVE); with ``out_dir``
        and every item passing, the pack (marked OFFICIAL) written there and recorded."""
        today = made_on or dt.date.today()
        _check_folder(out_dir)

        def read(session: Session) -> _Inputs:
            facts = case_facts(session, reference, today)
            plan = plan_as_set(session, reference, today)
            items = publication_pack.case_items(session, reference)
            overview, overview_item = submission_pack.chosen_version(
                session, reference, overview_version, "overview_report", "publish"
            )
            summary, summary_item = submission_pack.chosen_version(
                session, reference, summary_version, "executive_summary", "publish"
            )
            letter, letter_item = publication_pack.feedback_letter(session, reference)
            chosen = [(n, c) for n, c in (("01-overview-report", overview),
                                          ("02-executive-summary", summary),
                                          ("04-home-office-letter", letter)) if c]  # fmt: skip
            register = submission_pack.case_items(facts)[0]  # a victim, every pseudonym
            details = publication_pack.publication_details(session, reference)
            checks = [register, overview_item, summary_item, letter_item, *items]
            reasons = _reasons(session, reference)
            return _Inputs(
                facts, plan, chosen, checks, author_of(session), [], [], reasons, details
            )

        got: _Inputs = self._read(read)
        generated = _action_plan_files(got, reference, today, "03", MARKING_PUBLISHED)
        gate = self._gate(reference, got, generated, "publication")
        files = [(name + Path(c.file_name).suffix.lower(), c.data) for name, c in got.chosen]
        files += [(f.name, f.data) for f in generated]  # by their names in the pack
        checklist = (*got.items, submission_pack.gate_item(gate),
                     publication_pack.marking_item(files))  # fmt: skip
        outcome = PackOutcome(checklist, gate, (), None)
        if out_dir is None or not outcome.passed:
            return outcome
        header = _header(got, checklist, gate, reference, today, "publication",
                         MARKING_PUBLISHED, "the partnership's website")  # fmt: skip

        def record(path: Path, files: Sequence[PackFile]) -> None:
            self._write(publication_pack.record_pack, reference, file_name=path.name,
                        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                        files=[f.name for f in files], overrides=len(gate.overridden))  # fmt: skip

        stem = submission_pack.pack_stem(reference, today, "publication", MARKING_PUBLISHED)
        path, listing = self._finish(reference, got, generated, header, out_dir, stem, record)
        return PackOutcome(checklist, gate, (), path, listing)

    # --- shared ------------------------------------------------------------------------------

    def _gate(self, reference: str, got: _Inputs, generated: Sequence[PackFile],
              purpose: str) -> anonymisation_gate.GateResult:  # fmt: skip
        checked = [(f.name, f.data) for f in generated]
        checked.append((submission_pack.TYPED_TEXT, got.typed_text()))
        result: anonymisation_gate.GateResult = self._write(
            anonymisation_gate.check_set, reference,
            version_ids=[c.version_id for _, c in got.chosen], files=checked, purpose=purpose,
        )  # fmt: skip
        return result

    def _finish(
        self, reference: str, got: _Inputs, generated: Sequence[PackFile],
        header: dict[str, Any], out_dir: Path, stem: str,
        record: Callable[[Path, Sequence[PackFile]], None],
    ) -> tuple[Path, dict[str, Any]]:  # fmt: skip
        """The zip written (the chosen versions under plain names: a file's own name may hold
        a real name), its manifest gated, then recorded; a pack not recorded is removed."""
        from dhr_desk.exports import pack_archive
        from dhr_desk.exports.pack_archive import FolderNotWritable, PackFile

        files = list(generated)
        for name, version in got.chosen:
            suffix = Path(version.file_name).suffix.lower()
            files.append(PackFile(name + suffix, version.data, version.label))
        files.sort(key=lambda f: f.name)
        listing = pack_archive.manifest(header, files)
        self._gate_manifest(reference, listing, header["pack"])
        try:
            path = pack_archive.write_pack(
                out_dir, stem, pack_archive.archive_bytes(files, listing)
            )
        except FolderNotWritable as exc:
            raise PackError(str(exc)) from exc
        try:
            record(path, files)
        except BaseException:
            path.unlink(missing_ok=True)  # a pack not on the record is not left behind
            raise
        return path, listing

    def _gate_manifest(self, reference: str, listing: dict[str, Any], pack: str) -> None:
        """The manifest as written passes the gate too (belt and braces: its typed text was
        checked with the files)."""
        text = json.dumps(listing, indent=2, ensure_ascii=False).encode("utf-8")
        result = self._write(anonymisation_gate.check_files, reference,
                             [("manifest.txt", text)], pack)  # fmt: skip
        if not result.passed:
            where = "; ".join(f"{h.location} ({h.person})" for h in result.standing)
            raise PackError(
                f"The pack's manifest would hold a real identifier ({where}). Change the metadata "
                "value or the record that names the person, then make the pack again. Nothing "
                "was written."
            )


def _check_folder(out_dir: Path | None) -> None:
    from dhr_desk.exports.pack_archive import FolderNotWritable, check_folder

    if out_dir is not None:
        try:
            check_folder(out_dir)
        except FolderNotWritable as exc:
            raise PackError(str(exc)) from exc


def _reasons(session: Session, reference: str) -> list[str]:
    return [o.reason for o in anonymisation_gate.overrides(session, reference)]
