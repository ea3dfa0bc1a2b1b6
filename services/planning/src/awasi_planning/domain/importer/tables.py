"""Plans written as a table of kegiatan (No, Kegiatan, Tanggal, Rincian …), tab- or pipe-separated."""

from __future__ import annotations

import re

from awasi_planning.domain.importer.lines import clean, is_table_line

_COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("no", re.compile(r"^(?:no\.?|nomor|#)$")),
    ("judul", re.compile(r"^(?:nama\s+|uraian\s+|judul\s+)?kegiatan$|^judul$|^nama$")),
    ("jadwal", re.compile(r"^(?:tanggal|waktu|jadwal|tgl\.?)(?:\s+\w+)?$|^(?:waktu\s+)?pelaksanaan$")),
    ("latar", re.compile(r"^(?:rincian|keterangan|deskripsi|uraian|penjelasan)(?:\s+kegiatan)?$")),
    ("lokasi", re.compile(r"^(?:tempat|lokasi)(?:\s+\w+)?$")),
    ("peserta", re.compile(r"^(?:jumlah\s+)?(?:peserta|sasaran|target)(?:\s+\w+)?$")),
    ("metode", re.compile(r"^metode$")),
    ("anggaran", re.compile(r"^(?:anggaran|biaya|pagu)(?:\s+\w+)?$")),
    ("divisi", re.compile(r"^(?:divisi|bidang)$")),
]
UNKNOWN_COLUMN = "?"
"""Prefix of a column of no known name: '?Keterangan Tambahan'."""
_ROW_NUMBER = re.compile(r"^\s*(\d{1,3})\s*\.?\s*$")


def cells(text: str) -> list[str]:
    if text.strip().startswith("|"):
        return [c.strip() for c in text.strip().strip("|").split("|")]
    return [c.strip() for c in text.split("\t")]


def table_header(text: str) -> list[str] | None:
    """The columns a header row names (unknown ones as '?<name>'), or None for no header."""
    if not is_table_line(text):
        return None
    names: list[str] = []
    for cell in cells(text):
        low = " ".join(clean(cell).lower().split())
        names.append(next((key for key, pattern in _COLUMNS if pattern.match(low)), f"{UNKNOWN_COLUMN}{cell}"))
    if "judul" in names and ("jadwal" in names or "no" in names):
        return names
    return None


def row_number(cell: str) -> int | None:
    """The number in a row's 'No' cell, None when it holds none."""
    m = _ROW_NUMBER.match(cell)
    return int(m.group(1)) if m else None
