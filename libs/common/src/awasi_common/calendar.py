"""Indonesian working days and the unit's own calendar date, for deadlines.

A working day is neither a weekend, a national holiday, nor, by default, a cuti bersama day of
the SKB 3 Menteri: offices are shut on them, and a deadline counted in hari kerja must never run
out while the unit's office is closed (``AWASI_CUTI_BERSAMA_LIBUR=false`` counts them as working
days). The lists come from ``lokal-id`` for the years it ships (2026–2027, each with its SKB)
and from the ``holidays`` package otherwise: its ``public`` category holds the national
holidays and its ``government`` category the cuti bersama (2002 onwards).

Dates are taken in the unit's own time zone (WIB, WITA or WIT, by province:
:func:`awasi_common.units.zone_of`): a report at 00.30 WIT on 21 February is dated 21 February
in Papua, though it is still 20 February in Jakarta.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays as holidays_lib
from lokal import holidays as lokal_holidays

from awasi_common.units import zone_of

_settings = {"cuti_bersama_libur": True}


def configure(*, cuti_bersama_libur: bool) -> None:
    """Set once per process from the platform's settings (``build_service``)."""
    _settings["cuti_bersama_libur"] = cuti_bersama_libur


def cuti_bersama_libur() -> bool:
    return _settings["cuti_bersama_libur"]


@lru_cache(maxsize=128)
def _holidays_of(year: int, cuti_bersama: bool) -> frozenset[dt.date]:
    categories = (holidays_lib.PUBLIC, holidays_lib.GOVERNMENT) if cuti_bersama else (holidays_lib.PUBLIC,)
    return frozenset(holidays_lib.country_holidays("ID", years=year, categories=categories).keys())


def is_working_day(day: dt.date, *, cuti_bersama: bool | None = None) -> bool:
    """``cuti_bersama``: whether cuti bersama days are off (the setting when not given)."""
    off = cuti_bersama_libur() if cuti_bersama is None else cuti_bersama
    if day.weekday() >= 5:
        return False
    if day.year in lokal_holidays.HOLIDAY_YEARS:
        return bool(lokal_holidays.is_working_day(day, cuti_bersama=off))
    return day not in _holidays_of(day.year, off)


def add_working_days(start: dt.date, days: int, *, cuti_bersama: bool | None = None) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current, cuti_bersama=cuti_bersama):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date, *, cuti_bersama: bool | None = None) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current, cuti_bersama=cuti_bersama):
            count += 1
    return count


def add_days(start: dt.date, days: int) -> dt.date:
    """``days`` calendar days after ``start`` (deadlines counted in hari kalender)."""
    return start + dt.timedelta(days=days)


def local_date(moment: dt.datetime, unit: str) -> dt.date:
    """The calendar date of ``moment`` in ``unit``'s own time zone (a naive moment is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone_of(unit)).date()
