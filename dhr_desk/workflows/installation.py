"""What this installation is: version, where the data lives, how it is protected.

Shown by ``dhr-desk info`` and the About dialog, and printed in the installation report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dhr_desk import __version__
from dhr_desk.security.secret_store import SecretStore
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
