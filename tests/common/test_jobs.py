"""A background loop survives a failing round and runs the next one."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest

from awasi_common.jobs import every


async def test_a_failed_round_is_logged_and_the_next_round_runs(caplog: pytest.LogCaptureFixture) -> None:
    rounds: list[int] = []
    third = asyncio.Event()

    async def step() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise ConnectionError("database away")
        if len(rounds) == 3:
            third.set()

    with caplog.at_level(logging.ERROR, logger="awasi_common.jobs"):
        loop = asyncio.create_task(every(0.01, step, "the test step", first_after=0.05))
        await asyncio.sleep(0.03)
        assert rounds == []  # not before first_after
        await asyncio.wait_for(third.wait(), 5)
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
    assert loop.cancelled()
    assert [r.getMessage() for r in caplog.records] == ["the test step failed; the next round tries again"]
