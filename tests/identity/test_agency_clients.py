"""Agencies' machines with OAuth2 client credentials (issue 15, item 5): Bawaslu RI's admin
registers a client, the client gets a short-lived ``agency`` token with its scopes from
``POST /token``, and the services, running against identity over real HTTP, let it read the public
events and catalog and manage its own webhooks, nothing else; a disabled client's token stops."""

from __future__ import annotations

import base64
import time
from typing import Any

import httpx
import jwt

from awasi_cli.testing import eventually
from awasi_common.auth import AGENCY_REFUSED
from tests.identity.conftest import bearer
from tests.identity.test_services_verify import Issuer, Tokens, issuer  # noqa: F401 - the fixture

HOOK = {
    "lembaga": "KPU Kabupaten Blitar",
    "url": "https://8.8.8.8/awasi",
    "jenis_event": ["awasi.KegiatanScheduled.v1"],
}


async def register(identity: httpx.AsyncClient, tokens: Tokens, **body: Any) -> dict[str, Any]:
    made = await identity.post(
        "/klien", json={"nama": "KPU Kabupaten Blitar", "unit": "35.05", **body}, headers=tokens("00", "admin")
    )
    assert made.status_code == 201, made.text
    assert made.headers["cache-control"] == "no-store"
    result: dict[str, Any] = made.json()
    return result


async def client_token(identity: httpx.AsyncClient, client_id: str, secret: str, **form: str) -> httpx.Response:
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, **form}
    return await identity.post("/token", data=data)


async def test_registered_by_ri_admin_and_tokens_by_client_credentials(issuer: Issuer, tokens: Tokens) -> None:  # noqa: F811
    identity = issuer.client
    body = {"nama": "KPU Provinsi Jawa Timur", "unit": "35"}
    for who in (tokens("35", "admin"), tokens("00", "operator")):
        assert (await identity.post("/klien", json=body, headers=who)).status_code == 403
    made = await register(identity, tokens)
    client_id, secret = made["client_id"], made["client_secret"]
    assert made["cakupan"] == ["katalog:baca", "webhook:kelola"]
    listed = (await identity.get("/klien", headers=tokens("00", "admin"))).json()
    assert [k["client_id"] for k in listed] == [client_id] and "client_secret" not in listed[0]
    assert secret not in str(listed)

    answer = await client_token(identity, client_id, secret)
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    issued = answer.json()
    assert "refresh_token" not in issued and issued["expires_in"] == 300 and issued["token_type"] == "Bearer"
    claims = jwt.decode(issued["access_token"], options={"verify_signature": False})
    assert (claims["sub"], claims["role"], claims["unit"], claims["scope"]) == (
        client_id,
        "agency",
        "35.05",
        issued["scope"],
    )
    assert claims["exp"] - claims["iat"] == 300 and claims["iss"] == issuer.url

    # HTTP Basic (RFC 6749 §2.3.1) works as well; a narrower scope is granted as asked.
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    narrowed = await identity.post(
        "/token",
        data={"grant_type": "client_credentials", "scope": "katalog:baca"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert narrowed.status_code == 200 and narrowed.json()["scope"] == "katalog:baca", narrowed.text

    wrong = await client_token(identity, client_id, secret + "x")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    unknown = await client_token(identity, "00000000-0000-4000-8000-000000000000", secret)
    assert unknown.status_code == 401 and unknown.json()["detail"] == wrong.json()["detail"]
    scope = await client_token(identity, client_id, secret, scope="akun:kelola")
    assert scope.status_code == 400 and scope.json()["error"] == "invalid_scope"
    missing = await identity.post("/token", data={"grant_type": "client_credentials", "client_id": client_id})
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    audit = (await identity.get("/audit", params={"unit": "35.05"}, headers=tokens("00", "admin"))).json()
    assert {"klien_didaftarkan", "klien_masuk", "klien_gagal"} <= {row["tindakan"] for row in audit}
    assert secret not in str(audit)


async def test_an_agency_token_reads_the_public_and_manages_its_own_webhooks_only(
    issuer: Issuer,  # noqa: F811
    start_service: Any,
    tokens: Tokens,
) -> None:
    notification = await start_service("notification")
    planning = await start_service("planning")
    reporting = await start_service("reporting")
    participation = await start_service("participation")
    made = await register(issuer.client, tokens)
    other = await register(issuer.client, tokens, nama="Bawaslu Mitra Lain")
    access = (await client_token(issuer.client, made["client_id"], made["client_secret"])).json()["access_token"]
    other_access = (await client_token(issuer.client, other["client_id"], other["client_secret"])).json()[
        "access_token"
    ]
    agency = bearer(access)

    # The public catalog and events.
    assert (await notification.get("/jenis-event", headers=agency)).status_code == 200
    assert (await planning.get("/events/asyncapi.json", headers=agency)).status_code == 200
    # Its own webhooks and subscriptions, their deliveries.
    hook = await notification.post("/webhook", json=HOOK, headers=agency)
    assert hook.status_code == 201, hook.text
    hook_id = hook.json()["id"]
    assert [h["id"] for h in (await notification.get("/webhook", headers=agency)).json()] == [hook_id]
    assert (await notification.get(f"/webhook/{hook_id}/pengiriman", headers=agency)).status_code == 200
    # A token asked with the catalog's scope only reads the catalog; its webhooks need webhook:kelola.
    narrow = (await client_token(issuer.client, made["client_id"], made["client_secret"], scope="katalog:baca")).json()[
        "access_token"
    ]
    assert (await notification.get("/jenis-event", headers=bearer(narrow))).status_code == 200
    refused_scope = await notification.get("/webhook", headers=bearer(narrow))
    assert refused_scope.status_code == 403 and "webhook:kelola" in refused_scope.json()["detail"]
    # Not another agency's.
    assert (await notification.get("/webhook", headers=bearer(other_access))).json() == []
    assert (await notification.get(f"/webhook/{hook_id}", headers=bearer(other_access))).status_code == 404
    # Nothing of the staff's.
    for client, path in (
        (planning, "/kegiatan?unit=35.05"),
        (participation, "/program?unit=35.05"),
        (reporting, "/form-a?unit=35.05"),
        (notification, "/pengingat"),
    ):
        refused = await client.get(path, headers=agency)
        assert refused.status_code == 403 and refused.json()["detail"] == AGENCY_REFUSED, (path, refused.text)
    kegiatan = await planning.post("/kegiatan", json={"unit": "35.05"}, headers=agency)
    assert kegiatan.status_code == 403

    # Disabled by RI's admin: no new token, and the one it holds stops within a minute.
    disabled = await issuer.client.post(f"/klien/{made['client_id']}/nonaktifkan", headers=tokens("00", "admin"))
    assert disabled.status_code == 200 and disabled.json()["dinonaktifkan_pada"]
    assert (await client_token(issuer.client, made["client_id"], made["client_secret"])).status_code == 401
    started = time.monotonic()

    async def refused() -> bool:
        return (await notification.get("/webhook", headers=agency)).status_code == 401

    await eventually(refused, timeout=60, interval=0.5)
    print(f"disabled client refused by notification {time.monotonic() - started:.1f} s after disabling")
    assert (await notification.get("/webhook", headers=bearer(other_access))).status_code == 200
