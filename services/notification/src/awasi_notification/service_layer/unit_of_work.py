from __future__ import annotations

from typing import Self

from awasi_common.uow import UnitOfWork
from awasi_notification.adapters.repository import (
    ContactRepository,
    DeliveryRepository,
    ReceiptRepository,
    ReminderRepository,
    SubscriptionIndex,
    SubscriptionRepository,
)


class NotificationUnitOfWork(UnitOfWork):
    deliveries: DeliveryRepository
    subscriptions: SubscriptionRepository
    contacts: ContactRepository
    reminders: ReminderRepository
    receipts: ReceiptRepository
    subscription_index: SubscriptionIndex
    """One per service (its composition root sets it): shared by all its units of work."""

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.deliveries = DeliveryRepository(self.session)
        self.subscriptions = SubscriptionRepository(self.session, self.subscription_index)
        self.contacts = ContactRepository(self.session)
        self.reminders = ReminderRepository(self.session)
        self.receipts = ReceiptRepository(self.session)
        return self
