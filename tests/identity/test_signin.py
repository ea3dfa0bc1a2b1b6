"""Activation, the password policy, sign-in with backoff and lockout, refresh-token rotation,
and the audit trail, through the real service, database and broker."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from tests.identity.conftest import SANDI, AccountMaker, ServiceWith, account_maker, bearer, email_baru, masuk, segarkan

Tokens = Callable[..., dict[str, str]]


async def _audit(start_service: Any) -> list[dict[str, Any]]:
    from awasi_identity.adapters.orm import audit

    service = start_service.apps["identity"].state.service
    async with service.sessions() as session:
        return [dict(row) for row in (await session.execute(sa.select(audit).order_by(audit.c.id))).mappings()]


async def test_activation_sets_the_password_once(identity: httpx.AsyncClient, buat_akun: AccountMaker) -> None:
    made = await buat_akun("35.05.01.2001", "pengawas", aktif=False, berlaku_sampai="2099-02-28")
    email, kode = made["akun"]["email"], made["kode_aktivasi"]
    assert (await masuk(identity, email)).status_code == 400  # no password yet
    wrong = await identity.post(
        "/akun/aktivasi", json={"email": email, "kode": "AAAAA-BBBBB-CCCCC-DDDDD", "sandi": SANDI}
    )
    assert wrong.status_code == 422 and wrong.json()["field"] == "kode"
    other = await identity.post("/akun/aktivasi", json={"email": email_baru(), "kode": kode, "sandi": SANDI})
    assert other.status_code == 422 and other.json()["detail"] == wrong.json()["detail"]
    # Typed by hand: case and dashes do not matter.
    typed = kode.replace("-", " ").lower()
    done = await identity.post("/akun/aktivasi", json={"email": email.upper(), "kode": typed, "sandi": SANDI})
    assert done.status_code == 200, done.text
    assert done.json()["akun"]["status"] == "aktif" and done.json()["totp"] is None  # a pengawas: no second factor
    again = await identity.post("/akun/aktivasi", json={"email": email, "kode": kode, "sandi": SANDI + " lagi"})
    assert again.status_code == 422
    assert (await masuk(identity, email)).status_code == 200


WEAK = [
    ("Pendek#12", "terlalu pendek"),
    ("password1234", "umum dipakai atau pernah bocor"),
    ("qwertyuiop123", "umum dipakai atau pernah bocor"),
    ("1qaz2wsx3edc", "umum dipakai atau pernah bocor"),
    ("Password123!", "umum dipakai atau pernah bocor"),
    ("aaaaaaaaaaaaaaaa", "mudah ditebak"),
    ("12345678901234", "mudah ditebak"),
    ("trustno1trustno1", "mudah ditebak"),
    ("x" * 129, "terlalu panjang"),
]


async def test_weak_passwords_are_refused_saying_why(identity: httpx.AsyncClient, buat_akun: AccountMaker) -> None:
    made = await buat_akun("35.05", aktif=False)
    body = {"email": made["akun"]["email"], "kode": made["kode_aktivasi"]}
    for sandi, why in WEAK:
        refused = await identity.post("/akun/aktivasi", json=body | {"sandi": sandi})
        assert refused.status_code == 422, (sandi, refused.text)
        assert why in refused.json()["detail"], (sandi, refused.json())
        assert "sandi" in refused.json().get("field", refused.json()["detail"])
    # The code still works once a good password is chosen.
    assert (await identity.post("/akun/aktivasi", json=body | {"sandi": SANDI})).status_code == 200


async def test_the_owners_own_name_and_email_make_a_weak_password(
    identity: httpx.AsyncClient, buat_akun: AccountMaker
) -> None:
    made = await buat_akun("35.05", aktif=False, nama="Bambang Sulistyo")
    local = made["akun"]["email"].split("@")[0]
    body = {"email": made["akun"]["email"], "kode": made["kode_aktivasi"], "sandi": f"{local}2024"}
    refused = await identity.post("/akun/aktivasi", json=body)
    assert refused.status_code == 422 and refused.json()["field"] == "sandi"


async def test_lockout_after_five_failures_answers_an_unknown_email_alike(
    identity: httpx.AsyncClient, buat_akun: AccountMaker, start_service: Any
) -> None:
    made = await buat_akun("35.05")
    email, unknown = made["akun"]["email"], email_baru("tidak-ada")
    for attempt in range(5):
        known = await masuk(identity, email, "salah sekali kata sandinya")
        stranger = await masuk(identity, unknown, "salah sekali kata sandinya")
        assert known.status_code == stranger.status_code == 400, attempt
        assert known.json() == stranger.json()
        assert known.json()["error"] == "invalid_grant"
    locked = await masuk(identity, email)
    locked_unknown = await masuk(identity, unknown)
    assert locked.status_code == locked_unknown.status_code == 429
    assert locked.json()["detail"] == locked_unknown.json()["detail"].replace(
        locked_unknown.json()["terkunci_sampai"][11:19], locked.json()["terkunci_sampai"][11:19]
    )
    until = dt.datetime.fromisoformat(locked.json()["terkunci_sampai"])
    assert dt.timedelta(minutes=14) < until - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=15)
    assert "dikunci sampai" in locked.json()["detail"]
    assert 14 * 60 < int(locked.headers["retry-after"]) <= 15 * 60 + 1
    assert locked.headers["cache-control"] == "no-store"
    # Even the right password waits for the lock to end.
    assert (await masuk(identity, email, SANDI)).status_code == 429

    rows = await _audit(start_service)
    mine = [r for r in rows if r["akun_id"] == made["akun"]["id"]]
    actions = [r["tindakan"] for r in mine]
    assert actions.count("masuk_gagal") == 5 and actions.count("dikunci") == 1
    assert any(r["tindakan"] == "masuk_ditahan" for r in rows)
    assert all(r["unit"] == "35.05" for r in mine)


async def test_backoff_between_failures(identity_with: ServiceWith, tokens: Tokens) -> None:
    identity_backoff = await identity_with(BACKOFF_SECONDS="1")  # the default: 1 s after the third failure
    made = await account_maker(identity_backoff, tokens)("35.05")
    email = made["akun"]["email"]
    for _ in range(3):
        assert (await masuk(identity_backoff, email, "bukan kata sandi ini")).status_code == 400
    waiting = await masuk(identity_backoff, email)
    assert waiting.status_code == 429 and "coba lagi setelah" in waiting.json()["detail"]
    await asyncio.sleep(1.1)
    assert (await masuk(identity_backoff, email)).status_code == 200


async def test_refresh_tokens_rotate_and_a_reused_one_revokes_its_family(
    identity: httpx.AsyncClient, buat_akun: AccountMaker, tokens: Tokens, start_service: Any
) -> None:
    made = await buat_akun("35.05", "operator")
    signed_in = await masuk(identity, made["akun"]["email"])
    assert signed_in.status_code == 200
    first = signed_in.json()
    assert first["token_type"] == "Bearer" and first["expires_in"] == 300
    assert signed_in.headers["cache-control"] == "no-store"
    second = (await segarkan(identity, first["refresh_token"])).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    third = await segarkan(identity, second["refresh_token"])
    assert third.status_code == 200
    # The first token comes back: a copy. It and every token of its sign-in stop working.
    reused = await segarkan(identity, first["refresh_token"])
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    assert (await segarkan(identity, third.json()["refresh_token"])).status_code == 400
    # Another sign-in is its own family.
    fresh = (await masuk(identity, made["akun"]["email"])).json()
    assert (await segarkan(identity, fresh["refresh_token"])).status_code == 200
    assert any(r["tindakan"] == "token_dipakai_ulang" for r in await _audit(start_service))


async def test_disabling_or_resetting_an_account_ends_its_refresh_tokens(
    identity: httpx.AsyncClient, buat_akun: AccountMaker, tokens: Tokens
) -> None:
    made = await buat_akun("35.05.01", "pengawas")
    email, akun_id = made["akun"]["email"], made["akun"]["id"]
    session = (await masuk(identity, email)).json()
    reset = await identity.post(f"/akun/{akun_id}/kode-aktivasi", headers=tokens("35.05", "admin"))
    assert reset.status_code == 200 and reset.json()["akun"]["status"] == "menunggu_aktivasi"
    assert (await segarkan(identity, session["refresh_token"])).status_code == 400
    assert (await masuk(identity, email)).status_code == 400
    body = {"email": email, "kode": reset.json()["kode_aktivasi"], "sandi": "sepeda biru di tepi sungai brantas"}
    assert (await identity.post("/akun/aktivasi", json=body)).status_code == 200
    session = (await masuk(identity, email, body["sandi"])).json()
    assert (await identity.post(f"/akun/{akun_id}/nonaktifkan", headers=tokens("35.05.01", "admin"))).status_code == 200
    assert (await segarkan(identity, session["refresh_token"])).status_code == 400
    assert (await masuk(identity, email, body["sandi"])).status_code == 400


async def test_an_ad_hoc_term_that_ended_signs_in_no_more(
    identity: httpx.AsyncClient, buat_akun: AccountMaker, tokens: Tokens
) -> None:
    made = await buat_akun("35.05.01.2001.001", "pengawas", berlaku_mulai="2024-01-01", berlaku_sampai="2099-12-31")
    email, akun_id = made["akun"]["email"], made["akun"]["id"]
    session = (await masuk(identity, email)).json()
    ended = await identity.patch(
        f"/akun/{akun_id}", json={"berlaku_sampai": "2024-02-14"}, headers=tokens("35.05.01", "admin")
    )
    assert ended.status_code == 200
    assert (await masuk(identity, email)).status_code == 400
    assert (await segarkan(identity, session["refresh_token"])).status_code == 400


async def test_the_token_endpoint_refuses_what_it_does_not_know(identity: httpx.AsyncClient) -> None:
    for data, error in [
        ({"grant_type": "client_credentials"}, "invalid_request"),
        ({"grant_type": "authorization_code", "code": "x"}, "unsupported_grant_type"),
        ({"grant_type": "password", "username": "a@b.id"}, "invalid_request"),
        ({"grant_type": "refresh_token"}, "invalid_request"),
        ({"grant_type": "refresh_token", "refresh_token": "tebakan"}, "invalid_grant"),
    ]:
        response = await identity.post("/token", data=data)
        assert response.status_code == 400, (data, response.text)
        assert response.json()["error"] == error
    missing = await identity.post("/token", data={})
    assert missing.status_code == 422 and "grant_type" in missing.json()["detail"]
    too_long = await identity.post("/token", data={"grant_type": "password", "username": "a" * 255, "password": "x"})
    assert too_long.status_code == 422 and "username" in too_long.json()["detail"]
    bad_bytes = await identity.post(
        "/token",
        content=b"grant_type=password&username=%ff%fe&password=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert bad_bytes.status_code == 422
    as_json = await identity.post("/token", json={"grant_type": "password", "username": "a@b.id", "password": "x"})
    assert as_json.status_code == 422


async def test_nothing_secret_in_the_audit_table_or_the_span_files(
    identity: httpx.AsyncClient, buat_akun: AccountMaker, start_service: Any, platform_settings: Any
) -> None:
    made = await buat_akun("35.05")
    email = made["akun"]["email"]
    session = (await masuk(identity, email)).json()
    refreshed = (await segarkan(identity, session["refresh_token"])).json()
    await masuk(identity, email, "kata sandi yang keliru sekali")
    secrets = [SANDI, "kata sandi yang keliru sekali", made["kode_aktivasi"], made["kode_aktivasi"].replace("-", "")]
    secrets += [
        session["refresh_token"],
        refreshed["refresh_token"],
        session["access_token"],
        refreshed["access_token"],
    ]
    rows = await _audit(start_service)
    assert {"akun_dibuat", "kode_aktivasi_dibuat", "aktivasi", "masuk", "token_disegarkan", "masuk_gagal"} <= {
        r["tindakan"] for r in rows
    }
    created = next(r for r in rows if r["tindakan"] == "akun_dibuat" and r["akun_id"] == made["akun"]["id"])
    assert created["pelaku"] == "admin@35.05" and created["pelaku_unit"] == "35.05" and created["unit"] == "35.05"
    audit_text = repr(rows)
    start_service.apps["identity"].state.service.telemetry.tracer_provider.force_flush()
    traces = Path(platform_settings.data_dir) / "traces" / "identity.jsonl"
    span_text = traces.read_text() if traces.exists() else ""
    assert span_text, "the service wrote no spans"
    for secret in secrets:
        assert secret not in audit_text
        assert secret not in span_text
    assert "$argon2id$" not in span_text and "$argon2id$" not in audit_text


async def test_an_issued_token_acts_on_identity_itself(
    identity: httpx.AsyncClient, buat_akun: AccountMaker, tokens: Tokens
) -> None:
    admin = await buat_akun("35.05", "admin")
    access = (await masuk(identity, admin["akun"]["email"], totp=admin["totp"]["rahasia"])).json()["access_token"]
    made = await identity.post(
        "/akun",
        json={"nama": "Rudi", "email": email_baru(), "unit": "35.05.02", "role": "operator"},
        headers=bearer(access),
    )
    assert made.status_code == 201, made.text
    refused = await identity.post(
        "/akun",
        json={"nama": "Rudi", "email": email_baru(), "unit": "35.06", "role": "operator"},
        headers=bearer(access),
    )
    assert refused.status_code == 403
    mine = await identity.get(f"/akun/{admin['akun']['id']}", headers=bearer(access))
    assert mine.status_code == 200
    tampered = access[:-4] + ("AAAA" if not access.endswith("AAAA") else "BBBB")
    assert (await identity.get(f"/akun/{admin['akun']['id']}", headers=bearer(tampered))).status_code == 401
    # Disabled by the province above: its token, valid for minutes more, manages nothing here.
    disabled = await identity.post(f"/akun/{admin['akun']['id']}/nonaktifkan", headers=tokens("35", "admin"))
    assert disabled.status_code == 200
    after = await identity.post(
        "/akun",
        json={"nama": "Rudi", "email": email_baru(), "unit": "35.05", "role": "operator"},
        headers=bearer(access),
    )
    assert after.status_code == 401 and "dinonaktifkan" in after.json()["detail"]


async def test_expired_refresh_tokens_are_deleted_from_the_database(
    identity: httpx.AsyncClient, buat_akun: AccountMaker, start_service: Any
) -> None:
    from awasi_identity.commands import HapusTokenKedaluwarsa

    made = await buat_akun("35.05")
    session = (await masuk(identity, made["akun"]["email"])).json()
    bus = start_service.apps["identity"].state.bus
    assert await bus.handle(HapusTokenKedaluwarsa(sebelum=dt.datetime.now(dt.UTC))) == 0
    in_a_month = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    assert await bus.handle(HapusTokenKedaluwarsa(sebelum=in_a_month)) >= 1
    assert (await segarkan(identity, session["refresh_token"])).status_code == 400


async def test_a_units_admin_reads_the_audit_trail_of_its_accounts(
    identity: httpx.AsyncClient, buat_akun: AccountMaker, tokens: Tokens
) -> None:
    made = await buat_akun("35.05.01", "operator")
    email, akun_id = made["akun"]["email"], made["akun"]["id"]
    await masuk(identity, email, "salah sekali kata sandinya")
    session = (await masuk(identity, email)).json()
    trail = await identity.get("/audit", params={"unit": "35.05", "akun_id": akun_id}, headers=tokens("35.05", "admin"))
    assert trail.status_code == 200, trail.text
    actions = [row["tindakan"] for row in trail.json()]
    assert actions == ["masuk", "masuk_gagal", "aktivasi", "kode_aktivasi_dibuat", "akun_dibuat"]
    assert trail.json()[-1]["pelaku"] == "admin@35.05.01" and trail.json()[-1]["pelaku_unit"] == "35.05.01"
    assert all(row["unit"] == "35.05.01" for row in trail.json())
    assert session["refresh_token"] not in trail.text and SANDI not in trail.text
    beside = await identity.get("/audit", params={"unit": "35.05.01"}, headers=tokens("35.05.02", "admin"))
    assert beside.status_code == 403
    not_admin = await identity.get("/audit", params={"unit": "35.05.01"}, headers=tokens("35.05.01", "pimpinan"))
    assert not_admin.status_code == 403
    # Its owner reads its own account while it is active, and no more once disabled.
    mine = await identity.get(f"/akun/{akun_id}", headers=bearer(session["access_token"]))
    assert mine.status_code == 200
    await identity.post(f"/akun/{akun_id}/nonaktifkan", headers=tokens("35.05", "admin"))
    assert (await identity.get(f"/akun/{akun_id}", headers=bearer(session["access_token"]))).status_code == 401


async def test_signing_out_revokes_the_sign_in(identity: httpx.AsyncClient, buat_akun: AccountMaker) -> None:
    made = await buat_akun("35.05")
    first = (await masuk(identity, made["akun"]["email"])).json()
    second = (await segarkan(identity, first["refresh_token"])).json()
    other = (await masuk(identity, made["akun"]["email"])).json()  # another device
    out = await identity.post(
        "/token/cabut", data={"token": first["refresh_token"], "token_type_hint": "refresh_token"}
    )
    assert out.status_code == 200 and out.headers["cache-control"] == "no-store"
    assert (await segarkan(identity, second["refresh_token"])).status_code == 400  # the same sign-in
    assert (await segarkan(identity, other["refresh_token"])).status_code == 200  # the other device stays
    unknown = await identity.post("/token/cabut", data={"token": "tidak-pernah-ada"})
    assert unknown.status_code == 200
    assert (await identity.post("/token/cabut", data={})).status_code == 422
    discovery = (await identity.get("/.well-known/openid-configuration")).json()
    assert discovery["revocation_endpoint"].endswith("/token/cabut")
