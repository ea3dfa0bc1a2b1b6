"""Verifying bearer tokens without a shared secret: the issuer's published keys (OpenID Connect
discovery and JWKS), and, outside production only, the development key.

- :class:`Verifier` is what every service keeps as ``app.state.tokens``. It reads the issuer's
  discovery document (``<issuer>/.well-known/openid-configuration``) and the JWKS it names,
  keeps the keys, fetches them again in the background (every ``AWASI_JWKS_REFRESH_SECONDS``)
  and when a token names a ``kid`` it does not know (at most every
  ``AWASI_JWKS_UNKNOWN_KID_SECONDS``: a flood of forged kids does not become a flood of
  fetches). Only asymmetric algorithms are taken (EdDSA, and RS256 for Keycloak), each only
  with a key of its own type: ``alg: none``, HS256 (with the public key as the secret or any
  other) and a key's type under another algorithm are refused. ``iss``, ``aud`` and ``exp`` are
  checked; the claims become a :class:`~awasi_common.auth.Principal` through a
  :class:`ClaimMapping` (Keycloak keeps roles in ``realm_access.roles``, say). A subject in
  :class:`DisabledSubjects` is refused with 401.
- The development key: an Ed25519 key derived from ``AWASI_DEV_TOKEN_KEY`` (a default every copy
  of the code has, like the other development keys). ``awasi token`` and the tests' ``tokens()``
  fixture sign with it (:class:`DevelopmentIssuer`, issuer ``awasi-development``), and services
  trust its public half in development on one machine only (:func:`trusts_development_key`):
  never with ``AWASI_ENV=production`` (where ``awasi token`` is refused too), never when the
  issuer is another host.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm
from pydantic import ValidationError

from awasi_common.principal import Principal, Unauthenticated
from awasi_common.vocabulary import Divisi, Role

if TYPE_CHECKING:
    from awasi_common.settings import PlatformSettings

log = logging.getLogger(__name__)

DEV_ISSUER = "awasi-development"
"""The ``iss`` of development tokens; trusted only outside production."""
DEFAULT_AUDIENCE = "awasi"
ALGORITHMS = ("EdDSA", "RS256")
"""Asymmetric only: identity signs EdDSA, Keycloak RS256 by default."""
MAX_DOCUMENT_BYTES = 1024 * 1024


class DisabledCheck(Protocol):
    def is_disabled(self, subject: str) -> bool: ...


# --- keys --------------------------------------------------------------------------------------


def thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 thumbprint (OKP and RSA keys): a ``kid`` derived from the key itself."""
    members = ("crv", "kty", "x") if jwk["kty"] == "OKP" else ("e", "kty", "n")
    canonical = json.dumps({k: jwk[k] for k in members}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def development_private_key(seed: str) -> Ed25519PrivateKey:
    """The development key: derived from its seed, so every process and tool of one machine
    (and every copy of the code, on the default seed) has the same."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"awasi-dev-token-key:" + seed.encode()).digest())


def public_jwk(private: Ed25519PrivateKey) -> dict[str, Any]:
    jwk: dict[str, Any] = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return jwk | {"kid": thumbprint(jwk), "use": "sig", "alg": "EdDSA"}


@dataclass(frozen=True)
class _Key:
    key: Any
    algorithm: str
    issuer: str


def _key_of(jwk: Mapping[str, Any], issuer: str) -> tuple[str, _Key] | None:
    """A JWKS entry we may verify with, or None (encryption keys, symmetric keys, other curves,
    an ``alg`` we do not take)."""
    kty, alg, use = jwk.get("kty"), jwk.get("alg"), jwk.get("use")
    if use not in (None, "sig") or not isinstance(jwk.get("kid"), str):
        return None
    try:
        if kty == "OKP" and jwk.get("crv") == "Ed25519" and alg in (None, "EdDSA"):
            return str(jwk["kid"]), _Key(OKPAlgorithm.from_jwk(dict(jwk)), "EdDSA", issuer)
        if kty == "RSA" and alg in (None, "RS256"):
            return str(jwk["kid"]), _Key(RSAAlgorithm.from_jwk(dict(jwk)), "RS256", issuer)
    except (jwt.InvalidKeyError, ValueError, KeyError, TypeError):
        return None
    return None


# --- claims ------------------------------------------------------------------------------------


def claim_at(claims: Mapping[str, Any], path: str) -> Any:
    """A claim by name, or by a dotted path into nested objects (``realm_access.roles``)."""
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


@dataclass(frozen=True)
class ClaimMapping:
    """Where a token carries unit, role, divisi and jabatan: a claim name or a dotted path. A
    role given as a list (Keycloak's realm roles) must hold exactly one of the platform's roles;
    the others (``offline_access``…) are ignored. A divisi given as a list takes its first known
    value; an unknown divisi is none (it is optional)."""

    unit: str = "unit"
    role: str = "role"
    divisi: str = "divisi"
    jabatan: str = "jabatan"

    def principal(self, claims: Mapping[str, Any]) -> Principal:
        role = claim_at(claims, self.role)
        if isinstance(role, list):
            known = {str(r) for r in role if str(r) in Role.__members__.values()}
            if len(known) != 1:
                raise Unauthenticated("Token harus memuat tepat satu peran Awasi.")
            role = known.pop()
        divisi = claim_at(claims, self.divisi)
        if isinstance(divisi, list):
            divisi = next((d for d in divisi if d in Divisi.__members__.values()), None)
        if divisi not in Divisi.__members__.values():
            divisi = None
        jabatan = claim_at(claims, self.jabatan)
        unit = claim_at(claims, self.unit)
        if isinstance(unit, list) and len(unit) == 1:  # Keycloak's user attributes may be lists
            unit = unit[0]
        scope = claims.get("scope")
        try:
            return Principal(
                subject=str(claims.get("sub") or ""),
                role=role,
                unit=unit,
                divisi=divisi,
                jabatan=jabatan if isinstance(jabatan, str) and jabatan.strip() else None,
                scopes=frozenset(scope.split()[:50]) if isinstance(scope, str) and role == Role.AGENCY else None,
            )
        except ValidationError as error:
            raise Unauthenticated("Token tidak memuat peran dan unit yang sah.") from error


# --- fetching the issuer's keys ----------------------------------------------------------------


def fetch_json(url: str, timeout: float) -> Any:
    """GET a JSON document (discovery, JWKS), at most 1 MB."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read(MAX_DOCUMENT_BYTES + 1)
    if len(body) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"{url}: dokumen lebih dari 1 MB")
    return json.loads(body)


class IssuerKeys:
    """The keys the issuer publishes now, fetched through its discovery document."""

    def __init__(self, issuer: str, *, fetch: Callable[[str, float], Any] = fetch_json, timeout: float = 5.0) -> None:
        self.issuer = issuer
        self._fetch = fetch
        self._timeout = timeout
        self.jwks_uri: str | None = None

    def load(self) -> dict[str, _Key]:
        if self.jwks_uri is None:
            discovery = self._fetch(self.issuer.rstrip("/") + "/.well-known/openid-configuration", self._timeout)
            if not isinstance(discovery, dict) or discovery.get("issuer") != self.issuer:
                raise ValueError(f"dokumen discovery {self.issuer} tidak menyebut issuer itu")
            jwks_uri = discovery.get("jwks_uri")
            if not isinstance(jwks_uri, str) or not jwks_uri.startswith(("http://", "https://")):
                raise ValueError(f"dokumen discovery {self.issuer} tidak memuat jwks_uri")
            self.jwks_uri = jwks_uri
        document = self._fetch(self.jwks_uri, self._timeout)
        entries = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            raise ValueError(f"JWKS {self.jwks_uri} tidak memuat keys")
        keys = dict(filter(None, (_key_of(jwk, self.issuer) for jwk in entries if isinstance(jwk, dict))))
        return keys


# --- the verifier ------------------------------------------------------------------------------


def trusts_development_key(platform: PlatformSettings) -> bool:
    """Development on one machine only: not in production, a development key set (empty: none),
    and the issuer on this machine or none. A deployment whose issuer is another host
    (``http://identity:8105``, a Keycloak) is shared: it takes the issuer's tokens only, whatever
    ``AWASI_ENV`` says."""
    if platform.production or not platform.dev_token_key:
        return False
    issuer = platform.token_issuer.strip()
    return not issuer or urlsplit(issuer).hostname in ("127.0.0.1", "localhost", "::1")


@dataclass
class Verifier:
    """A service's token verifier (``app.state.tokens``). ``averify`` (what the routes'
    dependencies and the edge call) fetches an unknown kid's keys off the event loop and then
    verifies; ``verify`` is synchronous and, called on an event loop, never waits for a fetch (it
    starts one beside the loop and refuses that token). ``run`` is the background job that keeps
    the keys fresh and reads disabled accounts."""

    audience: str = DEFAULT_AUDIENCE
    issuer: IssuerKeys | None = None
    claims: ClaimMapping = field(default_factory=ClaimMapping)
    static_keys: Iterable[tuple[str, Mapping[str, Any]]] = ()
    """(issuer, public JWK) pairs always trusted: the development key outside production."""
    disabled: DisabledCheck | None = None
    refresh_seconds: float = 300.0
    unknown_kid_seconds: float = 10.0
    background: list[Callable[[], Any]] = field(default_factory=list)
    """More jobs run beside the key refresh (the disabled accounts' reader)."""

    VERIFIED_KEPT = 4096
    """Tokens whose signature was checked, kept until they expire: a field app sends the same
    token with every request, and checking it again cost more than the rest of the auth."""

    def __post_init__(self) -> None:
        self._static: dict[str, _Key] = dict(filter(None, (_key_of(jwk, iss) for iss, jwk in self.static_keys)))
        self._fetched: dict[str, _Key] = {}
        self._last_attempt = float("-inf")
        self._lock = threading.Lock()
        self._verified: dict[str, tuple[Principal, float]] = {}
        self.fetches = 0
        self.last_error: str | None = None

    @classmethod
    def from_settings(cls, platform: PlatformSettings, disabled: DisabledCheck | None = None) -> Verifier:
        """The issuer's keys (``AWASI_TOKEN_ISSUER``), and outside production the development key."""
        issuer = platform.token_issuer.strip()
        static: list[tuple[str, Mapping[str, Any]]] = []
        if trusts_development_key(platform):
            static.append((DEV_ISSUER, public_jwk(development_private_key(platform.dev_token_key))))
        return cls(
            audience=platform.token_audience,
            issuer=IssuerKeys(issuer) if issuer else None,
            claims=ClaimMapping(
                unit=platform.token_claim_unit,
                role=platform.token_claim_role,
                divisi=platform.token_claim_divisi,
                jabatan=platform.token_claim_jabatan,
            ),
            static_keys=static,
            disabled=disabled,
            refresh_seconds=platform.jwks_refresh_seconds,
            unknown_kid_seconds=platform.jwks_unknown_kid_seconds,
        )

    # keys

    def refresh(self, *, force: bool = True) -> bool:
        """Fetch the issuer's keys now (``force``) or if the last attempt is old enough for an
        unknown kid; True when a fetch succeeded. Failures keep the keys held."""
        if self.issuer is None:
            return False
        with self._lock:
            now = time.monotonic()
            if not force and now - self._last_attempt < self.unknown_kid_seconds:
                return False
            self._last_attempt = now
            self.fetches += 1
            try:
                keys = self.issuer.load()
            except Exception as error:  # network, JSON, a wrong document: keep what we had
                self.issuer.jwks_uri = None  # the discovery document is read again next time
                if self.last_error is None:
                    log.warning("keys of token issuer %s could not be fetched: %s", self.issuer.issuer, error)
                self.last_error = str(error)
                return False
            self._fetched = keys
            self.last_error = None
            return True

    def _key(self, kid: str) -> _Key | None:
        return self._static.get(kid) or self._fetched.get(kid)

    def knows(self, token: str) -> bool:
        """Whether the token's kid is held (no fetch)."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.InvalidTokenError:
            return True  # nothing a fetch would change
        return isinstance(kid, str) and self._key(kid) is not None

    async def averify(self, token: str) -> Principal:
        if token not in self._verified and not self.knows(token):
            await asyncio.to_thread(self.refresh, force=False)
        return self.verify(token)

    def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None and time.time() < known[1]:
            self._check_enabled(known[0])
            return known[0]
        principal, expires = self._decode(token)
        self._check_enabled(principal)
        if len(self._verified) >= self.VERIFIED_KEPT:
            self._verified.clear()
        self._verified[token] = (principal, expires)
        return principal

    def _check_enabled(self, principal: Principal) -> None:
        if self.disabled is not None and self.disabled.is_disabled(principal.subject):
            raise Unauthenticated("Akun ini telah dinonaktifkan; tokennya tidak berlaku lagi.")

    def _decode(self, token: str) -> tuple[Principal, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise Unauthenticated(f"Token tidak sah: {error}.") from error
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in ALGORITHMS:
            raise Unauthenticated(f"Token tidak sah: algoritma {str(algorithm)[:20]!r} tidak diterima.")
        if not isinstance(kid, str) or not kid:
            raise Unauthenticated("Token tidak sah: header tidak menyebut kid.")
        key = self._key(kid)
        if key is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no event loop here: fetching in line blocks nobody else
                if self.refresh(force=False):
                    key = self._key(kid)
            else:  # never block the event loop: fetch beside it, this token is refused
                loop.run_in_executor(None, partial(self.refresh, force=False))
        if key is None:
            raise Unauthenticated("Token tidak sah: kunci penandatangannya tidak dikenal.")
        if key.algorithm != algorithm:
            raise Unauthenticated("Token tidak sah: algoritma tidak cocok dengan kuncinya.")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm],
                audience=self.audience,
                issuer=key.issuer,
                # ``iat`` a second ahead (the issuer's clock) is no reason to refuse; ``exp`` is
                # held to the second.
                options={"require": ["exp", "iss", "aud", "sub"], "verify_iat": False},
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated("Token sudah kedaluwarsa; minta token baru.") from error
        except jwt.InvalidTokenError as error:
            raise Unauthenticated(f"Token tidak sah: {error}.") from error
        expires = claims["exp"]
        if not isinstance(expires, int | float):
            raise Unauthenticated("Token tidak sah: exp bukan angka.")
        return self.claims.principal(claims), float(expires)

    # background

    async def run(self) -> None:
        """Keep the issuer's keys fresh; run the extra jobs beside."""
        jobs = [asyncio.create_task(job()) for job in self.background]
        try:
            while True:
                fetched = await asyncio.to_thread(self.refresh) if self.issuer is not None else True
                await asyncio.sleep(self.refresh_seconds if fetched else min(self.refresh_seconds, 15.0))
        finally:
            for job in jobs:
                job.cancel()
            await asyncio.gather(*jobs, return_exceptions=True)


# --- development tokens ------------------------------------------------------------------------


class DevelopmentIssuer:
    """Tokens signed with the development key (``awasi token``, the tests' fixtures, the demo
    data): what services take outside production. ``key`` is the key's seed: the development
    default unless a test passes its own (whose tokens no service takes)."""

    def __init__(self, key: str | None = None, *, issuer: str = DEV_ISSUER, audience: str = DEFAULT_AUDIENCE) -> None:
        from awasi_common.settings import DEV_TOKEN_KEY

        self._private = development_private_key(key or DEV_TOKEN_KEY)
        self.jwk = public_jwk(self._private)
        self.issuer = issuer
        self.audience = audience
        self._verifier = Verifier(audience=audience, static_keys=[(issuer, self.jwk)])

    def issue(
        self,
        *,
        unit: str,
        role: Role | str,
        subject: str | None = None,
        ttl: dt.timedelta = dt.timedelta(hours=12),
        divisi: Divisi | str | None = None,
        jabatan: str | None = None,
        **extra: Any,
    ) -> str:
        principal = Principal(
            subject=subject or f"{role}@{unit}", role=Role(role), unit=unit, divisi=divisi, jabatan=jabatan
        )
        now = dt.datetime.now(dt.UTC)
        claims: dict[str, Any] = {
            "sub": principal.subject,
            "role": principal.role.value,
            "unit": principal.unit,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + ttl,
        }
        if principal.divisi:
            claims["divisi"] = principal.divisi.value
        if principal.jabatan:
            claims["jabatan"] = principal.jabatan
        return jwt.encode(claims | extra, self._private, algorithm="EdDSA", headers={"kid": self.jwk["kid"]})

    def verify(self, token: str) -> Principal:
        """Its own tokens only (a small app in a test keeps it as ``app.state.tokens``)."""
        return self._verifier.verify(token)


def development_issuer(platform: PlatformSettings | None = None) -> DevelopmentIssuer:
    """The issuer of ``awasi token``; refused in production."""
    from awasi_common.settings import DevelopmentDefaultRefused, PlatformSettings

    platform = platform or PlatformSettings()
    if platform.production:
        raise DevelopmentDefaultRefused("AWASI_ENV=production: token pengembangan tidak diterbitkan")
    return DevelopmentIssuer(platform.dev_token_key, audience=platform.token_audience)
