"""Supervision records (Form A, temuan, pencegahan, APK, PSAP) and the figures a unit
publishes, per unit with its descendants, per period and tahapan; the figures of a real
unit's publication reproduced; a division's annual report as CSV and as a PDF with charts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from awasi_cli.testing import eventually
from awasi_common.events.participation import IdentitasPojok, LaporanPojokDiterimaV2, PelaporPojok, PemantauanRecorded
from awasi_common.events.planning import (
    Jadwal,
    KegiatanCancelled,
    KegiatanCompleted,
    KegiatanScheduled,
    KegiatanSnapshot,
    Realisasi,
)
from awasi_common.events.reporting import PENGAWASAN_TOPIC, TEMUAN_TOPIC
from awasi_common.sealing import KeyRing
from awasi_common.settings import PlatformSettings
from awasi_common.vocabulary import Divisi, Program
from awasi_reporting.domain.nomor import roman_month
from awasi_reporting.domain.vocabulary import local_date

from .conftest import laporan_body

DOCUMENTS = Path(__file__).resolve().parents[3] / "shared" / "documents"
TODAY = local_date(dt.datetime.now(dt.UTC))
YEAR = TODAY.year
SUFFIX = f"{roman_month(TODAY.month)}/{YEAR}"


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one reporting's consumers also handle
    the kegiatan, participation events and Pojok reports other tests left on it, writing rows
    (kegiatan_rm, partisipasi_rm, laporan) tables() counts while refused records must write
    nothing, and into the read models the annual report counts."""
    return private_broker


def form_a_body(unit: str, tahapan: str = "kampanye", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unit": unit,
        "data_pengawas": {
            "tahapan": tahapan,
            "nama_pelaksana": "Agus Pengawas",
            "jabatan": "Anggota Panwaslu Kecamatan",
            "nomor_surat_tugas": "12/ST/PM.01/2024",
            "alamat": "Kantor Panwaslu Kecamatan",
        },
        "kegiatan": {
            "bentuk": ["langsung", "pencegahan"],
            "tujuan": "Memastikan kampanye sesuai ketentuan",
            "sasaran": "Peserta pemilu dan tim kampanye",
            "tanggal": TODAY.isoformat(),
            "tempat": "Lapangan desa",
            "waktu": "09.00–12.00 WIB",
        },
        "uraian_singkat": "Kampanye terbuka berlangsung; ditemukan pembagian uang oleh tim kampanye.",
        "dugaan_pelanggaran": [
            {
                "peristiwa": "Pembagian uang",
                "tempat_kejadian": "Lapangan desa",
                "waktu_kejadian": TODAY.isoformat(),
                "pelaku": "Tim kampanye",
                "alat_bukti": "Foto dan video",
                "uraian": "Tim kampanye membagikan amplop kepada warga.",
                "pasal": "Pasal 523 ayat (1) UU 7/2017",
            }
        ],
    }
    body.update(overrides)
    return body


def temuan_body(unit: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unit": unit,
        "tahapan": "kampanye",
        "peristiwa": {
            "apa": "Kepala desa ikut berkampanye",
            "tempat": "Balai desa",
            "waktu_kejadian": TODAY.isoformat(),
            "waktu_diketahui": TODAY.isoformat(),
        },
        "terlapor": "Kepala desa",
        "uraian": "Kepala desa berpidato mengajak warga memilih calon tertentu.",
    }
    body.update(overrides)
    return body


async def test_records_and_the_figures_per_unit_period_and_tahapan(start_service, tokens, consume, tables) -> None:
    reporting = await start_service("reporting")
    prov, kab, kec, other_kab = "64", "64.02", "64.02.01", "64.03"

    async def post(path: str, body: dict[str, Any], unit: str, role: str = "pengawas", code: int = 201) -> Any:
        response = await reporting.post(path, json=body, headers=tokens(unit, role))
        assert response.status_code == code, (path, response.text)
        return response.json()

    form = await post("/form-a", form_a_body(kec), kec)
    assert form["nomor"] == f"001/LHP/PL/Kec/{kec}/{SUFFIX}"
    assert form["data_pengawas"]["nama_pelaksana"] == "Agus Pengawas"
    await post("/form-a", form_a_body(kab, "masa_tenang", dugaan_pelanggaran=[]), kab, "operator")

    temuan = await post("/temuan", temuan_body(kec, form_a_id=form["id"]), kec)
    assert temuan["nomor_register"] == f"001/TM/PL/Kec/{kec}/{SUFFIX}" and temuan["status"] == "diregistrasi"
    for path, body, role in [
        ("klarifikasi", {}, "penanganan"),
        (
            "putusan",
            {"putusan": "administrasi", "pertimbangan": "Terbukti", "instansi": "KPU Kab. Kutai Kartanegara"},
            "pimpinan",
        ),
        ("penerusan", {"nomor_surat": "01/PP/2024"}, "penanganan"),
        ("selesai", {}, "penanganan"),
    ]:
        await post(f"/temuan/{temuan['id']}/{path}", body, kec, role, 200)
    second = await post("/temuan", temuan_body(kab, tahapan="masa_tenang"), kab, "penanganan")
    assert second["nomor_register"] == f"001/TM/PL/Kab/{kab}/{SUFFIX}"
    await post(f"/temuan/{second['id']}/klarifikasi", {}, kab, "penanganan", 200)
    await post(
        f"/temuan/{second['id']}/putusan",
        {"putusan": "bukan_pelanggaran", "pertimbangan": "Tidak terbukti"},
        kab,
        "pimpinan",
        200,
    )
    await post(f"/temuan/{second['id']}/selesai", {}, kab, "penanganan", 200)

    imbauan = {
        "bentuk": "imbauan",
        "tanggal": TODAY.isoformat(),
        "perihal": "Larangan politik uang",
        "ditujukan_kepada": "Partai peserta pemilu",
    }
    await post("/pencegahan", {"unit": kab, "tahapan": "kampanye", **imbauan}, kab, "operator")
    await post(
        "/pencegahan",
        {
            "unit": kec,
            "tahapan": "kampanye",
            "bentuk": "form_f",
            "tanggal": TODAY.isoformat(),
            "perihal": "Patroli pengawasan",
        },
        kec,
    )
    await post("/pencegahan", {"unit": other_kab, "tahapan": "masa_tenang", **imbauan}, other_kab, "operator")
    await post("/pencegahan", {"unit": "63.01", "tahapan": "kampanye", **imbauan}, "63.01", "operator")  # outside 64
    apk = {"tanggal": TODAY.isoformat(), "tahapan": "kampanye", "lokasi": "Jalan utama", "bersama": "Satpol PP"}
    await post("/penertiban-apk", {"unit": kab, "jumlah": 120, **apk}, kab, "operator")
    await post("/penertiban-apk", {"unit": kec, "jumlah": 35, **apk}, kec)
    psap = {
        "tanggal_permohonan": TODAY.isoformat(),
        "pemohon": "Partai A",
        "termohon": "Partai B",
        "objek_sengketa": "Lokasi kampanye bersamaan",
    }
    case = await post("/psap", {"unit": kab, "tahapan": "kampanye", **psap}, kab, "penanganan")
    assert case["nomor"] == f"001/PSAP/PL/Kab/{kab}/{SUFFIX}"
    await post(
        f"/psap/{case['id']}/selesai", {"hasil": "kesepakatan", "keterangan": "Jadwal dibagi"}, kab, "penanganan", 200
    )
    await post("/psap", {"unit": other_kab, **psap}, other_kab, "penanganan")

    registered = await post("/laporan", laporan_body(unit=kab), kab, "operator")
    declined = await post("/laporan", laporan_body(unit=kab), kab, "operator")
    for laporan_id, steps in [
        (
            registered["laporan_id"],
            [
                ("kajian-awal", {}, "penanganan"),
                ("registrasi", {}, "penanganan"),
                ("klarifikasi", {}, "penanganan"),
                ("putusan", {"putusan": "kode_etik", "pertimbangan": "Netralitas penyelenggara"}, "pimpinan"),
            ],
        ),
        (
            declined["laporan_id"],
            [
                ("kajian-awal", {}, "penanganan"),
                (
                    "tidak-diregistrasi",
                    {"alasan": "materiel", "keterangan": "Bukti tidak menunjukkan pelanggaran"},
                    "penanganan",
                ),
            ],
        ),
    ]:
        for path, body, role in steps:
            await post(f"/laporan/{laporan_id}/{path}", body, kab, role, 200)

    # Bad input: a clear 4xx and nothing written.
    before = await tables()
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    long_ago = (TODAY - dt.timedelta(days=30)).isoformat()
    late = temuan_body(kec)
    late["peristiwa"] |= {"waktu_kejadian": long_ago, "waktu_diketahui": long_ago}
    for path, body, unit, role, code in [
        (
            "/form-a",
            form_a_body(kec, kegiatan={**form_a_body(kec)["kegiatan"], "tanggal": future}),
            kec,
            "pengawas",
            422,
        ),
        ("/form-a", form_a_body(kec, kegiatan={**form_a_body(kec)["kegiatan"], "bentuk": []}), kec, "pengawas", 422),
        ("/form-a", form_a_body(kec), kab, "pengawas", 403),
        ("/temuan", late, kec, "pengawas", 422),
        ("/temuan", temuan_body(kec, form_a_id=str(uuid.uuid4())), kec, "pengawas", 422),
        ("/pencegahan", {"unit": kab, **imbauan, "ditujukan_kepada": None}, kab, "operator", 422),
        ("/penertiban-apk", {"unit": kab, "jumlah": 0, **apk}, kab, "operator", 422),
        ("/psap", {"unit": kab, **psap, "termohon": "Partai A"}, kab, "penanganan", 422),
        ("/psap", {"unit": kab, **psap}, kab, "viewer", 403),
    ]:
        await post(path, body, unit, role, code)
    assert await tables() == before

    async def figures(**params: Any) -> dict[str, Any]:
        response = await reporting.get("/statistik", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    whole = await figures(unit=prov, tahun=YEAR)
    assert whole["pencegahan"] == {"jumlah": 3, "imbauan": 2, "form_f": 1}
    assert whole["form_a"]["jumlah"] == 2
    assert whole["penertiban_apk"] == {"jumlah_apk": 155, "kegiatan": 2}
    assert whole["psap"] == {"jumlah": 2, "selesai": 1}
    assert whole["temuan"]["jumlah"] == 2
    assert (whole["laporan"]["jumlah"], whole["laporan"]["diregistrasi"], whole["laporan"]["tidak_diregistrasi"]) == (
        2,
        1,
        1,
    )
    assert whole["laporan"]["tidak_diregistrasi_alasan"] == {"formil": 0, "materiel": 1, "daluwarsa": 0}
    assert whole["putusan"] == {
        "administrasi": 1,
        "kode_etik": 1,
        "pidana": 0,
        "hukum_lainnya": 0,
        "bukan_pelanggaran": 1,
    }
    assert whole["unit_nama"] == "Bawaslu Provinsi Kalimantan Timur"
    kecamatan = await figures(unit=kec, tahun=YEAR)
    assert (
        kecamatan["pencegahan"]["jumlah"],
        kecamatan["form_a"]["jumlah"],
        kecamatan["penertiban_apk"]["jumlah_apk"],
        kecamatan["temuan"]["jumlah"],
        kecamatan["laporan"]["jumlah"],
    ) == (1, 1, 35, 1, 0)
    kampanye = await figures(unit=prov, tahun=YEAR, tahapan="kampanye")
    assert (
        kampanye["pencegahan"]["jumlah"],
        kampanye["form_a"]["jumlah"],
        kampanye["temuan"]["jumlah"],
        kampanye["psap"]["jumlah"],
    ) == (2, 1, 1, 1)
    last_year = await figures(unit=prov, tahun=YEAR - 1)
    assert last_year["pencegahan"]["jumlah"] == 0 and last_year["temuan"]["jumlah"] == 0
    period = await figures(unit=prov, dari=TODAY.isoformat(), sampai=TODAY.isoformat())
    assert period["form_a"]["jumlah"] == 2
    assert (
        await reporting.get("/statistik", params={"unit": prov, "dari": "2024-05-01", "sampai": "2024-04-01"})
    ).status_code == 422

    page = await reporting.get("/publik/statistik", params={"unit": prov, "tahun": YEAR})
    assert page.status_code == 200 and ">155<" in page.text and "Kalimantan Timur" in page.text

    supervision = await consume(PENGAWASAN_TOPIC, key=form["id"])
    assert supervision[0]["type"] == "awasi.HasilPengawasanDisampaikan.v1"
    assert supervision[0]["data"]["ada_dugaan_pelanggaran"] is True and b"Agus" not in supervision[0]["raw"]
    steps = await consume(TEMUAN_TOPIC, key=temuan["id"], until=lambda f: len(f) >= 5)
    assert [m["type"] for m in steps] == [
        "awasi.TemuanDicatat.v1",
        "awasi.TemuanKlarifikasiDimulai.v1",
        "awasi.TemuanDiputus.v1",
        "awasi.TemuanDiteruskan.v1",
        "awasi.TemuanSelesai.v1",
    ]
    assert steps[0]["data"]["form_a_id"] == form["id"] and b"Kepala desa" not in steps[0]["raw"]


def published_figures() -> dict[str, int]:
    """What Bawaslu Batang published of its Pemilu 2024 supervision (documents/003)."""
    text = next(DOCUMENTS.glob("003_*.txt")).read_text(encoding="utf-8")

    def number(pattern: str) -> int:
        found = re.search(pattern, text)
        assert found, pattern
        return int(found.group(1).replace(".", ""))

    return {
        "pencegahan": number(r"pencegahan sebanyak ([\d.]+)"),
        "form_a": number(r"Pengawasan sejumlah ([\d.]+)"),
        "apk": number(r"APK sejumlah ([\d.]+)"),
        "psap": number(r"\(PSAP\) sejumlah ([\d.]+) Kasus"),
        "temuan": number(r"sejumlah ([\d.]+) temuan"),
        "laporan": number(r"temuan, ([\d.]+) laporan"),
        "tidak_diregister": number(r"dan ([\d.]+) laporan yang tidak diregister"),
    }


async def test_figures_reproduce_what_a_unit_published(start_service, tokens) -> None:
    published = published_figures()
    assert published == {
        "pencegahan": 7943,
        "form_a": 15014,
        "apk": 22860,
        "psap": 3,
        "temuan": 16,
        "laporan": 1,
        "tidak_diregister": 2,
    }
    reporting = await start_service("reporting")
    batang, kecamatan = "33.25", "33.25.01"
    app = start_service.apps["reporting"]

    # The year's thousands of records, written as the services would (bulk, straight to the tables).
    from awasi_reporting.adapters import orm
    from awasi_reporting.domain.pengawasan import BentukPencegahan, Pencegahan

    now = dt.datetime.now(dt.UTC)
    async with app.state.uow_factory() as uow:
        await uow.pengawasan.add_pencegahan(
            *(
                Pencegahan.catat(
                    now=now,
                    record_event=False,
                    unit=batang if i % 3 else kecamatan,
                    bentuk=BentukPencegahan.IMBAUAN if i % 2 else BentukPencegahan.FORM_F,
                    tanggal=TODAY,
                    tahapan=None,
                    perihal="Pencegahan",
                    ditujukan_kepada="Peserta pemilu",
                    nomor=None,
                    uraian=None,
                    oleh="demo",
                )
                for i in range(published["pencegahan"])
            )
        )
        await uow.session.execute(
            sa.insert(orm.form_a),
            [
                {
                    "id": str(uuid.uuid4()),
                    "nomor": f"{i + 1:05d}/LHP/PL/Kab/{batang}/{SUFFIX}",
                    "unit": batang,
                    "pemilihan": "pemilu",
                    "tahapan": "kampanye",
                    "tanggal": TODAY,
                    "bentuk": ["langsung"],
                    "data_pengawas": {},
                    "kegiatan": {},
                    "uraian_singkat": "-",
                    "dugaan_pelanggaran": [],
                    "dugaan_sengketa": [],
                    "disampaikan_pada": now,
                    "oleh": "demo",
                }
                for i in range(published["form_a"])
            ],
        )
        await uow.commit()

    async def post(path: str, body: dict[str, Any], unit: str, role: str = "penanganan", code: int = 201) -> Any:
        response = await reporting.post(path, json=body, headers=tokens(unit, role))
        assert response.status_code == code, response.text
        return response.json()

    for jumlah in (10_000, 10_000, published["apk"] - 20_000):
        await post(
            "/penertiban-apk",
            {"unit": batang, "tanggal": TODAY.isoformat(), "lokasi": "Batang", "jumlah": jumlah},
            batang,
            "operator",
        )
    for i in range(published["psap"]):
        await post(
            "/psap",
            {
                "unit": batang,
                "tanggal_permohonan": TODAY.isoformat(),
                "pemohon": f"Partai {i}",
                "termohon": "Partai Z",
                "objek_sengketa": "Sengketa lokasi kampanye",
            },
            batang,
        )
    for _ in range(published["temuan"]):
        await post("/temuan", temuan_body(batang), batang)
    for outcome in ["diregistrasi"] * published["laporan"] + ["tidak"] * published["tidak_diregister"]:
        laporan_id = (await post("/laporan", laporan_body(unit=batang), batang, "operator"))["laporan_id"]
        await post(f"/laporan/{laporan_id}/kajian-awal", {}, batang, code=200)
        if outcome == "diregistrasi":
            await post(f"/laporan/{laporan_id}/registrasi", {}, batang, code=200)
        else:
            await post(
                f"/laporan/{laporan_id}/tidak-diregistrasi",
                {"alasan": "formil", "keterangan": "Identitas tidak jelas"},
                batang,
                code=200,
            )

    figures = (await reporting.get("/statistik", params={"unit": batang, "tahun": YEAR})).json()
    measured = {
        "pencegahan": figures["pencegahan"]["jumlah"],
        "form_a": figures["form_a"]["jumlah"],
        "apk": figures["penertiban_apk"]["jumlah_apk"],
        "psap": figures["psap"]["jumlah"],
        "temuan": figures["temuan"]["jumlah"],
        "laporan": figures["laporan"]["diregistrasi"],
        "tidak_diregister": figures["laporan"]["tidak_diregistrasi"],
    }
    assert measured == published
    assert figures["pencegahan"]["imbauan"] + figures["pencegahan"]["form_f"] == published["pencegahan"]
    page = await reporting.get("/publik/statistik", params={"unit": batang, "tahun": YEAR})
    for shown in ("7.943", "15.014", "22.860"):
        assert f">{shown}<" in page.text


def kegiatan(kegiatan_id: str, unit: str, divisi: Divisi, month: int, **extra: Any) -> KegiatanSnapshot:
    day = dt.date(YEAR, month, 10)
    return KegiatanSnapshot(
        kegiatan_id=kegiatan_id,
        divisi=divisi,
        judul=extra.pop("judul", f"Kegiatan {kegiatan_id}"),
        jenis="sosialisasi",
        jadwal=Jadwal(mulai=day, selesai=day, presisi="tanggal"),
        **extra,
    )


async def test_division_annual_report_combines_planning_participation_and_reporting(
    start_service, tokens, publish, unique
) -> None:
    reporting = await start_service("reporting")
    unit = "64.01"
    auth = tokens(unit, "operator")
    forum, done, cancelled, datin = (unique("keg") for _ in range(4))
    await publish(
        KegiatanScheduled(
            unit=unit,
            kegiatan_id=forum,
            kegiatan=kegiatan(
                forum,
                unit,
                Divisi.P2H,
                3,
                judul="Forum Warga Desa Tenggarong",
                program=Program.FORUM_WARGA,
                target_peserta=40,
                anggaran=5_000_000,
            ),
        )
    )
    snapshot = kegiatan(
        done, unit, Divisi.P2H, 2, judul="Sosialisasi Pemilih <Pemula> & Muda", target_peserta=80, anggaran=15_000_000
    )
    await publish(KegiatanScheduled(unit=unit, kegiatan_id=done, kegiatan=snapshot))
    await publish(
        KegiatanCompleted(
            unit=unit,
            kegiatan_id=done,
            kegiatan=snapshot,
            realisasi=Realisasi(peserta_hadir=72, anggaran_realisasi=14_250_000),
        )
    )
    await publish(
        KegiatanCancelled(
            unit=unit, kegiatan_id=cancelled, kegiatan=kegiatan(cancelled, unit, Divisi.P2H, 5), alasan="Banjir"
        )
    )
    await publish(
        KegiatanScheduled(
            unit=unit, kegiatan_id=datin, kegiatan=kegiatan(datin, unit, Divisi.PP_DATIN, 6, judul="Bimtek Penanganan")
        )
    )
    await publish(
        PemantauanRecorded(
            unit=unit,
            pemantauan_id=unique("pem"),
            tanggal=TODAY,
            cakupan=[unit],
            program=[Program.FORUM_WARGA],
            ringkasan="Forum warga berjalan",
        )
    )
    pojok_id = unique("pojok")
    identitas = IdentitasPojok(pelapor=PelaporPojok(nama="Warga Pojok", kewarganegaraan="Indonesia"))
    await publish(
        LaporanPojokDiterimaV2(
            unit=unit,
            laporan_pojok_id=pojok_id,
            program_id="p1",
            identitas_tersegel=identitas.seal(KeyRing(PlatformSettings().pojok_identity_keys()), pojok_id),
            terlapor="Calon X",
            peristiwa_apa="Kampanye di tempat ibadah",
            peristiwa_tempat="Masjid",
            waktu_kejadian=TODAY,
            waktu_diketahui=TODAY,
            uraian="Kampanye dilakukan di tempat ibadah saat salat Jumat.",
            diterima_pada=dt.datetime.now(dt.UTC),
        )
    )
    await reporting.post(
        "/pencegahan",
        json={"unit": unit, "bentuk": "form_f", "tanggal": TODAY.isoformat(), "perihal": "Patroli"},
        headers=auth,
    )

    async def report_csv() -> list[dict[str, str]] | None:
        response = await reporting.get(
            "/laporan-tahunan", params={"unit": unit, "tahun": YEAR, "divisi": "P2H", "format": "csv"}, headers=auth
        )
        assert response.status_code == 200, response.text
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        values = {r["indikator"]: r["nilai"] for r in rows}
        ready = values.get("Jumlah kegiatan direncanakan") == "3" and values.get("Kegiatan terlaksana") == "1"
        ready = (
            ready
            and values.get("Laporan melalui Pojok Pengawasan") == "1"
            and values.get("Pemantauan pengawasan partisipatif") == "1"
        )
        return rows if ready else None

    rows = await eventually(report_csv)
    values = {r["indikator"]: r["nilai"] for r in rows}
    assert values["Kegiatan dibatalkan"] == "1" and values["Kegiatan terjadwal"] == "1"
    assert values["Peserta hadir"] == "72" and values["Realisasi anggaran (Rp)"] == "14250000"
    assert values["Pencegahan (Form F dan surat imbauan)"] == "1"
    assert values["Program Forum Warga"] == "1" and values["Program Pojok Pengawasan"] == "1"
    assert {r["unit"] for r in rows} == {unit} and {r["divisi"] for r in rows} == {"P2H"}
    titles = [r["indikator"] for r in rows if r["bagian"] == "Daftar kegiatan"]
    assert any("Forum Warga Desa Tenggarong" in t for t in titles) and not any("Bimtek" in t for t in titles)
    assert "Warga Pojok" not in str(rows)

    pdf = await reporting.get("/laporan-tahunan", params={"unit": unit, "tahun": YEAR, "divisi": "P2H"}, headers=auth)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf.content.count(b"/Subtype /Image") >= 2
    datin_csv = await reporting.get(
        "/laporan-tahunan", params={"unit": unit, "tahun": YEAR, "divisi": "PP-Datin", "format": "csv"}, headers=auth
    )
    datin_rows = {
        r["indikator"]: r["nilai"] for r in csv.DictReader(io.StringIO(datin_csv.content.decode("utf-8-sig")))
    }
    assert datin_rows["Jumlah kegiatan direncanakan"] == "1" and datin_rows["Laporan melalui Pojok Pengawasan"] == "1"
    denied = await reporting.get(
        "/laporan-tahunan", params={"unit": "35", "tahun": YEAR, "divisi": "P2H"}, headers=auth
    )
    assert denied.status_code == 403
