"""The broker epoch tells a durable log from one that started over (the embedded broker
restarted with an empty memory log)."""

from __future__ import annotations

import asyncio

from awasi_cli.broker import start_broker, wait_for_port
from awasi_cli.testing import free_port
from awasi_common.epoch import broker_epoch


async def test_epoch_is_stable_until_the_log_starts_over(tmp_path) -> None:
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    broker = start_broker(port, tmp_path / "broker.log")
    try:
        wait_for_port("127.0.0.1", port, 20, broker)
        first = await asyncio.gather(*(broker_epoch(bootstrap) for _ in range(3)))  # racing writers agree
        assert len(set(first)) == 1 and first[0]
        assert await broker_epoch(bootstrap) == first[0]
        broker.kill()
        broker.wait(10)
        broker = start_broker(port, tmp_path / "broker.log")
        wait_for_port("127.0.0.1", port, 20, broker)
        assert await broker_epoch(bootstrap) != first[0]
    finally:
        broker.kill()
        broker.wait(10)
