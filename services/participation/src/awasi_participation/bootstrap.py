"""Participation's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from awasi_common.runtime import build_service, create_app, uow_factory
from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_participation.adapters import orm
from awasi_participation.entrypoints import consumers, http

NAME = "participation"
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
    make_uow = uow_factory(service)
    service.add_consumer(consumers.consumer(make_uow))
    app = create_app(
        service,
        title="Awasi — Partisipasi",
        description="Enam program pengawasan partisipatif (Perbawaslu 2/2023) dan kewajibannya.",
        routers=[http.router],
    )
    app.state.uow_factory = make_uow
    return app
