"""Per-client rate limits on public endpoints (library ``limits``), by named scope.

A client is known only by a keyed hash of its address: no IP address is stored, in memory or
in Redis. The address is the connection's peer; the server takes it from ``X-Forwarded-For``
only when that peer is one of the configured proxies (``AWASI_TRUSTED_PROXIES``, uvicorn's
``forwarded_allow_ips``), never from a header any client can send. (Reporting also moves the
address out of the ASGI scope before tracing sees it, for anonymous reporters:
``CLIENT_SCOPE_KEY``.)

Counters live in the process by default. With ``AWASI_REDIS_URL`` they live in Redis, shared
by every worker process and replica, and the hash key is derived from a secret all replicas
share, so one client is one counter wherever its requests land.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from typing import Any

from fastapi import Request
from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from awasi_common.settings import PlatformSettings

CLIENT_SCOPE_KEY = "awasi.client"
"""Where the client's (host, port) is kept in the ASGI scope, out of sight of tracing."""


def _storage(redis_url: str | None) -> Storage:
    if not redis_url:
        return MemoryStorage()
    # limits names its asyncio Redis storage "async+redis"; redis-py is the client.
    uri = "async+" + redis_url if not redis_url.startswith("async+") else redis_url
    storage = storage_from_string(uri, implementation="redispy", key_prefix="awasi-batas")
    assert isinstance(storage, Storage)  # an "async+" scheme gives the asyncio storage
    return storage


class ClientRateLimiter:
    def __init__(self, limits: Mapping[str, str], *, redis_url: str | None = None, shared_secret: str = "") -> None:
        """``limits``: scope -> ``limits`` notation, e.g. ``{"intake": "5/minute;30/hour"}``.
        ``shared_secret`` keys the client hash when counters are shared through Redis."""
        self._limiter = MovingWindowRateLimiter(_storage(redis_url))
        self._salt = (
            hmac.new(shared_secret.encode(), b"awasi-rate-limit-client", hashlib.sha256).digest()
            if redis_url
            else secrets.token_bytes(32)
        )
        self._limits: dict[str, list[RateLimitItem]] = {
            scope: parse_many(notation) for scope, notation in limits.items()
        }

    def client_key(self, scope: Mapping[str, Any]) -> str:
        client = scope.get(CLIENT_SCOPE_KEY) or scope.get("client")
        address = str(client[0]) if client else "-"
        return hmac.new(self._salt, address.encode(), hashlib.sha256).hexdigest()[:32]

    async def hit_scope(self, name: str, scope: Mapping[str, Any]) -> int | None:
        """Count one request of the ASGI ``scope``; None when allowed, else the seconds to wait."""
        key = self.client_key(scope)
        for item in self._limits[name]:
            if not await self._limiter.hit(item, name, key):
                return await self._retry_after(item, name, key)
        return None

    async def hit(self, name: str, request: Request) -> int | None:
        return await self.hit_scope(name, request.scope)

    async def check(self, name: str, request: Request) -> int | None:
        """Whether one more request would be allowed, without counting it (None when it would)."""
        key = self.client_key(request.scope)
        for item in self._limits[name]:
            if not await self._limiter.test(item, name, key):
                return await self._retry_after(item, name, key)
        return None

    async def _retry_after(self, item: RateLimitItem, name: str, key: str) -> int:
        stats = await self._limiter.get_window_stats(item, name, key)
        return max(1, int(stats.reset_time - time.time()) + 1)


def rate_limiter(platform: PlatformSettings, limits: Mapping[str, str]) -> ClientRateLimiter:
    """A service's limiter: in Redis when the deployment has one, in the process otherwise."""
    return ClientRateLimiter(limits, redis_url=platform.redis_url, shared_secret=platform.rate_limit_key)


def rate_limit_message(retry_after: int) -> str:
    minutes = max(1, round(retry_after / 60))
    return f"Terlalu banyak permintaan dari perangkat Anda dalam waktu singkat. Coba lagi sekitar {minutes} menit lagi."
