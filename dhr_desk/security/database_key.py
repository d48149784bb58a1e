"""The key of the embedded SQLCipher database.

Architecture rule: a random 256-bit key made on first run and kept in the OS keyring; where no
usable keyring exists, a passphrase the user types (GUI) or gives in ``DHR_DESK_PASSPHRASE``
(headless). The database is never created unencrypted.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

PASSPHRASE_ENV = "DHR_DESK_PASSPHRASE"


@dataclass(frozen=True)
class DatabaseKey:
    """A raw key (64 hex digits, no key derivation) or a passphrase (SQLCipher's PBKDF2)."""

    kind: Literal["raw", "passphrase"]
    secret: str = field(repr=False)

    @classmethod
    def new_random(cls) -> DatabaseKey:
        return cls("raw", secrets.token_hex(32))

    def pragma_value(self) -> str:
        """The value for ``PRAGMA key = …`` / ``ATTACH … KEY …``, quoted for SQL."""
        if self.kind == "raw":
            if len(self.secret) != 64 or any(
                c not in "0123456789abcdefABCDEF" for c in self.secret
            ):
                raise ValueError("a raw database key is 64 hexadecimal digits")
            return f"\"x'{self.secret}'\""
        return "'" + self.secret.replace("'", "''") + "'"


@dataclass(frozen=True)
class PassphraseRequest:
    """What the store asks of a person: a new passphrase, or the existing one (again)."""

    database_file: Path
    creating: bool
    retry_reason: str | None = None


#: Answers a request with a passphrase, or None when none can be had (the store then refuses).
PassphrasePrompt = Callable[[PassphraseRequest], str | None]

MIN_PASSPHRASE_LENGTH = 10


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase is not acceptable, or None."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return f"Use at least {MIN_PASSPHRASE_LENGTH} characters."
    if passphrase != passphrase.strip():
        return "The passphrase must not start or end with a space."
    return None


def environment_passphrase(request: PassphraseRequest) -> str | None:
    """Headless prompt: the passphrase in DHR_DESK_PASSPHRASE, asked once (no retry)."""
    if request.retry_reason is not None:
        return None
    return os.environ.get(PASSPHRASE_ENV) or None
