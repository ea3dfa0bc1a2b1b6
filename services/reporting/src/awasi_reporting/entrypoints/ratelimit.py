"""Per-client rate limits on the public intake and status look-ups (library ``limits``).

Only accepted laporan count against the intake limit (a reporter correcting a form is not
held back); every status look-up counts, so guessing secrets is slow.

A client is known only by a keyed hash of its address, with a key made when the process
starts and never written anywhere: the counters live in memory, and no IP address is stored
for an anonymous reporter, neither here nor with the laporan. The address itself is moved
out of the ASGI scope before tracing sees it (``bootstrap.forget_client_address``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from fastapi import Request
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

CLIENT_SCOPE_KEY = "awasi.client"
"""Where the client's (host, port) is kept in the ASGI scope, out of sight of tracing."""


class ClientRateLimiter:
    def __init__(self, *, intake: str, status: str, trust_forwarded_for: bool = False) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._salt = secrets.token_bytes(32)
        self._limits = {"intake": parse_many(intake), "status": parse_many(status)}
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

    def _retry_after(self, item: object, scope: str, key: str) -> int:
        stats = self._limiter.get_window_stats(item, scope, key)  # type: ignore[arg-type]
        return max(1, int(stats.reset_time - time.time()) + 1)


def rate_limit_message(retry_after: int) -> str:
    minutes = max(1, round(retry_after / 60))
    return f"Terlalu banyak permintaan dari perangkat Anda dalam waktu singkat. Coba lagi sekitar {minutes} menit lagi."
