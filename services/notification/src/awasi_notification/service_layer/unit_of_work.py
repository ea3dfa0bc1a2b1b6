from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from awasi_common.uow import UnitOfWork
from awasi_notification.adapters.clock import Clock
from awasi_notification.adapters.egress import Resolver, system_resolver
from awasi_notification.adapters.repository import (
    ContactRepository,
    DeliveryRepository,
    ReceiptRepository,
    ReminderRepository,
    SubscriptionIndex,
    SubscriptionRepository,
)
from awasi_notification.settings import NotificationSettings


@dataclass
class Collaborators:
    """What handlers use beside the tables: one set per process, built by the composition root
    and handed to every unit of work (a test swaps one part, the resolver say)."""

    settings: NotificationSettings
    clock: Clock = field(default_factory=Clock)
    resolver: Resolver = system_resolver
    """Resolves a webhook's host name when it is registered."""
    subscription_index: SubscriptionIndex = field(default_factory=SubscriptionIndex)
    """Shared by all units of work of the process."""


class NotificationUnitOfWork(UnitOfWork):
    deliveries: DeliveryRepository
    subscriptions: SubscriptionRepository
    contacts: ContactRepository
    reminders: ReminderRepository
    receipts: ReceiptRepository

    def __init__(self, *args: Any, collaborators: Collaborators, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = collaborators.settings
        self.clock = collaborators.clock
        self.resolver = collaborators.resolver
        self._index = collaborators.subscription_index

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.deliveries = DeliveryRepository(self.session)
        self.subscriptions = SubscriptionRepository(self.session, self._index)
        self.contacts = ContactRepository(self.session)
        self.reminders = ReminderRepository(self.session)
        self.receipts = ReceiptRepository(self.session)
        return self

    async def commit(self) -> None:
        await self.receipts.flush()
        await super().commit()

    async def rollback(self) -> None:
        self.receipts.discard()
        await super().rollback()


UowFactory = Callable[[], NotificationUnitOfWork]
