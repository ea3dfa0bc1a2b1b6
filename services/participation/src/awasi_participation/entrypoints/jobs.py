"""Participation's background loops."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from awasi_common.commands import CommandBus
from awasi_common.jobs import every
from awasi_participation.commands import EvaluasiKewajiban
from awasi_participation.settings import ParticipationSettings


def obligation_job(bus: CommandBus[Any], settings: ParticipationSettings) -> Callable[[], Awaitable[None]]:
    """Every interval, raise the obligations that fell due unmet."""

    def evaluate() -> Awaitable[object]:
        return bus.handle(EvaluasiKewajiban(lookback_days=settings.alert_lookback_days))

    return partial(
        every,
        settings.obligation_interval_seconds,
        evaluate,
        "evaluating participation obligations",
        first_after=settings.obligation_first_run_seconds,
    )


def jobs(bus: CommandBus[Any], settings: ParticipationSettings) -> list[Callable[[], Awaitable[None]]]:
    """Every background loop of the service."""
    return [obligation_job(bus, settings)]
