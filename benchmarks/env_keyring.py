"""A keyring backend for the start-up benchmark only, never used by the app: it keeps secrets
in the JSON file named by DHR_DESK_BENCH_KEYRING_FILE, so successive child processes open the
store the way a workstation with a real keyring does (raw key, no passphrase derivation)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyringForBenchmark(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def _file(self) -> Path:
        return Path(os.environ["DHR_DESK_BENCH_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        return json.loads(self._file.read_text()) if self._file.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}/{username}"] = password
        self._file.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(f"{service}/{username}", None)
        self._file.write_text(json.dumps(data))
