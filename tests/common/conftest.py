"""A scratch service schema for testing the shared outbox, relay and consumer machinery."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from awasi_cli.testing import schema_engine
from awasi_common.db import session_factory
from awasi_common.inbox import inbox_table
from awasi_common.outbox import outbox_tables
from awasi_common.uow import UnitOfWork

metadata = sa.MetaData()
effects = sa.Table(
    "effect",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("key", sa.String(100), nullable=False),
    sa.Column("note", sa.Text),
)
outbox, leases = outbox_tables(metadata)
inbox = inbox_table(metadata)


@dataclass
class Scratch:
    url: str
    engine: AsyncEngine

    def uow(self) -> UnitOfWork:
        return UnitOfWork(session_factory(self.engine), outbox, inbox)


@pytest.fixture
async def scratch(database_url) -> AsyncIterator[Scratch]:
    url = database_url("common")
    async with schema_engine(url, metadata) as engine:
        yield Scratch(url, engine)
