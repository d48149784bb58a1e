"""Test harness: offscreen Qt, a fresh data directory and an in-memory keyring per test, and
nothing that touches the real user profile or keyring."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import hashlib
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from dhr_desk.security.database_key import PassphraseRequest
from dhr_desk.security.secret_store import EXTRA_BACKENDS_ENV, SecretStore
from dhr_desk.store.location import DataLocation
from dhr_desk.store.store import Store, open_store
from tests.support.memory_keyring import MemoryKeyring

TEST_DATABASE_URL_ENV = "DHR_DESK_TEST_DATABASE_URL"
#: Kept for the tests that need them; every other DHR_DESK_* variable is cleared per test.
KEPT_ENV = (TEST_DATABASE_URL_ENV, "DHR_DESK_REQUIRE_POSTGRES", "DHR_DESK_SCREENSHOT_DIR")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("DHR_DESK_") and name not in KEPT_ENV:
            monkeypatch.delenv(name)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv(EXTRA_BACKENDS_ENV, "tests.support.memory_keyring.MemoryKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    yield


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[KeyringBackend]:
    """The machine has no usable keyring backend (keyring's own 'fail' backend)."""
    from keyring.backends import fail

    backend = fail.Keyring()
    keyring.set_keyring(backend)
    yield backend


@pytest.fixture
def location(tmp_path: Path) -> DataLocation:
    return DataLocation(tmp_path / "data")


@pytest.fixture
def secrets() -> SecretStore:
    return SecretStore()


def refuse_prompt(request: PassphraseRequest) -> str | None:
    """A prompt that has no passphrase to give."""
    return None


@pytest.fixture
def embedded_store(location: DataLocation, secrets: SecretStore) -> Iterator[Store]:
    store = open_store(location, secrets=secrets, prompt=refuse_prompt)
    yield store
    store.close()


@pytest.fixture
def server_url() -> str:
    url = os.environ.get(TEST_DATABASE_URL_ENV)
    if not url:
        if os.environ.get("DHR_DESK_REQUIRE_POSTGRES"):
            pytest.fail(f"{TEST_DATABASE_URL_ENV} must be set when DHR_DESK_REQUIRE_POSTGRES is")
        pytest.skip(f"{TEST_DATABASE_URL_ENV} is not set (no PostgreSQL server for this run)")
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(
    request: pytest.FixtureRequest, location: DataLocation, secrets: SecretStore
) -> Iterator[Store]:
    """The same test on the embedded store and on a real PostgreSQL server."""
    url = request.getfixturevalue("server_url") if request.param == "postgresql" else None
    store = open_store(location, secrets=secrets, prompt=refuse_prompt, database_url=url)
    yield store
    store.close()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
