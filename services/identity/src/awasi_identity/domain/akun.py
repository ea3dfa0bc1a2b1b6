"""An account: who a person is to the platform (unit, role, divisi, jabatan) and for how long.

Ad hoc staff (PKD, pengawas TPS) serve for a term: their account stops signing in after
``berlaku_sampai``. An account is created waiting for activation (a one-time code its owner
exchanges for a password) and may be disabled for good.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from awasi_common.errors import Conflict, DomainError
from awasi_common.events.base import Event
from awasi_common.events.identity import AccountChanged, AccountCreated, AccountDisabled
from awasi_common.units import zone_of
from awasi_common.vocabulary import Divisi, Role
from awasi_identity.domain.totp import PERAN_WAJIB_TOTP


def hari_ini(unit: str, now: dt.datetime) -> dt.date:
    """``now``'s date where the unit is (WIB, WITA or WIT): a term ends at the unit's midnight."""
    return now.astimezone(zone_of(unit)).date()


class StatusAkun(StrEnum):
    MENUNGGU_AKTIVASI = "menunggu_aktivasi"
    AKTIF = "aktif"
    NONAKTIF = "nonaktif"


@dataclass
class Akun:
    id: str
    nama: str
    email: str
    unit: str
    role: Role
    berlaku_mulai: dt.date
    status: StatusAkun = StatusAkun.MENUNGGU_AKTIVASI
    telepon: str | None = None
    nik: str | None = None
    nip: str | None = None
    divisi: Divisi | None = None
    jabatan: str | None = None
    berlaku_sampai: dt.date | None = None
    sandi_hash: str | None = None
    kode_aktivasi_hash: str | None = None
    kode_aktivasi_sampai: dt.datetime | None = None
    totp_tersegel: bytes | None = None
    """The TOTP secret, sealed with the identity key; given at activation to the roles that need it."""
    totp_langkah_terakhir: int | None = None
    """The time step of the last code accepted: a code is never taken twice."""
    dibuat_oleh: str = ""
    dibuat_pada: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    dinonaktifkan_pada: dt.datetime | None = None
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def buat(cls, *, dibuat_oleh: str, **fields: Any) -> Akun:
        akun = cls(id=str(uuid.uuid4()), dibuat_oleh=dibuat_oleh, **fields)
        akun._periksa_masa()
        if akun.role == Role.AGENCY:
            raise DomainError(
                "Akun instansi tidak dibuat dengan kata sandi; instansi memakai kredensial klien.", field="role"
            )
        akun.events.append(AccountCreated(**akun._wewenang()))
        return akun

    def _wewenang(self) -> dict[str, Any]:
        """The fields of the account's events: what it may do, and until when."""
        return {
            "akun_id": self.id,
            "unit": self.unit,
            "role": self.role,
            "divisi": self.divisi,
            "berlaku_mulai": self.berlaku_mulai,
            "berlaku_sampai": self.berlaku_sampai,
        }

    def _periksa_masa(self) -> None:
        if self.berlaku_sampai is not None and self.berlaku_sampai < self.berlaku_mulai:
            raise DomainError(
                f"Masa berlaku berakhir ({self.berlaku_sampai}) sebelum dimulai ({self.berlaku_mulai}).",
                field="berlaku_sampai",
            )

    def berlaku_pada(self, hari: dt.date) -> bool:
        """Within its term on ``hari`` (the unit's own date)."""
        return self.berlaku_mulai <= hari and (self.berlaku_sampai is None or hari <= self.berlaku_sampai)

    def dapat_masuk(self, hari: dt.date) -> bool:
        return self.status == StatusAkun.AKTIF and self.berlaku_pada(hari)

    def ubah(
        self,
        *,
        unit: str | None = None,
        role: Role | None = None,
        divisi: Divisi | None = None,
        jabatan: str | None = None,
        berlaku_mulai: dt.date | None = None,
        berlaku_sampai: dt.date | None = None,
        hapus: frozenset[str] = frozenset(),
    ) -> list[str]:
        """Apply the given fields (``hapus`` names optional ones cleared); returns what changed."""
        self._tetap_aktif()
        if role == Role.AGENCY:
            raise DomainError("Akun staf tidak dapat dijadikan akun instansi.", field="role")
        before = (self.unit, self.role, self.divisi, self.jabatan, self.berlaku_mulai, self.berlaku_sampai)
        self.unit = unit or self.unit
        self.role = role or self.role
        self.divisi = None if "divisi" in hapus else divisi or self.divisi
        self.jabatan = None if "jabatan" in hapus else jabatan or self.jabatan
        self.berlaku_mulai = berlaku_mulai or self.berlaku_mulai
        self.berlaku_sampai = None if "berlaku_sampai" in hapus else berlaku_sampai or self.berlaku_sampai
        self._periksa_masa()
        after = (self.unit, self.role, self.divisi, self.jabatan, self.berlaku_mulai, self.berlaku_sampai)
        names = ("unit", "role", "divisi", "jabatan", "berlaku_mulai", "berlaku_sampai")
        changed = [name for name, old, new in zip(names, before, after, strict=True) if old != new]
        if set(changed) - {"jabatan"}:
            self.events.append(AccountChanged(**self._wewenang(), unit_sebelumnya=before[0], role_sebelumnya=before[1]))
        return changed

    def nonaktifkan(self, now: dt.datetime) -> None:
        self._tetap_aktif()
        self.status = StatusAkun.NONAKTIF
        self.dinonaktifkan_pada = now
        self.kode_aktivasi_hash = None
        self.kode_aktivasi_sampai = None
        self.events.append(AccountDisabled(akun_id=self.id, unit=self.unit, dinonaktifkan_pada=now))

    def beri_kode_aktivasi(self, kode_hash: str, sampai: dt.datetime) -> None:
        """A new one-time code (at creation, or a reset by the unit's admin): the password,
        if any, stops working; the code's owner sets a new one."""
        self._tetap_aktif()
        self.sandi_hash = None
        self.status = StatusAkun.MENUNGGU_AKTIVASI
        self.kode_aktivasi_hash = kode_hash
        self.kode_aktivasi_sampai = sampai

    @property
    def wajib_totp(self) -> bool:
        return self.role in PERAN_WAJIB_TOTP

    def aktivasi(self, sandi_hash: str, totp_tersegel: bytes | None = None) -> None:
        """The password, and for the roles that need one a new TOTP secret."""
        self._tetap_aktif()
        self.totp_tersegel = totp_tersegel
        self.totp_langkah_terakhir = None
        self.sandi_hash = sandi_hash
        self.status = StatusAkun.AKTIF
        self.kode_aktivasi_hash = None
        self.kode_aktivasi_sampai = None

    def atur_ulang_sandi(self, sandi_hash: str) -> None:
        """A new password from an emailed reset link; the TOTP secret stays (a lost phone goes
        through the unit's admin, who hands out a new activation code)."""
        self._tetap_aktif()
        if self.status != StatusAkun.AKTIF:
            raise Conflict("Akun belum diaktifkan: pakai kode aktivasi dari admin unit.")
        self.sandi_hash = sandi_hash

    def _tetap_aktif(self) -> None:
        if self.status == StatusAkun.NONAKTIF:
            raise Conflict(f"Akun {self.id} sudah dinonaktifkan; akun nonaktif tidak dapat diubah.")
