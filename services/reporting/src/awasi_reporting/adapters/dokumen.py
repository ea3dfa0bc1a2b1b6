"""Issued documents of a unit, kept as issued: the annual division reports."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.vocabulary import Divisi
from awasi_reporting.adapters import orm
from awasi_reporting.domain.laporan_tahunan import LaporanTahunanTerbit, Pengesahan

_t = orm.laporan_tahunan


def _key(unit: str, tahun: int, divisi: Divisi) -> sa.ColumnElement[bool]:
    return sa.and_(_t.c.unit == unit, _t.c.tahun == tahun, _t.c.divisi == divisi.value)


class LaporanTahunanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, unit: str, tahun: int, divisi: Divisi) -> LaporanTahunanTerbit | None:
        columns = [c for c in _t.c if c.name != "pdf"]
        row = (await self._session.execute(sa.select(*columns).where(_key(unit, tahun, divisi)))).one_or_none()
        if row is None:
            return None
        pengesahan = Pengesahan(nomor=row.nomor, tanggal=row.tanggal, jabatan=row.jabatan, nama=row.penandatangan)
        return LaporanTahunanTerbit(
            unit=row.unit,
            tahun=row.tahun,
            divisi=Divisi(row.divisi),
            pengesahan=pengesahan,
            diterbitkan_oleh=row.diterbitkan_oleh,
            diterbitkan_pada=row.diterbitkan_pada,
        )

    async def pdf(self, unit: str, tahun: int, divisi: Divisi) -> bytes | None:
        found = await self._session.scalar(sa.select(_t.c.pdf).where(_key(unit, tahun, divisi)))
        return bytes(found) if found is not None else None

    async def add(self, record: LaporanTahunanTerbit, pdf: bytes) -> None:
        await self._session.execute(
            sa.insert(_t).values(
                unit=record.unit,
                tahun=record.tahun,
                divisi=record.divisi.value,
                nomor=record.pengesahan.nomor,
                tanggal=record.pengesahan.tanggal,
                jabatan=record.pengesahan.jabatan,
                penandatangan=record.pengesahan.nama,
                diterbitkan_oleh=record.diterbitkan_oleh,
                diterbitkan_pada=record.diterbitkan_pada,
                pdf=pdf,
            )
        )
