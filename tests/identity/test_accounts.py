"""Accounts through the HTTP API, on the real database and broker: a unit's admin manages its
unit and the units below, never above or beside; every field bounded; events on the topic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from awasi_common.events.identity import AccountChanged, AccountCreated, AccountDisabled
from tests.identity.conftest import AccountMaker, account_events, akun_body, masuk

Tokens = Callable[..., dict[str, str]]


async def test_an_admin_manages_its_unit_and_below_never_above_or_beside(
    identity: httpx.AsyncClient, tokens: Tokens
) -> None:
    kab_admin = tokens("35.05", "admin")
    for unit in ("35.05", "35.05.01", "35.05.01.2001.001"):
        made = await identity.post("/akun", json=akun_body(unit, "pengawas"), headers=kab_admin)
        assert made.status_code == 201, made.text
        assert made.json()["akun"]["unit"] == unit
        assert made.json()["akun"]["status"] == "menunggu_aktivasi"
    for unit in ("35", "00", "35.06", "36.01"):
        refused = await identity.post("/akun", json=akun_body(unit), headers=kab_admin)
        assert refused.status_code == 403
        assert "hanya dapat mengelola akun unit itu dan unit di bawahnya" in refused.json()["detail"]
    not_admin = await identity.post("/akun", json=akun_body("35.05"), headers=tokens("35.05", "pimpinan"))
    assert not_admin.status_code == 403
    assert "Hanya admin unit" in not_admin.json()["detail"]

    listed = await identity.get("/akun", params={"unit": "35.05"}, headers=kab_admin)
    assert listed.status_code == 200
    assert {a["unit"] for a in listed.json()} >= {"35.05", "35.05.01", "35.05.01.2001.001"}
    assert all("sandi_hash" not in a and "kode_aktivasi_hash" not in a for a in listed.json())
    beside = await identity.get("/akun", params={"unit": "35.06"}, headers=kab_admin)
    assert beside.status_code == 403
    kec = await identity.get("/akun", params={"unit": "35.05.01"}, headers=tokens("35.05.01", "admin"))
    assert {a["unit"] for a in kec.json()} == {"35.05.01", "35.05.01.2001.001"}


async def test_a_sibling_admin_cannot_read_change_or_disable_an_account(
    identity: httpx.AsyncClient, tokens: Tokens, buat_akun: AccountMaker
) -> None:
    made = await buat_akun("35.05.01", "operator", aktif=False)
    akun_id = made["akun"]["id"]
    sibling = tokens("35.05.02", "admin")
    above_sibling = tokens("35.06", "admin")
    for headers in (sibling, above_sibling, tokens("35.05.01", "operator")):
        assert (await identity.get(f"/akun/{akun_id}", headers=headers)).status_code == 403
        assert (await identity.patch(f"/akun/{akun_id}", json={"role": "admin"}, headers=headers)).status_code == 403
        assert (await identity.post(f"/akun/{akun_id}/nonaktifkan", headers=headers)).status_code == 403
        assert (await identity.post(f"/akun/{akun_id}/kode-aktivasi", headers=headers)).status_code == 403
    # Moving an account away to a unit the admin does not manage is refused too.
    kec_admin = tokens("35.05.01", "admin")
    moved = await identity.patch(f"/akun/{akun_id}", json={"unit": "35.05.02"}, headers=kec_admin)
    assert moved.status_code == 403
    # The province above may.
    read = await identity.get(f"/akun/{akun_id}", headers=tokens("35", "admin"))
    assert read.status_code == 200 and read.json()["email"] == made["akun"]["email"]


async def test_bad_input_is_refused_naming_the_field(identity: httpx.AsyncClient, tokens: Tokens) -> None:
    admin = tokens("35.05", "admin")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"nik": "35050112345"}, "nik"),
        ({"nik": "350501123456789x"}, "nik"),
        ({"nip": "1990010120200110"}, "nip"),
        ({"nama": "x" * 201}, "nama"),
        ({"nama": "   "}, "nama"),
        ({"email": "bukan-email"}, "email"),
        ({"email": "a" * 250 + "@b.id"}, "email"),
        ({"jabatan": "j" * 301}, "jabatan"),
        ({"telepon": "0" * 33}, "telepon"),
        ({"unit": "35.5"}, "unit"),
        ({"role": "superadmin"}, "role"),
        ({"divisi": "Keuangan"}, "divisi"),
        ({"berlaku_mulai": "2026-13-01"}, "berlaku_mulai"),
        ({"lain": "x"}, "lain"),
    ]
    for fields, name in cases:
        response = await identity.post("/akun", json=akun_body("35.05") | fields, headers=admin)
        assert response.status_code == 422, (fields, response.text)
        assert name in response.json()["detail"], (name, response.json()["detail"])
    ends_before = akun_body("35.05", berlaku_mulai="2026-05-01", berlaku_sampai="2026-04-30")
    refused = await identity.post("/akun", json=ends_before, headers=admin)
    assert refused.status_code == 422 and refused.json()["field"] == "berlaku_sampai"
    agency = await identity.post("/akun", json=akun_body("35.05", "agency"), headers=admin)
    assert agency.status_code == 422 and agency.json()["field"] == "role"
    nul = await identity.post(
        "/akun",
        content=b'{"nama": "a\\u0000b", "email": "x@y.id", "unit": "35.05", "role": "operator"}',
        headers=admin | {"content-type": "application/json"},
    )
    assert nul.status_code == 422
    surrogate = await identity.post(
        "/akun",
        content=b'{"nama": "a\\ud800b", "email": "x@y.id", "unit": "35.05", "role": "operator"}',
        headers=admin | {"content-type": "application/json"},
    )
    assert surrogate.status_code == 422
    not_utf8 = await identity.post(
        "/akun",
        content=b'{"nama": "\xff", "email": "x@y.id", "unit": "35.05", "role": "operator"}',
        headers=admin | {"content-type": "application/json"},
    )
    assert not_utf8.status_code in (400, 422)
    assert (await identity.get("/akun", params={"unit": "35.05", "limit": 100_000}, headers=admin)).status_code == 422
    assert (await identity.get("/akun/" + "a" * 37, headers=admin)).status_code == 422


async def test_one_email_one_account(identity: httpx.AsyncClient, tokens: Tokens) -> None:
    body = akun_body("35.05")
    assert (await identity.post("/akun", json=body, headers=tokens("35.05", "admin"))).status_code == 201
    again = body | {"email": body["email"].upper()}
    duplicate = await identity.post("/akun", json=again, headers=tokens("35.05", "admin"))
    assert duplicate.status_code == 409 and duplicate.json()["field"] == "email"


async def test_changes_and_disabling_publish_events_without_personal_data(
    identity: httpx.AsyncClient, tokens: Tokens, buat_akun: AccountMaker, kafka_bootstrap: str
) -> None:
    made = await buat_akun("35.05", "operator", nik="3505011234567890", jabatan="Staf", telepon="+62 812 3456 7890")
    akun_id = made["akun"]["id"]
    admin = tokens("35.05", "admin")
    changed = await identity.patch(
        f"/akun/{akun_id}",
        json={"role": "penanganan", "divisi": "PP-Datin", "unit": "35.05.01", "berlaku_sampai": "2027-06-30"},
        headers=admin,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["role"] == "penanganan" and changed.json()["unit"] == "35.05.01"
    only_title = await identity.patch(f"/akun/{akun_id}", json={"jabatan": "Koordinator"}, headers=admin)
    assert only_title.json()["jabatan"] == "Koordinator"
    cleared = await identity.patch(f"/akun/{akun_id}", json={"berlaku_sampai": None}, headers=admin)
    assert cleared.json()["berlaku_sampai"] is None
    disabled = await identity.post(f"/akun/{akun_id}/nonaktifkan", headers=admin)
    assert disabled.status_code == 200 and disabled.json()["status"] == "nonaktif"
    again = await identity.post(f"/akun/{akun_id}/nonaktifkan", headers=admin)
    assert again.status_code == 409

    events = await account_events(kafka_bootstrap, akun_id, 4)
    assert {key for key, _ in events} == {akun_id}
    kinds = [type(event) for _, event in events]
    assert kinds == [AccountCreated, AccountChanged, AccountChanged, AccountDisabled]
    first_change = events[1][1]
    assert isinstance(first_change, AccountChanged)
    assert (first_change.unit, first_change.unit_sebelumnya, first_change.role_sebelumnya) == (
        "35.05.01",
        "35.05",
        "operator",
    )
    for _, event in events:
        text = event.model_dump_json()
        for personal in (made["akun"]["email"], "Siti", "3505011234567890", "812 3456", "Koordinator"):
            assert personal not in text
    # A disabled account signs in no more.
    assert (await masuk(identity, made["akun"]["email"])).status_code == 400


async def test_personal_numbers_are_sealed_at_rest(
    identity: httpx.AsyncClient, tokens: Tokens, buat_akun: AccountMaker, start_service: Any
) -> None:
    import sqlalchemy as sa

    from awasi_identity.adapters.orm import akun

    made = await buat_akun("35.05", nik="3505011234567890", nip="199001012020011001", telepon="+62 812 3456 7890")
    akun_id = made["akun"]["id"]
    assert (made["akun"]["nik"], made["akun"]["nip"]) == ("3505011234567890", "199001012020011001")
    service = start_service.apps["identity"].state.service
    async with service.sessions() as session:
        row = (await session.execute(sa.select(akun).where(akun.c.id == akun_id))).mappings().one()
    for field, plain in (("nik", "3505011234567890"), ("nip", "199001012020011001"), ("telepon", "+62 812 3456 7890")):
        assert row[field].startswith("sealed:") and plain not in row[field], field
    # Sealed to this account: copied onto another, it does not open.
    other = await buat_akun("35.05")
    async with service.sessions() as session:
        await session.execute(sa.update(akun).where(akun.c.id == other["akun"]["id"]).values(nik=row["nik"]))
        await session.commit()
    admin = tokens("35.05", "admin")
    read = await identity.get(f"/akun/{akun_id}", headers=admin)
    assert read.json()["nik"] == "3505011234567890" and read.json()["telepon"] == "+62 812 3456 7890"
    listed = {a["id"]: a for a in (await identity.get("/akun", params={"unit": "35.05"}, headers=admin)).json()}
    assert listed[akun_id]["nip"] == "199001012020011001"
    assert listed[other["akun"]["id"]]["nik"] is None  # the copy does not open: shown as nothing
    # A change keeps them sealed and readable.
    await identity.patch(f"/akun/{akun_id}", json={"jabatan": "Staf"}, headers=admin)
    async with service.sessions() as session:
        again = (await session.execute(sa.select(akun.c.nik).where(akun.c.id == akun_id))).scalar_one()
    assert again.startswith("sealed:")
    assert (await identity.get(f"/akun/{akun_id}", headers=admin)).json()["nik"] == "3505011234567890"
