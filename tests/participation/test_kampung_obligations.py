"""Issue 13, item 7, through the real stack (broker and PostgreSQL): a partial first year is
pro-rated and explained in ``/kewajiban``, a Kampung Pengawasan's IKP must be current (Pasal 25
huruf a), and the Kampung's communication and coordination (Pasal 25 huruf c, d) and the unit's
development and innovation after evaluating all its Kampung (Pasal 27 ayat (1)) are obligations.

Units of Sulawesi Barat (76) are used by no other test, so what planning's replayed events make
active elsewhere does not change these figures; each service here has its own consumer group and
an idle background job."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from awasi_common.events import participation as participation_events
from awasi_participation.domain.base import today_in

DESA = {"76.02": "76.02.01.1002", "76.03": "76.03.01.1001"}
"""A kelurahan of each kabupaten (Binanga in Mamuju, Mambi in Mamasa)."""
FORUM = {"metode": "dialogis", "pertemuan": ["tatap_muka"]}
TODAY = today_in("76")
"""Today in Sulawesi Barat (WITA), where these Kampung are."""
LAST_YEAR = TODAY.year - 1


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one the service replays every kegiatan
    other tests left on planning's topic, their units become active and owe obligations too,
    and an evaluation raises them for every unit (``dinaikkan`` of a second evaluation is 0
    only if no such kegiatan arrived between the two)."""
    return private_broker


def own_group(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWASI_PARTICIPATION_OBLIGATION_FIRST_RUN_SECONDS", "3600")
    monkeypatch.setenv("AWASI_PARTICIPATION_CONSUMER_GROUP", f"awasi.participation.test-{uuid.uuid4().hex[:8]}")
    monkeypatch.setenv("AWASI_PARTICIPATION_ALERT_LOOKBACK_DAYS", "1000")


def kampung(unit: str, dibentuk: dt.date, sumber_ikp: str, **peta: Any) -> dict[str, Any]:
    return {
        "unit": unit,
        "program": "kampung_pengawasan_partisipatif",
        "nama": f"Kampung Pengawasan {dibentuk}",
        "dibentuk_pada": dibentuk.isoformat(),
        "kampung": {
            "desa": DESA[unit],
            "kelompok_masyarakat": ["Karang Taruna"],
            "pemetaan_kerawanan": {
                "kategori": "sedang",
                "sumber_ikp": sumber_ikp,
                "tanggal": (dibentuk - dt.timedelta(days=30)).isoformat(),
                **peta,
            },
            "analisis_kesiapan": {
                "tanggal": (dibentuk - dt.timedelta(days=7)).isoformat(),
                "kesiapan_pelaksanaan": "Relawan desa siap",
                "kesiapan_perangkat_desa": "Kepala desa mendukung",
                "siap": True,
            },
        },
    }


async def test_partial_first_year_is_pro_rated_and_explained(start_service, tokens, monkeypatch) -> None:
    own_group(monkeypatch)
    svc = await start_service("participation")
    prov, kab = tokens("76"), tokens("76.01")

    # The province starts on 5 November: its first pemantauan.
    monitored = await svc.post(
        "/pemantauan",
        json={"unit": "76", "tanggal": dt.date(LAST_YEAR, 11, 5).isoformat(), "ringkasan": "Pemantauan Pojok"},
        headers=prov,
    )
    assert monitored.status_code == 201, monitored.text
    formed = await svc.post(
        "/program",
        json={
            "unit": "76.01",
            "program": "forum_warga",
            "nama": "Forum Warga Pasangkayu",
            "forum_warga": FORUM,
            "dibentuk_pada": dt.date(LAST_YEAR, 12, 10).isoformat(),
        },
        headers=kab,
    )
    assert formed.status_code == 201, formed.text

    listed = (await svc.get("/kewajiban", params={"unit": "76", "tahun": LAST_YEAR}, headers=prov)).json()
    by_id = {k["id"]: k for k in listed}
    # Pasal 17 ayat (1), 3 a year; formed 10 December: ceil(3 x 1 / 12) = 1, held 0 times.
    forum = by_id[f"forum_warga:76.01:{LAST_YEAR}"]
    assert (forum["wajib"], forum["terlaksana"], forum["status"]) == (1, 0, "terlewat")
    assert forum["mulai"] == f"{LAST_YEAR}-12-01" and "⌈3 × 1 / 12⌉ = 1" in forum["keterangan"]
    # Pasal 30 ayat (3) huruf b, 4 a year; from November: ceil(4 x 2 / 12) = 1, done once.
    pem = by_id[f"pemantauan:76:{LAST_YEAR}"]
    assert (pem["wajib"], pem["terlaksana"], pem["status"]) == (1, 1, "terpenuhi")
    assert "⌈4 × 2 / 12⌉ = 1" in pem["keterangan"] and "ketentuan platform" in pem["keterangan"]
    # The year after is whole.
    current = (await svc.get("/kewajiban", params={"unit": "76", "tahun": TODAY.year}, headers=prov)).json()
    assert {k["id"]: k["wajib"] for k in current if k["jenis"] != "pemantauan" or k["unit"] == "76"} == {
        f"forum_warga:76.01:{TODAY.year}": 3,
        f"pemantauan:76:{TODAY.year}": 4,
    }


async def test_an_ikp_of_2019_is_refused_in_2024(start_service, tokens, monkeypatch) -> None:
    own_group(monkeypatch)
    svc = await start_service("participation")
    kab = tokens("76.03")
    old = await svc.post("/program", json=kampung("76.03", dt.date(2024, 3, 1), "IKP Pemilu 2019"), headers=kab)
    assert old.status_code == 422, old.text
    assert old.json()["pasal"] == "Pasal 25 huruf a Perbawaslu Nomor 2 Tahun 2023"
    assert old.json()["field"] == "kampung.pemetaan_kerawanan.tahun_ikp" and "teraktual" in old.json()["detail"]
    explicit = kampung("76.03", dt.date(2024, 3, 1), "IKP Bawaslu", tahun_ikp=2019)
    assert (await svc.post("/program", json=explicit, headers=kab)).status_code == 422
    assert (await svc.get("/program", params={"unit": "76.03"}, headers=kab)).json() == []  # nothing written
    current = await svc.post("/program", json=kampung("76.03", dt.date(2024, 3, 1), "IKP Pemilu 2024"), headers=kab)
    assert current.status_code == 201, current.text


async def kampung_history(svc: Any, kab: dict[str, str]) -> tuple[str, str, dt.date]:
    """Unit 76.02 formed Kampung K1 on 1 June two years ago and K2 100 days ago; K1 talked to its
    village once, 10 days after its formation."""
    d1 = dt.date(TODAY.year - 2, 6, 1)
    k1 = await svc.post("/program", json=kampung("76.02", d1, "IKP", tahun_ikp=d1.year), headers=kab)
    assert k1.status_code == 201, k1.text
    d2 = TODAY - dt.timedelta(days=100)
    k2 = await svc.post("/program", json=kampung("76.02", d2, "IKP", tahun_ikp=d2.year), headers=kab)
    assert k2.status_code == 201, k2.text
    talked = await svc.post(
        f"/program/{k1.json()['id']}/komunikasi",
        json={
            "jenis": "komunikasi_berkala",
            "tanggal": (d1 + dt.timedelta(days=10)).isoformat(),
            "pihak": ["Kepala Desa"],
            "ringkasan": "Rapat bulanan dengan perangkat desa",
        },
        headers=kab,
    )
    assert talked.status_code == 201, talked.text
    return k1.json()["id"], k2.json()["id"], d1


async def test_kampung_obligations_of_pasal_25_and_27(start_service, tokens, monkeypatch) -> None:
    own_group(monkeypatch)
    svc = await start_service("participation")
    kab = tokens("76.02")
    k1, k2, d1 = await kampung_history(svc, kab)

    # Pasal 27 ayat (1): development after evaluating *every* Kampung of the unit.
    body = {
        "unit": "76.02",
        "tanggal": TODAY.isoformat(),
        "hasil_evaluasi": "Partisipasi warga naik di K1; K2 baru berjalan",
        "pengembangan_inovasi": "Pelaporan lewat grup WhatsApp desa",
    }
    partial = await svc.post("/pengembangan-kampung", json={**body, "kampung_dievaluasi": [k1]}, headers=kab)
    assert partial.status_code == 422 and partial.json()["pasal"] == "Pasal 27 ayat (1) Perbawaslu Nomor 2 Tahun 2023"
    assert k2 in partial.json()["detail"]
    assert (await svc.get("/pengembangan-kampung", params={"unit": "76.02"}, headers=kab)).json() == []
    other = await svc.post(
        "/pengembangan-kampung", json={**body, "kampung_dievaluasi": [k1, k2]}, headers=tokens("76.01")
    )
    assert other.status_code == 403
    done = await svc.post("/pengembangan-kampung", json={**body, "kampung_dievaluasi": [k1, k2]}, headers=kab)
    assert done.status_code == 201, done.text
    assert [
        p["id"] for p in (await svc.get("/pengembangan-kampung", params={"unit": "76"}, headers=tokens("76"))).json()
    ] == [done.json()["id"]]

    listed = (await svc.get("/kewajiban", params={"unit": "76.02"}, headers=kab)).json()
    by_id = {k["id"]: k for k in listed}
    # Pasal 25 huruf c: the first window (1 June to 31 August) had its communication.
    first_c = by_id[f"komunikasi_kampung:{k1}:{d1.isoformat()}"]
    assert (first_c["status"], first_c["batas_waktu"], first_c["program_id"]) == (
        "terpenuhi",
        f"{d1.year}-08-31",
        k1,
    )
    assert "setiap 3 bulan" in first_c["keterangan"] and first_c["pasal"].startswith("Pasal 25 huruf c")
    # Huruf d: no coordination or sosialisasi at all in it.
    first_d = by_id[f"koordinasi_kampung:{k1}:{d1.isoformat()}"]
    assert (first_d["status"], first_d["kurang"]) == ("terlewat", 1) and first_d["pasal"].startswith("Pasal 25 huruf d")
    second_c = by_id[f"komunikasi_kampung:{k1}:{d1.year}-09-01"]
    assert second_c["status"] == "terlewat" and second_c["periode_label"] == f"01-09-{d1.year} s.d. 30-11-{d1.year}"
    assert any(k["program_id"] == k2 and k["status"] == "berjalan" for k in listed)  # K2 is in its second window
    # Pasal 27: owed from the year after K1; last year missed, this year recorded.
    assert f"pengembangan_kampung:76.02:{d1.year}" not in by_id
    missed = by_id[f"pengembangan_kampung:76.02:{LAST_YEAR}"]
    assert (missed["status"], missed["pasal"]) == ("terlewat", "Pasal 27 ayat (1) Perbawaslu Nomor 2 Tahun 2023")
    assert by_id[f"pengembangan_kampung:76.02:{TODAY.year}"]["status"] == "terpenuhi"


async def test_missed_kampung_obligations_are_raised_once(start_service, tokens, tap, monkeypatch) -> None:
    own_group(monkeypatch)
    svc = await start_service("participation")
    events = await tap()
    kab = tokens("76.02")
    k1, _, d1 = await kampung_history(svc, kab)
    first = (await svc.post("/kewajiban/evaluasi", headers=kab)).json()
    ids = {k["id"] for k in first["kewajiban"]}
    assert f"koordinasi_kampung:{k1}:{d1.isoformat()}" in ids and f"pengembangan_kampung:76.02:{LAST_YEAR}" in ids
    assert f"komunikasi_kampung:{k1}:{d1.isoformat()}" not in ids  # met
    kinds = (participation_events.KampungKomunikasiOverdue, participation_events.PengembanganKampungOverdue)
    await events.wait_for(kinds[1], kewajiban_id=f"pengembangan_kampung:76.02:{LAST_YEAR}")
    again = (await svc.post("/kewajiban/evaluasi", headers=kab)).json()
    assert again["dinaikkan"] == 0
    await events.settle(1.0)
    raised = [e.kewajiban_id for e in events.events() if isinstance(e, kinds)]
    assert sorted(raised) == sorted(i for i in ids if "kampung" in i)
