"""The keyring: which backends count as usable, and secrets kept and returned."""

from __future__ import annotations

from typing import ClassVar

import pytest
from keyring.backends import chainer, fail, null
from keyrings.alt.file import EncryptedKeyring, PlaintextKeyring

from dhr_desk.security.secret_store import (
    EXTRA_BACKENDS_ENV,
    TRUSTED_BACKENDS,
    SecretStore,
    SecretStoreError,
    is_usable,
)
from tests.support.memory_keyring import MemoryKeyring


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring(), PlaintextKeyring(), object.__new__(EncryptedKeyring)],
    ids=["fail", "null", "keyrings.alt plaintext", "keyrings.alt encrypted file"],
)
def test_file_and_no_op_backends_are_not_usable(backend: object) -> None:
    # GIVEN a backend that stores nothing or keeps secrets in a file
    # THEN it does not count as a usable keyring
    assert is_usable(backend) is False  # type: ignore[arg-type]


def test_a_chain_is_usable_when_one_member_is() -> None:
    class UsableChain(chainer.ChainerBackend):
        backends: ClassVar = [fail.Keyring(), MemoryKeyring()]

    class FileChain(chainer.ChainerBackend):
        backends: ClassVar = [fail.Keyring(), PlaintextKeyring()]

    assert is_usable(UsableChain())
    assert not is_usable(FileChain())


def test_secrets_are_kept_and_deleted(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.put("database-key:/x", "s3cret")
    assert store.get("database-key:/x") == "s3cret"
    assert memory_keyring.secrets[("dhr-desk", "database-key:/x")] == "s3cret"
    store.delete("database-key:/x")
    assert store.get("database-key:/x") is None


def test_storing_without_a_usable_backend_is_refused(no_keyring: object) -> None:
    store = SecretStore()
    with pytest.raises(SecretStoreError, match="No usable keyring backend"):
        store.put("x", "y")
    assert store.get("x") is None
    assert store.status().usable is False
    assert store.status().backend == "keyring.backends.fail.Keyring"


class UnvettedKeyring(MemoryKeyring):
    """A third-party backend nobody has vetted (it might keep secrets in a file)."""


def test_an_unvetted_backend_is_not_usable_until_a_deployment_trusts_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backend = UnvettedKeyring()
    assert not is_usable(backend)
    name = f"{UnvettedKeyring.__module__}.{UnvettedKeyring.__qualname__}"
    monkeypatch.setenv(EXTRA_BACKENDS_ENV, name)
    assert is_usable(backend)


@pytest.mark.parametrize(
    "name",
    [
        "keyring.backends.Windows.WinVaultKeyring",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
    ],
)
def test_the_operating_system_stores_are_trusted(name: str) -> None:
    assert name in TRUSTED_BACKENDS
