"""The services against the running identity service, exactly as they would run against
Keycloak (issue 15, item 3): they know only the issuer's URL and the audience, read its discovery
document and JWKS over real HTTP, take a token from its sign-in, fetch again on a kid they do not
know (an emergency rotation), refuse every forgery with 401, and refuse a disabled account's
still-valid token once identity's event reached them over the real broker."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import jwt
import pytest
import sqlalchemy as sa
import uvicorn

from awasi_cli.testing import eventually, free_port
from awasi_common.settings import PlatformSettings
from tests.identity.conftest import ServiceWith, account_maker, bearer, masuk

Tokens = Callable[..., dict[str, str]]
UNIT = "35.05"


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one planning (group awasi.planning, from
    where its last run in the process stopped) also reads the account events other identity
    tests left there, and the inbox row that says a test's own AccountChanged was heard may be
    one of theirs."""
    return private_broker


class Issuer:
    def __init__(self, url: str, client: httpx.AsyncClient, app: Any) -> None:
        self.url = url
        self.client = client
        self.app = app

    def sign(self, claims: dict[str, Any]) -> str:
        """A token signed with identity's own current key (as a stolen key or a bug would)."""
        signer = self.app.state.tokens._penandatangan
        token: str = signer.tandatangani(claims, dt.datetime.now(dt.UTC))
        return token


@pytest.fixture
async def issuer(
    identity_with: ServiceWith, start_service: Any, platform_settings: PlatformSettings
) -> AsyncIterator[Issuer]:
    """Identity on a real port whose address is its issuer; the services started after it are
    told that address, as they would be told Keycloak's."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    client = await identity_with(ISSUER=url)
    app = start_service.apps["identity"]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return bool(server.started)

    await eventually(started, timeout=10)
    platform_settings.token_issuer = url
    platform_settings.jwks_unknown_kid_seconds = 0  # each unknown kid fetches (rate limits: test_auth_keycloak)
    try:
        yield Issuer(url, client, app)
    finally:
        server.should_exit = True
        await task


async def signed_in(issuer: Issuer, tokens: Tokens, role: str = "operator") -> tuple[str, str]:
    made = await account_maker(issuer.client, tokens)(UNIT, role, divisi="P2H", jabatan="Anggota")
    response = await masuk(issuer.client, made["akun"]["email"])
    assert response.status_code == 200, response.text
    return made["akun"]["id"], response.json()["access_token"]


def kid(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


async def test_a_token_of_identitys_sign_in_is_taken_after_discovery_and_jwks(
    issuer: Issuer, start_service: Any, tokens: Tokens
) -> None:
    planning = await start_service("planning")
    verifier = start_service.apps["planning"].state.tokens
    akun_id, access = await signed_in(issuer, tokens)
    response = await planning.get(f"/kegiatan?unit={UNIT}", headers=bearer(access))
    assert response.status_code == 200, response.text
    assert verifier.fetches >= 1 and verifier.issuer.jwks_uri == f"{issuer.url}/.well-known/jwks.json"
    principal = verifier.verify(access)
    assert (principal.subject, principal.unit, principal.divisi, principal.jabatan) == (akun_id, UNIT, "P2H", "Anggota")

    # An emergency rotation signs at once with a kid the service has never seen: it fetches again.
    rotated = await issuer.client.post("/kunci/rotasi?segera=true", headers=tokens("00", "admin"))
    assert rotated.status_code == 200, rotated.text
    _, after = await signed_in(issuer, tokens)
    assert kid(after) != kid(access)
    fetched = verifier.fetches
    response = await planning.get(f"/kegiatan?unit={UNIT}", headers=bearer(after))
    assert response.status_code == 200, response.text
    assert verifier.fetches >= fetched + 1  # the new kid fetched (the background job may fetch too)
    # The previous key stays published: its token still works during the overlap.
    assert (await planning.get(f"/kegiatan?unit={UNIT}", headers=bearer(access))).status_code == 200


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def test_forgeries_and_wrong_claims_are_refused_with_401(
    issuer: Issuer, start_service: Any, tokens: Tokens
) -> None:
    participation = await start_service("participation")
    akun_id, access = await signed_in(issuer, tokens)
    assert (await participation.get(f"/program?unit={UNIT}", headers=bearer(access))).status_code == 200
    now = int(time.time())
    good = {
        "sub": akun_id, "unit": UNIT, "role": "admin", "iss": issuer.url, "aud": "awasi",
        "iat": now, "exp": now + 300, "jti": str(uuid.uuid4()),
    }  # fmt: skip
    header = jwt.get_unverified_header(access)
    jwks = (await issuer.client.get("/.well-known/jwks.json")).json()
    public_x = next(k["x"] for k in jwks["keys"] if k["kid"] == header["kid"])
    payload = _b64(json.dumps(good).encode())
    unsigned = f"{_b64(json.dumps({'alg': 'none', 'kid': header['kid']}).encode())}.{payload}."
    hs_header = _b64(json.dumps({"alg": "HS256", "kid": header["kid"], "typ": "JWT"}).encode())
    hs_mac = hmac.new(public_x.encode(), f"{hs_header}.{payload}".encode(), hashlib.sha256).digest()
    forged = {
        "wrong audience": issuer.sign(good | {"aud": "aplikasi-lain"}),
        "wrong issuer": issuer.sign(good | {"iss": "http://127.0.0.1:1/realms/lain"}),
        "expired": issuer.sign(good | {"exp": now - 60, "iat": now - 400}),
        "alg none": unsigned,
        "HS256 keyed with the public key": f"{hs_header}.{payload}.{_b64(hs_mac)}",
        "unknown kid": jwt.encode(good, "x" * 32, algorithm="HS256", headers={"kid": "tidak-ada"}),
        "not a token": "bukan-token",
    }
    for what, token in forged.items():
        response = await participation.get(f"/program?unit={UNIT}", headers=bearer(token))
        assert response.status_code == 401, (what, response.text)
    # The same claims, properly signed, are taken: the refusals were for what was forged.
    assert (await participation.get(f"/program?unit={UNIT}", headers=bearer(issuer.sign(good)))).status_code == 200


@pytest.fixture(params=["default", "consumers-500", "reader-500"])
def fetch_waits(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The fetch waits as the platform has them by default (250 ms, not the suite's), the
    consumers' ``AWASI_KAFKA_FETCH_WAIT_MS`` raised to 500 ms (which the disabled-accounts reader
    follows), or the reader alone at 500 ms with the consumers at 100. A reader that slow to
    start once skipped the disabling written while it started (its start position was looked up
    after it): the token kept working for the whole minute."""
    from awasi_common import runtime
    from awasi_common.disabled import DisabledSubjects

    if request.param == "default":
        monkeypatch.delenv("AWASI_KAFKA_FETCH_WAIT_MS", raising=False)
    elif request.param == "consumers-500":
        monkeypatch.setenv("AWASI_KAFKA_FETCH_WAIT_MS", "500")
    elif request.param == "reader-500":
        monkeypatch.setenv("AWASI_KAFKA_FETCH_WAIT_MS", "100")

        def slow_reader(bootstrap: str, *, fetch_wait_ms: int) -> DisabledSubjects:
            return DisabledSubjects(bootstrap, fetch_wait_ms=500)

        monkeypatch.setattr(runtime, "DisabledSubjects", slow_reader)
    return str(request.param)


async def test_a_disabled_accounts_token_is_refused_within_a_minute(
    fetch_waits: str, issuer: Issuer, start_service: Any, tokens: Tokens
) -> None:
    planning = await start_service("planning")
    akun_id, access = await signed_in(issuer, tokens)
    assert (await planning.get(f"/kegiatan?unit={UNIT}", headers=bearer(access))).status_code == 200
    made = await planning.post("/kegiatan/kalender/token", json={"label": "Ponsel"}, headers=bearer(access))
    assert made.status_code == 201, made.text
    feed = {"unit": UNIT, "token": made.json()["token"]}
    assert (await planning.get("/kegiatan/kalender.ics", params=feed)).status_code == 200
    disabled = await issuer.client.post(f"/akun/{akun_id}/nonaktifkan", headers=tokens(UNIT, "admin"))
    assert disabled.status_code == 200, disabled.text
    started = time.monotonic()

    async def refused() -> httpx.Response | None:
        response = await planning.get(f"/kegiatan?unit={UNIT}", headers=bearer(access))
        return response if response.status_code == 401 else None

    response = await eventually(refused, timeout=60, interval=0.5)
    took = time.monotonic() - started
    assert "dinonaktifkan" in response.json()["detail"]
    print(f"disabled account refused by planning {took:.1f} s after disabling")
    assert took < 60
    # Its calendar feed token too, and for good: planning revokes it in its own database.
    assert (await planning.get("/kegiatan/kalender.ics", params=feed)).status_code == 401

    async def revoked() -> bool:
        async with start_service.apps["planning"].state.service.sessions() as session:
            query = sa.text("SELECT dicabut_pada FROM token_kalender WHERE subjek = :s")
            return (await session.execute(query, {"s": akun_id})).scalar_one() is not None

    await eventually(revoked, timeout=30)


async def test_a_process_started_after_the_disabling_knows_it(
    issuer: Issuer, start_service: Any, tokens: Tokens, kafka_bootstrap: str
) -> None:
    """A replica that starts later reads the recent past of the topic (by time), not all of it."""
    from awasi_common.disabled import DisabledSubjects

    akun_id, _ = await signed_in(issuer, tokens)
    disabled = await issuer.client.post(f"/akun/{akun_id}/nonaktifkan", headers=tokens(UNIT, "admin"))
    assert disabled.status_code == 200, disabled.text
    await asyncio.sleep(1.0)  # the outbox relay has published it
    later = DisabledSubjects(kafka_bootstrap)
    reader = asyncio.create_task(later.run())
    try:

        async def known() -> bool:
            return later.is_disabled(akun_id)

        await eventually(known, timeout=30)
        # The window is by time: one that ends before the event began misses it.
        before = DisabledSubjects(kafka_bootstrap, lookback_seconds=-3600)
        early = asyncio.create_task(before.run())
        await asyncio.sleep(3)
        assert not before.is_disabled(akun_id)
        early.cancel()
    finally:
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)


async def test_a_feed_token_stops_when_its_maker_moves_unit_or_role(
    issuer: Issuer, start_service: Any, tokens: Tokens
) -> None:
    planning = await start_service("planning")
    akun_id, access = await signed_in(issuer, tokens)
    made = await planning.post("/kegiatan/kalender/token", json={"label": "Ponsel"}, headers=bearer(access))
    feed = {"unit": UNIT, "token": made.json()["token"]}
    admin = tokens(UNIT, "admin")
    # A new divisi leaves it (the event heard, the token kept); a move to another unit ends it.
    changed = await issuer.client.patch(f"/akun/{akun_id}", json={"divisi": "HPS"}, headers=admin)
    assert changed.status_code == 200, changed.text

    async def heard() -> int:
        async with start_service.apps["planning"].state.service.sessions() as session:
            return int((await session.execute(sa.text("SELECT count(*) FROM inbox"))).scalar_one())

    await eventually(heard, timeout=30)
    assert (await planning.get("/kegiatan/kalender.ics", params=feed)).status_code == 200
    moved = await issuer.client.patch(f"/akun/{akun_id}", json={"unit": "35.05.01"}, headers=admin)
    assert moved.status_code == 200, moved.text

    async def refused() -> bool:
        return (await planning.get("/kegiatan/kalender.ics", params=feed)).status_code == 401

    await eventually(refused, timeout=30)
