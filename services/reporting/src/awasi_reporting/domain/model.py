"""Laporan: a report of an alleged election violation, as received. No I/O here."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from awasi_common.events.base import Event
from awasi_common.events.reporting import LaporanSubmitted, PelaporNoticeRequested

_TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


class Kanal(StrEnum):
    WEB = "web"
    POJOK_PENGAWASAN = "pojok_pengawasan"
    CALL_CENTER = "call_center"
    MEDIA_SOSIAL = "media_sosial"
    PATROLI_DIGITAL = "patroli_digital"


class StatusLaporan(StrEnum):
    DITERIMA = "diterima"


@dataclass(frozen=True)
class Pelapor:
    """The reporter's identity (Formulir Model B.1). Confidential."""

    nama: str
    email: str | None = None
    telepon: str | None = None
    alamat: str | None = None


@dataclass(frozen=True)
class Peristiwa:
    apa: str
    tempat: str
    waktu_kejadian: dt.date
    waktu_diketahui: dt.date


def new_tracking_code() -> str:
    return "LP-" + "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(10))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, digest: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), digest)


@dataclass
class Laporan:
    unit: str
    kanal: Kanal
    pelapor: Pelapor
    terlapor: str
    peristiwa: Peristiwa
    uraian: str
    diterima_pada: dt.datetime
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    kode_pelacakan: str = field(default_factory=new_tracking_code)
    secret_hash: str = ""
    status: StatusLaporan = StatusLaporan.DITERIMA
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def receive(
        cls, *, unit: str, kanal: Kanal, pelapor: Pelapor, terlapor: str, peristiwa: Peristiwa, uraian: str,
        now: dt.datetime,
    ) -> tuple[Laporan, str]:
        """A new laporan and the secret its reporter uses to follow it (shown once)."""
        secret = secrets.token_urlsafe(16)
        laporan = cls(
            unit=unit, kanal=kanal, pelapor=pelapor, terlapor=terlapor, peristiwa=peristiwa, uraian=uraian,
            diterima_pada=now, secret_hash=hash_secret(secret),
        )
        laporan.events.append(
            LaporanSubmitted(
                unit=unit,
                laporan_id=laporan.id,
                kode_pelacakan=laporan.kode_pelacakan,
                kanal=kanal.value,
                diterima_pada=now,
                peristiwa_singkat=peristiwa.apa[:200],
            )
        )
        laporan.events.append(
            PelaporNoticeRequested(
                unit=unit,
                laporan_id=laporan.id,
                kode_pelacakan=laporan.kode_pelacakan,
                email=pelapor.email,
                subjek=f"Tanda terima laporan {laporan.kode_pelacakan}",
                pesan=(
                    f"Laporan Anda telah diterima pada {now:%d-%m-%Y %H:%M} UTC dengan kode pelacakan "
                    f"{laporan.kode_pelacakan}. Simpan kode rahasia yang diberikan untuk memantau statusnya."
                ),
            )
        )
        return laporan, secret

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events
