"""Identity's use cases, one command each, built by the HTTP schemas (``body.to_command()``)
and by the key job; ``service_layer.handlers.HANDLERS`` maps each to its handler.

``alamat`` is the client's address, for the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from awasi_common.auth import Role
from awasi_common.vocabulary import Divisi


@dataclass(frozen=True)
class BuatAkun:
    nama: str
    email: str
    unit: str
    role: Role
    berlaku_mulai: dt.date | None = None
    """None: from today (the unit's own date)."""
    berlaku_sampai: dt.date | None = None
    telepon: str | None = None
    nik: str | None = None
    nip: str | None = None
    divisi: Divisi | None = None
    jabatan: str | None = None
    alamat: str | None = None


@dataclass(frozen=True)
class ImporAkun:
    """Accounts of a CSV file, made together or not at all."""

    akun: tuple[BuatAkun, ...]


@dataclass(frozen=True)
class UbahAkun:
    akun_id: str
    unit: str | None = None
    role: Role | None = None
    divisi: Divisi | None = None
    jabatan: str | None = None
    berlaku_mulai: dt.date | None = None
    berlaku_sampai: dt.date | None = None
    hapus: frozenset[str] = frozenset()
    """Optional fields set to null in the request: divisi, jabatan, berlaku_sampai."""
    alamat: str | None = None


@dataclass(frozen=True)
class NonaktifkanAkun:
    akun_id: str
    alamat: str | None = None


@dataclass(frozen=True)
class BuatKodeAktivasi:
    """A new one-time code from the unit's admin: a forgotten password is set anew with it."""

    akun_id: str
    alamat: str | None = None


@dataclass(frozen=True)
class AktivasiAkun:
    email: str
    kode: str
    sandi: str
    alamat: str | None = None


@dataclass(frozen=True)
class MasukDenganSandi:
    """OAuth2 ``grant_type=password``."""

    email: str
    sandi: str
    totp: str | None = None
    """The authenticator's code: required of admin, pimpinan and penanganan."""
    alamat: str | None = None


@dataclass(frozen=True)
class SegarkanToken:
    """OAuth2 ``grant_type=refresh_token``."""

    refresh_token: str
    alamat: str | None = None


@dataclass(frozen=True)
class Keluar:
    """RFC 7009 revocation of a refresh token: the sign-in it belongs to ends."""

    refresh_token: str
    alamat: str | None = None


@dataclass(frozen=True)
class HapusTokenKedaluwarsa:
    """Refresh tokens that expired before ``sebelum`` are of no use to anyone: deleted."""

    sebelum: dt.datetime


@dataclass(frozen=True)
class RotasiKunci:
    """Make a new signing key when the newest reached its age, or now (``paksa``); reload the keys."""

    paksa: bool = False
    segera: bool = False
    """Sign with the new key at once instead of after the publication lead (a key thought stolen)."""


@dataclass(frozen=True)
class DaftarkanKlien:
    """An agency's OAuth2 client (Bawaslu RI's admin registers it)."""

    nama: str
    unit: str
    cakupan: tuple[str, ...] = ()
    alamat: str | None = None


@dataclass(frozen=True)
class NonaktifkanKlien:
    klien_id: str
    alamat: str | None = None


@dataclass(frozen=True)
class MasukKlien:
    """``grant_type=client_credentials``."""

    klien_id: str
    rahasia: str
    cakupan: str | None = None
    alamat: str | None = None


@dataclass(frozen=True)
class MintaResetSandi:
    """A reset link by email: answered the same whether the address is known or not."""

    email: str
    alamat: str | None = None


@dataclass(frozen=True)
class AturUlangSandi:
    token: str
    sandi: str
    alamat: str | None = None
