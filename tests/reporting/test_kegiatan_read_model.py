"""Reporting keeps planning's kegiatan as its own read model: whatever planning accepts must
fit in it, or the consumer fails and the event goes to the dead-letter topic."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from awasi_cli.testing import eventually
from awasi_common.events.planning import Jadwal, KegiatanScheduled, KegiatanSnapshot, KegiatanUpdated
from awasi_common.vocabulary import Divisi


async def test_a_kegiatan_with_the_longest_tahapan_planning_accepts_is_kept(
    start_service: Any, publish: Any, unique: Any
) -> None:
    from awasi_reporting.adapters.orm import kegiatan_rm

    await start_service("reporting")
    service = start_service.apps["reporting"].state.service
    kegiatan_id = unique("keg")
    day = dt.date.today() + dt.timedelta(days=5)
    tahapan = "Pemutakhiran data pemilih dan penyusunan daftar pemilih tetap " * 3  # 192 characters
    snapshot = KegiatanSnapshot(
        kegiatan_id=kegiatan_id,
        divisi=Divisi.P2H,
        judul="Sosialisasi",
        jenis="sosialisasi",
        jadwal=Jadwal(mulai=day, selesai=day, presisi="tanggal"),
        tahapan=tahapan,
    )
    await publish(KegiatanScheduled(unit="35.05", kegiatan_id=kegiatan_id, kegiatan=snapshot))

    async def kept() -> str | None:
        async with service.sessions() as session:
            return await session.scalar(
                sa.select(kegiatan_rm.c.tahapan).where(kegiatan_rm.c.kegiatan_id == kegiatan_id)
            )

    assert await eventually(kept, timeout=30) == tahapan


async def test_a_corrected_kegiatan_is_kept_corrected(start_service: Any, publish: Any, unique: Any) -> None:
    """KegiatanUpdated (planning's PATCH of a scheduled kegiatan) replaces the kept particulars."""
    from awasi_reporting.adapters.orm import kegiatan_rm

    await start_service("reporting")
    service = start_service.apps["reporting"].state.service
    kegiatan_id = unique("keg")
    day = dt.date.today() + dt.timedelta(days=5)
    snapshot = KegiatanSnapshot(
        kegiatan_id=kegiatan_id,
        divisi=Divisi.P2H,
        judul="Sosialisasi",
        jenis="sosialisasi",
        jadwal=Jadwal(mulai=day, selesai=day, presisi="tanggal"),
        anggaran=1_000_000,
    )
    await publish(KegiatanScheduled(unit="35.79", kegiatan_id=kegiatan_id, kegiatan=snapshot))
    corrected = snapshot.model_copy(update={"judul": "Sosialisasi Pemilih Pemula", "anggaran": 2_500_000})
    await publish(KegiatanUpdated(unit="35.79", kegiatan_id=kegiatan_id, kegiatan=corrected, diubah=["judul"]))

    async def kept() -> tuple[str, int] | None:
        async with service.sessions() as session:
            row = (
                await session.execute(
                    sa.select(kegiatan_rm.c.judul, kegiatan_rm.c.anggaran).where(
                        kegiatan_rm.c.kegiatan_id == kegiatan_id
                    )
                )
            ).first()
        return (row.judul, row.anggaran) if row and row.judul != "Sosialisasi" else None

    assert await eventually(kept, timeout=30) == ("Sosialisasi Pemilih Pemula", 2_500_000)
