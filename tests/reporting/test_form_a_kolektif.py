"""Form A sent several at once (``POST /form-a/kolektif``) and the figures projection kept
from reporting's own events (``GET /statistik/masuk``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from awasi_cli.testing import eventually
from awasi_common.events.reporting import PENGAWASAN_TOPIC
from awasi_reporting.domain.nomor import roman_month
from awasi_reporting.domain.vocabulary import local_date

from .conftest import laporan_body
from .test_figures import form_a_body

KAB, KEC = "52.01", "52.01.01"
TODAY = local_date(dt.datetime.now(dt.UTC), KEC)
"""Today where these units are (WITA): their numbers and figures count their own days, which
from 16:00 to 24:00 UTC is already tomorrow in WIB's terms."""
SUFFIX = f"{roman_month(TODAY.month)}/{TODAY.year}"
DESA, OTHER_DESA = "52.01.01.1001", "52.01.01.1004"


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one reporting's consumers also handle
    the kegiatan, participation events and Pojok reports other tests left on it, writing rows
    (kegiatan_rm, partisipasi_rm, laporan) tables() counts while a refused submission must
    write nothing."""
    return private_broker


def tps(desa: str, number: int) -> str:
    return f"{desa}.{number:03d}"


async def test_a_pkd_passes_on_its_tps_forms_and_the_figures_follow(start_service, tokens, consume) -> None:
    reporting = await start_service("reporting")
    forms = [form_a_body(tps(DESA, 1)), form_a_body(tps(DESA, 2), dugaan_pelanggaran=[]), form_a_body(tps(DESA, 1))]
    response = await reporting.post("/form-a/kolektif", json={"form_a": forms}, headers=tokens(DESA, "pengawas"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["jumlah"] == 3
    assert [f["nomor"] for f in body["form_a"]] == [
        f"001/LHP/PL/TPS/{tps(DESA, 1)}/{SUFFIX}",
        f"001/LHP/PL/TPS/{tps(DESA, 2)}/{SUFFIX}",
        f"002/LHP/PL/TPS/{tps(DESA, 1)}/{SUFFIX}",
    ]
    # Each is a Form A like any other: readable, numbered on from the single endpoint.
    single = await reporting.post("/form-a", json=form_a_body(DESA), headers=tokens(DESA, "pengawas"))
    assert single.status_code == 201 and single.json()["nomor"] == f"001/LHP/PL/Kel/{DESA}/{SUFFIX}"
    stored = await reporting.get(f"/form-a/{body['form_a'][1]['id']}", headers=tokens(KEC, "viewer"))
    assert stored.status_code == 200 and stored.json()["unit"] == tps(DESA, 2)

    # One event tells of the whole submission, each form with its own unit and number.
    events = await consume(PENGAWASAN_TOPIC, key=body["penyampaian_id"])
    assert [e["type"] for e in events] == ["awasi.HasilPengawasanKolektifDisampaikan.v1"]
    data = events[0]["data"]
    assert data["unit"] == DESA
    assert [(f["form_a_id"], f["nomor"], f["unit"]) for f in data["form_a"]] == [
        (f["id"], f["nomor"], f["unit"]) for f in body["form_a"]
    ]
    assert [f["ada_dugaan_pelanggaran"] for f in data["form_a"]] == [True, False, True]
    assert b"Agus" not in events[0]["raw"]  # supervisors' names stay in reporting
    on_topic = await consume(PENGAWASAN_TOPIC, until=lambda found: any(m["key"] == events[0]["key"] for m in found))
    assert not {m["key"] for m in on_topic} & {f["id"] for f in body["form_a"]}  # no event of their own

    laporan = await reporting.post("/laporan", json=laporan_body(unit=KEC))
    assert laporan.status_code == 201, laporan.text

    async def figures() -> dict[str, Any] | None:
        answer = await reporting.get("/statistik/masuk", params={"unit": KEC, "tanggal": TODAY.isoformat()})
        assert answer.status_code == 200, answer.text
        data = answer.json()
        return data if data["form_a"] == 4 and data["laporan"] == 1 else None

    data = await eventually(figures, timeout=30)
    assert data["form_a_dengan_dugaan"] == 3
    assert data["unit_nama"].startswith("Panwaslu Kecamatan")
    assert data["per_unit"] == [{"unit": DESA, "form_a": 4, "form_a_dengan_dugaan": 3, "laporan": 0}]
    desa = (await reporting.get("/statistik/masuk", params={"unit": DESA})).json()
    assert [row["unit"] for row in desa["per_unit"]] == [tps(DESA, 1), tps(DESA, 2)]
    assert desa["form_a"] == 4


async def test_one_refused_form_keeps_the_whole_submission_out(start_service, tokens, tables) -> None:
    reporting = await start_service("reporting")
    pkd = tokens(OTHER_DESA, "pengawas")
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    before = await tables()

    bad_date = form_a_body(tps(OTHER_DESA, 2), kegiatan={**form_a_body(OTHER_DESA)["kegiatan"], "tanggal": future})
    response = await reporting.post(
        "/form-a/kolektif", json={"form_a": [form_a_body(tps(OTHER_DESA, 1)), bad_date]}, headers=pkd
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "form_a.1.kegiatan.tanggal"
    assert response.json()["detail"].startswith("Form A ke-2:")

    # A TPS of another desa, or a desa's own kecamatan, is not the PKD's to file.
    for unit in (tps(DESA, 1), KEC):
        refused = await reporting.post("/form-a/kolektif", json={"form_a": [form_a_body(unit)]}, headers=pkd)
        assert refused.status_code == 403, refused.text
        assert refused.json()["field"] == "form_a.0"
    # A TPS supervisor files for its own TPS only.
    own = tokens(tps(OTHER_DESA, 1), "pengawas")
    refused = await reporting.post("/form-a/kolektif", json={"form_a": [form_a_body(tps(OTHER_DESA, 2))]}, headers=own)
    assert refused.status_code == 403
    # A reader may not file at all; an empty or oversized submission is refused before any check.
    assert (
        await reporting.post(
            "/form-a/kolektif", json={"form_a": [form_a_body(OTHER_DESA)]}, headers=tokens(OTHER_DESA, "viewer")
        )
    ).status_code == 403
    assert (await reporting.post("/form-a/kolektif", json={"form_a": []}, headers=pkd)).status_code == 422
    too_many = {"form_a": [form_a_body(tps(OTHER_DESA, 1))] * 201}
    assert (await reporting.post("/form-a/kolektif", json=too_many, headers=pkd)).status_code == 422
    assert (await reporting.post("/form-a/kolektif", json={"form_a": [form_a_body(KAB)]})).status_code == 401

    assert await tables() == before
    ok = await reporting.post("/form-a/kolektif", json={"form_a": [form_a_body(tps(OTHER_DESA, 1))]}, headers=own)
    assert ok.status_code == 201 and ok.json()["form_a"][0]["nomor"] == f"001/LHP/PL/TPS/{tps(OTHER_DESA, 1)}/{SUFFIX}"
