"""A laporan handled through the HTTP API on the real broker and PostgreSQL: every step, its
register number, its events on Kafka, the notices to the reporter, refused jumps, cases moving
between units, and the reporter's identity kept confidential and audited."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import pytest
import sqlalchemy as sa

from awasi_common.events.reporting import LAPORAN_TOPIC, PELAPOR_NOTICE_TOPIC
from awasi_common.sealing import CONTACT_CONTEXT, KeyRing
from awasi_common.settings import PlatformSettings
from awasi_reporting.domain.nomor import roman_month
from awasi_reporting.domain.vocabulary import local_date

from .conftest import UNIT, laporan_body, today


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one reporting's consumers also handle
    the kegiatan, participation events and Pojok reports other tests left on it, writing rows
    (kegiatan_rm, partisipasi_rm, laporan) tables() counts while a refused step must write
    nothing."""
    return private_broker


def suffix() -> str:
    today = local_date(dt.datetime.now(dt.UTC))
    return f"PL/Kab/35.05/{roman_month(today.month)}/{today.year}"


async def test_laporan_from_intake_to_selesai_with_events_and_notices(start_service, tokens, consume, tables) -> None:
    reporting = await start_service("reporting")
    penanganan, pimpinan = tokens(UNIT, "penanganan"), tokens(UNIT, "pimpinan")

    submitted = await reporting.post("/laporan", json=laporan_body())
    assert submitted.status_code == 201, submitted.text
    receipt = submitted.json()
    laporan_id = receipt["laporan_id"]
    assert receipt["tanda_terima"]["nomor"] == f"001/TT/{suffix()}"
    assert receipt["tanda_terima"]["belum_lengkap"] == []
    assert receipt["tanda_terima"]["tenggat_kajian_awal"]

    # A jump the workflow does not allow: 409 with the allowed next steps, nothing written.
    before = await tables()
    jump = await reporting.post(
        f"/laporan/{laporan_id}/putusan", json={"putusan": "pidana", "pertimbangan": "Terbukti"}, headers=pimpinan
    )
    assert jump.status_code == 409, jump.text
    assert "kajian_awal" in jump.json()["detail"]
    assert await tables() == before

    async def step(path: str, body: dict[str, Any] | None = None, auth: dict[str, str] = penanganan) -> dict[str, Any]:
        response = await reporting.post(f"/laporan/{laporan_id}/{path}", json=body or {}, headers=auth)
        assert response.status_code == 200, response.text
        return response.json()

    assert (await step("kajian-awal"))["status"] == "kajian_awal"
    registered = await step("registrasi")
    assert registered["nomor_register"] == f"001/LP/{suffix()}"
    assert registered["tahap_tenggat"] == "tindak_lanjut"
    await step("klarifikasi")
    refused = await reporting.post(
        f"/laporan/{laporan_id}/putusan", json={"putusan": "pidana", "pertimbangan": "Terbukti"}, headers=penanganan
    )
    assert refused.status_code == 403  # decided by the members (pimpinan)
    decided = await step("putusan", {"putusan": "pidana", "pertimbangan": "Memenuhi unsur Pasal 523"}, pimpinan)
    assert decided["diteruskan_ke"] == "Sentra Gakkumdu"
    early_end = await reporting.post(f"/laporan/{laporan_id}/selesai", json={}, headers=penanganan)
    assert early_end.status_code == 409 and "Sentra Gakkumdu" in early_end.json()["detail"]
    await step("penerusan", {"nomor_surat": "045/PP.01.02/K.JI-05/2024"})
    done = await step("selesai")
    assert done["status"] == "selesai" and done["langkah_berikutnya"] == []
    assert [r["status"] for r in done["riwayat"]] == [
        "diterima",
        "kajian_awal",
        "diregistrasi",
        "klarifikasi",
        "putusan",
        "diteruskan",
        "selesai",
    ]

    # The reporter follows it with the code and secret; a wrong secret learns nothing.
    status = await reporting.post(
        "/laporan/status", json={"kode_pelacakan": receipt["kode_pelacakan"], "kode_rahasia": receipt["kode_rahasia"]}
    )
    assert status.status_code == 200 and status.json()["status"] == "selesai"
    assert "Siti" not in status.text
    wrong = await reporting.post(
        "/laporan/status", json={"kode_pelacakan": receipt["kode_pelacakan"], "kode_rahasia": "salah-sekali-123"}
    )
    assert wrong.status_code == 404

    expected = [
        "awasi.LaporanSubmitted.v1",
        "awasi.LaporanKajianAwalDimulai.v1",
        "awasi.LaporanDiregistrasi.v1",
        "awasi.LaporanKlarifikasiDimulai.v1",
        "awasi.LaporanDiputus.v1",
        "awasi.LaporanDiteruskan.v1",
        "awasi.LaporanSelesai.v1",
    ]
    found = await consume(LAPORAN_TOPIC, key=laporan_id, until=lambda f: len(f) >= len(expected))
    assert [m["type"] for m in found] == expected
    assert all(m["headers"]["ce_unit"] == UNIT for m in found)
    assert found[2]["data"]["nomor_register"] == f"001/LP/{suffix()}"
    assert found[4]["data"]["putusan"] == "pidana" and found[4]["data"]["diteruskan_ke"] == "Sentra Gakkumdu"
    for message in found:  # public events: no personal data
        for secret in (b"Siti", b"siti.rahasia", b"0812345", b"Budi", b"Tim kampanye", b"Pembagian uang"):
            assert secret not in message["raw"]
    notices = await consume(PELAPOR_NOTICE_TOPIC, key=laporan_id, until=lambda f: len(f) >= 7)
    assert [m["data"]["status"] for m in notices] == [
        "diterima",
        "kajian_awal",
        "diregistrasi",
        "klarifikasi",
        "putusan",
        "diteruskan",
        "selesai",
    ]
    contacts = KeyRing(PlatformSettings().contact_keys())  # shared with notification, which sends the mail
    assert {contacts.open_text(m["data"]["email_tersegel"], CONTACT_CONTEXT) for m in notices} == {
        "siti.rahasia@example.org"
    }
    assert all(b"siti.rahasia" not in m["raw"] for m in notices)


async def test_register_numbers_run_per_unit_and_never_repeat(start_service, tokens) -> None:
    reporting = await start_service("reporting")
    auth = tokens(UNIT, "penanganan")
    ids = []
    for _ in range(3):
        response = await reporting.post("/laporan", json=laporan_body(), headers=tokens(UNIT, "operator"))
        assert response.status_code == 201, response.text
        ids.append(response.json()["laporan_id"])
        await reporting.post(f"/laporan/{ids[-1]}/kajian-awal", json={}, headers=auth)
    results = await asyncio.gather(*(reporting.post(f"/laporan/{i}/registrasi", json={}, headers=auth) for i in ids))
    assert all(r.status_code == 200 for r in results), [r.text for r in results]
    assert sorted(r.json()["nomor_register"] for r in results) == [f"00{n}/LP/{suffix()}" for n in (1, 2, 3)]
    # Another unit starts its own sequence.
    other = await reporting.post("/laporan", json=laporan_body(unit="35.06"), headers=tokens("35.06", "operator"))
    other_id = other.json()["laporan_id"]
    other_auth = tokens("35.06", "penanganan")
    await reporting.post(f"/laporan/{other_id}/kajian-awal", json={}, headers=other_auth)
    numbered = await reporting.post(f"/laporan/{other_id}/registrasi", json={}, headers=other_auth)
    assert numbered.json()["nomor_register"].startswith("001/LP/PL/Kab/35.06/")


async def test_late_report_is_not_registered_for_daluwarsa(start_service, tokens) -> None:
    reporting = await start_service("reporting")
    auth = tokens(UNIT, "penanganan")
    long_ago = (today() - dt.timedelta(days=30)).isoformat()
    body = laporan_body()
    body["peristiwa"] |= {"waktu_kejadian": long_ago, "waktu_diketahui": long_ago}
    submitted = await reporting.post("/laporan", json=body)
    assert submitted.status_code == 201 and submitted.json()["tanda_terima"]["daluwarsa"] is True
    laporan_id = submitted.json()["laporan_id"]
    await reporting.post(f"/laporan/{laporan_id}/kajian-awal", json={}, headers=auth)
    refused = await reporting.post(f"/laporan/{laporan_id}/registrasi", json={}, headers=auth)
    assert refused.status_code == 422 and refused.json()["pasal"] == "Pasal 454 ayat (6) UU 7/2017"
    declined = await reporting.post(
        f"/laporan/{laporan_id}/tidak-diregistrasi",
        json={"alasan": "daluwarsa", "keterangan": "Disampaikan lebih dari 7 hari kerja sejak diketahui"},
        headers=auth,
    )
    assert declined.status_code == 200 and declined.json()["status"] == "tidak_diregistrasi"
    assert declined.json()["nomor_register"] is None


async def test_a_step_taken_while_a_background_alert_changes_the_laporan_is_not_refused(
    start_service, tokens, monkeypatch
) -> None:
    """The deadline job saves a laporan (its alert) between an operator's read and write: the
    step is run again on the saved laporan instead of answering 409 "diubah oleh orang lain"."""
    from awasi_reporting.adapters import orm
    from awasi_reporting.adapters.repository import LaporanRepository

    reporting = await start_service("reporting")
    submitted = await reporting.post("/laporan", json=laporan_body())
    laporan_id = submitted.json()["laporan_id"]
    engine = start_service.apps["reporting"].state.service.engine
    original_get = LaporanRepository.get
    moved: list[int] = []

    async def get_then_moved_on(self: Any, case_id: str, **kwargs: Any) -> Any:
        laporan = await original_get(self, case_id, **kwargs)
        if not moved:  # as the deadline job's save would, on its own connection
            async with engine.begin() as connection:
                bumped = await connection.execute(
                    sa.update(orm.laporan).where(orm.laporan.c.id == case_id).values(versi=orm.laporan.c.versi + 1)
                )
                moved.append(bumped.rowcount)
        return laporan

    monkeypatch.setattr(LaporanRepository, "get", get_then_moved_on)
    kajian = await reporting.post(f"/laporan/{laporan_id}/kajian-awal", json={}, headers=tokens(UNIT, "penanganan"))
    assert moved == [1]
    assert kajian.status_code == 200, kajian.text
    assert kajian.json()["status"] == "kajian_awal"


async def test_cases_move_down_by_pelimpahan_and_up_by_pengambilalihan(start_service, tokens, consume) -> None:
    reporting = await start_service("reporting")
    submitted = await reporting.post("/laporan", json=laporan_body())
    laporan_id = submitted.json()["laporan_id"]
    down = await reporting.post(
        f"/laporan/{laporan_id}/pelimpahan",
        json={"ke_unit": "35.05.01", "alasan": "Peristiwa di wilayah kecamatan"},
        headers=tokens(UNIT, "penanganan"),
    )
    assert down.status_code == 200 and down.json()["unit"] == "35.05.01"
    sideways = await reporting.post(
        f"/laporan/{laporan_id}/pengambilalihan",
        json={"ke_unit": "35.06", "alasan": "Bukan atasannya"},
        headers=tokens("35.06", "penanganan"),
    )
    assert sideways.status_code in (404, 422)
    up = await reporting.post(
        f"/laporan/{laporan_id}/pengambilalihan",
        json={"ke_unit": "35", "alasan": "Melibatkan beberapa kabupaten"},
        headers=tokens("35", "penanganan"),
    )
    assert up.status_code == 200, up.text
    assert up.json()["unit"] == "35" and up.json()["status"] == "dilimpahkan"
    # The kabupaten no longer handles it.
    gone = await reporting.post(f"/laporan/{laporan_id}/kajian-awal", json={}, headers=tokens(UNIT, "penanganan"))
    assert gone.status_code == 404
    resumed = await reporting.post(f"/laporan/{laporan_id}/kajian-awal", json={}, headers=tokens("35", "penanganan"))
    assert resumed.status_code == 200
    moved = await consume(
        LAPORAN_TOPIC,
        key=laporan_id,
        until=lambda f: sum(m["type"] == "awasi.LaporanDilimpahkan.v1" for m in f) >= 2,
    )
    arah = [(m["data"]["dari_unit"], m["data"]["ke_unit"], m["data"]["arah"]) for m in moved if m["data"].get("arah")]
    assert arah == [("35.05", "35.05.01", "pelimpahan"), ("35.05.01", "35", "pengambilalihan")]
    assert moved[-1]["headers"]["ce_unit"] == "35"


async def test_reporter_identity_is_encrypted_shown_only_to_the_handling_unit_and_audited(
    start_service, tokens
) -> None:
    reporting = await start_service("reporting")
    submitted = await reporting.post("/laporan", json=laporan_body())
    laporan_id = submitted.json()["laporan_id"]

    staff_view = await reporting.get(f"/laporan/{laporan_id}", headers=tokens(UNIT, "operator"))
    assert staff_view.status_code == 200 and staff_view.json()["jumlah_saksi"] == 1
    assert "Siti" not in staff_view.text and "Budi" not in staff_view.text

    for role, unit in [("operator", UNIT), ("pengawas", UNIT), ("pimpinan", "35"), ("admin", "00")]:
        refused = await reporting.get(f"/laporan/{laporan_id}/identitas", headers=tokens(unit, role))
        assert refused.status_code == 403, (role, unit, refused.text)
        assert "Siti" not in refused.text
    shown = await reporting.get(
        f"/laporan/{laporan_id}/identitas",
        params={"tujuan": "undangan klarifikasi"},
        headers=tokens(UNIT, "penanganan"),
    )
    assert shown.status_code == 200
    assert shown.json()["pelapor"]["nama"] == "Siti Rahasia" and shown.json()["saksi"][0]["nama"] == "Budi Saksi"

    audit = await reporting.get(f"/laporan/{laporan_id}/audit", headers=tokens(UNIT, "pimpinan"))
    assert audit.status_code == 200
    entries = [(a["peran"], a["unit_akun"], a["diizinkan"]) for a in audit.json()]
    assert entries == [
        ("operator", UNIT, False),
        ("pengawas", UNIT, False),
        ("pimpinan", "35", False),
        ("admin", "00", False),
        ("penanganan", UNIT, True),
    ]
    assert audit.json()[-1]["tujuan"] == "undangan klarifikasi"
    assert (await reporting.get(f"/laporan/{laporan_id}/audit", headers=tokens(UNIT, "penanganan"))).status_code == 403

    # At rest: no reporter's or witness's name, phone or email in clear anywhere in the row.
    from awasi_reporting.adapters.orm import laporan

    service = start_service.apps["reporting"].state.service
    async with service.sessions() as session:
        row = (await session.execute(sa.select(laporan).where(laporan.c.id == laporan_id))).one()
    stored = repr(tuple(row)).encode() + bytes(row.pelapor_enc) + bytes(row.saksi_enc)
    for secret in (b"Siti", b"siti.rahasia", b"081234567890", b"Mawar", b"Budi"):
        assert secret not in stored
    # Nor in the outbox: the notice for the reporter carries the address sealed for notification.
    from awasi_reporting.adapters.orm import outbox

    async with service.sessions() as session:
        rows = (await session.execute(sa.select(outbox).where(outbox.c.key == laporan_id))).all()
    notices = [r for r in rows if r.headers["ce_type"] == "awasi.PelaporNoticeRequested.v1"]
    assert notices and all(b"siti.rahasia" not in repr(tuple(r)).encode() for r in rows)
    assert all(json.loads(r.payload)["email_tersegel"].startswith("sealed:") for r in notices)


async def test_staff_record_what_the_reporter_supplied_and_the_laporan_resumes(start_service, tokens) -> None:
    reporting = await start_service("reporting")
    penanganan = tokens(UNIT, "penanganan")
    body = laporan_body()
    body["pelapor"] = {"nama": "Siti Rahasia", "telepon": "081234567890"}
    submitted = await reporting.post("/laporan", json=body)
    laporan_id = submitted.json()["laporan_id"]
    assert "tempat lahir pelapor" in submitted.json()["tanda_terima"]["belum_lengkap"]
    await reporting.post(f"/laporan/{laporan_id}/kajian-awal", json={}, headers=penanganan)
    asked = await reporting.post(
        f"/laporan/{laporan_id}/perlu-dilengkapi", json={"kekurangan": ["identitas pelapor"]}, headers=penanganan
    )
    assert asked.json()["status"] == "perlu_dilengkapi", asked.text

    bad = await reporting.post(
        f"/laporan/{laporan_id}/dilengkapi", json={"pelapor": {"jenis_kelamin": "lainnya"}}, headers=penanganan
    )
    assert bad.status_code == 422 and "jenis_kelamin" in bad.text
    supplied = {
        "tempat_lahir": "Blitar",
        "tanggal_lahir": "1990-05-17",
        "jenis_kelamin": "perempuan",
        "pekerjaan": "Guru",
        "alamat": "Jl. Mawar 1, Kabupaten Blitar",
    }
    resumed = await reporting.post(f"/laporan/{laporan_id}/dilengkapi", json={"pelapor": supplied}, headers=penanganan)
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["status"] == "kajian_awal"

    shown = await reporting.get(
        f"/laporan/{laporan_id}/identitas", params={"tujuan": "memeriksa kelengkapan"}, headers=penanganan
    )
    pelapor = shown.json()["pelapor"]
    assert {key: pelapor[key] for key in supplied} == supplied
    assert pelapor["nama"] == "Siti Rahasia" and pelapor["telepon"] == "081234567890"  # kept, not cleared
