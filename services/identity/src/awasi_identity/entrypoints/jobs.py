"""Identity's background loops: every replica reloads the signing keys now and then (another
replica may have rotated them) and rotates the key that reached its age; expired refresh
tokens are deleted once an hour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from awasi_common.commands import CommandBus
from awasi_common.jobs import every
from awasi_identity.commands import HapusTokenKedaluwarsa, RotasiKunci
from awasi_identity.settings import IdentitySettings

HOUSEKEEPING_SECONDS = 3600.0
EXPIRED_KEPT = dt.timedelta(days=1)
"""An expired refresh token is kept a day, so that its reuse is still recognised in the audit."""


def jobs(bus: CommandBus[Any], settings: IdentitySettings) -> list[Callable[[], Awaitable[None]]]:
    def keys() -> Awaitable[object]:
        return bus.handle(RotasiKunci())

    def expired() -> Awaitable[object]:
        return bus.handle(HapusTokenKedaluwarsa(sebelum=dt.datetime.now(dt.UTC) - EXPIRED_KEPT))

    return [
        partial(every, settings.key_check_seconds, keys, "identity: loading the signing keys"),
        partial(every, HOUSEKEEPING_SECONDS, expired, "identity: deleting expired refresh tokens"),
    ]
