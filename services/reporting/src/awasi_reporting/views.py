"""Read-side queries straight on reporting's tables: lists for staff, the figures a unit
publishes, and the data of a division's annual report. Nothing here returns a reporter's or
a witness's identity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.units import RI_CODE, level_of
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


# --- Lists for staff ------------------------------------------------------------------------------


_CHILD_CODE_LENGTH = {0: 2, 1: 5, 2: 8, 3: 13, 4: 17}
"""How long the code of a unit one level down is, by level (2, 35, 35.05, 35.05.01, ...)."""


async def angka_masuk(session: AsyncSession, *, unit: str, tanggal: dt.date) -> dict[str, Any]:
    """Form A and laporan received on one day by the unit and every unit below it, in total
    and per unit one level down (from the figures projection)."""
    table = orm.angka_masuk
    filters = [within(table.c.unit, unit), table.c.tanggal == tanggal]
    totals = {"form_a": 0, "form_a_dengan_dugaan": 0, "laporan": 0}
    per_unit: dict[str, dict[str, int]] = {}
    length = _CHILD_CODE_LENGTH.get(level_of(unit))
    child = sa.func.substr(table.c.unit, 1, length) if length else table.c.unit
    query = (
        sa.select(child.label("bawah"), table.c.jenis, sa.func.sum(table.c.jumlah), sa.func.sum(table.c.dengan_dugaan))
        .where(*filters)
        .group_by(child, table.c.jenis)
    )
    for bawah, jenis, jumlah, dugaan in (await session.execute(query)).all():
        row = per_unit.setdefault(bawah, {"form_a": 0, "form_a_dengan_dugaan": 0, "laporan": 0})
        if jenis == "form_a":
            row["form_a"] += int(jumlah)
            row["form_a_dengan_dugaan"] += int(dugaan)
        elif jenis == "laporan":
            row["laporan"] += int(jumlah)
    for row in per_unit.values():
        for key in totals:
            totals[key] += row[key]
    return {
        "unit": unit,
        "tanggal": tanggal.isoformat(),
        **totals,
        "per_unit": [{"unit": code, **row} for code, row in sorted(per_unit.items()) if code != unit],
    }


async def list_laporan(
    session: AsyncSession, *, unit: str, status: str | None, periode: Periode | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    t = orm.laporan
    query = sa.select(
        t.c.id,
        t.c.kode_pelacakan,
        t.c.unit,
        t.c.kanal,
        t.c.status,
        t.c.nomor_register,
        t.c.tanggal,
        t.c.diterima_pada,
        t.c.tenggat,
        t.c.tahap_tenggat,
        t.c.putusan,
        t.c.tahapan,
        t.c.terlapor,
    ).where(within(t.c.unit, unit))
    if status:
        query = query.where(t.c.status == status)
    if periode:
        query = query.where(t.c.tanggal >= periode.dari, t.c.tanggal <= periode.sampai)
    query = query.order_by(t.c.diterima_pada.desc(), t.c.id).limit(limit).offset(offset)
    return [dict(row._mapping) for row in (await session.execute(query)).all()]


async def list_temuan(
    session: AsyncSession, *, unit: str, status: str | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    t = orm.temuan
    query = sa.select(
        t.c.id,
        t.c.nomor_register,
        t.c.unit,
        t.c.status,
        t.c.tanggal,
        t.c.tenggat,
        t.c.tahap_tenggat,
        t.c.putusan,
        t.c.tahapan,
        t.c.terlapor,
    ).where(within(t.c.unit, unit))
    if status:
        query = query.where(t.c.status == status)
    query = query.order_by(t.c.dicatat_pada.desc(), t.c.id).limit(limit).offset(offset)
    return [dict(row._mapping) for row in (await session.execute(query)).all()]


async def list_rows(
    session: AsyncSession,
    table: sa.Table,
    *,
    unit: str,
    date_column: str,
    periode: Periode | None,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    query = sa.select(table).where(within(table.c.unit, unit))
    if periode:
        query = query.where(table.c[date_column] >= periode.dari, table.c[date_column] <= periode.sampai)
    query = query.order_by(table.c[date_column].desc(), table.c.id).limit(limit).offset(offset)
    return [dict(row._mapping) for row in (await session.execute(query)).all()]


async def get_row(session: AsyncSession, table: sa.Table, row_id: str) -> dict[str, Any] | None:
    row = (await session.execute(sa.select(table).where(table.c.id == row_id))).one_or_none()
    return dict(row._mapping) if row else None


async def form_a_rows(session: AsyncSession, form_a_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Form A by id, in the order asked (a submission answered again from its idempotency key)."""
    found = {
        row.id: dict(row._mapping)
        for row in (await session.execute(sa.select(orm.form_a).where(orm.form_a.c.id.in_(list(form_a_ids))))).all()
    }
    rows = [found[form_a_id] for form_a_id in form_a_ids if form_a_id in found]
    for row in rows:  # SQLite gives the moment back without its zone: it was stored in UTC
        if row["disampaikan_pada"].tzinfo is None:
            row["disampaikan_pada"] = row["disampaikan_pada"].replace(tzinfo=dt.UTC)
    return rows


async def audit_log(session: AsyncSession, laporan_id: str) -> list[dict[str, Any]]:
    t = orm.akses_identitas
    rows = await session.execute(
        sa.select(t.c.subjek, t.c.peran, t.c.unit_akun, t.c.tujuan, t.c.diizinkan, t.c.pada)
        .where(t.c.laporan_id == laporan_id)
        .order_by(t.c.pada, t.c.id)
    )
    return [dict(row._mapping) for row in rows.all()]


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
