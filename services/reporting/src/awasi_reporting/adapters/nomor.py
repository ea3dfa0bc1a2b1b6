"""The document registers' numbers, taken per unit, kind, year and regime."""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_reporting.domain.rezim import Pemilihan


class SequenceRepository:
    """Register numbers: the next number per unit, kind, regime and year (Pemilu and Pemilihan
    cases are separate registers), without gaps or repeats under concurrency (one atomic
    upsert)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def next(self, unit: str, jenis: str, tahun: int, pemilihan: Pemilihan = Pemilihan.PEMILU) -> int:
        return (await self.reserve(jenis, tahun, {unit: 1}, pemilihan))[unit]

    async def reserve(self, jenis: str, tahun: int, counts: dict[str, int], pemilihan: Pemilihan) -> dict[str, int]:
        """Take ``counts[unit]`` consecutive numbers for each unit in one statement; returns
        each unit's first number. Units are locked in sorted order, so two writers taking
        numbers for overlapping units cannot deadlock."""
        last: dict[str, int] = {}
        units = sorted(counts)
        for start in range(0, len(units), ROWS_PER_STATEMENT):
            chunk = units[start : start + ROWS_PER_STATEMENT]
            params: dict[str, Any] = {"jenis": jenis, "tahun": tahun, "pemilihan": pemilihan.value}
            for index, unit in enumerate(chunk):
                params[f"u{index}"] = unit
                params[f"n{index}"] = counts[unit]
            for row in await self._session.execute(_reserve_statement(len(chunk)), params):
                last[row.unit] = int(row.terakhir)
        return {unit: last[unit] - count + 1 for unit, count in counts.items()}


ROWS_PER_STATEMENT = 50
"""Rows per multi-row upsert: bounds the statement's size and how many texts are cached."""


@functools.lru_cache(maxsize=ROWS_PER_STATEMENT)
def _reserve_statement(rows: int) -> sa.TextualSelect:
    """The numbering upsert for ``rows`` units, written out: the same text on PostgreSQL and
    SQLite, and compiled once per row count (SQLAlchemy does not cache a constructed
    ``ON CONFLICT DO UPDATE``, and compiling it cost more than running it)."""
    values = ", ".join(f"(:u{i}, :jenis, :pemilihan, :tahun, :n{i})" for i in range(rows))
    return sa.text(
        f"INSERT INTO nomor_urut (unit, jenis, pemilihan, tahun, terakhir) VALUES {values} "
        "ON CONFLICT (unit, jenis, pemilihan, tahun) DO UPDATE SET terakhir = nomor_urut.terakhir + excluded.terakhir "
        "RETURNING unit, terakhir"
    ).columns(sa.column("unit", sa.String), sa.column("terakhir", sa.Integer))
