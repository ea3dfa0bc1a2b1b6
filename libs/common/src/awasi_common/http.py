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
from starlette.types import ASGIApp, Receive, Scope, Send

from awasi_common.db import is_transient_conflict, is_unavailable
from awasi_common.errors import DomainError

log = logging.getLogger(__name__)

MAX_OFFSET = 1_000_000_000
"""The largest ``offset`` a list endpoint accepts. PostgreSQL refuses an OFFSET past 64 bits
(a 500 before this bound), and no list of the platform is that long."""

_MESSAGES = {
    "missing": "wajib diisi",
    "missing_argument": "wajib diisi",
    "missing_keyword_only_argument": "wajib diisi",
    "missing_positional_only_argument": "wajib diisi",
    "unexpected_keyword_argument": "tidak dikenal",
    "unexpected_positional_argument": "tidak dikenal",
    "multiple_argument_values": "disebut lebih dari sekali",
    "string_type": "harus berupa teks",
    "string_unicode": "harus berupa teks Unicode yang sah",
    "string_not_ascii": "hanya boleh memuat huruf, angka dan tanda baca ASCII",
    "string_too_short": "terlalu pendek (paling sedikit {min_length} karakter)",
    "string_too_long": "terlalu panjang (paling banyak {max_length} karakter)",
    "string_pattern_mismatch": "tidak sesuai format yang diminta (pola {pattern})",
    "too_short": "terlalu sedikit (paling sedikit {min_length} butir)",
    "too_long": "terlalu banyak (paling banyak {max_length} butir)",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
    "int_from_float": "harus berupa bilangan bulat, bukan pecahan",
    "int_parsing_size": "bilangan terlalu besar",
    "float_parsing": "harus berupa angka",
    "float_type": "harus berupa angka",
    "finite_number": "harus berupa angka terhingga",
    "multiple_of": "harus kelipatan {multiple_of}",
    "decimal_type": "harus berupa angka desimal",
    "decimal_parsing": "harus berupa angka desimal",
    "decimal_max_digits": "terlalu banyak digit (paling banyak {max_digits})",
    "decimal_max_places": "terlalu banyak angka di belakang koma (paling banyak {decimal_places})",
    "decimal_whole_digits": "terlalu banyak digit di depan koma (paling banyak {whole_digits})",
    "bool_parsing": "harus bernilai true atau false",
    "bool_type": "harus bernilai true atau false",
    "none_required": "harus dikosongkan (null)",
    "date_from_datetime_parsing": "harus berupa tanggal (YYYY-MM-DD)",
    "date_from_datetime_inexact": "harus berupa tanggal tanpa jam (YYYY-MM-DD)",
    "date_parsing": "harus berupa tanggal (YYYY-MM-DD)",
    "date_type": "harus berupa tanggal (YYYY-MM-DD)",
    "date_past": "harus tanggal yang sudah lewat",
    "date_future": "harus tanggal yang akan datang",
    "time_type": "harus berupa jam (HH:MM:SS)",
    "time_parsing": "harus berupa jam (HH:MM:SS)",
    "datetime_type": "harus berupa waktu ISO 8601, misalnya 2024-03-01T10:00:00+07:00",
    "datetime_parsing": "harus berupa waktu ISO 8601, misalnya 2024-03-01T10:00:00+07:00",
    "datetime_from_date_parsing": "harus berupa waktu ISO 8601, misalnya 2024-03-01T10:00:00+07:00",
    "datetime_object_invalid": "bukan waktu yang sah",
    "datetime_past": "harus waktu yang sudah lewat",
    "datetime_future": "harus waktu yang akan datang",
    "timezone_naive": "tidak boleh menyertakan zona waktu",
    "timezone_aware": "harus menyertakan zona waktu, misalnya +07:00",
    "timezone_offset": "zona waktunya harus {tz_expected}",
    "time_delta_type": "harus berupa durasi",
    "time_delta_parsing": "harus berupa durasi",
    "enum": "bukan salah satu nilai yang diizinkan",
    "literal_error": "bukan salah satu nilai yang diizinkan ({expected})",
    "greater_than_equal": "terlalu kecil (paling kecil {ge})",
    "greater_than": "terlalu kecil (harus lebih dari {gt})",
    "less_than_equal": "terlalu besar (paling besar {le})",
    "less_than": "terlalu besar (harus kurang dari {lt})",
    "extra_forbidden": "tidak dikenal",
    "json_invalid": "bukan JSON yang sah",
    "json_type": "harus berupa teks JSON",
    "model_attributes_type": "harus berupa objek JSON",
    "model_type": "harus berupa objek JSON",
    "dataclass_type": "harus berupa objek JSON",
    "dataclass_exact_type": "harus berupa objek JSON",
    "dict_type": "harus berupa objek JSON",
    "mapping_type": "harus berupa objek JSON",
    "invalid_key": "kunci objek harus berupa teks",
    "list_type": "harus berupa daftar",
    "tuple_type": "harus berupa daftar",
    "set_type": "harus berupa daftar",
    "frozen_set_type": "harus berupa daftar",
    "iterable_type": "harus berupa daftar",
    "set_item_not_hashable": "butir daftar ini tidak dapat dibandingkan",
    "bytes_type": "harus berupa data biner",
    "bytes_too_short": "terlalu pendek (paling sedikit {min_length} bita)",
    "bytes_too_long": "terlalu panjang (paling banyak {max_length} bita)",
    "bytes_invalid_encoding": "pengodean datanya tidak sah",
    "union_tag_invalid": "jenis {tag} tidak dikenal (yang diizinkan: {expected_tags})",
    "union_tag_not_found": "wajib menyebut {discriminator}",
    "uuid_type": "harus berupa UUID",
    "uuid_parsing": "harus berupa UUID",
    "uuid_version": "harus berupa UUID versi {expected_version}",
    "url_type": "harus berupa URL",
    "url_parsing": "harus berupa URL",
    "url_syntax_violation": "bukan URL yang sah",
    "url_too_long": "URL terlalu panjang (paling banyak {max_length} karakter)",
    "url_scheme": "skema URL tidak diizinkan",
    "recursion_loop": "bertingkat terlalu dalam",
    "recursion_depth_exceeded": "bertingkat terlalu dalam",
}
_OWN_WORDS = ("value_error", "assertion_error")
"""Error kinds raised by our own validators, whose messages already speak Indonesian."""
_ENGLISH_VALUE_ERRORS = {
    "value is not a valid email address": "bukan alamat email yang sah",
    "Expected UploadFile": "harus berupa berkas yang diunggah",
}


def _message(kind: str, error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    template = _MESSAGES.get(kind)
    if template is None:
        if kind not in _OWN_WORDS:
            return "tidak valid"
        # Our own validators already speak Indonesian; pydantic's prefix is dropped. A few
        # libraries' validators (e-mail) raise ValueError in English: those are translated.
        message = str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        for english, indonesian in _ENGLISH_VALUE_ERRORS.items():
            if message.startswith(english):
                return indonesian
        return message or "tidak valid"
    try:
        return template.format(**{key: _plain(value) for key, value in ctx.items()})
    except (KeyError, IndexError, ValueError):
        return template.split(" (")[0].split(" {")[0]


def _plain(value: Any) -> str:
    return str(value).replace("'", "")


def explain(error: dict[str, Any]) -> dict[str, Any]:
    """One validation error as a person reads it: where, and what is wrong, in Indonesian."""
    location = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body",))
    kind = str(error.get("type", ""))
    message = _message(kind, error)
    if kind == "enum" and "expected" in (error.get("ctx") or {}):
        message += f" ({_plain(error['ctx']['expected'])})"
    return {"lokasi": location, "pesan": message, "jenis": kind}


_STATUS_MESSAGES = {
    400: "Isi permintaan tidak dapat dibaca; kirim JSON (UTF-8) atau formulir yang sah.",
    401: "Sertakan token: header 'Authorization: Bearer <token>'.",
    403: "Anda tidak berhak melakukan tindakan ini.",
    404: "Alamat tidak ditemukan.",
    405: "Metode HTTP ini tidak didukung untuk alamat ini.",
    406: "Format jawaban yang diminta tidak tersedia.",
    413: "Permintaan terlalu besar.",
    415: "Jenis isi permintaan tidak didukung.",
    429: "Terlalu banyak permintaan; coba lagi sebentar lagi.",
}
"""What a framework-raised HTTP error says, in place of Starlette's English phrases."""

_ERROR_SCHEMA = {
    "title": "Galat",
    "type": "object",
    "description": "Mengapa permintaan ditolak, dalam Bahasa Indonesia.",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "title": "Penjelasan"},
        "errors": {
            "type": "array",
            "title": "Kesalahan per isian",
            "items": {"$ref": "#/components/schemas/GalatIsian"},
        },
        "pasal": {"type": "string", "title": "Pasal peraturan yang menjadi dasar penolakan"},
        "field": {"type": "string", "title": "Isian yang ditolak"},
    },
}
_FIELD_ERROR_SCHEMA = {
    "title": "GalatIsian",
    "type": "object",
    "required": ["lokasi", "pesan", "jenis"],
    "properties": {
        "lokasi": {"type": "string", "title": "Letak isian, misalnya jadwal.mulai"},
        "pesan": {"type": "string", "title": "Apa yang salah"},
        "jenis": {"type": "string", "title": "Jenis kesalahan"},
    },
}
_ERROR_REF = {"$ref": "#/components/schemas/Galat"}


def document_error_answers(schema: dict[str, Any]) -> dict[str, Any]:
    """Make an OpenAPI document say what error answers really look like: every operation may
    answer 4xx with ``Galat`` (``detail`` in Indonesian; ``errors[]`` for invalid input) and 503
    while the database is away, instead of FastAPI's ``HTTPValidationError``."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    components["Galat"] = _ERROR_SCHEMA
    components["GalatIsian"] = _FIELD_ERROR_SCHEMA
    json_error = {"application/json": {"schema": _ERROR_REF}}
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "put", "post", "delete", "patch", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                if code == "422":
                    response["description"] = "Permintaan tidak valid; `errors` menyebut isian yang salah"
                    response["content"] = dict(json_error)
                elif code.startswith("4") and not response.get("content"):
                    response["content"] = dict(json_error)
            responses.setdefault(
                "4XX",
                {"description": "Permintaan ditolak; `detail` menjelaskan sebabnya", "content": dict(json_error)},
            )
            responses.setdefault(
                "503",
                {
                    "description": "Basis data sementara tidak tersedia; coba lagi (lihat Retry-After)",
                    "content": dict(json_error),
                },
            )
    return schema


def install_error_handlers(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_error_answers(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

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
        if not (is_unavailable(exc) or is_transient_conflict(exc)):
            log.exception("database error", exc_info=exc)
            return JSONResponse(status_code=500, content={"detail": "Terjadi kesalahan internal; sudah dicatat."})
        # The database (or a connection to it) is away, or the transaction kept colliding with
        # concurrent ones: it rolled back, try again.
        log.warning("request refused while a dependency is unavailable: %s", exc)
        return JSONResponse(
            status_code=503,
            content={"detail": "Layanan sementara tidak dapat menyimpan atau membaca data; coba lagi sebentar."},
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Services refuse with DomainError; what arrives here was raised by Starlette or FastAPI
        # themselves ("Not Found", "There was an error parsing the body", "Invalid multipart
        # data."), in English: say it in Indonesian.
        return JSONResponse(
            status_code=exc.status_code,
            content={"detail": framework_message(exc.status_code, exc.detail)},
            # Keep what the raiser set (Retry-After on 429, WWW-Authenticate on 401, Allow on 405).
            headers=exc.headers,
        )


_FRAMEWORK_400 = (
    ("exceeded maximum size", "Satu isian atau berkas formulir terlalu besar."),
    ("too many files", "Formulir memuat terlalu banyak berkas."),
    ("too many fields", "Formulir memuat terlalu banyak isian."),
    ('"name" must be provided', "Setiap bagian formulir multipart harus menyebut namanya."),
    ("multipart", "Formulir multipart tidak sah atau terpotong; kirim ulang formulir dan berkasnya."),
)


def framework_message(status_code: int, detail: Any) -> str:
    """An error Starlette or FastAPI raised, in Indonesian."""
    text = str(detail).lower()
    if status_code == 400:
        for english, indonesian in _FRAMEWORK_400:
            if english in text:
                return indonesian
    return _STATUS_MESSAGES.get(status_code, "Permintaan tidak dapat diproses.")


ReadinessCheck = Callable[[], Awaitable[None]]

_HEALTHZ_BODY = b'{"status":"ok"}'
_HEALTHZ_START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(_HEALTHZ_BODY)).encode())],
}
_HEALTHZ_BODY_MESSAGE = {"type": "http.response.body", "body": _HEALTHZ_BODY}


class HealthzFirst:
    """ASGI wrapper, outermost: ``GET /healthz`` (the process is alive) answered before any
    middleware, routing or telemetry (a probe every few seconds from every kubelet and load
    balancer cost 0.45 ms of CPU through the whole stack, issue 17). The route stays in the app
    (and in its OpenAPI) for whoever calls the app without this wrapper."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/healthz" and scope["method"] == "GET":
            await send(_HEALTHZ_START)
            await send(_HEALTHZ_BODY_MESSAGE)
            return
        await self.app(scope, receive, send)


def wrap_stack(app: FastAPI, *wrappers: Callable[[ASGIApp], ASGIApp]) -> None:
    """Put ASGI wrappers around the app's whole middleware stack (the first outermost), each
    built again whenever the stack is."""
    build = app.build_middleware_stack

    def build_wrapped() -> ASGIApp:
        inner = build()
        for wrapper in reversed(wrappers):
            inner = wrapper(inner)
        return inner

    app.build_middleware_stack = build_wrapped  # type: ignore[method-assign]


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
