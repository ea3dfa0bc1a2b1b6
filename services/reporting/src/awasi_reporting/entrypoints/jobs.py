"""Reporting's background loops, started with the process (``Service.background``)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from functools import partial

from awasi_common.commands import CommandBus
from awasi_common.jobs import every
from awasi_reporting.commands import LupakanKunciIdempotensi, PeriksaTenggat
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


def deadline_watch(bus: CommandBus[ReportingUnitOfWork], seconds: float) -> Job:
    """Alerts for handling deadlines that passed, every ``seconds``."""

    async def check() -> None:
        if alerts := await bus.handle(PeriksaTenggat()):
            log.info("reporting: %d deadline alert(s) raised", alerts)

    return partial(every, seconds, check, "reporting: the deadline check")


def idempotency_cleanup(bus: CommandBus[ReportingUnitOfWork], retention_days: float, seconds: float = 3600.0) -> Job:
    """Deletes the Form A idempotency keys older than the retention, every ``seconds``."""

    async def forget() -> None:
        sebelum = dt.datetime.now(dt.UTC) - dt.timedelta(days=retention_days)
        if deleted := await bus.handle(LupakanKunciIdempotensi(sebelum)):
            log.info("reporting: %d idempotency key(s) past retention deleted", deleted)

    return partial(every, seconds, forget, "reporting: the idempotency key cleanup")


def jobs(
    bus: CommandBus[ReportingUnitOfWork], deadline_check_seconds: float, idempotency_retention_days: float = 7.0
) -> list[Job]:
    """Every background loop of the service."""
    return [deadline_watch(bus, deadline_check_seconds), idempotency_cleanup(bus, idempotency_retention_days)]
