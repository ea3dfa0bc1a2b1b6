"""The service's background loops, started with the process (``service.background``): the
delivery worker and the scheduler. Each survives any error and tries again later."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from awasi_common.telemetry import untraced
from awasi_notification.service_layer.deliveries import DeliveryService
from awasi_notification.service_layer.schedule import ScheduleService

log = logging.getLogger(__name__)


async def _loop(name: str, step: Callable[[], Awaitable[int]], idle_seconds: float) -> None:
    backoff = idle_seconds
    while True:
        try:
            # Polling every second is no trace of its own (it flooded `awasi trace` with lone
            # SELECTs); a delivery's span still joins the trace of the event that caused it.
            with untraced():
                busy = await step()
            backoff = idle_seconds
        except asyncio.CancelledError:
            raise
        except Exception as error:  # database away: wait, then try again
            log.warning("%s: %s; retrying in %.1fs", name, error, backoff)
            await asyncio.sleep(backoff)
            backoff = min(max(backoff, 0.1) * 2, 30.0)
            continue
        if not busy:
            await asyncio.sleep(idle_seconds)


class DeliveryWorker:
    def __init__(self, deliveries: DeliveryService, poll_seconds: float) -> None:
        self.deliveries = deliveries
        self.poll_seconds = poll_seconds

    async def run(self) -> None:
        try:
            await _loop("delivery worker", self.deliveries.deliver_due, self.poll_seconds)
        finally:
            await self.deliveries.webhook.close()


class Scheduler:
    def __init__(self, schedule: ScheduleService, poll_seconds: float) -> None:
        self.schedule = schedule
        self.poll_seconds = poll_seconds

    async def _step(self) -> int:
        await self.schedule.tick()
        return 0  # always wait a full interval between ticks

    async def run(self) -> None:
        await _loop("scheduler", self._step, self.poll_seconds)
