"""Identity's background loop: every replica reloads the signing keys now and then (another
replica may have rotated them) and rotates the key that reached its age."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from awasi_common.commands import CommandBus
from awasi_identity.commands import RotasiKunci
from awasi_identity.settings import IdentitySettings

log = logging.getLogger(__name__)


def jobs(bus: CommandBus[Any], settings: IdentitySettings) -> list[Callable[[], Awaitable[None]]]:
    async def keys() -> None:
        while True:
            try:
                await bus.handle(RotasiKunci())
            except Exception:
                log.exception("identity: loading the signing keys failed; trying again")
            await asyncio.sleep(settings.key_check_seconds)

    return [keys]
