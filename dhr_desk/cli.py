"""Headless commands over the same services the desktop app uses.

``dhr-desk`` with no command opens the desktop app (see app.py); every command here runs without
a window. Errors are one clear message on stderr and a non-zero exit code, never a traceback:
1 unexpected fault, 2 no key or passphrase available, 3 the store cannot be opened or used,
4 another dhr-desk window holds the data directory, 64 the command line is not understood,
65 input not accepted (an impossible date, a bad span, a malformed file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import pathlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from dhr_desk.security.database_key import environment_passphrase
from dhr_desk.security.secret_store import SecretStore, SecretStoreError
from dhr_desk.store.backup import backup_store, restore_embedded
from dhr_desk.store.config import StoreConfig, load_config, save_config
from dhr_desk.store.errors import NothingDone, StoreError
from dhr_desk.store.instance_lock import InstanceLock
from dhr_desk.store.location import DataLocation, prepare_data_dir, resolve_data_dir
from dhr_desk.store.server import (
    parse_server_url,
    password_name,
    safe_url,
    server_engine,
    url_password,
)
from dhr_desk.store.sqlcipher import check_file_shape
from dhr_desk.store.store import DATABASE_URL_ENV, Store, existing_key, open_store
from dhr_desk.workflows import exchange
from dhr_desk.workflows.calendar_book import CalendarBook, CalendarChangeError
from dhr_desk.workflows.chase_run import run_chase
from dhr_desk.workflows.chasing import ChasingError
from dhr_desk.workflows.deadlines import open_deadlines
from dhr_desk.workflows.demo_data import DemoRefused, load_demo
from dhr_desk.workflows.installation import describe_installation
from dhr_desk.workflows.lifecycle import LifecycleError, current_actor
from dhr_desk.workflows.settings_registry import SETTINGS, SettingError, get_setting, set_setting
from dhr_desk.workflows.stage_templates import TemplateError
from dhr_desk.workflows.working_calendar import (
    CalendarRangeError,
    SpanError,
    en_gb,
    parse_en_gb_or_iso,
    parse_span,
)

if TYPE_CHECKING:  # the desk is imported when a command needs it (start-up time)
    from dhr_desk.workflows.desk import Desk
    from dhr_desk.workflows.pack_service import PackOutcome

DEBUG_ENV = "DHR_DESK_DEBUG"


def location_from(args: argparse.Namespace) -> DataLocation:
    return resolve_data_dir(getattr(args, "data_dir", None))


def open_for(args: argparse.Namespace, secrets: SecretStore) -> Store:
    return open_store(
        location_from(args),
        secrets=secrets,
        prompt=environment_passphrase,
        database_url=getattr(args, "database_url", None),
    )


def cmd_info(args: argparse.Namespace, secrets: SecretStore) -> int:
    store = open_for(args, secrets)
    try:
        info = describe_installation(store, secrets)
    finally:
        store.close()
    if args.json:
        print(json.dumps(info.as_json(), indent=2))
        return 0
    print(f"dhr-desk {info.version}")
    print(f"data directory:   {info.data_dir}")
    print(f"database:         {info.database} ({info.backend})")
    print(f"encrypted:        {'yes, with ' + info.key_described if info.encrypted else 'no'}")
    print(f"schema revision:  {info.schema_revision}")
    usable = "" if info.keyring_usable else " (not usable)"
    print(f"keyring backend:  {info.keyring_backend}{usable}")
    return 0


def cmd_backup(args: argparse.Namespace, secrets: SecretStore) -> int:
    store = open_for(args, secrets)
    try:
        result = backup_store(store, args.out, overwrite=args.force)
    finally:
        store.close()
    print(
        f"Backed up to {result.path} ({result.size_bytes:,} bytes, schema "
        f"{result.schema_revision}, encrypted with this data directory's key)."
    )
    return 0


def cmd_restore(args: argparse.Namespace, secrets: SecretStore) -> int:
    location = location_from(args)
    prepare_data_dir(location)
    config = load_config(location)
    if (
        config.database_url
        or getattr(args, "database_url", None)
        or os.environ.get(DATABASE_URL_ENV)
    ):
        raise NothingDone("This data directory uses a PostgreSQL server: restore on the server.")
    with InstanceLock(location, purpose="restore"):
        source = args.file.expanduser().resolve()
        if not source.is_file():
            raise NothingDone(f"{source} does not exist or is not a file.")
        check_file_shape(source)  # before any key is tried
        key = existing_key(location, secrets, environment_passphrase, verify_against=source)
        result = restore_embedded(location, key, source)
        source_of_key = "keyring" if key.kind == "raw" else "passphrase"
        save_config(location, config.with_key_source(source_of_key))
    kept = result.previous_file_kept_as
    print(f"Restored {result.restored_from} (schema {result.schema_revision}).")
    if kept is not None:
        print(f"The previous database was kept as {kept}.")
    store = open_for(args, secrets)  # migrate now if the backup is from an older schema
    store.close()
    return 0


def cmd_connect(args: argparse.Namespace, secrets: SecretStore) -> int:
    location = location_from(args)
    prepare_data_dir(location)
    config = load_config(location)
    if args.embedded:
        save_config(location, StoreConfig(database_url=None, key_source=config.key_source))
        print(f"{location.data_dir} now uses the embedded encrypted database.")
        return 0
    parsed = parse_server_url(args.url)
    in_url = url_password(parsed)
    password = in_url or os.environ.get("DHR_DESK_DATABASE_PASSWORD")
    if not password and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {safe_url(parsed)} (empty for none): ")
    if password:
        try:
            secrets.put(password_name(parsed), password)
        except SecretStoreError as exc:
            raise StoreError(
                f"{exc} A server password is only ever kept in the keyring, so the server was "
                "not set."
            ) from exc
    server_engine(safe_url(parsed), secrets).dispose()
    save_config(location, StoreConfig(database_url=safe_url(parsed), key_source=config.key_source))
    kept = "; the password is in the keyring" if password else " (no password)"
    print(f"{location.data_dir} now uses {safe_url(parsed)}{kept}.")
    if in_url:
        print(
            "The password was on the command line, where shell history may keep it; next time "
            "leave it out and type it at the prompt or set DHR_DESK_DATABASE_PASSWORD."
        )
    store = open_for(args, secrets)
    store.close()
    return 0


def _date(text: str) -> dt.date:
    try:
        return parse_en_gb_or_iso(text)
    except ValueError as exc:
        raise InputRejected(str(exc)) from exc


def cmd_due(args: argparse.Namespace, secrets: SecretStore) -> int:
    start = _date(args.start)
    try:
        span = parse_span(args.span)
    except SpanError as exc:
        raise InputRejected(str(exc)) from exc
    store = open_for(args, secrets)
    try:
        calendar = CalendarBook(store.sessions, current_actor()).calendar()
    finally:
        store.close()
    try:
        print(calendar.add(start, span).isoformat())
    except ValueError as exc:
        raise InputRejected(str(exc)) from exc
    return 0


def cmd_deadlines(args: argparse.Namespace, secrets: SecretStore) -> int:
    as_of = _date(args.as_of) if args.as_of else dt.date.today()
    store = open_for(args, secrets)
    try:
        with store.sessions() as session:
            problems: list[str] = []
            found = open_deadlines(session, as_of, problems)
    finally:
        store.close()
    if args.json:
        print(json.dumps([d.as_json() for d in found], indent=2))
    elif not found:
        print(f"No open deadlines on {en_gb(as_of)}.")
    for d in found if not args.json else ():
        late = f" ({d.days_overdue} days overdue)" if d.status == "overdue" else ""
        print(f"{en_gb(d.due)}  {d.status.replace('_', ' '):<9} {d.reference:<13} {d.name}{late}")
        print(f"{'':12}{d.basis}")
    for problem in problems:  # the list is complete but for these reviews
        print(f"dhr-desk: {problem}", file=sys.stderr)
    return 65 if problems else 0


def cmd_chase(args: argparse.Namespace, secrets: SecretStore) -> int:
    """One line per recipient (who, how many items, the files), the notes, then a total."""
    as_of = _date(args.as_of) if args.as_of else dt.date.today()
    out_dir = args.out.expanduser().resolve()
    store = open_for(args, secrets)
    try:
        run = run_chase(store.sessions, current_actor(), as_of, out_dir, dry_run=args.dry_run)
    except ChasingError as exc:
        raise InputRejected(str(exc)) from exc
    finally:
        store.close()
    plan = run.plan
    for digest in plan.digests:
        who = digest.recipient
        how = "letter only (no email address)" if digest.letter_only else "email draft and letter"
        made = ", ".join(p.name for p in run.files.get(who.key, [])) or "(dry run: not written)"
        print(f"{who.name} <{who.email or 'no email'}>, {who.role}, {who.agency}: "
              f"{len(digest.items)} item(s), {how}: {made}")  # fmt: skip
    for note in plan.notes:
        print(f"note: {note}")
    items = sum(len(d.items) for d in plan.digests)
    doing = "would be chased (dry run)" if args.dry_run else "chased and logged"
    print(f"Total: {len(plan.digests)} recipient(s), {items} item(s) {doing} on {en_gb(as_of)}.")
    return 0


def cmd_report(args: argparse.Namespace, secrets: SecretStore) -> int:
    """The accountability report written to FILE; a line per agency and the totals printed."""
    from dhr_desk.workflows.accountability import AccountabilityError, AccountabilityRow
    from dhr_desk.workflows.desk import Desk, DeskError

    start, end = _date(args.start), _date(args.end)
    out = args.out.expanduser().resolve()
    if out.suffix.lower() not in (".pdf", ".xlsx"):
        raise InputRejected(f"Write the report as .pdf or .xlsx, not '{out.name}'.")
    store = open_for(args, secrets)
    try:
        report = Desk(store, secrets).save_accountability_report(out, start, end)
    except AccountabilityError as exc:
        raise InputRejected(str(exc)) from exc
    except DeskError as exc:  # the file could not be written: nothing left half-written
        raise NothingDone(str(exc)) from exc
    finally:
        store.close()

    def line(row: AccountabilityRow) -> str:
        share = row.completed_by_target_share
        on_time = "no completions with a target" if share is None else f"{share:.0%} on time"
        oldest = f"; oldest overdue {row.oldest_overdue.words}" if row.oldest_overdue else ""
        return (f"{row.name}: {row.open} open, {row.overdue} overdue, {row.completed} completed "
                f"({on_time}), {row.closed_not_completed} closed{oldest}")  # fmt: skip

    print(f"Agency accountability, {report.period_words}:")
    for row in (*report.agencies, report.totals):
        print(f"  {line(row)}")
    print(f"Written to {out}")
    return 0


def cmd_import_asb(args: argparse.Namespace, secrets: SecretStore) -> int:
    """Register every application in the file, or none."""
    from dhr_desk.workflows.desk import Desk, DeskError

    path = args.file.expanduser()
    if not path.is_file():
        raise InputRejected(f"No such file: {path}. Nothing was registered.")
    store = open_for(args, secrets)
    try:
        made = Desk(store, secrets).import_asb_applications(path)
    except DeskError as exc:
        raise InputRejected(str(exc)) from exc
    finally:
        store.close()
    for summary in made:
        print(f"{summary.reference}: {summary.title} ({summary.stage_name})")
    print(f"{len(made)} application{'s' if len(made) != 1 else ''} registered.")
    return 0


def cmd_asb_return(args: argparse.Namespace, secrets: SecretStore) -> int:
    """The ASB annual return: JSON on stdout, or a CSV, JSON, XLSX or PDF file."""
    from dhr_desk.workflows.desk import Desk, DeskError

    start, end = _date(args.start), _date(args.end)
    if end < start:
        raise InputRejected(f"The period ends ({en_gb(end)}) before it starts ({en_gb(start)}).")
    fmt = args.format
    if fmt is None:
        suffix = args.out.suffix.lower().lstrip(".") if args.out else "json"
        fmt = suffix if suffix in ("csv", "json", "xlsx", "pdf") else None
        if fmt is None:
            raise InputRejected(f"Name the format with --format: '{args.out.suffix}' is not one.")
    if args.out is None and fmt in ("xlsx", "pdf"):
        raise InputRejected(f"A {fmt.upper()} return is a file: give --out FILE.")
    store = open_for(args, secrets)
    try:
        report, data = Desk(store, secrets).asb_return_bytes(start, end, fmt)
    except DeskError as exc:
        raise NothingDone(str(exc)) from exc
    finally:
        store.close()
    if args.out is None:
        sys.stdout.write(data.decode("utf-8-sig"))
        return 0
    from dhr_desk.exports.table_export import write_private

    try:
        write_private(args.out.expanduser(), data)
    except OSError as exc:
        raise NothingDone(f"{args.out} could not be written ({exc.strerror or exc}).") from exc
    total = report.total
    print(f"ASB Case Reviews, {report.period_words}: {total.applications} applications, "
          f"{total.threshold_not_met} threshold not met, {total.reviews_carried_out} reviews "
          f"carried out, {total.reviews_with_recommendations} with recommendations")  # fmt: skip
    print(f"Written to {args.out}")
    return 0


def cmd_check_anonymisation(args: argparse.Namespace, secrets: SecretStore) -> int:
    """Every hit in the files, with where it is and its context; 1 when anything is found or a
    file cannot be checked, 0 when all are clean. Each check is recorded on the review."""
    from dhr_desk.workflows.desk import Desk, DeskError
    from dhr_desk.workflows.document_register import DocumentError

    paths = [p.expanduser() for p in args.files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise InputRejected(f"No such file: {', '.join(missing)}. Nothing was checked.")
    store = open_for(args, secrets)
    try:
        result = Desk(store, secrets).check_files(args.reference, paths)
    except DocumentError as exc:
        raise InputRejected(str(exc)) from exc
    except DeskError as exc:
        raise NothingDone(str(exc)) from exc
    finally:
        store.close()
    if args.json:
        print(json.dumps({
            "reference": args.reference,
            "clean": result.passed,
            "files": [
                {"file": c.file_name, "sha256": c.sha256, "cannot_check": c.cannot_check,
                 "hits": [{"where": h.location, "kind": h.kind, "person": h.person,
                           "found": h.found, "context": h.context, "key": h.key}
                          for h in c.hits]}
                for c in result.checks
            ],
        }, indent=2, ensure_ascii=False))  # fmt: skip
        return 0 if result.passed else 1
    for check in result.checks:
        if check.cannot_check is not None:
            print(check.cannot_check)  # it starts with the file's name
            continue
        if check.clean:
            print(f"{check.file_name}: clean (no real identifier found)")
            continue
        count = len(check.hits)
        print(f"{check.file_name}: {count} hit{'s' if count != 1 else ''}")
        for hit in check.hits:
            print(f"  {hit.location}: {hit.kind} of {hit.person}: {hit.context}")
    verdict = "Not clean: fix the documents (or override each hit with a reason in the review's "
    verdict += "Documents tab) before anything leaves the team."
    print("Clean." if result.passed else verdict)
    return 0 if result.passed else 1


def cmd_pack(args: argparse.Namespace, secrets: SecretStore) -> int:
    if args.pack_command == "verify":
        return _verify_pack(args.zip.expanduser())
    from dhr_desk.workflows.desk import Desk, DeskError

    store = open_for(args, secrets)
    try:
        desk = Desk(store, secrets)
        if args.pack_command == "publication":
            return _publication_pack(desk, args)
        if args.pack_command == "record-publication":
            return _record_publication(desk, args)
        if args.pack_command == "starter":
            which = {"overview": "overview_report", "summary": "executive_summary"}[args.which]
            path = desk.report_starter(args.reference, which, args.out.expanduser())
            print(f"Written to {path}")
            return 0
        return _submission_pack(desk, args)
    except DeskError as exc:
        raise NothingDone(str(exc)) from exc
    finally:
        store.close()


def _submission_pack(desk: Desk, args: argparse.Namespace) -> int:
    typed: dict[str, str] = {}
    for field in args.field:
        label, sep, value = field.partition("=")
        if not sep or not label.strip():
            raise InputRejected(f"--field takes LABEL=VALUE, not '{field}'.")
        typed[label.strip()] = value.strip()
    known = {label for label, _ in desk.pack_metadata(args.reference).rows}
    unknown = sorted(set(typed) - known)
    if unknown:
        raise InputRejected(
            f"The metadata sheet has no field '{unknown[0]}'. Its fields: "
            f"{', '.join(sorted(known))}."
        )
    from dhr_desk.exports.pack_archive import FolderNotWritable, check_folder

    try:  # before anything is recorded
        check_folder(args.out.expanduser())
    except FolderNotWritable as exc:
        raise NothingDone(str(exc)) from exc
    if args.delay_reasons is not None or args.feedback_contact is not None:
        desk.record_covering_facts(args.reference, delay_reasons=args.delay_reasons,
                                   feedback_contact=args.feedback_contact)  # fmt: skip
    overview, summary = desk.final_versions(args.reference)
    outcome = desk.submission_pack(
        args.reference, overview_version=args.overview or overview,
        summary_version=args.summary or summary, metadata=typed, out_dir=args.out.expanduser(),
    )  # fmt: skip
    _print_checklist(outcome)
    if outcome.path is None:
        print("The pack was not made: put right each item marked FAIL, then run this again.")
        return 1
    print(f"Pack written to {outcome.path} (OFFICIAL-SENSITIVE: send it by a secure route).")
    return 0


def _print_checklist(outcome: PackOutcome) -> None:
    for item in outcome.checklist:
        print(f"[{'pass' if item.passed else 'FAIL'}] {item.label}: {item.reason}")
    for hit in outcome.gate.standing:
        print(f"  {hit.file_name}, {hit.location}: {hit.kind} of {hit.person}")
    for check in outcome.gate.cannot_check:
        print(f"  {check.cannot_check}")


def _publication_pack(desk: Desk, args: argparse.Namespace) -> int:
    overview, summary = desk.final_versions(args.reference, "publication")
    outcome = desk.publication_pack(
        args.reference, overview_version=args.overview or overview,
        summary_version=args.summary or summary, out_dir=args.out.expanduser(),
    )  # fmt: skip
    _print_checklist(outcome)
    if outcome.path is None:
        print("The pack was not made: put right each item marked FAIL, then run this again.")
        return 1
    print(f"Pack written to {outcome.path} (OFFICIAL: for the partnership's website).")
    return 0


def _record_publication(desk: Desk, args: argparse.Namespace) -> int:
    def day(text: str | None) -> dt.date | None:
        return _date(text) if text else None

    if not any((args.family_told, args.embargo, args.published, args.url)):
        raise InputRejected("Give at least one of --family-told, --embargo, --published, --url.")
    desk.record_publication(args.reference, family_told_on=day(args.family_told),
                            embargo_until=day(args.embargo), published_on=day(args.published),
                            url=args.url)  # fmt: skip
    record = desk.publication_record(args.reference)
    print(f"{args.reference}: family told {_words(record.family_told_on)}; embargo until "
          f"{_words(record.embargo_until)}; published {_words(record.published_on)}"
          f"{' at ' + record.url if record.url else ''}")  # fmt: skip
    print(f"  takedown review: {record.takedown_review}; learning briefing: "
          f"{record.learning_briefing}")  # fmt: skip
    return 0


def _words(day: dt.date | None) -> str:
    return en_gb(day) if day else "not recorded"


def _verify_pack(path: pathlib.Path) -> int:
    from dhr_desk.exports.pack_archive import PackUnreadable, verify_pack

    try:
        result = verify_pack(path)
    except PackUnreadable as exc:
        raise InputRejected(str(exc)) from exc
    listing = result.listing
    print(f"{path.name}: {listing.get('pack', '?')} pack of {listing.get('reference', '?')}, made "
          f"{listing.get('made_on', '?')}, marked {listing.get('marking', '?')}")  # fmt: skip
    for name in result.checked:
        print(f"  ok  {name}")
    for problem in result.problems:
        print(f"  BAD {problem}")
    if result.ok:
        print(f"Verified: all {len(result.checked)} files match the manifest.")
        return 0
    print("Not verified: this pack is not as it was made. Do not send it; make it again.")
    return 1


def cmd_calendar(args: argparse.Namespace, secrets: SecretStore) -> int:
    store = open_for(args, secrets)
    try:
        book = CalendarBook(store.sessions, current_actor())
        command = args.calendar_command
        if command == "list":
            year = args.year or dt.date.today().year
            for day in book.holidays(year):
                print(f"{en_gb(day.day)}  {day.day:%a}  {day.name}  [{day.source}]")
        elif command == "add":
            day = _date(args.day)
            book.add(day, args.name, args.reason)
            print(f"Added {en_gb(day)} ({args.name}); open deadlines now count it as a holiday.")
        elif command == "remove":
            day = _date(args.day)
            book.remove(day, args.reason)
            print(f"Removed {en_gb(day)}; it is a working day again.")
        else:
            result = book.import_govuk(args.file)
            added = ", ".join(en_gb(d) for d in result.added) or "none"
            print(
                f"Imported: {len(result.added)} new day(s) ({added}); "
                f"{result.already_known} already known."
            )
    except CalendarChangeError as exc:
        raise InputRejected(str(exc)) from exc
    finally:
        store.close()
    return 0


def cmd_demo(args: argparse.Namespace, secrets: SecretStore) -> int:
    store = open_for(args, secrets)
    try:
        summary = load_demo(store.sessions, force=args.force)
    except DemoRefused as exc:
        raise NothingDone(str(exc)) from exc
    finally:
        store.close()
    print(
        f"Loaded {summary.dhr} fictional domestic homicide reviews and {summary.asb} ASB case "
        "reviews at every stage, with overdue, due-soon, paused and revised deadlines."
    )
    return 0


def cmd_export_data(args: argparse.Namespace, secrets: SecretStore) -> int:
    target = args.file.expanduser().resolve()
    if target.exists() and not args.force:
        raise NothingDone(f"{target} already exists. Choose another name or pass --force.")
    if not target.parent.is_dir():
        raise NothingDone(f"The folder {target.parent} does not exist.")
    store = open_for(args, secrets)
    try:
        with store.sessions() as session:
            document = exchange.export_store(session)
    finally:
        store.close()
    exchange.write_file(target, document)
    rows = sum(len(rows) for rows in document["tables"].values())
    print(
        f"Exported {rows:,} records to {target}. The file holds real identifiers and is not "
        "encrypted: keep it as carefully as the database."
    )
    return 0


def cmd_import(args: argparse.Namespace, secrets: SecretStore) -> int:
    document = exchange.read_file(args.file.expanduser().resolve())
    store = open_for(args, secrets)
    try:
        with store.sessions.begin() as session:
            summary = exchange.import_store(session, document)
    finally:
        store.close()
    print(f"Imported {summary.total:,} records (format {summary.format_version}).")
    return 0


def cmd_settings(args: argparse.Namespace, secrets: SecretStore) -> int:
    store = open_for(args, secrets)
    try:
        if args.settings_command == "list":
            with store.sessions() as session:
                for key, spec in SETTINGS.items():
                    value = json.dumps(get_setting(session, key), ensure_ascii=False)
                    print(f"{key} = {value}\n    {spec.label}")
            return 0
        try:
            value = json.loads(args.value)
        except json.JSONDecodeError:
            value = args.value
        with store.sessions.begin() as session:
            saved = set_setting(session, args.key, value, actor=current_actor())
        print(f"{args.key} = {json.dumps(saved, ensure_ascii=False)}")
        return 0
    finally:
        store.close()


COMMANDS: dict[str, Callable[[argparse.Namespace, SecretStore], int]] = {
    "info": cmd_info,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "connect": cmd_connect,
    "due": cmd_due,
    "deadlines": cmd_deadlines,
    "calendar": cmd_calendar,
    "chase": cmd_chase,
    "report": cmd_report,
    "check-anonymisation": cmd_check_anonymisation,
    "asb-return": cmd_asb_return,
    "import-asb": cmd_import_asb,
    "pack": cmd_pack,
    "demo": cmd_demo,
    "export-data": cmd_export_data,
    "import": cmd_import,
    "settings": cmd_settings,
}


class InputRejected(StoreError):
    """Input that is not acceptable: an impossible date, a bad span, a malformed file."""

    exit_code = 65
    title = "Input not accepted"


def run_command(args: argparse.Namespace) -> int:
    """Run one headless command; a StoreError becomes a message and its exit code."""
    secrets = SecretStore()
    try:
        return COMMANDS[args.command](args, secrets)
    except StoreError as exc:
        print(f"dhr-desk: {exc.title}: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # output piped into a reader that stopped (e.g. head): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (LifecycleError, SettingError, CalendarRangeError, TemplateError) as exc:
        print(f"dhr-desk: Not done: {exc}", file=sys.stderr)
        return InputRejected.exit_code
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        print(
            f"dhr-desk: unexpected error ({type(exc).__name__}: {exc}). Run again with "
            f"{DEBUG_ENV}=1 to see the details, and report them.",
            file=sys.stderr,
        )
        return 1


__all__ = ["location_from", "run_command"]
