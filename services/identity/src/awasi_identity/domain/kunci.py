"""Signing keys: one signs, the one before it is still published so that tokens it signed
verify until they expire. A key is replaced when it reached its age (or an admin asks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass
class KunciPenandatangan:
    kid: str
    generasi: int
    """1, 2, 3…: the newest signs; a unique column, so replicas rotating at once make one key."""
    jwk_publik: dict[str, Any]
    privat_tersegel: bytes
    """The private key (PKCS#8 PEM), sealed with the identity encryption key."""
    dibuat_pada: dt.datetime


def perlu_rotasi(kunci: Sequence[KunciPenandatangan], now: dt.datetime, umur: dt.timedelta) -> bool:
    return not kunci or now - max(kunci, key=lambda k: k.generasi).dibuat_pada >= umur


def diterbitkan(kunci: Sequence[KunciPenandatangan]) -> list[KunciPenandatangan]:
    """The current key and the one before it, newest first: what JWKS publishes."""
    return sorted(kunci, key=lambda k: k.generasi, reverse=True)[:2]
