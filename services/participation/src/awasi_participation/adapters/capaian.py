"""What participation counts for a unit's area and year: the figures of its achievements
(``Capaian``) and the metrics an indicator of a penilaian may name (``metrik``). Queries over the
service's own tables, shared by the views (what a unit reads) and the service layer (a penilaian
records the metrics as they were when it was made)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.calendar import local_date
from awasi_common.vocabulary import Program
from awasi_participation.adapters import orm
from awasi_participation.adapters.kewajiban import compute, within
from awasi_participation.domain.obligations import JenisKewajiban, StatusKewajiban
from awasi_participation.domain.penilaian import Metrik


def year_bounds(tahun: int) -> tuple[dt.date, dt.date]:
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


def attendance() -> Any:
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


def pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None


async def counters(session: AsyncSession, *, unit: str, tahun: int, now: dt.datetime) -> dict[str, Counter[str]]:
    """Per unit within ``unit``: what happened in ``tahun``."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    start, end = year_bounds(tahun)

    prog = orm.program
    for row in await session.execute(
        sa.select(prog.c.unit, prog.c.program, sa.func.count())
        .where(within(prog.c.unit, unit), prog.c.dibentuk_pada <= end)
        .group_by(prog.c.unit, prog.c.program)
    ):
        counts[row[0]]["program_aktif"] += row[2]
        counts[row[0]][f"program:{row[1]}"] += row[2]

    k, a = orm.program_kegiatan, attendance()
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
            "persentase_kehadiran": pct(c["peserta_hadir"], c["peserta_terdaftar"]),
            "umpan_balik": c["umpan_balik"],
            "persentase_pemahaman_meningkat": pct(c["pemahaman_meningkat"], c["umpan_balik"]),
            "konsultasi_pojok": c["konsultasi_pojok"],
            "laporan_pojok": c["laporan_pojok"],
            "pemantauan": c["pemantauan"],
            "kewajiban_terpenuhi": terpenuhi,
            "kewajiban_berjalan": c["kewajiban_berjalan"],
            "kewajiban_terlewat": terlewat,
            "persentase_kepatuhan": pct(terpenuhi, terpenuhi + terlewat),
            "pemantauan_terlewat": c["pemantauan_terlewat"],
            "forum_warga_terlewat": c["forum_warga_terlewat"],
            "penilaian": c["penilaian"],
            "penilaian_memenuhi": c["penilaian_memenuhi"],
            "tingkat_keberhasilan": pct(c["penilaian_memenuhi"], c["penilaian"]),
            "skor_rata_rata": round(c["skor_total_x100"] / 100 / c["penilaian"], 2) if c["penilaian"] else None,
            "tindak_lanjut_diperlukan": c["tindak_lanjut_diperlukan"],
            "tindak_lanjut_dicatat": c["tindak_lanjut_dicatat"],
            "tindak_lanjut_terlewat": c["tindak_lanjut_terlewat"],
        }


async def metrik(session: AsyncSession, *, unit: str, tahun: int, now: dt.datetime) -> dict[Metrik, float]:
    """The computed figures an indicator may name, for ``unit``'s area in ``tahun``."""
    total = Capaian()
    for counter in (await counters(session, unit=unit, tahun=tahun, now=now)).values():
        total.add(counter)
    c = total.counts
    return {
        Metrik.JUMLAH_PROGRAM: c["program_aktif"],
        Metrik.JUMLAH_KEGIATAN_TERLAKSANA: c["kegiatan_terlaksana"],
        Metrik.JUMLAH_FORUM_WARGA: c["forum_warga_terlaksana"],
        Metrik.JUMLAH_PESERTA_HADIR: c["peserta_hadir"],
        Metrik.PERSENTASE_KEHADIRAN: pct(c["peserta_hadir"], c["peserta_terdaftar"]) or 0.0,
        Metrik.PERSENTASE_PEMAHAMAN_MENINGKAT: pct(c["pemahaman_meningkat"], c["umpan_balik"]) or 0.0,
        Metrik.JUMLAH_PEMANTAUAN: c["pemantauan"],
        Metrik.JUMLAH_KONSULTASI_POJOK: c["konsultasi_pojok"],
        Metrik.JUMLAH_LAPORAN_POJOK: c["laporan_pojok"],
    }
