"""Reporting's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from awasi_common.commands import CommandBus
from awasi_common.http import wrap_stack
from awasi_common.ratelimit import CLIENT_SCOPE_KEY, rate_limiter
from awasi_common.runtime import build_service, create_app, uow_factory
from awasi_common.sealing import KeyRing
from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_reporting.adapters import orm
from awasi_reporting.adapters.identity import IdentityCipher
from awasi_reporting.domain.bukti import BatasBukti
from awasi_reporting.entrypoints import consumers, http, http_pengawasan, http_statistik, jobs, tenggat, web
from awasi_reporting.service_layer.handlers import HANDLERS
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork
from awasi_reporting.settings import ReportingSettings

NAME = "reporting"
MIGRATIONS = Path(__file__).parent / "migrations"


def forget_client_address(app: FastAPI) -> None:
    """Nothing behind this point learns who called: the client's address is moved out of
    the ASGI scope before tracing (outermost) sees it, so an anonymous reporter's IP address
    never reaches a span, a log or a table. Only the in-memory rate limiter reads it, hashed."""
    wrap_stack(app, _ForgetClient)


class _ForgetClient:
    """The ASGI wrapper of :func:`forget_client_address`. It names what it wraps ``app``, as
    middleware do, so whoever walks the stack (FastAPI looking for OpenTelemetry's middleware)
    sees through it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") in ("http", "websocket") and scope.get("client") is not None:
            scope = {**scope, "client": None, CLIENT_SCOPE_KEY: scope["client"]}
        await self.app(scope, receive, send)


def bootstrap(
    platform: PlatformSettings | None = None,
    settings: ServiceSettings | None = None,
    reporting: ReportingSettings | None = None,
) -> FastAPI:
    reporting = reporting or ReportingSettings()
    service = build_service(NAME, orm, migrations_path=MIGRATIONS, platform=platform, settings=settings)
    cipher = IdentityCipher(reporting.identity_keys(production=service.platform.production))
    make_uow = uow_factory(
        service,
        ReportingUnitOfWork,
        cipher=cipher,
        contacts=KeyRing(service.platform.contact_keys()),
        pojok_identity=KeyRing(service.platform.pojok_identity_keys()),
    )
    service.add_consumer(consumers.consumer(make_uow))
    service.add_consumer(consumers.angka_consumer(make_uow))
    bus = CommandBus(HANDLERS, make_uow)
    service.background.extend(jobs.jobs(bus, reporting.deadline_check_seconds, reporting.idempotency_retention_days))
    app = create_app(
        service,
        title="Awasi — Pelaporan",
        description=(
            "Laporan dan temuan dugaan pelanggaran beserta penanganannya, Form A, pencegahan, "
            "penertiban APK, PSAP, dan angka yang dipublikasikan unit. Halaman publik: /publik."
        ),
        routers=[http.router, http_pengawasan.router, http_statistik.router, tenggat.router, web.router],
        # Evidence files and the form around them (Formulir Model B.1 with its saksi).
        body_limits={http.EVIDENCE_BODY: reporting.bukti_total_max_bytes + 1024 * 1024},
    )
    app.state.bus = bus
    app.state.uow_factory = make_uow  # for reads
    app.state.reporting_settings = reporting
    app.state.bukti_limits = BatasBukti(
        max_bytes=reporting.bukti_max_bytes,
        max_files=reporting.bukti_max_files,
        total_max_bytes=reporting.bukti_total_max_bytes,
    )
    # Only accepted laporan count against the intake limit (a reporter correcting a form is
    # not held back); every status look-up counts, so guessing secrets is slow; and every
    # attempt on a public form counts against "percobaan" at the edge, valid or not, read or
    # refused, so a flood of invalid or oversized bodies is held back as well.
    app.state.rate_limiter = rate_limiter(
        service.platform,
        {
            "intake": reporting.intake_rate_limit,
            "status": reporting.status_rate_limit,
            "percobaan": reporting.attempt_rate_limit,
        },
    )

    forget_client_address(app)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/publik", status_code=307)

    return app
