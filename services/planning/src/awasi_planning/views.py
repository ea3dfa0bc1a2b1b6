"""Read-side queries straight on planning's tables (no domain objects needed to read)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_planning.adapters.orm import kegiatan as table
from awasi_planning.adapters.repository import to_domain
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
    if f.dari:
        conditions.append(table.c.selesai >= f.dari)
    if f.sampai:
        conditions.append(table.c.mulai <= f.sampai)
    return conditions


async def list_kegiatan(session: AsyncSession, f: KegiatanFilter, *, limit: int = 100, offset: int = 0) -> list[Kegiatan]:
    query = sa.select(table).where(*_where(f)).order_by(table.c.mulai, table.c.judul).limit(limit).offset(offset)
    return [to_domain(row) for row in await session.execute(query)]


async def get_kegiatan(session: AsyncSession, kegiatan_id: str) -> Kegiatan | None:
    row = (await session.execute(sa.select(table).where(table.c.id == kegiatan_id))).first()
    return to_domain(row) if row else None
