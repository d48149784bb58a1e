"""Composition root: parse the command line, then start the desktop app, a headless command,
or the smoke test.

The desktop app shows its window before it imports the database stack, then opens the store
(asking for a passphrase over the window where one is needed); headless commands never import
Qt. Both keep start-up short.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dhr_desk.arguments import build_parser, normalise

if TYPE_CHECKING:
    from dhr_desk.store.store import Store
    from dhr_desk.workflows.desk import Desk


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(normalise(sys.argv[1:] if argv is None else argv))
    if args.smoke_test:
        return smoke_test()
    if args.command is None:
        return run_gui(args)
    from dhr_desk.cli import run_command

    return run_command(args)


def main_gui() -> int:
    """Entry point for the windowed launcher (no console window on Windows)."""
    return main()


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer

    from dhr_desk.store.errors import StoreError
    from dhr_desk.store.instance_lock import InstanceLock
    from dhr_desk.store.location import prepare_data_dir, resolve_data_dir
    from dhr_desk.ui.application import (
        MainWindow,
        create_application,
        report_startup,
        show_fatal_error,
    )

    qt_app = create_application()
    location = resolve_data_dir(getattr(args, "data_dir", None))
    lock = InstanceLock(location)
    try:
        prepare_data_dir(location)
        lock.acquire()
    except StoreError as exc:
        show_fatal_error(exc.title, str(exc))
        return exc.exit_code

    window = MainWindow(data_dir=location.data_dir)
    window.show()
    report_startup("window shown", qt_app)
    opened: list[Store] = []
    desks: list[Desk] = []

    def open_database() -> None:
        from dhr_desk.security.secret_store import SecretStore
        from dhr_desk.store.store import open_store
        from dhr_desk.workflows.desk import Desk

        secrets = SecretStore()
        try:
            store = open_store(
                location,
                secrets=secrets,
                prompt=window.ask_passphrase,
                database_url=getattr(args, "database_url", None),
            )
            opened.append(store)
            desk = Desk(store, secrets)
            desks.append(desk)
            desk.opened_copies.remove_stale()  # copies an earlier run could not remove
            window.attach(desk)
        except StoreError as exc:
            show_fatal_error(exc.title, str(exc), parent=window)
            qt_app.exit(exc.exit_code)
            return
        except Exception as exc:  # a fault in dhr-desk: say so rather than hang on "Opening…"
            show_fatal_error(
                "Unexpected error",
                f"{type(exc).__name__}: {exc}. Please report this; nothing was changed by it.",
                parent=window,
            )
            qt_app.exit(1)
            return
        report_startup("ready", qt_app)

    QTimer.singleShot(0, open_database)
    try:
        return qt_app.exec()
    finally:
        for desk in desks:
            desk.opened_copies.remove_all()  # the private copies of documents opened
        for store in opened:
            store.close()
        lock.release()


def smoke_test() -> int:
    """Migrate a temporary store, open the main window offscreen, render and read back one PDF,
    touch the keyring: the same check the frozen app runs after it is built."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import secrets as token
    import tempfile

    from pypdf import PdfReader

    from dhr_desk.security.database_key import PassphraseRequest
    from dhr_desk.security.secret_store import SecretStore
    from dhr_desk.store.errors import StoreError
    from dhr_desk.store.location import DataLocation
    from dhr_desk.store.store import open_store
    from dhr_desk.workflows.desk import Desk

    secrets = SecretStore()
    status = secrets.status()
    with tempfile.TemporaryDirectory(prefix="dhr-desk-smoke-") as tmp:
        location = DataLocation(Path(tmp))
        if status.usable:
            probe_name = f"smoke-test-probe:{tmp}"
            secrets.put(probe_name, "probe")
            secrets.delete(probe_name)
            print(f"keyring: {status.backend} stores and returns secrets")
        else:
            print(f"keyring: {status.backend} is not usable; using a temporary passphrase")
        passphrase = token.token_urlsafe(24)

        def temporary_passphrase(request: PassphraseRequest) -> str | None:
            return passphrase if request.retry_reason is None else None

        try:
            store = open_store(location, secrets=secrets, prompt=temporary_passphrase)
        except StoreError as exc:
            secrets.delete(location.key_name)
            print(f"smoke test FAILED: {exc.title}: {exc}", file=sys.stderr)
            return exc.exit_code
        try:
            desk = Desk(store, secrets)
            info = desk.installation()
            print(
                f"store: {info.backend}, encrypted={info.encrypted}, schema {info.schema_revision}"
            )
            pdf_path = Path(tmp) / "installation-report.pdf"
            desk.save_installation_report(pdf_path)
            text = PdfReader(pdf_path).pages[0].extract_text()
            if "installation report" not in text:
                print("smoke test FAILED: the PDF does not read back", file=sys.stderr)
                return 1
            print(f"pdf: {pdf_path.name} rendered and read back ({pdf_path.stat().st_size} bytes)")
            from dhr_desk.ui.application import MainWindow, create_application

            qt_app = create_application()
            window = MainWindow(desk)
            window.show()
            qt_app.processEvents()
            if window.grab().isNull():
                print("smoke test FAILED: the main window did not render", file=sys.stderr)
                return 1
            print(f"window: '{window.windowTitle()}' shown with {window.section_count()} sections")
            window.close()
        finally:
            store.close()
            secrets.delete(location.key_name)
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
