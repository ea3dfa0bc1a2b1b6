from __future__ import annotations

from typing import Self

from awasi_common.uow import UnitOfWork
from awasi_notification.adapters.repository import (
    ContactRepository,
    DeliveryRepository,
    ReminderRepository,
    SubscriptionRepository,
)


class NotificationUnitOfWork(UnitOfWork):
    deliveries: DeliveryRepository
    subscriptions: SubscriptionRepository
    contacts: ContactRepository
    reminders: ReminderRepository

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.deliveries = DeliveryRepository(self.session)
        self.subscriptions = SubscriptionRepository(self.session)
        self.contacts = ContactRepository(self.session)
        self.reminders = ReminderRepository(self.session)
        return self
