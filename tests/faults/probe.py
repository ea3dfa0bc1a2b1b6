"""A probe service for fault tests: a real consumer built from the platform's parts (broker,
consumer, inbox, unit of work) whose effect is an append-only row per handled event, so an
event handled twice or never shows in its table.

Run as ``python -m tests.faults.probe`` with AWASI_FAULTPROBE_DATABASE_URL and _PORT set."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa

from awasi_common.db import create_engine, ensure_database
from awasi_common.events.envelope import Envelope
from awasi_common.events.planning import KegiatanRescheduled, KegiatanScheduled
from awasi_common.inbox import inbox_table
from awasi_common.messaging import Consumer
from awasi_common.outbox import outbox_tables
from awasi_common.runtime import build_service, create_app, serve, uow_factory
from awasi_common.uow import UnitOfWork

NAME = "faultprobe"
GROUP = "awasi.faultprobe"

metadata = sa.MetaData()
effect = sa.Table(
    "effect",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kegiatan_id", sa.String(36), nullable=False),
    sa.Column("mulai", sa.Date, nullable=False),
    sa.Column("event_id", sa.String(36), nullable=False),
)
outbox, leases = outbox_tables(metadata)
inbox = inbox_table(metadata)


async def record(event: KegiatanScheduled | KegiatanRescheduled, envelope: Envelope, uow: UnitOfWork) -> None:
    await uow.session.execute(
        sa.insert(effect).values(kegiatan_id=event.kegiatan_id, mulai=event.kegiatan.jadwal.mulai, event_id=envelope.id)
    )


async def create_tables(url: str) -> None:
    await ensure_database(url)
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await engine.dispose()


def main() -> None:
    tables = SimpleNamespace(outbox=outbox, outbox_lease=leases, inbox=inbox)
    service = build_service(NAME, tables, migrations_path=Path(__file__).parent)
    asyncio.run(create_tables(service.settings.database_url))
    service.add_consumer(
        Consumer(GROUP, {KegiatanScheduled: record, KegiatanRescheduled: record}, uow_factory(service))
    )
    app = create_app(service, title="fault probe", description="", routers=[], migrate=False)
    serve(lambda: app)


if __name__ == "__main__":
    main()
