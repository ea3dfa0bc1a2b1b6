"""Participation keeps its own view of the kegiatan that belong to a program, from planning's
events: a program's activities are planned once, in planning, never entered twice."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from awasi_common.events.envelope import Envelope
from awasi_common.events.planning import (
    KegiatanCancelled,
    KegiatanCompleted,
    KegiatanRescheduled,
    KegiatanScheduled,
)
from awasi_common.uow import UnitOfWork
from awasi_participation.adapters.orm import program_kegiatan

_STATUS = {
    KegiatanScheduled: "scheduled",
    KegiatanRescheduled: "rescheduled",
    KegiatanCancelled: "cancelled",
    KegiatanCompleted: "completed",
}

KegiatanEvent = KegiatanScheduled | KegiatanRescheduled | KegiatanCancelled | KegiatanCompleted


async def track_program_kegiatan(event: KegiatanEvent, envelope: Envelope, uow: UnitOfWork) -> None:
    k = event.kegiatan
    if k.program is None:
        return
    values = {
        "unit": event.unit,
        "program": k.program.value,
        "judul": k.judul,
        "mulai": k.jadwal.mulai,
        "selesai": k.jadwal.selesai,
        "status": _STATUS[type(event)],
        "target_peserta": k.target_peserta,
        "updated_at": dt.datetime.now(dt.UTC),
    }
    if isinstance(event, KegiatanCompleted):
        values["peserta_hadir"] = event.realisasi.peserta_hadir
    updated = await uow.session.execute(
        sa.update(program_kegiatan).where(program_kegiatan.c.kegiatan_id == k.kegiatan_id).values(values)
    )
    if not updated.rowcount:
        await uow.session.execute(sa.insert(program_kegiatan).values(kegiatan_id=k.kegiatan_id, **values))
