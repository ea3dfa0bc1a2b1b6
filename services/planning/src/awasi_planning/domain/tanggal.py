"""Schedules written in Indonesian prose, read into a window with its precision. No I/O.

Plans say when a kegiatan happens in many ways: "17 – 20 Mei 2022", "24 Mei – 02 Juni 2022",
"Juni – Juli 2022", "tanggal 24 September 2023 s/d 3 oktober 2023", "minggu keempat bulan
Desember tahun 2023", "November minggu ketiga", "pada bulan Oktober tahun 2023", "secara rutin
1 bulan sekali", with typos ("Oketober", "Desemberr", "Nopember"). :func:`read_schedule` finds
the most precise of them in a text; a year left out is taken from ``default_year`` (the
document's title).

Weeks of a month follow the documents' own usage: the first week is days 1–7, the second
8–14, the third 15–21 and the fourth from the 22nd to the month's end ("26 Oktober 2023
(Minggu keempat bulan Oktober)"); a fifth week, when named, is the 29th to the end.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass

from awasi_planning.domain.model import TAHUN_AKHIR, TAHUN_AWAL, Presisi

MONTHS: dict[str, int] = {
    "januari": 1,
    "februari": 2,
    "maret": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "desember": 12,
}
MONTH_NAMES = {number: name.capitalize() for name, number in MONTHS.items()}
_VARIANTS: dict[str, int] = {
    **MONTHS,
    "jan": 1,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agust": 8,
    "agus": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "nopember": 11,
    "nop": 11,
    "des": 12,
}
_FULL = [name for name in _VARIANTS if len(name) >= 5]

_ORDINALS = {
    "pertama": 1,
    "kesatu": 1,
    "kedua": 2,
    "ketiga": 3,
    "keempat": 4,
    "kelima": 5,
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
}
_COUNTS = {"satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "enam": 6}
_FREQ = {"hari": "DAILY", "minggu": "WEEKLY", "pekan": "WEEKLY", "bulan": "MONTHLY", "tahun": "YEARLY"}


@functools.lru_cache(maxsize=4096)
def month_number(word: str) -> int | None:
    """The month a word names, tolerating abbreviations and typos ('Oketober', 'Desemberr')."""
    word = word.lower().strip(".")
    if word in _VARIANTS:
        return _VARIANTS[word]
    if len(word) < 5:
        return None
    close = [c for c in difflib.get_close_matches(word, _FULL, n=3, cutoff=0.8) if c[0] == word[0]]
    return _VARIANTS[close[0]] if close else None


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def week_window(year: int, month: int, week: int | str) -> tuple[dt.date, dt.date]:
    """Days of the n-th week of a month ('terakhir' is the last seven days)."""
    end_of_month = last_day(year, month)
    if week == "terakhir":
        return end_of_month - dt.timedelta(days=6), end_of_month
    assert isinstance(week, int)
    if not 1 <= week <= 5:
        raise ValueError(f"minggu ke-{week} tidak ada")
    start = dt.date(year, month, 7 * (week - 1) + 1)  # raises for a fifth week in February
    end = end_of_month if week >= 4 else dt.date(year, month, 7 * week)
    return start, end


@dataclass(frozen=True)
class ScheduleRead:
    """A window read from text, with the words it was read from."""

    mulai: dt.date
    selesai: dt.date
    presisi: Presisi
    keterangan: str
    pengulangan: str | None = None
    """An RFC 5545 RRULE body ('FREQ=MONTHLY;INTERVAL=1') for recurring kegiatan."""


@dataclass(frozen=True)
class _Found:
    rank: int
    start: int
    end: int
    mulai: dt.date
    selesai: dt.date
    presisi: Presisi


# --- normalisation: one lowercase string with canonical month names and range separators,
# and for each of its characters the position in the original text.

_TOKEN = re.compile(
    r"(?P<range>(?<=\d)\s+dan\s+(?=\d)|s\s*/\s*d\.?|s\.\s*d\.?|sampai\s+dengan|hingga|sampai|[–—]|(?<=\s)-(?=\s)|(?<=\d)-(?=\s*\d)|(?<=\d)\s-|-\s(?=\d))"
    r"|(?P<word>[^\W\d_]+)",
    re.IGNORECASE,
)


def _normalise(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    where: list[int] = []
    position = 0
    for match in _TOKEN.finditer(text):
        for index in range(position, match.start()):
            out.append(text[index].lower())
            where.append(index)
        if match.group("range") is not None:
            replacement = " ~ "
        else:
            word = match.group("word")
            month = month_number(word)
            replacement = _canonical(month) if month else word.lower()
        out.append(replacement)
        where.extend([match.start()] * (len(replacement) - 1) + [match.end() - 1])
        position = match.end()
    for index in range(position, len(text)):
        out.append(text[index].lower())
        where.append(index)
    return "".join(out), where


def _canonical(month: int) -> str:
    return MONTH_NAMES[month].lower()


_M = "(?:" + "|".join(MONTHS) + ")"
_HARI = r"(?:(?:hari\s+)?(?:senin|selasa|rabu|kamis|jum'?at|sabtu|ahad)\s*,?\s+|hari\s+minggu\s*,?\s+)?"
_TGL = r"(?:(?:tanggal|tgl\.?)\s+)?"
_YEAR = r"(?:\s*,?\s+(?:tahun\s+)?(?P<{}>(?:19|20)\d\d))?"
# A day number is not the N of "minggu ke-N" / "ke 3": "minggu ke-3 Oktober" is a week, not 3 October.
_DAY = r"(?<!ke)(?<!ke-)(?<!ke\s)(?<!ke-\s)\b"
_ORD = r"(?:ke\s*-?\s*(?P<wn>[1-5])|(?P<ww>pertama|kesatu|kedua|ketiga|keempat|kelima|terakhir|iv|v|i{1,3})\b)"

_PATTERNS: list[tuple[int, Presisi, re.Pattern[str]]] = [
    (
        6,
        Presisi.RENTANG_TANGGAL,
        re.compile(
            rf"{_DAY}(?P<d1>[0-3]?\d)(?:\s+(?P<m1>{_M}){_YEAR.format('y1')})?\s*~\s*{_HARI}{_TGL}"
            rf"(?P<d2>[0-3]?\d)\s+(?P<m2>{_M}){_YEAR.format('y2')}"
        ),
    ),
    (5, Presisi.TANGGAL, re.compile(rf"{_DAY}(?P<d1>[0-3]?\d)\s+(?P<m1>{_M}){_YEAR.format('y1')}")),
    (
        4,
        Presisi.MINGGU,
        re.compile(rf"\b(?:minggu|pekan)\s+{_ORD}\s*(?:di\s+)?(?:bulan\s+)?(?P<m1>{_M}){_YEAR.format('y1')}"),
    ),
    (
        4,
        Presisi.MINGGU,
        re.compile(rf"\b(?:bulan\s+)?(?P<m1>{_M}){_YEAR.format('y1')}\s*,?\s*(?:minggu|pekan)\s+{_ORD}"),
    ),
    (
        3,
        Presisi.RENTANG_BULAN,
        re.compile(
            rf"\b(?:bulan\s+)?(?P<m1>{_M}){_YEAR.format('y1')}\s*~\s*(?:bulan\s+)?(?P<m2>{_M}){_YEAR.format('y2')}"
        ),
    ),
    (2, Presisi.BULAN, re.compile(rf"\bbulan\s+(?P<m1>{_M}){_YEAR.format('y1')}")),
    (2, Presisi.BULAN, re.compile(rf"\b(?P<m1>{_M})\s+(?:tahun\s+)?(?P<y1>(?:19|20)\d\d)")),
]

_WEEKDAY = {"senin": "MO", "selasa": "TU", "rabu": "WE", "kamis": "TH", "jumat": "FR", "jum'at": "FR", "sabtu": "SA"}
_ON_WEEKDAY = re.compile(r"\b(?:setiap|tiap)\s+(?:hari\s+)?(?P<day>senin|selasa|rabu|kamis|jum'?at|sabtu)\b")

_RECURRING = [
    re.compile(
        r"\b(?:secara\s+)?(?:rutin\s+)?(?:(?P<n>\d{1,2}|satu|dua|tiga|empat|enam)\s*(?:x\s*|kali\s+)?)?"
        r"(?:se)?(?P<unit>hari|minggu|pekan|bulan|tahun)\s+sekali\b"
    ),
    re.compile(
        r"\b(?:secara\s+rutin\s+)?(?:setiap|tiap|tiap-tiap)\s+(?:(?P<n>\d{1,2}|satu|dua|tiga|empat|enam)\s+)?"
        r"(?P<unit>hari|minggu|pekan|bulan|tahun)\b"
    ),
    re.compile(r"\bsecara\s+(?P<unit>harian|mingguan|bulanan|tahunan)\b"),
]
_ADJECTIVE = {"harian": "hari", "mingguan": "minggu", "bulanan": "bulan", "tahunan": "tahun"}


def _window(rank: int, presisi: Presisi, m: re.Match[str], default_year: int | None) -> tuple[dt.date, dt.date] | None:
    g = m.groupdict()
    if presisi == Presisi.RENTANG_TANGGAL:
        m2 = MONTHS[g["m2"]]
        y2 = int(g["y2"]) if g["y2"] else default_year
        if y2 is None:
            return None
        m1 = MONTHS[g["m1"]] if g["m1"] else m2
        y1 = int(g["y1"]) if g["y1"] else (y2 if m1 <= m2 else y2 - 1)
        return dt.date(y1, m1, int(g["d1"])), dt.date(y2, m2, int(g["d2"]))
    if presisi == Presisi.TANGGAL:
        year = int(g["y1"]) if g["y1"] else default_year
        if year is None:
            return None
        day = dt.date(year, MONTHS[g["m1"]], int(g["d1"]))
        return day, day
    if presisi == Presisi.MINGGU:
        year = int(g["y1"]) if g["y1"] else default_year
        if year is None:
            return None
        week: int | str = int(g["wn"]) if g["wn"] else g["ww"]
        if isinstance(week, str) and week != "terakhir":
            week = _ORDINALS[week]
        return week_window(year, MONTHS[g["m1"]], week)
    if presisi == Presisi.RENTANG_BULAN:
        m1, m2 = MONTHS[g["m1"]], MONTHS[g["m2"]]
        y2 = int(g["y2"]) if g["y2"] else (int(g["y1"]) if g["y1"] and m1 <= m2 else default_year)
        if y2 is None:
            return None
        y1 = int(g["y1"]) if g["y1"] else (y2 if m1 <= m2 else y2 - 1)
        return dt.date(y1, m1, 1), last_day(y2, m2)
    year = int(g["y1"]) if g["y1"] else default_year
    if year is None:
        return None
    month = MONTHS[g["m1"]]
    return dt.date(year, month, 1), last_day(year, month)


def _candidates(norm: str, default_year: int | None) -> list[_Found]:
    found: list[_Found] = []
    invalid: list[tuple[int, int, int]] = []
    for rank, presisi, pattern in _PATTERNS:
        for m in pattern.finditer(norm):
            try:
                window = _window(rank, presisi, m, default_year)
            except ValueError:  # "31 November", a fifth week in February
                window = None
            if window is None or window[1] < window[0] or not _in_years(*window):
                invalid.append((rank, m.start(), m.end()))
                continue
            found.append(_Found(rank, m.start(), m.end(), window[0], window[1], presisi))
    # "31 November 2023" is a wrong date, not the month of November: a coarser reading of the
    # words of a more precise one that does not hold is no reading.
    return [
        f for f in found if not any(rank > f.rank and start < f.end and f.start < end for rank, start, end in invalid)
    ]


def _in_years(mulai: dt.date, selesai: dt.date) -> bool:
    """Whether a window falls in the years a kegiatan may (a year 1900 or 2150 is a typo)."""
    return mulai.year >= TAHUN_AWAL and selesai.year <= TAHUN_AKHIR


def _phrase(text: str, where: list[int], start: int, end: int) -> str:
    """The original words of a match, with a parenthesis that follows it ('(minggu ketiga)')."""
    begin, finish = where[start], where[end - 1] + 1
    after = re.match(r"\s*\([^()]{1,80}\)", text[finish:])
    if after:
        finish += after.end()
    return " ".join(text[begin:finish].split())[:500]


def read_schedule(
    text: str, default_year: int | None = None, *, period: tuple[dt.date, dt.date] | None = None
) -> ScheduleRead | None:
    """The most precise schedule written in ``text``, or None.

    Precision ranks a date range over a date, a date over a week, a week over a month range and
    a month range over a month; among equals the first one written wins. A recurring phrase
    ("secara rutin 1 bulan sekali") makes the kegiatan recurring over the window found beside it
    or, without one, over ``period`` (the document's planning period).
    """
    if not text.strip():
        return None
    norm, where = _normalise(text)
    found = _candidates(norm, default_year)
    best = min(found, key=lambda f: (-f.rank, f.start)) if found else None
    recurring = _recurrence(norm) if best is None or best.presisi != Presisi.TANGGAL else None
    if recurring is not None:
        rule, start, end = recurring
        if best is not None:
            mulai, selesai = best.mulai, best.selesai
            span = (min(start, best.start), max(end, best.end))
            if re.search(r"\b(?:mulai|sejak)\s+(?:bulan\s+|tanggal\s+)?$", norm[: best.start]):
                # "mulai Januari 2024": from then on, to the plan period's end (or the year's)
                selesai = max(selesai, period[1] if period else dt.date(mulai.year, 12, 31))
        elif period is not None and _in_years(*period):
            mulai, selesai = period
            span = (start, end)
        else:
            return None
        return ScheduleRead(mulai, selesai, Presisi.BERULANG, _phrase(text, where, *span), rule)
    return None if best is None else _read(text, where, best)


def _read(text: str, where: list[int], f: _Found) -> ScheduleRead:
    return ScheduleRead(f.mulai, f.selesai, f.presisi, _phrase(text, where, f.start, f.end))


def _recurrence(norm: str) -> tuple[str, int, int] | None:
    weekday = _ON_WEEKDAY.search(norm)
    if weekday:
        return f"FREQ=WEEKLY;INTERVAL=1;BYDAY={_WEEKDAY[weekday.group('day')]}", weekday.start(), weekday.end()
    for pattern in _RECURRING:
        m = pattern.search(norm)
        if not m:
            continue
        unit = m.group("unit")
        unit = _ADJECTIVE.get(unit, unit)
        n_text = m.groupdict().get("n")
        interval = 1
        if n_text:
            interval = int(n_text) if n_text.isdigit() else _COUNTS[n_text]
        if interval < 1:
            continue
        return f"FREQ={_FREQ[unit]};INTERVAL={interval}", m.start(), m.end()
    return None


def mentions_schedule(text: str) -> bool:
    """Whether a line talks about when something happens, so an unread one is worth reporting."""
    return bool(
        re.search(
            r"\b(dilaksanakan|diselenggarakan|direncanakan|jadwal|waktu|tanggal|minggu\s+ke|bulan\s+\w+|rutin|sekali)\b",
            text,
            re.IGNORECASE,
        )
    )
