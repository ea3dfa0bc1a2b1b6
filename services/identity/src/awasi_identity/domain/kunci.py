"""Signing keys and their rotation without downtime.

A scheduled new key is published :attr:`aktif_sejak` ahead of signing with it, so every
verifier has fetched it (JWKS caches, refreshed on an unknown ``kid`` at most every so often)
before a token names it; the key before the signing one stays published so that tokens it
signed verify until they expire. An emergency rotation (a key thought stolen) signs at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass
class KunciPenandatangan:
    kid: str
    generasi: int
    """1, 2, 3…: a unique column, so replicas rotating at once make one key."""
    jwk_publik: dict[str, Any]
    privat_tersegel: bytes
    """The private key (PKCS#8 PEM), sealed with the identity encryption key."""
    dibuat_pada: dt.datetime
    aktif_sejak: dt.datetime
    """When it starts signing; published from :attr:`dibuat_pada`."""


def _terbaru(kunci: Sequence[KunciPenandatangan]) -> list[KunciPenandatangan]:
    return sorted(kunci, key=lambda k: k.generasi, reverse=True)


def penanda(kunci: Sequence[KunciPenandatangan], now: dt.datetime) -> KunciPenandatangan | None:
    """The key that signs now: the newest whose time came."""
    return next((k for k in _terbaru(kunci) if k.aktif_sejak <= now), None)


def diterbitkan(kunci: Sequence[KunciPenandatangan], now: dt.datetime) -> list[KunciPenandatangan]:
    """What JWKS publishes, newest first: keys waiting to sign, the signing key and the one
    before it."""
    signing = penanda(kunci, now)
    if signing is None:
        return _terbaru(kunci)
    return [k for k in _terbaru(kunci) if k.generasi >= signing.generasi - 1]


def perlu_rotasi(kunci: Sequence[KunciPenandatangan], now: dt.datetime, umur: dt.timedelta) -> bool:
    return not kunci or now - _terbaru(kunci)[0].dibuat_pada >= umur
