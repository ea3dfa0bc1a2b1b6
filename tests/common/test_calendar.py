from __future__ import annotations

import datetime as dt

from awasi_common.calendar import add_working_days, is_working_day, working_days_between


def test_weekends_and_holidays_are_not_working_days() -> None:
    assert not is_working_day(dt.date(2024, 4, 6))  # Saturday
    assert not is_working_day(dt.date(2024, 4, 10))  # Idul Fitri 2024 (holidays package)
    assert not is_working_day(dt.date(2026, 1, 1))  # Tahun Baru 2026 (lokal-id SKB list)
    assert is_working_day(dt.date(2024, 4, 15))


def test_seven_working_days_skip_lebaran() -> None:
    # Thursday 4 April 2024 + 7 working days, skipping the weekend and Idul Fitri 10–11 April.
    assert add_working_days(dt.date(2024, 4, 4), 7) == dt.date(2024, 4, 17)
    assert working_days_between(dt.date(2024, 4, 4), dt.date(2024, 4, 17)) == 7
