"""Reading the plans: filters (a higher level sees the units below it), the iCalendar feed and
the realisation summary per division and period — on the Blitar plan imported from the shared
document."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import icalendar
import sqlalchemy as sa

DOCUMENTS = Path(__file__).resolve().parents[2].parent / "shared" / "documents"
KABUPATEN_PLAN = DOCUMENTS / "001_ca2d3250fc9f7651.part1.txt"
BLITAR = "35.05"


async def imported(planning: Any, auth: dict[str, str], upload: Any) -> dict[str, dict[str, Any]]:
    response = await planning.post("/kegiatan/impor", files=upload(KABUPATEN_PLAN), headers=auth)
    assert response.status_code == 201, response.text
    return {f"{k['divisi']}{k['nomor']}": k for k in response.json()["kegiatan"]}


async def test_filters_and_who_sees_what(start_service, tokens, upload) -> None:
    planning = await start_service("planning")
    auth = tokens(BLITAR)
    plan = await imported(planning, auth, upload)

    async def titles(headers: dict[str, str] = auth, **params: Any) -> list[str]:
        response = await planning.get("/kegiatan", params={"limit": 1000, **params}, headers=headers)
        assert response.status_code == 200, response.text
        return [k["judul"] for k in response.json()]

    assert len(await titles(divisi="SDMO")) == 12
    assert sorted(await titles(jenis="rapat_koordinasi")) == sorted(
        plan[key]["judul"] for key in ("SDMO6", "HPS3", "HPS9", "HPS10", "HPS12")
    )
    # A period selects the kegiatan whose window overlaps it (HPS 1 runs 24 September – 3 October).
    october = await titles(dari="2023-10-01", sampai="2023-10-31")
    assert set(october) == {plan[k]["judul"] for k in ("SDMO1", "SDMO2", "SDMO3", "SDMO4", "HPS1", "HPS2")}
    assert len(await titles(divisi="HPS", dari="2023-12-01", sampai="2023-12-31")) == 4

    cancelled = await planning.post(
        f"/kegiatan/{plan['HPS7']['id']}/batalkan", json={"alasan": "Digabung dengan Bimtek PSAP"}, headers=auth
    )
    assert cancelled.status_code == 200
    assert await titles(status="cancelled") == [plan["HPS7"]["judul"]]
    program = await planning.post(
        "/kegiatan",
        json={
            "unit": BLITAR,
            "divisi": "P2H",
            "judul": "Pojok Pengawasan Keliling",
            "jenis": "layanan_informasi",
            "jadwal": {"mulai": "2023-11-02", "selesai": "2023-11-02"},
            "program": "pojok_pengawasan",
        },
        headers=auth,
    )
    assert program.status_code == 201, program.text
    assert await titles(program="pojok_pengawasan") == ["Pojok Pengawasan Keliling"]

    # The province reads its kab/kota; a neighbouring kabupaten does not; RI reads everything.
    assert len(await titles(tokens("35", "viewer"), unit="35")) == 25
    assert len(await titles(tokens("35", "pimpinan"), unit=BLITAR, divisi="HPS")) == 12
    neighbour = await planning.get("/kegiatan", params={"unit": BLITAR}, headers=tokens("35.06", "viewer"))
    assert neighbour.status_code == 403 and "35.06" in neighbour.json()["detail"]
    assert len(await titles(tokens("00", "viewer"))) == 25
    single = await planning.get(f"/kegiatan/{plan['HPS1']['id']}", headers=tokens("35.06"))
    assert single.status_code == 404

    # A period that ends before it starts, an unknown division or status: a clear 422.
    for params in ({"dari": "2023-12-01", "sampai": "2023-11-01"}, {"divisi": "KEUANGAN"}, {"status": "selesai"}):
        response = await planning.get("/kegiatan", params=params, headers=auth)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["detail"]


async def test_calendar_feed(start_service, tokens, upload) -> None:
    planning = await start_service("planning")
    auth = tokens(BLITAR)
    plan = await imported(planning, auth, upload)
    await planning.post(f"/kegiatan/{plan['HPS7']['id']}/batalkan", json={"alasan": "Digabung"}, headers=auth)
    monthly = await planning.post(
        "/kegiatan",
        json={
            "unit": BLITAR,
            "divisi": "P2H",
            "judul": "Rapat Evaluasi Pengawasan Partisipatif",
            "jenis": "rapat_koordinasi",
            "jadwal": {
                "mulai": "2023-10-05",
                "selesai": "2023-12-31",
                "presisi": "berulang",
                "pengulangan": "FREQ=MONTHLY;INTERVAL=1",
                "keterangan": "secara rutin 1 bulan sekali",
            },
        },
        headers=auth,
    )
    assert monthly.status_code == 201, monthly.text
    draft = await planning.post("/kegiatan", json=_draft_body(), headers=auth)
    assert draft.status_code == 201 and draft.json()["status"] == "draft"

    made = await planning.post("/kegiatan/kalender/token", json={"label": "Kalender ponsel"}, headers=auth)
    assert made.status_code == 201, made.text
    token = made.json()["token"]
    assert token.startswith("awk_") and made.json()["alamat"] == f"/kegiatan/kalender.ics?unit={BLITAR}&token={token}"
    response = await planning.get("/kegiatan/kalender.ics", params={"unit": BLITAR, "token": token})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Kegiatan Bawaslu Kabupaten Blitar"
    events = {str(e["UID"]).removesuffix("@awasi.planning"): e for e in calendar.walk("VEVENT")}
    assert len(events) == 25  # the 24 imported and the monthly one; the draft is left out

    dct = events[plan["HPS1"]["id"]]
    assert dct["DTSTART"].dt == dt.date(2023, 9, 24) and dct["DTEND"].dt == dt.date(2023, 10, 4)
    assert str(dct["LOCATION"]) == "Kantor KPU Kabupaten Blitar" and str(dct["STATUS"]) == "CONFIRMED"
    assert "Divisi: Hukum dan Penyelesaian Sengketa" in str(dct["DESCRIPTION"])
    gone = events[plan["HPS7"]["id"]]
    assert str(gone["STATUS"]) == "CANCELLED" and str(gone["SUMMARY"]).startswith("[DIBATALKAN] ")
    recurring = events[monthly.json()["id"]]
    rule = recurring["RRULE"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["UNTIL"] == [dt.date(2023, 12, 31)]
    assert recurring["DTEND"].dt == dt.date(2023, 10, 6)

    # With a header instead of the token parameter, and filtered by division.
    hps = await planning.get("/kegiatan/kalender.ics", params={"divisi": "HPS"}, headers=auth)
    assert len(icalendar.Calendar.from_ical(hps.content).walk("VEVENT")) == 12
    assert (await planning.get("/kegiatan/kalender.ics", params={"unit": BLITAR})).status_code == 401
    wrong = await planning.get("/kegiatan/kalender.ics", params={"unit": BLITAR, "token": "bukan-token"})
    assert wrong.status_code == 401
    neighbour = (await planning.post("/kegiatan/kalender/token", json={"label": "x"}, headers=tokens("35.06"))).json()
    assert (
        await planning.get("/kegiatan/kalender.ics", params={"unit": BLITAR, "token": neighbour["token"]})
    ).status_code == 403


async def test_calendar_feed_tokens_are_opaque_read_only_revocable_and_stored_hashed(start_service, tokens) -> None:
    """Issue 15, item 6: no bearer token in the feed's address; a per-person feed token instead."""
    planning = await start_service("planning")
    siti = tokens(BLITAR, "operator", subject="siti")
    budi = tokens(BLITAR, "operator", subject="budi")
    jwt_in_address = siti["Authorization"].removeprefix("Bearer ")
    refused = await planning.get("/kegiatan/kalender.ics", params={"unit": BLITAR, "token": jwt_in_address})
    assert refused.status_code == 401 and "token kalender" in refused.json()["detail"]

    made = (await planning.post("/kegiatan/kalender/token", json={"label": "Ponsel"}, headers=siti)).json()
    token = made["token"]
    feed = {"unit": BLITAR, "token": token}
    assert (await planning.get("/kegiatan/kalender.ics", params=feed)).status_code == 200
    # Read-only: the feed token is no bearer token anywhere else.
    as_bearer = {"Authorization": f"Bearer {token}"}
    assert (await planning.get("/kegiatan", headers=as_bearer)).status_code == 401
    assert (await planning.post("/kegiatan/kalender/token", json={"label": "x"}, headers=as_bearer)).status_code == 401

    # Listed for its owner without the token; stored as its SHA-256 only.
    listed = (await planning.get("/kegiatan/kalender/token", headers=siti)).json()
    assert [t["id"] for t in listed] == [made["id"]] and "token" not in listed[0]
    assert (await planning.get("/kegiatan/kalender/token", headers=budi)).json() == []
    async with start_service.apps["planning"].state.service.sessions() as session:
        rows = (await session.execute(sa.text("SELECT * FROM token_kalender"))).mappings().all()
    assert len(rows) == 1 and token not in str(dict(rows[0]))
    assert rows[0]["sidik"] == hashlib.sha256(token.encode()).hexdigest()

    # Only its owner revokes it; then the feed refuses it.
    assert (await planning.delete(f"/kegiatan/kalender/token/{made['id']}", headers=budi)).status_code == 404
    assert (await planning.get("/kegiatan/kalender.ics", params=feed)).status_code == 200
    assert (await planning.delete(f"/kegiatan/kalender/token/{made['id']}", headers=siti)).status_code == 204
    gone = await planning.get("/kegiatan/kalender.ics", params=feed)
    assert gone.status_code == 401 and "dicabut" in gone.json()["detail"]
    assert (await planning.get("/kegiatan/kalender/token", headers=siti)).json()[0]["dicabut_pada"]
    unknown = {"unit": BLITAR, "token": "awk_" + "A" * 43}
    assert (await planning.get("/kegiatan/kalender.ics", params=unknown)).status_code == 401
    # Bounded: a label too long is a 422.
    too_long = await planning.post("/kegiatan/kalender/token", json={"label": "x" * 101}, headers=siti)
    assert too_long.status_code == 422


def _draft_body() -> dict[str, Any]:
    return {
        "unit": BLITAR,
        "divisi": "SDMO",
        "judul": "Draft yang belum dijadwalkan",
        "jenis": "lainnya",
        "jadwal": {"mulai": "2023-11-01", "selesai": "2023-11-01"},
        "draft": True,
    }


async def test_realisation_summary_per_division_and_period(start_service, tokens, upload) -> None:
    planning = await start_service("planning")
    auth = tokens(BLITAR)
    plan = await imported(planning, auth, upload)
    done = await planning.post(
        f"/kegiatan/{plan['HPS6']['id']}/realisasi",
        json={"peserta_hadir": 80, "anggaran_realisasi": 12_000_000, "output_tercapai": ["Materi PSAP"]},
        headers=auth,
    )
    assert done.status_code == 200, done.text
    await planning.post(f"/kegiatan/{plan['HPS7']['id']}/batalkan", json={"alasan": "Digabung"}, headers=auth)
    await planning.post(f"/kegiatan/{plan['SDMO1']['id']}/realisasi", json={"peserta_hadir": 60}, headers=auth)

    response = await planning.get(
        "/kegiatan/ringkasan", params={"periode": "bulan", "dari": "2023-09-01", "sampai": "2023-12-31"}, headers=auth
    )
    assert response.status_code == 200, response.text
    summary = response.json()
    cells = {(r["divisi"], r["periode"]): r for r in summary["baris"]}
    assert sorted(cells) == [
        ("HPS", "2023-09"),
        ("HPS", "2023-10"),
        ("HPS", "2023-11"),
        ("HPS", "2023-12"),
        ("SDMO", "2023-10"),
        ("SDMO", "2023-11"),
        ("SDMO", "2023-12"),
    ]
    november = cells[("HPS", "2023-11")]
    assert {
        k: november[k]
        for k in (
            "mulai",
            "selesai",
            "direncanakan",
            "terjadwal",
            "terlaksana",
            "dibatalkan",
            "persen_terlaksana",
            "peserta_rencana",
            "peserta_realisasi",
            "anggaran_realisasi",
        )
    } == {
        "mulai": "2023-11-01",
        "selesai": "2023-11-30",
        "direncanakan": 6,
        "terjadwal": 4,
        "terlaksana": 1,
        "dibatalkan": 1,
        "persen_terlaksana": 20.0,
        "peserta_rencana": 22 + 88,
        "peserta_realisasi": 80,
        "anggaran_realisasi": 12_000_000,
    }
    assert cells[("SDMO", "2023-10")]["terlaksana"] == 1 and cells[("SDMO", "2023-10")]["peserta_realisasi"] == 60
    assert [(r["divisi"], r["direncanakan"], r["terlaksana"], r["dibatalkan"]) for r in summary["per_divisi"]] == [
        ("SDMO", 12, 1, 0),
        ("HPS", 12, 1, 1),
    ]
    assert summary["keseluruhan"]["direncanakan"] == 24
    assert summary["keseluruhan"]["persen_terlaksana"] == round(100 * 2 / 23, 1)

    quarters = (
        await planning.get("/kegiatan/ringkasan", params={"periode": "triwulan", "divisi": "HPS"}, headers=auth)
    ).json()
    assert [(r["periode"], r["direncanakan"]) for r in quarters["baris"]] == [("2023-T3", 1), ("2023-T4", 11)]

    # The province sees the same figures for the units below it.
    province = (await planning.get("/kegiatan/ringkasan", params={"unit": "35"}, headers=tokens("35", "viewer"))).json()
    assert province["keseluruhan"]["direncanakan"] == 24
    refused = await planning.get("/kegiatan/ringkasan", params={"periode": "dekade"}, headers=auth)
    assert refused.status_code == 422
