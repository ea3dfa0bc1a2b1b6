"""PATCH /kegiatan/{id}: an operator corrects a kegiatan's particulars. A draft (e.g. one just
imported) changes without an event; a scheduled one publishes KegiatanUpdated with the whole
kegiatan, in the same transaction as its row; nothing changes → no write, no event; refused
corrections write nothing."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import sqlalchemy as sa

UNIT = "35.05"


def body(start: dt.date, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit": UNIT,
        "divisi": "P2H",
        "judul": "Forum Warga Kelurahan Kademangan",
        "jenis": "rapat_koordinasi",
        "jadwal": {"mulai": start.isoformat(), "selesai": start.isoformat()},
        "program": "forum_warga",
        "target_peserta": {"jumlah": 40},
        "lokasi": "Balai Kelurahan Kademangan",
        "anggaran": 5_000_000,
    }
    data.update(overrides)
    return data


async def outbox_events(start_service: Any, kegiatan_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(headers as text, payload) of the kegiatan's events in planning's outbox, oldest first."""
    from awasi_planning.adapters.orm import outbox

    service = start_service.apps["planning"].state.service
    query = sa.select(outbox.c.headers, outbox.c.payload).where(outbox.c.key == kegiatan_id).order_by(outbox.c.seq)
    async with service.sessions() as session:
        rows = (await session.execute(query)).all()
    return [(json.dumps(headers), json.loads(payload)) for headers, payload in rows]


async def test_correcting_a_scheduled_kegiatan_publishes_its_snapshot(start_service, tokens, table_counts) -> None:
    planning = await start_service("planning")
    auth = tokens(UNIT)
    start = dt.date.today() + dt.timedelta(days=30)
    made = await planning.post("/kegiatan", json=body(start), headers=auth)
    assert made.status_code == 201, made.text
    kegiatan_id = made.json()["id"]
    before = await table_counts()

    change = {"judul": "  Forum Warga Kelurahan Sentul  ", "lokasi": "Aula Kelurahan Sentul", "anggaran": 4_000_000}
    changed = await planning.patch(f"/kegiatan/{kegiatan_id}", json=change, headers=auth)
    assert changed.status_code == 200, changed.text
    k = changed.json()
    assert (k["judul"], k["lokasi"], k["anggaran"], k["status"]) == (
        "Forum Warga Kelurahan Sentul",
        "Aula Kelurahan Sentul",
        4_000_000,
        "scheduled",
    )
    assert k["target_peserta"]["jumlah"] == 40 and k["jenis"] == "rapat_koordinasi"  # untouched
    assert (await planning.get(f"/kegiatan/{kegiatan_id}", headers=auth)).json()["judul"] == k["judul"]
    assert await table_counts() == (before[0], before[1] + 1)

    # Sending the same values again changes nothing: no event.
    again = await planning.patch(f"/kegiatan/{kegiatan_id}", json=change, headers=auth)
    assert again.status_code == 200 and again.json()["judul"] == "Forum Warga Kelurahan Sentul"
    assert await table_counts() == (before[0], before[1] + 1)

    # null clears an optional field.
    cleared = await planning.patch(f"/kegiatan/{kegiatan_id}", json={"lokasi": None}, headers=auth)
    assert cleared.status_code == 200 and cleared.json()["lokasi"] is None

    events = await outbox_events(start_service, kegiatan_id)
    updated = [payload for headers, payload in events if "awasi.KegiatanUpdated.v1" in headers]
    assert [sorted(e["diubah"]) for e in updated] == [["anggaran", "judul", "lokasi"], ["lokasi"]], events
    assert updated[0]["kegiatan"]["judul"] == "Forum Warga Kelurahan Sentul"
    assert updated[0]["kegiatan"]["target_peserta"] == 40 and updated[1]["kegiatan"]["lokasi"] is None


async def test_a_draft_is_corrected_without_an_event_including_its_schedule(
    start_service, tokens, table_counts
) -> None:
    planning = await start_service("planning")
    auth = tokens(UNIT)
    start = dt.date.today() + dt.timedelta(days=40)
    draft = (await planning.post("/kegiatan", json=body(start, draft=True), headers=auth)).json()
    before = await table_counts()
    moved = start + dt.timedelta(days=2)
    changed = await planning.patch(
        f"/kegiatan/{draft['id']}",
        json={
            "jenis": "sosialisasi",
            "divisi": "HPS",
            "jadwal": {"mulai": moved.isoformat(), "selesai": moved.isoformat()},
            "target_peserta": {"jumlah": 60, "keterangan": "pemilih pemula"},
            "program": None,
        },
        headers=auth,
    )
    assert changed.status_code == 200, changed.text
    k = changed.json()
    assert (k["jenis"], k["divisi"], k["jadwal"]["mulai"], k["status"]) == (
        "sosialisasi",
        "HPS",
        moved.isoformat(),
        "draft",
    )
    assert (k["target_peserta"]["jumlah"], k["program"]) == (60, None)
    assert await table_counts() == before  # a draft publishes nothing


async def test_refused_corrections_write_nothing(start_service, tokens, table_counts) -> None:
    planning = await start_service("planning")
    auth = tokens(UNIT)
    start = dt.date.today() + dt.timedelta(days=50)
    scheduled = (await planning.post("/kegiatan", json=body(start), headers=auth)).json()
    cancelled = (await planning.post("/kegiatan", json=body(start, judul="Rapat yang batal"), headers=auth)).json()
    await planning.post(f"/kegiatan/{cancelled['id']}/batalkan", json={"alasan": "Digabung"}, headers=auth)
    before = await table_counts()
    later = (start + dt.timedelta(days=1)).isoformat()
    refusals: list[tuple[str, dict[str, Any], dict[str, str], int, str]] = [
        (cancelled["id"], {"judul": "Rapat baru"}, auth, 409, "sudah dibatalkan tidak dapat diubah"),
        (scheduled["id"], {"jadwal": {"mulai": later, "selesai": later}}, auth, 409, "jadwal ulang"),
        (scheduled["id"], {"judul": "ab"}, auth, 422, ""),
        (scheduled["id"], {"judul": "x" * 5000}, auth, 422, ""),
        (scheduled["id"], {"judul": None}, auth, 422, "tidak dapat dikosongkan"),
        (scheduled["id"], {"anggaran": -1}, auth, 422, ""),
        (scheduled["id"], {"unit": "35.06"}, auth, 422, ""),
        (scheduled["id"], {"tujuan": ["t"] * 1000}, auth, 422, ""),
        (scheduled["id"], {"program": None, "program_id": str(uuid.uuid4())}, auth, 422, "program_id"),
        (scheduled["id"], {"program": None}, auth, 409, "tidak dapat dikeluarkan dari program"),
        (scheduled["id"], {"judul": "Rapat lain"}, tokens(UNIT, "viewer"), 403, "hanya dapat membaca"),
        (scheduled["id"], {"judul": "Rapat lain"}, tokens("35.06"), 404, "tidak ditemukan"),
        (scheduled["id"], {"judul": "Rapat lain"}, tokens("35.05.01"), 404, "tidak ditemukan"),
        (str(uuid.uuid4()), {"judul": "Rapat lain"}, auth, 404, "tidak ditemukan"),
    ]
    for kegiatan_id, payload, headers, expected, says in refusals:
        response = await planning.patch(f"/kegiatan/{kegiatan_id}", json=payload, headers=headers)
        assert response.status_code == expected, (payload, response.text)
        assert says in str(response.json()["detail"]), response.text
    # A parent unit reads the kegiatan but does not act for it.
    parent = await planning.patch(f"/kegiatan/{scheduled['id']}", json={"judul": "Rapat lain"}, headers=tokens("35"))
    assert parent.status_code == 403, parent.text
    assert await table_counts() == before
    assert (await planning.get(f"/kegiatan/{scheduled['id']}", headers=auth)).json()["judul"] == scheduled["judul"]


async def test_corrections_cannot_grow_a_kegiatan_past_what_its_events_may_carry(
    start_service, tokens, table_counts
) -> None:
    """Each correction is bounded (256 KiB) as a request; one after another they could fill
    tujuan, output and sasaran each to that bound, and KegiatanCompleted (the kegiatan and its
    realisasi) past the broker's 1 MiB. The kegiatan as a whole keeps its creation's bound."""
    planning = await start_service("planning")
    auth = tokens(UNIT)
    start = dt.date.today() + dt.timedelta(days=60)
    kegiatan_id = (await planning.post("/kegiatan", json=body(start), headers=auth)).json()["id"]
    point = "\x01" * 2000  # six bytes each as JSON
    first = await planning.patch(f"/kegiatan/{kegiatan_id}", json={"tujuan": [point] * 20}, headers=auth)
    assert first.status_code == 200, first.text[:300]
    before = await table_counts()
    second = await planning.patch(f"/kegiatan/{kegiatan_id}", json={"output": [point] * 20}, headers=auth)
    assert second.status_code == 422 and "terlalu besar" in second.json()["detail"], second.text[:300]
    assert second.json()["field"] == "output"
    assert await table_counts() == before
    assert (await planning.get(f"/kegiatan/{kegiatan_id}", headers=auth)).json()["output"] == []


async def test_a_correction_reaches_participation_over_the_broker(start_service, tokens) -> None:
    """Through the relay and the real broker: participation's program kegiatan takes the new title
    and target of a corrected Forum Warga."""
    from awasi_cli.testing import eventually

    planning = await start_service("planning")
    participation = await start_service("participation")
    auth = tokens(UNIT)
    start = dt.date.today() + dt.timedelta(days=35)
    kegiatan_id = (await planning.post("/kegiatan", json=body(start), headers=auth)).json()["id"]

    async def row() -> dict[str, Any] | None:
        found = await participation.get(f"/program-kegiatan/{kegiatan_id}", headers=auth)
        return found.json() if found.status_code == 200 else None

    assert (await eventually(row, timeout=60))["target_peserta"] == 40
    corrected = await planning.patch(
        f"/kegiatan/{kegiatan_id}",
        json={"judul": "Forum Warga Desa Gogodeso", "target_peserta": {"jumlah": 55}},
        headers=auth,
    )
    assert corrected.status_code == 200, corrected.text

    async def updated() -> dict[str, Any] | None:
        found = await row()
        return found if found and found["judul"] == "Forum Warga Desa Gogodeso" else None

    seen = await eventually(updated, timeout=60)
    assert (seen["target_peserta"], seen["status"], seen["mulai"]) == (55, "scheduled", start.isoformat())
