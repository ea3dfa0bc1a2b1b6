"""What the audit trail records: who did what to which account, when and from where. Never a
password, an activation code or a token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Tindakan(StrEnum):
    AKUN_DIBUAT = "akun_dibuat"
    AKUN_DIUBAH = "akun_diubah"
    AKUN_DINONAKTIFKAN = "akun_dinonaktifkan"
    KODE_AKTIVASI_DIBUAT = "kode_aktivasi_dibuat"
    AKTIVASI = "aktivasi"
    AKTIVASI_GAGAL = "aktivasi_gagal"
    MASUK = "masuk"
    MASUK_GAGAL = "masuk_gagal"
    MASUK_DITAHAN = "masuk_ditahan"
    DIKUNCI = "dikunci"
    TOKEN_DISEGARKAN = "token_disegarkan"
    KELUAR = "keluar"
    TOKEN_DIPAKAI_ULANG = "token_dipakai_ulang"
    KUNCI_DIROTASI = "kunci_dirotasi"
    KLIEN_DIDAFTARKAN = "klien_didaftarkan"
    KLIEN_DINONAKTIFKAN = "klien_dinonaktifkan"
    KLIEN_MASUK = "klien_masuk"
    KLIEN_GAGAL = "klien_gagal"
    RESET_DIMINTA = "reset_sandi_diminta"
    SANDI_DIATUR_ULANG = "sandi_diatur_ulang"
    RESET_GAGAL = "reset_sandi_gagal"


@dataclass(frozen=True)
class CatatanAudit:
    tindakan: Tindakan
    pelaku: str | None
    """The subject who acted; None for an anonymous request (a sign-in, an activation)."""
    pelaku_unit: str | None
    akun_id: str | None = None
    unit: str | None = None
    """The unit of the account acted on."""
    alamat: str | None = None
    """The client's address."""
    rincian: dict[str, Any] = field(default_factory=dict)
    waktu: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
