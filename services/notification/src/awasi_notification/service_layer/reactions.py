"""Notification's reactions to other services' events. Each runs inside the consumer's unit of
work, after the event's inbox row: a redelivered event never acts twice, and every message it
causes is recorded in the same transaction (and sent later by the delivery worker).

Which reactions an event type gets is decided from its class, not from a list of names: every
public event may have subscribers, every ``alert`` event alerts its unit and the unit above,
so event types added to the catalog later are covered without a change here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from awasi_common.events.base import Event
from awasi_common.events.envelope import Envelope
from awasi_common.events.planning import (
    KegiatanCancelled,
    KegiatanCompleted,
    KegiatanRescheduled,
    KegiatanScheduled,
    KegiatanUpdated,
)
from awasi_common.events.reporting import LaporanSubmitted, PelaporNoticeRequested
from awasi_common.units import zone_of
from awasi_notification.domain.deliveries import Channel, Mode
from awasi_notification.domain.messages import alert_message, cloud_event, event_message
from awasi_notification.domain.receipts import Receipt
from awasi_notification.domain.recipients import alert_units, unit_owner, user_owner
from awasi_notification.domain.reminders import due_at, missed_at_scheduling, reminders_for
from awasi_notification.domain.subscriptions import OWN_SOURCE
from awasi_notification.service_layer.notify import Target, email, notify, unit_targets
from awasi_notification.service_layer.unit_of_work import NotificationUnitOfWork

Handler = Callable[[Any, Envelope, NotificationUnitOfWork], Awaitable[None]]


# --- reminders ---------------------------------------------------------------------


async def schedule_reminders(
    event: KegiatanScheduled | KegiatanRescheduled | KegiatanUpdated,
    envelope: Envelope,
    uow: NotificationUnitOfWork,
) -> None:
    k = event.kegiatan
    zone = zone_of(event.unit)  # the day and hour are the unit's own (WIB, WITA or WIT)
    today = uow.clock.now().astimezone(zone).date()
    planned = reminders_for(
        k.kegiatan_id,
        event.unit,
        k.judul,
        k.jadwal.mulai,
        k.jadwal.selesai,
        uow.settings.reminder_days_before,
        uow.settings.realisation_days_after,
    )
    existing = await uow.reminders.for_kegiatan(k.kegiatan_id)
    for reminder in planned:
        status = "skipped" if missed_at_scheduling(reminder, today) else "pending"
        when = due_at(reminder.due_on, uow.settings.reminder_time, zone)
        row = existing.pop(reminder.kind, None)
        if row is None:
            await uow.reminders.insert(reminder, status=status, due_at=when)
        elif row.due_on == reminder.due_on and row.status in ("pending", "fired"):
            await uow.reminders.refresh(row.id, reminder)  # same day: never remind twice
        else:
            await uow.reminders.replace(row.id, reminder, status=status, due_at=when)
    # kinds no longer configured: forget those not sent yet
    await uow.reminders.delete([row.id for row in existing.values() if row.status != "fired"])


async def cancel_reminders(event: KegiatanCancelled, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
    await uow.reminders.close_pending(event.kegiatan_id, "cancelled")


async def complete_reminders(event: KegiatanCompleted, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
    await uow.reminders.close_pending(event.kegiatan_id, "completed")


# --- reporters ---------------------------------------------------------------------


async def record_receipt(event: LaporanSubmitted, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
    await uow.receipts.add(
        Receipt(
            laporan_id=event.laporan_id,
            kode_pelacakan=event.kode_pelacakan,
            unit=event.unit,
            kanal=event.kanal,
            diterima_pada=event.diterima_pada,
            event_id=envelope.id,
        )
    )


async def notify_reporter(event: PelaporNoticeRequested, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
    """The receipt and every status change, by email when the reporter gave one. The
    address stays sealed in this service's delivery row (the mail sender opens it); logs
    and events show the tracking code."""
    label = f"pelapor:{event.kode_pelacakan}"
    if event.email_tersegel:
        target = Target(Channel.EMAIL, event.email_tersegel, label, Mode.SEGERA)
    elif event.email:
        target = email(event.email, Mode.SEGERA, label=label)
    else:
        return
    body = f"{event.pesan.rstrip()}\n\nKode pelacakan laporan Anda: {event.kode_pelacakan}"
    await _notify_of(event, envelope, uow, event.subjek, body, [target])


# --- alerts and subscriptions -------------------------------------------------------


async def alert(event: Event, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
    for unit in alert_units(event.unit):
        subject, body = alert_message(event, envelope, unit)
        await _notify_of(event, envelope, uow, subject, body, await unit_targets(uow, unit))


async def notify_subscribers(event: Event, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
    subscriptions = await uow.subscriptions.matching(envelope.type, event.unit)
    if not subscriptions:
        return
    targets: list[Target] = []
    for s in subscriptions:
        if s.channel == Channel.WEBHOOK:
            targets.append(Target(Channel.WEBHOOK, s.id, f"webhook:{s.id}", subscription_id=s.id))
        elif s.channel == Channel.EMAIL and s.email:
            target = email(s.email, s.mode)
            targets.append(Target(target.channel, target.recipient, target.label, target.mode, s.id))
        elif s.channel == Channel.INBOX:
            owner = unit_owner(s.owner) if s.owner_kind == "unit" else user_owner(s.owner)
            targets.append(Target(Channel.INBOX, owner, owner, subscription_id=s.id))
    subject, body = event_message(event, envelope)
    await _notify_of(event, envelope, uow, subject, body, targets, webhook_body=cloud_event(event, envelope))


async def _notify_of(
    event: Event,
    envelope: Envelope,
    uow: NotificationUnitOfWork,
    subject: str,
    body: str,
    targets: Sequence[Target],
    webhook_body: bytes | None = None,
) -> None:
    """Messages caused by one event: one per target, never twice (the event id is the source)."""
    await notify(
        uow,
        source=envelope.id,
        event_type=envelope.type,
        unit=event.unit,
        subject=subject,
        body=body,
        targets=targets,
        webhook_body=webhook_body,
    )


# --- which an event type gets -------------------------------------------------------


def steps_for(event_type: type[Event]) -> list[Handler]:
    """The reactions one event type gets, in order (an alert's text wins over a
    subscription's when both reach the same inbox)."""
    if event_type.source == OWN_SOURCE:
        return []  # our own delivery records: notifying about them would never end
    steps: list[Handler] = []
    if issubclass(event_type, KegiatanScheduled | KegiatanRescheduled | KegiatanUpdated):
        # KegiatanUpdated: same days, so pending reminders keep their day and take the new title
        steps.append(schedule_reminders)
    if issubclass(event_type, KegiatanCancelled):
        steps.append(cancel_reminders)
    if issubclass(event_type, KegiatanCompleted):
        steps.append(complete_reminders)
    if issubclass(event_type, LaporanSubmitted):
        steps.append(record_receipt)
    if issubclass(event_type, PelaporNoticeRequested):
        steps.append(notify_reporter)
    if event_type.alert:
        steps.append(alert)
    if event_type.public:
        steps.append(notify_subscribers)
    return steps
