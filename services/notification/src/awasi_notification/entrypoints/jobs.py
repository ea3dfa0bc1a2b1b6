"""The service's background loops, started with the process (``service.background``): the
delivery worker and the scheduler. Each survives any error and tries again later."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from awasi_common.telemetry import untraced
from awasi_notification.service_layer import deliveries, schedule
from awasi_notification.service_layer.deliveries import Outlets
from awasi_notification.service_layer.unit_of_work import UowFactory

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


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


def delivery_worker(uow_factory: UowFactory, outlets: Outlets, poll_seconds: float) -> Job:
    """Send what is due, again and again; the webhook client is closed when the loop ends."""

    async def run() -> None:
        try:
            await _loop("delivery worker", lambda: deliveries.deliver_due(uow_factory, outlets), poll_seconds)
        finally:
            await outlets.webhook.close()

    return run


def scheduler(uow_factory: UowFactory, poll_seconds: float) -> Job:
    """Reminders and daily digests, a full interval between ticks."""

    async def step() -> int:
        await schedule.tick(uow_factory)
        return 0  # always wait a full interval between ticks

    async def run() -> None:
        await _loop("scheduler", step, poll_seconds)

    return run
