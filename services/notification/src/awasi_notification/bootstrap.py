"""Notification's composition root."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from awasi_common.commands import CommandBus
from awasi_common.runtime import build_service, create_app, uow_factory
from awasi_common.sealing import KeyRing
from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_notification.adapters import orm
from awasi_notification.adapters.senders import EmailSender, WebhookSender
from awasi_notification.entrypoints import consumers, http, jobs
from awasi_notification.entrypoints.stream import StreamHub
from awasi_notification.service_layer.deliveries import Outlets
from awasi_notification.service_layer.handlers import HANDLERS
from awasi_notification.service_layer.unit_of_work import Collaborators, NotificationUnitOfWork
from awasi_notification.settings import NotificationSettings

NAME = "notification"
MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(
    platform: PlatformSettings | None = None,
    settings: ServiceSettings | None = None,
    notification: NotificationSettings | None = None,
) -> FastAPI:
    notification = notification or NotificationSettings()
    service = build_service(NAME, orm, migrations_path=MIGRATIONS, platform=platform, settings=settings)
    collaborators = Collaborators(notification)
    make_uow = uow_factory(service, NotificationUnitOfWork, collaborators=collaborators)
    service.add_consumer(consumers.consumer(make_uow))

    outlets = Outlets(
        EmailSender(notification, KeyRing(service.platform.contact_keys())),
        WebhookSender(notification),
        tracer=service.telemetry.tracer,
        meter=service.telemetry.meter,
    )
    service.background += [
        jobs.delivery_worker(make_uow, outlets, notification.delivery_poll_seconds),
        jobs.scheduler(make_uow, notification.scheduler_poll_seconds),
    ]

    app = create_app(
        service,
        title="Awasi — Notifikasi",
        description=(
            "Pengingat kegiatan, peringatan kewajiban dan tenggat, kabar untuk pelapor, kotak masuk, "
            "email (segera atau ringkasan harian), dan webhook bertanda tangan untuk lembaga lain."
        ),
        routers=[http.router],
    )
    app.state.bus = CommandBus(HANDLERS, make_uow)
    app.state.uow_factory = make_uow
    app.state.collaborators = collaborators
    app.state.notification_settings = notification
    app.state.clock = collaborators.clock
    app.state.outlets = outlets
    app.state.inbox_streams = hub = StreamHub(limit=notification.inbox_stream_max)
    started = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with started(app) as state:
            try:
                yield state
            finally:
                hub.stop()  # open inbox streams end before the rest stops

    app.router.lifespan_context = lifespan
    return app
