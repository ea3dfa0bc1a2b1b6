"""Each state change of a kegiatan reaches Kafka as its event and is seen by consumers in other
services (participation keeps its program kegiatan, notification its reminders), and by an
agency reading the topic directly. Refused changes publish nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer

from awasi_cli.testing import eventually
from awasi_common.events.envelope import Envelope, decode
from awasi_common.events.planning import (
    KEGIATAN_TOPIC,
    KegiatanCancelled,
    KegiatanCompleted,
    KegiatanRescheduled,
    KegiatanScheduled,
)
from awasi_planning.service_layer import handlers

UNIT = "35.05"


@pytest.fixture
async def agency(kafka_bootstrap: str) -> AsyncIterator[AIOKafkaConsumer]:
    """A subscriber outside the platform: its own consumer group on planning's topic."""
    consumer = AIOKafkaConsumer(
        KEGIATAN_TOPIC,
        bootstrap_servers=kafka_bootstrap,
        group_id=f"test-agency-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        yield consumer
    finally:
        await consumer.stop()


async def collect(consumer: AIOKafkaConsumer, seen: dict[str, list[tuple[Envelope, Any, str]]]) -> None:
    batches = await consumer.getmany(timeout_ms=200)
    for records in batches.values():
        for record in records:
            envelope = Envelope.from_headers(dict(record.headers))
            event = decode(envelope, record.value)
            key = record.key.decode() if record.key else ""
            seen.setdefault(key, []).append((envelope, event, key))


def body(start: dt.date, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit": UNIT,
        "divisi": "P2H",
        "judul": "Forum Warga Kelurahan Kademangan",
        "jenis": "rapat_koordinasi",
        "jadwal": {"mulai": start.isoformat(), "selesai": start.isoformat()},
        "program": "forum_warga",
        "metode": "hybrid",
        "target_peserta": {"jumlah": 40, "luring": 30, "daring": 10, "keterangan": "tokoh masyarakat"},
        "lokasi": "Balai Kelurahan Kademangan",
        "anggaran": 5_000_000,
        "tujuan": ["Menjaring masukan warga tentang kerawanan pemilu"],
    }
    data.update(overrides)
    return data


async def test_each_state_change_reaches_other_services(
    start_service, tokens, agency, table_counts, monkeypatch: pytest.MonkeyPatch
) -> None:
    planning = await start_service("planning")
    participation = await start_service("participation")
    notification = await start_service("notification")
    auth = tokens(UNIT)
    start = dt.date.today() + dt.timedelta(days=30)

    # A draft publishes nothing; scheduling it publishes KegiatanScheduled.
    draft = await planning.post("/kegiatan", json=body(start, draft=True), headers=auth)
    assert draft.status_code == 201, draft.text
    kegiatan_id = draft.json()["id"]
    assert draft.json()["status"] == "draft" and await table_counts() == (1, 0)
    scheduled = await planning.post(f"/kegiatan/{kegiatan_id}/jadwalkan", headers=auth)
    assert scheduled.status_code == 200 and scheduled.json()["status"] == "scheduled"

    async def program_row() -> dict[str, Any] | None:
        response = await participation.get(f"/program-kegiatan/{kegiatan_id}", headers=auth)
        return response.json() if response.status_code == 200 else None

    async def reminder_dates() -> dict[str, str]:
        response = await notification.get("/pengingat", params={"kegiatan_id": kegiatan_id}, headers=auth)
        return {r["kind"]: r["due_on"] for r in response.json()}

    row = await eventually(program_row, timeout=60)
    assert (row["status"], row["mulai"], row["target_peserta"], row["program"]) == (
        "scheduled",
        start.isoformat(),
        40,
        "forum_warga",
    )
    reminders = await eventually(reminder_dates, timeout=60)
    assert reminders["H-3"] == (start - dt.timedelta(days=3)).isoformat()

    # Rescheduled: both services move with it.
    moved = start + dt.timedelta(days=7)
    jadwal = {
        "mulai": moved.isoformat(),
        "selesai": (moved + dt.timedelta(days=1)).isoformat(),
        "presisi": "rentang_tanggal",
        "keterangan": "diundur karena bentrok dengan rapat pleno",
    }
    rescheduled = await planning.post(f"/kegiatan/{kegiatan_id}/jadwal-ulang", json={"jadwal": jadwal}, headers=auth)
    assert rescheduled.status_code == 200 and rescheduled.json()["status"] == "rescheduled"

    async def moved_row() -> dict[str, Any] | None:
        found = await program_row()
        return found if found and found["status"] == "rescheduled" else None

    row = await eventually(moved_row, timeout=60)
    assert (row["mulai"], row["selesai"]) == (moved.isoformat(), (moved + dt.timedelta(days=1)).isoformat())

    async def moved_reminders() -> dict[str, str] | None:
        found = await reminder_dates()
        return found if found.get("H-3") == (moved - dt.timedelta(days=3)).isoformat() else None

    await eventually(moved_reminders, timeout=60)

    # Completed with its realisation.
    realisasi = {
        "peserta_hadir": 37,
        "output_tercapai": ["Daftar kerawanan dari warga"],
        "anggaran_realisasi": 4_750_000,
        "catatan": "Hujan deras; sebagian warga hadir daring.",
        "dokumentasi": ["https://example.org/foto/forum-warga.jpg"],
    }
    # Not before the kegiatan starts (test_realisasi.py); on its first day the clock is moved to.
    early = await planning.post(f"/kegiatan/{kegiatan_id}/realisasi", json=realisasi, headers=auth)
    assert early.status_code == 422 and early.json()["field"] == "jadwal.mulai", early.text
    monkeypatch.setattr(handlers, "now", lambda: dt.datetime.combine(moved, dt.time(9), tzinfo=dt.UTC))
    completed = await planning.post(f"/kegiatan/{kegiatan_id}/realisasi", json=realisasi, headers=auth)
    assert completed.status_code == 200 and completed.json()["status"] == "completed"

    async def completed_row() -> dict[str, Any] | None:
        found = await program_row()
        return found if found and found["status"] == "completed" else None

    assert (await eventually(completed_row, timeout=60))["peserta_hadir"] == 37

    # A second one is cancelled with a reason.
    other = await planning.post("/kegiatan", json=body(start, judul="Forum Warga Desa Sumberjo"), headers=auth)
    other_id = other.json()["id"]
    cancelled = await planning.post(
        f"/kegiatan/{other_id}/batalkan", json={"alasan": "Digabung dengan forum Kademangan"}, headers=auth
    )
    assert cancelled.status_code == 200 and cancelled.json()["alasan_batal"] == "Digabung dengan forum Kademangan"

    async def cancelled_row() -> dict[str, Any] | None:
        response = await participation.get(f"/program-kegiatan/{other_id}", headers=auth)
        return response.json() if response.status_code == 200 and response.json()["status"] == "cancelled" else None

    await eventually(cancelled_row, timeout=60)

    # Refused changes: a clear 4xx, and no event.
    before = await table_counts()
    refusals = [
        (f"/kegiatan/{other_id}/realisasi", {"peserta_hadir": 3}, 409),
        (f"/kegiatan/{kegiatan_id}/batalkan", {"alasan": "terlambat dibatalkan"}, 409),
        (f"/kegiatan/{kegiatan_id}/jadwal-ulang", {"jadwal": jadwal}, 409),
        (f"/kegiatan/{other_id}/jadwalkan", None, 409),
        (
            f"/kegiatan/{other_id}/jadwal-ulang",
            {"jadwal": {"mulai": moved.isoformat(), "selesai": start.isoformat()}},
            422,
        ),
        (f"/kegiatan/{uuid.uuid4()}/batalkan", {"alasan": "tidak ada"}, 404),
    ]
    for path, payload, expected in refusals:
        response = await planning.post(path, json=payload, headers=auth)
        assert response.status_code == expected, (path, response.text)
        assert response.json()["detail"]
    assert (
        "Kegiatan yang sudah dibatalkan tidak dapat diselesaikan."
        in (await planning.post(f"/kegiatan/{other_id}/realisasi", json={"peserta_hadir": 3}, headers=auth)).json()[
            "detail"
        ]
    )
    assert await table_counts() == before == (2, 5)

    # An agency reading the topic sees each change as its CloudEvent, keyed by the kegiatan.
    seen: dict[str, list[tuple[Envelope, Any, str]]] = {}

    async def all_events() -> bool:
        await collect(agency, seen)
        return len(seen.get(kegiatan_id, [])) >= 3 and len(seen.get(other_id, [])) >= 2

    await eventually(all_events, timeout=60)
    first = seen[kegiatan_id]
    assert [type(e) for _, e, _ in first] == [KegiatanScheduled, KegiatanRescheduled, KegiatanCompleted]
    assert [env.type for env, _, _ in first] == [
        "awasi.KegiatanScheduled.v1",
        "awasi.KegiatanRescheduled.v1",
        "awasi.KegiatanCompleted.v1",
    ]
    assert {(env.source, env.subject, env.unit) for env, _, _ in first} == {("/awasi/planning", kegiatan_id, UNIT)}
    scheduled_event, rescheduled_event, completed_event = (e for _, e, _ in first)
    assert scheduled_event.kegiatan.program == "forum_warga" and scheduled_event.kegiatan.status == "scheduled"
    assert (scheduled_event.kegiatan.peserta_luring, scheduled_event.kegiatan.peserta_daring) == (30, 10)
    assert scheduled_event.kegiatan.lokasi == "Balai Kelurahan Kademangan"
    assert rescheduled_event.jadwal_sebelumnya.mulai == start
    assert rescheduled_event.kegiatan.jadwal.keterangan == "diundur karena bentrok dengan rapat pleno"
    assert completed_event.realisasi.peserta_hadir == 37
    assert completed_event.realisasi.anggaran_realisasi == 4_750_000
    second = [e for _, e, _ in seen[other_id]]
    assert [type(e) for e in second] == [KegiatanScheduled, KegiatanCancelled]
    assert second[1].alasan == "Digabung dengan forum Kademangan" and second[1].kegiatan.status == "cancelled"


async def test_imported_kegiatan_reach_participation(start_service, tokens, upload) -> None:
    """A plan written for this test, for next year: its Forum Warga reaches participation with the
    window read from 'minggu kedua bulan Maret' and the participants read from the text."""
    planning = await start_service("planning")
    participation = await start_service("participation")
    year = dt.date.today().year + 1
    text = f"""\
RENCANA KEGIATAN TAHUN {year} BAWASLU KABUPATEN BLITAR

DIVISI PENCEGAHAN, PARTISIPASI MASYARAKAT DAN HUBUNGAN MASYARAKAT

1. Forum Warga Kecamatan Wlingi

I. Latar Belakang

Warga perlu dilibatkan sejak awal dalam pengawasan tahapan pemilihan.

II. Tujuan Kegiatan

- Menjaring informasi awal kerawanan dari warga.

V. Pelaksanaan Kegiatan

Forum dilaksanakan pada minggu kedua bulan Maret dengan Peserta 45 Orang, bertempat di Pendopo Kecamatan Wlingi.
"""
    auth = tokens(UNIT)
    response = await planning.post(
        "/kegiatan/impor", files=upload(None, text.encode(), "forum-warga.txt"), headers=auth
    )
    assert response.status_code == 201, response.text
    imported = response.json()["kegiatan"][0]
    assert imported["program"] == "forum_warga" and imported["target_peserta"]["jumlah"] == 45

    async def row() -> dict[str, Any] | None:
        found = await participation.get(f"/program-kegiatan/{imported['id']}", headers=auth)
        return found.json() if found.status_code == 200 else None

    seen = await eventually(row, timeout=60)
    assert (seen["mulai"], seen["selesai"]) == (f"{year}-03-08", f"{year}-03-14")
    assert (seen["status"], seen["target_peserta"], seen["lokasi"]) == (
        "scheduled",
        45,
        "Pendopo Kecamatan Wlingi",
    )
