"""`awasi replay`: a dead-lettered event re-driven after its cause is fixed is handled once."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from faststream.kafka import KafkaBroker

from awasi_cli import ops
from awasi_cli.testing import eventually
from awasi_common.events import Envelope
from awasi_common.events.base import dead_letter_topic
from awasi_common.events.reporting import LAPORAN_TOPIC, LaporanSubmitted
from awasi_common.messaging import Consumer, ensure_topics
from awasi_common.outbox import outbox_row
from awasi_common.telemetry import Telemetry

from .conftest import effects


async def test_replay_redrives_a_fixed_dead_letter_once(scratch, private_broker) -> None:
    kafka_bootstrap = private_broker  # its topics hold only this test's events
    group = f"test-replay-{uuid.uuid4().hex[:6]}"
    await ensure_topics(kafka_bootstrap, [LAPORAN_TOPIC, dead_letter_topic(group)], partitions=3)
    key = f"replay-{uuid.uuid4().hex[:6]}"
    fixed = False

    async def handler(event: LaporanSubmitted, envelope: Envelope, uow) -> None:
        if not fixed:
            raise ValueError("kode unit tujuan belum dikonfigurasi")
        await uow.session.execute(sa.insert(effects).values(event_id=envelope.id, key=event.laporan_id))

    broker = KafkaBroker(kafka_bootstrap, logger=None)
    consumer = Consumer(group, {LaporanSubmitted: handler}, scratch.uow)
    consumer.subscribe(broker, Telemetry("test"), session_timeout_ms=2000)  # joins in 1 s
    await broker.start()
    try:
        event = LaporanSubmitted(
            unit="35.05", laporan_id=key, kode_pelacakan="LP-R", kanal="web", diterima_pada=dt.datetime.now(dt.UTC)
        )
        row = outbox_row(event)
        await broker.publish(row["payload"], LAPORAN_TOPIC, key=key.encode(), headers=row["headers"])
        await eventually(lambda: _async(consumer.dead_lettered == 1), timeout=60)

        dead = await ops.list_dead_letters(kafka_bootstrap, group)
        assert [d.event_id for d in dead] == [row["event_id"]]
        assert "belum dikonfigurasi" in dead[0].error and dead[0].original_topic == LAPORAN_TOPIC

        fixed = True
        assert await ops.replay_dead_letters(kafka_bootstrap, group) == [row["event_id"]]

        async def handled() -> bool:
            async with scratch.engine.connect() as connection:
                count = await connection.scalar(sa.select(sa.func.count()).where(effects.c.key == key))
            return count == 1

        await eventually(handled, timeout=30)
        assert await ops.replay_dead_letters(kafka_bootstrap, group) == []  # progress was kept
    finally:
        await broker.stop()


async def _async(value: bool) -> bool:
    return value
