"""The figures a unit publishes (``statistik``) and the data of a division's annual report
(``laporan_tahunan``): queries over reporting's own tables, shared by the views (what a unit
reads) and the service layer (issuing a report renders and keeps its figures as they are then).
Nothing here returns a reporter's or a witness's identity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.units import RI_CODE
from awasi_common.vocabulary import Divisi
from awasi_reporting.adapters import orm
from awasi_reporting.domain.laporan_tahunan import LaporanTahunanData
from awasi_reporting.domain.vocabulary import JenisPutusan, Kanal


def within(column: Any, unit: str) -> sa.ColumnElement[bool]:
    """The unit itself and its descendants (prefix on whole dotted segments)."""
    if unit == RI_CODE:
        return sa.true()
    return sa.or_(column == unit, column.like(f"{unit}.%"))


@dataclass(frozen=True)
class Periode:
    dari: dt.date
    sampai: dt.date

    @classmethod
    def tahun(cls, year: int) -> Periode:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _filters(table: sa.Table, date_column: str, unit: str, periode: Periode, tahapan: str | None) -> list[Any]:
    column = table.c[date_column]
    found = [within(table.c.unit, unit), column >= periode.dari, column <= periode.sampai]
    if tahapan:
        found.append(table.c.tahapan == tahapan)
    return found


async def statistik(
    session: AsyncSession, *, unit: str, periode: Periode, tahapan: str | None = None
) -> dict[str, Any]:
    """The numbers a unit publishes, for the unit and every unit below it. Cases count in
    the period they were received (laporan) or recorded (temuan), with their outcome so far."""

    async def count(table: sa.Table, date_column: str, *extra: Any) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(table)
            .where(*_filters(table, date_column, unit, periode, tahapan), *extra)
        )
        return int(await session.scalar(query) or 0)

    async def grouped(table: sa.Table, date_column: str, column: str, *extra: Any) -> dict[str, int]:
        query = (
            sa.select(table.c[column], sa.func.count())
            .where(*_filters(table, date_column, unit, periode, tahapan), *extra)
            .group_by(table.c[column])
        )
        return {str(key): int(n) for key, n in (await session.execute(query)).all() if key is not None}

    pencegahan_bentuk = await grouped(orm.pencegahan, "tanggal", "bentuk")
    apk = await session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(orm.penertiban_apk.c.jumlah), 0)).where(
            *_filters(orm.penertiban_apk, "tanggal", unit, periode, tahapan)
        )
    )
    laporan_putusan = await grouped(orm.laporan, "tanggal", "putusan")
    temuan_putusan = await grouped(orm.temuan, "tanggal", "putusan")
    putusan = {
        kind.value: laporan_putusan.get(kind.value, 0) + temuan_putusan.get(kind.value, 0) for kind in JenisPutusan
    }
    tidak_registrasi = await grouped(orm.laporan, "tanggal", "alasan_tidak_registrasi")
    kanal = await grouped(orm.laporan, "tanggal", "kanal")
    laporan_total = await count(orm.laporan, "tanggal")
    return {
        "unit": unit,
        "dari": periode.dari,
        "sampai": periode.sampai,
        "tahapan": tahapan,
        "pencegahan": {
            "jumlah": sum(pencegahan_bentuk.values()),
            "imbauan": pencegahan_bentuk.get("imbauan", 0),
            "form_f": pencegahan_bentuk.get("form_f", 0),
        },
        "form_a": {
            "jumlah": await count(orm.form_a, "tanggal"),
        },
        "penertiban_apk": {
            "jumlah_apk": int(apk or 0),
            "kegiatan": await count(orm.penertiban_apk, "tanggal"),
        },
        "psap": {
            "jumlah": await count(orm.psap, "tanggal_permohonan"),
            "selesai": await count(orm.psap, "tanggal_permohonan", orm.psap.c.status == "selesai"),
        },
        "temuan": {
            "jumlah": await count(orm.temuan, "tanggal"),
            "putusan": {k.value: temuan_putusan.get(k.value, 0) for k in JenisPutusan},
        },
        "laporan": {
            "jumlah": laporan_total,
            "diregistrasi": await count(orm.laporan, "tanggal", orm.laporan.c.nomor_register.is_not(None)),
            "tidak_diregistrasi": sum(tidak_registrasi.values()),
            "tidak_diregistrasi_alasan": {
                key: tidak_registrasi.get(key, 0) for key in ("formil", "materiel", "daluwarsa")
            },
            "per_kanal": {k.value: kanal.get(k.value, 0) for k in Kanal},
            "putusan": {k.value: laporan_putusan.get(k.value, 0) for k in JenisPutusan},
        },
        "putusan": putusan,
        "penanganan_pelanggaran": {
            "temuan": await count(orm.temuan, "tanggal"),
            "laporan_diregistrasi": await count(orm.laporan, "tanggal", orm.laporan.c.nomor_register.is_not(None)),
            "laporan_tidak_diregistrasi": sum(tidak_registrasi.values()),
        },
    }


# --- A division's annual report -------------------------------------------------------------------


async def laporan_tahunan(
    session: AsyncSession, *, unit: str, unit_nama: str, tahun: int, divisi: Divisi
) -> LaporanTahunanData:
    periode = Periode.tahun(tahun)
    data = LaporanTahunanData(unit=unit, unit_nama=unit_nama, tahun=tahun, divisi=divisi)
    k = orm.kegiatan_rm
    rows = (
        await session.execute(
            sa.select(k)
            .where(
                within(k.c.unit, unit),
                k.c.divisi == divisi.value,
                k.c.mulai >= periode.dari,
                k.c.mulai <= periode.sampai,
            )
            .order_by(k.c.mulai, k.c.judul)
        )
    ).all()
    per_bulan: dict[str, list[int]] = {s: [0] * 12 for s in ("scheduled", "completed", "cancelled")}
    for row in rows:
        data.kegiatan_status[row.status] = data.kegiatan_status.get(row.status, 0) + 1
        per_bulan.setdefault(row.status, [0] * 12)[row.mulai.month - 1] += 1
        if row.status != "cancelled":
            data.target_peserta += row.target_peserta or 0
            data.anggaran += row.anggaran or 0
        data.peserta_hadir += row.peserta_hadir or 0
        data.anggaran_realisasi += row.anggaran_realisasi or 0
        data.kegiatan.append(
            {
                "judul": row.judul,
                "jenis": row.jenis,
                "mulai": row.mulai,
                "selesai": row.selesai,
                "status": row.status,
                "program": row.program,
                "unit": row.unit,
                "target_peserta": row.target_peserta,
                "peserta_hadir": row.peserta_hadir,
            }
        )
    data.kegiatan_per_bulan = per_bulan
    p = orm.partisipasi_rm
    participation = (
        await session.execute(
            sa.select(p.c.event_type, p.c.program, p.c.tanggal).where(
                within(p.c.unit, unit), p.c.tanggal >= periode.dari, p.c.tanggal <= periode.sampai
            )
        )
    ).all()
    for row in participation:
        data.partisipasi_per_jenis[row.event_type] = data.partisipasi_per_jenis.get(row.event_type, 0) + 1
        if row.program:
            data.partisipasi_per_program[row.program] = data.partisipasi_per_program.get(row.program, 0) + 1
        data.partisipasi_per_bulan[row.tanggal.month - 1] += 1
    data.statistik = await statistik(session, unit=unit, periode=periode)
    return data
