"""Ed25519 signing keys and the access tokens they sign (EdDSA JWS, RFC 8037).

Private keys are kept sealed with the identity encryption key (``AWASI_IDENTITY_KEY``) and
opened in memory only; the public halves are published as a JWKS for the services to verify
against, with no secret shared.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

from awasi_common.sealing import KeyRing
from awasi_identity.domain.kunci import KunciPenandatangan, diterbitkan, penanda

ALGORITMA = "EdDSA"
_KONTEKS = "awasi:identity:kunci-penandatangan:"


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 thumbprint of an OKP key: its ``kid``."""
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def buat_kunci(generasi: int, keyring: KeyRing, now: dt.datetime, aktif_sejak: dt.datetime) -> KunciPenandatangan:
    private = Ed25519PrivateKey.generate()
    jwk: dict[str, Any] = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    kid = thumbprint(jwk)
    jwk |= {"kid": kid, "use": "sig", "alg": ALGORITMA}
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return KunciPenandatangan(
        kid=kid,
        generasi=generasi,
        jwk_publik=jwk,
        privat_tersegel=keyring.encrypt(pem, _KONTEKS + kid),
        dibuat_pada=now,
        aktif_sejak=aktif_sejak,
    )


def jwks(kunci: list[KunciPenandatangan], now: dt.datetime) -> dict[str, Any]:
    return {"keys": [k.jwk_publik for k in diterbitkan(kunci, now)]}


class Penandatangan:
    """The keys one process signs and verifies with, loaded from the database by the service
    layer (at start, by the key job, after a rotation) and shared by its requests."""

    def __init__(self, keyring: KeyRing) -> None:
        self._keyring = keyring
        self._kunci: list[KunciPenandatangan] = []
        self._private: dict[str, Ed25519PrivateKey] = {}
        self._public: dict[str, Ed25519PublicKey] = {}
        self.dimuat_pada: dt.datetime | None = None

    def muat(self, kunci: list[KunciPenandatangan], now: dt.datetime) -> None:
        self._kunci = list(kunci)
        self._public = {k.kid: _public_key(k.jwk_publik) for k in diterbitkan(kunci, now)}
        self.dimuat_pada = now

    def kunci_baru(self, generasi: int, now: dt.datetime, aktif_sejak: dt.datetime) -> KunciPenandatangan:
        return buat_kunci(generasi, self._keyring, now, aktif_sejak)

    def tandatangani(self, claims: dict[str, Any], now: dt.datetime) -> str:
        signing = penanda(self._kunci, now)
        if signing is None:
            raise RuntimeError("no signing key loaded")
        private = self._private.get(signing.kid)
        if private is None:
            pem = self._keyring.decrypt(signing.privat_tersegel, _KONTEKS + signing.kid)
            loaded = serialization.load_pem_private_key(pem, password=None)
            assert isinstance(loaded, Ed25519PrivateKey)
            private = self._private[signing.kid] = loaded
        return jwt.encode(claims, private, algorithm=ALGORITMA, headers={"kid": signing.kid})

    def menerbitkan(self, kid: str) -> bool:
        """Whether ``kid`` is one of the keys this issuer publishes now."""
        return kid in self._public

    def verifikasi(self, token: str, *, issuer: str, audience: str) -> dict[str, Any]:
        """The claims of one of this issuer's tokens; raises ``jwt.InvalidTokenError``."""
        kid = jwt.get_unverified_header(token).get("kid")
        key = self._public.get(str(kid))
        if key is None:
            raise jwt.InvalidTokenError(f"kunci {kid!r} tidak (lagi) diterbitkan")
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITMA],
            issuer=issuer,
            audience=audience,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"]},
        )
        return claims


def _public_key(jwk: dict[str, Any]) -> Ed25519PublicKey:
    key = OKPAlgorithm.from_jwk(jwk)
    assert isinstance(key, Ed25519PublicKey)
    return key
