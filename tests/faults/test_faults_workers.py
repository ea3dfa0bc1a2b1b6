"""Faults in the middle of traffic delay work; they never lose it or do it twice.

Each test drives planning over HTTP while a part fails, then checks with per-kegiatan sequence
numbers that every event planning recorded was handled exactly once, in order, by a consumer
in another process (one of two workers killed, the database restarted;
the faults are spread over three files so they run side by side)."""

from __future__ import annotations

import asyncio
import os
import signal

from awasi_cli.testing import eventually

from .harness import Driver, Stack, assert_exactly_once, during, two_of


async def test_one_of_two_workers_killed(stack_of_two_workers: Stack) -> None:
    """Two worker processes serve planning, each relaying the one outbox by shard leases; one
    is killed mid-traffic and uvicorn starts another. Nothing is lost, doubled or reordered."""
    stack = stack_of_two_workers
    workers = await eventually(lambda: two_of(stack.workers_of("planning")), timeout=30)
    driver = Driver(stack.planning_url)

    async def kill_one() -> None:
        os.kill(workers[0], signal.SIGKILL)

        async def replaced() -> list[int] | None:
            return await two_of([pid for pid in stack.workers_of("planning") if pid != workers[0]])

        await eventually(replaced, timeout=60)  # uvicorn started another in its place

    await during(driver, 60, kill_one)
    assert await assert_exactly_once(stack) >= 60 * 4


async def test_database_restarted(stack_on_own_postgres) -> None:
    stack, postgres = stack_on_own_postgres
    driver = Driver(stack.planning_url)

    async def restart() -> None:
        await asyncio.to_thread(postgres.stop, "fast")
        await asyncio.sleep(2)  # submissions are refused with 503 meanwhile, nothing half-written
        await asyncio.to_thread(postgres.start)

    await during(driver, 60, restart)
    assert driver.refused > 0
    assert await assert_exactly_once(stack) == 60 * 4
