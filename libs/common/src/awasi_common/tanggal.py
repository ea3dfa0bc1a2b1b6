"""Dates as Indonesian readers write them ("5 Maret 2026"), from Babel's CLDR data."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_datetime

from awasi_common.units import RI_CODE, zone_name, zone_of


def tanggal(day: dt.date) -> str:
    """'5 Maret 2026'."""
    return format_date(day, "d MMMM y", locale="id")


def bulan(year: int, month: int) -> str:
    """'Maret 2026'."""
    return format_date(dt.date(year, month, 1), "MMMM y", locale="id")


def waktu(moment: dt.datetime, unit: str = RI_CODE) -> str:
    """'5 Maret 2026 pukul 10.04 WIB', on the clock of ``unit`` (WIB, WITA or WIT)."""
    return format_datetime(moment, f"d MMMM y 'pukul' HH.mm '{zone_name(unit)}'", tzinfo=zone_of(unit), locale="id")
