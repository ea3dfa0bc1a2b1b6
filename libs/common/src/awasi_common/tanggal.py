"""Dates as Indonesian readers write them ("5 Maret 2026"), from Babel's CLDR data."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

WIB = ZoneInfo("Asia/Jakarta")


def tanggal(day: dt.date) -> str:
    """'5 Maret 2026'."""
    return format_date(day, "d MMMM y", locale="id")


def bulan(year: int, month: int) -> str:
    """'Maret 2026'."""
    return format_date(dt.date(year, month, 1), "MMMM y", locale="id")


def waktu(moment: dt.datetime) -> str:
    """'5 Maret 2026 pukul 10.04 WIB' (in Western Indonesian Time)."""
    return format_datetime(moment, "d MMMM y 'pukul' HH.mm 'WIB'", tzinfo=WIB, locale="id")
