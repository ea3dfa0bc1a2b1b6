"""Access tokens the other services can verify without a shared secret: EdDSA, published as a
JWKS with a discovery document, read here by PyJWT's own client over real HTTP; rotation
keeps the previous key published so that tokens of both keys verify during the overlap."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import jwt
import pytest
import uvicorn

from awasi_cli.testing import eventually, free_port
from awasi_common.auth import Principal, Role
from tests.identity.conftest import AccountMaker, ServiceWith, account_maker, bearer, masuk

Tokens = Callable[..., dict[str, str]]


@contextlib.asynccontextmanager
async def served(app: Any) -> AsyncIterator[str]:
    """The running app on a real port (its lifespan is already entered by the fixture)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return bool(server.started)

    await eventually(started, timeout=10)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def issuer_url(identity: httpx.AsyncClient, start_service: Any) -> AsyncIterator[str]:
    async with served(start_service.apps["identity"]) as url:
        yield url


async def test_a_token_verifies_against_the_published_jwks(
    identity: httpx.AsyncClient, buat_akun: AccountMaker, issuer_url: str, start_service: Any
) -> None:
    made = await buat_akun("35.05", "operator", divisi="PP-Datin", jabatan="Staf Divisi PP-Datin")
    access = (await masuk(identity, made["akun"]["email"])).json()["access_token"]

    discovery = (await identity.get("/.well-known/openid-configuration")).json()
    port = start_service.apps["identity"].state.service.settings.port
    assert discovery["issuer"] == f"http://127.0.0.1:{port}"
    assert discovery["jwks_uri"] == f"http://127.0.0.1:{port}/.well-known/jwks.json"
    assert discovery["token_endpoint"] == f"http://127.0.0.1:{port}/token"
    assert discovery["grant_types_supported"] == ["password", "refresh_token", "client_credentials"]
    assert discovery["id_token_signing_alg_values_supported"] == ["EdDSA"]

    header = jwt.get_unverified_header(access)
    assert header["alg"] == "EdDSA" and header["kid"]
    client = jwt.PyJWKClient(f"{issuer_url}/.well-known/jwks.json")
    key = await asyncio.to_thread(client.get_signing_key_from_jwt, access)
    claims = jwt.decode(access, key, algorithms=["EdDSA"], audience="awasi", issuer=discovery["issuer"])
    assert claims["sub"] == made["akun"]["id"]
    assert (claims["unit"], claims["role"], claims["divisi"]) == ("35.05", "operator", "PP-Datin")
    assert claims["jabatan"] == "Staf Divisi PP-Datin" and claims["amr"] == ["pwd"]
    assert claims["exp"] - claims["iat"] == 300 and claims["jti"]
    assert "email" not in claims and "nama" not in claims
    principal = Principal(subject=claims["sub"], role=claims["role"], unit=claims["unit"])
    assert principal.role == Role.OPERATOR and principal.can_read("35.05.01")

    keys = (await identity.get("/.well-known/jwks.json")).json()["keys"]
    assert [k["kid"] for k in keys] == [header["kid"]]
    assert keys[0]["kty"] == "OKP" and keys[0]["crv"] == "Ed25519" and "d" not in keys[0]
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(access, key, algorithms=["EdDSA"], audience="lain", issuer=discovery["issuer"])
    with pytest.raises(jwt.InvalidAlgorithmError):
        jwt.decode(access, key, algorithms=["HS256"], audience="awasi")


def _kid(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


async def _verify(client: jwt.PyJWKClient, token: str) -> dict[str, Any]:
    key = await asyncio.to_thread(client.get_signing_key_from_jwt, token)
    claims: dict[str, Any] = jwt.decode(token, key, algorithms=["EdDSA"], audience="awasi")
    return claims


async def test_a_scheduled_key_is_published_before_it_signs(
    identity_with: ServiceWith, tokens: Tokens, start_service: Any
) -> None:
    """A verifier that cached the JWKS knows the new key before the first token names it."""
    identity_lead = await identity_with(SIGNING_KEY_LEAD_SECONDS="2")
    admin = tokens("00", "admin")
    async with served(start_service.apps["identity"]) as url:
        verifier = jwt.PyJWKClient(f"{url}/.well-known/jwks.json", lifespan=1)
        made = await account_maker(identity_lead, tokens)("35", "operator")
        email = made["akun"]["email"]
        before = (await masuk(identity_lead, email)).json()["access_token"]
        await _verify(verifier, before)

        published = (await identity_lead.post("/kunci/rotasi", headers=admin)).json()["diterbitkan"]
        assert len(published) == 2 and published[1] == _kid(before)
        still_old = (await masuk(identity_lead, email)).json()["access_token"]
        assert _kid(still_old) == _kid(before)  # published, not yet signing
        await asyncio.sleep(2.1)  # the lead (2 s here) passed; the verifier's cache (1 s) too
        await _verify(verifier, still_old)  # refetched: now holds both keys
        after = (await masuk(identity_lead, email)).json()["access_token"]
        assert _kid(after) == published[0]
        assert (await _verify(verifier, after))["sub"] == made["akun"]["id"]
        assert (await _verify(verifier, before))["sub"] == made["akun"]["id"]


async def test_an_emergency_rotation_keeps_both_keys_valid_then_retires_the_oldest(
    identity: httpx.AsyncClient, buat_akun: AccountMaker, tokens: Tokens, issuer_url: str
) -> None:
    made = await buat_akun("35", "operator")
    email, akun_id = made["akun"]["email"], made["akun"]["id"]
    before = (await masuk(identity, email)).json()["access_token"]
    verifier = jwt.PyJWKClient(f"{issuer_url}/.well-known/jwks.json", cache_keys=True, cooldown_duration=0)
    await _verify(verifier, before)  # the verifier's cache: the old key only

    refused = await identity.post("/kunci/rotasi", params={"segera": "true"}, headers=tokens("35", "admin"))
    assert refused.status_code == 403 and "admin Bawaslu RI" in refused.json()["detail"]
    rotated = await identity.post("/kunci/rotasi", params={"segera": "true"}, headers=tokens("00", "admin"))
    assert rotated.status_code == 200
    published = rotated.json()["diterbitkan"]
    assert len(published) == 2 and published[1] == _kid(before)

    after = (await masuk(identity, email)).json()["access_token"]
    assert _kid(after) == published[0]
    for token in (before, after):  # an unknown kid makes the client fetch the JWKS again
        assert (await _verify(verifier, token))["sub"] == akun_id
        # identity itself takes both as well
        assert (await identity.get(f"/akun/{akun_id}", headers=bearer(token))).status_code == 200

    await identity.post("/kunci/rotasi", params={"segera": "true"}, headers=tokens("00", "admin"))
    keys = [k["kid"] for k in (await identity.get("/.well-known/jwks.json")).json()["keys"]]
    assert len(keys) == 2 and _kid(before) not in keys
    fresh = jwt.PyJWKClient(f"{issuer_url}/.well-known/jwks.json")
    with pytest.raises(jwt.PyJWKClientError):
        await asyncio.to_thread(fresh.get_signing_key_from_jwt, before)
    assert (await identity.get(f"/akun/{akun_id}", headers=bearer(before))).status_code == 401
    assert (await identity.get(f"/akun/{akun_id}", headers=bearer(after))).status_code == 200


async def test_the_private_keys_are_sealed_at_rest(identity: httpx.AsyncClient, start_service: Any) -> None:
    import sqlalchemy as sa

    from awasi_identity.adapters.orm import kunci_penandatangan

    # The first look makes the first key if the key job has not yet.
    assert len((await identity.get("/.well-known/jwks.json")).json()["keys"]) == 1
    service = start_service.apps["identity"].state.service
    async with service.sessions() as session:
        rows = (await session.execute(sa.select(kunci_penandatangan))).mappings().all()
    assert rows
    for row in rows:
        assert b"PRIVATE KEY" not in bytes(row["privat_tersegel"])


async def test_forged_tokens_are_refused(identity: httpx.AsyncClient, buat_akun: AccountMaker) -> None:
    import base64
    import json

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    made = await buat_akun("35.05", "operator")
    genuine = (await masuk(identity, made["akun"]["email"])).json()["access_token"]
    claims = jwt.decode(genuine, options={"verify_signature": False})
    jwk = (await identity.get("/.well-known/jwks.json")).json()["keys"][0]
    url = f"/akun/{made['akun']['id']}"
    assert (await identity.get(url, headers=bearer(genuine))).status_code == 200

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    escalated = claims | {"role": "admin", "unit": "00"}
    forgeries = {
        "own key, their kid": jwt.encode(escalated, Ed25519PrivateKey.generate(), "EdDSA", {"kid": jwk["kid"]}),
        "alg none": f"{part({'alg': 'none', 'kid': jwk['kid']})}.{part(escalated)}.",
        "HS256 keyed with the public key": jwt.encode(escalated, jwk["x"], "HS256", {"kid": jwk["kid"]}),
        "other audience": jwt.encode(claims | {"aud": "lain"}, Ed25519PrivateKey.generate(), "EdDSA"),
    }
    for name, token in forgeries.items():
        response = await identity.get(url, headers=bearer(token))
        assert response.status_code == 401, (name, response.text)
    # A genuine token cut and stitched onto escalated claims fails its signature.
    header, _, signature = genuine.split(".")
    stitched = f"{header}.{part(escalated)}.{signature}"
    assert (await identity.get(url, headers=bearer(stitched))).status_code == 401
