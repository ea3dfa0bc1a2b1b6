"""Tokens: what an access token says, and refresh tokens that rotate on every use.

A refresh token belongs to a family (one sign-in); using it hands out its successor and
retires it. A retired token used again means it was copied: the whole family is revoked.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from awasi_common.errors import DomainError
from awasi_identity.domain.akun import Akun


class TokenTidakSah(DomainError):
    """OAuth2's ``invalid_grant``: a refresh token unknown, expired, used or revoked."""

    status_code = 400

    def __init__(self) -> None:
        super().__init__("Token penyegar tidak berlaku lagi; masuk kembali dengan email dan kata sandi.")


class TokenDipakaiUlang(TokenTidakSah):
    """A refresh token already exchanged came back: a copy is in someone else's hands."""


class GagalMasuk(DomainError):
    """OAuth2's ``invalid_grant`` for a password: the same answer for an unknown email, a wrong
    password and an account that may not sign in."""

    status_code = 400

    def __init__(self) -> None:
        super().__init__("Email, kata sandi atau kode TOTP salah, atau akun tidak aktif.")


@dataclass(frozen=True)
class TokenTerbit:
    """An OAuth2 token response's content."""

    access_token: str
    expires_in: int
    refresh_token: str


@dataclass
class TokenPenyegar:
    id: str
    akun_id: str
    keluarga: str
    sidik: str
    dibuat_pada: dt.datetime
    kedaluwarsa: dt.datetime
    dipakai_pada: dt.datetime | None = None
    dicabut_pada: dt.datetime | None = None

    @classmethod
    def terbitkan(
        cls, akun_id: str, sidik: str, now: dt.datetime, umur: dt.timedelta, keluarga: str | None = None
    ) -> TokenPenyegar:
        return cls(
            id=str(uuid.uuid4()),
            akun_id=akun_id,
            keluarga=keluarga or str(uuid.uuid4()),
            sidik=sidik,
            dibuat_pada=now,
            kedaluwarsa=now + umur,
        )

    def pakai(self, now: dt.datetime) -> None:
        """Retire this token for its successor; raise when it may not be used."""
        if self.dipakai_pada is not None and self.dicabut_pada is None:
            raise TokenDipakaiUlang()
        if self.dicabut_pada is not None or self.dipakai_pada is not None or now >= self.kedaluwarsa:
            raise TokenTidakSah()
        self.dipakai_pada = now


@dataclass(frozen=True)
class KlaimAkses:
    """The claims of an access token: what ``awasi_common.auth.Principal`` is built from
    (``sub``, ``role``, ``unit``) and what signature blocks and P2H rules need."""

    sub: str
    unit: str
    role: str
    divisi: str | None
    jabatan: str | None
    amr: tuple[str, ...]
    """RFC 8176: ``pwd``, and ``otp`` when the sign-in took a second factor."""
    iss: str
    aud: str
    iat: int
    exp: int
    jti: str = field(default_factory=lambda: str(uuid.uuid4()))

    @classmethod
    def untuk(cls, akun: Akun, *, issuer: str, audience: str, now: dt.datetime, umur: dt.timedelta) -> KlaimAkses:
        return cls(
            sub=akun.id,
            unit=akun.unit,
            role=akun.role.value,
            divisi=akun.divisi.value if akun.divisi else None,
            jabatan=akun.jabatan,
            amr=("pwd", "otp") if akun.wajib_totp else ("pwd",),
            iss=issuer,
            aud=audience,
            iat=int(now.timestamp()),
            exp=int((now + umur).timestamp()),
        )

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__} | {"amr": list(self.amr)}
