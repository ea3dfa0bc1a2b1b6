"""Indonesian working days, for deadlines counted in hari kerja (UU 7/2017 Pasal 454).

``lokal-id`` carries the SKB 3 Menteri lists (national holidays and cuti bersama) for the
years it ships; older years fall back to the ``holidays`` package's national holidays.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays as holidays_lib
from lokal import holidays as lokal_holidays


@lru_cache(maxsize=64)
def _fallback_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays_lib.country_holidays("ID", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    if day.weekday() >= 5:
        return False
    try:
        return bool(lokal_holidays.is_working_day(day, cuti_bersama=False))
    except ValueError:  # lokal-id has no list for that year
        return day not in _fallback_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
