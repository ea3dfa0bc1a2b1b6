"""Hypothesis strategies for text that looks like what the divisions write: Indonesian dates in
their many shapes, participant counts, budgets, and whole plan documents."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from hypothesis import strategies as st

from awasi_planning.domain.tanggal import MONTH_NAMES

DOCUMENTS = Path(__file__).resolve().parents[2].parent / "shared" / "documents"
KABUPATEN_PLAN = DOCUMENTS / "001_ca2d3250fc9f7651.part1.txt"
PROVINCE_TABLE = DOCUMENTS / "000_a9af13b0eaf7620d.txt"

HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
"""Weekday names, Monday first (``date.weekday()``)."""

WORDS = [
    *MONTH_NAMES.values(),
    *(name.upper() for name in MONTH_NAMES.values()),
    "Jan",
    "Pebruari",
    "Agt",
    "Sept",
    "Okt",
    "Nop",
    "Nopember",
    "Des",
    "Oketober",
    "Desemberr",
    "Novemberr",
    "Juli,",
    "s/d",
    "s.d.",
    "s.d",
    "-",
    "–",
    "—",
    "sampai dengan",
    "sampai",
    "hingga",
    "minggu",
    "Minggu",
    "ke-",
    "ke",
    "pertama",
    "kedua",
    "ketiga",
    "keempat",
    "kelima",
    "terakhir",
    "i",
    "ii",
    "iv",
    "v",
    "bulan",
    "tahun",
    "tanggal",
    "tgl.",
    "hari",
    *HARI,
    "Jum'at,",
    "secara",
    "rutin",
    "sekali",
    "setiap",
    "tiap",
    "kali",
    "x",
    "se",
    "satu",
    "dua",
    "enam",
    "harian",
    "mingguan",
    "bulanan",
    "tahunan",
    "(minggu ketiga)",
    "(",
    ")",
    "Peserta",
    "peserta",
    "orang",
    "Orang",
    "org",
    "personil",
    "berjumlah",
    "sebanyak",
    "sejumlah",
    "yaitu",
    ":",
    "luring",
    "daring",
    "online",
    "offline",
    "tatap muka",
    "zoom",
    "live streaming",
    "minimal",
    "maksimal",
    "paling sedikit",
    "ASN",
    "dapat",
    "melalui",
    "Rp",
    "Rp.",
    "juta",
    "miliar",
    ",-",
    ",00",
    ".",
    ",",
    ";",
    "/",
    "dilaksanakan",
    "pada",
    "bertempat di",
    "Lokasi:",
    "Aula Bawaslu",
    "hybrid",
    "Komisioner",
    "Kecamatan",
]


@functools.cache
def number() -> st.SearchStrategy[str]:
    """A number as plans write it: days, years, counts, with or without thousands dots."""
    return st.one_of(
        st.integers(0, 40).map(str),
        st.integers(1890, 2110).map(str),
        st.integers(0, 10**7).map(str),
        st.integers(0, 10**24).map(lambda n: f"{n:,}".replace(",", ".")),
        st.sampled_from(["01", "02", "09", "00", "2023", "2024", "1.000", "999.999.999", "1,5"]),
    )


@functools.cache
def indonesian_text(max_words: int = 14) -> st.SearchStrategy[str]:
    """Words, numbers and punctuation of plans in random order, now and then with any text."""
    token = st.one_of(st.sampled_from(WORDS), number(), st.text(max_size=4))
    return st.lists(token, max_size=max_words).map(" ".join)


@functools.cache
def any_text() -> st.SearchStrategy[str]:
    return st.one_of(indonesian_text(), st.text(max_size=200))


def tanggal_words(day: dt.date, *, weekday: bool = False, padded: bool = False) -> str:
    """A date written the way plans write it: '3 Maret 2025', 'Senin, 03 Maret 2025'."""
    text = f"{day.day:02d}" if padded else str(day.day)
    text = f"{text} {MONTH_NAMES[day.month]} {day.year}"
    return f"{HARI[day.weekday()]}, {text}" if weekday else text


@functools.cache
def dates(start: int = 2000, end: int = 2099) -> st.SearchStrategy[dt.date]:
    return st.dates(dt.date(start, 1, 1), dt.date(end, 12, 31))


# --- whole documents -------------------------------------------------------------------------

SECTIONS = [
    "I. Latar Belakang",
    "II. Tujuan",
    "III. Output dan Sasaran",
    "IV. Indikator Komponen Input",
    "V. Pelaksanaan",
    "I Latar Belakang",
    "Tujuan Kegiatan",
    "Output dan Sasaran:",
    "IV. Indikator Komponen Input'",
    "V. Ouptut dan Sasaran",
    "A. Latar Belakang",
    "VI. Penutup",
]
HEADINGS = [
    "DIVISI HUKUM DAN PENYELESAIAN SENGKETA",
    "DIVISI SUMBER DAYA MANUSIA DAN ORGANISASI",
    "DIVISI PENCEGAHAN, PARTISIPASI MASYARAKAT DAN HUBUNGAN MASYARAKAT",
    "Divisi Penanganan Pelanggaran dan Data Informasi",
    "DIVISI LAIN-LAIN",
    "DAFTAR RENCANA KEGIATAN",
]
TITLES = [
    "RENCANA KEGIATAN BAWASLU KABUPATEN BLITAR TAHUN 2023",
    "RENCANA KEGIATAN BAWASLU PROVINSI BANTEN TAHUN 2024",
    "RENCANA KEGIATAN TAHUN 2022",
    "Rencana Kegiatan Divisi Hukum",
    "BAWASLU RI",
    "",
]
KEGIATAN = [
    "Rapat Koordinasi Pengawasan Kampanye",
    "Sosialisasi Pengawasan Partisipatif",
    "Bimbingan Teknis Penanganan Pelanggaran",
    "Forum Warga",
    "Penyusunan Laporan Tahunan",
    "Patroli Pengawasan",
]
TABLE_HEADERS = [
    "No\tKegiatan\tTanggal\tRincian",
    "| No | Nama Kegiatan | Waktu Pelaksanaan | Peserta | Anggaran |",
    "No\tKegiatan\tJadwal\tTempat\tMetode\tDivisi",
]


SECTION_BODY = st.lists(st.one_of(indonesian_text(), st.sampled_from(["", "- ", "a. ", "✓ "])), max_size=3)


@st.composite
def plan_lines(draw: st.DrawFn) -> list[str]:
    """A plan document's lines: title, divisions, numbered kegiatan with sections, tables, and
    noise, in a shape close enough to real plans to reach deep into the importer."""
    lines: list[str] = [draw(st.sampled_from(TITLES))]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            lines.append(draw(st.sampled_from(HEADINGS)))
        elif kind == 1:
            lines.append(draw(st.sampled_from(TABLE_HEADERS)))
            for n in range(1, draw(st.integers(1, 3)) + 1):
                cells = [str(n), draw(st.sampled_from(KEGIATAN)), draw(indonesian_text(6)), draw(indonesian_text(6))]
                sep = "\t" if draw(st.booleans()) else " | "
                lines.append(sep.join(cells))
        elif kind == 2:
            lines.append(draw(any_text()))
        else:
            number_ = draw(st.integers(0, 14))
            lines.append(f"{number_}. {draw(st.sampled_from(KEGIATAN))} {draw(indonesian_text(3))}")
            for section in draw(st.lists(st.sampled_from(SECTIONS), min_size=1, max_size=6)):
                lines.append(section)
                lines.extend(draw(SECTION_BODY))
    return lines


@st.composite
def mutated_plan(draw: st.DrawFn) -> list[str]:
    """A real plan from the shared documents, cut, repeated and scribbled on."""
    source = draw(st.sampled_from([KABUPATEN_PLAN, PROVINCE_TABLE]))
    lines = source.read_text(encoding="utf-8").splitlines()
    start = draw(st.integers(0, len(lines) - 1))
    length = draw(st.integers(1, 160))
    part = lines[start : start + length]
    if draw(st.booleans()):
        part = lines[:8] + part  # keep the title: the unit and the year
    for _ in range(draw(st.integers(0, 6))):
        position = draw(st.integers(0, len(part)))
        action = draw(st.integers(0, 3))
        if action == 0:
            part.insert(position, draw(any_text()))
        elif action == 1 and part:
            del part[min(position, len(part) - 1)]
        elif action == 2 and part:
            part.insert(position, part[min(position, len(part) - 1)])
        elif part:
            index = min(position, len(part) - 1)
            part[index] = part[index] + " " + draw(indonesian_text(5))
    return part
