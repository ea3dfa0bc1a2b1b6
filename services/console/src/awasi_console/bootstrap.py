"""Composition root: the console's FastAPI app, its templates and static files, sessions,
the services' clients, security headers and the pages' routers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from opentelemetry.trace import SpanKind
from starlette.exceptions import HTTPException as StarletteHTTPException

from awasi_common.telemetry import Telemetry
from awasi_console import formatting
from awasi_console.api import Api, ApiError, SignedOut
from awasi_console.entrypoints.http import routers
from awasi_console.sessions import COOKIE, Session, SessionStore
from awasi_console.settings import ConsoleSettings
from awasi_console.web import CsrfRefused, NeedsSignIn, NotAllowed, current, render

HERE = Path(__file__).parent
MAX_BODY = 12 * 1024 * 1024
"""The largest request the console reads (a plan document or an account CSV, with its form)."""
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
log = logging.getLogger("awasi.console")


def bootstrap(
    settings: ConsoleSettings | None = None, transports: dict[str, httpx.AsyncBaseTransport] | None = None
) -> FastAPI:
    settings = settings or ConsoleSettings()
    sessions = SessionStore(
        idle_seconds=settings.session_idle_minutes * 60,
        max_seconds=settings.session_max_hours * 3600,
        capacity=settings.sessions_max,
    )
    trace_file = settings.trace_dir / "console.jsonl" if settings.trace_dir else None
    if trace_file is not None:
        trace_file.parent.mkdir(parents=True, exist_ok=True)
    telemetry = Telemetry("console", trace_file=trace_file)
    client = Api(settings, transports, tracer=telemetry.tracer)

    async def forget_expired() -> None:
        while True:
            await asyncio.sleep(60)
            for gone in sessions.expired():
                await client.sign_out(gone)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(forget_expired())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await client.close()
            telemetry.shutdown()

    app = FastAPI(title="Awasi — konsol", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters.update(formatting.FILTERS)
    templates.env.globals.update(formatting.GLOBALS)
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.api = client
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in routers:
        app.include_router(router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        """The console has no API of its own: ``awasi up`` lists /docs for every process."""
        return Response(status_code=307, headers={"Location": "/"})

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        """Ready when identity answers: without it no one can sign in."""
        try:
            ok = (await client.public("identity", "/healthz")).status_code == 200
        except httpx.HTTPError:
            ok = False
        body = {"status": "ok" if ok else "tidak siap", "checks": {"identity": "ok" if ok else "tidak terjangkau"}}
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length and (not length.isdigit() or int(length) > MAX_BODY):
            return PlainTextResponse("Permintaan terlalu besar.", status_code=413)
        if request.url.path.startswith("/static/") or request.url.path in ("/healthz", "/readyz"):
            response = await call_next(request)
        else:
            part = "/" + request.url.path.strip("/").split("/", 1)[0]
            with telemetry.tracer.start_as_current_span(f"{request.method} {part}", kind=SpanKind.SERVER) as span:
                span.set_attribute("http.request.method", request.method)
                span.set_attribute("url.path", request.url.path)
                response = await call_next(request)
                span.set_attribute("http.response.status_code", response.status_code)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        fresh: Session | None = getattr(request.state, "set_cookie", None)
        if fresh is not None:
            response.set_cookie(
                COOKIE,
                fresh.id,
                httponly=True,
                samesite="lax",
                secure=settings.cookie_secure,
                path="/",
                max_age=settings.session_max_hours * 3600,
            )
        elif getattr(request.state, "clear_cookie", False):
            response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=settings.cookie_secure)
        return response

    def _to_sign_in(request: Request) -> Response:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        url = "/masuk" if target in ("/", "/masuk") or request.method != "GET" else f"/masuk?lanjut={target}"
        if request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": url})
        return Response(status_code=303, headers={"Location": url})

    @app.exception_handler(NeedsSignIn)
    async def _needs_sign_in(request: Request, _: NeedsSignIn) -> Response:
        return _to_sign_in(request)

    @app.exception_handler(SignedOut)
    async def _signed_out(request: Request, _: SignedOut) -> Response:
        session = current(request)
        if session is not None:
            session.tokens = None
            session.say("Sesi Anda berakhir; silakan masuk lagi.", "galat")
        return _to_sign_in(request)

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _: CsrfRefused) -> HTMLResponse:
        message = "Formulir ini sudah kedaluwarsa atau tidak berasal dari konsol. Muat ulang halaman lalu kirim lagi."
        return render(request, "galat.html", {"judul": "Formulir ditolak", "pesan": message}, status=403)

    @app.exception_handler(NotAllowed)
    async def _not_allowed(request: Request, error: NotAllowed) -> HTMLResponse:
        return render(request, "galat.html", {"judul": "Tidak berhak", "pesan": error.message}, status=403)

    @app.exception_handler(ApiError)
    async def _api(request: Request, error: ApiError) -> HTMLResponse:
        judul = {403: "Tidak berhak", 404: "Tidak ditemukan"}.get(error.status, "Tidak dapat ditampilkan")
        status = error.status if 400 <= error.status < 600 else 502
        return render(
            request, "galat.html", {"judul": judul, "pesan": error.detail, "pasal": error.pasal}, status=status
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> HTMLResponse:
        judul = {404: "Halaman tidak ditemukan", 405: "Metode tidak didukung"}.get(error.status_code, "Galat")
        pesan = "Alamat ini tidak ada di konsol." if error.status_code == 404 else "Permintaan tidak dapat dilayani."
        return render(request, "galat.html", {"judul": judul, "pesan": pesan}, status=error.status_code)

    return app
