"""The fair baseline: a plain CRUD service with reporting's request validation (the same
pydantic models, so the same bounds and rules per field), the same token check (the platform's
``CurrentPrincipal`` and ``require_act``) and one row per Form A or laporan in the database, and
nothing else: no numbering, no domain aggregate, no events, no outbox, no consumers, no tracing.
What the platform costs beyond it is the cost of being event-driven.

``python -m bench.crud_app`` serves it on ``BENCH_CRUD_PORT`` with ``BENCH_CRUD_WORKERS`` uvicorn
processes (httptools and uvloop, as the services) on ``BENCH_CRUD_DATABASE_URL``.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI

from awasi_common.auth import CurrentPrincipal, Role, TokenIssuer
from awasi_common.http import install_error_handlers
from awasi_common.settings import DEV_JWT_SECRET
from awasi_reporting.entrypoints.schemas import LaporanIn
from awasi_reporting.entrypoints.schemas_pengawasan import FormAIn
from bench.serving import RowTable, serve

RECORDERS = (Role.PENGAWAS, Role.OPERATOR, Role.PENANGANAN, Role.PIMPINAN)

rows = RowTable("record", os.environ.get("BENCH_CRUD_DATABASE_URL", "sqlite+aiosqlite:///crud.db"))
record = rows.table
engine = rows.engine


app = FastAPI(title="Awasi bench CRUD baseline", lifespan=rows.lifespan, telemetry={"tracing": False, "metrics": False})
app.state.tokens = TokenIssuer(os.environ.get("AWASI_JWT_SECRET", DEV_JWT_SECRET))
install_error_handlers(app)


async def _insert(kind: str, unit: str, payload: dict[str, Any]) -> str:
    key = str(uuid.uuid4())
    async with engine.begin() as connection:
        await connection.execute(
            sa.insert(record),
            {"id": key, "kind": kind, "unit": unit, "payload": payload, "created_at": dt.datetime.now(dt.UTC)},
        )
    return key


@app.post("/form-a", status_code=201)
async def form_a(body: FormAIn, principal: CurrentPrincipal) -> dict[str, Any]:
    principal.require_act(body.unit, *RECORDERS)
    payload = body.model_dump(mode="json")
    return {"id": await _insert("form_a", body.unit, payload), **payload}


@app.post("/laporan", status_code=201)
async def laporan(body: LaporanIn) -> dict[str, str]:
    return {"laporan_id": await _insert("laporan", body.unit, body.model_dump(mode="json"))}


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def main() -> None:
    serve("bench.crud_app:app", rows.create_schema, name="CRUD", default_port=8198)


if __name__ == "__main__":
    main()
