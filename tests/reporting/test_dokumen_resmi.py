"""Official documents a chair can sign (issue 13, item 9): the annual division report as a PDF
with the unit's kop surat, a number from the unit's register, the date in Indonesian, a
signature block, Indonesian numbers and Rupiah, whole-number chart axes and embedded fonts; its
CSV with one kind of value per column. Read back with pypdf, as a reader would."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from awasi_cli.testing import eventually
from awasi_common.calendar import local_date
from awasi_common.events.planning import (
    Jadwal,
    KegiatanCompleted,
    KegiatanScheduled,
    KegiatanSnapshot,
    Realisasi,
)
from awasi_common.tanggal import tanggal
from awasi_common.vocabulary import Divisi
from awasi_reporting.adapters import laporan_tahunan as report
from awasi_reporting.domain.laporan_tahunan import LaporanTahunanData, Pengesahan, jabatan_bawaan, nomor_laporan_tahunan
from awasi_reporting.domain.vocabulary import JenisPutusan

UNIT = "52.03"
"""Bawaslu Kabupaten Lombok Timur (WITA): no other test reports on it."""


def _statistik(apk: int = 1250) -> dict[str, Any]:
    return {
        "pencegahan": {"jumlah": 3, "imbauan": 2, "form_f": 1},
        "form_a": {"jumlah": 1},
        "penertiban_apk": {"jumlah_apk": apk},
        "temuan": {"jumlah": 2},
        "laporan": {
            "jumlah": 5,
            "diregistrasi": 3,
            "tidak_diregistrasi": 2,
            "tidak_diregistrasi_alasan": {"formil": 1, "daluwarsa": 1},
            "per_kanal": {"web": 3, "pojok_pengawasan": 2},
        },
        "putusan": {k.value: 1 for k in JenisPutusan},
        "psap": {"jumlah": 1, "selesai": 0},
    }


def _data(divisi: Divisi = Divisi.P2H, **statistik: Any) -> LaporanTahunanData:
    data = LaporanTahunanData(unit=UNIT, unit_nama="Bawaslu Kabupaten Lombok Timur", tahun=2026, divisi=divisi)
    data.kegiatan_status = {"scheduled": 1, "completed": 1, "cancelled": 1}
    data.kegiatan_per_bulan = {
        "scheduled": [0, 0, 1] + [0] * 9,
        "completed": [0, 1] + [0] * 10,
        "cancelled": [0] * 4 + [1] + [0] * 7,
    }
    data.kegiatan = [
        {"judul": "Sosialisasi Pemilih <Pemula> & Muda", "mulai": dt.date(2026, 2, 3), "status": "completed"},
        {"judul": "Forum Warga Desa Selong", "mulai": dt.date(2026, 3, 10), "status": "scheduled"},
    ]
    data.target_peserta, data.peserta_hadir = 1200, 72
    data.anggaran, data.anggaran_realisasi = 35_000_000, 14_250_000
    data.partisipasi_per_jenis = {"PemantauanRecorded": 1}
    data.partisipasi_per_program = {"forum_warga": 1}
    data.statistik = _statistik(**statistik)
    return data


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _fonts(pdf: bytes) -> dict[str, bool]:
    """Every font the PDF's pages use (Type0 through its descendants) -> whether its file is
    embedded."""
    found: dict[str, bool] = {}

    def visit(font: DictionaryObject) -> None:
        if font.get("/Subtype") == "/Type0":
            for descendant in font["/DescendantFonts"]:
                visit(descendant.get_object())
            return
        descriptor = font.get("/FontDescriptor")
        embedded = descriptor is not None and any(
            key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        found[str(font.get("/BaseFont"))] = embedded

    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for ref in (fonts.get_object() if fonts is not None else {}).values():
            visit(ref.get_object())
    return found


def _pengesahan(nama: str | None = "Siti Rahmawati, S.H.") -> Pengesahan:
    on = dt.date(2026, 12, 4)
    return Pengesahan(
        nomor=nomor_laporan_tahunan(7, Divisi.P2H, UNIT, on),
        tanggal=on,
        jabatan=jabatan_bawaan(Divisi.P2H),
        nama=nama,
    )


def test_the_pdf_is_a_document_a_chair_can_sign() -> None:
    pdf = report.render_pdf(_data(), _pengesahan())
    text = _text(pdf)
    # kop surat of the unit, then the title, its number and the unit in full
    assert "BADAN PENGAWAS PEMILIHAN UMUM" in text and "KABUPATEN LOMBOK TIMUR" in text
    assert "Bawaslu Kabupaten Lombok Timur" in text
    assert "LAPORAN TAHUNAN" in text and "TAHUN 2026" in text
    assert "Nomor: 007/LT/P2H/Kab/52.03/XII/2026" in text
    # dated where and when the unit signs, in Indonesian; the signer's jabatan and name
    assert "Lombok Timur, 4 Desember 2026" in text
    assert "Koordinator Divisi Pencegahan, Partisipasi Masyarakat dan Hubungan Masyarakat" in text
    assert "Siti Rahmawati, S.H." in text and "Mengetahui," in text and "Ketua Bawaslu Kabupaten Lombok Timur" in text
    # figures written the Indonesian way
    assert "Rp35.000.000" in text and "Rp14.250.000" in text and "35000000" not in text
    assert "1.200" in text and "1.250" in text
    # a kegiatan's date in Indonesian; a title is text, not markup
    assert "3 Februari 2026" in text and "Sosialisasi Pemilih <Pemula> & Muda" in text


def test_without_a_name_the_signature_is_left_to_be_written_by_hand() -> None:
    text = _text(report.render_pdf(_data(), _pengesahan(nama=None)))
    assert text.count("(.......................................)") == 2


def test_every_font_in_the_pdf_is_embedded_dejavu() -> None:
    for divisi in (Divisi.P2H, Divisi.PP_DATIN, Divisi.HPS):
        fonts = _fonts(report.render_pdf(_data(divisi), _pengesahan()))
        assert fonts and all(fonts.values()), fonts
        assert all("DejaVuSans" in name for name in fonts), fonts


def _count_ticks(axes: Any, which: str) -> list[float]:
    low, high = axes.get_xlim() if which == "x" else axes.get_ylim()
    ticks = axes.get_xticks() if which == "x" else axes.get_yticks()
    return [t for t in ticks if low <= t <= high]


def test_count_axes_have_whole_number_ticks_only() -> None:
    for divisi in (Divisi.P2H, Divisi.PP_DATIN, Divisi.HPS):
        for apk in (0, 1, 3, 1250):
            figures = report.chart_figures(_data(divisi, apk=apk))
            kegiatan_axes = figures[0].axes[0]
            bars = [figure.axes[0] for figure in figures[1:]]
            for axes, which in [(kegiatan_axes, "y")] + [(a, "x") for a in bars]:
                axes.figure.canvas.draw()
                ticks = _count_ticks(axes, which)
                assert ticks and all(float(t).is_integer() for t in ticks), (divisi, apk, ticks)
                assert min(ticks) == 0
                labels = [label.get_text() for label in (axes.get_xticklabels() if which == "x" else [])]
                assert not any("," in label for label in labels)
    # 1.250 APK: thousands are written with a dot
    figure = report.chart_figures(_data(Divisi.P2H, apk=1250))[1]
    figure.canvas.draw()
    labels = [label.get_text() for label in figure.axes[0].get_xticklabels()]
    assert "1.200" in labels and "1200" not in labels, labels


def test_indonesian_numbers_and_rupiah() -> None:
    assert report.rupiah(35_000_000) == "Rp35.000.000"
    assert report.rupiah(0) == "Rp0"
    assert report.angka(1_234_567) == "1.234.567"


def test_the_csv_has_one_kind_of_value_per_column() -> None:
    rows = list(csv.DictReader(io.StringIO(report.render_csv(_data()).decode("utf-8-sig"))))
    assert list(rows[0]) == report.CSV_COLUMNS
    assert all(re.fullmatch(r"\d+", r["nilai"]) for r in rows)
    assert all(r["tanggal_mulai"] == "" or dt.date.fromisoformat(r["tanggal_mulai"]) for r in rows)
    assert {r["status"] for r in rows} <= {"", "Terjadwal", "Terlaksana", "Dibatalkan"}
    assert {r["tahun"] for r in rows} == {"2026"} and {r["unit"] for r in rows} == {UNIT}
    values = {r["indikator"]: r for r in rows}
    assert values["Anggaran (Rp)"]["nilai"] == "35000000" and values["Anggaran (Rp)"]["satuan"] == "rupiah"
    assert values["Peserta hadir"]["satuan"] == "orang"
    kegiatan = [r for r in rows if r["bagian"] == "Daftar kegiatan"]
    assert [(r["indikator"], r["tanggal_mulai"], r["status"]) for r in kegiatan] == [
        ("Sosialisasi Pemilih <Pemula> & Muda", "2026-02-03", "Terlaksana"),
        ("Forum Warga Desa Selong", "2026-03-10", "Terjadwal"),
    ]
    assert all(r["tanggal_mulai"] == "" and r["status"] == "" for r in rows if r["bagian"] != "Daftar kegiatan")


def test_numbers_are_the_register_form_at_every_level() -> None:
    on = dt.date(2026, 3, 2)
    assert nomor_laporan_tahunan(1, Divisi.HPS, "00", on) == "001/LT/HPS/RI/00.00/III/2026"
    assert nomor_laporan_tahunan(12, Divisi.PP_DATIN, "52", on) == "012/LT/PP-Datin/Prov/52/III/2026"
    assert report.kop_surat("00") == ("BADAN PENGAWAS PEMILIHAN UMUM", "REPUBLIK INDONESIA")
    assert report.kop_surat("52") == ("BADAN PENGAWAS PEMILIHAN UMUM", "PROVINSI NUSA TENGGARA BARAT")
    assert report.kop_surat("35.72") == ("BADAN PENGAWAS PEMILIHAN UMUM", "KOTA BLITAR")
    assert report.kop_surat("35.72.01")[0] == "PANITIA PENGAWAS PEMILIHAN UMUM"
    assert report.tempat_surat("35.72") == "Blitar" and report.tempat_surat("00") == "Jakarta"


async def test_the_pdf_is_a_draft_until_issued_once_with_its_number_date_and_signer(
    start_service, tokens, publish, unique
) -> None:
    reporting = await start_service("reporting")
    auth = tokens(UNIT, "operator")
    today = local_date(dt.datetime.now(dt.UTC), UNIT)
    kegiatan_id = unique("keg")
    day = dt.date(today.year, 1, 15)
    snapshot = KegiatanSnapshot(
        kegiatan_id=kegiatan_id,
        divisi=Divisi.P2H,
        judul="Sosialisasi Pengawasan Partisipatif Selong",
        jenis="sosialisasi",
        jadwal=Jadwal(mulai=day, selesai=day, presisi="tanggal"),
        target_peserta=1500,
        anggaran=35_000_000,
    )
    await publish(KegiatanScheduled(unit=UNIT, kegiatan_id=kegiatan_id, kegiatan=snapshot))
    await publish(
        KegiatanCompleted(
            unit=UNIT,
            kegiatan_id=kegiatan_id,
            kegiatan=snapshot,
            realisasi=Realisasi(peserta_hadir=1320, anggaran_realisasi=34_500_000),
        )
    )
    params = {"unit": UNIT, "tahun": today.year, "divisi": "P2H"}

    async def arrived() -> list[dict[str, str]] | None:
        response = await reporting.get("/laporan-tahunan", params={**params, "format": "csv"}, headers=auth)
        assert response.status_code == 200, response.text
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        done = {r["indikator"]: r["nilai"] for r in rows}.get("Kegiatan terlaksana") == "1"
        return rows if done else None

    rows = await eventually(arrived)
    assert all(re.fullmatch(r"\d+", r["nilai"]) for r in rows)

    # Before it is issued the PDF is a draft: no number of the register, DRAF on its pages.
    draft = await reporting.get("/laporan-tahunan", params=params, headers=auth)
    assert draft.status_code == 200 and "-draf.pdf" in draft.headers["content-disposition"]
    drafted = _text(draft.content)
    assert "Nomor: — (DRAF, belum diterbitkan)" in drafted and "/LT/" not in drafted
    assert "(.......................................)" in drafted  # the coordinator signs by hand

    signer = {"penandatangan": "Lalu Muhammad Ilham, S.Sos.", "jabatan": "Koordinator Divisi P2H"}
    body = {"unit": UNIT, "tahun": today.year, "divisi": "P2H", **signer}
    issued = await reporting.post("/laporan-tahunan/terbit", json=body, headers=auth)
    assert issued.status_code == 201, issued.text
    month = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][today.month - 1]
    nomor = issued.json()["nomor"]
    found = re.fullmatch(rf"(\d{{3}})/LT/P2H/Kab/52\.03/{month}/{today.year}", nomor)
    assert found, nomor
    assert issued.json()["tanggal"] == today.isoformat() and issued.json()["penandatangan"] == signer["penandatangan"]

    first = await reporting.get(issued.json()["unduh"], headers=auth)
    assert first.status_code == 200, first.text
    assert first.headers["x-nomor-dokumen"] == nomor
    text = _text(first.content)
    assert f"Nomor: {nomor}" in text and "DRAF" not in text
    assert "KABUPATEN LOMBOK TIMUR" in text and "Bawaslu Kabupaten Lombok Timur" in text
    assert f"Lombok Timur, {tanggal(today)}" in text
    assert "Lalu Muhammad Ilham, S.Sos." in text and "Koordinator Divisi P2H," in text
    assert "Rp35.000.000" in text and "Rp34.500.000" in text and "1.320" in text
    assert all(_fonts(first.content).values())

    # The same report keeps its one number: downloads are the document as issued, whatever a
    # download's signer parameters say, and issuing again with the same signer answers it again.
    again = await reporting.get("/laporan-tahunan", params={**params, "penandatangan": "Orang Lain"}, headers=auth)
    assert again.content == first.content
    repeat = await reporting.post("/laporan-tahunan/terbit", json=body, headers=auth)
    assert repeat.status_code == 200 and repeat.json()["nomor"] == nomor
    other_signer = await reporting.post(
        "/laporan-tahunan/terbit", json={**body, "penandatangan": "Orang Lain"}, headers=auth
    )
    assert other_signer.status_code == 409 and nomor in other_signer.text

    # Another division's report is the next document of the unit's register; without a signer
    # its coordinator signs by hand.
    datin = await reporting.post(
        "/laporan-tahunan/terbit", json={"unit": UNIT, "tahun": today.year, "divisi": "PP-Datin"}, headers=auth
    )
    assert datin.status_code == 201, datin.text
    assert datin.json()["nomor"].startswith(f"{int(found.group(1)) + 1:03d}/LT/PP-Datin/Kab/52.03/")
    datin_text = _text((await reporting.get(datin.json()["unduh"], headers=auth)).content)
    assert "Koordinator Divisi Penanganan Pelanggaran dan Data Informasi" in datin_text
    assert "(.......................................)" in datin_text

    # Issued by three requests at once: one number, and the register moves on by one.
    sdmo = {"unit": UNIT, "tahun": today.year, "divisi": "SDMO"}
    answers = await asyncio.gather(
        *(reporting.post("/laporan-tahunan/terbit", json=sdmo, headers=auth) for _ in range(3))
    )
    assert sorted(a.status_code for a in answers) == [200, 200, 201], [a.text for a in answers]
    assert len({a.json()["nomor"] for a in answers}) == 1
    assert answers[0].json()["nomor"].startswith(f"{int(found.group(1)) + 2:03d}/LT/SDMO/")

    # Who may issue: the unit's own writers; bounded text.
    hps = {"unit": UNIT, "tahun": today.year, "divisi": "HPS"}
    for headers in (tokens("52.04", "operator"), tokens(UNIT, "viewer"), tokens("52", "operator")):
        refused = await reporting.post("/laporan-tahunan/terbit", json=hps, headers=headers)
        assert refused.status_code == 403, refused.text
    too_long = await reporting.post("/laporan-tahunan/terbit", json={**hps, "penandatangan": "x" * 201}, headers=auth)
    assert too_long.status_code == 422
    too_long = await reporting.get("/laporan-tahunan", params={**params, "penandatangan": "x" * 201}, headers=auth)
    assert too_long.status_code == 422


async def test_the_tanda_terima_is_a_document_with_kop_number_and_indonesian_figures(start_service) -> None:
    from .conftest import PNG
    from .conftest import UNIT as BLITAR
    from .test_intake import form_fields

    reporting = await start_service("reporting")
    response = await reporting.post(
        "/publik/lapor", data=form_fields(), files=[("bukti", ("foto bukti.png", PNG, "image/png"))]
    )
    assert response.status_code == 201, response.text[:2000]
    page = re.sub(r"\s+", " ", response.text)
    assert BLITAR == "35.05"
    assert '<p class="kop-1">BADAN PENGAWAS PEMILIHAN UMUM</p>' in page
    assert '<p class="kop-2">KABUPATEN BLITAR</p>' in page
    assert "TANDA TERIMA PENYAMPAIAN LAPORAN" in page
    assert re.search(r'Nomor: <span id="nomor-tanda-terima">\d{3}/TT/PL/Kab/35\.05/', page)
    assert f"{tanggal(local_date(dt.datetime.now(dt.UTC), BLITAR))} pukul" in page
    assert "Laman web" in page and "Bawaslu Kabupaten Blitar" in page
    size = f"{len(PNG) / 1024:.1f}".replace(".", ",")
    assert f'foto bukti.png <span class="ukuran">({size} KB)</span>' in page
    # on paper: the document, without the site's navigation or the buttons
    assert "@media print" in page and ".layar { display: none; }" in page


def test_a_chart_is_drawn_once_for_the_same_values() -> None:
    data = _data(Divisi.P2H, apk=7)
    report.chart_png.cache_clear()
    first = report.charts(data)
    again = report.charts(_data(Divisi.P2H, apk=7))
    assert again == first and report.chart_png.cache_info().hits == len(first) == 2
    # Other values, another picture: the cache is keyed by what the chart shows.
    other = report.charts(_data(Divisi.P2H, apk=8))
    assert other[0] == first[0] and other[1] != first[1]
    # What was kept is what drawing anew gives.
    buffer = io.BytesIO()
    report.chart_figures(data)[1].savefig(buffer, format="png")
    assert buffer.getvalue() == first[1]
