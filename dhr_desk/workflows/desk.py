"""The application services the desktop app and the CLI call: one object per open store.

Each call opens a short session (when it needs one) and hands back frozen dataclasses, so the
UI never holds a session or an ORM object.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dhr_desk.models import Review
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.backup import BackupResult, backup_store, validate_backup
from dhr_desk.store.errors import StoreError
from dhr_desk.store.store import Store, translated_errors
from dhr_desk.workflows import (
    after_submission,
    anonymisation_gate,
    document_register,
    submission_pack,
)
from dhr_desk.workflows.accountability import AccountabilityReport, accountability_report
from dhr_desk.workflows.action_plan import (
    ActionDetails,
    Progress,
    RecommendationDetails,
    RecommendationEntry,
    add_action,
    add_milestone,
    add_recommendation,
    add_theme,
    milestone_achieved,
    override_rag,
    reassign_owner,
    record_progress,
    retire_theme,
    sign_off_action,
    theme_names,
    update_action,
    update_recommendation,
)
from dhr_desk.workflows.action_tracker import (
    BulkChange,
    BulkResult,
    Chosen,
    TrackedAction,
    bulk_update,
    tracked_actions,
)
from dhr_desk.workflows.agency_directory import (
    AgencyPage,
    ContactEntry,
    DirectoryEntry,
    add_agency,
    add_contact,
    add_starter_agencies,
    agency_contacts,
    agency_names,
    agency_page,
    directory,
    retire_contact,
    set_agency_active,
    update_agency,
    update_contact,
)
from dhr_desk.workflows.asb_letters import LetterError
from dhr_desk.workflows.asb_letters import compose as compose_letter
from dhr_desk.workflows.asb_return import AsbReturn, ReturnPeriodError, asb_return
from dhr_desk.workflows.calendar_book import CalendarBook, CalendarDay
from dhr_desk.workflows.calendar_effects import MovedDeadline, due_dates, moved_deadlines
from dhr_desk.workflows.chase_run import ChaseRun, read_plan, run_chase
from dhr_desk.workflows.chasing import ChasePlan
from dhr_desk.workflows.dashboard import Dashboard, build_dashboard
from dhr_desk.workflows.deadlines import open_deadlines
from dhr_desk.workflows.evidence_files import (
    EvidenceFile,
    attach_evidence,
    check_size,
    evidence_content,
    evidence_files,
)
from dhr_desk.workflows.identifier_register import (
    PersonDetails,
    PersonEntry,
    RevealedPerson,
    add_person,
    people,
    reveal_person,
    update_person,
)
from dhr_desk.workflows.installation import InstallationInfo, describe_installation
from dhr_desk.workflows.lifecycle import Lifecycle, ReviewSummary, current_actor
from dhr_desk.workflows.officers import OfficerError, officer_names, set_lead_officer
from dhr_desk.workflows.pack_service import (
    PackError,
    PackMetadata,
    PackOutcome,
    PackService,
    author_of,
    plan_as_set,
)
from dhr_desk.workflows.private_copies import PrivateCopies
from dhr_desk.workflows.publication_pack import PublicationRecord, publication_record
from dhr_desk.workflows.review_changes import ReviewChangedElsewhere
from dhr_desk.workflows.review_overview import ReviewOverview, review_overview
from dhr_desk.workflows.review_records import (
    AuditEntry,
    EscalationEntry,
    FamilyEntry,
    MeetingEntry,
    PanelEntry,
    ProceedingEntry,
    RequestEntry,
    audit_trail,
    escalations,
    family_contacts,
    meetings,
    panel,
    proceedings,
    requests,
)
from dhr_desk.workflows.review_register import RegisterRow, register_rows
from dhr_desk.workflows.review_timeline import TimelineEntry, review_timeline
from dhr_desk.workflows.settings_registry import (
    SETTINGS,
    get_setting,
    set_setting,
)
from dhr_desk.workflows.submission_facts import SubmissionError
from dhr_desk.workflows.submission_wording import WordingError

T = TypeVar("T")


def _accountability(
    session: Session, start: dt.date, end: dt.date, today: dt.date
) -> AccountabilityReport:
    """The board's report, due soon counted with the amber window the partnership set."""
    amber = int(get_setting(session, "actions.amber_days"))
    return accountability_report(session, start, end, today=today, amber_days=amber)


class DeskError(Exception):
    """A read or change the store could not do (locked, disk full, server gone …); the message
    says what happened and what to do. Nothing was saved."""


class ChangedElsewhere(DeskError):
    """Another user changed the same record meanwhile (PostgreSQL, optimistic locking)."""


CHANGED_ELSEWHERE = (
    "Someone else changed this review while you were working on it, so your change was not "
    "saved (nothing was overwritten). Reload the review to see their change, then make yours "
    "again."
)


class _Guarded:
    """A services object whose every call reports store trouble as a DeskError."""

    def __init__(self, target: object, guard: Callable[[], Any]) -> None:
        self._target = target
        self._guard = guard

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._target, name)
        if not callable(found):
            return found

        @functools.wraps(found)
        def call(*args: Any, **kwargs: Any) -> Any:
            with self._guard():
                return found(*args, **kwargs)

        return call


class Desk:
    """Facade over one open store."""

    def __init__(self, store: Store, secrets: SecretStore) -> None:
        self._store = store
        self._secrets = secrets
        self.opened_copies = PrivateCopies()

    def installation(self) -> InstallationInfo:
        return describe_installation(self._store, self._secrets)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            with translated_errors(self._store.backend, self._store.description):
                yield
        except StaleDataError as exc:
            raise ChangedElsewhere(CHANGED_ELSEWHERE) from exc
        except ReviewChangedElsewhere as exc:
            raise ChangedElsewhere(str(exc)) from exc
        except (
            StoreError,
            SubmissionError,
            WordingError,
            PackError,
            OfficerError,
            ReturnPeriodError,
            LetterError,
        ) as exc:
            raise DeskError(str(exc)) from exc

    def _read(self, build: Callable[..., T], *args: Any) -> T:
        with self._guard(), self._store.sessions() as session:
            return build(session, *args)

    def lifecycle(self, actor: str | None = None, seen_change: int | None = None) -> Lifecycle:
        """The lifecycle services (register, record, move …) over this store; store trouble
        comes back as DeskError, a refused change as LifecycleError. With ``seen_change`` (the
        overview's ``last_change``) a change to a review changed since is refused as
        ChangedElsewhere."""
        services = Lifecycle(self._store.sessions, actor=actor, seen_change=seen_change)
        return cast(Lifecycle, _Guarded(services, self._guard))

    def dashboard(self, as_of: dt.date | None = None) -> Dashboard:
        def build(session: Session) -> Dashboard:
            return build_dashboard(session, as_of or dt.date.today(), officer=current_actor())

        return self._read(build)

    def register(self, as_of: dt.date | None = None) -> tuple[list[RegisterRow], list[str]]:
        """Every review as the register lists it, and any problems met building it."""
        return self._read(register_rows, as_of or dt.date.today())

    def lists(self, as_of: dt.date | None = None) -> tuple[Dashboard, list[RegisterRow], list[str]]:
        """The dashboard and the register together, from one reading of every deadline (what
        the window shows on opening and after each change)."""
        day = as_of or dt.date.today()

        def build(session: Session) -> tuple[Dashboard, list[RegisterRow], list[str]]:
            problems: list[str] = []
            deadlines = open_deadlines(session, day, problems)
            rows, _ = register_rows(session, day, deadlines, problems)
            board = build_dashboard(session, day, deadlines, problems, current_actor())
            return board, rows, problems

        return self._read(build)

    def _write(self, change: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self._guard(), self._store.sessions.begin() as session:
            return change(session, current_actor(), *args, **kwargs)

    def agencies(self) -> list[str]:
        return self._read(agency_names)

    def agency(self, name: str) -> AgencyPage:
        return self._read(agency_page, name)

    def add_starter_agencies(self) -> list[str]:
        """The Norfolk starter list, less the agencies already present by name."""
        return self._write(add_starter_agencies)

    def add_agency(
        self, *, name: str, kind: str, district: str | None = None, asb_relevant_body: bool = False
    ) -> None:
        self._write(add_agency, name=name, kind=kind, district=district,
                    asb_relevant_body=asb_relevant_body)  # fmt: skip

    def add_contact(self, agency: str, **details: str | bool) -> None:
        self._write(add_contact, agency, **details)

    def directory(self) -> list[DirectoryEntry]:
        """Every agency, retired ones included (the Agencies page)."""
        return self._read(directory)

    def update_agency(self, name: str, *, seen_version: int, **details: Any) -> list[str]:
        return self._write(update_agency, name, seen_version=seen_version, **details)

    def set_agency_active(self, name: str, *, active: bool, reason: str = "") -> None:
        self._write(set_agency_active, name, active=active, reason=reason)

    def update_contact(self, contact_id: int, *, seen_version: int, **details: Any) -> list[str]:
        return self._write(update_contact, contact_id, seen_version=seen_version, **details)

    def retire_contact(self, contact_id: int, *, reason: str) -> int:
        """Retire a contact who has left; returns how many open actions they own."""
        return self._write(retire_contact, contact_id, reason=reason)

    def reassign_owner(self, from_contact_id: int, to_contact_id: int) -> int:
        """Every open action of one contact given to another at the same agency."""
        return self._write(reassign_owner, from_contact_id, to_contact_id)

    def overview(self, reference: str) -> ReviewOverview:
        return self._read(review_overview, reference)

    def timeline(self, reference: str, as_of: dt.date | None = None) -> list[TimelineEntry]:
        return self._read(review_timeline, reference, as_of or dt.date.today())

    # --- a review's records (the workspace tabs) ----------------------------------------------

    def people(self, reference: str) -> list[PersonEntry]:
        """The identifier register with real identifiers masked."""
        return self._read(people, reference)

    def add_person(self, reference: str, details: PersonDetails) -> int:
        return self._write(add_person, reference, details)

    def update_person(
        self, reference: str, person_id: int, *, seen_version: int, details: PersonDetails
    ) -> list[str]:
        return self._write(
            update_person, reference, person_id, seen_version=seen_version, details=details
        )

    def reveal_person(self, reference: str, person_id: int, *, why: str) -> RevealedPerson:
        """One person's real identifiers; the reveal is written to the audit log first."""
        return self._write(reveal_person, reference, person_id, why=why)

    def panel(self, reference: str) -> list[PanelEntry]:
        return self._read(panel, reference)

    def meetings(self, reference: str) -> list[MeetingEntry]:
        return self._read(meetings, reference)

    def requests(self, reference: str, as_of: dt.date | None = None) -> list[RequestEntry]:
        return self._read(requests, reference, as_of or dt.date.today())

    def family_contacts(self, reference: str) -> list[FamilyEntry]:
        return self._read(family_contacts, reference)

    def proceedings(self, reference: str) -> list[ProceedingEntry]:
        return self._read(proceedings, reference)

    def escalations(self, reference: str) -> list[EscalationEntry]:
        return self._read(escalations, reference)

    def escalation_route(self) -> str:
        """Who hears escalations (setting asb.escalation_route)."""
        return str(self.settings()["asb.escalation_route"])

    def audit_trail(self, reference: str) -> list[AuditEntry]:
        return self._read(audit_trail, reference)

    # --- the action plan (recommendations and actions) --------------------------------------

    def action_plan(
        self, reference: str, as_of: dt.date | None = None
    ) -> list[RecommendationEntry]:
        return self._read(plan_as_set, reference, as_of or dt.date.today())

    def export_action_plan(self, reference: str, path: Path) -> Path:
        """The review's action plan in the Home Office columns, as PDF, DOCX or XLSX by the
        suffix of ``path``."""
        from dhr_desk.exports.action_plan_export import ActionPlanDocument, save_action_plan

        def read(session: Session) -> ActionPlanDocument:
            today = dt.date.today()
            plan = plan_as_set(session, reference, today)  # refuses a review not there
            title = session.scalar(select(Review.title).where(Review.reference == reference))
            return ActionPlanDocument(reference, str(title), author_of(session), today, plan)

        document = self._read(read)
        try:
            return save_action_plan(path, document)
        except OSError as exc:
            raise DeskError(
                f"The action plan could not be written to {path} ({exc.strerror or exc}). "
                "Choose another folder."
            ) from exc

    def accountability_report(
        self, start: dt.date, end: dt.date, today: dt.date | None = None
    ) -> AccountabilityReport:
        """The board's figures per agency and per theme for the period (accountability)."""

        return self._read(_accountability, start, end, today or dt.date.today())

    def save_accountability_report(
        self, path: Path, start: dt.date, end: dt.date, today: dt.date | None = None
    ) -> AccountabilityReport:
        """The report for the period written to ``path`` (.pdf or .xlsx); the figures saved."""
        from dhr_desk.exports.accountability_export import save_accountability_report

        def read(session: Session) -> tuple[AccountabilityReport, str]:
            return _accountability(session, start, end, today or dt.date.today()), author_of(
                session
            )

        report, partnership = self._read(read)
        try:
            save_accountability_report(path, report, partnership)
        except OSError as exc:
            raise DeskError(
                f"The report could not be written to {path} ({exc.strerror or exc}). "
                "Choose another folder."
            ) from exc
        return report

    def import_asb_applications(self, path: Path) -> list[ReviewSummary]:
        """ASB applications from a file (see asb_application_import): every one checked, then
        all registered in one transaction or none."""
        from dhr_desk.workflows.asb_application_import import (
            ApplicationFileError,
            read_applications,
        )

        try:
            if path.stat().st_size > 20 * 1024 * 1024:
                raise DeskError(f"{path.name} is over 20 MB: not a file of applications.")
            applications = read_applications(path.read_bytes())
        except OSError as exc:
            raise DeskError(f"{path} could not be read ({exc.strerror or exc}).") from exc
        except ApplicationFileError as exc:
            raise DeskError(
                f"{path.name} was not imported (nothing was registered):\n"
                + "\n".join(exc.problems[:20])
                + (f"\n… and {len(exc.problems) - 20} more." if len(exc.problems) > 20 else "")
            ) from exc
        return self.lifecycle().register_asb_many(applications)

    def asb_return(self, start: dt.date, end: dt.date) -> AsbReturn:
        """The ASB Case Review annual return for the period (see workflows/asb_return)."""
        with self._guard():
            return self._read(asb_return, start, end)

    def asb_return_bytes(self, start: dt.date, end: dt.date, fmt: str) -> tuple[AsbReturn, bytes]:
        """The return and its file in ``fmt`` (csv, json, xlsx, pdf)."""
        from dhr_desk.exports.asb_return_export import FORMATS, return_bytes

        if fmt not in FORMATS:
            raise DeskError(f"Save the return as {', '.join(FORMATS)}, not '{fmt}'.")

        def read(session: Session) -> tuple[AsbReturn, str]:
            sender = get_setting(session, "letters.sender")
            publisher = str(sender.get("organisation") or "the Community Safety Partnership")
            return asb_return(session, start, end), publisher

        with self._guard():
            report, partnership = self._read(read)
        return report, return_bytes(report, fmt, partnership, dt.date.today())

    def save_asb_return(self, path: Path, start: dt.date, end: dt.date) -> AsbReturn:
        """The return written to ``path`` in the format its suffix names."""
        from dhr_desk.exports.table_export import write_private

        report, data = self.asb_return_bytes(start, end, path.suffix.lower().lstrip("."))
        try:
            write_private(path, data)
        except OSError as exc:
            raise DeskError(
                f"The return could not be written to {path} ({exc.strerror or exc}). Choose "
                "another folder."
            ) from exc
        return report

    def asb_letter(self, reference: str, kind: str, out_dir: Path) -> tuple[Path, Path]:
        """The letter of ``kind`` to the applicant, written to ``out_dir`` as PDF and DOCX; the
        PDF is kept in the documents register as the next version of that letter (so it is on
        the review's timeline). Refused, with what to record first, when the review's records
        cannot support it yet."""
        from dhr_desk.exports.letter_export import letter_docx, letter_pdf
        from dhr_desk.exports.table_export import write_private

        today = dt.date.today()
        with self._guard():
            assessment = self.lifecycle().assess_threshold(reference)
        explanation = assessment.explanation if assessment is not None else ""
        letter = self._read(compose_letter, reference, kind, explanation, today)
        pdf, docx = letter_pdf(letter), letter_docx(letter)
        stem = f"{reference}-{kind.replace('_', '-')}-letter-{today.isoformat()}"
        new = document_register.NewVersion(
            f"Letter to the applicant: {letter.title}", "letter", f"{stem}.pdf", pdf,
            letter.partnership, "final", "official_sensitive", f"The {kind} letter, as made.",
        )  # fmt: skip
        self._write(document_register.add_version, reference, new)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            return (write_private(out_dir / f"{stem}.pdf", pdf),
                    write_private(out_dir / f"{stem}.docx", docx))  # fmt: skip
        except OSError as exc:
            raise DeskError(
                f"The letter is kept in the review's Documents, but could not be written to "
                f"{out_dir} ({exc.strerror or exc}). Save a copy from the Documents tab."
            ) from exc

    def attach_evidence(self, reference: str, action_id: int, path: Path, note: str = "") -> int:
        """Attach the file at ``path`` to the action as evidence (see evidence_files)."""
        try:
            check_size(path.name, path.stat().st_size)  # before reading a huge file in
            data = path.read_bytes()
        except OSError as exc:
            raise DeskError(
                f"{path.name} could not be read ({exc.strerror or exc}). Check it is not open in "
                "another program and that its drive or folder is still there, then attach it "
                "again. Nothing was attached."
            ) from exc
        return self._write(attach_evidence, reference, action_id, file_name=path.name, data=data,
                           note=note)  # fmt: skip

    def evidence_files(self, reference: str, action_id: int) -> list[EvidenceFile]:
        return self._read(evidence_files, reference, action_id)

    def save_evidence_copy(self, reference: str, document_id: int, path: Path) -> Path:
        """A copy of an evidence file written to ``path`` (private to the user), checked first."""
        from dhr_desk.exports.table_export import write_private

        _, data = self._read(evidence_content, reference, document_id)
        try:
            return write_private(path, data)
        except OSError as exc:
            raise DeskError(
                f"The copy could not be written to {path} ({exc.strerror or exc}). Choose another "
                "folder."
            ) from exc

    # ------------------------------------------------------------------ documents register

    def _file(self, path: Path, limit: Callable[[str, int], None]) -> bytes:
        try:
            limit(path.name, path.stat().st_size)  # before reading a huge file in
            return path.read_bytes()
        except OSError as exc:
            raise DeskError(
                f"{path.name} could not be read ({exc.strerror or exc}). Check it is not open in "
                "another program and that its drive or folder is still there, then try again. "
                "Nothing was added."
            ) from exc

    def documents(self, reference: str) -> list[document_register.VersionEntry]:
        return self._read(document_register.versions, reference)

    def add_document_version(
        self, reference: str, path: Path, *, title: str, kind: str, author: str = "",
        status: str = "draft", marking: str = "official_sensitive", note: str = "",
    ) -> int:  # fmt: skip
        """Add the file at ``path`` as the next version of the document titled ``title``."""
        data = self._file(path, document_register.check_size)
        new = document_register.NewVersion(title, kind, path.name, data, author, status, marking,
                                           note)  # fmt: skip
        return self._write(document_register.add_version, reference, new)

    def set_document_status(self, reference: str, version_id: int, status: str) -> None:
        self._write(document_register.set_status, reference, version_id, status)

    def circulate(self, reference: str, version_id: int, *, sent_to: str, purpose: str,
                  sent_on: dt.date, email: str = "") -> int:  # fmt: skip
        return self._write(
            document_register.record_circulation, reference, version_id, sent_to=sent_to,
            purpose=purpose, sent_on=sent_on, email=email,
        )  # fmt: skip

    def document_returned(self, reference: str, circulation_id: int, *, returned_on: dt.date,
                          note: str = "") -> None:  # fmt: skip
        self._write(document_register.record_return, reference, circulation_id,
                    returned_on=returned_on, note=note)  # fmt: skip

    def circulation_log(self, reference: str) -> list[document_register.CirculationEntry]:
        return self._read(document_register.circulation_log, reference)

    def save_version_copy(self, reference: str, version_id: int, path: Path) -> Path:
        """A copy of a document version written to ``path`` (private to the user), checked
        against its SHA-256 first."""
        from dhr_desk.exports.table_export import write_private

        _, data = self._read(document_register.version_content, reference, version_id)
        try:
            return write_private(path, data)
        except OSError as exc:
            raise DeskError(
                f"The copy could not be written to {path} ({exc.strerror or exc}). Choose another "
                "folder."
            ) from exc

    def open_version_copy(self, reference: str, version_id: int) -> Path:
        """A private temporary copy of the version to open in another program; removed when the
        app closes (``opened_copies.remove_all``)."""
        name, data = self._read(document_register.version_content, reference, version_id)
        try:
            return self.opened_copies.write(name, data)
        except OSError as exc:
            raise DeskError(
                f"A copy to open could not be written to the temporary folder "
                f"({exc.strerror or exc}). Free some disk space, or use Save a copy."
            ) from exc

    def check_versions(
        self, reference: str, version_ids: Sequence[int], purpose: str = "circulation"
    ) -> anonymisation_gate.GateResult:
        """Check document versions against the review's register (each check recorded)."""
        return self._write(anonymisation_gate.check_versions, reference, list(version_ids),
                           purpose)  # fmt: skip

    def check_files(
        self, reference: str, paths: Sequence[Path], purpose: str = "other"
    ) -> anonymisation_gate.GateResult:
        """Check files from disk against the review's register (each check recorded)."""
        files = [(p.name, self._file(p, document_register.check_size)) for p in paths]
        return self._write(anonymisation_gate.check_files, reference, files, purpose)

    def override_hit(self, reference: str, version_id: int, hit_key: str, reason: str) -> None:
        self._write(anonymisation_gate.override_hit, reference, version_id, hit_key, reason)

    # ------------------------------------------------------------ the Home Office packs

    @property
    def packs(self) -> PackService:
        return PackService(self._read, self._write)

    def report_starter(self, reference: str, which: str, path: Path) -> Path:
        """The overview report or executive summary starter (see PackService)."""
        with self._guard():
            return self.packs.report_starter(reference, which, path)

    def record_covering_facts(
        self, reference: str, *, delay_reasons: str | None = None,
        feedback_contact: str | None = None,
    ) -> None:  # fmt: skip
        """Keep the covering letter's reasons for delay and whom the feedback letter goes to."""
        self._write(submission_pack.record_covering_facts, reference,
                    delay_reasons=delay_reasons, feedback_contact=feedback_contact)  # fmt: skip

    def final_versions(
        self, reference: str, purpose: str = "submission"
    ) -> tuple[int | None, int | None]:
        with self._guard():
            return self.packs.final_versions(reference, purpose)

    def pack_metadata(self, reference: str, typed: Mapping[str, str] | None = None) -> PackMetadata:
        with self._guard():
            return self.packs.pack_metadata(reference, typed)

    def submission_pack(
        self, reference: str, *, overview_version: int | None, summary_version: int | None,
        metadata: Mapping[str, str] | None = None, out_dir: Path | None = None,
        made_on: dt.date | None = None,
    ) -> PackOutcome:  # fmt: skip
        """The submission pack's checklist, and with ``out_dir`` the pack (see PackService)."""
        with self._guard():
            return self.packs.submission_pack(
                reference, overview_version=overview_version, summary_version=summary_version,
                metadata=metadata, out_dir=out_dir, made_on=made_on,
            )  # fmt: skip

    def publication_pack(
        self, reference: str, *, overview_version: int | None, summary_version: int | None,
        out_dir: Path | None = None, made_on: dt.date | None = None,
    ) -> PackOutcome:  # fmt: skip
        """The publication pack's checklist, and with ``out_dir`` the pack (see PackService)."""
        with self._guard():
            return self.packs.publication_pack(
                reference, overview_version=overview_version, summary_version=summary_version,
                out_dir=out_dir, made_on=made_on,
            )  # fmt: skip

    def publication_record(self, reference: str) -> PublicationRecord:
        return self._read(publication_record, reference, dt.date.today())

    def record_publication(
        self, reference: str, *, family_told_on: dt.date | None = None,
        embargo_until: dt.date | None = None, published_on: dt.date | None = None,
        url: str | None = None,
    ) -> None:  # fmt: skip
        """The family told the date, the embargo, the publication date and web address."""
        self.lifecycle().record_publication(reference, family_told_on=family_told_on,
                                            embargo_until=embargo_until,
                                            published_on=published_on, url=url)  # fmt: skip

    # ------------------------------------------------------------------ after submission

    def after_submission(self, reference: str) -> after_submission.AfterSubmission:
        return self._read(after_submission.after_submission, reference, dt.date.today())

    def record_secretary_of_state_copy(self, reference: str, sent_on: dt.date) -> None:
        self._write(after_submission.record_secretary_of_state_copy, reference, sent_on=sent_on,
                    today=dt.date.today())  # fmt: skip

    def record_feedback_letter(
        self, reference: str, *, outcome: str, received_on: dt.date, letter: Path | None,
        areas: Sequence[str] = (),
    ) -> None:  # fmt: skip
        """The Home Office feedback letter: its outcome and areas for final development, and
        its file added to the documents register (OFFICIAL: it is published with the report),
        all in one transaction."""
        new = None
        if letter is not None:
            data = self._file(letter, document_register.check_size)
            new = document_register.NewVersion(
                "Home Office feedback letter", "ho_feedback_letter", letter.name, data,
                "Home Office Quality Assurance Panel", "final", "official",
                f"Outcome: {after_submission.OUTCOME_WORDS.get(outcome, outcome)}",
            )  # fmt: skip
        self.lifecycle().record_qa_outcome(reference, outcome=outcome,
                                           letter_received_on=received_on, amendments=areas,
                                           letter=new)  # fmt: skip

    def area_done(self, reference: str, amendment_id: int, *, done_on: dt.date, by: str) -> None:
        """One area for final development is done."""
        self.lifecycle().complete_qa_amendment(reference, amendment_id, done_on=done_on,
                                               done_by=by)  # fmt: skip

    def officers(self) -> list[str]:
        """Every officer's login name (for choosing who leads a review)."""
        return self._read(officer_names)

    def set_lead_officer(self, reference: str, username: str) -> None:
        self._write(set_lead_officer, reference, username)

    def themes(self) -> list[str]:
        return self._read(theme_names)

    def add_theme(self, name: str) -> None:
        self._write(add_theme, name)

    def retire_theme(self, name: str) -> None:
        self._write(retire_theme, name)

    def add_recommendation(
        self,
        reference: str,
        details: RecommendationDetails,
        actions: Sequence[ActionDetails] = (),
    ) -> int:
        return self._write(add_recommendation, reference, details, actions)

    def update_recommendation(
        self, reference: str, recommendation_id: int, *, seen_version: int,
        details: RecommendationDetails,
    ) -> list[str]:  # fmt: skip
        return self._write(update_recommendation, reference, recommendation_id,
                           seen_version=seen_version, details=details)  # fmt: skip

    def add_action(self, reference: str, recommendation_id: int, details: ActionDetails) -> int:
        return self._write(add_action, reference, recommendation_id, details)

    def update_action(
        self, reference: str, action_id: int, *, seen_version: int, details: ActionDetails,
        reason: str = "",
    ) -> list[str]:  # fmt: skip
        return self._write(update_action, reference, action_id, seen_version=seen_version,
                           details=details, reason=reason)  # fmt: skip

    def record_progress(
        self, reference: str, action_id: int, *, seen_version: int, progress: Progress
    ) -> None:
        self._write(record_progress, reference, action_id, seen_version=seen_version,
                    progress=progress)  # fmt: skip

    def override_rag(
        self, reference: str, action_id: int, *, seen_version: int, rag: str | None,
        reason: str = "",
    ) -> None:  # fmt: skip
        self._write(override_rag, reference, action_id, seen_version=seen_version, rag=rag,
                    reason=reason)  # fmt: skip

    def add_milestone(
        self, reference: str, action_id: int, *, description: str, due_on: dt.date | None
    ) -> int:
        return self._write(add_milestone, reference, action_id, description=description,
                           due_on=due_on)  # fmt: skip

    def milestone_achieved(self, reference: str, milestone_id: int, *, on: dt.date) -> None:
        self._write(milestone_achieved, reference, milestone_id, on=on)

    def sign_off_action(
        self, reference: str, action_id: int, *, seen_version: int, by: str, on: dt.date
    ) -> None:
        self._write(sign_off_action, reference, action_id, seen_version=seen_version, by=by,
                    on=on)  # fmt: skip

    def tracker(self, as_of: dt.date | None = None) -> list[TrackedAction]:
        """Every action of every review, RAG worked out with the partnership's amber window."""

        def read(session: Session, day: dt.date) -> list[TrackedAction]:
            return tracked_actions(session, day, int(get_setting(session, "actions.amber_days")))

        return self._read(read, as_of or dt.date.today())

    def bulk_update(self, chosen: Sequence[Chosen], change: BulkChange) -> BulkResult:
        """One change (status or target date, with the reason) to many actions: all or none."""
        return self._write(bulk_update, chosen, change)

    def chase_plan(self, as_of: dt.date | None = None) -> ChasePlan:
        """Who would be chased about what today (or ``as_of``): the preview; nothing logged."""
        return self._read(read_plan, as_of or dt.date.today())

    def chase(self, out_dir: Path, as_of: dt.date | None = None) -> ChaseRun:
        """Write the digests into ``out_dir`` and log every chase (see chase_run)."""
        with self._guard():
            try:
                return run_chase(self._store.sessions, current_actor(),
                                 as_of or dt.date.today(), out_dir)  # fmt: skip
            except OSError as exc:  # disk full, a name too long …: nothing was logged
                raise DeskError(
                    f"The digests could not be written to {out_dir} ({exc.strerror or exc}). "
                    "Nothing was logged; free some space or choose another folder, then run "
                    "the chase again."
                ) from exc

    def contacts(self, agency: str) -> list[ContactEntry]:
        """An agency's current contacts (to choose an action's owner from)."""
        return self._read(agency_contacts, agency)

    # --- settings, the working calendar, backup ---------------------------------------------

    def settings(self) -> dict[str, Any]:
        """Every setting's value (its default until changed)."""
        with self._guard(), self._store.sessions() as session:
            return {key: get_setting(session, key) for key in SETTINGS}

    def change_setting(self, key: str, value: Any) -> Any:
        """Save one setting (checked; audited); SettingError says what is allowed."""
        text = value.strip() if isinstance(value, str) else value
        return self._write(lambda session, actor: set_setting(session, key, text, actor=actor))

    def holidays(self, year: int) -> list[CalendarDay]:
        with self._guard():
            return CalendarBook(self._store.sessions, current_actor()).holidays(year)

    def _calendar_change(self, change: Callable[[CalendarBook], None]) -> list[MovedDeadline]:
        """Make a calendar change; the open deadlines it moves."""
        today = dt.date.today()
        with self._guard():
            before = self._read(due_dates, today)
            change(CalendarBook(self._store.sessions, current_actor()))
            return moved_deadlines(before, self._read(due_dates, today))

    def add_holiday(
        self, day: dt.date, name: str, reason: str | None = None
    ) -> list[MovedDeadline]:
        """Add a one-off bank holiday (CalendarChangeError if refused) and say which open
        deadlines it moves."""
        return self._calendar_change(lambda book: book.add(day, name, reason))

    def remove_holiday(self, day: dt.date, reason: str | None = None) -> list[MovedDeadline]:
        return self._calendar_change(lambda book: book.remove(day, reason))

    def backup(self, path: Path, *, overwrite: bool = False) -> BackupResult:
        """A consistent copy of the whole store (encrypted like the store), then opened and
        integrity-checked with the store's key, so a backup that would not restore is reported
        now rather than found out on the day it is needed."""
        with self._guard():
            result = backup_store(self._store, path, overwrite=overwrite)
            assert self._store.key is not None  # backup_store refuses a store without one
            validate_backup(result.path, self._store.key)
            return result

    def save_installation_report(self, path: Path) -> Path:
        """Write the installation report PDF (written whole, then renamed into place)."""
        from dhr_desk.exports.installation_report import build_installation_report  # ReportLab

        data = build_installation_report(self.installation())
        partial = path.with_name(path.name + ".partial")
        fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(partial, path)
        return path
