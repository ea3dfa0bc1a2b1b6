"""Document numbers: the one numbering of register numbers, tanda terima, Form A, PSAP."""

from __future__ import annotations

import datetime as dt

from awasi_common.units import RI_CODE, Level, is_kota, level_of
from awasi_reporting.domain.rezim import Pemilihan

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def roman_month(month: int) -> str:
    return _ROMAN[month - 1]


def register_region(unit: str) -> str:
    """The region as written in register numbers: Bawaslu RI is ``00.00``."""
    return "00.00" if unit == RI_CODE else unit


def level_label(unit: str) -> str:
    """The level as written in a document number, of the unit itself: a kota's own Bawaslu
    is ``Kota`` (Bawaslu Kota Blitar, 35.72), a kabupaten's ``Kab``; a kecamatan, kelurahan/desa
    or TPS inside a kota is its own level (``Kec``, ``Kel``, ``TPS``), never ``Kota``."""
    level = level_of(unit)
    if level is Level.KABUPATEN_KOTA and is_kota(unit):
        return "Kota"
    return level.register_code


def nomor_dokumen(seq: int, kode: str, pemilihan: Pemilihan, unit: str, on: dt.date) -> str:
    """The one numbering of every document kind: laporan (LP) and temuan (TM) register
    numbers, tanda terima (TT), Form A (LHP) and PSAP, e.g. ``002/LP/PL/Kab/35.05/III/2024``:
    sequence per unit, year and regime, kind, election, level of the unit itself, region,
    month in Roman numerals, year."""
    return (
        f"{seq:03d}/{kode}/{pemilihan.register_code}/{level_label(unit)}/{register_region(unit)}/"
        f"{roman_month(on.month)}/{on.year}"
    )


def nomor_register(seq: int, jenis: str, pemilihan: Pemilihan, unit: str, on: dt.date) -> str:
    """A laporan's or temuan's register number (:func:`nomor_dokumen`)."""
    return nomor_dokumen(seq, jenis, pemilihan, unit, on)
