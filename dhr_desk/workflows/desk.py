"""The application services the desktop app and the CLI call: one object per open store.

Each call opens a short session (when it needs one) and hands back frozen dataclasses, so the
UI never holds a session or an ORM object.
"""

from __future__ import annotations

import os
from pathlib import Path

from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.store import Store
from dhr_desk.workflows.installation import InstallationInfo, describe_installation
from dhr_desk.workflows.record_counts import RecordCounts, count_records


class Desk:
    """Facade over one open store."""

    def __init__(self, store: Store, secrets: SecretStore) -> None:
        self._store = store
        self._secrets = secrets

    def installation(self) -> InstallationInfo:
        return describe_installation(self._store, self._secrets)

    def record_counts(self) -> RecordCounts:
        with self._store.sessions() as session:
            return count_records(session)

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
