"""The unit of work: one transaction for a command's domain rows, its outbox rows and,
for consumers, the inbox row of the event being handled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from awasi_common.db import insert
from awasi_common.events.base import Event
from awasi_common.outbox import outbox_row

_INBOX_INSERTS: dict[tuple[sa.Table, str], Any] = {}
"""The inbox's insert-or-skip statement per inbox table and dialect."""


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
        """Record the event in the inbox, or raise AlreadyHandled if a previous delivery did
        (one statement: a concurrent delivery's row, committed meanwhile, counts too)."""
        if not await self.mark_handled_many(consumer, [(event_id, event_type)]):
            raise AlreadyHandled(event_id)

    async def mark_handled_many(self, consumer: str, events: Sequence[tuple[str, str]]) -> set[str]:
        """Inbox rows for a batch of (event id, event type) handled in this transaction; returns
        the ids that had none (an id missing from the answer was handled before, or by a
        concurrent delivery that committed first). One statement, each row found by its key:
        a look-up by ``consumer`` and a list of ids let the planner scan the consumer's every
        row while the table had no statistics yet, a cost growing with the inbox."""
        if not events:
            return set()
        now = dt.datetime.now(dt.UTC)
        dialect = self.session.get_bind().dialect.name
        statement = _INBOX_INSERTS.get((self._inbox, dialect))
        if statement is None:  # built once per table and dialect, not per batch
            statement = (
                insert(self.session, self._inbox)
                .on_conflict_do_nothing(index_elements=["consumer", "event_id"])
                .returning(self._inbox.c.event_id)
            )
            _INBOX_INSERTS[(self._inbox, dialect)] = statement
        result = await self.session.execute(
            statement,
            [
                {"consumer": consumer, "event_id": event_id, "event_type": event_type, "handled_at": now}
                for event_id, event_type in events
            ],
        )
        return set(result.scalars())

    async def commit(self) -> None:
        events, self._pending = self._pending, []
        if events:
            now = dt.datetime.now(dt.UTC)
            await self.session.execute(sa.insert(self._outbox), [outbox_row(event, now=now) for event in events])
        await self.session.commit()
        if events and self._on_commit:
            self._on_commit()

    async def rollback(self) -> None:
        self._pending = []
        await self.session.rollback()
