"""A team store on a PostgreSQL server (psycopg 3). The URL is kept without its password; the
password lives in the keyring under a name that says which server and user it is for.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from dhr_desk.security.secret_store import SecretStore, SecretStoreError
from dhr_desk.store.errors import (
    NoKeyAvailable,
    ServerUnreachable,
    StoreError,
    classify_server_error,
)

CONNECT_TIMEOUT_SECONDS = 5
#: libpq connection parameters that carry a secret and must never be stored or shown.
_SECRET_QUERY_KEYS = ("password",)


def parse_server_url(url: str | URL) -> URL:
    """A PostgreSQL URL with the psycopg 3 driver, or a clear error."""
    try:
        parsed = make_url(url)
        port = parsed.port  # a non-numeric port fails here, not deep inside the driver
    except (ArgumentError, ValueError) as exc:
        raise StoreError(
            "The database URL is not understood. Write it as postgresql://USER@HOST:PORT/DATABASE."
        ) from exc
    if parsed.get_backend_name() not in ("postgresql", "postgres"):
        raise StoreError(
            f"Only PostgreSQL servers are supported (the URL names '{parsed.get_backend_name()}')."
        )
    if port is not None and not 0 < port < 65536:
        raise StoreError(f"The database URL's port {port} is not a port number.")
    return parsed.set(drivername="postgresql+psycopg")


def url_password(parsed: URL) -> str | None:
    """The password carried by the URL, in its user part or its query, if any."""
    if parsed.password:
        return str(parsed.password)
    value = parsed.query.get("password")
    return value if isinstance(value, str) and value else None


def without_password(parsed: URL) -> URL:
    """The same URL with no password anywhere (``URL.set(password=None)`` would keep it)."""
    query = {k: v for k, v in parsed.query.items() if k not in _SECRET_QUERY_KEYS}
    return URL.create(
        parsed.drivername,
        parsed.username,
        None,
        parsed.host,
        parsed.port,
        parsed.database,
        query,
    )


def safe_url(parsed: URL) -> str:
    """The URL as it may be shown or stored: no password."""
    return without_password(parsed).render_as_string(hide_password=False)


def password_name(parsed: URL) -> str:
    """Keyring name of a server password: user, host, port and database."""
    return (
        f"server-password:{parsed.username}@{parsed.host}:{parsed.port or 5432}/{parsed.database}"
    )


def server_engine(url: str | URL, secrets: SecretStore) -> Engine:
    """An engine on the server, the password taken from the keyring when the URL has none.

    Raises ServerUnreachable naming host and port when the server cannot be reached.
    """
    parsed = parse_server_url(url)
    password = url_password(parsed)
    if not password:
        try:
            password = secrets.get(password_name(parsed))
        except SecretStoreError as exc:
            raise NoKeyAvailable(f"{exc} Unlock the keyring and try again.") from exc
    target = without_password(parsed)
    if password:
        target = target.set(password=password)
    engine = create_engine(
        target,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": "dhr-desk"},
    )
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as exc:
        engine.dispose()
        raise unreachable(parsed, where, exc) from None
    return engine


def unreachable(parsed: URL, where: str, exc: DBAPIError) -> StoreError:
    """A message naming host and port, the server's reason in one line, and what to do."""
    reason = (str(exc.orig).strip().splitlines() or ["no answer"])[0] if exc.orig else "no answer"
    if "password authentication failed" in reason or "no password supplied" in reason:
        return ServerUnreachable(
            f"The PostgreSQL server at {where} refused the login ({reason}). Store the password "
            f"in the keyring with 'dhr-desk connect {safe_url(parsed)}' or check the user name."
        )
    if type(exc.orig).__name__ == "OperationalError":
        return ServerUnreachable(
            f"Cannot reach the PostgreSQL server at {where} (database {parsed.database}): "
            f"{reason}. Check that the server is running, the address is right, and the network "
            "allows it."
        )
    if type(exc.orig).__name__ == "ProgrammingError":
        return StoreError(f"The database URL is not accepted: {reason}. Check its options.")
    return classify_server_error(exc, where)
