"""How identity itself reads a bearer token: its own EdDSA tokens against its own keys (no
fetch of its own JWKS), and, outside production, the platform's development tokens (``awasi
token``, the tests' fixtures) through the verifier every service has."""

from __future__ import annotations

import jwt

from awasi_common.auth import Principal, Unauthenticated
from awasi_common.tokens import ClaimMapping, Verifier
from awasi_identity.adapters.signing import Penandatangan
from awasi_identity.settings import IdentitySettings


class IdentityTokens:
    def __init__(self, platform: Verifier, penandatangan: Penandatangan, settings: IdentitySettings) -> None:
        self._platform = platform
        self._penandatangan = penandatangan
        self._settings = settings
        self._claims = ClaimMapping()

    def verify(self, token: str) -> Principal:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.InvalidTokenError:
            kid = None
        if not (isinstance(kid, str) and self._penandatangan.menerbitkan(kid)):
            return self._platform.verify(token)
        try:
            claims = self._penandatangan.verifikasi(
                token, issuer=self._settings.issuer, audience=self._settings.audience
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated("Token sudah kedaluwarsa; minta token baru.") from error
        except jwt.InvalidTokenError as error:
            raise Unauthenticated(f"Token tidak sah: {error}.") from error
        return self._claims.principal(claims)
