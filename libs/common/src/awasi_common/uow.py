"""The unit of work: one transaction for a command's domain rows, its outbox rows and,
for consumers, the inbox row of the event being handled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import TracebackType
from typing import Self

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from awasi_common.events.base import Event
from awasi_common.outbox import outbox_row


class AlreadyHandled(Exception):
    """The event's inbox row exists: its effect is durable already."""


class UnitOfWork:
    """Subclass per service to add repositories; ``session`` is open inside ``async with``."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox: sa.Table,
        inbox: sa.Table,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self._inbox = inbox
        self._on_commit = on_commit
        self._pending: list[Event] = []
        self.session: AsyncSession

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        self._pending = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.rollback()
        await self.session.close()

    def publish(self, *events: Event) -> None:
        """Queue events; they are written to the outbox by ``commit``, with the domain rows."""
        self._pending.extend(events)

    async def mark_handled(self, consumer: str, event_id: str, event_type: str) -> None:
        """Record the event in the inbox, or raise AlreadyHandled if a previous delivery did."""
        exists = await self.session.scalar(
            sa.select(sa.literal(1)).where(self._inbox.c.consumer == consumer, self._inbox.c.event_id == event_id)
        )
        if exists:
            raise AlreadyHandled(event_id)
        await self.session.execute(
            sa.insert(self._inbox).values(
                consumer=consumer,
                event_id=event_id,
                event_type=event_type,
                handled_at=dt.datetime.now(dt.UTC),
            )
        )

    async def commit(self) -> None:
        events, self._pending = self._pending, []
        if events:
            now = dt.datetime.now(dt.UTC)
            await self.session.execute(sa.insert(self._outbox), [outbox_row(event, now=now) for event in events])
        try:
            await self.session.commit()
        except IntegrityError as error:
            # A concurrent delivery of the same event won the race for the inbox row.
            if "inbox" in str(error.orig).lower():
                raise AlreadyHandled(str(error)) from error
            raise
        if events and self._on_commit:
            self._on_commit()

    async def rollback(self) -> None:
        self._pending = []
        await self.session.rollback()
