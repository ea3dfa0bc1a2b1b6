"""Bearer tokens (JWT) carrying a role and a unit, read into a :class:`Principal` for FastAPI's
routes (the principal and its unit-scoped rules are in :mod:`awasi_common.principal`, which
domain models use without the web framework; its names are re-exported here).

Tokens are verified against the issuer's published keys (:mod:`awasi_common.tokens`); no
secret is shared with the issuer.
"""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from awasi_common.errors import Forbidden
from awasi_common.principal import WRITERS as WRITERS
from awasi_common.principal import Principal as Principal
from awasi_common.principal import Unauthenticated as Unauthenticated
from awasi_common.vocabulary import Role as Role


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
