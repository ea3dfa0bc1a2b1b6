"""Read-side queries straight on reporting's tables: lists for staff, and (from
``adapters/angka.py``, which the service layer shares) the figures a unit publishes and the data
of a division's annual report. Nothing here returns a reporter's or a witness's identity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.units import level_of
from awasi_reporting.adapters import orm

# The shared figures, read through this module like every other view (``views.statistik``).
from awasi_reporting.adapters.angka import Periode as Periode
from awasi_reporting.adapters.angka import laporan_tahunan as laporan_tahunan
from awasi_reporting.adapters.angka import statistik as statistik
from awasi_reporting.adapters.angka import within

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
