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

Both are moving windows: a request is refused when the window before it already holds the
limit's number of counted requests; a refused request is not counted. In Redis that is
``limits``' moving window. In the process it is ``_Windows``: per client the times of its last
counted requests (at most the largest limit's number), kept in order of last use, so a hit costs
the same with one client or a hundred thousand. ``limits``' own in-process storage was not used:
after each hit it scheduled an expiry pass over every client key, one thread hop per key
(docs/performance.md, #33).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import Request
from limits import RateLimitItem, parse_many
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from awasi_common.settings import PlatformSettings

CLIENT_SCOPE_KEY = "awasi.client"
"""Where the client's (host, port) is kept in the ASGI scope, out of sight of tracing."""


MAX_CLIENTS = 100_000
"""Clients remembered per scope in the process; past it the one not seen for longest is forgotten."""


class _Windows:
    """One scope's moving windows in the process: per client the times of its last counted hits.

    A client's times are dropped once its longest window has passed them (a few per hit, from the
    least recently seen end) or, past ``max_clients``, when it is the least recently seen: a client
    that keeps knocking stays remembered, only quiet ones can be forgotten."""

    def __init__(self, items: Sequence[RateLimitItem], max_clients: int) -> None:
        self._rules = [(item.amount, float(item.get_expiry())) for item in items]
        self._keep = max(amount for amount, _ in self._rules)
        self._longest = max(window for _, window in self._rules)
        self._max_clients = max_clients
        self._clients: OrderedDict[str, array[float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._clients)

    def wait(self, key: str, now: float) -> float | None:
        """Seconds until ``key`` may be counted again (the longest of its full windows), or None."""
        times = self._clients.get(key)
        longest = 0.0
        for amount, window in self._rules:
            if amount <= 0:
                longest = max(longest, window)
            elif times is not None and len(times) >= amount:
                # Nothing over the limit is ever counted, so a full window's oldest hit is this one.
                longest = max(longest, times[-amount] + window - now)
        return longest if longest > 0 else None

    def hit(self, key: str, now: float) -> float | None:
        wait = self.wait(key, now)
        clients = self._clients
        times = clients.get(key)
        if times is None:
            if wait is not None:
                return wait
            times = clients[key] = array("d")
        else:
            clients.move_to_end(key)
            if wait is not None:
                return wait
        times.append(now)
        if len(times) > self._keep:
            del times[0]
        for _ in range(2):  # more than one per hit: the forgotten keep up with the new
            if not clients:
                break
            oldest = next(iter(clients))
            if clients[oldest][-1] > now - self._longest and len(clients) <= self._max_clients:
                break
            del clients[oldest]
        return None


def _storage(redis_url: str) -> Storage:
    # limits names its asyncio Redis storage "async+redis"; redis-py is the client.
    uri = "async+" + redis_url if not redis_url.startswith("async+") else redis_url
    storage = storage_from_string(uri, implementation="redispy", key_prefix="awasi-batas")
    assert isinstance(storage, Storage)  # an "async+" scheme gives the asyncio storage
    return storage


def _seconds(wait: float) -> int:
    return max(1, int(wait) + 1)


class ClientRateLimiter:
    def __init__(
        self,
        limits: Mapping[str, str],
        *,
        redis_url: str | None = None,
        shared_secret: str = "",
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``limits``: scope -> ``limits`` notation, e.g. ``{"intake": "5/minute;30/hour"}``.
        ``shared_secret`` keys the client hash when counters are shared through Redis.
        ``max_clients`` and ``clock`` are for the in-process windows only."""
        self._limits: dict[str, list[RateLimitItem]] = {
            scope: parse_many(notation) for scope, notation in limits.items()
        }
        self._limiter = MovingWindowRateLimiter(_storage(redis_url)) if redis_url else None
        self._windows = {scope: _Windows(items, max_clients) for scope, items in self._limits.items()}
        self._clock = clock
        self._salt = (
            hmac.new(shared_secret.encode(), b"awasi-rate-limit-client", hashlib.sha256).digest()
            if redis_url
            else secrets.token_bytes(32)
        )

    def client_key(self, scope: Mapping[str, Any]) -> str:
        client = scope.get(CLIENT_SCOPE_KEY) or scope.get("client")
        address = str(client[0]) if client else "-"
        return hmac.new(self._salt, address.encode(), hashlib.sha256).hexdigest()[:32]

    async def hit_scope(self, name: str, scope: Mapping[str, Any]) -> int | None:
        """Count one request of the ASGI ``scope``; None when allowed, else the seconds to wait."""
        key = self.client_key(scope)
        if self._limiter is None:
            wait = self._windows[name].hit(key, self._clock())
            return None if wait is None else _seconds(wait)
        for item in self._limits[name]:
            if not await self._limiter.hit(item, name, key):
                return await self._retry_after(item, name, key)
        return None

    async def hit(self, name: str, request: Request) -> int | None:
        return await self.hit_scope(name, request.scope)

    async def check(self, name: str, request: Request) -> int | None:
        """Whether one more request would be allowed, without counting it (None when it would)."""
        key = self.client_key(request.scope)
        if self._limiter is None:
            wait = self._windows[name].wait(key, self._clock())
            return None if wait is None else _seconds(wait)
        for item in self._limits[name]:
            if not await self._limiter.test(item, name, key):
                return await self._retry_after(item, name, key)
        return None

    async def _retry_after(self, item: RateLimitItem, name: str, key: str) -> int:
        assert self._limiter is not None
        stats = await self._limiter.get_window_stats(item, name, key)
        return _seconds(stats.reset_time - time.time())


def rate_limiter(platform: PlatformSettings, limits: Mapping[str, str]) -> ClientRateLimiter:
    """A service's limiter: in Redis when the deployment has one, in the process otherwise."""
    return ClientRateLimiter(limits, redis_url=platform.redis_url, shared_secret=platform.rate_limit_key)


def rate_limit_message(retry_after: int) -> str:
    minutes = max(1, round(retry_after / 60))
    return f"Terlalu banyak permintaan dari perangkat Anda dalam waktu singkat. Coba lagi sekitar {minutes} menit lagi."
