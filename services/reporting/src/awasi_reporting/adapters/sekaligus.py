"""A numbered record filed in one statement on PostgreSQL: a Form A on its own, a laporan.

Numbering upsert, the record's row, its outbox rows and (for a Form A with an
``Idempotency-Key``) the key's row are one statement of data-modifying CTEs, run outside an
explicit transaction: PostgreSQL runs a statement atomically, so the guarantees of the
transaction it replaces hold (the outbox rows are written with the record or nothing is; a
number is taken only by a record that is kept, so the register stays gap-free and unique; a
repeated key makes the statement write nothing), in one round trip instead of five to seven
(BEGIN, the key's look-up and insert, upsert, record, outbox, COMMIT). SQLite has no
data-modifying CTEs: there the unit of work's usual transaction does it.

The number is made in SQL from the sequence the upsert returns (``nomor_dokumen``: the sequence
zero-padded to three digits, then the rest, which the caller passes). An event that tells the
number carries :data:`MARK` in its JSON instead; its payload is split around the mark and joined
again around the number in SQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from awasi_reporting.adapters import orm

MARK = "{nomor}"
"""The number in an event's data until the statement knows it (no field of the events that
carry it can hold it: unit codes, ids, enumerations, dates and flags)."""
_QUOTED_MARK = json.dumps(MARK).encode()


@dataclass(frozen=True)
class Nomor:
    """Which register the number comes from, and the number after its sequence."""

    unit: str
    jenis: str
    pemilihan: str
    tahun: int
    rest: str


@dataclass(frozen=True)
class Row:
    table: sa.Table
    values: dict[str, Any]


_Shape = tuple[tuple[sa.Table, tuple[str, ...]] | None, sa.Table, tuple[str, ...], str, sa.Table, tuple[bool, ...]]
_STATEMENTS: dict[_Shape, str] = {}
_NUMBERING = (
    "INSERT INTO nomor_urut (unit, jenis, pemilihan, tahun, terakhir) {source} "
    "ON CONFLICT (unit, jenis, pemilihan, tahun) DO UPDATE SET terakhir = nomor_urut.terakhir + excluded.terakhir "
    "RETURNING terakhir"
)
_OUTBOX_COLUMNS = ("event_id", "shard", "topic", "key", "headers", "created_at")
_REGISTER = ("unit", "jenis", "pemilihan", "tahun")
_PG_TYPES: tuple[tuple[type[sa.types.TypeEngine[Any]], str], ...] = (
    (sa.JSON, "json"),
    (sa.SmallInteger, "smallint"),
    (sa.BigInteger, "bigint"),
    (sa.Integer, "int"),
    (sa.Boolean, "boolean"),
    (sa.DateTime, "timestamptz"),
    (sa.Date, "date"),
    (sa.LargeBinary, "bytea"),
    (sa.String, "text"),  # and Text; no length: a value too long still fails its column's own check
)


def _pg_type(column: sa.Column[Any]) -> str:
    """The type a parameter is cast to where PostgreSQL cannot infer it (a SELECT list)."""
    for kind, name in _PG_TYPES:
        if isinstance(column.type, kind):
            return name
    raise TypeError(f"no parameter type for {column}")


def _statement(shape: _Shape) -> str:
    """The statement's text with numbered parameters, in the order :func:`file_numbered` passes
    them. Every insert after the first reads from the one before it (``FROM k``, ``FROM t``): when
    the first row's key is taken, nothing else runs."""
    first, table, columns, nomor_column, outbox, marked = shape
    n = iter(range(1, 10_000))

    def params(table: sa.Table, names: tuple[str, ...]) -> str:
        return ", ".join(f"${next(n)}::{_pg_type(table.c[name])}" for name in names)

    parts = []
    if first is not None:  # first, and the numbering reads from it: a concurrent repeat waits there
        key_table, key_columns = first
        parts.append(
            f"k AS (INSERT INTO {key_table.name} ({', '.join(key_columns)}) VALUES ({params(key_table, key_columns)}) "
            "ON CONFLICT DO NOTHING RETURNING 1)"
        )
        source = f"SELECT {params(orm.nomor_urut, _REGISTER)}, 1 FROM k"
    else:
        source = f"VALUES ({params(orm.nomor_urut, _REGISTER)}, 1)"
    parts.append(f"n AS ({_NUMBERING.format(source=source)})")
    # Python's f"{seq:03d}": at least three digits, never cut (lpad would cut 1000 to 100).
    parts.append(
        "t AS (SELECT CASE WHEN terakhir < 1000 THEN lpad(terakhir::text, 3, '0') ELSE terakhir::text END "
        f"|| ${next(n)}::text AS nomor FROM n)"
    )
    parts.append(
        f"r AS (INSERT INTO {table.name} ({nomor_column}, {', '.join(columns)}) "
        f"SELECT t.nomor, {params(table, columns)} FROM t)"
    )
    for index, has_mark in enumerate(marked):
        row = params(outbox, _OUTBOX_COLUMNS)
        if has_mark:
            payload = f"${next(n)}::bytea || convert_to(t.nomor, 'UTF8') || ${next(n)}::bytea"
        else:
            payload = f"${next(n)}::bytea"
        columns_ = ", ".join(_OUTBOX_COLUMNS)
        parts.append(f"o{index} AS (INSERT INTO {outbox.name} ({columns_}, payload) SELECT {row}, {payload} FROM t)")
    return "WITH " + ", ".join(parts) + " SELECT nomor FROM t"


def _value(table: sa.Table, column: str, value: Any) -> Any:
    """What asyncpg takes for a column: JSON as text, as SQLAlchemy's JSON type writes it."""
    return json.dumps(value) if isinstance(table.c[column].type, sa.JSON) else value


async def file_numbered(
    connection: AsyncConnection,
    nomor: Nomor,
    record: Row,
    nomor_column: str,
    outbox: sa.Table,
    outbox_rows: Sequence[dict[str, Any]],
    first: Row | None = None,
) -> str | None:
    """Insert ``record`` under the next number of ``nomor``'s register (in ``nomor_column``),
    with its outbox rows (a payload may hold :data:`MARK` once, for the number), in one
    statement; returns the number. ``first`` (an idempotency key's row) goes in before all, if
    its key is free: when it is taken (a concurrent insert of it waits until that one commits),
    nothing is written and the answer is None."""
    columns = tuple(c for c in record.values if c != nomor_column)
    payloads: list[tuple[bytes, ...]] = []
    for row in outbox_rows:
        payload: bytes = row["payload"]
        marks = payload.count(_QUOTED_MARK)
        if marks > 1:
            raise ValueError("an event's data may hold the number's mark once")
        before, _, after = payload.partition(_QUOTED_MARK)
        payloads.append((before + b'"', b'"' + after) if marks else (payload,))
    shape: _Shape = (
        (first.table, tuple(first.values)) if first is not None else None,
        record.table,
        columns,
        nomor_column,
        outbox,
        tuple(len(p) == 2 for p in payloads),
    )
    text = _STATEMENTS.get(shape)
    if text is None:
        text = _STATEMENTS[shape] = _statement(shape)
    params: list[Any] = []
    if first is not None:
        params += [_value(first.table, c, v) for c, v in first.values.items()]
    params += [nomor.unit, nomor.jenis, nomor.pemilihan, nomor.tahun, nomor.rest]
    params += [_value(record.table, c, record.values[c]) for c in columns]
    for row, parts in zip(outbox_rows, payloads, strict=True):
        params += [_value(outbox, c, row[c]) for c in _OUTBOX_COLUMNS]
        params += parts
    result = await connection.exec_driver_sql(text, tuple(params))
    nomor_ = result.scalar_one_or_none()
    return None if nomor_ is None else str(nomor_)
