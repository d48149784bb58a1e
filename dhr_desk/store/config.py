"""The data directory's store settings (``store.json``): which backend, which server URL
(never with a password in it), and where the SQLite key comes from. Nothing secret lives here.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from typing import Literal

from sqlalchemy.engine import make_url

from dhr_desk.store.errors import StoreError
from dhr_desk.store.location import DataLocation
from dhr_desk.store.server import safe_url

KeySource = Literal["keyring", "passphrase"]


@dataclass(frozen=True)
class StoreConfig:
    """``database_url`` is set only for a server store; ``key_source`` only for SQLCipher."""

    database_url: str | None = None
    key_source: KeySource | None = None

    def with_key_source(self, source: KeySource) -> StoreConfig:
        return replace(self, key_source=source)


def load_config(location: DataLocation) -> StoreConfig:
    path = location.config_file
    if not path.exists():
        return StoreConfig()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        raise StoreError(
            f"The store settings file {path} cannot be read ({exc}). Nothing was changed. Fix or "
            "remove it: it says whether this folder uses a server and where the key is kept."
        ) from exc
    key_source = raw.get("key_source")
    return StoreConfig(
        database_url=raw.get("database_url") or None,
        key_source=key_source if key_source in ("keyring", "passphrase") else None,
    )


def save_config(location: DataLocation, config: StoreConfig) -> None:
    """Write atomically, 0600; a server URL is stored without its password."""
    data = asdict(config)
    if config.database_url:
        data["database_url"] = safe_url(make_url(config.database_url))
    path = location.config_file
    tmp = path.with_suffix(".json.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
    os.replace(tmp, path)
