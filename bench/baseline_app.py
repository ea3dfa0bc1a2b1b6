"""The baseline: the same HTTP submits, each submission written as one row, and nothing else
(no validation beyond JSON, no domain, no events, no outbox, no consumers).

``python -m bench.baseline_app`` serves it on ``BENCH_BASELINE_PORT`` with
``BENCH_BASELINE_WORKERS`` uvicorn processes, on ``BENCH_BASELINE_DATABASE_URL`` (PostgreSQL
with asyncpg, or SQLite with aiosqlite): the same stack the services use (FastAPI,
SQLAlchemy, uvicorn with httptools and uvloop).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import sqlalchemy as sa
from fastapi import Body, FastAPI

from bench.serving import RowTable, serve

rows = RowTable("submission", os.environ.get("BENCH_BASELINE_DATABASE_URL", "sqlite+aiosqlite:///baseline.db"))
submission = rows.table
engine = rows.engine


app = FastAPI(title="Awasi bench baseline", lifespan=rows.lifespan)


def _row(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "unit": str(body.get("unit", "")),
        "payload": body,
        "created_at": dt.datetime.now(dt.UTC),
    }


async def _insert(rows: list[dict[str, Any]]) -> None:
    async with engine.begin() as connection:
        await connection.execute(sa.insert(submission), rows)


@app.post("/form-a", status_code=201)
async def form_a(body: dict[str, Any] = Body(...)) -> dict[str, str]:
    row = _row("form_a", body)
    await _insert([row])
    return {"id": row["id"]}


@app.post("/laporan", status_code=201)
async def laporan(body: dict[str, Any] = Body(...)) -> dict[str, str]:
    row = _row("laporan", body)
    await _insert([row])
    return {"laporan_id": row["id"]}


@app.post("/form-a/kolektif", status_code=201)
async def form_a_kolektif(body: dict[str, Any] = Body(...)) -> dict[str, Any]:
    rows = [_row("form_a", form) for form in body.get("form_a", [])]
    await _insert(rows)
    return {"jumlah": len(rows), "form_a": [{"id": row["id"], "unit": row["unit"]} for row in rows]}


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def main() -> None:
    serve("bench.baseline_app:app", rows.create_schema, name="BASELINE", default_port=8199)


if __name__ == "__main__":
    main()
