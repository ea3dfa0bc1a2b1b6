"""The five sections of a kegiatan (I Latar Belakang … V Pelaksanaan) and their headings,
whatever their spelling ("Ouptut", "Input'") or numbering (I–V, A–E, or none)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from enum import IntEnum

from awasi_planning.domain.importer.divisions import division_heading
from awasi_planning.domain.importer.lines import BULLET, SUB_LABEL, Baris, bulleted, is_table_line, uppercase


class Section(IntEnum):
    """A section of a kegiatan, in the order plans write them."""

    UNKNOWN = 0
    """A numbered section of no known name (kept as notes)."""
    LATAR = 1
    TUJUAN = 2
    OUTPUT_SASARAN = 3
    INDIKATOR = 4
    PELAKSANAAN = 5


_SECTION = re.compile(
    r"^\s*(?:\*\*)?\s*(?:(?:(?P<rom>VIII|VII|VI|IV|IX|V|I{1,3}|X)|(?P<abc>[A-E]))\s*[.)]\s*)?"
    r"(?P<name>[^\W\d_][^:]*?)[\s:'’`\"*.]*$"
)
_OUTPUT_WORD = re.compile(r"^(?:out\s?put|ouput|ouptut|outptut|otput|outpt|keluaran|luaran)$")
_SECTION_NAMES = (
    "latar belakang",
    "pendahuluan",
    "tujuan",
    "tujuan kegiatan",
    "maksud dan tujuan",
    "output dan sasaran",
    "output dan sasaran kegiatan",
    "sasaran dan output",
    "indikator komponen input",
    "indikator input",
    "pelaksanaan",
    "pelaksanaan kegiatan",
    "jadwal pelaksanaan",
    "waktu pelaksanaan",
    "waktu dan tempat pelaksanaan",
)
_MAX_WORDS_NUMBERED, _MAX_WORDS_STANDING_ALONE = 8, 4
_MAX_WORDS_UNKNOWN = 6
"""A longer numbered line of no known name is a sentence, not a section of its own."""


def _similar(word: str, target: str, cutoff: float = 0.8) -> bool:
    return difflib.SequenceMatcher(None, word, target).ratio() >= cutoff


def _section_kind(words: list[str]) -> Section | None:
    first = words[0]
    if first == "latar" or _similar(" ".join(words[:2]), "latar belakang") or first == "pendahuluan":
        return Section.LATAR
    if first in {"tujuan", "maksud"} or _similar(first, "tujuan", 0.85):
        return Section.TUJUAN
    if "sasaran" in words or _OUTPUT_WORD.match(first) or _similar(first, "output", 0.8):
        return Section.OUTPUT_SASARAN
    if _similar(first, "indikator") or "input" in words:
        return Section.INDIKATOR
    if _similar(first, "pelaksanaan", 0.85) or first in {"jadwal", "waktu"}:
        return Section.PELAKSANAAN
    return None


def _near_section_name(name: str) -> bool:
    return any(_similar(name, known, 0.8) for known in _SECTION_NAMES)


def section_of(text: str) -> Section | None:
    """The section a heading line opens, :attr:`Section.UNKNOWN` for a numbered section of unknown
    name, else None.

    Sections are numbered I–V (or A–E) or stand alone by name; a bulleted line or one numbered
    a./b./1. is a label inside a section, not a section."""
    if BULLET.match(text) or SUB_LABEL.match(text):
        return None
    m = _SECTION.match(text)
    if not m:
        return None
    numbered = m.group("rom") or m.group("abc")
    name = " ".join(re.sub(r"[^a-z ]", " ", m.group("name").lower()).split())
    words = name.split()
    if not words or len(words) > (_MAX_WORDS_NUMBERED if numbered else _MAX_WORDS_STANDING_ALONE):
        return None
    if not numbered:
        # Standing alone, a heading is capitalised, ends without a full stop and is close to
        # a section's usual name (a wrapped "sasaran pelayanan." is no heading).
        raw = m.group("name").strip()
        if not raw[0].isupper() or text.rstrip().endswith(".") or not _near_section_name(name):
            return None
    kind = _section_kind(words)
    if kind is not None:
        return kind
    return Section.UNKNOWN if m.group("rom") and len(words) <= _MAX_WORDS_UNKNOWN else None


_LOOKAHEAD = 3
"""A kegiatan's heading may be followed by a plain line or two before its first section."""


def next_section(logical: Sequence[Baris], index: int) -> Section | None:
    """The known section whose heading follows line ``index``, at once or after at most two plain
    lines (a note between a kegiatan's heading and its first section)."""
    for ahead in range(index + 1, min(index + 1 + _LOOKAHEAD, len(logical))):
        text = logical[ahead].teks
        kind = section_of(text)
        if kind:
            return kind
        if kind == Section.UNKNOWN or bulleted(text) or division_heading(text) or uppercase(text):
            return None
        if is_table_line(text):
            return None
    return None
