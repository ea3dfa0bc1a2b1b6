"""Faults in the middle of traffic delay work; they never lose it or do it twice.

Each test drives planning over HTTP while a part fails, then checks with per-kegiatan sequence
numbers that every event planning recorded was handled exactly once, in order, by a consumer
in another process (the consumer or the relay killed;
the faults are spread over three files so they run side by side)."""

from __future__ import annotations

import asyncio

from awasi_cli.testing import eventually

from .harness import Driver, Stack, assert_exactly_once, during, effect_sequences


async def test_consumer_killed_mid_batch(stack: Stack) -> None:
    driver = Driver(stack.planning_url)

    async def probe_at_work() -> int:
        return sum(len(events) for events in (await effect_sequences(stack.probe_db)).values())

    async def crash_and_restart() -> None:
        await eventually(probe_at_work, timeout=60)  # killed while it consumes, not before it started
        stack.kill("probe")
        await asyncio.sleep(1)
        await asyncio.to_thread(stack.start_probe)

    await during(driver, 60, crash_and_restart)
    assert await assert_exactly_once(stack) == 60 * 4


async def test_relay_killed(stack: Stack) -> None:
    driver = Driver(stack.planning_url)

    async def crash_and_restart() -> None:
        stack.kill("planning")  # the relay runs in planning's process
        await asyncio.to_thread(stack.start_planning)

    await during(driver, 60, crash_and_restart)
    assert driver.refused > 0  # the driver saw the outage and retried
    assert await assert_exactly_once(stack) >= 60 * 4
