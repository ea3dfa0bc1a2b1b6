"""Bearer tokens (JWT) carrying a role and a unit, and the unit-scoped checks on them.

Tokens are verified against the issuer's published keys (:mod:`awasi_common.tokens`); no
secret is shared with the issuer.

A unit's operators act on their own unit; every role reads its unit and the units below
it. Bawaslu RI's admin acts anywhere.
"""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from awasi_common.errors import DomainError, Forbidden
from awasi_common.units import RI_CODE, UnitCode, is_within, unit_name
from awasi_common.vocabulary import Divisi, Role

WRITERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.PENANGANAN, Role.PENGAWAS, Role.PIMPINAN})


class Unauthenticated(DomainError):
    status_code = 401


class Principal(BaseModel):
    subject: str
    role: Role
    unit: UnitCode
    divisi: Divisi | None = None
    """The person's division at its unit (SDMO, HPS, PP-Datin, P2H), where the issuer says."""
    jabatan: str | None = Field(default=None, max_length=200)
    """For signature blocks."""
    scopes: frozenset[str] | None = None
    """An agency client's OAuth2 scopes (``katalog:baca``, ``webhook:kelola``); None when the
    token names none (staff, development tokens): the role alone decides."""

    def can_read(self, unit: str) -> bool:
        return is_within(unit, self.unit)

    def can_act_on(self, unit: str) -> bool:
        if self.role == Role.ADMIN and self.unit == RI_CODE:
            return True
        return self.role in WRITERS and unit == self.unit

    def require_read(self, unit: str) -> None:
        if not self.can_read(unit):
            raise Forbidden(f"Akun untuk unit {self.unit} tidak berhak melihat data unit {unit}.")

    def require_divisi(self, unit: str, divisi: Divisi, *, what: str, pasal: str) -> None:
        """:meth:`require_act` on ``unit``, by a member of ``divisi`` at that unit. The platform's
        admins (a unit's own, and Bawaslu RI's anywhere) are let through as they are by role
        requirements: they mend the records of the unit's divisions (and identity audits them)."""
        self.require_act(unit)
        if self.role == Role.ADMIN or self.divisi == divisi:
            return
        held = f"divisi Anda {self.divisi.value}" if self.divisi else "akun Anda tidak tercatat pada divisi mana pun"
        raise Forbidden(
            f"{what} dikoordinasikan anggota yang membidangi divisi {divisi.value} unit {unit} ({pasal}); {held}.",
            pasal=pasal,
        )

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


class TokenVerifier(Protocol):
    """What a service's app keeps as ``app.state.tokens``: a bearer token in, its principal out
    (or :class:`Unauthenticated`). :class:`awasi_common.tokens.Verifier` in every service."""

    def verify(self, token: str) -> Principal: ...


_bearer = HTTPBearer(auto_error=False)


async def any_principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> Principal:
    """The verified bearer of the request, staff or agency."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("Sertakan token: header 'Authorization: Bearer <token>'.")
    verifier: TokenVerifier = request.app.state.tokens
    averify = getattr(verifier, "averify", None)
    if averify is not None:  # fetches an unknown kid's keys off the event loop
        principal: Principal = await averify(credentials.credentials)
        return principal
    return verifier.verify(credentials.credentials)


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
WEBHOOK_SCOPE = "webhook:kelola"
"""The scope an agency client needs for its own subscriptions, webhooks and deliveries."""


async def subscriber_principal(principal: Principal = Depends(any_principal)) -> Principal:
    """Staff, or an agency whose token holds :data:`WEBHOOK_SCOPE` when it names scopes."""
    if principal.role == Role.AGENCY and principal.scopes is not None and WEBHOOK_SCOPE not in principal.scopes:
        raise Forbidden(
            f"Token instansi ini tidak memiliki cakupan {WEBHOOK_SCOPE}; mintalah token dengan cakupan itu."
        )
    return principal


SubscriberPrincipal = Annotated[Principal, Depends(subscriber_principal)]
"""Staff or an agency: only for an agency's own subscriptions, webhooks and deliveries."""


def __getattr__(name: str) -> Any:
    """``TokenIssuer``: development tokens (EdDSA, the development key; services trust it only in
    development on one machine), under the name the tools and tests have always minted tokens
    with. Looked up lazily: awasi_common.tokens imports this module."""
    if name == "TokenIssuer":
        from awasi_common.tokens import DevelopmentIssuer

        return DevelopmentIssuer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
