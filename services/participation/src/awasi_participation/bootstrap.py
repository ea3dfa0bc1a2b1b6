"""Participation's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from awasi_common.commands import CommandBus
from awasi_common.ratelimit import rate_limiter
from awasi_common.runtime import build_service, create_app, uow_factory
from awasi_common.sealing import KeyRing
from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_participation.adapters import orm
from awasi_participation.entrypoints import consumers, http, jobs
from awasi_participation.service_layer.handlers import HANDLERS
from awasi_participation.service_layer.unit_of_work import ParticipationUnitOfWork
from awasi_participation.settings import ParticipationSettings

NAME = "participation"
MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(
    platform: PlatformSettings | None = None,
    settings: ServiceSettings | None = None,
    participation: ParticipationSettings | None = None,
) -> FastAPI:
    own = participation or ParticipationSettings()
    service = build_service(NAME, orm, migrations_path=MIGRATIONS, platform=platform, settings=settings)
    make_uow = uow_factory(
        service, ParticipationUnitOfWork, pojok_identity=KeyRing(service.platform.pojok_identity_keys())
    )
    bus = CommandBus(HANDLERS, make_uow)
    service.add_consumer(consumers.consumer(make_uow, own.consumer_group))
    service.background.extend(jobs.jobs(bus, own))
    app = create_app(
        service,
        title="Awasi — Partisipasi",
        description="Enam program pengawasan partisipatif (Perbawaslu 2/2023) dan kewajibannya.",
        routers=[http.router],
    )
    app.state.uow_factory = make_uow
    app.state.bus = bus
    app.state.participation_settings = own
    app.state.rate_limiter = rate_limiter(service.platform, {"publik": own.public_rate_limit})
    return app
