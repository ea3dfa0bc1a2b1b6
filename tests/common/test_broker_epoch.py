"""The broker epoch tells a durable log from one that started over (the embedded broker
restarted with an empty memory log)."""

from __future__ import annotations

import asyncio

import pytest

from awasi_cli.broker import start_broker, wait_for_port
from awasi_cli.testing import free_port
from awasi_common.epoch import LogGuard, broker_epoch


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


class Epochs:
    """A broker whose epoch the test sets: what LogGuard reads instead of the real one."""

    def __init__(self, value: str) -> None:
        self.value = value

    async def read(self) -> str:
        return self.value

    async def close(self) -> None:
        return None


async def test_a_recovery_that_failed_runs_again_at_the_next_check() -> None:
    attempts: list[str] = []

    async def recover() -> None:
        attempts.append("recover")
        if len(attempts) == 1:
            raise ConnectionError("the new broker is not answering yet")

    guard = LogGuard("127.0.0.1:1", recover, min_interval=0)
    guard._epoch = Epochs("first")  # type: ignore[assignment]
    assert await guard.check() is False  # the first epoch seen: nothing to recover from
    guard._epoch.value = "second"  # type: ignore[attr-defined]
    with pytest.raises(ConnectionError):
        await guard.check()
    assert await guard.check() is True  # the log is still new to this service: recovered now
    assert await guard.check() is False  # and once only
    assert attempts == ["recover", "recover"] and guard.known == "second"
