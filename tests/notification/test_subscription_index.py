"""The in-memory index of active subscriptions: the same answers as the table, and a change made
elsewhere (another replica, another unit of work) seen by the next unit of work."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from awasi_cli.testing import schema_engine
from awasi_common.db import session_factory
from awasi_notification.adapters.orm import metadata
from awasi_notification.adapters.repository import SubscriptionIndex, SubscriptionRepository
from awasi_notification.domain.subscriptions import Subscription

LAPORAN = "awasi.LaporanSubmitted.v1"
TEMUAN = "awasi.TemuanDicatat.v1"


@pytest.fixture
async def engine(database_url) -> AsyncIterator[AsyncEngine]:
    async with schema_engine(database_url("notification"), metadata) as engine:
        yield engine


def values(region: str, created: dt.datetime) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "channel": "inbox",
        "owner_kind": "unit",
        "owner": region,
        "owner_unit": region,
        "region": region,
        "mode": "segera",
        "active": True,
        "created_by": "uji",
        "created_at": created,
        "updated_at": created,
    }


async def test_index_answers_as_the_table_and_sees_changes_from_elsewhere(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    index = SubscriptionIndex()
    now = dt.datetime.now(dt.UTC)
    province, kabupaten, other, everything = (
        values("35", now),
        values("35.05", now + dt.timedelta(seconds=1)),
        values("36", now + dt.timedelta(seconds=2)),
        values("00", now + dt.timedelta(seconds=3)),
    )

    async def matching(event_type: str, unit: str) -> list[str]:
        async with sessions() as session:
            return [row.id for row in await SubscriptionRepository(session, index).matching(event_type, unit)]

    async with sessions() as session:
        repository = SubscriptionRepository(session, SubscriptionIndex())  # another replica's
        await repository.add(Subscription(**province), [LAPORAN])
        await repository.add(Subscription(**kabupaten), [LAPORAN, TEMUAN])
        await repository.add(Subscription(**other), [LAPORAN])
        await session.commit()

    assert await matching(LAPORAN, "35.05.01") == [province["id"], kabupaten["id"]]
    assert await matching(TEMUAN, "35.05") == [kabupaten["id"]]
    assert await matching(TEMUAN, "35.06") == []

    async with sessions() as session:  # added and cancelled elsewhere
        repository = SubscriptionRepository(session, SubscriptionIndex())
        await repository.add(Subscription(**everything), ["*"])
        await repository.save(Subscription(**province).deactivated(dt.datetime.now(dt.UTC)))
        await session.commit()
    assert await matching(LAPORAN, "35.05.01") == [kabupaten["id"], everything["id"]]
    assert await matching(TEMUAN, "36.01") == [everything["id"]]

    async with sessions() as session:  # a deactivation with no new updated_at is still seen
        await session.execute(
            sa.update(metadata.tables["subscription"])
            .where(metadata.tables["subscription"].c.id == kabupaten["id"])
            .values(active=False)
        )
        await session.commit()
    assert await matching(LAPORAN, "35.05.01") == [everything["id"]]
