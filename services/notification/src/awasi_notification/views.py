"""Read-side queries straight on notification's tables."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.auth import Principal, Role
from awasi_common.units import RI_CODE
from awasi_notification.adapters.orm import (
    delivery,
    inbox_message,
    receipt,
    reminder,
    subscription,
    subscription_event,
    unit_contact,
)
from awasi_notification.adapters.repository import subscription_from_row
from awasi_notification.domain.deliveries import Channel
from awasi_notification.domain.subscriptions import managed


def within(column: sa.ColumnElement[str], unit: str) -> sa.ColumnElement[bool]:
    return sa.or_(column == unit, column.like(f"{unit}.%")) if unit != RI_CODE else sa.true()


async def reminders(session: AsyncSession, unit: str, *, kegiatan_id: str | None = None) -> list[Any]:
    """The kegiatan reminders of a unit and the units below it, by their day."""
    query = sa.select(reminder).where(within(reminder.c.unit, unit)).order_by(reminder.c.due_on)
    if kegiatan_id:
        query = query.where(reminder.c.kegiatan_id == kegiatan_id)
    return list(await session.execute(query.limit(1000)))


async def receipts(session: AsyncSession, unit: str, *, kode_pelacakan: str | None = None) -> list[Any]:
    """Receipts of reports made to a unit and the units below it, oldest first."""
    query = sa.select(receipt).where(within(receipt.c.unit, unit)).order_by(receipt.c.diterima_pada)
    if kode_pelacakan:
        query = query.where(receipt.c.kode_pelacakan == kode_pelacakan)
    return list(await session.execute(query.limit(1000)))


async def _event_types(session: AsyncSession, ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {i: [] for i in ids}
    if ids:
        rows = await session.execute(sa.select(subscription_event).where(subscription_event.c.subscription_id.in_(ids)))
        for row in rows:
            found[row.subscription_id].append(row.event_type)
    return {key: sorted(value) for key, value in found.items()}


async def subscriptions(session: AsyncSession, principal: Principal, *, webhooks: bool) -> list[dict[str, Any]]:
    """The subscriptions a principal manages: their own, their unit's; webhooks of the
    agency, or of the units an operator or admin reads."""
    if principal.role == Role.AGENCY:  # only what the agency registered itself
        mine: sa.ColumnElement[bool] = sa.and_(
            subscription.c.owner_kind == "agency", subscription.c.agency_subject == principal.subject
        )
    else:
        mine = sa.and_(subscription.c.owner_kind == "user", subscription.c.owner == principal.subject)
    if principal.role in (Role.ADMIN, Role.OPERATOR):
        scope = (
            within(subscription.c.owner_unit, principal.unit)
            if principal.role == Role.ADMIN
            else (subscription.c.owner_unit == principal.unit)
        )
        mine = sa.or_(mine, sa.and_(subscription.c.owner_kind.in_(["unit", "agency"]), scope))
    elif principal.role != Role.AGENCY:
        mine = sa.or_(
            mine,
            sa.and_(subscription.c.owner_kind == "unit", subscription.c.owner == principal.unit),
        )
    channel = subscription.c.channel == Channel.WEBHOOK if webhooks else subscription.c.channel != Channel.WEBHOOK
    rows = list(
        await session.execute(
            sa.select(subscription)
            .where(subscription.c.active.is_(True), channel, mine)
            .order_by(subscription.c.created_at)
            .limit(1000)
        )
    )
    types = await _event_types(session, [row.id for row in rows])
    return [{**row._mapping, "event_types": types[row.id]} for row in rows]


async def subscription_detail(session: AsyncSession, subscription_id: str) -> dict[str, Any] | None:
    row = (await session.execute(sa.select(subscription).where(subscription.c.id == subscription_id))).first()
    if row is None:
        return None
    return {**row._mapping, "event_types": (await _event_types(session, [row.id]))[row.id]}


async def managed_subscription(
    session: AsyncSession, principal: Principal, subscription_id: str, *, webhook: bool
) -> dict[str, Any]:
    """A subscription (or webhook) with its event types, when ``principal`` manages it;
    NotFound otherwise."""
    detail = await subscription_detail(session, subscription_id)
    managed(None if detail is None else subscription_from_row(detail), principal, subscription_id, webhook=webhook)
    assert detail is not None
    return detail


async def deliveries(
    session: AsyncSession,
    *,
    subscription_id: str | None = None,
    unit: str | None = None,
    status: str | None = None,
    channel: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Any]:
    query = sa.select(delivery)
    if subscription_id:
        query = query.where(delivery.c.subscription_id == subscription_id)
    if unit:
        query = query.where(within(delivery.c.unit, unit))
    if status:
        query = query.where(delivery.c.status == status)
    if channel:
        query = query.where(delivery.c.channel == channel)
    query = query.order_by(delivery.c.created_at.desc(), delivery.c.id).limit(limit).offset(offset)
    return list(await session.execute(query))


async def inbox(session: AsyncSession, owner: str, *, unread_only: bool, limit: int, offset: int) -> list[Any]:
    query = sa.select(inbox_message).where(inbox_message.c.owner == owner)
    if unread_only:
        query = query.where(inbox_message.c.read_at.is_(None))
    query = query.order_by(inbox_message.c.created_at.desc(), inbox_message.c.id).limit(limit).offset(offset)
    return list(await session.execute(query))


async def contact(session: AsyncSession, unit: str) -> Any:
    return (await session.execute(sa.select(unit_contact).where(unit_contact.c.unit == unit))).first()
