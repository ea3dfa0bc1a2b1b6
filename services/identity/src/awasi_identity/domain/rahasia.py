"""Secrets handed out once (activation codes, refresh tokens): random, high-entropy, and
stored only as their SHA-256 (enough for random values; passwords get argon2id)."""

from __future__ import annotations

import hashlib
import secrets


def rahasia_baru(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def kode_aktivasi_baru() -> str:
    """Typed by hand by ad hoc staff: 20 characters of an unambiguous alphabet (100 bits)."""
    alfabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    kode = "".join(secrets.choice(alfabet) for _ in range(20))
    return "-".join(kode[i : i + 5] for i in range(0, 20, 5))


def sidik(rahasia: str) -> str:
    """The stored form of a secret; activation codes are compared without case and dashes."""
    return hashlib.sha256(rahasia.encode()).hexdigest()


def sidik_kode(kode: str) -> str:
    return sidik(kode.replace("-", "").replace(" ", "").upper())
