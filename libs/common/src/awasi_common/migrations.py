"""Alembic, run from code: every service keeps its own migrations folder and calls these."""

from __future__ import annotations

import asyncio
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from awasi_common.db import ensure_database, is_sqlite


def alembic_config(script_location: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


MIGRATION_LOCK = 7_301_2024
"""PostgreSQL advisory lock key: replicas starting together migrate one after another."""


def _versions(script_location: Path) -> tuple[tuple[str, int], ...]:
    """The revision files' names and modification times: a new or changed one is seen at once."""
    return tuple(sorted((path.name, path.stat().st_mtime_ns) for path in (script_location / "versions").glob("*.py")))


@cache
def _heads(script_location: Path, versions: tuple[tuple[str, int], ...]) -> frozenset[str]:
    """The newest revisions of a folder; ``versions`` (:func:`_versions`) only keys the cache."""
    return frozenset(ScriptDirectory.from_config(alembic_config(script_location, "sqlite://")).get_heads())


async def _current(engine: AsyncEngine) -> frozenset[str]:
    async with engine.connect() as connection:
        try:
            rows = await connection.execute(sa.text("SELECT version_num FROM alembic_version"))
        except (sa.exc.ProgrammingError, sa.exc.OperationalError):  # no such table: a new database
            return frozenset()
        return frozenset(rows.scalars())


async def upgrade(script_location: Path, url: str) -> None:
    """Create the database if missing and bring it to the newest revision."""
    await ensure_database(url)
    engine = create_async_engine(url, poolclass=sa.NullPool)
    try:
        # Already at the newest revision, as at most starts: alembic would find that out itself
        # after loading every revision and running env.py on an engine of its own (~23 ms of CPU
        # and three connections a start; a test run starts services ~290 times).
        if await _current(engine) == _heads(script_location, _versions(script_location)):
            return
        config = alembic_config(script_location, url)
        if is_sqlite(url):
            await asyncio.to_thread(command.upgrade, config, "head")
            return
        async with engine.connect() as lock:
            await lock.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                await asyncio.to_thread(command.upgrade, config, "head")
            finally:
                await lock.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
    finally:
        await engine.dispose()


def run_env(target_metadata: sa.MetaData) -> None:
    """The body of each service's ``env.py``: online migrations on the async engine."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"

    def migrate(connection: sa.Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(url, poolclass=sa.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(migrate)
            await connection.commit()
        await engine.dispose()

    asyncio.run(run())
