"""The pure reading functions of the planning domain: Indonesian schedules, participant counts
and the structure of plan documents (no service, no I/O beyond reading the shared files)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from awasi_common.vocabulary import Divisi, Program
from awasi_planning.domain.importer import Baris, BukanRencana, parse_plan, section_of
from awasi_planning.domain.model import Jenis, Metode, Presisi
from awasi_planning.domain.peserta import read_line, read_participants
from awasi_planning.domain.tanggal import read_schedule, week_window

DOCUMENTS = Path(__file__).resolve().parents[2].parent / "shared" / "documents"
KABUPATEN_PLAN = DOCUMENTS / "001_ca2d3250fc9f7651.part1.txt"
D = dt.date


def lines_of(text: str) -> list[Baris]:
    return [Baris(i, line, f"baris {i}") for i, line in enumerate(text.splitlines(), start=1)]


@pytest.mark.parametrize(
    ("text", "year", "window", "presisi"),
    [
        ("17 – 20 Mei 2022", None, (D(2022, 5, 17), D(2022, 5, 20)), Presisi.RENTANG_TANGGAL),
        ("24 Mei – 02 Juni 2022", None, (D(2022, 5, 24), D(2022, 6, 2)), Presisi.RENTANG_TANGGAL),
        ("Juni – Juli 2022", None, (D(2022, 6, 1), D(2022, 7, 31)), Presisi.RENTANG_BULAN),
        (
            "tanggal 24 September 2023 s/d 3 oktober 2023",
            None,
            (D(2023, 9, 24), D(2023, 10, 3)),
            Presisi.RENTANG_TANGGAL,
        ),
        (
            "minggu keempat bulan Desember tahun 2023",
            None,
            (D(2023, 12, 22), D(2023, 12, 31)),
            Presisi.MINGGU,
        ),
        ("November minggu ketiga", 2023, (D(2023, 11, 15), D(2023, 11, 21)), Presisi.MINGGU),
        ("pada bulan Oktober tahun 2023", None, (D(2023, 10, 1), D(2023, 10, 31)), Presisi.BULAN),
        (
            "mulai hari Rabu tanggal 4 Oketober 2023 s/d hari Rabu 18 Oktober 2023",
            None,
            (D(2023, 10, 4), D(2023, 10, 18)),
            Presisi.RENTANG_TANGGAL,
        ),
        ("pada minggu pertama bulan Desemberr 2023.", None, (D(2023, 12, 1), D(2023, 12, 7)), Presisi.MINGGU),
        ("tanggal 6 November 2023 (minggu pertama bulan Nopember)", None, (D(2023, 11, 6),) * 2, Presisi.TANGGAL),
        ("09 Agustus 2022", None, (D(2022, 8, 9),) * 2, Presisi.TANGGAL),
        ("tanggal 4 s/d 18 Oktober 2023", None, (D(2023, 10, 4), D(2023, 10, 18)), Presisi.RENTANG_TANGGAL),
        ("Desember – Januari 2024", None, (D(2023, 12, 1), D(2024, 1, 31)), Presisi.RENTANG_BULAN),
        ("minggu ke-2 bulan Februari 2024", None, (D(2024, 2, 8), D(2024, 2, 14)), Presisi.MINGGU),
        # "ke-3 Oktober" is the week's number, not the 3rd of October.
        ("minggu ke-3 Oktober 2023", None, (D(2023, 10, 15), D(2023, 10, 21)), Presisi.MINGGU),
        ("minggu ke 2 Oktober 2023", None, (D(2023, 10, 8), D(2023, 10, 14)), Presisi.MINGGU),
        ("minggu ke-4 Desember", 2023, (D(2023, 12, 22), D(2023, 12, 31)), Presisi.MINGGU),
        ("tanggal 5 dan 6 Oktober 2023", None, (D(2023, 10, 5), D(2023, 10, 6)), Presisi.RENTANG_TANGGAL),
        ("pada pekan kedua Maret 2024", None, (D(2024, 3, 8), D(2024, 3, 14)), Presisi.MINGGU),
        ("12 Okt 2023", None, (D(2023, 10, 12),) * 2, Presisi.TANGGAL),
    ],
)
def test_schedules_in_indonesian_prose(
    text: str, year: int | None, window: tuple[dt.date, dt.date], presisi: Presisi
) -> None:
    read = read_schedule(text, year)
    assert read is not None
    assert (read.mulai, read.selesai, read.presisi) == (*window, presisi)


def test_recurring_schedules_span_their_window_or_the_plan_period() -> None:
    period = (D(2023, 9, 1), D(2023, 12, 31))
    monthly = read_schedule("Rapat evaluasi dilaksanakan secara rutin 1 bulan sekali", 2023, period=period)
    assert monthly is not None
    assert (monthly.mulai, monthly.selesai, monthly.presisi) == (*period, Presisi.BERULANG)
    assert monthly.pengulangan == "FREQ=MONTHLY;INTERVAL=1"
    assert monthly.keterangan == "secara rutin 1 bulan sekali"

    bounded = read_schedule("setiap minggu selama Juni – Agustus 2024", None)
    assert bounded is not None and bounded.pengulangan == "FREQ=WEEKLY;INTERVAL=1"
    assert (bounded.mulai, bounded.selesai) == (D(2024, 6, 1), D(2024, 8, 31))

    assert read_schedule("2 minggu sekali", None, period=period).pengulangan == "FREQ=WEEKLY;INTERVAL=2"  # type: ignore[union-attr]
    mondays = read_schedule("Piket pengaduan setiap hari Senin", 2023, period=period)
    assert mondays is not None and mondays.pengulangan == "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"
    assert read_schedule("setiap Jumat", 2023, period=period).pengulangan.endswith("BYDAY=FR")  # type: ignore[union-attr]
    quarterly = read_schedule("Evaluasi dilaksanakan setiap 3 bulan", 2023, period=period)
    assert quarterly is not None and quarterly.pengulangan == "FREQ=MONTHLY;INTERVAL=3"
    from_january = read_schedule("secara rutin 1 bulan sekali mulai Januari 2024", None)
    assert from_january is not None and (from_january.mulai, from_january.selesai) == (D(2024, 1, 1), D(2024, 12, 31))
    # Without a window and without a period there is nothing to repeat over.
    assert read_schedule("secara rutin 1 bulan sekali", None) is None
    # A precise date wins over a habit mentioned beside it.
    dated = read_schedule("tanggal 14 November 2023; piket dilaksanakan setiap hari", None)
    assert dated is not None and dated.presisi == Presisi.TANGGAL


@pytest.mark.parametrize(
    "text",
    [
        "31 November 2023",  # no such day
        "20 – 17 Mei 2022",  # ends before it starts
        "minggu kelima bulan Februari 2023",  # February 2023 has no 29th
        "November minggu ketiga",  # no year, no title year
        "Pasal 93 huruf b Undang-Undang Nomor 7 Tahun 2017",  # numbers, but no date
        "Bapak Agus dan Ibu Mei hadir",
    ],
)
def test_what_is_no_schedule_is_not_read_as_one(text: str) -> None:
    assert read_schedule(text, None) is None


def test_the_documents_own_weeks_agree_with_their_dates() -> None:
    """Every "tanggal D M Y (minggu ke-N bulan M)" of the Blitar plan: the date lies in the week
    this module gives that phrase — the convention is the documents' own."""
    text = KABUPATEN_PLAN.read_text(encoding="utf-8")
    pairs = re.findall(r"tanggal (\d+ \w+ \d{4}) \(((?:M|m)inggu [^)]+)\)", text)
    assert len(pairs) == 8
    for date_text, week_text in pairs:
        date = read_schedule(date_text, None)
        week = read_schedule(week_text, date.mulai.year if date else None)
        assert date is not None and week is not None, (date_text, week_text)
        assert week.presisi == Presisi.MINGGU
        assert week.mulai <= date.mulai <= week.selesai, (date_text, week_text)
    assert week_window(2023, 10, 4) == (D(2023, 10, 22), D(2023, 10, 31))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Peserta 66 Orang", (66, None, None, None)),
        ("100 Luring minimal 500 ASN dapat daring Zoom", (600, 100, 500, "ASN (daring, minimal 500)")),
        (
            "Jumlah peserta dari unsur komisioner di tingkat kecamatan berjumlah 66 Orang.",
            (66, None, None, "komisioner di tingkat kecamatan"),
        ),
        (
            "Jumlah peserta dari unsur sekretariat berjumlah 22 orang/ 1 orang di tiap kecamatan.",
            (22, None, None, "sekretariat"),
        ),
        ("Jumlah peserta yang hadir dalam kegiatan adalah 22 Orang.", (22, None, None, None)),
        ("Peserta: 150 oarang pemilih pemula", (150, None, None, "pemilih pemula")),
        ("Melakukan supervisi dan pembinaan di 22 Kecamatan di Kabupaten Blitar", (None, None, None, None)),
        ("Jumlah peserta yang hadir dalam kegiatan", (None, None, None, None)),
    ],
)
def test_participant_counts(line: str, expected: tuple[object, ...]) -> None:
    assert read_line(line) == expected


def test_participants_add_up_and_give_the_method() -> None:
    read = read_participants(["Peserta: 100 Luring minimal 500 ASN dapat daring Zoom"])
    assert read is not None
    assert (read.target.jumlah, read.target.luring, read.target.daring) == (600, 100, 500)
    assert read.metode == Metode.HYBRID
    two = read_participants(
        [
            "Jumlah peserta dari unsur komisioner di tingkat kecamatan berjumlah 66 Orang.",
            "Jumlah peserta dari unsur sekretariat berjumlah 22 orang/ 1 orang di tiap kecamatan.",
        ]
    )
    assert two is not None and two.target.jumlah == 88 and two.metode is None
    assert read_participants(["Ruang pelatihan yang memadai"]) is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("I. Latar Belakang", 1),
        ("II. Tujuan Kegiatan", 2),
        ("III. Ouptut dan Sasaran Kegiatan", 3),
        ("III. Ouput dan Sasaran Kegiatan", 3),
        ("IV. Indikator Komponen Input'", 4),
        ("V. Pelaksanaan Kegiatan", 5),
        ("Latar Belakang", 1),
        ("**Pelaksanaan Kegiatan**", 5),
        ("VI. Penutup", 0),
        ("b. Sasaran :", None),
        ("- **Output:**", None),
        ("sasaran pelayanan.", None),
        ("Pelaksanaan kegiatan ini dilaksanakan pada minggu kedua bulan November 2023", None),
        ("Tujuan kegiatan ini adalah meningkatkan kapasitas", None),
    ],
)
def test_section_headings_whatever_their_spelling(line: str, kind: int | None) -> None:
    assert section_of(line) == kind


# A P2H plan written for these tests in the documents' format, with the phrases the issue names.
P2H_PLAN = """\
RENCANA KEGIATAN TAHUN 2023 BAWASLU KOTA BLITAR

DIVISI PENCEGAHAN, PARTISIPASI MASYARAKAT DAN HUMAS

1. Rencana Kegiatan Sosialisasi Pengawasan Partisipatif bagi ASN

I. Latar Belakang

Netralitas ASN menjadi perhatian dalam setiap tahapan pemilu.

II. Tujuan Kegiatan

✓ Meningkatkan pemahaman ASN tentang larangan dalam kampanye;
✓ Mengajak ASN melaporkan dugaan pelanggaran.

III. Ouptut dan Sasaran Kegiatan

- Output : ASN memahami larangan keterlibatan dalam kampanye.
- Sasaran : ASN di lingkungan Pemerintah Kota Blitar.

IV. Indikator Komponen Input

- Peserta: 100 Luring minimal 500 ASN dapat daring Zoom
- Anggaran: Rp 15.000.000
- Sarana: Ruang rapat dan perangkat siaran daring

V. Pelaksanaan Kegiatan

Kegiatan dilaksanakan November minggu ketiga bertempat di Aula Bawaslu Kota Blitar.

VI. Penutup

Demikian rencana ini disusun.

2. Forum Warga Kelurahan Sananwetan

Catatan tulisan tangan: mohon dicek ulang

I. Latar Belakang

Warga perlu dilibatkan dalam pengawasan.

V. Pelaksanaan Kegiatan

Forum dilaksanakan pada bulan Oktober tahun 2023 dengan Peserta 66 Orang secara luring.

3. Rapat Evaluasi Pengawasan Partisipatif

I. Latar Belakang

Evaluasi berkala atas pengawasan partisipatif.

V. Pelaksanaan Kegiatan

Rapat evaluasi dilaksanakan secara rutin 1 bulan sekali.

4. Pembinaan Kader Pengawas

I. Latar Belakang

Kader perlu dibina.

V. Pelaksanaan Kegiatan

Waktu pelaksanaan akan ditentukan kemudian.
"""


def test_a_plan_in_the_documents_format() -> None:
    plan = parse_plan(lines_of(P2H_PLAN))
    assert plan.unit_nama == "Kota Blitar" and plan.tahun == 2023
    assert [k.divisi for k in plan.kegiatan] == [Divisi.P2H] * 4
    asn, forum, rapat, kader = plan.kegiatan

    assert asn.judul == "Sosialisasi Pengawasan Partisipatif bagi ASN" and asn.jenis == Jenis.SOSIALISASI
    assert asn.tujuan == [
        "Meningkatkan pemahaman ASN tentang larangan dalam kampanye;",
        "Mengajak ASN melaporkan dugaan pelanggaran.",
    ]
    assert asn.output == ["ASN memahami larangan keterlibatan dalam kampanye."]
    assert asn.sasaran == ["ASN di lingkungan Pemerintah Kota Blitar."]
    assert (asn.target_peserta.jumlah, asn.target_peserta.luring, asn.target_peserta.daring) == (600, 100, 500)
    assert asn.metode == Metode.HYBRID and asn.anggaran == 15_000_000
    assert asn.lokasi == "Aula Bawaslu Kota Blitar"
    assert asn.indikator_input.anggaran == ["Rp 15.000.000"]
    assert asn.jadwal is not None
    assert (asn.jadwal.mulai, asn.jadwal.selesai, asn.jadwal.presisi) == (
        D(2023, 11, 15),
        D(2023, 11, 21),
        Presisi.MINGGU,
    )
    # The unknown section VI is kept on the plan, with its lines.
    assert [c.render() for c in asn.catatan] == [
        "baris 31 — bagian tidak dikenal: VI. Penutup",
        "baris 33 — isi bagian tidak dikenal: Demikian rencana ini disusun.",
    ]

    assert forum.program == Program.FORUM_WARGA and forum.target_peserta.jumlah == 66
    assert forum.metode == Metode.LURING
    assert forum.jadwal is not None and (forum.jadwal.mulai, forum.jadwal.selesai) == (D(2023, 10, 1), D(2023, 10, 31))
    assert [c.render() for c in forum.catatan] == [
        "baris 37 — teks sebelum bagian I, tidak diimpor ke bidang mana pun: Catatan tulisan tangan: mohon dicek ulang"
    ]

    # Recurring over the plan's period: from its first scheduled month to the year's end.
    assert rapat.jadwal is not None and rapat.jadwal.presisi == Presisi.BERULANG
    assert (rapat.jadwal.mulai, rapat.jadwal.selesai) == (D(2023, 10, 1), D(2023, 12, 31))
    assert rapat.jadwal.pengulangan == "FREQ=MONTHLY;INTERVAL=1"

    # No schedule: kept as a draft over the period, and said so with the line.
    assert not kader.terjadwal and kader.jadwal is not None
    assert [c.render() for c in kader.catatan] == [
        "baris 65 — jadwal tidak dapat dibaca: Waktu pelaksanaan akan ditentukan kemudian.",
        "baris 57 — jadwal tidak ditemukan; kegiatan disimpan sebagai draft: Pembinaan Kader Pengawas",
    ]


def test_a_pipe_table_with_its_own_division_column() -> None:
    text = """\
| No | Kegiatan | Tanggal | Lokasi | Divisi | Peserta | Kolom Lain |
|----|----------|---------|--------|--------|---------|------------|
| 1 | Patroli Pengawasan Masa Tenang | 11 – 13 Februari 2024 | Kecamatan Wlingi | P2H | 30 orang | x |
| 2 | Rapat Koordinasi Sentra Gakkumdu | 5 Maret 2024 | Kantor Bawaslu | PP-Datin | Peserta 12 Orang | y |
"""
    plan = parse_plan(lines_of(text))
    patroli, rakor = plan.kegiatan
    assert (patroli.divisi, patroli.jenis, patroli.lokasi) == (
        Divisi.P2H,
        Jenis.PATROLI_PENGAWASAN,
        "Kecamatan Wlingi",
    )
    assert patroli.jadwal is not None and patroli.jadwal.mulai == D(2024, 2, 11)
    assert patroli.target_peserta.jumlah == 30
    assert rakor.divisi == Divisi.PP_DATIN and rakor.target_peserta.jumlah == 12
    assert patroli.catatan[0].alasan == "kolom tidak dikenal" and patroli.catatan[0].teks == "Kolom Lain: x"


def test_a_table_date_cell_that_cannot_be_read_is_kept_as_a_note() -> None:
    text = """\
| No | Kegiatan | Tanggal |
|----|----------|---------|
| 1 | Rapat Koordinasi Tahun 2024 | 5 Maret 2024 |
| 2 | Sosialisasi Pemilih Pemula | 20 – 17 Mei 2024 |
| 3 | Bimbingan Teknis PKD | belum ditentukan |
"""
    plan = parse_plan(lines_of(text))
    _, reversed_range, undecided = plan.kegiatan
    for item, cell in ((reversed_range, "20 – 17 Mei 2024"), (undecided, "belum ditentukan")):
        assert not item.terjadwal
        assert ("jadwal tidak dapat dibaca", cell) in [(c.alasan, c.teks) for c in item.catatan]


@pytest.mark.parametrize("name", ["002_e064850260b89908.txt", "003_d285a43d48e08c3c.txt", "004_d8167277247cd537.txt"])
def test_documents_that_are_no_plan_are_refused(name: str) -> None:
    text = (DOCUMENTS / name).read_text(encoding="utf-8")
    with pytest.raises(BukanRencana):
        parse_plan(lines_of(text))
