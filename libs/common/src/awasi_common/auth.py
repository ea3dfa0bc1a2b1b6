"""Bearer tokens (JWT) carrying a role and a unit, and the unit-scoped checks on them.

A unit's operators act on their own unit; every role reads its unit and the units below
it. Bawaslu RI's admin acts anywhere.
"""

from __future__ import annotations

import datetime as dt
import time
from enum import StrEnum
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError

from awasi_common.errors import DomainError, Forbidden
from awasi_common.units import RI_CODE, UnitCode, is_within, unit_name


class Role(StrEnum):
    ADMIN = "admin"
    """Platform administrator; at RI level may act on every unit."""
    OPERATOR = "operator"
    """Staff of a unit who plan, record and publish its work."""
    PENANGANAN = "penanganan"
    """Handles laporan and temuan; may see reporters' identities of its unit's cases."""
    PENGAWAS = "pengawas"
    """Field supervisor (down to TPS) who files Form A."""
    PIMPINAN = "pimpinan"
    """Members (ketua/anggota) of a unit: read everything below, decide on cases."""
    VIEWER = "viewer"
    """Read only."""
    AGENCY = "agency"
    """Another institution (KPU, DKPP, Sentra Gakkumdu, pemerintah daerah) subscribing to events."""


WRITERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.PENANGANAN, Role.PENGAWAS, Role.PIMPINAN})


class Unauthenticated(DomainError):
    status_code = 401


class Principal(BaseModel):
    subject: str
    role: Role
    unit: UnitCode

    def can_read(self, unit: str) -> bool:
        return is_within(unit, self.unit)

    def can_act_on(self, unit: str) -> bool:
        if self.role == Role.ADMIN and self.unit == RI_CODE:
            return True
        return self.role in WRITERS and unit == self.unit

    def require_read(self, unit: str) -> None:
        if not self.can_read(unit):
            raise Forbidden(f"Akun untuk unit {self.unit} tidak berhak melihat data unit {unit}.")

    def require_act(self, unit: str, *roles: Role) -> None:
        if roles and self.role not in roles and self.role != Role.ADMIN:
            allowed = ", ".join(role.value for role in roles)
            raise Forbidden(f"Tindakan ini memerlukan peran {allowed}; peran Anda {self.role.value}.")
        if self.role not in WRITERS:
            raise Forbidden(
                f"Peran {self.role.value} hanya dapat membaca; tindakan ini memerlukan peran yang dapat mengubah data."
            )
        if not self.can_act_on(unit):
            raise Forbidden(
                f"Akun untuk unit {self.unit} ({unit_name(self.unit)}) tidak berhak bertindak atas nama unit {unit}."
            )


class TokenIssuer:
    VERIFIED_KEPT = 4096
    """Tokens whose signature was checked, kept until they expire: a field app sends the same
    token with every request, and checking it again cost more than the rest of the auth."""

    def __init__(self, secret: str, issuer: str = "awasi") -> None:
        self._secret = secret
        self._issuer = issuer
        self._verified: dict[str, tuple[Principal, float]] = {}

    def issue(
        self, *, unit: str, role: Role | str, subject: str | None = None, ttl: dt.timedelta = dt.timedelta(hours=12)
    ) -> str:
        principal = Principal(subject=subject or f"{role}@{unit}", role=Role(role), unit=unit)
        now = dt.datetime.now(dt.UTC)
        claims = {
            "sub": principal.subject,
            "role": principal.role.value,
            "unit": principal.unit,
            "iss": self._issuer,
            "iat": now,
            "exp": now + ttl,
        }
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None and time.time() < known[1]:
            return known[0]
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], issuer=self._issuer)
        except jwt.ExpiredSignatureError as error:
            self._verified.pop(token, None)
            raise Unauthenticated("Token sudah kedaluwarsa; minta token baru.") from error
        except jwt.InvalidTokenError as error:
            raise Unauthenticated(f"Token tidak sah: {error}.") from error
        try:
            principal = Principal(subject=claims.get("sub", ""), role=claims.get("role"), unit=claims.get("unit"))
        except ValidationError as error:
            raise Unauthenticated("Token tidak memuat peran dan unit yang sah.") from error
        if isinstance(claims.get("exp"), int | float):
            if len(self._verified) >= self.VERIFIED_KEPT:
                self._verified.clear()
            self._verified[token] = (principal, float(claims["exp"]))
        return principal


_bearer = HTTPBearer(auto_error=False)


async def any_principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> Principal:
    """The verified bearer of the request, staff or agency."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("Sertakan token: header 'Authorization: Bearer <token>'.")
    issuer: TokenIssuer = request.app.state.tokens
    return issuer.verify(credentials.credentials)


async def current_principal(principal: Principal = Depends(any_principal)) -> Principal:
    """A member of Bawaslu's staff. Agencies are refused here by default: a route open to them
    says so by taking :data:`SubscriberPrincipal` instead (docs/reliability.md, the role ×
    endpoint matrix)."""
    if principal.role == Role.AGENCY:
        raise Forbidden(AGENCY_REFUSED)
    return principal


AGENCY_REFUSED = (
    "Token instansi hanya dapat membaca yang publik serta mengelola langganan, webhook dan "
    "riwayat pengiriman miliknya sendiri."
)

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
"""Staff of any role (agency tokens refused)."""
SubscriberPrincipal = Annotated[Principal, Depends(any_principal)]
"""Staff or an agency: only for an agency's own subscriptions, webhooks and deliveries."""
