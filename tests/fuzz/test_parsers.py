"""Hypothesis on planning's pure readers: the Indonesian dates (``tanggal``), the participant counts
(``peserta``) and the plan document importer (``importer``). Any text in gives either a reading
or an explained refusal (a DomainError with an Indonesian message), never another exception;
what is read is well-formed (a window that ends on or after it starts, counts and amounts that fit
where they are kept); and what a person writes in the usual ways reads back to what was meant."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from awasi_common.errors import DomainError
from awasi_planning.domain import peserta, tanggal
from awasi_planning.domain.importer import JADWAL_TIDAK_DISEBUT, Baris, BukanRencana, parse_plan, to_kegiatan
from awasi_planning.domain.model import MAX_PESERTA, MAX_RUPIAH, TAHUN_AKHIR, TAHUN_AWAL, Jadwal, Presisi
from awasi_planning.entrypoints.schemas import JadwalIn
from awasi_planning.service_layer.importing import plan_import

from .harness import untranslated
from .strategies import (
    HARI,
    MONTH_NAMES,
    any_text,
    dates,
    mutated_plan,
    plan_lines,
    tanggal_words,
)


def seeded(max_examples: int) -> settings:
    """Deterministic runs: the same examples every time (``derandomize``), no example database."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


RRULE = re.compile(r"^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Z0-9,+-]+)*$")


def assert_well_formed(read: tanggal.ScheduleRead) -> None:
    assert read.mulai <= read.selesai, read
    assert read.mulai.year >= TAHUN_AWAL and read.selesai.year <= TAHUN_AKHIR, read
    assert isinstance(read.presisi, Presisi)
    assert read.keterangan.strip() and len(read.keterangan) <= 500, read
    if read.presisi == Presisi.BERULANG:
        assert read.pengulangan and RRULE.match(read.pengulangan), read
    else:
        assert read.pengulangan is None
    # What the importer builds from it, and what the HTTP API would accept.
    Jadwal(read.mulai, read.selesai, read.presisi, read.keterangan, read.pengulangan)
    JadwalIn(
        mulai=read.mulai,
        selesai=read.selesai,
        presisi=read.presisi,
        keterangan=read.keterangan,
        pengulangan=read.pengulangan,
    )


# --- tanggal ---------------------------------------------------------------------------------


@seeded(600)
@given(
    text=any_text(),
    default_year=st.one_of(st.none(), st.integers(1, 9999)),
    period=st.one_of(st.none(), st.tuples(dates(), dates()).map(sorted).map(tuple)),
)
@example(text="31 November 2023", default_year=None, period=None)
@example(text="minggu kelima Februari 2023", default_year=None, period=None)
@example(text="24 Desember – 02 Januari", default_year=1, period=None)
@example(text="17 Mei 0999", default_year=None, period=None)
@example(text="İ 17 mei 2022", default_year=None, period=None)
def test_any_text_reads_as_a_window_or_nothing(
    text: str, default_year: int | None, period: tuple[dt.date, dt.date] | None
) -> None:
    read = tanggal.read_schedule(text, default_year, period=period)
    if read is not None:
        assert_well_formed(read)
    assert isinstance(tanggal.mentions_schedule(text), bool)


@seeded(300)
@given(day=dates(), weekday=st.booleans(), padded=st.booleans(), prefix=st.sampled_from(["", "tanggal ", "pada "]))
def test_a_date_in_words_reads_back(day: dt.date, weekday: bool, padded: bool, prefix: str) -> None:
    text = f"Dilaksanakan {prefix}{tanggal_words(day, weekday=weekday, padded=padded)} di Aula"
    read = tanggal.read_schedule(text)
    assert read is not None, text
    assert (read.mulai, read.selesai, read.presisi) == (day, day, Presisi.TANGGAL), text
    assert_well_formed(read)
    # Case and a missing year (taken from the document's title) change nothing.
    upper = tanggal.read_schedule(text.upper())
    assert upper is not None and (upper.mulai, upper.selesai, upper.presisi) == (day, day, Presisi.TANGGAL)
    without_year = f"{day.day} {MONTH_NAMES[day.month]}"
    assert (tanggal.read_schedule(without_year, day.year) or read).mulai == day


@seeded(300)
@given(first=dates(), days=st.integers(0, 400), separator=st.sampled_from([" s/d ", " – ", " - ", " sampai dengan "]))
def test_a_range_in_words_reads_back_in_order(first: dt.date, days: int, separator: str) -> None:
    last = min(first + dt.timedelta(days=days), dt.date(2099, 12, 31))
    full = f"{tanggal_words(first)}{separator}{tanggal_words(last)}"
    read = tanggal.read_schedule(full)
    assert read is not None, full
    assert (read.mulai, read.selesai) == (first, last), full
    assert read.presisi == (Presisi.RENTANG_TANGGAL if first != last or "s/d" in separator else read.presisi)
    assert_well_formed(read)
    # The short forms plans use: "17 – 20 Mei 2022", "24 Desember – 02 Januari 2024".
    if first.year == last.year or (first.month > last.month and first.year + 1 == last.year):
        head = str(first.day) if (first.year, first.month) == (last.year, last.month) else tanggal_words(first)[:-5]
        short = f"{head}{separator}{tanggal_words(last)}"
        read = tanggal.read_schedule(short)
        assert read is not None and (read.mulai, read.selesai) == (first, last), short


@seeded(200)
@given(first=dates(), last=dates())
def test_a_range_that_ends_before_it_starts_is_no_range(first: dt.date, last: dt.date) -> None:
    read = tanggal.read_schedule(f"{tanggal_words(first)} s/d {tanggal_words(last)}")
    if last < first:
        # A wrong range is no reading at all, not one of its dates or months.
        assert read is None
    else:
        assert read is not None and (read.mulai, read.selesai) == (first, last)
        assert_well_formed(read)


@seeded(200)
@given(
    year=st.integers(2000, 2099),
    month=st.integers(1, 12),
    week=st.integers(1, 5),
    words=st.booleans(),
    order=st.booleans(),
)
def test_weeks_and_months_in_words_read_back(year: int, month: int, week: int, words: bool, order: bool) -> None:
    name = MONTH_NAMES[month]
    end_of_month = calendar.monthrange(year, month)[1]
    ordinal = ["pertama", "kedua", "ketiga", "keempat", "kelima"][week - 1] if words else f"ke-{week}"
    text = f"minggu {ordinal} bulan {name} {year}" if order else f"{name} {year} minggu {ordinal}"
    read = tanggal.read_schedule(text)
    if week == 5 and end_of_month < 29:
        assert read is None or read.presisi != Presisi.MINGGU, text
    else:
        assert read is not None and read.presisi == Presisi.MINGGU, text
        assert read.mulai == dt.date(year, month, 7 * (week - 1) + 1)
        assert read.selesai == (dt.date(year, month, end_of_month) if week >= 4 else dt.date(year, month, 7 * week))
    month_read = tanggal.read_schedule(f"pada bulan {name} tahun {year}")
    assert month_read is not None and month_read.presisi == Presisi.BULAN
    assert (month_read.mulai, month_read.selesai) == (dt.date(year, month, 1), dt.date(year, month, end_of_month))


@seeded(100)
@given(
    n=st.integers(1, 12), unit=st.sampled_from(["hari", "minggu", "bulan", "tahun"]), period=st.tuples(dates(), dates())
)
def test_recurring_phrases_make_a_valid_rrule(n: int, unit: str, period: tuple[dt.date, dt.date]) -> None:
    window = (min(period), max(period))
    read = tanggal.read_schedule(f"secara rutin {n} {unit} sekali", period=window)
    assert read is not None and read.presisi == Presisi.BERULANG
    frequency = {"hari": "DAILY", "minggu": "WEEKLY", "bulan": "MONTHLY", "tahun": "YEARLY"}[unit]
    assert read.pengulangan == f"FREQ={frequency};INTERVAL={n}"
    assert (read.mulai, read.selesai) == window
    assert_well_formed(read)


@seeded(100)
@given(word=st.sampled_from([*tanggal.MONTHS, "Oketober", "Desemberr", "Nopember", "Pebruari"]), mangle=st.booleans())
def test_month_names_and_their_typos(word: str, mangle: bool) -> None:
    number = tanggal.month_number(word.upper() if mangle else word)
    assert number is not None and 1 <= number <= 12


def test_weekday_names_match_python() -> None:
    assert HARI[dt.date(2024, 3, 4).weekday()] == "Senin"  # the strategies write true weekdays


# --- peserta ---------------------------------------------------------------------------------


def dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@seeded(600)
@given(line=any_text())
@example(line="Peserta 1.000.000.000.000 orang")
@example(line="100 luring minimal 999.999.999 ASN dapat daring zoom")
def test_any_line_gives_a_count_that_fits_or_none(line: str) -> None:
    n, luring, daring, who = peserta.read_line(line)
    if n is None:
        assert (luring, daring, who) == (None, None, None)
        return
    assert 0 <= n <= MAX_PESERTA, line
    if luring is not None or daring is not None:
        assert n == (luring or 0) + (daring or 0)
    assert who is None or (who.strip() and len(who) <= 200)


@seeded(300)
@given(lines=st.lists(any_text(), max_size=8))
def test_any_lines_give_a_target_that_fits_or_none(lines: list[str]) -> None:
    read = peserta.read_participants(lines)
    if read is None:
        return
    target = read.target
    assert target.jumlah is not None and 0 <= target.jumlah <= MAX_PESERTA
    assert all(0 <= index < len(lines) for index in read.lines)
    assert (target.luring or 0) + (target.daring or 0) <= target.jumlah
    expected = {
        (True, True): "hybrid",
        (True, False): "luring",
        (False, True): "daring",
        (False, False): None,
    }[(bool(target.luring), bool(target.daring))]
    assert (read.metode.value if read.metode else None) == expected
    assert target.keterangan is None or len(target.keterangan) <= 1000


@seeded(300)
@given(
    n=st.integers(0, MAX_PESERTA),
    style=st.sampled_from(["Peserta {} Orang", "Jumlah peserta berjumlah {} orang", "peserta sebanyak {} personil"]),
    dots=st.booleans(),
)
def test_a_count_in_words_reads_back(n: int, style: str, dots: bool) -> None:
    written = dotted(n) if dots else str(n)
    if not dots and n > 999_999:
        written = dotted(n)  # plans write big numbers with thousands dots
    line = style.format(written)
    assert peserta.read_line(line)[0] == n, line
    read = peserta.read_participants([line])
    assert read is not None and read.target.jumlah == n


@seeded(200)
@given(offline=st.integers(1, 99_999), online=st.integers(1, 99_999))
def test_luring_and_daring_are_kept_apart(offline: int, online: int) -> None:
    line = f"{offline} orang luring, {online} orang daring melalui Zoom"
    assert peserta.read_line(line)[:3] == (offline + online, offline, online), line
    read = peserta.read_participants([line])
    assert read is not None and read.metode is not None and read.metode.value == "hybrid"


# --- importer --------------------------------------------------------------------------------


def baris(lines: list[str]) -> list[Baris]:
    return [Baris(i, text, f"baris {i}") for i, text in enumerate(lines, start=1)]


def check_plan(lines: list[str]) -> None:
    """Parse, then turn into kegiatan: either a plan whose every part is well-formed, or an
    explained refusal."""
    try:
        plan = parse_plan(baris(lines), tahun=None)
    except BukanRencana as refusal:
        assert not untranslated(refusal.message) and refusal.field == "berkas"
        return
    assert plan.kegiatan, "a plan is returned only with kegiatan in it"
    assert plan.jumlah_baris == len(lines)
    for note in [*plan.catatan, *(c for k in plan.kegiatan for c in k.catatan)]:
        assert 0 <= note.nomor <= len(lines) and note.alasan.strip(), note  # every note says why
    for item in plan.kegiatan:
        assert item.jadwal is not None and item.jadwal.mulai <= item.jadwal.selesai
        assert item.jadwal.mulai.year >= TAHUN_AWAL and item.jadwal.selesai.year <= TAHUN_AKHIR
        assert item.judul.strip() and len(item.judul) <= 500
        assert 1 <= item.baris.nomor <= len(lines)
        assert item.jadwal.keterangan == JADWAL_TIDAK_DISEBUT or item.jadwal.keterangan
        assert item.anggaran is None or 0 <= item.anggaran <= MAX_RUPIAH, item.anggaran
        target = item.target_peserta
        assert target.jumlah is None or 0 <= target.jumlah <= MAX_PESERTA
    try:
        kegiatan = to_kegiatan("35.05", plan, dokumen="rencana.txt")
    except DomainError as refusal:
        assert not untranslated(refusal.message) and refusal.field == "divisi"
        return
    assert len(kegiatan) == len(plan.kegiatan)
    assert len({k.id for _, k in kegiatan}) == len(kegiatan)  # one id per kegiatan, even for repeated titles


def one_kegiatan(*pelaksanaan: str) -> list[str]:
    return [
        "RENCANA KEGIATAN BAWASLU KABUPATEN BLITAR TAHUN 2023",
        "DIVISI HUKUM DAN PENYELESAIAN SENGKETA",
        "1. Rapat Koordinasi Penanganan Sengketa",
        "I. Latar Belakang",
        "Sengketa proses perlu ditangani bersama.",
        "V. Pelaksanaan",
        *pelaksanaan,
    ]


@seeded(200)
@given(amount=st.integers(0, MAX_RUPIAH), style=st.sampled_from(["Rp {}", "Rp. {},-", "Rp {},00", "rp{}"]))
def test_a_budget_in_rupiah_reads_back(amount: int, style: str) -> None:
    plan = parse_plan(baris(one_kegiatan("Dilaksanakan 3 Maret 2023.", f"Anggaran {style.format(dotted(amount))}")))
    assert plan.kegiatan[0].anggaran == amount


@seeded(200)
@given(whole=st.integers(0, 999), tenths=st.integers(0, 99), unit=st.sampled_from(["juta", "miliar"]))
def test_a_budget_in_juta_or_miliar_reads_back(whole: int, tenths: int, unit: str) -> None:
    written = f"{whole},{tenths:02d}" if tenths else str(whole)
    plan = parse_plan(baris(one_kegiatan("Dilaksanakan 3 Maret 2023.", f"Anggaran Rp {written} {unit}")))
    scale = 1_000_000 if unit == "juta" else 1_000_000_000
    assert plan.kegiatan[0].anggaran == (whole * 100 + tenths) * scale // 100


@seeded(150)
@given(lines=st.lists(any_text(), max_size=30))
def test_any_lines_are_a_plan_or_an_explained_refusal(lines: list[str]) -> None:
    check_plan(lines)


@seeded(250)
@given(lines=plan_lines())
@example(lines=one_kegiatan("Dilaksanakan 3 Maret 2023 dengan anggaran Rp 1,000,000 juta."))
@example(lines=one_kegiatan("Dilaksanakan 3 Maret 2023.", "Anggaran Rp 999.999.999.999.999.999.999"))
@example(lines=one_kegiatan("Peserta 999.999.999.999 orang pada 3 Maret 2023."))
@example(lines=["RENCANA KEGIATAN TAHUN 1900", *one_kegiatan("secara rutin 1 bulan sekali")[1:]])
def test_plan_shaped_documents_are_a_plan_or_an_explained_refusal(lines: list[str]) -> None:
    check_plan(lines)


@seeded(60)
@given(lines=mutated_plan())
def test_real_plans_cut_and_scribbled_on_are_a_plan_or_an_explained_refusal(lines: list[str]) -> None:
    check_plan(lines)


@seeded(200)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=2000).map(str.encode),
        plan_lines().map(lambda lines: "\n".join(lines).encode("utf-8")),
        st.binary(max_size=500).map(lambda tail: b"%PDF-1.4\n" + tail),
        st.binary(max_size=500).map(lambda tail: b"PK\x03\x04" + tail),
    ),
    unit=st.sampled_from([None, "35.05", "99.99", "00"]),
)
def test_any_bytes_are_an_import_plan_or_an_explained_refusal(data: bytes, unit: str | None) -> None:
    """The whole import short of the database: bytes in, an ImportPlan or a 4xx DomainError."""
    try:
        planned = plan_import(data, "berkas.txt", unit=unit)
    except DomainError as refusal:
        assert 400 <= refusal.status_code < 500 and not untranslated(refusal.message), refusal.message
        return
    assert planned.items and planned.unit
