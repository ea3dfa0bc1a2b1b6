"""Notification's consumer group and the events it handles.

The handlers are built from the catalog when the service starts: every event type that has a
reaction (every public event, every alert, and the internal ones notification is meant to
read) is subscribed, so types other services add later are consumed after a restart with no
change here.
"""

from __future__ import annotations

from collections.abc import Mapping

from awasi_common.events import CATALOG
from awasi_common.events.base import Event
from awasi_common.events.envelope import Envelope
from awasi_common.messaging import Consumer, EventHandler
from awasi_notification.service_layer.reactions import Handler, steps_for
from awasi_notification.service_layer.unit_of_work import NotificationUnitOfWork, UowFactory

GROUP = "awasi.notification"


def _chain(steps: list[Handler]) -> EventHandler:
    async def handle(event: Event, envelope: Envelope, uow: NotificationUnitOfWork) -> None:
        for step in steps:
            await step(event, envelope, uow)

    return handle


def handlers_for(catalog: Mapping[str, type[Event]]) -> dict[type[Event], EventHandler]:
    handlers: dict[type[Event], EventHandler] = {}
    for event_type in catalog.values():
        steps = steps_for(event_type)
        if steps:
            handlers[event_type] = _chain(steps)
    return handlers


def consumer(uow_factory: UowFactory) -> Consumer:
    return Consumer(group=GROUP, handlers=handlers_for(CATALOG), uow_factory=uow_factory)
