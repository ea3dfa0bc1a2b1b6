"""The inbox as a server-sent event stream: ``GET /kotak-masuk/aliran``.

Each open stream polls the inbox table once every ``inbox_stream_poll_seconds`` with one query on
``ix_inbox_message_owner`` (owner, created_at): correct across any number of worker processes
and replicas, whichever of them the consumer that wrote the message ran in.

Order and resumption. Messages are sent oldest first by (created_at, id); the SSE ``id`` of each
event is the id of the newest message sent so far on the stream (normally the message itself),
so a browser's ``Last-Event-ID`` always names the stream's cursor. A transaction may commit a
message after a newer one was already sent (its ``created_at`` is taken when the handling began):
a live stream looks back ``inbox_stream_lookback_seconds`` before its cursor and sends such a
late message once (it remembers what it sent within that window). A stream resumed with
``Last-Event-ID`` starts strictly after the named message.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from fastapi import Request
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_notification.adapters.orm import inbox_message
from awasi_notification.entrypoints.schemas import InboxMessageOut

BATCH = 200


@dataclass
class StreamHub:
    """The process's open inbox streams: how many, at most how many, and the stop signal that
    ends them all at once when the process is asked to stop."""

    limit: int
    open: int = 0
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _hooked: bool = False

    def stop(self) -> None:
        self.stopping.set()

    def hook_signals(self) -> None:
        """uvicorn waits for open responses before it stops: an SSE stream never ends by itself,
        so SIGTERM/SIGINT first tell every stream to end (then uvicorn's own handler runs)."""
        if self._hooked:
            return
        self._hooked = True
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(number)

            def handler(signum: int, frame: Any, previous: Any = previous) -> None:
                with contextlib.suppress(RuntimeError):  # that loop has closed (an earlier test's app)
                    loop.call_soon_threadsafe(self.stopping.set)
                previous(signum, frame)

            if callable(previous):  # uvicorn's (or the test runner's) handler: chained, not replaced
                with contextlib.suppress(ValueError):  # not the main thread: nothing to hook
                    signal.signal(number, handler)


def _key(row: Any) -> tuple[dt.datetime, str]:
    return (row.created_at, row.id)


async def start_after(session: AsyncSession, owners: dict[str, bool], last_event_id: str | None) -> Any:
    """The row the stream starts after: the message named by Last-Event-ID (when it is one of
    these owners'), else the newest message of these owners (only new ones are sent), else None."""
    mine = inbox_message.c.owner.in_(list(owners))
    if last_event_id:
        row = (await session.execute(sa.select(inbox_message).where(inbox_message.c.id == last_event_id, mine))).first()
        if row is not None:
            return row
    newest = sa.select(inbox_message).where(mine).order_by(inbox_message.c.created_at.desc(), inbox_message.c.id.desc())
    return (await session.execute(newest.limit(1))).first()


def event(row: Any, cursor_id: str, personal: bool) -> str:
    data = {**InboxMessageOut.of(row).model_dump(mode="json"), "pribadi": personal}
    return f"id: {cursor_id}\nevent: pesan\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def inbox_events(
    request: Request,
    hub: StreamHub,
    owners: dict[str, bool],
    last_event_id: str | None,
    *,
    poll_seconds: float,
    heartbeat_seconds: float,
    lookback_seconds: float,
    max_seconds: float,
) -> AsyncIterator[str]:
    """``owners``: owner key → whether it is the person's own inbox (``pribadi``)."""
    sessions = request.app.state.service.sessions
    lookback = dt.timedelta(seconds=lookback_seconds)
    mine = inbox_message.c.owner.in_(list(owners))
    async with sessions() as session:
        start = await start_after(session, owners, last_event_id)
        sent: dict[str, dt.datetime] = {}
        cursor: tuple[dt.datetime, str] | None = None
        if start is not None:
            cursor = _key(start)
            # What lay before the cursor when the stream opened counts as seen.
            earlier = await session.execute(
                sa.select(inbox_message.c.id, inbox_message.c.created_at).where(
                    mine,
                    inbox_message.c.created_at >= cursor[0] - lookback,
                    inbox_message.c.created_at <= cursor[0],
                )
            )
            sent = {row.id: row.created_at for row in earlier}
    yield f": kotak masuk\nretry: {int(poll_seconds * 3000)}\n\n"
    quiet = 0.0
    loop = asyncio.get_running_loop()
    until = loop.time() + max_seconds
    while not hub.stopping.is_set() and loop.time() < until:
        if await request.is_disconnected():
            return
        query = sa.select(inbox_message).where(mine)
        if cursor is not None:
            query = query.where(inbox_message.c.created_at >= cursor[0] - lookback)
        # What was sent within the window comes back too (and is skipped): BATCH new ones fit.
        query = query.order_by(inbox_message.c.created_at, inbox_message.c.id).limit(BATCH + len(sent))
        async with sessions() as session:
            rows = [row for row in await session.execute(query) if row.id not in sent]
        for row in rows:
            if cursor is None or _key(row) > cursor:
                cursor = _key(row)
            sent[row.id] = row.created_at
            yield event(row, cursor[1], owners[row.owner])
        if rows:
            quiet = 0.0
            assert cursor is not None
            horizon = cursor[0] - lookback
            sent = {k: v for k, v in sent.items() if v >= horizon}
        elif quiet >= heartbeat_seconds:
            quiet = 0.0
            yield ": detak\n\n"
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(hub.stopping.wait(), poll_seconds)
        quiet += poll_seconds


class CountedStream(StreamingResponse):
    """A stream that holds one of the hub's places from its creation until it ends, however it
    ends (even when the client left before the first byte and the body never started)."""

    def __init__(self, hub: StreamHub, body: AsyncIterator[str]) -> None:
        hub.open += 1
        self.hub = hub
        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        super().__init__(body, media_type="text/event-stream", headers=headers)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.hub.open -= 1
