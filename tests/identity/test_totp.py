"""The second factor of admin, pimpinan and penanganan (who manage accounts or see reporters'
identities): a TOTP secret handed out once at activation, a current code required at every
sign-in, never the same code twice; codes made by pyotp as an authenticator app makes them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import httpx
import jwt
import pyotp
import sqlalchemy as sa

from tests.identity.conftest import SANDI, AccountMaker, masuk


async def test_a_penanganan_signs_in_with_a_second_factor(
    identity: httpx.AsyncClient, buat_akun: AccountMaker, start_service: Any, platform_settings: Any
) -> None:
    made = await buat_akun("35.05", "penanganan")
    email, secret = made["akun"]["email"], made["totp"]["rahasia"]
    parsed = pyotp.parse_uri(made["totp"]["uri"])
    assert isinstance(parsed, pyotp.TOTP) and parsed.secret == secret and parsed.interval == 30
    assert email in made["totp"]["uri"].replace("%40", "@")

    without = await masuk(identity, email)
    wrong_password = await masuk(identity, email, "bukan kata sandinya sama sekali", totp=secret)
    assert without.status_code == wrong_password.status_code == 400
    assert without.json() == wrong_password.json()  # nothing says the password was right
    assert "kode TOTP" in without.json()["detail"]
    wrong_code = await identity.post(
        "/token", data={"grant_type": "password", "username": email, "password": SANDI, "totp": "000000"}
    )
    assert wrong_code.status_code == 400

    code = pyotp.TOTP(secret).now()
    form = {"grant_type": "password", "username": email, "password": SANDI, "totp": code}
    signed_in = await identity.post("/token", data=form)
    assert signed_in.status_code == 200, signed_in.text
    claims = jwt.decode(signed_in.json()["access_token"], options={"verify_signature": False})
    assert claims["amr"] == ["pwd", "otp"] and claims["role"] == "penanganan"
    replayed = await identity.post("/token", data=form)
    assert replayed.status_code == 400  # the same code, seconds later: refused
    # A code one step ahead (the phone's clock runs a little fast) is taken once.
    ahead = pyotp.TOTP(secret).at(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30))
    assert (await identity.post("/token", data=form | {"totp": ahead})).status_code == 200

    # The secret is sealed at rest and appears in no audit row or span.
    from awasi_identity.adapters.orm import akun, audit

    service = start_service.apps["identity"].state.service
    async with service.sessions() as session:
        sealed = await session.scalar(sa.select(akun.c.totp_tersegel).where(akun.c.email == email))
        rows = (await session.execute(sa.select(audit))).mappings().all()
    assert sealed and secret.encode() not in bytes(sealed)
    assert secret not in repr(rows)
    service.telemetry.tracer_provider.force_flush()
    traces = Path(platform_settings.data_dir) / "traces" / "identity.jsonl"
    assert secret not in traces.read_text() and code not in traces.read_text()


async def test_an_operator_needs_no_second_factor(identity: httpx.AsyncClient, buat_akun: AccountMaker) -> None:
    made = await buat_akun("35.05", "operator")
    assert made["totp"] is None
    signed_in = await masuk(identity, made["akun"]["email"])
    assert signed_in.status_code == 200
    claims = jwt.decode(signed_in.json()["access_token"], options={"verify_signature": False})
    assert claims["amr"] == ["pwd"]


async def test_a_reset_hands_out_a_new_secret(
    identity: httpx.AsyncClient, buat_akun: AccountMaker, tokens: Any
) -> None:
    made = await buat_akun("35.05", "pimpinan")
    old = made["totp"]["rahasia"]
    reset = await identity.post(f"/akun/{made['akun']['id']}/kode-aktivasi", headers=tokens("35", "admin"))
    body = {"email": made["akun"]["email"], "kode": reset.json()["kode_aktivasi"], "sandi": SANDI}
    again = (await identity.post("/akun/aktivasi", json=body)).json()
    new = again["totp"]["rahasia"]
    assert new != old
    assert (await masuk(identity, made["akun"]["email"], totp=old)).status_code == 400
    assert (await masuk(identity, made["akun"]["email"], totp=new)).status_code == 200


def test_codes_match_rfc_6238_test_vectors() -> None:
    import base64

    from awasi_identity.domain.totp import kode_pada

    secret = base64.b32encode(b"12345678901234567890").decode()  # RFC 6238 Appendix B, SHA-1
    for seconds, expected in [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924")]:
        assert kode_pada(secret, seconds // 30, digit=8) == expected
