"""Read-side queries straight on planning's tables (no domain objects needed to read)."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.vocabulary import Divisi
from awasi_planning.adapters.orm import kegiatan as table
from awasi_planning.adapters.repository import from_row
from awasi_planning.domain.model import Kegiatan


@dataclass(frozen=True)
class KegiatanFilter:
    unit: str
    divisi: str | None = None
    status: str | None = None
    jenis: str | None = None
    program: str | None = None
    dari: dt.date | None = None
    sampai: dt.date | None = None
    statuses: tuple[str, ...] = ()
    """Any of these statuses (for feeds that leave drafts out)."""


def _where(f: KegiatanFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = [
        sa.or_(table.c.unit == f.unit, table.c.unit.like(f"{f.unit}.%")) if f.unit != "00" else sa.true()
    ]
    for column, value in (
        (table.c.divisi, f.divisi),
        (table.c.status, f.status),
        (table.c.jenis, f.jenis),
        (table.c.program, f.program),
    ):
        if value:
            conditions.append(column == value)
    if f.statuses:
        conditions.append(table.c.status.in_(f.statuses))
    if f.dari:
        conditions.append(table.c.selesai >= f.dari)
    if f.sampai:
        conditions.append(table.c.mulai <= f.sampai)
    return conditions


async def list_kegiatan(
    session: AsyncSession, f: KegiatanFilter, *, limit: int = 100, offset: int = 0
) -> list[Kegiatan]:
    query = sa.select(table).where(*_where(f)).order_by(table.c.mulai, table.c.judul).limit(limit).offset(offset)
    return [from_row(row) for row in await session.execute(query)]


async def get_kegiatan(session: AsyncSession, kegiatan_id: str) -> Kegiatan | None:
    row = (await session.execute(sa.select(table).where(table.c.id == kegiatan_id))).first()
    return from_row(row) if row else None


# --- realisation summary ----------------------------------------------------------------------


class Periode(StrEnum):
    BULAN = "bulan"
    TRIWULAN = "triwulan"
    SEMESTER = "semester"
    TAHUN = "tahun"


def period_of(day: dt.date, periode: Periode) -> tuple[str, dt.date, dt.date]:
    """The label and bounds of the period that holds ``day``: '2023-11', '2023-T4', '2023-S2', '2023'."""
    year = day.year
    if periode == Periode.BULAN:
        first, months = day.month, 1
        label = f"{year}-{day.month:02d}"
    elif periode == Periode.TRIWULAN:
        quarter = (day.month - 1) // 3 + 1
        first, months, label = 3 * quarter - 2, 3, f"{year}-T{quarter}"
    elif periode == Periode.SEMESTER:
        half = 1 if day.month <= 6 else 2
        first, months, label = 6 * half - 5, 6, f"{year}-S{half}"
    else:
        first, months, label = 1, 12, str(year)
    last = first + months - 1
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return label, dt.date(year, first, 1), end


@dataclass
class Realisasi:
    """Planned against done, for one division in one period (or in all of them)."""

    divisi: str
    periode: str | None = None
    mulai: dt.date | None = None
    selesai: dt.date | None = None
    direncanakan: int = 0
    draft: int = 0
    terjadwal: int = 0
    terlaksana: int = 0
    dibatalkan: int = 0
    peserta_rencana: int = 0
    peserta_realisasi: int = 0
    anggaran_rencana: int = 0
    anggaran_realisasi: int = 0

    @property
    def persen_terlaksana(self) -> float | None:
        """Completed out of those not cancelled, in percent."""
        base = self.direncanakan - self.dibatalkan
        return round(100 * self.terlaksana / base, 1) if base else None

    def add(self, status: str, target: Any, anggaran: int | None, realisasi: Any) -> None:
        self.direncanakan += 1
        if status == "draft":
            self.draft += 1
        elif status in ("scheduled", "rescheduled"):
            self.terjadwal += 1
        elif status == "completed":
            self.terlaksana += 1
        elif status == "cancelled":
            self.dibatalkan += 1
            return
        self.peserta_rencana += int((target or {}).get("jumlah") or 0)
        self.anggaran_rencana += int(anggaran or 0)
        if status == "completed" and realisasi:
            self.peserta_realisasi += int(realisasi.get("peserta_hadir") or 0)
            self.anggaran_realisasi += int(realisasi.get("anggaran_realisasi") or 0)


async def realisation_summary(
    session: AsyncSession, f: KegiatanFilter, periode: Periode
) -> tuple[list[Realisasi], list[Realisasi], Realisasi]:
    """Per division and period, per division, and overall: planned, scheduled, completed and
    cancelled kegiatan, participants and budget planned against realised. A kegiatan counts in
    the period its schedule starts in; ``dari``/``sampai`` select by that start."""
    conditions = _where(dataclasses.replace(f, dari=None, sampai=None))
    if f.dari:
        conditions.append(table.c.mulai >= f.dari)
    if f.sampai:
        conditions.append(table.c.mulai <= f.sampai)
    query = sa.select(
        table.c.divisi, table.c.status, table.c.mulai, table.c.target_peserta, table.c.anggaran, table.c.realisasi
    ).where(*conditions)
    rows: dict[tuple[str, str], Realisasi] = {}
    per_division: dict[str, Realisasi] = {}
    overall = Realisasi(divisi="semua")
    for row in await session.execute(query):
        label, start, end = period_of(row.mulai, periode)
        cell = rows.setdefault((row.divisi, label), Realisasi(row.divisi, label, start, end))
        for bucket in (cell, per_division.setdefault(row.divisi, Realisasi(row.divisi)), overall):
            bucket.add(row.status, row.target_peserta, row.anggaran, row.realisasi)
    order = {d.value: i for i, d in enumerate(Divisi)}
    by_key = sorted(rows.values(), key=lambda r: (order.get(r.divisi, 99), r.mulai or dt.date.min))
    divisions = sorted(per_division.values(), key=lambda r: order.get(r.divisi, 99))
    return by_key, divisions, overall
