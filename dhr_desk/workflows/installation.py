"""What this installation is: version, where the data lives, how it is protected.

Shown by ``dhr-desk info`` and the About dialog, and printed in the installation report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dhr_desk import __version__
from dhr_desk.security.secret_store import SecretStore

if TYPE_CHECKING:
    from dhr_desk.store.store import Store


@dataclass(frozen=True)
class InstallationInfo:
    """Plain facts about the running installation; safe to show (no secrets, no passwords)."""

    version: str
    data_dir: str
    backend: str
    database: str
    encrypted: bool
    key_source: str
    schema_revision: str | None
    keyring_backend: str
    keyring_usable: bool
    generated_at: dt.datetime

    @property
    def key_described(self) -> str:
        """Where the database key comes from, in words."""
        return {
            "keyring": "a random key kept in the operating system's keyring",
            "passphrase": "a passphrase (typed, or DHR_DESK_PASSPHRASE)",
        }.get(self.key_source, "the server's login")

    def facts(self) -> list[tuple[str, str]]:
        """Label and value of each fact, in the order a person reads them (About, report)."""
        if self.backend == "sqlite":
            kind = "Embedded database (SQLCipher)"
            encryption = f"Encrypted at rest with {self.key_described}"
        else:
            kind = "PostgreSQL server"
            encryption = "Not encrypted by dhr-desk (protected by the server)"
        return [
            ("Version", self.version),
            ("Data folder", self.data_dir),
            ("Database", self.database),
            ("Database kind", kind),
            ("Schema revision", self.schema_revision or "none"),
            ("Encryption", encryption),
            (
                "Keyring backend",
                self.keyring_backend + ("" if self.keyring_usable else " (not usable)"),
            ),
        ]

    def as_json(self) -> dict[str, object]:
        """The ``dhr-desk info --json`` shape."""
        return {
            "version": self.version,
            "data_dir": self.data_dir,
            "database": {
                "backend": self.backend,
                "location": self.database,
                "encrypted": self.encrypted,
                "key_source": self.key_source,
                "schema_revision": self.schema_revision,
            },
            "keyring_backend": self.keyring_backend,
            "keyring_usable": self.keyring_usable,
        }


def describe_installation(store: Store, secrets: SecretStore) -> InstallationInfo:
    status = secrets.status()
    if store.key is None:
        key_source = "server login"
    elif store.key.kind == "raw":
        key_source = "keyring"
    else:
        key_source = "passphrase"
    return InstallationInfo(
        version=__version__,
        data_dir=str(store.location.data_dir),
        backend=store.backend,
        database=store.description,
        encrypted=store.encrypted,
        key_source=key_source,
        schema_revision=store.schema_revision(),
        keyring_backend=status.backend,
        keyring_usable=status.usable,
        generated_at=dt.datetime.now(dt.UTC),
    )
