"""Per-client rate limits on the public intake and status look-ups (library ``limits``).

A client is known only by a keyed hash of its address, with a key made when the process
starts and never written anywhere: the counters live in memory, and no IP address is stored
for an anonymous reporter, neither here nor with the laporan.
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


class ClientRateLimiter:
    def __init__(self, *, intake: str, status: str, trust_forwarded_for: bool = False) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._salt = secrets.token_bytes(32)
        self._limits = {"intake": parse_many(intake), "status": parse_many(status)}
        self._trust_forwarded_for = trust_forwarded_for

    def client_key(self, request: Request) -> str:
        address = request.client.host if request.client else "-"
        if self._trust_forwarded_for:
            forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
            address = forwarded or address
        return hmac.new(self._salt, address.encode(), hashlib.sha256).hexdigest()[:32]

    def hit(self, scope: str, request: Request) -> int | None:
        """Count one request; None when allowed, else the seconds to wait."""
        key = self.client_key(request)
        for item in self._limits[scope]:
            if not self._limiter.hit(item, scope, key):
                stats = self._limiter.get_window_stats(item, scope, key)
                return max(1, int(stats.reset_time - time.time()) + 1)
        return None


def rate_limit_message(retry_after: int) -> str:
    minutes = max(1, round(retry_after / 60))
    return f"Terlalu banyak permintaan dari perangkat Anda dalam waktu singkat. Coba lagi sekitar {minutes} menit lagi."
