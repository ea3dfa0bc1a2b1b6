"""How dates, money and deadlines read on the console's pages (Bahasa Indonesia)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from awasi_common.calendar import local_date, working_days_between
from awasi_common.units import unit_name

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        text = str(value)
        return dt.datetime.fromisoformat(text).date() if "T" in text else dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def tanggal(value: Any, with_day: bool = False) -> str:
    day = as_date(value)
    if day is None:
        return "-"
    text = f"{day.day} {BULAN[day.month - 1]} {day.year}"
    return f"{HARI[day.weekday()]}, {text}" if with_day else text


def waktu(value: Any) -> str:
    """A moment as the reader's WIB clock reads it, with its date."""
    if not value:
        return "-"
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(dt.timezone(dt.timedelta(hours=7)))
    return f"{tanggal(local.date())} {local:%H.%M} WIB"


def rupiah(value: Any) -> str:
    if value is None or value == "":
        return "-"
    try:
        return "Rp" + f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)


def today_in(unit: str) -> dt.date:
    try:
        return local_date(dt.datetime.now(dt.UTC), unit or "00")
    except ValueError:
        return dt.date.today()


def days_left(tenggat: Any, hari: str | None, unit: str) -> int | None:
    """Days left until ``tenggat`` in the case's own regime: working days (hari kerja: Pemilu)
    or calendar days (Pemilihan); negative when past."""
    due = as_date(tenggat)
    if due is None:
        return None
    today = today_in(unit)
    if hari == "kerja":
        if due >= today:
            return working_days_between(today, due)
        return -working_days_between(due, today)
    return (due - today).days


def sisa(tenggat: Any, hari: str | None, unit: str) -> str:
    left = days_left(tenggat, hari, unit)
    if left is None:
        return "tanpa tenggat"
    jenis = "hari kerja" if hari == "kerja" else "hari"
    if left < 0:
        return f"lewat {-left} {jenis}"
    if left == 0:
        return "hari ini"
    return f"{left} {jenis} lagi"


def nama_unit(code: Any) -> str:
    if not code:
        return "-"
    try:
        name = unit_name(str(code))
    except ValueError:
        name = None
    return f"{name} ({code})" if name else str(code)


FILTERS = {"tanggal": tanggal, "waktu": waktu, "rupiah": rupiah, "nama_unit": nama_unit}
GLOBALS = {"sisa": sisa, "days_left": days_left}
