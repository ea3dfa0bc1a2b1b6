"""Obligations computed from the service's own rows whenever they are asked for: the read side
(views) shows them, the evaluator (service layer) raises those that fell due unmet.

Who is under which obligation:
- Forum Warga: every unit that formed a Forum Warga program, from the year it formed the first.
- Pemantauan: every Bawaslu RI, Provinsi and Kab/Kota unit that runs participatory supervision
  on the platform, or has a unit below it that does (table ``unit_aktif``), from the period in
  which that started. Units that never appear are not tracked: the platform cannot tell a
  unit that does nothing from one that is not using it yet.
- Tindak lanjut: every penilaian that did not meet its indicators.
- Komunikasi and koordinasi (Pasal 25 huruf c, d): every Kampung Pengawasan, from its formation,
  in windows of 3 months, counted from its communication log (``kampung_komunikasi``).
- Pengembangan dan inovasi (Pasal 27 ayat (1)): every unit that formed a Kampung Pengawasan, once
  a calendar year from the year after its first (``pengembangan_kampung``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.units import RI_CODE, is_within
from awasi_common.vocabulary import Program
from awasi_participation.adapters import orm
from awasi_participation.domain.base import today_in
from awasi_participation.domain.obligations import (
    Kewajiban,
    kewajiban_forum_warga,
    kewajiban_kampung,
    kewajiban_pemantauan,
    kewajiban_pengembangan,
    kewajiban_tindak_lanjut,
)
from awasi_participation.domain.rules import KEWAJIBAN_SEJAK


def within(column: sa.ColumnElement[str], unit: str | None) -> sa.ColumnElement[bool]:
    if unit is None or unit == RI_CODE:
        return sa.true()
    return sa.or_(column == unit, column.like(f"{unit}.%"))


async def forum_warga_sessions(session: AsyncSession, unit: str | None = None) -> dict[str, list[dt.date]]:
    """Dates of the Forum Warga kegiatan each unit held: completed in planning, or with
    peserta who checked in."""
    k, p = orm.program_kegiatan, orm.peserta
    attended = (
        sa.select(sa.func.count())
        .select_from(p)
        .where(p.c.kegiatan_id == k.c.kegiatan_id, p.c.hadir_pada.is_not(None))
        .scalar_subquery()
    )
    rows = await session.execute(
        sa.select(k.c.unit, k.c.mulai).where(
            k.c.program == Program.FORUM_WARGA.value,
            within(k.c.unit, unit),
            sa.or_(k.c.status == "completed", sa.and_(k.c.status != "cancelled", attended > 0)),
        )
    )
    held: dict[str, list[dt.date]] = defaultdict(list)
    for row in rows:
        held[row.unit].append(row.mulai)
    return held


async def compute(
    session: AsyncSession, *, now: dt.datetime, unit: str | None = None, tahun: int | None = None
) -> list[Kewajiban]:
    """Every obligation of the units within ``unit`` (all when None), for periods that began by
    ``now`` on each unit's own date (and, with ``tahun``, within that year)."""

    def until(code: str) -> dt.date:
        today = today_in(code, now)
        return today if tahun is None else min(today, dt.date(tahun, 12, 31))

    floor = max(dt.date(tahun, 1, 1) if tahun is not None else dt.date.min, KEWAJIBAN_SEJAK)
    found: list[Kewajiban] = []

    # Pemantauan.
    active = (await session.execute(sa.select(orm.unit_aktif).where(within(orm.unit_aktif.c.unit, unit)))).all()
    pem = orm.pemantauan
    dates: dict[str, list[dt.date]] = defaultdict(list)
    for row in await session.execute(sa.select(pem.c.unit, pem.c.tanggal).where(within(pem.c.unit, unit))):
        dates[row.unit].append(row.tanggal)
    for row in active:
        found += kewajiban_pemantauan(
            row.unit, sejak=max(row.sejak, floor), sampai=until(row.unit), tanggal=dates[row.unit]
        )

    # Forum Warga.
    prog = orm.program
    formed = await session.execute(
        sa.select(prog.c.unit, sa.func.min(prog.c.dibentuk_pada).label("sejak"))
        .where(prog.c.program == Program.FORUM_WARGA.value, within(prog.c.unit, unit))
        .group_by(prog.c.unit)
    )
    sessions = await forum_warga_sessions(session, unit)
    for row in formed:
        found += kewajiban_forum_warga(
            row.unit, sejak=max(row.sejak, floor), sampai=until(row.unit), sesi=sessions[row.unit]
        )

    # Kampung Pengawasan: komunikasi and koordinasi (Pasal 25 huruf c, d) and pengembangan (Pasal 27).
    kampung = (
        await session.execute(
            sa.select(prog.c.id, prog.c.unit, prog.c.dibentuk_pada).where(
                prog.c.program == Program.KAMPUNG_PENGAWASAN.value, within(prog.c.unit, unit)
            )
        )
    ).all()
    if kampung:
        kom = orm.komunikasi
        logged: dict[str, list[tuple[str, dt.date]]] = defaultdict(list)
        for row in await session.execute(
            sa.select(kom.c.program_id, kom.c.jenis, kom.c.tanggal).where(kom.c.program_id.in_([k.id for k in kampung]))
        ):
            logged[row.program_id].append((row.jenis, row.tanggal))
        first: dict[str, dt.date] = {}
        for row in kampung:
            first[row.unit] = min(first.get(row.unit, row.dibentuk_pada), row.dibentuk_pada)
            found += kewajiban_kampung(
                row.id,
                row.unit,
                dibentuk_pada=row.dibentuk_pada,
                sampai=until(row.unit),
                komunikasi=logged[row.id],
                dari=floor,
            )
        pk = orm.pengembangan_kampung
        developed: dict[str, list[dt.date]] = defaultdict(list)
        for row in await session.execute(sa.select(pk.c.unit, pk.c.tanggal).where(within(pk.c.unit, unit))):
            developed[row.unit].append(row.tanggal)
        for code, pertama in first.items():
            found += kewajiban_pengembangan(
                code, pertama=pertama, sampai=until(code), tanggal=developed[code], dari=floor
            )

    # Tindak lanjut.
    pen = orm.penilaian
    query = sa.select(
        pen.c.id, pen.c.unit_tindak_lanjut, pen.c.tanggal, pen.c.batas_tindak_lanjut, pen.c.tindak_lanjut, pen.c.tahun
    ).where(pen.c.memenuhi.is_(False), within(pen.c.unit_tindak_lanjut, unit))
    if tahun is not None:
        query = query.where(pen.c.tahun == tahun)
    for row in await session.execute(query):
        found.append(
            kewajiban_tindak_lanjut(
                penilaian_id=row.id,
                unit=row.unit_tindak_lanjut,
                tanggal_penilaian=row.tanggal,
                batas_waktu=row.batas_tindak_lanjut,
                dicatat=row.tindak_lanjut is not None,
            )
        )
    return [k for k in found if unit is None or is_within(k.unit, unit)]
