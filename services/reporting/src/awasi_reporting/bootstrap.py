"""Reporting's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from awasi_common.runtime import build_service, create_app, uow_factory
from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_reporting.adapters import orm
from awasi_reporting.entrypoints import http
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork

NAME = "reporting"
MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(platform: PlatformSettings | None = None, settings: ServiceSettings | None = None) -> FastAPI:
    service = build_service(
        NAME,
        outbox=(orm.outbox, orm.outbox_lease),
        inbox=orm.inbox,
        migrations_path=MIGRATIONS,
        platform=platform,
        settings=settings,
    )
    app = create_app(
        service,
        title="Awasi — Pelaporan",
        description="Laporan dan temuan dugaan pelanggaran, Form A, dan angka yang dipublikasikan unit.",
        routers=[http.router],
    )
    app.state.uow_factory = uow_factory(service, ReportingUnitOfWork)
    return app
