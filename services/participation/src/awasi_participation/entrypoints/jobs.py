"""Participation's background loops."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from awasi_common.commands import CommandBus
from awasi_participation.commands import EvaluasiKewajiban
from awasi_participation.settings import ParticipationSettings

log = logging.getLogger(__name__)


def obligation_job(bus: CommandBus[Any], settings: ParticipationSettings) -> Callable[[], Coroutine[Any, Any, None]]:
    """Every interval, raise the obligations that fell due unmet."""

    async def run() -> None:
        await asyncio.sleep(settings.obligation_first_run_seconds)
        while True:
            try:
                await bus.handle(EvaluasiKewajiban(lookback_days=settings.alert_lookback_days))
            except asyncio.CancelledError:
                raise
            except Exception:  # the next round tries again; nothing is lost
                log.exception("evaluating participation obligations failed")
            await asyncio.sleep(settings.obligation_interval_seconds)

    return run


def jobs(bus: CommandBus[Any], settings: ParticipationSettings) -> list[Callable[[], Coroutine[Any, Any, None]]]:
    """Every background loop of the service."""
    return [obligation_job(bus, settings)]
