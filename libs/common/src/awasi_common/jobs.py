"""A service's background loops: one step now and then, beside the requests, for as long as the
process runs. A round that fails is logged and the next round tries again; nothing a step does
is lost by a failed round (steps are commands in their own transactions)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def every(seconds: float, step: Callable[[], Awaitable[object]], what: str, *, first_after: float = 0.0) -> None:
    """Run ``step`` every ``seconds`` (the first time after ``first_after``) until cancelled;
    ``what`` names it in the log when a round fails."""
    await asyncio.sleep(first_after)
    while True:
        try:
            await step()
        except Exception:  # the database away, say: the next round tries again
            log.exception("%s failed; the next round tries again", what)
        await asyncio.sleep(seconds)
