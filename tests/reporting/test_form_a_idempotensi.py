"""Form A sent again with its ``Idempotency-Key`` (a draft kept offline on a phone and sent when
the connection returns, a retry after a lost answer): one Form A, one number, one event; over
real HTTP, PostgreSQL and the broker."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from awasi_cli.testing import eventually
from awasi_common.events.reporting import PENGAWASAN_TOPIC
from awasi_reporting.adapters import orm
from awasi_reporting.domain.nomor import roman_month
from awasi_reporting.domain.vocabulary import local_date

from .test_figures import form_a_body

TODAY = local_date(dt.datetime.now(dt.UTC))
SUFFIX = f"{roman_month(TODAY.month)}/{TODAY.year}"
KEC = "52.01.01"
DESA = "52.01.01.1001"
TPS = f"{DESA}.001"


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one reporting's consumers also handle
    the kegiatan, participation events and Pojok reports other tests left on it, writing rows
    (kegiatan_rm, partisipasi_rm, laporan) tables() counts while a repeat must write nothing."""
    return private_broker


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


async def stored_keys(start_service: Any) -> list[dict[str, Any]]:
    service = start_service.apps["reporting"].state.service
    async with service.sessions() as session:
        rows = await session.execute(sa.select(orm.form_a_idempotensi))
        return [dict(row._mapping) for row in rows.all()]


async def outbox_drained(start_service: Any) -> bool:
    service = start_service.apps["reporting"].state.service
    async with service.sessions() as session:
        waiting = await session.scalar(
            sa.select(sa.func.count()).select_from(orm.outbox).where(orm.outbox.c.published_at.is_(None))
        )
    return waiting == 0


async def test_a_repeat_answers_the_first_form_a_without_a_number_or_event(
    start_service, tokens, tables, consume
) -> None:
    reporting = await start_service("reporting")
    auth = tokens(KEC, "pengawas")
    kunci = key()
    first = await reporting.post("/form-a", json=form_a_body(KEC), headers={**auth, **kunci})
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    assert first.json()["nomor"] == f"001/LHP/PL/Kec/{KEC}/{SUFFIX}"
    await eventually(lambda: outbox_drained(start_service), timeout=20)
    before = await tables()

    # The same content, spelled differently (keys reordered, a default written out).
    body = form_a_body(KEC)
    again_body = {"pemilihan": "pemilu", **dict(reversed(list(body.items())))}
    for _ in range(2):
        again = await reporting.post("/form-a", json=again_body, headers={**auth, **kunci})
        assert again.status_code == 200, again.text
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.json() == first.json()
    assert await tables() == before  # no form, number, key or outbox row more

    # One event for the form, however often it was sent.
    events = await consume(PENGAWASAN_TOPIC, key=first.json()["id"])
    assert [e["type"] for e in events] == ["awasi.HasilPengawasanDisampaikan.v1"]
    # The next form takes the next number: the repeats took none.
    other = await reporting.post("/form-a", json=form_a_body(KEC), headers={**auth, **key()})
    assert other.status_code == 201 and other.json()["nomor"] == f"002/LHP/PL/Kec/{KEC}/{SUFFIX}"
    # Without a key nothing is remembered: each request is a new Form A, as before.
    plain = await reporting.post("/form-a", json=form_a_body(KEC), headers=auth)
    assert plain.status_code == 201 and plain.json()["nomor"] == f"003/LHP/PL/Kec/{KEC}/{SUFFIX}"
    assert len(await stored_keys(start_service)) == 2


async def test_the_same_key_with_other_content_is_refused_and_writes_nothing(start_service, tokens, tables) -> None:
    reporting = await start_service("reporting")
    auth = tokens(KEC, "pengawas")
    kunci = key()
    assert (await reporting.post("/form-a", json=form_a_body(KEC), headers={**auth, **kunci})).status_code == 201
    before = await tables()
    changed = form_a_body(KEC, uraian_singkat="Kampanye terbuka berlangsung tertib tanpa pelanggaran.")
    refused = await reporting.post("/form-a", json=changed, headers={**auth, **kunci})
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "Idempotency-Key"
    assert "Idempotency-Key" in refused.json()["detail"] and "isi yang berbeda" in refused.json()["detail"]
    # The collective route is a scope of its own, but its content is checked the same way.
    bulk_key = key()
    bulk = {"form_a": [form_a_body(TPS)]}
    pkd = tokens(DESA, "pengawas")
    assert (await reporting.post("/form-a/kolektif", json=bulk, headers={**pkd, **bulk_key})).status_code == 201
    after_bulk = await tables()
    bulk_changed = {"form_a": [form_a_body(TPS), form_a_body(TPS)]}
    refused = await reporting.post("/form-a/kolektif", json=bulk_changed, headers={**pkd, **bulk_key})
    assert refused.status_code == 422 and refused.json()["field"] == "Idempotency-Key"
    assert await tables() == after_bulk
    assert after_bulk["form_a"] == before["form_a"] + 1


async def test_concurrent_repeats_make_one_form_a(start_service, tokens, tables) -> None:
    reporting = await start_service("reporting")
    auth = {**tokens(KEC, "pengawas"), **key()}
    before = await tables()
    answers = await asyncio.gather(*(reporting.post("/form-a", json=form_a_body(KEC), headers=auth) for _ in range(3)))
    assert sorted(a.status_code for a in answers) == [200, 200, 201], [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert len({a.json()["nomor"] for a in answers}) == 1
    after = await tables()
    assert after["form_a"] == before["form_a"] + 1
    assert after["form_a_idempotensi"] == before["form_a_idempotensi"] + 1
    assert after["outbox"] == before["outbox"] + 1

    # The same for a collective submission.
    pkd = {**tokens(DESA, "pengawas"), **key()}
    bulk = {"form_a": [form_a_body(TPS), form_a_body(f"{DESA}.002")]}
    answers = await asyncio.gather(*(reporting.post("/form-a/kolektif", json=bulk, headers=pkd) for _ in range(3)))
    assert sorted(a.status_code for a in answers) == [200, 200, 201], [a.text for a in answers]
    assert len({a.json()["penyampaian_id"] for a in answers}) == 1
    assert all(a.json() == answers[0].json() for a in answers)
    assert (await tables())["form_a"] == after["form_a"] + 2


async def test_another_persons_same_key_is_another_form_a(start_service, tokens) -> None:
    reporting = await start_service("reporting")
    kunci = key()
    siti = tokens(KEC, "pengawas", subject="siti@bawaslu")
    budi = tokens(KEC, "pengawas", subject="budi@bawaslu")
    first = await reporting.post("/form-a", json=form_a_body(KEC), headers={**siti, **kunci})
    second = await reporting.post("/form-a", json=form_a_body(KEC), headers={**budi, **kunci})
    assert first.status_code == second.status_code == 201, second.text
    assert first.json()["id"] != second.json()["id"]
    assert first.json()["nomor"] != second.json()["nomor"]
    # The scope is the person, not the unit: Siti signing for another unit with her key of
    # another Form A is refused; the collective route is a scope of its own.
    pkd = tokens(DESA, "pengawas", subject="siti@bawaslu")
    single = await reporting.post("/form-a", json=form_a_body(DESA), headers={**pkd, **kunci})
    assert single.status_code == 422 and single.json()["field"] == "Idempotency-Key"
    bulk = await reporting.post("/form-a/kolektif", json={"form_a": [form_a_body(TPS)]}, headers={**pkd, **kunci})
    assert bulk.status_code == 201, bulk.text
    assert {(k["subjek"], k["rute"]) for k in await stored_keys(start_service)} == {
        ("siti@bawaslu", "form-a"),
        ("budi@bawaslu", "form-a"),
        ("siti@bawaslu", "form-a/kolektif"),
    }


async def test_a_collective_repeat_answers_the_first_submission(start_service, tokens, tables, consume) -> None:
    reporting = await start_service("reporting")
    pkd = {**tokens(DESA, "pengawas"), **key()}
    bulk = {"form_a": [form_a_body(TPS), form_a_body(f"{DESA}.002")]}
    first = await reporting.post("/form-a/kolektif", json=bulk, headers=pkd)
    assert first.status_code == 201, first.text
    await eventually(lambda: outbox_drained(start_service), timeout=20)
    before = await tables()
    again = await reporting.post("/form-a/kolektif", json=bulk, headers=pkd)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert await tables() == before
    events = await consume(PENGAWASAN_TOPIC, key=first.json()["penyampaian_id"])
    assert [e["type"] for e in events] == ["awasi.HasilPengawasanKolektifDisampaikan.v1"]


async def test_a_bad_key_is_refused_naming_the_header(start_service, tokens, tables) -> None:
    reporting = await start_service("reporting")
    auth = tokens(KEC, "pengawas")
    before = await tables()
    for bad in ("", "x" * 129, "kunci\u00e9", "tab\tdi-tengah"):
        for path, body in (("/form-a", form_a_body(KEC)), ("/form-a/kolektif", {"form_a": [form_a_body(KEC)]})):
            refused = await reporting.post(path, json=body, headers={**auth, "Idempotency-Key": bad.encode()})
            assert refused.status_code == 422, (bad, refused.text)
            assert any(e["lokasi"] == "header.Idempotency-Key" for e in refused.json()["errors"]), refused.text
            assert "Idempotency-Key" in refused.json()["detail"] and "\\x" not in refused.json()["detail"]
    assert await tables() == before
    # 128 printable characters are a key.
    longest = await reporting.post("/form-a", json=form_a_body(KEC), headers={**auth, "Idempotency-Key": "k" * 128})
    assert longest.status_code == 201, longest.text


async def test_the_openapi_shows_the_header(start_service) -> None:
    reporting = await start_service("reporting")
    schema = (await reporting.get("/openapi.json")).json()
    for path in ("/form-a", "/form-a/kolektif"):
        operation = schema["paths"][path]["post"]
        (header,) = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
        assert header["in"] == "header" and not header.get("required")
        text = header["schema"]["anyOf"][0]
        assert text["maxLength"] == 128 and text["pattern"] == r"^[\x20-\x7e]{1,128}$"
        assert "Idempotent-Replayed" in operation["responses"]["200"]["headers"]
