"""Events the notification service publishes about its deliveries."""

from __future__ import annotations

from typing import ClassVar

from awasi_common.events.base import Event

DELIVERY_TOPIC = "awasi.notification.delivery.v1"


class _DeliveryEvent(Event):
    topic: ClassVar[str] = DELIVERY_TOPIC
    source: ClassVar[str] = "/awasi/notification"
    key_field: ClassVar[str] = "delivery_id"

    delivery_id: str
    channel: str
    """email, webhook or inbox."""
    recipient: str
    event_type: str
    event_id: str


class NotificationDelivered(_DeliveryEvent):
    name: ClassVar[str] = "NotificationDelivered"

    attempts: int


class NotificationFailed(_DeliveryEvent):
    name: ClassVar[str] = "NotificationFailed"

    attempts: int
    error: str
