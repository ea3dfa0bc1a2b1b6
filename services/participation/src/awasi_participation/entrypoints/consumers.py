"""Participation's consumer group."""

from __future__ import annotations

from collections.abc import Callable

from awasi_common.events.planning import (
    KegiatanCancelled,
    KegiatanCompleted,
    KegiatanRescheduled,
    KegiatanScheduled,
    KegiatanUpdated,
)
from awasi_common.messaging import Consumer
from awasi_common.uow import UnitOfWork
from awasi_participation.service_layer import handlers

GROUP = "awasi.participation"


def consumer(uow_factory: Callable[[], UnitOfWork], group: str = GROUP) -> Consumer:
    track = handlers.track_program_kegiatan
    return Consumer(
        group=group,
        handlers={
            KegiatanScheduled: track,
            KegiatanRescheduled: track,
            KegiatanUpdated: track,
            KegiatanCancelled: track,
            KegiatanCompleted: track,
        },
        uow_factory=uow_factory,
    )
