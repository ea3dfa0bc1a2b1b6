"""Faults in the middle of traffic delay work; they never lose it or do it twice.

Each test drives planning over HTTP while a part fails, then checks with per-kegiatan sequence
numbers that every event planning recorded was handled exactly once, in order, by a consumer
in another process."""

from __future__ import annotations

import asyncio
import os
import signal

from aiokafka import AIOKafkaProducer

from awasi_cli.testing import eventually
from awasi_common.events.planning import KEGIATAN_TOPIC

from .harness import Driver, Stack, assert_exactly_once, effect_sequences


async def during(driver: Driver, count: int, fault, *, share: float = 0.25) -> None:
    """Drive ``count`` kegiatan and inject the fault once ``share`` of them were created, so it
    lands in the middle of the traffic however fast this machine is; then wait for the rest."""
    traffic = asyncio.create_task(driver.run(count))
    while len(driver.created) < count * share:
        assert not traffic.done(), "the traffic ended before the fault"
        await asyncio.sleep(0.01)
    await fault()
    await traffic


async def test_broker_stopped_mid_submissions(stack: Stack) -> None:
    driver = Driver(stack.planning_url)

    async def broker_outage() -> None:
        stack.kill("broker")
        await asyncio.sleep(3)  # submissions go on: the outbox holds them
        stack.start_broker()  # a new, empty log (the embedded broker keeps none)

    await during(driver, 60, broker_outage)
    assert len(driver.created) == 60
    assert await assert_exactly_once(stack, ordered=False) == 60 * 4


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


async def test_one_of_two_workers_killed(stack_of_two_workers: Stack) -> None:
    """Two worker processes serve planning, each relaying the one outbox by shard leases; one
    is killed mid-traffic and uvicorn starts another. Nothing is lost, doubled or reordered."""
    stack = stack_of_two_workers
    workers = await eventually(lambda: _two(stack.workers_of("planning")), timeout=30)
    driver = Driver(stack.planning_url)

    async def kill_one() -> None:
        os.kill(workers[0], signal.SIGKILL)

        async def replaced() -> list[int] | None:
            return await _two([pid for pid in stack.workers_of("planning") if pid != workers[0]])

        await eventually(replaced, timeout=60)  # uvicorn started another in its place

    await during(driver, 60, kill_one)
    assert await assert_exactly_once(stack) >= 60 * 4


async def _two(pids: list[int]) -> list[int] | None:
    return pids if len(pids) == 2 else None


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


async def test_poison_message_is_dead_lettered_and_the_rest_flows(stack: Stack) -> None:
    driver = Driver(stack.planning_url)

    async def poison() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap)
        await producer.start()
        try:
            headers = [
                ("ce_specversion", b"1.0"),
                ("ce_id", b"poison-1"),
                ("ce_type", b"awasi.KegiatanScheduled.v1"),
                ("ce_source", b"/x"),
                ("ce_subject", b"x"),
                ("ce_time", b"2024-01-01T00:00:00Z"),
                ("ce_unit", b"35.05"),
            ]
            await producer.send_and_wait(KEGIATAN_TOPIC, b"\x00not json", key=b"x", headers=headers)
        finally:
            await producer.stop()

    await during(driver, 30, poison)
    assert await assert_exactly_once(stack) == 30 * 4
    from awasi_cli.ops import list_dead_letters

    dead = await list_dead_letters(stack.bootstrap, "awasi.faultprobe")
    assert [d.event_id for d in dead] == ["poison-1"]
