"""A realisasi cannot precede its kegiatan: refused (422, nothing written, nothing published)
before the scheduled start in the unit's own time zone, accepted from the start day on.

This is the platform's rule, not a regulation's article: a kegiatan reported "Terlaksana" before
it could have been held is a false record in the unit's accountability reports (issue 13, item 8).
"""

from __future__ import annotations

import datetime as dt

import pytest

from awasi_common.errors import DomainError
from awasi_common.vocabulary import Divisi
from awasi_planning.domain.model import Jadwal, Jenis, Kegiatan, Realisasi, Status
from awasi_planning.service_layer import handlers


def kegiatan(mulai: dt.date, selesai: dt.date, unit: str = "35.05") -> Kegiatan:
    k = Kegiatan(unit, Divisi.P2H, "Forum Warga Kademangan", Jenis.RAPAT_KOORDINASI, Jadwal(mulai, selesai))
    k.schedule()
    k.pull_events()
    return k


def test_realisasi_before_start_is_refused_and_on_start_day_accepted() -> None:
    k = kegiatan(dt.date(2026, 12, 17), dt.date(2026, 12, 18))
    with pytest.raises(DomainError, match="dijadwalkan mulai 17-12-2026") as refused:
        k.complete(Realisasi(peserta_hadir=30), today=dt.date(2026, 12, 4))
    assert refused.value.field == "jadwal.mulai"
    assert k.status == Status.SCHEDULED and k.realisasi is None and k.pull_events() == []
    with pytest.raises(DomainError):
        k.complete(Realisasi(peserta_hadir=30), today=dt.date(2026, 12, 16))
    k.complete(Realisasi(peserta_hadir=30), today=dt.date(2026, 12, 17))
    assert k.status == Status.COMPLETED and len(k.pull_events()) == 1


def test_the_day_is_the_units_own(monkeypatch: pytest.MonkeyPatch) -> None:
    # 16 Dec 2026 16:30 UTC is 17 Dec 01:30 WIT in Kota Jayapura (UTC+9) but still 16 Dec 23:30
    # WIB in Kabupaten Blitar (UTC+7).
    moment = dt.datetime(2026, 12, 16, 16, 30, tzinfo=dt.UTC)
    from awasi_common.calendar import local_date

    assert local_date(moment, "91.71") == dt.date(2026, 12, 17)
    assert local_date(moment, "35.05") == dt.date(2026, 12, 16)
    papua, jatim = (
        kegiatan(dt.date(2026, 12, 17), dt.date(2026, 12, 18), "91.71"),
        kegiatan(dt.date(2026, 12, 17), dt.date(2026, 12, 18)),
    )
    papua.complete(Realisasi(), today=local_date(moment, papua.unit))
    with pytest.raises(DomainError):
        jatim.complete(Realisasi(), today=local_date(moment, jatim.unit))


async def test_realisasi_through_the_api(start_service, tokens, table_counts, monkeypatch) -> None:
    planning = await start_service("planning")
    auth = tokens("35.05")
    # On 4 December (WIB) a kegiatan scheduled 17–18 December.
    monkeypatch.setattr(handlers, "now", lambda: dt.datetime(2026, 12, 4, 3, 0, tzinfo=dt.UTC))
    created = await planning.post(
        "/kegiatan",
        json={
            "unit": "35.05",
            "divisi": "P2H",
            "judul": "Forum Warga Kelurahan Kademangan",
            "jenis": "rapat_koordinasi",
            "jadwal": {"mulai": "2026-12-17", "selesai": "2026-12-18", "presisi": "rentang_tanggal"},
            "program": "forum_warga",
        },
        headers=auth,
    )
    assert created.status_code == 201, created.text
    kegiatan_id = created.json()["id"]
    before = await table_counts()

    early = await planning.post(f"/kegiatan/{kegiatan_id}/realisasi", json={"peserta_hadir": 30}, headers=auth)
    assert early.status_code == 422, early.text
    assert early.json()["field"] == "jadwal.mulai" and "17-12-2026" in early.json()["detail"]
    assert await table_counts() == before  # nothing written, nothing in the outbox
    shown = (await planning.get(f"/kegiatan/{kegiatan_id}", headers=auth)).json()
    assert shown["status"] == "scheduled" and shown["realisasi"] is None

    # 17 December 07:00 WIB (00:00 UTC): the start day in the unit's own zone.
    monkeypatch.setattr(handlers, "now", lambda: dt.datetime(2026, 12, 17, 0, 0, tzinfo=dt.UTC))
    done = await planning.post(f"/kegiatan/{kegiatan_id}/realisasi", json={"peserta_hadir": 30}, headers=auth)
    assert done.status_code == 200 and done.json()["status"] == "completed", done.text
    assert await table_counts() == (before[0], before[1] + 1)
