"""Calendar feed tokens: what a calendar application puts in the feed's address instead of a
bearer token (issue 15, item 6).

A person makes one per application; it is opaque (no claims to read), only opens the calendar
feed (read-only), holds the unit, role and divisi the person had when it was made, and stays
until revoked. Only its SHA-256 is kept: the token itself is shown once, when made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from awasi_common.principal import Principal

PREFIX = "awk_"
"""Tells a feed token from a JWT at a glance (and to secret scanners)."""
PALING_BANYAK = 20
"""Feed tokens one person may hold at once (revoked ones do not count)."""


def sidik(token: str) -> str:
    """The stored form: SHA-256 of a 256-bit random token (no salt needed at that entropy)."""
    return hashlib.sha256(token.encode()).hexdigest()


def mirip_jwt(token: str) -> bool:
    return token.startswith("eyJ") or token.count(".") == 2


@dataclass
class TokenKalender:
    id: str
    sidik: str
    subjek: str
    unit: str
    role: str
    divisi: str | None
    label: str
    dibuat_pada: dt.datetime
    dicabut_pada: dt.datetime | None = None

    @classmethod
    def buat(cls, principal: Principal, label: str, now: dt.datetime) -> tuple[TokenKalender, str]:
        """The token record and the token itself (shown once)."""
        token = PREFIX + secrets.token_urlsafe(32)
        record = cls(
            id=str(uuid.uuid4()),
            sidik=sidik(token),
            subjek=principal.subject,
            unit=principal.unit,
            role=principal.role.value,
            divisi=principal.divisi.value if principal.divisi else None,
            label=label,
            dibuat_pada=now,
        )
        return record, token

    def principal(self) -> Principal:
        return Principal(subject=self.subjek, role=self.role, unit=self.unit, divisi=self.divisi)
