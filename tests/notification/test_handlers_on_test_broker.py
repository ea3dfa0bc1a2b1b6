"""Notification's real consumer group and handlers on FastStream's TestKafkaBroker (no broker
process), against its real, migrated database: the fast loop for changing a reaction."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from faststream.kafka import TestKafkaBroker

from awasi_common import migrations
from awasi_common.events import Envelope, encode
from awasi_common.events.planning import KegiatanCancelled, KegiatanScheduled
from awasi_common.settings import ServiceSettings
from awasi_notification.adapters.orm import reminder
from awasi_notification.bootstrap import bootstrap


async def test_reminders_from_kegiatan_events_on_the_test_broker(
    platform_settings, database_url, kegiatan_event
) -> None:
    url = database_url("notification")
    app = bootstrap(platform_settings, ServiceSettings(name="notification", database_url=url))
    service = app.state.service
    await migrations.upgrade(service.migrations_path, url)
    scheduled = kegiatan_event(KegiatanScheduled, "35.05", mulai=dt.date.today() + dt.timedelta(days=10))
    cancelled = KegiatanCancelled(
        unit="35.05", kegiatan_id=scheduled.kegiatan_id, kegiatan=scheduled.kegiatan, alasan="Banjir"
    )

    async def reminders() -> list[tuple[str, str]]:
        async with service.sessions() as session:
            rows = await session.execute(sa.select(reminder.c.kind, reminder.c.status).order_by(reminder.c.kind))
            return [tuple(row) for row in rows]

    try:
        async with TestKafkaBroker(service.broker) as broker:
            headers = Envelope.new(scheduled).headers()
            for _ in range(2):  # delivered twice: handled once
                await broker.publish(encode(scheduled), scheduled.topic, key=scheduled.key.encode(), headers=headers)
            assert await reminders() == [("H-1", "pending"), ("H-3", "pending"), ("realisasi", "pending")]
            await broker.publish(
                encode(cancelled),
                cancelled.topic,
                key=cancelled.key.encode(),
                headers=Envelope.new(cancelled).headers(),
            )
        assert {status for _, status in await reminders()} == {"cancelled"}
        assert service.consumers[0].handled == 2
    finally:
        await service.engine.dispose()
