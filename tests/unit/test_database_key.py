"""The embedded database's key: how it is quoted for SQLCipher and what a passphrase must be."""

from __future__ import annotations

import pytest

from dhr_desk.security.database_key import (
    DatabaseKey,
    PassphraseRequest,
    environment_passphrase,
    passphrase_problem,
)


def test_a_random_key_is_256_bits_of_hex_and_quoted_as_a_raw_key() -> None:
    key = DatabaseKey.new_random()
    assert len(key.secret) == 64
    assert key.pragma_value() == f"\"x'{key.secret}'\""
    assert key.secret not in repr(key)


def test_a_passphrase_with_a_quote_is_escaped() -> None:
    assert DatabaseKey("passphrase", "it's long enough").pragma_value() == "'it''s long enough'"


def test_a_malformed_raw_key_is_refused() -> None:
    with pytest.raises(ValueError, match="64 hexadecimal"):
        DatabaseKey("raw", "zz" * 32).pragma_value()


@pytest.mark.parametrize(
    ("candidate", "problem"),
    [("short", "at least 10"), (" padded passphrase", "space"), ("long enough phrase", None)],
)
def test_new_passphrase_rules(candidate: str, problem: str | None) -> None:
    found = passphrase_problem(candidate)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_the_environment_passphrase_is_offered_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("DHR_DESK_PASSPHRASE", "from the environment")
    first = PassphraseRequest(tmp_path, creating=False)  # type: ignore[arg-type]
    retry = PassphraseRequest(tmp_path, creating=False, retry_reason="wrong")  # type: ignore[arg-type]
    assert environment_passphrase(first) == "from the environment"
    assert environment_passphrase(retry) is None
