"""Recording messages: one delivery row per source, channel and recipient, written in the
caller's transaction. An inbox message is delivered there and then; email and webhook rows
wait for the delivery worker, which marks them sent only after the SMTP server or the
receiver accepted them — an outage delays a message and never loses it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from awasi_common.events.notification import NotificationDelivered
from awasi_notification.domain.deliveries import Channel, Mode, NewDelivery, Status, dedup_key
from awasi_notification.domain.recipients import unit_owner
from awasi_notification.service_layer.unit_of_work import NotificationUnitOfWork


@dataclass(frozen=True)
class Target:
    channel: Channel
    recipient: str
    """Inbox owner, email address or webhook subscription id."""
    label: str
    """What logs and events show (a reporter's address never)."""
    mode: Mode = Mode.SEGERA
    subscription_id: str | None = None


def inbox(owner: str) -> Target:
    return Target(Channel.INBOX, owner, owner)


def email(address: str, mode: Mode | str = Mode.SEGERA, label: str | None = None) -> Target:
    address = address.strip().lower()
    return Target(Channel.EMAIL, address, label or address, Mode(mode))


async def unit_targets(uow: NotificationUnitOfWork, unit: str) -> list[Target]:
    """Everything addressed to a unit: its inbox, and its contact addresses when it gave any."""
    targets = [inbox(unit_owner(unit))]
    contact = (await uow.contacts.for_units([unit])).get(unit)
    if contact is not None:
        targets += [email(address, contact.mode) for address in contact.emails]
    return targets


async def notify(
    uow: NotificationUnitOfWork,
    *,
    source: str,
    event_type: str,
    unit: str,
    subject: str,
    body: str,
    targets: Sequence[Target],
    webhook_body: bytes | None = None,
) -> int:
    """Record one message per target; return how many were new (the rest were recorded before)."""
    settings = uow.settings
    now = uow.clock.now()
    recorded = 0
    for target in targets:
        if target.channel == Channel.INBOX:
            status, max_attempts, text = Status.SENT, 1, body
        elif target.channel == Channel.EMAIL:
            status = Status.DIGEST_PENDING if target.mode == Mode.RINGKASAN_HARIAN else Status.PENDING
            max_attempts, text = settings.email_max_attempts, body
        else:
            if webhook_body is None:
                continue
            status, max_attempts = Status.PENDING, settings.webhook_max_attempts
            text = webhook_body.decode()
        new = NewDelivery(
            id=str(uuid.uuid4()),
            dedup_key=dedup_key(source, target.channel, target.recipient),
            channel=target.channel,
            recipient=target.recipient,
            recipient_label=target.label,
            subscription_id=target.subscription_id,
            event_type=event_type,
            event_id=source,
            unit=unit,
            subject=subject,
            body=text,
            status=status,
            max_attempts=max_attempts,
            created_at=now,
        )
        if not await uow.deliveries.add(new):
            continue
        recorded += 1
        if target.channel == Channel.INBOX:
            await uow.deliveries.add_inbox_message(new, target.recipient, str(uuid.uuid4()))
            uow.publish(
                NotificationDelivered(
                    unit=unit,
                    delivery_id=new.id,
                    channel=new.channel,
                    recipient=new.recipient_label,
                    event_type=event_type,
                    event_id=source,
                    attempts=1,
                )
            )
    return recorded
