"""The HTTP side every service shares: health, readiness, metrics and error answers that
say, in Bahasa Indonesia, what is wrong."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from awasi_common.db import is_unavailable
from awasi_common.errors import DomainError

log = logging.getLogger(__name__)

_MESSAGES = {
    "missing": "wajib diisi",
    "string_too_short": "terlalu pendek",
    "string_too_long": "terlalu panjang",
    "string_type": "harus berupa teks",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
    "float_parsing": "harus berupa angka",
    "bool_parsing": "harus bernilai true atau false",
    "date_from_datetime_parsing": "harus berupa tanggal (YYYY-MM-DD)",
    "date_parsing": "harus berupa tanggal (YYYY-MM-DD)",
    "date_type": "harus berupa tanggal (YYYY-MM-DD)",
    "datetime_parsing": "harus berupa waktu ISO 8601, misalnya 2024-03-01T10:00:00+07:00",
    "datetime_from_date_parsing": "harus berupa waktu ISO 8601, misalnya 2024-03-01T10:00:00+07:00",
    "enum": "bukan salah satu nilai yang diizinkan",
    "literal_error": "bukan salah satu nilai yang diizinkan",
    "greater_than_equal": "terlalu kecil",
    "greater_than": "terlalu kecil",
    "less_than_equal": "terlalu besar",
    "less_than": "terlalu besar",
    "extra_forbidden": "tidak dikenal",
    "json_invalid": "bukan JSON yang sah",
    "model_attributes_type": "harus berupa objek JSON",
    "dict_type": "harus berupa objek JSON",
    "list_type": "harus berupa daftar",
    "value_error": "",
    "assertion_error": "",
    "uuid_parsing": "harus berupa UUID",
    "url_parsing": "harus berupa URL",
    "url_scheme": "skema URL tidak diizinkan",
    "value_error.email": "bukan alamat email yang sah",
}


def explain(error: dict[str, Any]) -> dict[str, Any]:
    """One validation error as a person reads it: where, and what is wrong, in Indonesian."""
    location = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body",))
    kind = str(error.get("type", ""))
    message = _MESSAGES.get(kind)
    if not message:
        # Our own validators already speak Indonesian; pydantic's prefix is dropped.
        message = str(error.get("msg", "tidak valid")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "enum" and "expected" in error.get("ctx", {}):
        message += f" ({error['ctx']['expected']})"
    return {"lokasi": location, "pesan": message, "jenis": kind}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [explain(dict(error)) for error in exc.errors()]
        summary = "; ".join(f"{e['lokasi'] or 'permintaan'}: {e['pesan']}" for e in errors)
        return JSONResponse(
            status_code=422,
            content={"detail": f"Permintaan tidak valid — {summary}", "errors": errors},
        )

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        body: dict[str, Any] = {"detail": exc.message}
        if exc.pasal:
            body["pasal"] = exc.pasal
        if exc.field:
            body["field"] = exc.field
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return JSONResponse(status_code=exc.status_code, content=body, headers=headers)

    @app.exception_handler(sa_exc.DBAPIError)
    @app.exception_handler(asyncpg.exceptions.InternalClientError)
    @app.exception_handler(asyncpg.exceptions.InterfaceError)
    @app.exception_handler(asyncpg.exceptions.PostgresConnectionError)
    @app.exception_handler(asyncpg.exceptions.OperatorInterventionError)
    @app.exception_handler(asyncpg.exceptions.TooManyConnectionsError)
    @app.exception_handler(ConnectionError)
    @app.exception_handler(TimeoutError)
    async def _unavailable(_: Request, exc: Exception) -> JSONResponse:
        if not is_unavailable(exc):
            log.exception("database error", exc_info=exc)
            return JSONResponse(status_code=500, content={"detail": "Terjadi kesalahan internal; sudah dicatat."})
        # The database (or a connection to it) is away: the transaction rolled back, try again.
        log.warning("request refused while a dependency is unavailable: %s", exc)
        return JSONResponse(
            status_code=503,
            content={"detail": "Layanan sementara tidak dapat menyimpan atau membaca data; coba lagi sebentar."},
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if exc.status_code == 404 and detail == "Not Found":
            detail = "Alamat tidak ditemukan."
        elif exc.status_code == 405:
            detail = "Metode HTTP ini tidak didukung untuk alamat ini."
        # Keep what the raiser set (Retry-After on 429, WWW-Authenticate on 401, Allow on 405).
        return JSONResponse(status_code=exc.status_code, content={"detail": detail}, headers=exc.headers)


ReadinessCheck = Callable[[], Awaitable[None]]


def install_health(app: FastAPI, checks: dict[str, ReadinessCheck]) -> None:
    @app.get("/healthz", tags=["operasional"], summary="Proses hidup")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["operasional"], summary="Basis data dan broker menjawab")
    async def readyz() -> Response:
        results: dict[str, str] = {}
        ready = True
        for name, check in checks.items():
            try:
                await check()
                results[name] = "ok"
            except Exception as error:
                ready = False
                results[name] = f"gagal: {error}"
        return JSONResponse(
            status_code=200 if ready else 503,
            content={"status": "ok" if ready else "tidak siap", "checks": results},
        )

    @app.get("/metrics", tags=["operasional"], summary="Metrik Prometheus", include_in_schema=False)
    async def prometheus_metrics() -> PlainTextResponse:
        return PlainTextResponse(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
