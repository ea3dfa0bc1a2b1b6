"""Notification's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from awasi_common.runtime import build_service, create_app, uow_factory
from awasi_common.sealing import KeyRing
from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_notification.adapters import orm
from awasi_notification.adapters.repository import SubscriptionIndex
from awasi_notification.adapters.senders import EmailSender, WebhookSender
from awasi_notification.entrypoints import consumers, http
from awasi_notification.entrypoints.jobs import DeliveryWorker, Scheduler
from awasi_notification.service_layer.deliveries import DeliveryService
from awasi_notification.service_layer.handlers import Reactions
from awasi_notification.service_layer.notify import Clock, Notifier
from awasi_notification.service_layer.schedule import ScheduleService
from awasi_notification.service_layer.subscriptions import SubscriptionService
from awasi_notification.service_layer.unit_of_work import NotificationUnitOfWork
from awasi_notification.settings import NotificationSettings

NAME = "notification"
MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(
    platform: PlatformSettings | None = None,
    settings: ServiceSettings | None = None,
    notification: NotificationSettings | None = None,
) -> FastAPI:
    notification = notification or NotificationSettings()
    service = build_service(
        NAME,
        outbox=(orm.outbox, orm.outbox_lease),
        inbox=orm.inbox,
        migrations_path=MIGRATIONS,
        platform=platform,
        settings=settings,
    )
    base_uow = uow_factory(service, NotificationUnitOfWork)
    index = SubscriptionIndex()

    def make_uow() -> NotificationUnitOfWork:
        uow = base_uow()
        uow.subscription_index = index
        return uow

    clock = Clock()
    notifier = Notifier(notification, clock)
    service.add_consumer(consumers.consumer(make_uow, Reactions(notifier)))

    deliveries = DeliveryService(
        make_uow,
        notification,
        clock,
        EmailSender(notification, KeyRing(service.platform.contact_keys())),
        WebhookSender(notification),
        tracer=service.telemetry.tracer,
        meter=service.telemetry.meter,
    )
    schedule = ScheduleService(make_uow, notifier)
    worker = DeliveryWorker(deliveries, notification.delivery_poll_seconds)
    scheduler = Scheduler(schedule, notification.scheduler_poll_seconds)
    service.background += [worker.run, scheduler.run]

    app = create_app(
        service,
        title="Awasi — Notifikasi",
        description=(
            "Pengingat kegiatan, peringatan kewajiban dan tenggat, kabar untuk pelapor, kotak masuk, "
            "email (segera atau ringkasan harian), dan webhook bertanda tangan untuk lembaga lain."
        ),
        routers=[http.router],
    )
    app.state.uow_factory = make_uow
    app.state.notification_settings = notification
    app.state.clock = clock
    app.state.subscriptions = SubscriptionService(make_uow, notification, clock)
    app.state.deliveries = deliveries
    app.state.schedule = schedule
    return app
