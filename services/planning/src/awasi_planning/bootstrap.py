"""Planning's composition root: the one place that wires adapters, handlers and entry points."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from awasi_common.commands import CommandBus
from awasi_common.runtime import Service, build_service, create_app, uow_factory
from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_planning.adapters import orm
from awasi_planning.entrypoints import consumers, http
from awasi_planning.service_layer.handlers import HANDLERS
from awasi_planning.service_layer.unit_of_work import PlanningUnitOfWork
from awasi_planning.settings import PlanningSettings

NAME = "planning"
MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(
    platform: PlatformSettings | None = None,
    settings: ServiceSettings | None = None,
    planning: PlanningSettings | None = None,
) -> FastAPI:
    own = planning or PlanningSettings()
    service: Service = build_service(NAME, orm, migrations_path=MIGRATIONS, platform=platform, settings=settings)
    app = create_app(
        service,
        title="Awasi — Perencanaan",
        description="Rencana kegiatan setiap unit Bawaslu: dari dokumen rencana ke jadwal dan realisasi.",
        routers=[http.router],
        body_limits=http.body_limits(own),
    )
    make_uow = uow_factory(service, PlanningUnitOfWork)
    service.add_consumer(consumers.consumer(make_uow))
    app.state.uow_factory = make_uow
    app.state.bus = CommandBus(HANDLERS, make_uow)
    app.state.planning_settings = own
    return app
