"""Importing the shared documents through the upload endpoint, on the real database and broker:
the plans the documents describe, idempotent re-import, dry runs, and bad input refused with
nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DOCUMENTS = Path(__file__).resolve().parents[2].parent / "shared" / "documents"
PROVINCE_TABLE = DOCUMENTS / "000_a9af13b0eaf7620d.txt"
KABUPATEN_PLAN = DOCUMENTS / "001_ca2d3250fc9f7651.part1.txt"
NEWS = DOCUMENTS / "002_e064850260b89908.txt"
REGULATION = DOCUMENTS / "004_d8167277247cd537.txt"
BLITAR, BANTEN = "35.05", "36"


def by_title(result: dict[str, Any], start: str) -> dict[str, Any]:
    found = [k for k in result["kegiatan"] if k["judul"].startswith(start)]
    assert len(found) == 1, [k["judul"] for k in result["kegiatan"]]
    return found[0]


async def test_kabupaten_plan_becomes_its_kegiatan_once(start_service, tokens, upload, table_counts) -> None:
    planning = await start_service("planning")
    auth = tokens(BLITAR)

    response = await planning.post("/kegiatan/impor", files=upload(KABUPATEN_PLAN), headers=auth)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["dokumen"]["unit"] == BLITAR and result["dokumen"]["tahun"] == 2023
    assert result["dokumen"]["unit_dalam_dokumen"] == "Kabupaten Blitar"
    assert result["ringkasan"] == {
        "kegiatan": 24,
        "baru": 24,
        "sudah_ada": 0,
        "terjadwal": 24,
        "draft": 0,
        "catatan": 4,
    }
    divisions = [k["divisi"] for k in result["kegiatan"]]
    assert divisions == ["SDMO"] * 12 + ["HPS"] * 12
    assert [k["nomor"] for k in result["kegiatan"]] == list(range(1, 13)) * 2

    # SDMO 1: five sections, and the date of its Pelaksanaan (line 75).
    first = result["kegiatan"][0]
    assert first["judul"] == ("Pembinaan Aparatur Pengawas Pemilu Kecamatan dan Pengawas Pemilu Kelurahan/Desa")
    assert first["baris"] == 30 and first["jenis"] == "bimbingan_teknis"
    assert first["latar_belakang"].startswith("Pemilihan umum (Pemilu) adalah proses penting")
    assert len(first["tujuan"]) == 2 and first["tujuan"][1].startswith("Meningkatkan keterampilan")
    assert first["output"] == [
        "Materi pembinaan yang disusun sistematis dan mudah dipahami.",
        "Pelatihan dan bimbingan kepada aparatur pengawas pemilu kecamatan.",
        "Pelatihan dan bimbingan kepada pengawas pemilu kelurahan/desa.",
    ]
    assert first["sasaran"] == ["Aparatur pengawas pemilu di kecamatan.", "Pengawas pemilu di kelurahan/desa."]
    assert first["indikator_input"]["sarana_prasarana"] == [
        "Ruang pelatihan yang memadai.",
        "Materi dan materi pembelajaran yang disiapkan.",
    ]
    assert first["indikator_input"]["anggaran"] == ["Anggaran yang dialokasikan untuk pelaksanaan kegiatan pembinaan."]
    assert first["jadwal"] == {
        "mulai": "2023-10-12",
        "selesai": "2023-10-12",
        "presisi": "tanggal",
        "keterangan": "12 Oktober 2023 (Minggu ke 2 Bulan Oktober)",
        "pengulangan": None,
    }
    assert first["status"] == "scheduled"

    # SDMO 12: "minggu keempat bulan Desember tahun 2023" — the 22nd to the month's end.
    laporan = by_title(result, "Penyusunan Laporan Tahunan SDM")
    assert (laporan["jadwal"]["mulai"], laporan["jadwal"]["selesai"]) == ("2023-12-22", "2023-12-31")
    assert laporan["jadwal"]["presisi"] == "minggu" and laporan["jenis"] == "penyusunan_laporan"

    # HPS 1: a date range across months with the day's name in between, and where.
    dct = by_title(result, "Kegiatan Pengawasan di Kantor KPU kabupaten Blitar selama masa Pencermatan")
    assert dct["divisi"] == "HPS"
    assert (dct["jadwal"]["mulai"], dct["jadwal"]["selesai"], dct["jadwal"]["presisi"]) == (
        "2023-09-24",
        "2023-10-03",
        "rentang_tanggal",
    )
    assert dct["lokasi"] == "Kantor KPU Kabupaten Blitar"
    assert dct["tahapan"] == "Pencalonan anggota DPR, DPD dan DPRD"

    # HPS 2: "4 Oketober 2023 s/d hari Rabu 18 Oktober 2023" (a typo in the month).
    verifikasi = by_title(result, "Kegiatan Pengawasan di Kantor KPU Kabupaten Blitar dalam tahapan")
    assert (verifikasi["jadwal"]["mulai"], verifikasi["jadwal"]["selesai"]) == ("2023-10-04", "2023-10-18")

    # HPS 6: participants from two lines, 66 commissioners and 22 secretariat staff.
    psap = by_title(result, "Bimbingan Teknis tentang Penyelesaian Sengketa Antar Peserta")
    assert psap["target_peserta"] == {
        "jumlah": 88,
        "luring": None,
        "daring": None,
        "keterangan": "komisioner di tingkat kecamatan: 66; sekretariat: 22",
    }
    assert (psap["jadwal"]["mulai"], psap["jadwal"]["selesai"]) == ("2023-11-22", "2023-11-30")

    # HPS 9: "minggu pertama bulan Desemberr 2023".
    jdih = by_title(result, "Rakor dengan Panwascam tentang pendokumentasian")
    assert (jdih["jadwal"]["mulai"], jdih["jadwal"]["selesai"]) == ("2023-12-01", "2023-12-07")
    assert jdih["target_peserta"]["jumlah"] == 44 and jdih["jenis"] == "rapat_koordinasi"

    # What was not imported is reported with its line: the letterhead and the table of contents.
    notes = {(n["baris"], n["alasan"].split(",")[0]) for n in result["catatan"]}
    assert notes == {
        (5, "kop surat"),
        (7, "kop surat"),
        (9, "kop surat"),
        (15, "daftar rencana kegiatan (12 butir)"),
    }

    listed = (await planning.get("/kegiatan", params={"divisi": "HPS", "limit": 100}, headers=auth)).json()
    assert len(listed) == 12 and {k["divisi"] for k in listed} == {"HPS"}
    assert await table_counts() == (24, 24)

    # The same document again creates nothing, and says which ones it already had.
    again = await planning.post("/kegiatan/impor", files=upload(KABUPATEN_PLAN), headers=auth)
    assert again.status_code == 200, again.text
    assert again.json()["ringkasan"]["baru"] == 0 and again.json()["ringkasan"]["sudah_ada"] == 24
    assert [k["id"] for k in again.json()["kegiatan"]] == [k["id"] for k in result["kegiatan"]]
    assert await table_counts() == (24, 24)


async def test_province_table_and_dry_run(start_service, tokens, upload, table_counts) -> None:
    planning = await start_service("planning")
    auth = tokens(BANTEN)

    dry = await planning.post("/kegiatan/impor", files=upload(PROVINCE_TABLE), data={"dry_run": "true"}, headers=auth)
    assert dry.status_code == 200, dry.text
    assert dry.json()["dry_run"] is True and dry.json()["ringkasan"]["baru"] == 6
    assert await table_counts() == (0, 0)

    done = await planning.post("/kegiatan/impor", files=upload(PROVINCE_TABLE), headers=auth)
    assert done.status_code == 201, done.text
    result = done.json()
    assert [k["id"] for k in result["kegiatan"]] == [k["id"] for k in dry.json()["kegiatan"]]
    assert result["dokumen"]["unit"] == BANTEN and result["dokumen"]["unit_dalam_dokumen"] == "Provinsi Banten"
    windows = [
        (k["nomor"], k["divisi"], k["jenis"], k["jadwal"]["mulai"], k["jadwal"]["selesai"], k["jadwal"]["presisi"])
        for k in result["kegiatan"]
    ]
    assert windows == [
        (1, "P2H", "kunjungan_kelembagaan", "2022-05-17", "2022-05-20", "rentang_tanggal"),
        (2, "P2H", "kunjungan_kelembagaan", "2022-06-01", "2022-07-31", "rentang_bulan"),
        (3, "P2H", "kunjungan_kelembagaan", "2022-05-24", "2022-06-02", "rentang_tanggal"),
        (4, "P2H", "sosialisasi", "2022-08-09", "2022-08-09", "tanggal"),
        (5, "P2H", "lainnya", "2022-08-15", "2022-08-15", "tanggal"),
        (6, "P2H", "sosialisasi", "2022-08-23", "2022-08-23", "tanggal"),
    ]
    assert result["kegiatan"][2]["judul"] == "Kunjungan Kelembagaan dengan Organisasi Masyarakat"
    assert result["kegiatan"][2]["latar_belakang"].startswith("Dalam rangka mencegah terjadinya Politik uang")
    assert result["kegiatan"][1]["tahapan"] == "Pendaftaran dan verifikasi partai politik peserta pemilu"

    # A Kab/Kota below reads the province's plan? No: a province reads its own and below.
    assert (await planning.get("/kegiatan", params={"unit": BANTEN}, headers=tokens("36.01"))).status_code == 403
    assert len((await planning.get("/kegiatan", headers=tokens("00", "viewer"))).json()) == 6


async def test_bad_input_is_refused_and_nothing_is_written(start_service, tokens, upload, table_counts) -> None:
    planning = await start_service("planning")
    auth = tokens(BLITAR)

    async def refused(files: dict[str, Any], data: dict[str, str] | None = None, headers=auth) -> dict[str, Any]:
        response = await planning.post("/kegiatan/impor", files=files, data=data or {}, headers=headers)
        assert 400 <= response.status_code < 500, response.text
        return {"status": response.status_code, **response.json()}

    news = await refused(upload(NEWS))
    assert news["status"] == 422 and "tidak tampak sebagai rencana kegiatan" in news["detail"]
    regulation = await refused(upload(REGULATION))
    assert regulation["status"] == 422 and regulation["field"] == "berkas"
    empty = await refused(upload(NEWS, b"   \n"))
    assert "kosong" in empty["detail"]
    junk = await refused(upload(NEWS, bytes(range(256)) * 4, "acak.bin"))
    assert "bukan teks" in junk["detail"]
    broken_pdf = await refused(upload(NEWS, b"%PDF-1.4\nrusak", "rusak.pdf"))
    assert "PDF" in broken_pdf["detail"]

    unknown_unit = await refused(upload(KABUPATEN_PLAN), {"unit": "35.99"})
    assert unknown_unit["errors"][0]["lokasi"] == "unit"
    unknown_division = await refused(upload(KABUPATEN_PLAN), {"divisi": "KEUANGAN"})
    assert unknown_division["errors"][0]["lokasi"] == "divisi"

    # Banten's table, uploaded with a Blitar operator's token.
    other_unit = await refused(upload(PROVINCE_TABLE))
    assert other_unit["status"] == 403

    # A table that names no division, and no default division given.
    headerless = "No\tKegiatan\tTanggal\n1.\tRapat Koordinasi Pengawasan Kampanye\t5 Januari 2024\n"
    no_division = await refused(upload(NEWS, headerless.encode(), "tabel.txt"), {"unit": BLITAR})
    assert no_division["field"] == "divisi" and "baris 2" in no_division["detail"]

    # The same rules for a kegiatan written by hand: an end before its start, an unknown unit or
    # division, a unit the account may not act for.
    good = {
        "unit": BLITAR,
        "divisi": "P2H",
        "judul": "Sosialisasi Pengawasan Partisipatif",
        "jadwal": {"mulai": "2024-01-10", "selesai": "2024-01-10"},
    }
    bad_bodies = [
        ({**good, "jadwal": {"mulai": "2024-01-10", "selesai": "2024-01-09"}}, 422, "jadwal", "tidak boleh sebelum"),
        ({**good, "unit": "35.99"}, 422, "unit", "tidak terdaftar"),
        ({**good, "divisi": "KEUANGAN"}, 422, "divisi", "bukan salah satu nilai"),
        ({**good, "jadwal": {**good["jadwal"], "presisi": "berulang"}}, 422, "jadwal", "pengulangan"),
        ({**good, "unit": "35.06"}, 403, None, "tidak berhak"),
    ]
    for body, status, where, message in bad_bodies:
        response = await planning.post("/kegiatan", json=body, headers=auth)
        assert response.status_code == status, response.text
        assert message in response.json()["detail"]
        if where:
            assert response.json()["errors"][0]["lokasi"].startswith(where)

    assert await table_counts() == (0, 0)
    assert (await planning.get("/kegiatan", headers=auth)).json() == []

    # With the default division the same table imports.
    fixed = await planning.post(
        "/kegiatan/impor",
        files=upload(NEWS, headerless.encode(), "tabel.txt"),
        data={"unit": BLITAR, "divisi": "P2H"},
        headers=auth,
    )
    assert fixed.status_code == 201, fixed.text
    assert fixed.json()["kegiatan"][0]["tahapan"] == "Kampanye"


EXAMPLE = Path(__file__).resolve().parents[2] / "services" / "planning" / "examples" / "rencana-kegiatan-contoh.txt"


async def test_concurrent_and_extended_imports_create_each_kegiatan_once(
    start_service, tokens, upload, table_counts
) -> None:
    import asyncio

    planning = await start_service("planning")
    auth = tokens("35.72")
    # Two uploads of the same document at once: one creates, the other finds them.
    answers = await asyncio.gather(
        *(planning.post("/kegiatan/impor", files=upload(EXAMPLE), headers=auth) for _ in range(2))
    )
    assert sorted(a.status_code for a in answers) == [200, 201], [a.text for a in answers]
    assert sorted(a.json()["ringkasan"]["baru"] for a in answers) == [0, 3]
    assert await table_counts() == (3, 3)

    # The plan grows by one kegiatan: only that one is new.
    extended = EXAMPLE.read_text(encoding="utf-8") + (
        "\n4. Patroli Pengawasan Masa Tenang\n\nI. Latar Belakang\n\nMasa tenang rawan politik uang.\n\n"
        "V. Pelaksanaan Kegiatan\n\nPatroli dilaksanakan tanggal 24 – 26 November 2025.\n"
    )
    grown = await planning.post(
        "/kegiatan/impor", files=upload(EXAMPLE, extended.encode(), "rencana-revisi.txt"), headers=auth
    )
    assert grown.status_code == 201, grown.text
    assert (grown.json()["ringkasan"]["baru"], grown.json()["ringkasan"]["sudah_ada"]) == (1, 3)
    patroli = grown.json()["kegiatan"][3]
    assert (patroli["jenis"], patroli["jadwal"]["mulai"], patroli["jadwal"]["selesai"]) == (
        "patroli_pengawasan",
        "2025-11-24",
        "2025-11-26",
    )
    assert patroli["asal"] == "rencana-revisi.txt, baris 64"
    assert await table_counts() == (4, 4)

    # Imported for another unit than the title names: allowed for an account of that unit, and said.
    other = await planning.post(
        "/kegiatan/impor", files=upload(EXAMPLE), data={"unit": "35.05", "dry_run": "true"}, headers=tokens("35.05")
    )
    assert other.status_code == 200, other.text
    assert "dokumen menyebut Kota Blitar (35.72); diimpor untuk Bawaslu Kabupaten Blitar sesuai permintaan" in [
        n["alasan"] for n in other.json()["catatan"]
    ]
