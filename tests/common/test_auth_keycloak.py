"""Bring your own identity provider (issue 15, item 4): the services' verifier against an issuer
shaped like Keycloak — its realm's discovery document and certs endpoint over real HTTP, RS256,
roles nested in ``realm_access.roles``, user attributes as claims, an audience list — with the
claim mapping of the settings; rotation fetches the new key once, forgeries are refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from awasi_cli.testing import eventually, free_port
from awasi_common.auth import Role, Unauthenticated
from awasi_common.settings import PlatformSettings
from awasi_common.tokens import ClaimMapping, IssuerKeys, Verifier, thumbprint

KEYCLOAK_MAPPING = ClaimMapping(unit="unit", role="realm_access.roles", divisi="divisi", jabatan="jabatan")


class Realm:
    """A Keycloak realm as a verifier sees it: discovery, certs, and the keys that sign."""

    def __init__(self) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}/realms/awasi"
        self.keys: list[tuple[str, rsa.RSAPrivateKey]] = []
        self.requests: list[str] = []
        self.delay = 0.0
        """Seconds each answer waits (a slow issuer)."""
        self.rotate()

    def rotate(self) -> str:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
        kid = thumbprint(jwk)
        self.keys.insert(0, (kid, private))
        return kid

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, private in self.keys:
            jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
            keys.append(jwk | {"kid": kid, "use": "sig", "alg": "RS256"})
        # Keycloak also publishes its encryption key: not one to verify with.
        keys.append({"kid": "enc", "kty": "RSA", "use": "enc", "alg": "RSA-OAEP", "n": keys[0]["n"], "e": "AQAB"})
        return {"keys": keys}

    def token(self, kid: str | None = None, **claims: Any) -> str:
        kid = kid or self.keys[0][0]
        private = dict(self.keys)[kid]
        now = int(time.time())
        body = {
            "exp": now + 300,
            "iat": now,
            "jti": str(uuid.uuid4()),
            "iss": self.issuer,
            "aud": ["awasi", "account"],
            "sub": str(uuid.uuid4()),
            "typ": "Bearer",
            "azp": "awasi-console",
            "realm_access": {"roles": ["offline_access", "default-roles-awasi", "operator"]},
            "resource_access": {"account": {"roles": ["manage-account"]}},
            "preferred_username": "siti",
            "unit": "35.05",
            "divisi": "P2H",
            "jabatan": "Anggota Bawaslu Kabupaten Blitar",
        } | claims
        return jwt.encode(
            {k: v for k, v in body.items() if v is not None}, private, algorithm="RS256", headers={"kid": kid}
        )


@pytest.fixture
def realm() -> Iterator[Realm]:
    realm = Realm()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            realm.requests.append(self.path)
            time.sleep(realm.delay)
            base = "/realms/awasi"
            if self.path == f"{base}/.well-known/openid-configuration":
                body: Any = {"issuer": realm.issuer, "jwks_uri": f"{realm.issuer}/protocol/openid-connect/certs"}
            elif self.path == f"{base}/protocol/openid-connect/certs":
                body = realm.jwks()
            else:
                self.send_error(404)
                return
            payload = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", realm.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield realm
    finally:
        server.shutdown()
        server.server_close()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def verifier(realm: Realm, **options: Any) -> Verifier:
    return Verifier(audience="awasi", issuer=IssuerKeys(realm.issuer), claims=KEYCLOAK_MAPPING, **options)


def test_an_agency_machines_token_holds_its_scopes(realm: Realm) -> None:
    """Client credentials at Keycloak: the realm role ``agency`` and the client scopes in ``scope``."""
    machine = realm.token(
        realm_access={"roles": ["agency", "default-roles-awasi"]}, scope="profile katalog:baca", divisi=None
    )
    principal = verifier(realm).verify(machine)
    assert principal.role == Role.AGENCY and principal.scopes == {"profile", "katalog:baca"}
    assert verifier(realm).verify(realm.token(scope="openid profile")).scopes is None  # staff: the role decides


def test_a_keycloak_token_maps_to_the_principal(realm: Realm) -> None:
    tokens = verifier(realm)
    principal = tokens.verify(realm.token(sub="0b7c…-siti"))
    assert (principal.subject, principal.role, principal.unit) == ("0b7c…-siti", Role.OPERATOR, "35.05")
    assert principal.divisi == "P2H" and principal.jabatan == "Anggota Bawaslu Kabupaten Blitar"
    assert realm.requests == [
        "/realms/awasi/.well-known/openid-configuration",
        "/realms/awasi/protocol/openid-connect/certs",
    ]
    # User attributes Keycloak sends as lists; an unknown divisi is none (it is optional).
    listed = tokens.verify(realm.token(unit=["35.05.01"], divisi=["Keuangan"]))
    assert listed.unit == "35.05.01" and listed.divisi is None
    # Exactly one of the platform's roles among the realm's.
    for roles in (["offline_access"], ["operator", "admin"]):
        with pytest.raises(Unauthenticated, match="tepat satu peran"):
            tokens.verify(realm.token(realm_access={"roles": roles}))
    with pytest.raises(Unauthenticated, match="peran dan unit"):
        tokens.verify(realm.token(unit="bukan-kode"))


def test_a_rotated_key_is_fetched_once_and_unknown_kids_do_not_flood_the_issuer(realm: Realm) -> None:
    tokens = verifier(realm, unknown_kid_seconds=5)
    tokens.verify(realm.token())
    assert tokens.fetches == 1
    new_kid = realm.rotate()
    with pytest.raises(Unauthenticated, match="tidak dikenal"):  # within 5 s of the last fetch: none
        tokens.verify(realm.token(kid=new_kid))
    assert tokens.fetches == 1
    time.sleep(5.1)
    assert tokens.verify(realm.token(kid=new_kid)).role == Role.OPERATOR
    assert tokens.fetches == 2
    # A flood of tokens naming kids nobody published: one fetch at most per 5 s, all refused.
    forged_kids = [
        jwt.encode({"sub": "x"}, dict(realm.keys)[new_kid], algorithm="RS256", headers={"kid": f"k{i}"})
        for i in range(20)
    ]
    for token in forged_kids:
        with pytest.raises(Unauthenticated, match="tidak dikenal"):
            tokens.verify(token)
    assert tokens.fetches == 2
    # Both keys stay valid while both are published.
    assert tokens.verify(realm.token(kid=realm.keys[1][0])).unit == "35.05"


def test_forgeries_and_wrong_claims_are_refused(realm: Realm) -> None:
    tokens = verifier(realm)
    kid = realm.keys[0][0]
    public_pem = (
        dict(realm.keys)[kid]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signed = realm.token()
    _, payload, signature = signed.split(".")
    hs_header = b64(json.dumps({"alg": "HS256", "kid": kid}).encode())
    hs = (
        f"{hs_header}.{payload}.{b64(hmac.new(public_pem, f'{hs_header}.{payload}'.encode(), hashlib.sha256).digest())}"
    )
    enc_header = b64(json.dumps({"alg": "RS256", "kid": "enc"}).encode())
    refused = {
        "HS256 keyed with the public key": hs,
        "alg none": f"{b64(json.dumps({'alg': 'none', 'kid': kid}).encode())}.{payload}.",
        "another realm": realm.token(iss="http://127.0.0.1:1/realms/lain"),
        "another audience": realm.token(aud=["account"]),
        "expired": realm.token(exp=int(time.time()) - 10, iat=int(time.time()) - 400),
        "no subject": realm.token(sub=None),
        "the encryption key's kid": f"{enc_header}.{payload}.{signature}",
    }
    for what, token in refused.items():
        with pytest.raises(Unauthenticated):
            tokens.verify(token)
            pytest.fail(what)
    assert tokens.verify(realm.token()).role == Role.OPERATOR


async def test_a_service_takes_keycloak_tokens_by_its_settings(
    realm: Realm, start_service: Any, platform_settings: PlatformSettings
) -> None:
    platform_settings.token_issuer = realm.issuer
    platform_settings.token_claim_role = "realm_access.roles"
    planning = await start_service("planning")
    token = realm.token(realm_access={"roles": ["default-roles-awasi", "viewer"]}, exp=int(time.time()) + 60)
    answer = await planning.get("/kegiatan?unit=35.05", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    other_audience = await planning.get(
        "/kegiatan?unit=35.05", headers={"Authorization": "Bearer " + realm.token(aud="lain")}
    )
    assert other_audience.status_code == 401


def test_the_exported_realm_maps_the_claims_the_services_read() -> None:
    """deploy/keycloak/realm-awasi.json gives a token what KEYCLOAK_MAPPING (the settings of
    deploy/keycloak/README.md) reads: the platform's roles, unit, divisi, jabatan, audience."""
    from pathlib import Path

    realm = json.loads((Path(__file__).parents[2] / "deploy/keycloak/realm-awasi.json").read_text())
    assert {r["name"] for r in realm["roles"]["realm"]} == {role.value for role in Role}
    (scope,) = [s for s in realm["clientScopes"] if s["name"] == "awasi"]
    assert "awasi" in realm["defaultDefaultClientScopes"]
    claims = {m["config"].get("claim.name") for m in scope["protocolMappers"]}
    assert {KEYCLOAK_MAPPING.role, KEYCLOAK_MAPPING.unit, KEYCLOAK_MAPPING.divisi, KEYCLOAK_MAPPING.jabatan} <= claims
    audience = [m for m in scope["protocolMappers"] if m["protocolMapper"] == "oidc-audience-mapper"]
    assert audience[0]["config"]["included.custom.audience"] == PlatformSettings().token_audience
    assert realm["accessTokenLifespan"] <= 300 and realm["defaultSignatureAlgorithm"] == "RS256"
    agency = [u for u in realm["users"] if u.get("serviceAccountClientId")]
    assert agency and agency[0]["realmRoles"] == ["agency"]
    assert not any("secret" in client for client in realm["clients"])  # Keycloak makes them on import
    (machine,) = [c for c in realm["clients"] if c.get("serviceAccountsEnabled")]
    assert {"katalog:baca", "webhook:kelola"} <= set(machine["defaultClientScopes"])
    assert {"katalog:baca", "webhook:kelola"} <= {s["name"] for s in realm["clientScopes"]}


async def test_verify_on_the_event_loop_never_waits_for_a_fetch(realm: Realm) -> None:
    """The synchronous path (a route calling ``verify`` itself) refuses a token of a key not held
    yet and fetches beside the loop; ``averify`` fetches off the loop, then verifies."""
    tokens = verifier(realm, unknown_kid_seconds=0)
    token = realm.token()
    realm.delay = 1.5  # a slow issuer: a fetch in line would hold the loop 3 s (discovery, certs)
    started = time.monotonic()
    with pytest.raises(Unauthenticated, match="tidak dikenal"):
        tokens.verify(token)
    assert time.monotonic() - started < 1.0  # no HTTP round trip on the loop

    async def fetched() -> bool:
        return tokens.fetches >= 1 and tokens.knows(token)

    await eventually(fetched, timeout=10)
    assert tokens.verify(token).role == Role.OPERATOR
    rotated = realm.token(kid=realm.rotate())
    assert (await tokens.averify(rotated)).unit == "35.05"
