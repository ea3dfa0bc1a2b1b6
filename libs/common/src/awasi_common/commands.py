"""Commands and their dispatch, the same in every service.

A service's ``commands.py`` holds one frozen dataclass per use case (``SubmitLaporan``,
``BentukProgram``…), built by its HTTP schemas (``body.to_command()``) and by its consumers.
Its ``service_layer/handlers.py`` ends with one map ``HANDLERS = {Command: handler}``; the
composition root puts a ``CommandBus`` over that map and the unit-of-work factory on the app,
and the entrypoints only ever call ``bus.handle(command, principal)``. A handler is
``async def handler(command, principal, uow_factory)``; tests give the same bus a fake unit of
work to run handlers without a database or a broker.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from awasi_common.db import is_transient_conflict
from awasi_common.errors import Forbidden, StaleWrite
from awasi_common.principal import Principal

U = TypeVar("U")

CONFLICT_ATTEMPTS = 3
"""Runs of a command whose transaction collided with a concurrent one (a deadlock, a
serialization failure, a row whose version moved on between read and write): the transaction was
rolled back whole, so the command is simply run again, on what is there now. The person who sent
it gave no version of their own: a background step (a deadline alert) changing the same laporan a
moment earlier is no reason to refuse them."""

Handler = Callable[[Any, Principal | None, Callable[[], U]], Awaitable[Any]]


class CommandBus(Generic[U]):
    def __init__(self, handlers: Mapping[type, Handler[U]], uow_factory: Callable[[], U]) -> None:
        self._handlers = handlers
        self.uow_factory = uow_factory

    async def handle(self, command: object, principal: Principal | None = None) -> Any:
        """Run ``command``'s handler; None for ``principal`` is no signed-in person: the service
        itself (a consumer, a job) or an anonymous request to a public form (reporting's intake,
        a reporter completing their laporan with its code). Handlers that need a person call
        ``signed_in``."""
        try:
            handler = self._handlers[type(command)]
        except KeyError:
            raise LookupError(f"no handler for {type(command).__name__}") from None
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                return await handler(command, principal, self.uow_factory)
            except (sa.exc.DBAPIError, StaleWrite) as error:
                transient = isinstance(error, StaleWrite) or is_transient_conflict(error)
                if attempt == CONFLICT_ATTEMPTS or not transient:
                    raise
                await asyncio.sleep(random.uniform(0.005, 0.05) * attempt)  # let the other one finish
        raise AssertionError("unreachable")


def signed_in(principal: Principal | None) -> Principal:
    """The principal of a use case only a signed-in person may run (None is the service itself)."""
    if principal is None:
        raise Forbidden("Tindakan ini memerlukan pengguna yang masuk.")
    return principal
