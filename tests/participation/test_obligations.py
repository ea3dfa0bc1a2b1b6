"""Obligations computed continuously and raised once when they fall due unmet: Forum Warga
3 times a year, pemantauan per level, and the tindak lanjut of an unmet penilaian."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from awasi_cli.testing import eventually
from awasi_common.events.participation import (
    ForumWargaOverdue,
    PenilaianSet,
    TindakLanjutOverdue,
    TindakLanjutRecorded,
    TindakLanjutRequired,
)
from awasi_participation.adapters import orm
from awasi_participation.domain.base import today_in
from awasi_participation.entrypoints.jobs import obligation_job
from awasi_participation.settings import ParticipationSettings

FORUM = {"metode": "dialogis", "pertemuan": ["tatap_muka"]}


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one the service replays every kegiatan
    other tests left on planning's topic, their units become active and owe obligations too,
    and an evaluation raises them for every unit (``dinaikkan`` of a later evaluation is 0
    only if no such kegiatan arrived in between)."""
    return private_broker


def months_between(start: dt.date, end_exclusive: dt.date) -> list[str]:
    found, year, month = [], start.year, start.month
    while (year, month) < (end_exclusive.year, end_exclusive.month):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


async def pemantauan(svc: Any, headers: dict[str, str], unit: str, day: dt.date) -> str:
    answer = await svc.post(
        "/pemantauan",
        json={"unit": unit, "tanggal": day.isoformat(), "ringkasan": "Pemantauan Forum Warga dan Pojok Pengawasan"},
        headers=headers,
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def test_overdue_obligations_are_raised_once(start_service, tokens, tap, monkeypatch: pytest.MonkeyPatch) -> None:
    # The background job runs all the time, beside explicit evaluations, on a year of history.
    # The service's own job waits while the history is written (it would see a half-written
    # year, say the province's second pemantauan of four, and rightly raise it); this test's
    # job starts when the history is complete, every 0.3 s.
    monkeypatch.setenv("AWASI_PARTICIPATION_OBLIGATION_FIRST_RUN_SECONDS", "3600")
    monkeypatch.setenv("AWASI_PARTICIPATION_ALERT_LOOKBACK_DAYS", "1000")
    svc = await start_service("participation")
    events = await tap()
    today = today_in("35.22")
    last_year = today.year - 1
    kab, prov = tokens("35.22"), tokens("35")

    formed = await svc.post(
        "/program",
        json={
            "unit": "35.22",
            "program": "forum_warga",
            "nama": "Forum Warga",
            "forum_warga": FORUM,
            "dibentuk_pada": dt.date(last_year, 1, 15).isoformat(),
        },
        headers=kab,
    )
    assert formed.status_code == 201, formed.text
    await pemantauan(svc, kab, "35.22", dt.date(last_year, 3, 10))
    for month in (2, 5, 8, 11):  # the province monitored 4 times: its year is met
        await pemantauan(svc, prov, "35", dt.date(last_year, month, 3))
    refused = await svc.post(
        "/pemantauan",
        json={"unit": "35.22.01", "tanggal": today.isoformat(), "ringkasan": "x"},
        headers=tokens("35.22.01"),
    )
    assert refused.status_code == 422 and refused.json()["pasal"].startswith("Pasal 30 ayat (3)")

    settings = ParticipationSettings(obligation_first_run_seconds=0, obligation_interval_seconds=0.3)
    job = asyncio.create_task(obligation_job(start_service.apps["participation"].state.bus, settings)())
    try:
        await _raised_once(svc, tokens, events, today, last_year, kab, prov, start_service.apps["participation"])
    finally:
        job.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await job


async def _raised_once(
    svc: Any, tokens: Any, events: Any, today: dt.date, last_year: int, kab: Any, prov: Any, app: Any
) -> None:
    operator = tokens("35.22")
    answers = await asyncio.gather(*(svc.post("/kewajiban/evaluasi", headers=operator) for _ in range(3)))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers]

    monthly = {
        f"pemantauan:35.22:{m}" for m in months_between(dt.date(last_year, 1, 1), today) if m != f"{last_year}-03"
    }
    expected = monthly | {f"pemantauan:00:{last_year}", f"forum_warga:35.22:{last_year}"}

    # Wait for these very obligations, not for a count: replayed events of other tests make other
    # units active here, and their alerts would fill a count before all of these arrived.
    async def own_alerts() -> list[Any]:
        """The alerts this service published (its outbox keeps every event it sent: the shared
        broker also carries other tests' services' alerts for the same obligations, and an earlier
        run of this test's), one per event id as every consumer reads them: without an idempotent
        producer (the embedded broker refuses one) a retried send can repeat a record."""
        async with app.state.service.sessions() as session:
            sent = set((await session.execute(sa.select(orm.outbox.c.event_id))).scalars())
        return list({env.id: e for env, e in events.seen if type(e).alert and env.id in sent}.values())

    async def all_raised() -> bool:
        await events.settle(0.3)
        return expected <= {e.kewajiban_id for e in await own_alerts()}

    await eventually(all_raised, timeout=30)
    await events.settle(2.0)  # the job keeps running: nothing is raised twice
    raised = await own_alerts()
    ids = [e.kewajiban_id for e in raised]
    assert len(ids) == len(set(ids))
    # Units other tests' kegiatan made active (replayed from planning's topic) may add their own.
    mine = {i for i in ids if ":35.22:" in i} | (expected & set(ids))
    assert mine == expected
    assert f"pemantauan:35:{last_year}" not in ids  # the province monitored 4 times

    ri = next(e for e in raised if e.kewajiban_id == f"pemantauan:00:{last_year}")
    assert (ri.unit, ri.wajib, ri.terlaksana) == ("00", 2, 0)
    assert ri.pasal == "Pasal 30 ayat (3) huruf a Perbawaslu Nomor 2 Tahun 2023"
    assert "Bawaslu Republik Indonesia" in ri.pesan and str(last_year) in ri.pesan
    forum = next(e for e in raised if isinstance(e, ForumWargaOverdue))
    assert (forum.wajib, forum.terlaksana, forum.batas_waktu) == (3, 0, dt.date(last_year, 12, 31))
    assert "Forum Warga" in forum.pesan and forum.pasal.startswith("Pasal 17 ayat (1)")

    again = await svc.post("/kewajiban/evaluasi", headers=operator)
    assert again.json()["dinaikkan"] == 0

    listed = (await svc.get("/kewajiban", params={"unit": "35.22", "tahun": last_year}, headers=kab)).json()
    by_id = {k["id"]: k for k in listed}
    assert len(listed) == 13  # twelve months of pemantauan and the Forum Warga year
    assert by_id[f"pemantauan:35.22:{last_year}-03"]["status"] == "terpenuhi"
    assert not by_id[f"pemantauan:35.22:{last_year}-03"]["dinaikkan"]
    missed = by_id[f"pemantauan:35.22:{last_year}-04"]
    assert (missed["status"], missed["dinaikkan"], missed["kurang"]) == ("terlewat", True, 1)
    assert missed["periode_label"] == f"April {last_year}"
    current = (await svc.get("/kewajiban", params={"unit": "35.22", "tahun": today.year}, headers=kab)).json()
    this_month = next(k for k in current if k["periode"] == f"{today.year:04d}-{today.month:02d}")
    assert this_month["status"] == "berjalan" and this_month["batas_waktu"] >= today.isoformat()
    province = (
        await svc.get("/kewajiban", params={"unit": "35", "tahun": last_year, "status": "terpenuhi"}, headers=prov)
    ).json()
    assert {k["id"] for k in province} == {f"pemantauan:35:{last_year}", f"pemantauan:35.22:{last_year}-03"}


async def test_unmet_penilaian_requires_tindak_lanjut_until_recorded(
    start_service, tokens, tap, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The explicit evaluation below raises the missed tindak lanjut; the service's own job (10 s
    # after start by default) must not do it first on a slow run.
    monkeypatch.setenv("AWASI_PARTICIPATION_OBLIGATION_FIRST_RUN_SECONDS", "3600")
    svc = await start_service("participation")
    events = await tap()
    ri, kab = tokens("00", "admin"), tokens("35.23")
    day = today_in("35.23") - dt.timedelta(days=30)
    year = day.year

    indicators = {
        "nama": f"Indikator keberhasilan Pengawasan Partisipatif {year}",
        "nomor_keputusan": f"001/HK.01.00/K1/01/{year}",
        "tahun": year,
        "indikator": [
            {"kode": "FW", "nama": "Forum Warga terlaksana", "target": 3, "metrik": "jumlah_forum_warga"},
            {"kode": "PHM", "nama": "Peserta yang pemahamannya meningkat", "target": 70, "satuan": "%"},
        ],
        "batas_tindak_lanjut_hari": 10,
    }
    not_ri = await svc.post("/indikator", json=indicators, headers=tokens("35", "admin"))
    assert not_ri.status_code == 403 and not_ri.json()["pasal"] == "Pasal 30 ayat (2) Perbawaslu Nomor 2 Tahun 2023"
    configured = await svc.post("/indikator", json=indicators, headers=ri)
    assert configured.status_code == 201, configured.text

    monitored = await pemantauan(svc, kab, "35.23", day)
    body = {
        "unit": "35.23",
        "tahun": year,
        "pemantauan_ids": [monitored],
        "nilai": {"PHM": 50},
        "tanggal": day.isoformat(),
    }
    kec = await svc.post("/penilaian", json={**body, "unit": "35.23.01"}, headers=tokens("35.23.01"))
    assert kec.status_code == 422 and kec.json()["pasal"].startswith("Pasal 30 ayat (1)")
    no_basis = await svc.post("/penilaian", json={**body, "pemantauan_ids": []}, headers=kab)
    assert no_basis.status_code == 422 and no_basis.json()["pasal"].startswith("Pasal 30 ayat (2)")
    assert (
        await svc.post("/penilaian", json={**body, "pemantauan_ids": ["tidak-ada"]}, headers=kab)
    ).status_code == 404

    assessed = await svc.post("/penilaian", json=body, headers=kab)
    assert assessed.status_code == 201, assessed.text
    penilaian = assessed.json()
    assert (penilaian["memenuhi"], penilaian["skor"], penilaian["status_tindak_lanjut"]) == (False, 0.0, "diperlukan")
    assert penilaian["batas_tindak_lanjut"] == (day + dt.timedelta(days=10)).isoformat()
    assert {h["kode"]: h["nilai"] for h in penilaian["hasil"]} == {"FW": 0.0, "PHM": 50.0}

    (set_event,) = await events.wait_for(PenilaianSet, penilaian_id=penilaian["id"])
    assert set_event.unit == "35.23" and not set_event.memenuhi
    (required,) = await events.wait_for(TindakLanjutRequired, penilaian_id=penilaian["id"])
    assert required.batas_waktu == day + dt.timedelta(days=10) and set(required.indikator_tidak_terpenuhi) == {
        "FW",
        "PHM",
    }

    evaluated = (await svc.post("/kewajiban/evaluasi", headers=kab)).json()
    assert f"tindak_lanjut:{penilaian['id']}" in {k["id"] for k in evaluated["kewajiban"]}
    (overdue,) = await events.wait_for(TindakLanjutOverdue, penilaian_id=penilaian["id"])
    assert overdue.unit == "35.23" and overdue.pesan and TindakLanjutOverdue.alert

    url = f"/penilaian/{penilaian['id']}/tindak-lanjut"
    missing = await svc.post(url, json={"evaluasi": "Peserta kurang", "media": ["tatap_muka"]}, headers=kab)
    assert (
        missing.status_code == 422
        and missing.json()["pasal"] == "Pasal 31 ayat (1) huruf b Perbawaslu Nomor 2 Tahun 2023"
    )
    assert (await svc.post(url, json={}, headers=tokens("35.06"))).status_code == 404
    recorded = await svc.post(
        url,
        json={
            "evaluasi": "Metode ceramah membuat peserta pasif; undangan terlambat.",
            "strategi_baru": "Forum Warga partisipatoris di tiap kecamatan, undangan H-7 lewat tokoh masyarakat.",
            "media": ["tatap_muka", "daring"],
        },
        headers=kab,
    )
    assert recorded.status_code == 200, recorded.text
    assert (
        recorded.json()["status_tindak_lanjut"] == "dicatat" and recorded.json()["tindak_lanjut"]["terlambat"] is True
    )
    (done,) = await events.wait_for(TindakLanjutRecorded, penilaian_id=penilaian["id"])
    assert done.terlambat and done.media == ["tatap_muka", "daring"]
    twice = await svc.post(url, json={"evaluasi": "a", "strategi_baru": "b", "media": ["daring"]}, headers=kab)
    assert twice.status_code == 409

    obligations = (await svc.get("/kewajiban", params={"unit": "35.23", "tahun": year}, headers=kab)).json()
    tindak_lanjut = next(k for k in obligations if k["jenis"] == "tindak_lanjut")
    assert (tindak_lanjut["status"], tindak_lanjut["dinaikkan"]) == ("terpenuhi", True)

    # A penilaian that meets its indicators needs no tindak lanjut.
    simple = await svc.post(
        "/indikator",
        json={
            "nama": "Indikator sederhana",
            "nomor_keputusan": "002/HK.01.00/K1",
            "indikator": [{"kode": "PHM", "nama": "Pemahaman meningkat", "target": 70}],
        },
        headers=ri,
    )
    met = await svc.post(
        "/penilaian", json={**body, "indikator_set_id": simple.json()["id"], "nilai": {"PHM": 85}}, headers=kab
    )
    assert (
        met.status_code == 201 and met.json()["memenuhi"] and met.json()["status_tindak_lanjut"] == "tidak_diperlukan"
    )
    refused = await svc.post(
        f"/penilaian/{met.json()['id']}/tindak-lanjut",
        json={"evaluasi": "a", "strategi_baru": "b", "media": ["daring"]},
        headers=kab,
    )
    assert refused.status_code == 409 and refused.json()["pasal"].startswith("Pasal 31 ayat (1)")
    listed = (await svc.get("/penilaian", params={"tahun": year}, headers=tokens("35", "viewer"))).json()
    assert {p["id"] for p in listed} == {penilaian["id"], met.json()["id"]}
