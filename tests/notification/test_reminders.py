"""Kegiatan reminders fire on their day from the background scheduler (its clock moved
forward), reach the unit's inbox and address once, and stop when the kegiatan is cancelled
or completed."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from awasi_cli.testing import eventually
from awasi_common.events.planning import Jadwal as JadwalContract
from awasi_common.events.planning import (
    KegiatanCancelled,
    KegiatanCompleted,
    KegiatanRescheduled,
    KegiatanScheduled,
    KegiatanUpdated,
)
from awasi_common.events.planning import Realisasi as RealisasiContract
from awasi_common.units import WIB, WIT

UNIT = "35.05"
ADDRESS = "p2h.blitar@example.go.id"


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one notification also reads the kegiatan
    other tests left for 35.05, and moving the clock fires their reminders too, into the inbox
    and the mailbox these tests count whole."""
    return private_broker


def move_to(n: Any, day: dt.date, hour: int = 8, minute: int = 0, zone: dt.tzinfo = WIB) -> None:
    """Set the service's clock to ``day`` at ``hour``:``minute`` in ``zone`` (WIB unless told)."""
    target = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)
    n.app.state.clock.offset = target - dt.datetime.now(dt.UTC)


async def reminders(n: Any, tokens: Any, kegiatan_id: str, unit: str = UNIT) -> dict[str, dict[str, Any]]:
    rows = (await n.client.get("/pengingat", params={"kegiatan_id": kegiatan_id}, headers=tokens(unit))).json()
    return {r["kind"]: r for r in rows}


async def inbox_subjects(n: Any, tokens: Any, unit: str = UNIT) -> list[str]:
    return sorted(m["subjek"] for m in (await n.client.get("/kotak-masuk", headers=tokens(unit))).json())


async def test_reminders_fire_on_their_day_once_and_stop_when_cancelled_or_completed(
    notification_service, smtp, tokens, kegiatan_event
) -> None:
    n = await notification_service()
    await n.client.put(f"/kontak-unit/{UNIT}", json={"email": [ADDRESS]}, headers=tokens(UNIT))
    mulai = dt.date.today() + dt.timedelta(days=10)
    a = kegiatan_event(KegiatanScheduled, UNIT, mulai=mulai, judul="Forum Warga Kecamatan Sanankulon")
    b = kegiatan_event(KegiatanScheduled, UNIT, mulai=mulai, judul="Bimtek Pengawas TPS")
    c = kegiatan_event(KegiatanScheduled, UNIT, mulai=mulai, judul="Sosialisasi di Kampus")
    for event in (a, b, c):
        await n.publish(event)
    for event in (a, b, c):
        await eventually(lambda e=event: reminders(n, tokens, e.kegiatan_id))
    found = await reminders(n, tokens, a.kegiatan_id)
    assert {k: r["due_on"] for k, r in found.items()} == {
        "H-3": (mulai - dt.timedelta(days=3)).isoformat(),
        "H-1": (mulai - dt.timedelta(days=1)).isoformat(),
        "realisasi": (mulai + dt.timedelta(days=1)).isoformat(),
    }
    assert {r["status"] for r in found.values()} == {"pending"}
    await asyncio.sleep(0.3)
    assert await inbox_subjects(n, tokens) == [] and smtp.mails == []  # not yet

    # H-3, before the reminder hour (07:00 WIB): still nothing. Then 08:00: the three fire.
    move_to(n, mulai - dt.timedelta(days=3), hour=6)
    await asyncio.sleep(0.4)
    assert await inbox_subjects(n, tokens) == []
    move_to(n, mulai - dt.timedelta(days=3))
    await eventually(lambda: asyncio.sleep(0, result=len(smtp.to(ADDRESS)) == 3))
    assert await inbox_subjects(n, tokens) == sorted(f"Pengingat H-3: {e.kegiatan.judul}" for e in (a, b, c))
    assert "3 hari lagi" in smtp.to(ADDRESS)[0].body

    # B is cancelled, C is completed early; A stays.
    await n.publish(kegiatan_event(KegiatanCancelled, UNIT, kegiatan_id=b.kegiatan_id, mulai=mulai, alasan="Ditunda"))
    await n.publish(
        kegiatan_event(KegiatanCompleted, UNIT, kegiatan_id=c.kegiatan_id, mulai=mulai, realisasi=RealisasiContract())
    )

    async def closed() -> bool:
        rb, rc = await reminders(n, tokens, b.kegiatan_id), await reminders(n, tokens, c.kegiatan_id)
        return rb["H-1"]["status"] == "cancelled" and rc["realisasi"]["status"] == "completed"

    await eventually(closed)
    assert (await reminders(n, tokens, b.kegiatan_id))["H-3"]["status"] == "fired"

    move_to(n, mulai - dt.timedelta(days=1))
    await eventually(lambda: asyncio.sleep(0, result=len(smtp.to(ADDRESS)) == 4))
    move_to(n, mulai + dt.timedelta(days=1))
    await eventually(lambda: asyncio.sleep(0, result=len(smtp.to(ADDRESS)) == 5))
    await asyncio.sleep(0.5)  # several scheduler ticks later: still one message per reminder
    subjects = [m.subject for m in smtp.to(ADDRESS)]
    assert len(subjects) == 5 and subjects[3:] == [
        f"Pengingat H-1: {a.kegiatan.judul}",
        f"Catat realisasi: {a.kegiatan.judul}",
    ]
    assert "besok" in smtp.to(ADDRESS)[3].body
    assert len(await inbox_subjects(n, tokens)) == 5


async def test_reschedule_moves_reminders_and_past_ones_are_skipped(
    notification_service, tokens, kegiatan_event
) -> None:
    n = await notification_service(REMINDER_DAYS_BEFORE="7,3,1")
    today = dt.date.today()
    soon = kegiatan_event(KegiatanScheduled, UNIT, mulai=today + dt.timedelta(days=2))
    await n.publish(soon)
    found = await eventually(lambda: reminders(n, tokens, soon.kegiatan_id))
    # Scheduled two days ahead: H-7 and H-3 have passed already and are not sent.
    assert {k: r["status"] for k, r in found.items()} == {
        "H-7": "skipped",
        "H-3": "skipped",
        "H-1": "pending",
        "realisasi": "pending",
    }

    later = today + dt.timedelta(days=20)
    moved = KegiatanRescheduled(
        unit=UNIT,
        kegiatan_id=soon.kegiatan_id,
        kegiatan=soon.kegiatan.model_copy(
            update={"jadwal": JadwalContract(mulai=later, selesai=later + dt.timedelta(days=1), presisi="tanggal")}
        ),
        jadwal_sebelumnya=soon.kegiatan.jadwal,
    )
    await n.publish(moved)

    async def rescheduled() -> dict[str, Any] | None:
        rows = await reminders(n, tokens, soon.kegiatan_id)
        return rows if rows["H-7"]["status"] == "pending" else None

    rows = await eventually(rescheduled)
    assert rows["H-7"]["due_on"] == (later - dt.timedelta(days=7)).isoformat()
    assert rows["realisasi"]["due_on"] == (later + dt.timedelta(days=2)).isoformat()
    assert {r["status"] for r in rows.values()} == {"pending"}


async def test_a_wit_unit_is_reminded_at_the_hour_on_its_own_clock(
    notification_service, tokens, kegiatan_event
) -> None:
    """Kota Jayapura keeps WIT (UTC+9): its H-3 reminder falls due at 07:00 WIT, two hours
    before 07:00 WIB, and counts its days on its own date."""
    jayapura = "91.71"
    n = await notification_service()
    mulai = dt.date.today() + dt.timedelta(days=10)
    event = kegiatan_event(KegiatanScheduled, jayapura, mulai=mulai, judul="Rapat Pleno Pengawasan di Jayapura")
    await n.publish(event)
    found = await eventually(lambda: reminders(n, tokens, event.kegiatan_id, jayapura))
    assert found["H-3"]["due_on"] == (mulai - dt.timedelta(days=3)).isoformat()

    move_to(n, mulai - dt.timedelta(days=3), hour=6, minute=30, zone=WIT)  # 04:30 WIB
    await asyncio.sleep(0.4)
    assert await inbox_subjects(n, tokens, jayapura) == []
    move_to(n, mulai - dt.timedelta(days=3), hour=7, minute=5, zone=WIT)  # 05:05 WIB: not yet 07:00 there
    await eventually(lambda: inbox_subjects(n, tokens, jayapura))
    assert await inbox_subjects(n, tokens, jayapura) == [f"Pengingat H-3: {event.kegiatan.judul}"]
    inbox = (await n.client.get("/kotak-masuk", headers=tokens(jayapura))).json()
    assert "3 hari lagi" in inbox[0]["isi"]


async def test_a_corrected_kegiatan_is_reminded_under_its_new_title_on_the_same_days(
    notification_service, tokens, kegiatan_event
) -> None:
    n = await notification_service()
    batu = "35.79"  # a unit of its own: other tests fire every reminder of theirs
    mulai = dt.date.today() + dt.timedelta(days=10)
    event = kegiatan_event(KegiatanScheduled, batu, mulai=mulai, judul="Rapat Koordinasi Lama")
    await n.publish(event)
    before = await eventually(lambda: reminders(n, tokens, event.kegiatan_id, batu))
    corrected = event.kegiatan.model_copy(update={"judul": "Rapat Koordinasi Pengawasan Logistik"})
    await n.publish(KegiatanUpdated(unit=batu, kegiatan_id=event.kegiatan_id, kegiatan=corrected, diubah=["judul"]))

    async def retitled() -> dict[str, dict[str, Any]] | None:
        rows = await reminders(n, tokens, event.kegiatan_id, batu)
        return rows if all(r["judul"] == "Rapat Koordinasi Pengawasan Logistik" for r in rows.values()) else None

    after = await eventually(retitled)
    assert {k: (r["due_on"], r["status"]) for k, r in after.items()} == {
        k: (r["due_on"], r["status"]) for k, r in before.items()
    }
