"""Logical lines: a document's lines with blank ones dropped and wrapped sentences joined."""

from __future__ import annotations

import re
from collections.abc import Sequence

from awasi_planning.domain.importer.divisions import division_heading
from awasi_planning.domain.importer.lines import Baris, bulleted, clean, is_table_line, uppercase
from awasi_planning.domain.importer.sections import section_of

_ENDS_SENTENCE = re.compile(r"[.!?:;]\s*$")
_BROKEN_WORD = re.compile(r"[^\W\d_]-$")
_LONG_LINE = 60
"""A line this long that ends mid-sentence was wrapped, whatever the next one starts with."""


def join_lines(lines: Sequence[Baris]) -> list[Baris]:
    """Logical lines: blank lines dropped, a line broken mid-sentence joined to its start.

    Documents break sentences across lines (PDF wrapping, and plain text saved from them:
    "… Badan Ad Hoc Bawaslu Kabupaten" / "Blitar dalam rangka …"). A line continues the one
    before when that one does not end a sentence and is no heading, and this one starts with
    no bullet, number or section name.
    """
    out: list[Baris] = []
    for line in lines:
        text = line.teks.replace("\u00a0", " ").rstrip()
        if not text.strip():
            continue
        if out and _continues(out[-1].teks, text):
            previous = out[-1]
            before = previous.teks.rstrip()
            # "prinsip-" / "prinsip" was one word broken at its hyphen.
            glue = "" if _BROKEN_WORD.search(before) and text.strip()[:1].islower() else " "
            out[-1] = Baris(previous.nomor, f"{before}{glue}{text.strip()}", previous.lokasi)
            continue
        out.append(Baris(line.nomor, text, line.lokasi))
    return out


def _continues(previous: str, text: str) -> bool:
    before = clean(previous)
    if not before or _ENDS_SENTENCE.search(before) or uppercase(previous) or section_of(previous):
        return False
    if is_table_line(previous) or is_table_line(text):
        return False
    if bulleted(text) or section_of(text) or uppercase(text) or division_heading(text):
        return False
    first = text.strip()[0]
    return first.islower() or len(before) >= _LONG_LINE
