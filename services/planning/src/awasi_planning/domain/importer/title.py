"""What a plan's opening says: its title, year and unit, and the letterhead around them."""

from __future__ import annotations

import re

_UNIT = re.compile(
    r"\b(?:bawaslu|panwaslu|panwas)\s+(?P<kind>provinsi|prov\.?|kabupaten|kab\.?|kota|kecamatan|kec\.?)\s+"
    r"(?P<name>[^\W\d_][^\W\d_ .'-]*(?:[ .'-]+[^\W\d_][^\W\d_'-]*){0,3})",
    re.IGNORECASE,
)
_UNIT_STOP = {"tahun", "divisi", "bidang", "sampai", "periode", "untuk", "dan", "dalam", "tentang", "di"}
_KIND = {"prov": "Provinsi", "kab": "Kabupaten", "kec": "Kecamatan"}
_RI = re.compile(r"\bbawaslu\s+(?:ri|republik\s+indonesia)\b", re.IGNORECASE)

LETTERHEAD = re.compile(
    r"^(?:jl\b\.?|jalan\b|telp|telepon|tlp|fax|faks|surel|e-?mail|laman|website|situs|kode\s+pos)|@|https?://|www\.",
    re.IGNORECASE,
)
"""A line of the kop surat: address, telephone, mail, web."""
_TITLE = re.compile(r"rencana\s+kegiatan", re.IGNORECASE)
_YEAR_IN_TITLE = re.compile(r"\b(?:tahun|ta\.?|t\.a\.?)\s*((?:19|20)\d\d)\b", re.IGNORECASE)
_ANY_YEAR = re.compile(r"\b(20\d\d)\b")


def unit_name_in(text: str) -> str | None:
    """'Kabupaten Blitar' from '… BAWASLU KABUPATEN BLITAR', 'Republik Indonesia' for Bawaslu RI."""
    m = _UNIT.search(text)
    if not m:
        return "Republik Indonesia" if _RI.search(text) else None
    kind = m.group("kind").lower().rstrip(".")
    kind = _KIND.get(kind, kind.capitalize())
    words: list[str] = []
    for word in re.split(r"\s+", m.group("name").strip()):
        if word.lower() in _UNIT_STOP:
            break
        words.append(word)
    if not words:
        return None
    return f"{kind} {' '.join(w.capitalize() for w in words)}"


def names_the_plan(text: str) -> bool:
    """Whether a line of the opening reads as part of the title ('RENCANA KEGIATAN …')."""
    return bool(_TITLE.search(text))


def year_in_title(title: str) -> int | None:
    """'Tahun 2023', 'TA. 2023' or, failing those, any year of this century."""
    m = _YEAR_IN_TITLE.search(title) or _ANY_YEAR.search(title)
    return int(m.group(1)) if m else None
