"""Notification's reactions to other services' events. Each runs inside the consumer's unit of
work, after the event's inbox row: a redelivered event never acts twice."""

from __future__ import annotations

import sqlalchemy as sa

from awasi_common.events.envelope import Envelope
from awasi_common.events.planning import KegiatanRescheduled, KegiatanScheduled
from awasi_common.events.reporting import LaporanSubmitted
from awasi_common.uow import UnitOfWork
from awasi_notification.adapters.orm import receipt, reminder
from awasi_notification.domain.model import reminders_for


async def schedule_reminders(event: KegiatanScheduled | KegiatanRescheduled, envelope: Envelope, uow: UnitOfWork) -> None:
    k = event.kegiatan
    planned = reminders_for(k.kegiatan_id, event.unit, k.judul, k.jadwal.mulai, k.jadwal.selesai)
    await uow.session.execute(sa.delete(reminder).where(reminder.c.kegiatan_id == k.kegiatan_id))
    await uow.session.execute(
        sa.insert(reminder),
        [
            {"kegiatan_id": r.kegiatan_id, "unit": r.unit, "judul": r.judul, "kind": r.kind, "due_on": r.due_on}
            for r in planned
        ],
    )


async def record_receipt(event: LaporanSubmitted, envelope: Envelope, uow: UnitOfWork) -> None:
    await uow.session.execute(
        sa.insert(receipt).values(
            laporan_id=event.laporan_id,
            kode_pelacakan=event.kode_pelacakan,
            unit=event.unit,
            kanal=event.kanal,
            diterima_pada=event.diterima_pada,
            event_id=envelope.id,
        )
    )
