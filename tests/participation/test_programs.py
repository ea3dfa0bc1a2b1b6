"""Programs through the real service, broker and database: formed with the regulation's rules,
refused with the article they break and nothing written; Pojok Pengawasan and Kampung
Pengawasan logs; a report made at a Pojok reaches reporting as a laporan."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from awasi_common.events.participation import (
    KampungKomunikasiRecorded,
    LaporanPojokDiterima,
    LaporanPojokDiterimaV2,
    PojokKonsultasiRecorded,
    ProgramFormed,
)
from awasi_common.events.reporting import LAPORAN_TOPIC, LaporanSubmitted
from awasi_common.sealing import KeyRing

TODAY = dt.date.today()

FORUM = {"metode": "dialogis", "pertemuan": ["tatap_muka"]}
POJOK = {
    "tempat": "ruang_publik",
    "alamat": "Alun-alun Kecamatan Wonodadi",
    "jam_buka": [{"hari": d, "buka": "08:00", "tutup": "15:00"} for d in ("senin", "selasa", "rabu", "kamis", "jumat")],
}
KAMPUNG = {
    "desa": "35.05.01.2001",
    "kelompok_masyarakat": ["Karang Taruna Desa Jaten"],
    "pemetaan_kerawanan": {
        "kategori": "tinggi",
        "sumber_ikp": "IKP Pemilu 2024",
        "tanggal": (TODAY - dt.timedelta(days=30)).isoformat(),
    },
    "analisis_kesiapan": {
        "tanggal": (TODAY - dt.timedelta(days=10)).isoformat(),
        "kesiapan_pelaksanaan": "Relawan desa siap",
        "kesiapan_perangkat_desa": "Kepala desa dan BPD mendukung",
        "siap": True,
    },
}


RUN = uuid.uuid4().hex[:8]
"""In every program's name: the broker is shared, so the taps count only this run's events."""


def program(unit: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"unit": unit, "program": kind, "nama": f"{kind} {unit} {RUN}", **extra}


def ours(event: Any) -> bool:
    return bool(event.nama.endswith(RUN))


async def test_programs_formed_by_the_rules_and_refusals_write_nothing(start_service, tokens, tap) -> None:
    svc = await start_service("participation")
    events = await tap()
    ri = tokens("00", "admin")

    valid = [
        (program("35.05", "forum_warga", forum_warga=FORUM, sasaran=["pemilih_pemula", "pemilih_perempuan"]), "35.05"),
        (program("35.05.01", "pojok_pengawasan", pojok_pengawasan=POJOK), "35.05.01"),
        (
            program(
                "35",
                "kerja_sama_perguruan_tinggi",
                kerja_sama={
                    "bentuk": ["kkn_tematik", "penelitian"],
                    "perguruan_tinggi": {"nama": "Universitas Contoh", "akreditasi": "unggul"},
                },
                sasaran=["mahasiswa_aktif", "dosen_aktif"],
            ),
            "35",
        ),
        (program("35.05", "kampung_pengawasan_partisipatif", kampung=KAMPUNG), "35.05"),
        (program("00", "komunitas_digital", komunitas_digital={"melibatkan": ["35", "35.05"]}), "00"),
        (program("35.05", "pendidikan_pengawas_partisipatif", sasaran=["pengajar_pelajar_mahasiswa"]), "35.05"),
    ]
    ids = []
    for body, unit in valid:
        answer = await svc.post("/program", json=body, headers=tokens(unit) if unit != "00" else ri)
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["id"])
    formed = await events.wait_for(ProgramFormed, count=len(ids), where=ours)
    assert {e.program_id for e in formed} == set(ids)
    kampung = next(e for e in formed if e.program.value == "kampung_pengawasan_partisipatif")
    assert (kampung.desa, kampung.kategori_kerawanan, kampung.unit) == ("35.05.01.2001", "tinggi", "35.05")

    refused = [
        (
            program("35.05", "forum_warga", forum_warga=FORUM, sasaran=["konten_kreator"]),
            "35.05",
            "Pasal 16 Perbawaslu Nomor 2 Tahun 2023",
        ),
        (program("35.05", "komunitas_digital"), "35.05", "Pasal 28 ayat (1) Perbawaslu Nomor 2 Tahun 2023"),
        (
            program("35.05", "kampung_pengawasan_partisipatif", kampung={**KAMPUNG, "pemetaan_kerawanan": None}),
            "35.05",
            "Pasal 25 huruf a Perbawaslu Nomor 2 Tahun 2023",
        ),
        (
            program(
                "35.05",
                "kerja_sama_perguruan_tinggi",
                kerja_sama={"bentuk": ["magang"], "perguruan_tinggi": {"nama": "Sekolah Tinggi Tanpa Izin"}},
            ),
            "35.05",
            "Pasal 22 ayat (2) Perbawaslu Nomor 2 Tahun 2023",
        ),
        (program("35.05", "forum_warga", forum_warga={"pertemuan": ["daring"]}), "35.05", "Pasal 18 ayat (1)"),
    ]
    for body, unit, pasal in refused:
        answer = await svc.post("/program", json=body, headers=tokens(unit))
        assert answer.status_code == 422, answer.text
        assert answer.json()["pasal"].startswith(pasal), answer.json()
        assert answer.json()["detail"]

    # Acting for another unit is forbidden.
    other = await svc.post("/program", json=program("35.05", "forum_warga", forum_warga=FORUM), headers=tokens("35.06"))
    assert other.status_code == 403

    # Nothing of the refused requests was written or published.
    listed = (await svc.get("/program", params={"unit": "00"}, headers=ri)).json()
    assert sorted(p["id"] for p in listed) == sorted(ids)
    await events.settle(1.5)
    assert len(events.events(ProgramFormed, where=ours)) == len(ids)

    # A Kab/Kota reads its own and what lies below it, not its neighbours'.
    blitar = (await svc.get("/program", headers=tokens("35.05", "viewer"))).json()
    assert {p["unit"] for p in blitar} == {"35.05", "35.05.01"}
    assert (await svc.get("/program", params={"unit": "35"}, headers=tokens("35.05", "viewer"))).status_code == 403
    one = (await svc.get(f"/program/{ids[0]}", headers=tokens("35.05", "viewer"))).json()
    assert one["jenis"] == "Forum Warga" and one["rincian"]["metode"] == "dialogis"
    assert one["sasaran"] == ["pemilih_pemula", "pemilih_perempuan"] and "kegiatan_terlaksana" in one["ringkasan"]


def laporan() -> dict[str, Any]:
    return {
        "pelapor": {"nama": "Budi Warga", "telepon": "081234567890", "email": "budi@example.org"},
        "terlapor": "Tim sukses calon fiktif",
        "peristiwa": {
            "apa": "Pembagian uang",
            "tempat": "Pasar Wonodadi",
            "waktu_kejadian": (TODAY - dt.timedelta(days=1)).isoformat(),
            "waktu_diketahui": TODAY.isoformat(),
        },
        "uraian": "Uang dibagikan disertai ajakan memilih calon tertentu.",
        "saksi": ["Siti"],
    }


async def test_pojok_pengawasan_logs_and_hands_reports_to_reporting(
    start_service, tokens, tap, platform_settings
) -> None:
    svc = await start_service("participation")
    reporting = await start_service("reporting")
    events = await tap()
    laporan_topic = await tap(LAPORAN_TOPIC)
    kec = tokens("35.05.01")

    pojok = (
        await svc.post("/program", json=program("35.05.01", "pojok_pengawasan", pojok_pengawasan=POJOK), headers=kec)
    ).json()
    forum = (await svc.post("/program", json=program("35.05.01", "forum_warga", forum_warga=FORUM), headers=kec)).json()

    logged = await svc.post(
        f"/program/{pojok['id']}/konsultasi",
        json={"jenis": "konsultasi", "topik": "Cara melaporkan politik uang", "pengunjung": "Ibu Rina"},
        headers=kec,
    )
    assert logged.status_code == 201, logged.text
    await events.wait_for(PojokKonsultasiRecorded, program_id=pojok["id"], jenis="konsultasi")
    wrong = await svc.post(f"/program/{pojok['id']}/konsultasi", json={"jenis": "curhat", "topik": "x"}, headers=kec)
    assert wrong.status_code == 422 and wrong.json()["pasal"].startswith("Pasal 19 ayat (2)")

    handed = await svc.post(f"/program/{pojok['id']}/laporan", json=laporan(), headers=kec)
    assert handed.status_code == 202, handed.text
    (event,) = await events.wait_for(LaporanPojokDiterimaV2, program_id=pojok["id"])
    assert event.laporan_pojok_id == handed.json()["laporan_pojok_id"]
    assert (event.unit, event.peristiwa_tempat) == ("35.05.01", "Pasar Wonodadi")
    assert not LaporanPojokDiterimaV2.public
    # The reporter and the witnesses travel sealed: only the keys reporting shares open them,
    # and only for this report.
    assert "Budi" not in event.model_dump_json() and "Siti" not in event.model_dump_json()
    identitas = event.identitas(KeyRing(platform_settings.pojok_identity_keys()))
    assert (identitas.pelapor.nama, identitas.pelapor.email, identitas.saksi) == (
        "Budi Warga",
        "budi@example.org",
        ["Siti"],
    )
    moved = event.model_copy(update={"laporan_pojok_id": "another-report"})
    with pytest.raises(ValueError):
        moved.identitas(KeyRing(platform_settings.pojok_identity_keys()))
    with pytest.raises(ValueError):
        event.identitas(KeyRing(["a key participation and reporting do not share"]))

    not_a_pojok = await svc.post(f"/program/{forum['id']}/laporan", json=laporan(), headers=kec)
    assert not_a_pojok.status_code == 422 and not_a_pojok.json()["pasal"].startswith("Pasal 19 ayat (2)")
    assert (
        await svc.post(f"/program/{pojok['id']}/laporan", json=laporan(), headers=tokens("35.05.02"))
    ).status_code == 404

    # Reporting registers it as a laporan received through the Pojok Pengawasan channel. Its
    # group also reads the Pojok reports earlier tests left for 35.05.01 (test_request_limits
    # hands one in with no reporting running): this one is told by its time of receipt.
    (_submitted,) = await laporan_topic.wait_for(
        LaporanSubmitted,
        kanal="pojok_pengawasan",
        unit="35.05.01",
        timeout=30,
        where=lambda e: e.diterima_pada == event.diterima_pada,
    )
    assert reporting is not None

    detail = (await svc.get(f"/program/{pojok['id']}", headers=kec)).json()
    assert detail["ringkasan"]["konsultasi"] == 1 and detail["ringkasan"]["laporan"] == 1
    log = (await svc.get(f"/program/{pojok['id']}/konsultasi", headers=kec)).json()
    assert [(k["jenis"], k["pengunjung"]) for k in log] == [("konsultasi", "Ibu Rina")]
    await events.settle(1.0)
    assert len(events.events(LaporanPojokDiterimaV2, program_id=pojok["id"])) == 1
    assert not events.events(LaporanPojokDiterima)  # v1 carried the identity in clear: no longer published


async def test_kampung_pengawasan_keeps_its_communication_log(start_service, tokens, tap) -> None:
    svc = await start_service("participation")
    events = await tap()
    kab = tokens("35.05")
    kampung = (
        await svc.post(
            "/program", json=program("35.05", "kampung_pengawasan_partisipatif", kampung=KAMPUNG), headers=kab
        )
    ).json()
    for jenis, days_ago in (("komunikasi_berkala", 20), ("koordinasi", 3)):
        answer = await svc.post(
            f"/program/{kampung['id']}/komunikasi",
            json={
                "jenis": jenis,
                "tanggal": (TODAY - dt.timedelta(days=days_ago)).isoformat(),
                "pihak": ["Kepala Desa Jaten", "Karang Taruna"],
                "ringkasan": "Pembahasan rencana patroli pengawasan",
            },
            headers=kab,
        )
        assert answer.status_code == 201, answer.text
    await events.wait_for(KampungKomunikasiRecorded, count=2, program_id=kampung["id"])
    no_party = await svc.post(
        f"/program/{kampung['id']}/komunikasi",
        json={"jenis": "koordinasi", "tanggal": TODAY.isoformat(), "pihak": [], "ringkasan": "x"},
        headers=kab,
    )
    assert no_party.status_code == 422 and no_party.json()["pasal"].startswith("Pasal 25 huruf c")
    detail = (await svc.get(f"/program/{kampung['id']}", headers=kab)).json()
    assert detail["ringkasan"]["komunikasi"] == 2
    assert detail["ringkasan"]["komunikasi_terakhir"] == (TODAY - dt.timedelta(days=3)).isoformat()


async def test_a_program_is_formed_only_by_the_p2h_member_of_its_unit(start_service, tokens) -> None:
    """Pasal 4 Perbawaslu 2/2023: 403 naming the article for another divisi or none, nothing written."""
    svc = await start_service("participation")
    body = program("35.05", "forum_warga", forum_warga=FORUM)
    for divisi in ("HPS", None):
        refused = await svc.post("/program", json=body, headers=tokens("35.05", "operator", divisi=divisi))
        assert refused.status_code == 403, refused.text
        assert refused.json()["pasal"] == "Pasal 4 Perbawaslu 2/2023"
        assert "P2H" in refused.json()["detail"]
    assert (await svc.get("/program?unit=35.05", headers=tokens("35.05"))).json() == []
    formed = await svc.post("/program", json=body, headers=tokens("35.05", "pengawas", divisi="P2H"))
    assert formed.status_code == 201, formed.text
    # Running it (a Pojok's or Kampung's log) is the P2H member's too.
    log = {"jenis": "koordinasi", "tanggal": TODAY.isoformat(), "pihak": ["Kepala Desa"], "ringkasan": "Rapat"}
    kampung = await svc.post(
        "/program", json=program("35.05", "kampung_pengawasan_partisipatif", kampung=KAMPUNG), headers=tokens("35.05")
    )
    assert kampung.status_code == 201, kampung.text
    answer = await svc.post(
        f"/program/{kampung.json()['id']}/komunikasi", json=log, headers=tokens("35.05", divisi="SDMO")
    )
    assert answer.status_code == 403 and answer.json()["pasal"] == "Pasal 4 Perbawaslu 2/2023", answer.text
