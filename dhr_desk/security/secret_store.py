"""Secrets in the operating system's keyring (Windows Credential Manager, macOS Keychain,
Secret Service, KWallet). Only those operating-system stores count as usable: a plaintext or
file-based backend (keyrings.alt, keyrings.cryptfile …) would put the database key in a file
next to the database it protects.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

SERVICE = "dhr-desk"

#: The operating systems' own secret stores, as keyring names their backends.
TRUSTED_BACKENDS = frozenset(
    {
        "keyring.backends.Windows.WinVaultKeyring",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
    }
)
#: Backends a deployment (or the test suite) has vetted: dotted class names, comma-separated.
EXTRA_BACKENDS_ENV = "DHR_DESK_TRUSTED_KEYRING_BACKENDS"


def backend_name(backend: KeyringBackend) -> str:
    """Dotted class name of a keyring backend, as shown in ``info`` and the About dialog."""
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _inner_backends(backend: KeyringBackend) -> list[KeyringBackend]:
    inner = getattr(backend, "backends", None)
    return list(inner) if isinstance(inner, list | tuple) else [backend]


def trusted_backends() -> frozenset[str]:
    extra = os.environ.get(EXTRA_BACKENDS_ENV, "")
    return TRUSTED_BACKENDS | {name.strip() for name in extra.split(",") if name.strip()}


def is_usable(backend: KeyringBackend) -> bool:
    """A backend is usable when it is, or chains to, an operating-system secret store."""
    trusted = trusted_backends()
    return any(backend_name(inner) in trusted for inner in _inner_backends(backend))


class SecretStoreError(RuntimeError):
    """The keyring refused or failed a read or write (locked, denied, backend error)."""


@dataclass(frozen=True)
class KeyringStatus:
    """What the keyring offers on this machine."""

    backend: str
    usable: bool


class SecretStore:
    """Named secrets kept in the keyring under the service name ``dhr-desk``."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> KeyringBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def status(self) -> KeyringStatus:
        return KeyringStatus(backend=backend_name(self.backend), usable=is_usable(self.backend))

    def get(self, name: str) -> str | None:
        if not is_usable(self.backend):
            return None
        try:
            return self.backend.get_password(SERVICE, name)
        except KeyringError as exc:
            raise SecretStoreError(f"The keyring could not be read: {exc}") from exc

    def put(self, name: str, secret: str) -> None:
        if not is_usable(self.backend):
            raise SecretStoreError(
                f"No usable keyring backend (found {backend_name(self.backend)}); "
                "the secret was not stored."
            )
        try:
            self.backend.set_password(SERVICE, name, secret)
            kept = self.backend.get_password(SERVICE, name)
        except KeyringError as exc:
            raise SecretStoreError(f"The keyring refused to store the secret: {exc}") from exc
        if kept != secret:
            raise SecretStoreError("The keyring did not keep the secret it was given.")

    def delete(self, name: str) -> None:
        if not is_usable(self.backend):
            return
        try:
            self.backend.delete_password(SERVICE, name)
        except KeyringError:
            return
