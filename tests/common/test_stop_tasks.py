"""A service's shutdown ends its background tasks even when one swallows a cancellation (as
``asyncio.wait_for`` can on Python 3.11)."""

from __future__ import annotations

import asyncio

from awasi_common.runtime import stop_tasks


async def test_a_task_that_swallowed_one_cancellation_is_cancelled_again() -> None:
    swallowed = 0

    async def stubborn_loop() -> None:
        nonlocal swallowed
        while True:
            try:
                await asyncio.sleep(0.05)
            except asyncio.CancelledError:
                if swallowed == 0:  # the first one is lost, as inside a racing wait_for
                    swallowed += 1
                    continue
                raise

    task = asyncio.create_task(stubborn_loop(), name="stubborn")
    plain = asyncio.create_task(asyncio.sleep(60), name="plain")
    await asyncio.sleep(0.01)
    await stop_tasks([task, plain], "uji", within=5)
    assert task.cancelled() and plain.cancelled() and swallowed == 1
