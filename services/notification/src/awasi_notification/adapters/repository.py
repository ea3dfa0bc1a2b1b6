"""Subscriptions, deliveries, reminders and unit contacts in and out of notification's tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.db import insert
from awasi_common.telemetry import current_traceparent
from awasi_notification.adapters.orm import (
    delivery,
    inbox_message,
    receipt,
    reminder,
    subscription,
    subscription_event,
    unit_contact,
)
from awasi_notification.domain.deliveries import Channel, Mode, NewDelivery, Status
from awasi_notification.domain.receipts import Receipt
from awasi_notification.domain.recipients import regions_covering
from awasi_notification.domain.reminders import Reminder
from awasi_notification.domain.subscriptions import WILDCARD, Subscription


def _rowcount(result: Any) -> int:
    """Rows an UPDATE or DELETE touched (a CursorResult behind the session's Result)."""
    return int(getattr(result, "rowcount", 0) or 0)


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, new: NewDelivery) -> bool:
        """Record a delivery; False when the same message (dedup key) was recorded before."""
        sent = new.status == Status.SENT
        values = {
            **dataclasses.asdict(new),
            "attempts": 1 if sent else 0,
            "next_attempt_at": new.created_at,
            "updated_at": new.created_at,
            "sent_at": new.created_at if sent else None,
            "traceparent": current_traceparent(),
        }
        # The row as parameters, not .values(): no cache key walked over every value per delivery.
        statement = insert(self._session, delivery).on_conflict_do_nothing(index_elements=["dedup_key"])
        result = await self._session.execute(statement.returning(delivery.c.id), values)
        return result.first() is not None

    async def add_inbox_message(self, new: NewDelivery, owner: str, message_id: str) -> None:
        await self._session.execute(
            sa.insert(inbox_message),
            {
                "id": message_id,
                "delivery_id": new.id,
                "owner": owner,
                "unit": new.unit,
                "event_type": new.event_type,
                "event_id": new.event_id,
                "subject": new.subject,
                "body": new.body,
                "created_at": new.created_at,
            },
        )

    async def claim_due(self, now: dt.datetime, limit: int, lease_until: dt.datetime, token: str) -> list[Any]:
        """Lease up to ``limit`` due deliveries for this worker; other workers skip them."""
        ids = list(
            (
                await self._session.execute(
                    sa.select(delivery.c.id)
                    .where(
                        delivery.c.status == Status.PENDING,
                        delivery.c.next_attempt_at <= now,
                        sa.or_(delivery.c.lease_until.is_(None), delivery.c.lease_until < now),
                    )
                    .order_by(delivery.c.next_attempt_at)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            ).scalars()
        )
        if not ids:
            return []
        await self._session.execute(
            sa.update(delivery).where(delivery.c.id.in_(ids)).values(lease_token=token, lease_until=lease_until)
        )
        return list((await self._session.execute(sa.select(delivery).where(delivery.c.id.in_(ids)))).all())

    async def settle(self, delivery_id: str, token: str, **values: Any) -> bool:
        """Write an attempt's outcome, only if this worker still holds the lease."""
        result = await self._session.execute(
            sa.update(delivery)
            .where(delivery.c.id == delivery_id, delivery.c.lease_token == token)
            .values(lease_token=None, lease_until=None, **values)
        )
        return bool(_rowcount(result))

    async def settle_digest_items(self, digest_id: str, status: str, now: dt.datetime) -> None:
        await self._session.execute(
            sa.update(delivery)
            .where(delivery.c.digest_id == digest_id)
            .values(status=status, updated_at=now, sent_at=now if status == Status.SENT else None)
        )

    async def digest_waiting(self, before: dt.datetime, limit: int = 5000) -> list[Any]:
        return list(
            (
                await self._session.execute(
                    sa.select(delivery)
                    .where(delivery.c.status == Status.DIGEST_PENDING, delivery.c.created_at < before)
                    .order_by(delivery.c.recipient, delivery.c.created_at)
                    .limit(limit)
                )
            ).all()
        )

    async def mark_digested(self, ids: Sequence[str], digest_id: str, now: dt.datetime) -> int:
        result = await self._session.execute(
            sa.update(delivery)
            .where(delivery.c.id.in_(ids), delivery.c.status == Status.DIGEST_PENDING)
            .values(status=Status.DIGESTED, digest_id=digest_id, updated_at=now)
        )
        return _rowcount(result)

    async def mark_read(self, message_id: str, now: dt.datetime) -> None:
        await self._session.execute(
            sa.update(inbox_message)
            .where(inbox_message.c.id == message_id, inbox_message.c.read_at.is_(None))
            .values(read_at=now)
        )

    async def inbox_owner(self, message_id: str) -> str | None:
        """Whose inbox a message is in (``unit:…`` or ``user:…``), or None when there is no such message."""
        owner: str | None = await self._session.scalar(
            sa.select(inbox_message.c.owner).where(inbox_message.c.id == message_id)
        )
        return owner

    async def get(self, delivery_id: str) -> Any:
        return (await self._session.execute(sa.select(delivery).where(delivery.c.id == delivery_id))).first()

    async def requeue(self, delivery_id: str, now: dt.datetime) -> bool:
        result = await self._session.execute(
            sa.update(delivery)
            .where(delivery.c.id == delivery_id, delivery.c.status == Status.FAILED)
            .values(
                status=Status.PENDING,
                attempts=0,
                next_attempt_at=now,
                updated_at=now,
                lease_token=None,
                lease_until=None,
            )
        )
        return bool(_rowcount(result))


_SUBSCRIPTIONS_STAMP = sa.select(
    sa.func.count(),
    sa.func.count().filter(subscription.c.active.is_(True)),
    sa.func.max(subscription.c.updated_at),
).select_from(subscription)
"""Whether the subscriptions changed, asked once per unit of work (built once, not per batch)."""


class SubscriptionIndex:
    """The active subscriptions of one database, held in memory by event type.

    Every event notification handles asks which subscriptions want it; asking the database
    each time cost a query per event (a third of notification's CPU under load). The index is
    reloaded when the subscription table changed, which a unit of work checks once with one
    aggregate query (so a change made by another replica is seen by the next batch)."""

    def __init__(self) -> None:
        self._stamp: tuple[Any, ...] | None = None
        self._by_type: dict[str, list[Any]] = {}

    async def refresh(self, session: AsyncSession) -> None:
        stamp = tuple((await session.execute(_SUBSCRIPTIONS_STAMP)).one())
        if stamp == self._stamp:
            return
        rows = await session.execute(
            sa.select(subscription, subscription_event.c.event_type)
            .join(subscription_event, subscription_event.c.subscription_id == subscription.c.id)
            .where(subscription.c.active.is_(True))
            .order_by(subscription.c.created_at, subscription.c.id)
        )
        by_type: dict[str, list[Any]] = {}
        for row in rows:
            by_type.setdefault(row.event_type, []).append(row)
        self._by_type, self._stamp = by_type, stamp

    def matching(self, event_type: str, unit: str) -> list[Any]:
        regions = set(regions_covering(unit))
        candidates = [*self._by_type.get(event_type, ()), *self._by_type.get(WILDCARD, ())]
        found: dict[str, Any] = {}
        for row in sorted(candidates, key=lambda r: (r.created_at, r.id)):
            if row.region in regions:
                found.setdefault(row.id, row)
        return list(found.values())


def subscription_to_row(s: Subscription) -> dict[str, Any]:
    return dataclasses.asdict(s)


def subscription_from_row(row: Mapping[str, Any] | sa.RowMapping) -> Subscription:
    values = {field.name: row[field.name] for field in dataclasses.fields(Subscription)}
    return Subscription(**{**values, "channel": Channel(row["channel"]), "mode": Mode(row["mode"])})


class SubscriptionRepository:
    def __init__(self, session: AsyncSession, index: SubscriptionIndex) -> None:
        self._session = session
        self._index = index
        self._index_checked = False

    async def add(self, new: Subscription, event_types: Sequence[str]) -> None:
        await self._session.execute(sa.insert(subscription).values(subscription_to_row(new)))
        await self._session.execute(
            sa.insert(subscription_event),
            [{"subscription_id": new.id, "event_type": t} for t in event_types],
        )
        self._index_checked = False

    async def get(self, subscription_id: str, *, for_update: bool = False) -> Subscription | None:
        query = sa.select(subscription).where(subscription.c.id == subscription_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return None if row is None else subscription_from_row(row._mapping)

    async def save(self, changed: Subscription) -> None:
        """Write a changed subscription; its ``updated_at`` moved, which the index notices."""
        await self._session.execute(
            sa.update(subscription).where(subscription.c.id == changed.id).values(subscription_to_row(changed))
        )
        self._index_checked = False

    async def matching(self, event_type: str, unit: str) -> list[Any]:
        """Active subscriptions to this event type whose region holds the event's unit, oldest first."""
        if not self._index_checked:
            await self._index.refresh(self._session)
            self._index_checked = True
        return self._index.matching(event_type, unit)


class ContactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def put(self, unit: str, emails: Sequence[str], mode: str, by: str, now: dt.datetime) -> None:
        await self._session.execute(sa.delete(unit_contact).where(unit_contact.c.unit == unit))
        await self._session.execute(
            sa.insert(unit_contact).values(unit=unit, emails=list(emails), mode=mode, updated_by=by, updated_at=now)
        )

    async def for_units(self, units: Sequence[str]) -> dict[str, Any]:
        rows = await self._session.execute(sa.select(unit_contact).where(unit_contact.c.unit.in_(list(units))))
        return {row.unit: row for row in rows}


class ReceiptRepository:
    """Receipts are written when the unit of work commits, all of its batch in one statement
    (one insert per event was most of notification's statements for laporan, issue 17)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._pending: dict[str, Receipt] = {}

    async def add(self, new: Receipt) -> None:
        """Keep a laporan's receipt once: the same laporan announced again (another event id,
        in this batch or before) leaves the first receipt as it is."""
        self._pending.setdefault(new.laporan_id, new)

    async def flush(self) -> None:
        """Write the receipts added since the last flush (the unit of work's commit calls this)."""
        if not self._pending:
            return
        rows = [dataclasses.asdict(item) for item in self._pending.values()]
        self._pending = {}
        await self._session.execute(insert(self._session, receipt).on_conflict_do_nothing(), rows)

    def discard(self) -> None:
        self._pending = {}


def reminder_to_row(r: Reminder) -> dict[str, Any]:
    return dataclasses.asdict(r)


def reminder_from_row(row: Any) -> Reminder:
    # mulai and selesai came with a later migration: older rows have the due date only
    return Reminder(
        row.kegiatan_id,
        row.unit,
        row.judul,
        row.kind,
        row.due_on,
        row.mulai or row.due_on,
        row.selesai or row.due_on,
    )


class ReminderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_kegiatan(self, kegiatan_id: str) -> dict[str, Any]:
        rows = await self._session.execute(sa.select(reminder).where(reminder.c.kegiatan_id == kegiatan_id))
        return {row.kind: row for row in rows}

    async def insert(self, r: Reminder, *, status: str, due_at: dt.datetime) -> None:
        await self._session.execute(sa.insert(reminder).values(**reminder_to_row(r), due_at=due_at, status=status))

    async def replace(self, row_id: int, r: Reminder, *, status: str, due_at: dt.datetime) -> None:
        """A new date: due again, whatever happened to the old one."""
        await self._session.execute(
            sa.update(reminder)
            .where(reminder.c.id == row_id)
            .values(**reminder_to_row(r), due_at=due_at, status=status, fired_at=None)
        )

    async def refresh(self, row_id: int, r: Reminder) -> None:
        """Same date, new title or unit: keep the status."""
        await self._session.execute(sa.update(reminder).where(reminder.c.id == row_id).values(reminder_to_row(r)))

    async def delete(self, row_ids: Sequence[int]) -> None:
        if row_ids:
            await self._session.execute(sa.delete(reminder).where(reminder.c.id.in_(list(row_ids))))

    async def close_pending(self, kegiatan_id: str, status: str) -> int:
        result = await self._session.execute(
            sa.update(reminder)
            .where(reminder.c.kegiatan_id == kegiatan_id, reminder.c.status == "pending")
            .values(status=status)
        )
        return _rowcount(result)

    async def due(self, now: dt.datetime, limit: int) -> list[tuple[int, Reminder]]:
        rows = await self._session.execute(
            sa.select(reminder)
            .where(reminder.c.status == "pending", reminder.c.due_at <= now)
            .order_by(reminder.c.due_at)
            .limit(limit)
        )
        return [(row.id, reminder_from_row(row)) for row in rows]

    async def transition(self, row_id: int, status: str, now: dt.datetime) -> bool:
        """pending → status, once: a concurrent scheduler loses the race and does nothing."""
        result = await self._session.execute(
            sa.update(reminder)
            .where(reminder.c.id == row_id, reminder.c.status == "pending")
            .values(status=status, fired_at=now)
        )
        return bool(_rowcount(result))
