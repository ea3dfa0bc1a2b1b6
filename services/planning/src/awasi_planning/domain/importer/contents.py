"""A plan's table of contents ("DAFTAR RENCANA KEGIATAN" and its numbered items): reported once,
and checked against the kegiatan found below it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from awasi_planning.domain.importer.draft import Draft
from awasi_planning.domain.importer.lines import TOP_NUMBER, Baris, clean
from awasi_planning.domain.importer.results import Catatan
from awasi_planning.domain.importer.sections import section_of

_CONTENTS = re.compile(r"^\s*(?:\*\*)?daftar\s+(?:rencana\s+)?kegiatan\b[^.]*$", re.IGNORECASE)


def opens_contents(text: str) -> bool:
    return bool(_CONTENTS.match(clean(text)))


def contents_notes(logical: Sequence[Baris], drafts: Sequence[Draft]) -> list[Catatan]:
    """One note per table of contents: how many items it lists against how many kegiatan were
    found under it (up to the next kegiatan numbered 1, the next division's first)."""
    notes: list[Catatan] = []
    index = 0
    while index < len(logical):
        heading = logical[index]
        if not opens_contents(heading.teks):
            index += 1
            continue
        items = []
        index += 1
        while (
            index < len(logical)
            and TOP_NUMBER.match(logical[index].teks)
            and not section_of(logical[index + 1].teks if index + 1 < len(logical) else "")
        ):
            items.append(logical[index])
            index += 1
        found = [d for d in drafts if d.baris.nomor > heading.nomor]
        until = next((d for d in found if d.nomor == 1 and d is not found[0]), None)
        section = [d for d in found if until is None or d.baris.nomor < until.baris.nomor]
        if len(items) == len(section):
            alasan = f"daftar rencana kegiatan ({len(items)} butir), sesuai dengan {len(section)} kegiatan yang diimpor"
        else:
            alasan = (
                f"daftar rencana kegiatan menyebut {len(items)} butir, tetapi {len(section)} kegiatan "
                "ditemukan di bawahnya"
            )
        notes.append(Catatan(heading.nomor, heading.tempat, heading.teks.strip(), alasan))
    return notes
