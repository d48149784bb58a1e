"""A team store on a PostgreSQL server (psycopg 3). The URL is kept without its password; the
password lives in the keyring under a name that says which server and user it is for.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from dhr_desk.security.secret_store import SecretStore
from dhr_desk.store.errors import ServerUnreachable, StoreError

CONNECT_TIMEOUT_SECONDS = 5


def parse_server_url(url: str) -> URL:
    """A PostgreSQL URL with the psycopg 3 driver, or a clear error."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            "The database URL is not understood. Write it as postgresql://USER@HOST:PORT/DATABASE."
        ) from exc
    if parsed.get_backend_name() not in ("postgresql", "postgres"):
        raise StoreError(
            f"Only PostgreSQL servers are supported (the URL names '{parsed.get_backend_name()}')."
        )
    return parsed.set(drivername="postgresql+psycopg")


def without_password(parsed: URL) -> URL:
    """The same URL with no password (``URL.set(password=None)`` would keep it)."""
    return URL.create(
        parsed.drivername,
        parsed.username,
        None,
        parsed.host,
        parsed.port,
        parsed.database,
        parsed.query,
    )


def safe_url(parsed: URL) -> str:
    """The URL as it may be shown or stored: no password."""
    return without_password(parsed).render_as_string(hide_password=False)


def password_name(parsed: URL) -> str:
    """Keyring name of a server password: user, host, port and database."""
    return (
        f"server-password:{parsed.username}@{parsed.host}:{parsed.port or 5432}/{parsed.database}"
    )


def server_engine(url: str, secrets: SecretStore) -> Engine:
    """An engine on the server, the password taken from the keyring when the URL has none.

    Raises ServerUnreachable naming host and port when the server cannot be reached.
    """
    parsed = parse_server_url(url)
    if not parsed.password:
        stored = secrets.get(password_name(parsed))
        if stored:
            parsed = parsed.set(password=stored)
    engine = create_engine(
        parsed,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": "dhr-desk"},
    )
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        raise unreachable(parsed, exc) from None
    return engine


def unreachable(parsed: URL, exc: OperationalError) -> ServerUnreachable:
    """A message naming host and port, the server's reason in one line, and what to do."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "no answer"
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    if "password authentication failed" in reason or "no password supplied" in reason:
        advice = (
            "Store the password in the keyring with 'dhr-desk connect "
            f"{safe_url(parsed)}' or check the user name."
        )
    else:
        advice = (
            "Check that the server is running, the address is right, and the network allows it."
        )
    return ServerUnreachable(
        f"Cannot reach the PostgreSQL server at {where} (database {parsed.database}): {reason}. "
        f"{advice}"
    )
