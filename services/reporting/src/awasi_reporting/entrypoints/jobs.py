"""Reporting's background loops, started with the process (``Service.background``)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from awasi_common.commands import CommandBus
from awasi_reporting.commands import PeriksaTenggat
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


def jobs(bus: CommandBus[ReportingUnitOfWork], deadline_check_seconds: float) -> list[Job]:
    """Every background loop of the service."""
    return [deadline_watch(bus, deadline_check_seconds)]
