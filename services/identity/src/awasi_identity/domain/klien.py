"""Agencies' machines (KPU, DKPP, Sentra Gakkumdu, pemerintah daerah): OAuth2 clients that
authenticate with client credentials (RFC 6749 §4.4) and get a short-lived access token with the
role ``agency`` and their scopes, nothing else: no refresh token, no sign-in of a person.

Bawaslu RI's admin registers a client for an agency; its secret is shown once and kept as its
SHA-256 (a 256-bit random value). Disabling a client stops its new tokens at once and, through
``AccountDisabled``, its tokens still valid at every service.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from awasi_common.errors import DomainError


class Cakupan(StrEnum):
    """What an agency's token may do at the services (their ``agency`` role enforces it)."""

    KATALOG_BACA = "katalog:baca"
    """Read the public events and the public catalog."""
    WEBHOOK_KELOLA = "webhook:kelola"
    """Manage its own subscriptions and webhooks; read and re-send its own deliveries."""


SEMUA_CAKUPAN = (Cakupan.KATALOG_BACA, Cakupan.WEBHOOK_KELOLA)


class CakupanTidakSah(DomainError):
    """OAuth2's ``invalid_scope``."""

    status_code = 400


def cakupan_diminta(diminta: str | None, terdaftar: tuple[Cakupan, ...]) -> tuple[Cakupan, ...]:
    """The scopes a token request asks for (space-separated; none: all the client has)."""
    if not diminta or not diminta.strip():
        return terdaftar
    kata = diminta.split()
    tidak_dikenal = [k for k in kata if k not in {c.value for c in terdaftar}]
    if tidak_dikenal:
        raise CakupanTidakSah(f"Cakupan tidak dimiliki klien ini: {', '.join(tidak_dikenal[:5])[:200]}.")
    return tuple(c for c in terdaftar if c.value in kata)


@dataclass
class KlienInstansi:
    id: str
    """The ``client_id`` and the ``sub`` of its tokens."""
    nama: str
    """The agency, e.g. "KPU Kabupaten Blitar"."""
    unit: str
    """The region it covers (its tokens' ``unit``)."""
    cakupan: tuple[Cakupan, ...]
    rahasia_sidik: str
    dibuat_pada: dt.datetime
    dibuat_oleh: str
    dinonaktifkan_pada: dt.datetime | None = None

    @classmethod
    def daftar(
        cls, *, nama: str, unit: str, cakupan: tuple[Cakupan, ...], rahasia_sidik: str, oleh: str, now: dt.datetime
    ) -> KlienInstansi:
        return cls(
            id=str(uuid.uuid4()),
            nama=nama,
            unit=unit,
            cakupan=cakupan or SEMUA_CAKUPAN,
            rahasia_sidik=rahasia_sidik,
            dibuat_pada=now,
            dibuat_oleh=oleh,
        )

    @property
    def aktif(self) -> bool:
        return self.dinonaktifkan_pada is None
