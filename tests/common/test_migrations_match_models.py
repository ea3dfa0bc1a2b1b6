"""Each service's migrations, run from an empty database to head, build exactly the tables its
code declares (``adapters/orm.py``), on PostgreSQL and on SQLite: a column or index added to
the models without a migration, or a shared migration step edited after it shipped, fails here."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from awasi_common.db import create_engine
from awasi_common.migrations import upgrade

SERVICES = ["planning", "participation", "reporting", "notification", "identity"]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_migrations_build_the_declared_tables(service: str, backend: str, database_url, tmp_path) -> None:
    url = database_url(service) if backend == "postgresql" else f"sqlite+aiosqlite:///{tmp_path}/{service}.db"
    if not url.startswith(backend):
        pytest.skip(f"{backend} is not available here")
    bootstrap = importlib.import_module(f"awasi_{service}.bootstrap")
    orm = importlib.import_module(f"awasi_{service}.adapters.orm")
    await upgrade(bootstrap.MIGRATIONS, url)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:

            def differences(sync: Any) -> list[Any]:
                return list(compare_metadata(MigrationContext.configure(sync), orm.metadata))

            assert await connection.run_sync(differences) == []
    finally:
        await engine.dispose()
