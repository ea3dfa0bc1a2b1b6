"""Reading a server-sent event stream in the tests: notification's inbox stream and the
console's relay of it."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx


class Events:
    """A stream read in the background: events (id, event, data) and comment lines as they come."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.comments: list[str] = []
        self.ended = asyncio.Event()
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        current: dict[str, Any] = {}
        try:
            async for line in self.response.aiter_lines():
                if line.startswith(":"):
                    self.comments.append(line[1:].strip())
                elif not line:
                    if "data" in current:
                        current["data"] = json.loads(current["data"])
                        await self.events.put(current)
                    current = {}
                else:
                    name, _, value = line.partition(": ")
                    current[name] = value
        except httpx.HTTPError:
            pass
        finally:
            self.ended.set()

    async def next(self, timeout: float = 10) -> dict[str, Any]:
        return await asyncio.wait_for(self.events.get(), timeout)


@contextlib.asynccontextmanager
async def opened(client: httpx.AsyncClient, path: str, headers: Mapping[str, str]) -> AsyncIterator[Events]:
    """``path`` opened as an event stream (200, ``text/event-stream``), read until the block ends."""
    async with client.stream("GET", path, headers=dict(headers)) as response:
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("text/event-stream")
        events = Events(response)
        try:
            yield events
        finally:
            events.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await events.task
