"""Events the notification service publishes about its deliveries."""

from __future__ import annotations

from typing import ClassVar

from awasi_common.events.base import Event

DELIVERY_TOPIC = "awasi.notification.delivery.v1"


class _DeliveryEvent(Event):
    """Internal: a record of one delivery. Not offered to agencies (``public = False``): the
    recipient of an email is a person's address, and a delivery is no fact about an election."""

    topic: ClassVar[str] = DELIVERY_TOPIC
    source: ClassVar[str] = "/awasi/notification"
    key_field: ClassVar[str] = "delivery_id"
    public: ClassVar[bool] = False

    delivery_id: str
    channel: str
    """email, webhook or inbox."""
    recipient: str
    """The email address, ``unit:<code>`` or ``user:<subject>`` for an inbox, the subscription
    id of a webhook, or ``pelapor:<kode pelacakan>`` for a reporter (never their address)."""
    event_type: str
    """The CloudEvents type notified about, a reminder (``awasi.notification.pengingat``) or the
    daily digest (``awasi.notification.ringkasan-harian``)."""
    event_id: str


class NotificationDelivered(_DeliveryEvent):
    name: ClassVar[str] = "NotificationDelivered"

    attempts: int


class NotificationFailed(_DeliveryEvent):
    name: ClassVar[str] = "NotificationFailed"

    attempts: int
    error: str
