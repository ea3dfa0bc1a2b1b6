"""Reporting's read models, kept by its consumers and handlers: the figures projection
(what came in per unit and day), kegiatan from planning and participation counts."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.db import insert
from awasi_reporting.adapters import orm
from awasi_reporting.adapters.nomor import ROWS_PER_STATEMENT


class ReadModelRepository:
    """What events told reporting: other services' (for the annual report) and its own (the
    figures projection)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._angka: dict[tuple[str, dt.date, str], list[int]] = {}

    def count_masuk(self, *, unit: str, tanggal: dt.date, jenis: str, dengan_dugaan: bool = False) -> None:
        """Count one Form A or laporan received; written by ``flush`` (the unit of work's
        commit), so a batch of events touches each figure once."""
        figure = self._angka.setdefault((unit, tanggal, jenis), [0, 0])
        figure[0] += 1
        figure[1] += int(dengan_dugaan)

    async def flush(self) -> None:
        """Add the counted figures in one statement, rows in key order (no deadlock between
        replicas adding to the same figures)."""
        pending, self._angka = self._angka, {}
        if not pending:
            return
        figures = sorted(pending.items())
        for start in range(0, len(figures), ROWS_PER_STATEMENT):
            chunk = figures[start : start + ROWS_PER_STATEMENT]
            params: dict[str, Any] = {}
            for index, ((unit, tanggal, jenis), (n, dugaan)) in enumerate(chunk):
                params.update({f"u{index}": unit, f"t{index}": tanggal, f"j{index}": jenis})
                params.update({f"n{index}": n, f"d{index}": dugaan})
            await self._session.execute(_angka_statement(len(chunk)), params)

    async def upsert_kegiatan(self, values: dict[str, Any]) -> None:
        statement = insert(self._session, orm.kegiatan_rm).values(**values)
        updates = {k: statement.excluded[k] for k in values if k != "kegiatan_id"}
        await self._session.execute(statement.on_conflict_do_update(index_elements=["kegiatan_id"], set_=updates))

    async def update_kegiatan(self, kegiatan_id: str, values: dict[str, Any]) -> None:
        await self._session.execute(
            sa.update(orm.kegiatan_rm).where(orm.kegiatan_rm.c.kegiatan_id == kegiatan_id).values(**values)
        )

    async def add_partisipasi(self, values: dict[str, Any]) -> None:
        await self._session.execute(sa.insert(orm.partisipasi_rm).values(**values))


def content_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@functools.lru_cache(maxsize=ROWS_PER_STATEMENT)
def _angka_statement(rows: int) -> sa.TextClause:
    """Adding to ``rows`` figures at once (see ``nomor._reserve_statement`` for why it is text)."""
    values = ", ".join(f"(:u{i}, :t{i}, :j{i}, :n{i}, :d{i})" for i in range(rows))
    return sa.text(
        f"INSERT INTO angka_masuk (unit, tanggal, jenis, jumlah, dengan_dugaan) VALUES {values} "
        "ON CONFLICT (unit, tanggal, jenis) DO UPDATE SET jumlah = angka_masuk.jumlah + excluded.jumlah, "
        "dengan_dugaan = angka_masuk.dengan_dugaan + excluded.dengan_dugaan"
    ).bindparams(*(sa.bindparam(f"t{i}", type_=sa.Date) for i in range(rows)))
