"""The command-line grammar of ``dhr-desk``: global options and the headless commands.

Kept apart from the commands themselves so that starting the desktop app parses its options
without importing the database stack.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from dhr_desk import __version__

#: Exit code for a command line that is not understood (BSD's EX_USAGE); argparse's own 2 is
#: taken by "no key or passphrase".
USAGE_ERROR = 64


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


def normalise(argv: Sequence[str]) -> list[str]:
    """Let ``dhr-desk due 2027-01-01 -3wd`` reach the span check (and its message) instead of
    argparse reading ``-3wd`` as an unknown option."""
    args = list(argv)
    if "due" in args and "--" not in args:
        for i, arg in enumerate(args):
            if len(arg) > 1 and arg[0] == "-" and arg[1].isdigit():
                return [*args[:i], *args[i + 1 :], "--", arg]
    return args


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="data directory (default: DHR_DESK_DATA_DIR, else the per-user data folder)",
    )
    common.add_argument(
        "--database-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="use a PostgreSQL server, e.g. postgresql://user@host:5432/dhr_desk",
    )
    parser = Parser(
        prog="dhr-desk",
        description="Statutory review management. With no command, opens the desktop app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"dhr-desk {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="check this installation end to end in a temporary data directory and exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    info = commands.add_parser("info", parents=[common], help="show version, data location, store")
    info.add_argument("--json", action="store_true", help="print JSON")

    backup = commands.add_parser(
        "backup", parents=[common], help="write a consistent, still encrypted copy of the store"
    )
    backup.add_argument("--out", metavar="FILE", required=True, type=Path)
    backup.add_argument("--force", action="store_true", help="replace FILE if it exists")

    restore = commands.add_parser(
        "restore",
        parents=[common],
        help="replace the store with a backup (current file kept aside)",
    )
    restore.add_argument("file", metavar="FILE", type=Path)

    due = commands.add_parser(
        "due", parents=[common], help="the date a span after a date falls, on the app's calendar"
    )
    due.add_argument("start", metavar="FROM", help="a date: 2027-02-03 or 03/02/2027")
    due.add_argument("span", metavar="SPAN", help="e.g. 21wd (working days), 6m, 10d")

    deadlines = commands.add_parser(
        "deadlines", parents=[common], help="every open deadline of every open review"
    )
    deadlines.add_argument("--as-of", metavar="DATE", help="judge the deadlines on DATE")
    deadlines.add_argument("--json", action="store_true", help="print JSON")

    chase = commands.add_parser(
        "chase",
        parents=[common],
        help="chase the actions due: one digest per recipient (.eml draft and PDF letter)",
    )
    chase.add_argument("--as-of", metavar="DATE", help="chase as on DATE (default today)")
    chase.add_argument("--out", metavar="DIR", type=Path, required=True,
                       help="folder for the .eml drafts and PDF letters")  # fmt: skip
    chase.add_argument("--dry-run", action="store_true",
                       help="say who would get what; write and log nothing")  # fmt: skip

    report = commands.add_parser("report", parents=[common], help="reports for the board")
    report_commands = report.add_subparsers(dest="report_command", required=True)
    accountability = report_commands.add_parser(
        "accountability",
        parents=[common],
        help="per agency and per theme: actions open, overdue, completed (PDF or XLSX)",
    )
    accountability.add_argument("--from", dest="start", metavar="DATE", required=True,
                                help="the period's first day")  # fmt: skip
    accountability.add_argument("--to", dest="end", metavar="DATE", required=True,
                                help="the period's last day")  # fmt: skip
    accountability.add_argument("--out", metavar="FILE", type=Path, required=True,
                                help="the report to write: .pdf or .xlsx")  # fmt: skip

    intake = commands.add_parser(
        "import-asb",
        parents=[common],
        help="register ASB Case Review applications from a JSON file (all or none)",
        description="Read a file of ASB Case Review applications (format "
        "dhr-desk-asb-applications, see docs/asb-letters.md), check every one, then register all "
        "in one transaction, or none. Exits 65 listing every problem when any is found.",
    )
    intake.add_argument("file", metavar="FILE", type=Path, help="the applications (JSON)")

    asb = commands.add_parser(
        "asb-return",
        parents=[common],
        help="the ASB Case Review annual statutory return for a period",
        description="Per district and in total: applications received, threshold not met, case "
        "reviews carried out, case reviews with recommendations, each counted by the date of its "
        "own event inside the period, with the previous period of the same length. JSON on "
        "standard output unless --out names a file (its suffix gives the format).",
    )
    asb.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        required=True,
        help="the period's first day (e.g. 01/04/2026)",
    )
    asb.add_argument(
        "--to",
        dest="end",
        metavar="DATE",
        required=True,
        help="the period's last day (e.g. 31/03/2027)",
    )
    asb.add_argument(
        "--format",
        choices=("csv", "json", "xlsx", "pdf"),
        help="the format (default: from --out's suffix, else json)",
    )
    asb.add_argument("--out", metavar="FILE", type=Path, help="write to FILE")

    check = commands.add_parser(
        "check-anonymisation",
        parents=[common],
        help="check files against a review's register of real identifiers (exit 1 on any hit)",
        description="Read every part of each file (DOCX, XLSX, PDF or text) and report every real "
        "name, nickname, date of birth, address, postcode or workplace of the review's identifier "
        "register found in it. Exits 0 when every file is clean, 1 when anything is found or a "
        "file cannot be checked.",
    )
    check.add_argument("reference", metavar="REF", help="the review, e.g. DHR-2026-001")
    check.add_argument("files", metavar="FILE", type=Path, nargs="+", help="the files to check")
    check.add_argument("--json", action="store_true", help="print the findings as JSON")

    pack = commands.add_parser(
        "pack", parents=[common], help="Home Office submission packs: make, verify, report starters"
    )
    pack_commands = pack.add_subparsers(dest="pack_command", required=True)
    submission = pack_commands.add_parser(
        "submission",
        parents=[common],
        help="check a DHR and make its submission pack (one zip, OFFICIAL-SENSITIVE)",
        description="Run the pre-flight checklist (chosen versions, anonymisation gate over every "
        "file, actions, delay explained, family, sign-off) and, when every item passes, write the "
        "submission pack to DIR: covering letter (PDF, DOCX), overview report, executive summary, "
        "action plan (PDF, DOCX, XLSX), metadata sheet and manifest.json, in one zip. Exits 0 "
        "when the pack is made, 1 when an item fails (nothing is written).",
    )
    submission.add_argument("reference", metavar="REF", help="the review, e.g. DHR-2026-001")
    submission.add_argument(
        "--out", metavar="DIR", type=Path, required=True, help="the folder to write the pack to"
    )
    submission.add_argument(
        "--overview",
        metavar="VERSION",
        type=int,
        help="the overview report version id (default: the newest final)",
    )
    submission.add_argument(
        "--summary",
        metavar="VERSION",
        type=int,
        help="the executive summary version id (default: the newest final)",
    )
    submission.add_argument(
        "--field",
        metavar="LABEL=VALUE",
        action="append",
        default=[],
        help="a metadata sheet value (repeat for each field)",
    )
    submission.add_argument(
        "--delay-reasons",
        metavar="TEXT",
        help="record the reasons the review took longer than six months",
    )
    submission.add_argument(
        "--feedback-contact",
        metavar="TEXT",
        help="record whom the Home Office feedback letter goes to",
    )
    publication = pack_commands.add_parser(
        "publication",
        parents=[common],
        help="check a DHR and make its publication pack (one zip, OFFICIAL)",
        description="Run the publication checklist (approved versions, the Home Office letter, "
        "approval, areas for final development done, no parallel proceeding blocking, the "
        "family told the date, the anonymisation gate over every file, nothing still marked "
        "OFFICIAL-SENSITIVE) and, when every item passes, write the publication pack to DIR. "
        "Exits 0 when the pack is made, 1 when an item fails (nothing is written).",
    )
    publication.add_argument("reference", metavar="REF", help="the review, e.g. DHR-2026-001")
    publication.add_argument(
        "--out", metavar="DIR", type=Path, required=True, help="the folder to write the pack to"
    )
    publication.add_argument(
        "--overview",
        metavar="VERSION",
        type=int,
        help="the overview report version id (default: newest approved)",
    )
    publication.add_argument(
        "--summary",
        metavar="VERSION",
        type=int,
        help="the executive summary version id (default: newest approved)",
    )
    published = pack_commands.add_parser(
        "record-publication",
        parents=[common],
        help="record the family told the date, the embargo, the publication date and address",
    )
    published.add_argument("reference", metavar="REF", help="the review, e.g. DHR-2026-001")
    published.add_argument("--family-told", metavar="DATE", help="the family told the date on")
    published.add_argument("--embargo", metavar="DATE", help="not to be published before")
    published.add_argument("--published", metavar="DATE", help="published on")
    published.add_argument("--url", metavar="URL", help="the web address it is published at")
    verify = pack_commands.add_parser(
        "verify",
        parents=[common],
        help="check a pack's files against its manifest",
        description="Check every file of a pack against manifest.json: present, same size, same "
        "SHA-256, nothing unlisted. Exits 0 when it matches, 1 when it does not, 65 when the file "
        "is not a readable pack. Needs no data directory.",
    )
    verify.add_argument("zip", metavar="ZIP", type=Path, help="the pack")
    starter = pack_commands.add_parser(
        "starter",
        parents=[common],
        help="write the overview report or executive summary starter (DOCX, pseudonyms only)",
    )
    starter.add_argument("reference", metavar="REF", help="the review, e.g. DHR-2026-001")
    starter.add_argument("which", choices=("overview", "summary"), help="which starter")
    starter.add_argument(
        "--out", metavar="FILE", type=Path, required=True, help="the .docx to write"
    )

    calendar = commands.add_parser(
        "calendar", parents=[common], help="the working-day calendar: list, add, remove, import"
    )
    calendar_commands = calendar.add_subparsers(dest="calendar_command", required=True)
    listing = calendar_commands.add_parser("list", parents=[common], help="bank holidays")
    listing.add_argument("--year", type=int, help="the year (default: this year)")
    adding = calendar_commands.add_parser("add", parents=[common], help="add a one-off holiday")
    adding.add_argument("day", metavar="DATE")
    adding.add_argument("name", metavar="NAME")
    adding.add_argument("--reason")
    removing = calendar_commands.add_parser("remove", parents=[common], help="remove a holiday")
    removing.add_argument("day", metavar="DATE")
    removing.add_argument("--reason")
    importing = calendar_commands.add_parser(
        "import", parents=[common], help="add the days in GOV.UK's bank-holidays.json"
    )
    importing.add_argument("file", metavar="FILE", type=Path)

    export = commands.add_parser(
        "export-data", parents=[common], help="write every record to a versioned JSON file"
    )
    export.add_argument("file", metavar="FILE", type=Path)
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")

    load = commands.add_parser(
        "import", parents=[common], help="load an exchange file into an empty store"
    )
    load.add_argument("file", metavar="FILE", type=Path)

    settings = commands.add_parser(
        "settings", parents=[common], help="the partnership's settings: list, or set one"
    )
    settings_commands = settings.add_subparsers(dest="settings_command", required=True)
    settings_commands.add_parser("list", parents=[common], help="every setting and its value")
    setting = settings_commands.add_parser("set", parents=[common], help="change a setting")
    setting.add_argument("key", metavar="KEY")
    setting.add_argument("value", metavar="VALUE", help="a JSON value, or plain text")

    demo = commands.add_parser(
        "demo", parents=[common], help="load a fictional demonstration data set"
    )
    demo.add_argument(
        "--force", action="store_true", help="load even though the store already holds reviews"
    )

    connect = commands.add_parser(
        "connect",
        parents=[common],
        help="use a PostgreSQL server for this data directory (password kept in the keyring)",
    )
    target = connect.add_mutually_exclusive_group(required=True)
    target.add_argument("url", metavar="URL", nargs="?", help="postgresql://USER@HOST:PORT/DB")
    target.add_argument(
        "--embedded", action="store_true", help="go back to the embedded encrypted file"
    )
    return parser
