"""What falls due with time: kegiatan reminders and the daily digest."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from awasi_common.units import WIB, WIT, WITA, lowest_common_unit, zone_of
from awasi_notification.domain.deliveries import Channel, NewDelivery, Status, dedup_key
from awasi_notification.domain.messages import DIGEST_EVENT_TYPE, DigestItem, digest_boundary, digest_message
from awasi_notification.domain.reminders import Reminder, reminder_message, to_fire
from awasi_notification.service_layer.notify import notify, unit_targets
from awasi_notification.service_layer.unit_of_work import UowFactory

log = logging.getLogger(__name__)

REMINDER_EVENT_TYPE = "awasi.notification.pengingat"
ZONES = (WIB, WITA, WIT)


async def tick(uow_factory: UowFactory) -> tuple[int, int]:
    """Fire the reminders that fell due and build the digests whose time came."""
    return await fire_due_reminders(uow_factory), await build_digests(uow_factory)


async def fire_due_reminders(uow_factory: UowFactory) -> int:
    async with uow_factory() as uow:
        now = uow.clock.now()
        due = await uow.reminders.due(now, 1000)
    if not due:
        return 0
    row_of = {id(reminder): row_id for row_id, reminder in due}
    fire: list[tuple[Reminder, dt.date]] = []
    skip: list[Reminder] = []
    for today, reminders in _by_local_day([reminder for _, reminder in due], now).items():
        firing, skipped = to_fire(reminders, today)
        fire += [(reminder, today) for reminder in firing]
        skip += skipped
    async with uow_factory() as uow:
        for reminder in skip:
            await uow.reminders.transition(row_of[id(reminder)], "skipped", now)
        await uow.commit()
    fired = 0
    for reminder, today in fire:
        async with uow_factory() as uow:
            if not await uow.reminders.transition(row_of[id(reminder)], "fired", now):
                continue  # another scheduler fired it, or its kegiatan was just cancelled
            subject, body = reminder_message(reminder, today)
            await notify(
                uow,
                source=reminder.key,
                event_type=REMINDER_EVENT_TYPE,
                unit=reminder.unit,
                subject=subject,
                body=body,
                targets=await unit_targets(uow, reminder.unit),
            )
            await uow.commit()
            fired += 1
    return fired


async def build_digests(uow_factory: UowFactory) -> int:
    """Bundle what waits for a recipient's digest into one email, once the day's digest
    time has passed on the clock of the units it is about; the delivery worker sends it
    like any other email."""
    async with uow_factory() as uow:
        now = uow.clock.now()
        at = uow.settings.digest_time
        max_attempts = uow.settings.email_max_attempts
        latest = max(digest_boundary(now, at, zone) for zone in ZONES)
        waiting = await uow.deliveries.digest_waiting(latest)
    by_recipient: dict[str, list[Any]] = defaultdict(list)
    for row in waiting:
        by_recipient[row.recipient].append(row)
    built = 0
    for recipient, candidates in by_recipient.items():
        unit = lowest_common_unit([r.unit for r in candidates])
        zone = zone_of(unit)
        boundary = digest_boundary(now, at, zone)
        rows = [r for r in candidates if _utc(r.created_at) < boundary]
        if not rows:
            continue  # its digest time has not come yet on its own clock
        unit = lowest_common_unit([r.unit for r in rows])
        digest_id = str(uuid.uuid4())
        subject, body = digest_message(
            [DigestItem(r.subject, r.body, r.created_at) for r in rows],
            boundary.astimezone(zone).date(),
            zone,
        )
        async with uow_factory() as uow:
            created = uow.clock.now()
            new = NewDelivery(
                id=digest_id,
                dedup_key=dedup_key(f"ringkasan:{boundary.isoformat()}:{rows[0].id}", Channel.EMAIL, recipient),
                channel=Channel.EMAIL,
                recipient=recipient,
                recipient_label=rows[0].recipient_label,
                subscription_id=None,
                event_type=DIGEST_EVENT_TYPE,
                event_id=digest_id,
                unit=unit,
                subject=subject,
                body=body,
                status=Status.PENDING,
                max_attempts=max_attempts,
                created_at=created,
            )
            if not await uow.deliveries.add(new):
                continue
            ids = [r.id for r in rows]
            if await uow.deliveries.mark_digested(ids, digest_id, created) != len(ids):
                continue  # a concurrent scheduler took some of them: leave it to that one
            await uow.commit()
            built += 1
    return built


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _by_local_day(reminders: Sequence[Reminder], now: dt.datetime) -> dict[dt.date, list[Reminder]]:
    """Reminders grouped by the date ``now`` is on their unit's own clock."""
    grouped: dict[dt.date, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        grouped[now.astimezone(zone_of(reminder.unit)).date()].append(reminder)
    return grouped
