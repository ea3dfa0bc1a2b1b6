"""Planning's consumer group: what it hears of other services."""

from __future__ import annotations

from collections.abc import Callable

from awasi_common.events.identity import AccountChanged, AccountDisabled
from awasi_common.messaging import Consumer
from awasi_common.uow import UnitOfWork
from awasi_planning.service_layer import handlers

GROUP = "awasi.planning"


def consumer(uow_factory: Callable[[], UnitOfWork], group: str = GROUP) -> Consumer:
    return Consumer(
        group=group,
        handlers={
            AccountDisabled: handlers.revoke_feed_tokens_of_disabled,
            AccountChanged: handlers.revoke_feed_tokens_of_moved,
        },
        uow_factory=uow_factory,
    )
