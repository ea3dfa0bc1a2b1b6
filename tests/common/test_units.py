from __future__ import annotations

import pytest

from awasi_common.units import (
    RI_CODE,
    InvalidUnitCode,
    Level,
    ancestors_of,
    is_kota,
    is_within,
    level_of,
    lowest_common_unit,
    parent_of,
    unit_name,
    validate_unit_code,
)


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("00", Level.RI),
        ("35", Level.PROVINSI),
        ("35.05", Level.KABUPATEN_KOTA),
        ("35.05.01", Level.KECAMATAN),
        ("35.05.01.2001", Level.KELURAHAN_DESA),
        ("35.05.01.2001.001", Level.TPS),
    ],
)
def test_level_follows_depth(code: str, level: Level) -> None:
    assert level_of(code) == level


def test_hierarchy() -> None:
    assert parent_of("35.05.01") == "35.05"
    assert parent_of("35") == "00"
    assert parent_of("00") is None
    assert ancestors_of("35.05.01.2001") == ["35.05.01", "35.05", "35", "00"]


def test_descendant_is_prefix_on_whole_segments() -> None:
    assert is_within("35.05.01", "35.05")
    assert is_within("35.05", "35.05")
    assert is_within("35.05", "00")
    assert not is_within("35.051", "35.05")
    assert not is_within("35.05", "35.05.01")
    assert not is_within("36.05", "35")


def test_names_from_kemendagri_list() -> None:
    assert unit_name("35.05") == "Bawaslu Kabupaten Blitar"
    assert unit_name("35") == "Bawaslu Provinsi Jawa Timur"
    assert unit_name("00") == "Bawaslu Republik Indonesia"
    assert unit_name("35.05.01") == "Panwaslu Kecamatan Wonodadi"
    assert is_kota("35.71") and not is_kota("35.05")


@pytest.mark.parametrize("code", ["99", "35.99", "3505", "35.5", "35.05.01.2001.1", "", "abc", "35.05."])
def test_rejects_unknown_or_malformed_codes(code: str) -> None:
    with pytest.raises(InvalidUnitCode):
        validate_unit_code(code)


def test_accepts_tps_of_an_existing_desa() -> None:
    desa = "35.05.01.2001"
    assert validate_unit_code(desa) == desa
    assert validate_unit_code(f"{desa}.007") == f"{desa}.007"


def test_the_lowest_unit_holding_several() -> None:
    assert lowest_common_unit(["52.01.01.1001.001", "52.01.01.1001.002"]) == "52.01.01.1001"
    assert lowest_common_unit(["52.01.01.1001", "52.01.01.1001.002"]) == "52.01.01.1001"
    assert lowest_common_unit(["52.01.01.1001.001", "52.01.02.2001.001"]) == "52.01"
    assert lowest_common_unit(["52.01", "53.01"]) == RI_CODE
    assert lowest_common_unit([RI_CODE, "52"]) == RI_CODE
    assert lowest_common_unit(["52.01.01"]) == "52.01.01"
    # A shared prefix of digits is not a shared unit.
    assert lowest_common_unit(["52.01.11", "52.01.12"]) == "52.01"
    with pytest.raises(ValueError):
        lowest_common_unit([])
