"""Notification's consumer group and the events it handles."""

from __future__ import annotations

from collections.abc import Callable

from awasi_common.events.planning import KegiatanRescheduled, KegiatanScheduled
from awasi_common.events.reporting import LaporanSubmitted
from awasi_common.messaging import Consumer
from awasi_common.uow import UnitOfWork
from awasi_notification.service_layer import handlers

GROUP = "awasi.notification"


def consumer(uow_factory: Callable[[], UnitOfWork]) -> Consumer:
    return Consumer(
        group=GROUP,
        handlers={
            KegiatanScheduled: handlers.schedule_reminders,
            KegiatanRescheduled: handlers.schedule_reminders,
            LaporanSubmitted: handlers.record_receipt,
        },
        uow_factory=uow_factory,
    )
