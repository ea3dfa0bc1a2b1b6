"""A Form A filed on its own, in one statement on PostgreSQL.

Numbering upsert, form, outbox row and (with an ``Idempotency-Key``) the key's row are one
statement of data-modifying CTEs, run outside an explicit transaction: PostgreSQL runs a
statement atomically, so the guarantees of the transaction it replaces hold (the outbox row is
written with the form or neither is; a number is taken only by a form that is kept, so the
register stays gap-free; a repeated key fails the whole statement at its primary key), in one
round trip instead of five (BEGIN, upsert, form, outbox, COMMIT). SQLite has no
data-modifying CTEs: there the unit of work's usual transaction does it.

The number is made in SQL from the sequence the upsert returns (``nomor_dokumen``: the sequence
zero-padded to three digits, then the rest, which the caller passes), and the event's payload is
the JSON the domain made with a mark in place of the number, split around it and joined again
around the number in SQL.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

MARK = "{nomor}"
"""The number in the event's data until the statement knows it (no field of the event can hold
it: unit codes, ids, enumerations, a date and flags)."""

_FORM_A_COLUMNS = (
    "id",
    "unit",
    "pemilihan",
    "tahapan",
    "tanggal",
    "bentuk",
    "data_pengawas",
    "kegiatan",
    "uraian_singkat",
    "dugaan_pelanggaran",
    "dugaan_sengketa",
    "disampaikan_pada",
    "oleh",
)
_JSON_COLUMNS = frozenset({"bentuk", "data_pengawas", "kegiatan", "dugaan_pelanggaran", "dugaan_sengketa"})
_OUTBOX_COLUMNS = ("event_id", "shard", "topic", "key", "headers", "created_at")
_KEY_COLUMNS = ("subjek", "rute", "kunci", "sidik", "form_a_ids", "penyampaian_id", "dibuat_pada")


def _statement(outbox: str, with_key: bool) -> str:
    """The statement's text with numbered parameters, in the order :func:`file_form_a_alone`
    passes them."""
    n = iter(range(1, 100))
    form = ", ".join(f"${next(n)}" for _ in _FORM_A_COLUMNS)
    unit, pemilihan, tahun, rest = (f"${next(n)}" for _ in range(4))
    row = ", ".join(f"${next(n)}" for _ in _OUTBOX_COLUMNS)
    before, after = f"${next(n)}", f"${next(n)}"
    parts = []
    if with_key:  # first, and the numbering reads from it: a concurrent repeat waits at the key
        key = ", ".join(f"${next(n)}" for _ in _KEY_COLUMNS)
        parts.append(f"k AS (INSERT INTO form_a_idempotensi ({', '.join(_KEY_COLUMNS)}) VALUES ({key}) RETURNING 1)")
        numbered = f"SELECT {unit}::varchar, 'LHP', {pemilihan}::varchar, {tahun}::int, 1 FROM k"
    else:
        numbered = f"VALUES ({unit}, 'LHP', {pemilihan}, {tahun}, 1)"
    parts += [
        "n AS (INSERT INTO nomor_urut (unit, jenis, pemilihan, tahun, terakhir) "
        f"{numbered} ON CONFLICT (unit, jenis, pemilihan, tahun) "
        "DO UPDATE SET terakhir = nomor_urut.terakhir + excluded.terakhir RETURNING terakhir)",
        # Python's f"{seq:03d}": at least three digits, never cut (lpad would cut 1000 to 100).
        "t AS (SELECT CASE WHEN terakhir < 1000 THEN lpad(terakhir::text, 3, '0') ELSE terakhir::text END "
        f"|| {rest}::text AS nomor FROM n)",
        f"f AS (INSERT INTO form_a (nomor, {', '.join(_FORM_A_COLUMNS)}) VALUES ((SELECT nomor FROM t), {form}))",
        f"o AS (INSERT INTO {outbox} ({', '.join(_OUTBOX_COLUMNS)}, payload) VALUES ({row}, "
        f"{before}::bytea || convert_to((SELECT nomor FROM t), 'UTF8') || {after}::bytea))",
    ]
    return "WITH " + ", ".join(parts) + " SELECT nomor FROM t"


_STATEMENTS: dict[tuple[str, bool], str] = {}


def _json(value: Any) -> str:
    return json.dumps(value)  # as SQLAlchemy's JSON type writes it


async def file_form_a_alone(
    connection: AsyncConnection,
    outbox: sa.Table,
    form: dict[str, Any],
    numbering: tuple[str, str, int, str],
    outbox_row: dict[str, Any],
    key: dict[str, Any] | None,
) -> str:
    """Write the form, its number and its outbox row (and ``key``) in one statement; returns
    the number. ``numbering`` is (unit, regime, year, the number after its sequence);
    ``outbox_row`` the event's row with :data:`MARK` as the number in its payload. A key
    already there raises ``sqlalchemy.exc.IntegrityError`` and nothing is written."""
    text = _STATEMENTS.get((outbox.name, key is not None))
    if text is None:
        text = _STATEMENTS[(outbox.name, key is not None)] = _statement(outbox.name, key is not None)
    payload: bytes = outbox_row["payload"]
    mark = json.dumps(MARK).encode()
    if payload.count(mark) != 1:
        raise ValueError("the event's data must hold the number's mark once")
    before, _, after = payload.partition(mark)
    params: list[Any] = [_json(form[c]) if c in _JSON_COLUMNS else form[c] for c in _FORM_A_COLUMNS]
    params += numbering
    params += [_json(outbox_row[c]) if c == "headers" else outbox_row[c] for c in _OUTBOX_COLUMNS]
    params += [before + b'"', b'"' + after]
    if key is not None:
        params += [_json(key[c]) if c == "form_a_ids" else key[c] for c in _KEY_COLUMNS]
    result = await connection.exec_driver_sql(text, tuple(params))
    return str(result.scalar_one())
