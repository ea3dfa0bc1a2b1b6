"""Per-client rate limits on public endpoints (library ``limits``), by named scope.

A client is known only by a keyed hash of its address, with a key made when the process
starts and never written anywhere: the counters live in memory, and no IP address is stored.
(Reporting also moves the address out of the ASGI scope before tracing sees it, for anonymous
reporters: ``CLIENT_SCOPE_KEY``.) Counters are per process: with several replicas each keeps
its own.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Mapping

from fastapi import HTTPException, Request
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

CLIENT_SCOPE_KEY = "awasi.client"
"""Where the client's (host, port) is kept in the ASGI scope, out of sight of tracing."""


class ClientRateLimiter:
    def __init__(self, limits: Mapping[str, str], *, trust_forwarded_for: bool = False) -> None:
        """``limits``: scope -> ``limits`` notation, e.g. ``{"intake": "5/minute;30/hour"}``."""
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._salt = secrets.token_bytes(32)
        self._limits = {scope: parse_many(notation) for scope, notation in limits.items()}
        self._trust_forwarded_for = trust_forwarded_for

    def client_key(self, request: Request) -> str:
        client = request.scope.get(CLIENT_SCOPE_KEY) or request.scope.get("client")
        address = str(client[0]) if client else "-"
        if self._trust_forwarded_for:
            forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
            address = forwarded or address
        return hmac.new(self._salt, address.encode(), hashlib.sha256).hexdigest()[:32]

    def hit(self, scope: str, request: Request) -> int | None:
        """Count one request; None when allowed, else the seconds to wait."""
        key = self.client_key(request)
        for item in self._limits[scope]:
            if not self._limiter.hit(item, scope, key):
                return self._retry_after(item, scope, key)
        return None

    def check(self, scope: str, request: Request) -> int | None:
        """Whether one more request would be allowed, without counting it (None when it would)."""
        key = self.client_key(request)
        for item in self._limits[scope]:
            if not self._limiter.test(item, scope, key):
                return self._retry_after(item, scope, key)
        return None

    def enforce(self, scope: str, request: Request) -> None:
        """Count one request, or refuse it with 429 and Retry-After."""
        retry_after = self.hit(scope, request)
        if retry_after is not None:
            raise HTTPException(
                status_code=429, detail=rate_limit_message(retry_after), headers={"Retry-After": str(retry_after)}
            )

    def _retry_after(self, item: object, scope: str, key: str) -> int:
        stats = self._limiter.get_window_stats(item, scope, key)  # type: ignore[arg-type]
        return max(1, int(stats.reset_time - time.time()) + 1)


def rate_limit_message(retry_after: int) -> str:
    minutes = max(1, round(retry_after / 60))
    return f"Terlalu banyak permintaan dari perangkat Anda dalam waktu singkat. Coba lagi sekitar {minutes} menit lagi."


def limited(scope: str) -> Callable[[Request], None]:
    """A route dependency: ``dependencies=[Depends(limited("publik"))]``, with the limiter on
    ``app.state.rate_limiter``."""

    def dependency(request: Request) -> None:
        limiter: ClientRateLimiter = request.app.state.rate_limiter
        limiter.enforce(scope, request)

    return dependency
