from __future__ import annotations

import datetime as dt

from awasi_common.tanggal import bulan, tanggal, waktu


def test_indonesian_dates() -> None:
    assert tanggal(dt.date(2024, 2, 14)) == "14 Februari 2024"
    assert bulan(2023, 10) == "Oktober 2023"
    # 23:30 UTC is already the next day in Western Indonesian Time.
    assert waktu(dt.datetime(2024, 3, 31, 23, 30, tzinfo=dt.UTC)) == "1 April 2024 pukul 06.30 WIB"


def test_a_moment_on_the_clock_of_the_unit() -> None:
    moment = dt.datetime(2024, 2, 20, 15, 30, tzinfo=dt.UTC)
    assert waktu(moment, "35.05") == "20 Februari 2024 pukul 22.30 WIB"  # Blitar
    assert waktu(moment, "52.03") == "20 Februari 2024 pukul 23.30 WITA"  # Lombok Timur
    assert waktu(moment, "91.71") == "21 Februari 2024 pukul 00.30 WIT"  # Kota Jayapura
