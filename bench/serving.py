"""What the two comparison apps of the bench share: the one table they write, and how they are
served."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import sqlalchemy as sa

from awasi_common.db import create_engine, ensure_database


class RowTable:
    """One table of submissions as JSON rows (id, kind, unit, payload, created_at) in a database
    of its own."""

    def __init__(self, name: str, url: str) -> None:
        self.url = url
        self.metadata = sa.MetaData()
        self.table = sa.Table(
            name,
            self.metadata,
            sa.Column("id", sa.String(36), primary_key=True),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("unit", sa.String(32), nullable=False),
            sa.Column("payload", sa.JSON, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
        self.engine = create_engine(url)

    async def create_schema(self) -> None:
        await ensure_database(self.url)
        async with self.engine.begin() as connection:
            await connection.run_sync(self.metadata.create_all)
        await self.engine.dispose()  # the server's event loop opens its own connections

    @contextlib.asynccontextmanager
    async def lifespan(self, _: Any) -> AsyncIterator[None]:
        yield
        await self.engine.dispose()


def serve(app: str, create_schema: Callable[[], Coroutine[Any, Any, None]], *, name: str, default_port: int) -> None:
    """Create the app's table, then serve ``app`` ("module:attribute") with uvicorn on
    ``BENCH_<NAME>_PORT`` with ``BENCH_<NAME>_WORKERS`` processes."""
    import uvicorn

    asyncio.run(create_schema())
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(os.environ.get(f"BENCH_{name}_PORT", str(default_port))),
        workers=int(os.environ.get(f"BENCH_{name}_WORKERS", "1")),
        log_level="warning",
        access_log=False,
    )
