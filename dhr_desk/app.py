"""Composition root: parse the command line, then start the desktop app, a headless command,
or the smoke test. Qt is imported only on the paths that open a window, so headless commands
start fast and run where no display libraries exist.
"""

from __future__ import annotations

import argparse
import os
import secrets as token
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from dhr_desk.cli import build_parser, location_from, run_command
from dhr_desk.security.database_key import PassphraseRequest
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.errors import StoreError
from dhr_desk.store.instance_lock import InstanceLock
from dhr_desk.store.location import DataLocation, prepare_data_dir
from dhr_desk.store.store import open_store
from dhr_desk.workflows.desk import Desk


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.smoke_test:
        return smoke_test()
    if args.command is None:
        return run_gui(args)
    return run_command(args)


def main_gui() -> int:
    """Entry point for the windowed launcher (no console window on Windows)."""
    return main()


def run_gui(args: argparse.Namespace) -> int:
    from dhr_desk.ui.application import (
        MainWindow,
        create_application,
        gui_passphrase_prompt,
        show_fatal_error,
    )

    qt_app = create_application()
    location = location_from(args)
    secrets = SecretStore()
    lock = InstanceLock(location)
    try:
        prepare_data_dir(location)
        lock.acquire()
        store = open_store(
            location,
            secrets=secrets,
            prompt=gui_passphrase_prompt,
            database_url=getattr(args, "database_url", None),
        )
    except StoreError as exc:
        lock.release()
        show_fatal_error(exc.title, str(exc))
        return exc.exit_code
    try:
        window = MainWindow(Desk(store, secrets))
        window.show()
        return qt_app.exec()
    finally:
        store.close()
        lock.release()


def smoke_test() -> int:
    """Migrate a temporary store, open the main window offscreen, render and read back one PDF,
    touch the keyring: the same check the frozen app runs after it is built."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
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
            from pypdf import PdfReader

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
