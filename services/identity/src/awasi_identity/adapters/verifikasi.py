"""How identity itself reads a bearer token: its own EdDSA tokens against its own keys, and,
until the platform's development tokens are retired (issue 15, item 8), the shared HS256
tokens every service still takes (``awasi token``, the tests' fixtures)."""

from __future__ import annotations

import jwt
from pydantic import ValidationError

from awasi_common.auth import Principal, TokenIssuer, Unauthenticated
from awasi_identity.adapters.signing import ALGORITMA, Penandatangan
from awasi_identity.settings import IdentitySettings


class IdentityTokens(TokenIssuer):
    def __init__(
        self, shared_secret: str, shared_issuer: str, penandatangan: Penandatangan, settings: IdentitySettings
    ) -> None:
        super().__init__(shared_secret, shared_issuer)
        self._penandatangan = penandatangan
        self._settings = settings

    def verify(self, token: str) -> Principal:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.InvalidTokenError:
            algorithm = None
        if algorithm != ALGORITMA:
            return super().verify(token)
        try:
            claims = self._penandatangan.verifikasi(
                token, issuer=self._settings.issuer, audience=self._settings.audience
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated("Token sudah kedaluwarsa; minta token baru.") from error
        except jwt.InvalidTokenError as error:
            raise Unauthenticated(f"Token tidak sah: {error}.") from error
        try:
            return Principal(subject=claims["sub"], role=claims.get("role"), unit=claims.get("unit"))
        except ValidationError as error:
            raise Unauthenticated("Token tidak memuat peran dan unit yang sah.") from error
