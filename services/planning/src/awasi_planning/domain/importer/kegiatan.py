"""Kegiatan read from a plan, into the domain: drafts of a unit, with ids that follow from their
identity."""

from __future__ import annotations

import hashlib
import re
import uuid

from awasi_common.errors import DomainError
from awasi_common.vocabulary import Divisi
from awasi_planning.domain.importer.results import KegiatanTerbaca, RencanaTerbaca
from awasi_planning.domain.model import Kegiatan

_NAMESPACE = uuid.UUID("6f1c4a52-3c1e-4c55-9a57-6c1f5c7f2b10")
_IDENTITY_HEX = 48
_MAX_ASAL = 500


def identity(unit: str, item: KegiatanTerbaca, occurrence: int) -> str:
    """What makes an imported kegiatan the same one when a document is imported again: its unit,
    division, title and year (and, for a title repeated in one document, which repetition)."""
    assert item.jadwal is not None
    title = " ".join(re.sub(r"[^\w ]", " ", item.judul.lower()).split())
    key = f"{unit}|{item.divisi}|{title}|{item.jadwal.mulai.year}|{occurrence}"
    return "impor:" + hashlib.sha256(key.encode()).hexdigest()[:_IDENTITY_HEX]


def to_kegiatan(unit: str, plan: RencanaTerbaca, *, dokumen: str) -> list[tuple[KegiatanTerbaca, Kegiatan]]:
    """The kegiatan a read plan describes, as drafts of ``unit``. Their ids follow from their
    identity, so a dry run shows the ids an import will give."""
    out: list[tuple[KegiatanTerbaca, Kegiatan]] = []
    seen: dict[tuple[Divisi | None, str], int] = {}
    for item in plan.kegiatan:
        if item.divisi is None or item.jadwal is None:
            raise DomainError(
                f"Divisi kegiatan '{item.judul}' ({item.baris.tempat}) tidak dapat ditentukan dari dokumen; "
                "sebutkan divisi bawaan (SDMO, HPS, PP-Datin atau P2H).",
                field="divisi",
            )
        key = (item.divisi, item.judul.lower())
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        sumber = identity(unit, item, occurrence)
        kegiatan = Kegiatan(
            id=str(uuid.uuid5(_NAMESPACE, sumber)),
            unit=unit,
            divisi=item.divisi,
            judul=item.judul,
            jenis=item.jenis,
            jadwal=item.jadwal,
            **item.particulars(),
            catatan_impor=[c.render() for c in item.catatan],
            sumber=sumber,
            asal=f"{dokumen}, {item.baris.tempat}"[:_MAX_ASAL],
        )
        out.append((item, kegiatan))
    return out
