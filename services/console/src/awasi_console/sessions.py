"""Server-side sessions: the browser holds only a random session id (HttpOnly, SameSite=Lax
cookie); the person's tokens and the session's CSRF token stay here, in this process's memory.

A session is forgotten after ``session_idle_minutes`` unused or ``session_max_hours`` after it
began, whichever comes first; the least recently used go first when more than ``sessions_max``
are open. Signing in always starts a new session id (no fixation), signing out forgets it.
Running the console as several processes needs sticky sessions (one process per browser).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

COOKIE = "awasi_sesi"


@dataclass
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: float
    """Epoch seconds at which the access token expires."""


@dataclass
class Pending:
    """A sign-in waiting for its authenticator code: held here, never sent back to the browser."""

    email: str
    password: str
    until: float


@dataclass
class Session:
    id: str
    csrf: str
    created: float
    last_seen: float
    tokens: Tokens | None = None
    claims: dict[str, Any] = field(default_factory=dict)
    pending: Pending | None = None
    flash: list[tuple[str, str]] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def signed_in(self) -> bool:
        return self.tokens is not None

    @property
    def subject(self) -> str:
        return str(self.claims.get("sub", ""))

    @property
    def unit(self) -> str:
        return str(self.claims.get("unit", ""))

    @property
    def role(self) -> str:
        return str(self.claims.get("role", ""))

    def csrf_ok(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf.encode(), str(token).encode())

    def say(self, message: str, kind: str = "ok") -> None:
        """A message for the next page shown (after a redirect)."""
        self.flash.append((kind, message))
        del self.flash[:-5]

    def take_flash(self) -> list[tuple[str, str]]:
        messages, self.flash = self.flash, []
        return messages


def claims_of(access_token: str) -> dict[str, Any]:
    """The claims of a token identity has just issued to us over our own connection; the
    services verify its signature, the console only reads who it is for."""
    try:
        payload = access_token.split(".")[1]
        padded = payload + "=" * (-len(payload) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (IndexError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


class SessionStore:
    def __init__(self, *, idle_seconds: float, max_seconds: float, capacity: int) -> None:
        self._idle = idle_seconds
        self._max = max_seconds
        self._capacity = capacity
        self._sessions: OrderedDict[str, Session] = OrderedDict()

    @staticmethod
    def _key(session_id: str) -> str:
        """Sessions are found by a digest of their id: a look-up's timing says nothing of the ids."""
        return hashlib.sha256(session_id.encode()).hexdigest()

    def new(self) -> Session:
        now = time.time()
        session = Session(id=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32), created=now, last_seen=now)
        self._sessions[self._key(session.id)] = session
        while len(self._sessions) > self._capacity:
            self._sessions.popitem(last=False)
        return session

    def get(self, session_id: str | None, *, touch: bool = True) -> Session | None:
        """``touch=False``: a request the page makes by itself (the inbox's polling) does not
        count as use, so an open tab left alone still ends its session when idle."""
        if not session_id or len(session_id) > 100:
            return None
        key = self._key(session_id)
        session = self._sessions.get(key)
        if session is None:
            return None
        now = time.time()
        if now - session.last_seen > self._idle or now - session.created > self._max:
            del self._sessions[key]
            return None
        if touch:
            session.last_seen = now
            self._sessions.move_to_end(key)
        return session

    def renew(self, old: Session) -> Session:
        """A new id (and CSRF token) for a session that signs in; the old id no longer works."""
        self.drop(old)
        session = self.new()
        session.flash = old.flash
        return session

    def drop(self, session: Session) -> None:
        self._sessions.pop(self._key(session.id), None)

    def expired(self) -> list[Session]:
        """Remove and return the sessions past their time (their tokens are then revoked)."""
        now = time.time()
        gone = [
            key for key, s in self._sessions.items() if now - s.last_seen > self._idle or now - s.created > self._max
        ]
        return [self._sessions.pop(key) for key in gone]

    def __len__(self) -> int:
        return len(self._sessions)
