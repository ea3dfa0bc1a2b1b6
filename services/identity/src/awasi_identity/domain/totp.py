"""Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the second
factor of the roles that see reporters' identities or manage accounts: admin, pimpinan and
penanganan. A code is accepted one step early or late (clocks drift) and never twice."""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import secrets
from urllib.parse import quote

from awasi_common.vocabulary import Role

PERAN_WAJIB_TOTP = frozenset({Role.ADMIN, Role.PIMPINAN, Role.PENANGANAN})
LANGKAH_DETIK = 30
DIGIT = 6
PENERBIT = "Awasi Bawaslu"


def rahasia_totp_baru() -> str:
    """160 random bits in base32, as authenticator apps take them."""
    return base64.b32encode(secrets.token_bytes(20)).decode()


def langkah(now: dt.datetime) -> int:
    return int(now.timestamp()) // LANGKAH_DETIK


def kode_pada(rahasia: str, step: int, digit: int = DIGIT) -> str:
    digest = hmac.new(base64.b32decode(rahasia), step.to_bytes(8, "big"), "sha1").digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 10**digit:0{digit}d}"


def cocokkan(rahasia: str, kode: str, now: dt.datetime, terakhir: int | None) -> int | None:
    """The step ``kode`` belongs to, or None: wrong, too far off, or already used."""
    kode = kode.strip().replace(" ", "")
    current = langkah(now)
    for step in (current - 1, current, current + 1):
        if (terakhir is None or step > terakhir) and hmac.compare_digest(kode_pada(rahasia, step), kode):
            return step
    return None


def uri(rahasia: str, email: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from a QR code."""
    label = quote(f"{PENERBIT}:{email}")
    return f"otpauth://totp/{label}?secret={rahasia}&issuer={quote(PENERBIT)}&digits={DIGIT}&period={LANGKAH_DETIK}"
