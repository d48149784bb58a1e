"""The same store behaviour on the embedded file and on a real PostgreSQL server: schema
created and stamped, optimistic locking, UTC instants, and clear errors when a server is
unreachable."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from dhr_desk.app import main
from dhr_desk.models import Agency, AgencyKind
from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.config import StoreConfig, load_config, save_config
from dhr_desk.store.errors import ServerUnreachable, StoreError
from dhr_desk.store.location import DataLocation
from dhr_desk.store.schema import head_revision
from dhr_desk.store.server import parse_server_url, password_name, safe_url
from dhr_desk.store.store import Store, open_store
from tests.conftest import refuse_prompt
from tests.support.memory_keyring import MemoryKeyring
from tests.support.network import free_port


def test_a_new_store_is_created_at_the_head_revision(any_store: Store) -> None:
    assert any_store.migration.action == "created"
    assert any_store.schema_revision() == head_revision()


def test_a_second_writer_gets_a_conflict_not_a_silent_overwrite(any_store: Store) -> None:
    # GIVEN an agency both officers have open
    with any_store.sessions.begin() as session:
        session.add(Agency(name="Norfolk Constabulary", kind=AgencyKind.POLICE))
    first, second = any_store.sessions(), any_store.sessions()
    mine = first.scalars(select(Agency)).one()
    theirs = second.scalars(select(Agency)).one()
    # WHEN one saves a change and the other saves theirs afterwards
    mine.notes = "first edit"
    first.commit()
    theirs.notes = "second edit"
    # THEN the second save is refused and the first edit stands
    with pytest.raises(StaleDataError):
        second.commit()
    second.rollback()
    first.close()
    second.close()
    with any_store.sessions() as session:
        saved = session.scalars(select(Agency)).one()
        assert saved.notes == "first edit"
        assert saved.version == 2


def test_instants_come_back_in_utc(any_store: Store) -> None:
    with any_store.sessions.begin() as session:
        session.add(Agency(name="Norfolk County Council", kind=AgencyKind.COUNTY_COUNCIL))
    with any_store.sessions() as session:
        created = session.scalars(select(Agency.created_at)).one()
    assert created.tzinfo is not None and created.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - created) < dt.timedelta(minutes=5)


def test_reopening_a_server_store_finds_it_current(
    server_url: str, location: DataLocation, secrets: SecretStore
) -> None:
    open_store(location, secrets=secrets, prompt=refuse_prompt, database_url=server_url).close()
    again = open_store(location, secrets=secrets, prompt=refuse_prompt, database_url=server_url)
    assert again.migration.action == "current"
    assert again.backend == "postgresql" and not again.encrypted
    assert ":" not in again.description.split("@")[0].removeprefix("postgresql+psycopg://")
    again.close()


def test_the_server_password_can_live_in_the_keyring(
    server_url: str, location: DataLocation, secrets: SecretStore
) -> None:
    parsed = parse_server_url(server_url)
    if not parsed.password:
        pytest.skip("the test server has no password")
    bare = safe_url(parsed)
    assert parsed.password not in bare
    # WITHOUT the password in the keyring the server refuses the login, naming the fix
    with pytest.raises(ServerUnreachable, match="refused the login") as caught:
        open_store(location, secrets=secrets, prompt=refuse_prompt, database_url=bare)
    assert "dhr-desk connect" in str(caught.value)
    assert parsed.password not in str(caught.value)
    # WITH it, the same URL opens the store
    secrets.put(password_name(parsed), parsed.password)
    store = open_store(location, secrets=secrets, prompt=refuse_prompt, database_url=bare)
    assert store.schema_revision() == head_revision()
    assert parsed.password not in store.description
    store.close()


def test_an_unreachable_server_is_named_with_host_and_port(
    location: DataLocation, secrets: SecretStore
) -> None:
    port = free_port()
    with pytest.raises(ServerUnreachable) as caught:
        open_store(
            location,
            secrets=secrets,
            prompt=refuse_prompt,
            database_url=f"postgresql://officer:pw@127.0.0.1:{port}/dhr_desk",
        )
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message
    assert "Check that the server is running" in message
    assert "Traceback" not in message and len(message.splitlines()) == 1


def test_a_url_for_another_kind_of_server_is_refused(
    location: DataLocation, secrets: SecretStore
) -> None:
    with pytest.raises(StoreError, match="Only PostgreSQL"):
        open_store(location, secrets=secrets, prompt=refuse_prompt, database_url="mysql://u@h/db")


def test_a_server_password_never_reaches_the_settings_file(location: DataLocation) -> None:
    location.data_dir.mkdir(parents=True)
    save_config(
        location, StoreConfig(database_url="postgresql://officer:hunter22@db.example:5432/d")
    )
    written = location.config_file.read_text()
    assert "hunter22" not in written
    assert load_config(location).database_url == "postgresql://officer@db.example:5432/d"


def test_connect_keeps_the_password_in_the_keyring_and_the_url_without_it(
    server_url: str, location: DataLocation, memory_keyring: MemoryKeyring, capsys: object
) -> None:
    parsed = parse_server_url(server_url)
    if not parsed.password:
        pytest.skip("the test server has no password")
    # WHEN an officer points the data directory at the team server
    assert main(["connect", server_url, "--data-dir", str(location.data_dir)]) == 0
    # THEN the password is in the keyring, the settings file has the URL without it
    assert memory_keyring.secrets[("dhr-desk", password_name(parsed))] == parsed.password
    assert parsed.password not in location.config_file.read_text()
    # AND later commands reach the server with no URL given
    assert main(["info", "--json", "--data-dir", str(location.data_dir)]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert '"backend": "postgresql"' in out
    assert parsed.password not in out
    # AND going back to the embedded file is one command
    assert main(["connect", "--embedded", "--data-dir", str(location.data_dir)]) == 0
    assert load_config(location).database_url is None
