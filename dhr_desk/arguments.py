"""The command-line grammar of ``dhr-desk``: global options and the headless commands.

Kept apart from the commands themselves so that starting the desktop app parses its options
without importing the database stack.
"""

from __future__ import annotations

import argparse
import sys
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
