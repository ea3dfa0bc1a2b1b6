"""Reporting's background loops, started with the process (``Service.background``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from awasi_common.commands import CommandBus
from awasi_reporting.commands import LupakanKunciIdempotensi, PeriksaTenggat
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork

log = logging.getLogger(__name__)

Job = Callable[[], Coroutine[Any, Any, None]]


def deadline_watch(bus: CommandBus[ReportingUnitOfWork], every: float) -> Job:
    """Alerts for handling deadlines that passed, every ``every`` seconds."""

    async def run() -> None:
        while True:
            try:
                alerts = await bus.handle(PeriksaTenggat())
                if alerts:
                    log.info("reporting: %d deadline alert(s) raised", alerts)
            except asyncio.CancelledError:
                raise
            except Exception:  # the next round tries again
                log.exception("reporting: deadline check failed")
            await asyncio.sleep(every)

    return run


def idempotency_cleanup(bus: CommandBus[ReportingUnitOfWork], retention_days: float, every: float = 3600.0) -> Job:
    """Deletes the Form A idempotency keys older than the retention, every ``every`` seconds."""

    async def run() -> None:
        while True:
            try:
                sebelum = dt.datetime.now(dt.UTC) - dt.timedelta(days=retention_days)
                deleted = await bus.handle(LupakanKunciIdempotensi(sebelum))
                if deleted:
                    log.info("reporting: %d idempotency key(s) past retention deleted", deleted)
            except asyncio.CancelledError:
                raise
            except Exception:  # the next round tries again
                log.exception("reporting: idempotency key cleanup failed")
            await asyncio.sleep(every)

    return run


def jobs(
    bus: CommandBus[ReportingUnitOfWork], deadline_check_seconds: float, idempotency_retention_days: float = 7.0
) -> list[Job]:
    """Every background loop of the service."""
    return [deadline_watch(bus, deadline_check_seconds), idempotency_cleanup(bus, idempotency_retention_days)]
