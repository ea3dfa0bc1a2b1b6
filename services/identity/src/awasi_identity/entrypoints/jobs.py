"""Identity's background loops: every replica reloads the signing keys now and then (another
replica may have rotated them) and rotates the key that reached its age; expired refresh
tokens are deleted once an hour."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from awasi_common.commands import CommandBus
from awasi_identity.commands import HapusTokenKedaluwarsa, RotasiKunci
from awasi_identity.settings import IdentitySettings

log = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 3600.0
EXPIRED_KEPT = dt.timedelta(days=1)
"""An expired refresh token is kept a day, so that its reuse is still recognised in the audit."""


def jobs(bus: CommandBus[Any], settings: IdentitySettings) -> list[Callable[[], Awaitable[None]]]:
    async def every(seconds: float, command: Callable[[], object], what: str) -> None:
        while True:
            try:
                await bus.handle(command())
            except Exception:
                log.exception("identity: %s failed; trying again", what)
            await asyncio.sleep(seconds)

    def expired() -> HapusTokenKedaluwarsa:
        return HapusTokenKedaluwarsa(sebelum=dt.datetime.now(dt.UTC) - EXPIRED_KEPT)

    async def keys() -> None:
        await every(settings.key_check_seconds, RotasiKunci, "loading the signing keys")

    async def housekeeping() -> None:
        await every(HOUSEKEEPING_SECONDS, expired, "deleting expired refresh tokens")

    return [keys, housekeeping]
