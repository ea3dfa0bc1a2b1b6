"""Faults in the middle of traffic delay work; they never lose it or do it twice.

Each test drives planning over HTTP while a part fails, then checks with per-kegiatan sequence
numbers that every event planning recorded was handled exactly once, in order, by a consumer
in another process (the broker stopped, a poison message;
the faults are spread over three files so they run side by side)."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaProducer

from awasi_common.events.planning import KEGIATAN_TOPIC

from .harness import Driver, Stack, assert_exactly_once, during


async def test_broker_stopped_mid_submissions(stack: Stack) -> None:
    driver = Driver(stack.planning_url)

    async def broker_outage() -> None:
        stack.kill("broker")
        await asyncio.sleep(3)  # submissions go on: the outbox holds them
        stack.start_broker()  # a new, empty log (the embedded broker keeps none)

    await during(driver, 60, broker_outage)
    assert len(driver.created) == 60
    assert await assert_exactly_once(stack, ordered=False) == 60 * 4


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
