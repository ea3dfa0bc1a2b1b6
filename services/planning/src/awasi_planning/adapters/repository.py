"""Kegiatan in and out of the database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.vocabulary import Divisi, Program
from awasi_planning.adapters.orm import kegiatan as table
from awasi_planning.domain.model import (
    IndikatorInput,
    Jadwal,
    Jenis,
    Kegiatan,
    Metode,
    Presisi,
    Realisasi,
    Status,
    TargetPeserta,
)


def to_row(k: Kegiatan) -> dict[str, Any]:
    """The kegiatan as the values of its row (with :func:`from_row`, the one mapping of it)."""
    return {
        "id": k.id,
        "unit": k.unit,
        "divisi": k.divisi.value,
        "judul": k.judul,
        "jenis": k.jenis.value,
        "status": k.status.value,
        "mulai": k.jadwal.mulai,
        "selesai": k.jadwal.selesai,
        "presisi": k.jadwal.presisi.value,
        "jadwal_keterangan": k.jadwal.keterangan,
        "pengulangan": k.jadwal.pengulangan,
        "metode": k.metode.value if k.metode else None,
        "lokasi": k.lokasi,
        "tahapan": k.tahapan,
        "program": k.program.value if k.program else None,
        "program_id": k.program_id,
        "anggaran": k.anggaran,
        "latar_belakang": k.latar_belakang,
        "tujuan": k.tujuan,
        "output": k.output,
        "sasaran": k.sasaran,
        "indikator_input": dataclasses.asdict(k.indikator_input),
        "pelaksanaan": k.pelaksanaan,
        "target_peserta": dataclasses.asdict(k.target_peserta),
        "realisasi": dataclasses.asdict(k.realisasi) if k.realisasi else None,
        "alasan_batal": k.alasan_batal,
        "catatan_impor": k.catatan_impor,
        "sumber": k.sumber,
        "asal": k.asal,
        "updated_at": dt.datetime.now(dt.UTC),
    }


def from_row(row: Any) -> Kegiatan:
    return Kegiatan(
        id=row.id,
        unit=row.unit,
        divisi=Divisi(row.divisi),
        judul=row.judul,
        jenis=Jenis(row.jenis),
        status=Status(row.status),
        jadwal=Jadwal(row.mulai, row.selesai, Presisi(row.presisi), row.jadwal_keterangan, row.pengulangan),
        metode=Metode(row.metode) if row.metode else None,
        lokasi=row.lokasi,
        tahapan=row.tahapan,
        program=Program(row.program) if row.program else None,
        program_id=row.program_id,
        anggaran=row.anggaran,
        latar_belakang=row.latar_belakang,
        tujuan=list(row.tujuan),
        output=list(row.output),
        sasaran=list(row.sasaran),
        indikator_input=IndikatorInput(**row.indikator_input),
        pelaksanaan=list(row.pelaksanaan or []),
        target_peserta=TargetPeserta(**row.target_peserta),
        realisasi=Realisasi(**row.realisasi) if row.realisasi else None,
        alasan_batal=row.alasan_batal,
        catatan_impor=list(row.catatan_impor),
        sumber=row.sumber,
        asal=row.asal,
    )


class KegiatanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, kegiatan: Kegiatan) -> None:
        await self._session.execute(sa.insert(table).values(to_row(kegiatan)))

    async def save(self, kegiatan: Kegiatan) -> None:
        values = to_row(kegiatan)
        values.pop("id")
        await self._session.execute(sa.update(table).where(table.c.id == kegiatan.id).values(values))

    async def get(self, kegiatan_id: str, *, for_update: bool = False) -> Kegiatan | None:
        query = sa.select(table).where(table.c.id == kegiatan_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return from_row(row) if row else None

    async def by_sources(self, sources: Sequence[str]) -> dict[str, Kegiatan]:
        """Imported kegiatan by their identity (``sumber``)."""
        found: dict[str, Kegiatan] = {}
        for start in range(0, len(sources), 500):
            chunk = list(sources[start : start + 500])
            result = await self._session.execute(sa.select(table).where(table.c.sumber.in_(chunk)))
            for row in result:
                found[row.sumber] = from_row(row)
        return found
