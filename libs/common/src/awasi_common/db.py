"""Engines and sessions for a service's own database: SQLite on the embedded default,
PostgreSQL (one database per service) otherwise."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def insert(session: AsyncSession, table: sa.Table) -> Any:
    """An INSERT of ``table`` that knows ``on_conflict_do_nothing``/``on_conflict_do_update`` on
    the session's database, PostgreSQL or SQLite (their dialects spell it alike)."""
    from sqlalchemy.dialects import postgresql, sqlite

    bind = session.get_bind()
    return (postgresql if bind.dialect.name == "postgresql" else sqlite).insert(table)


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, pool_size: int = 20) -> AsyncEngine:
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # WAL lets readers run beside the single writer; foreign keys are off by default.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    # No pre-ping: on asyncpg it costs three round trips (begin, select, rollback) on every
    # checkout, the largest single cost of a small transaction. A connection that died (the
    # database restarted) fails its statement instead; SQLAlchemy then invalidates it and every
    # older pooled connection, and the caller's transient-error path (503, consumer retry) runs.
    # Connections are kept, not opened per request: an overflow connection is closed when it
    # is returned, and opening one (TCP, SSL negotiation, a cold statement cache) cost more than
    # the request it served once the service was busy (seen in the bench's profile at its knee).
    # hide_parameters: an error's message (logged, and in a span's exception event) carries the
    # statement, and without it the values too: a supervisor's name, a laporan's text.
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=max(pool_size // 2, 1), pool_recycle=1800, hide_parameters=True
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@contextlib.asynccontextmanager
async def _server(url: str) -> AsyncIterator[tuple[AsyncConnection, str, str]]:
    """A connection to the server of ``url``'s database (through its ``postgres`` database,
    autocommit: CREATE and DROP DATABASE run outside a transaction), with the database's name
    and that name quoted for SQL."""
    target = make_url(url)
    name = target.database or ""
    admin = create_async_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        async with admin.connect() as connection:
            yield connection, name, '"' + name.replace('"', '""') + '"'
    finally:
        await admin.dispose()


async def ensure_database(url: str) -> None:
    """Create the service's PostgreSQL database when it does not exist yet."""
    if is_sqlite(url):
        return
    async with _server(url) as (connection, name, quoted):
        exists = await connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
        if not exists:
            try:
                await connection.execute(sa.text(f"CREATE DATABASE {quoted}"))
            except sa.exc.DBAPIError as error:
                # Another replica created it between our check and our CREATE.
                if "already exists" not in str(error) and "duplicate" not in str(error).lower():
                    raise


async def drop_database(url: str) -> None:
    """Drop a PostgreSQL database (tests); SQLite files are removed by their owner."""
    if is_sqlite(url):
        return
    async with _server(url) as (connection, _, quoted):
        await connection.execute(sa.text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))


# Raised (some unwrapped by SQLAlchemy) while the database is away, restarting or full.
_ASYNCPG_UNAVAILABLE = (
    asyncpg.exceptions.InternalClientError,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.TooManyConnectionsError,
)
UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    sa.exc.DBAPIError,
    *_ASYNCPG_UNAVAILABLE,
    ConnectionError,
    TimeoutError,
)
"""What to catch to decide with :func:`is_unavailable`."""


TRANSIENT_CONFLICTS = frozenset({"40P01", "40001"})
"""PostgreSQL's deadlock_detected and serialization_failure: the transaction was rolled back only
because it collided with a concurrent one, and running it again succeeds."""


def is_transient_conflict(error: BaseException) -> bool:
    """True when the statement failed on a collision with a concurrent transaction (see
    ``TRANSIENT_CONFLICTS``), not on what it said."""
    orig = error.orig if isinstance(error, sa.exc.DBAPIError) else error
    return getattr(orig, "sqlstate", None) in TRANSIENT_CONFLICTS


def is_unavailable(error: BaseException) -> bool:
    """True when the error says the database could not be reached (try again later), not
    that the statement was wrong."""
    if isinstance(error, sa.exc.DBAPIError):
        if error.connection_invalidated or isinstance(error, (sa.exc.OperationalError, sa.exc.InterfaceError)):
            return True
        return is_unavailable(error.orig) if isinstance(error.orig, BaseException) else False
    return isinstance(error, (*_ASYNCPG_UNAVAILABLE, ConnectionError, TimeoutError, OSError))
