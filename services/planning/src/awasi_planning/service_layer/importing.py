"""From a document's bytes to the kegiatan it describes, without touching the database.

Both the upload endpoint and ``awasi import --dry-run`` go through :func:`plan_import`, so a
dry run shows exactly what an import creates (the ids too: they follow from each kegiatan's
identity). The use case that writes is :func:`awasi_planning.service_layer.handlers.import_document`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from awasi_common.errors import DomainError
from awasi_common.units import InvalidUnitCode, unit_name, validate_unit_code
from awasi_common.vocabulary import Divisi
from awasi_planning.adapters.documents import MAX_BYTES, Dokumen, Progress, read_document
from awasi_planning.adapters.wilayah import unit_from_name
from awasi_planning.domain.importer import Catatan, KegiatanTerbaca, RencanaTerbaca, parse_plan, to_kegiatan
from awasi_planning.domain.model import Kegiatan


@dataclass
class ImportPlan:
    dokumen: Dokumen
    rencana: RencanaTerbaca
    unit: str
    items: list[tuple[KegiatanTerbaca, Kegiatan]]
    """What the document says, and the kegiatan (still drafts) it becomes."""
    draft: bool
    """Keep every imported kegiatan a draft instead of scheduling those with a schedule."""
    catatan: list[Catatan]
    """Document-level notes: text outside any kegiatan, the table of contents, unit choice."""

    def schedules(self, item: KegiatanTerbaca) -> bool:
        return not self.draft and item.terjadwal

    def fresh(self, item: KegiatanTerbaca, kegiatan: Kegiatan) -> Kegiatan:
        """A new copy of an imported kegiatan, scheduled when the import schedules it."""
        copy = dataclasses.replace(kegiatan, events=[])
        if self.schedules(item):
            copy.schedule()
        return copy


def plan_import(
    data: bytes,
    nama: str,
    *,
    unit: str | None = None,
    divisi: Divisi | None = None,
    draft: bool = False,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
) -> ImportPlan:
    """Read and understand a plan document. Raises DomainError (a 4xx) for a document that is not
    a plan, a unit that cannot be determined or does not exist, or a kegiatan without division."""
    dokumen = read_document(data, nama, progress, max_bytes=max_bytes)
    rencana = parse_plan(dokumen.baris, divisi=divisi)
    notes = list(rencana.catatan)
    named = unit_from_name(rencana.unit_nama)
    code = unit or named
    if code is None:
        said = f" ('{rencana.unit_nama}')" if rencana.unit_nama else ""
        raise DomainError(
            f"Unit pemilik rencana tidak dapat ditentukan dari judul dokumen{said}; sebutkan kode unit, "
            "misalnya 35.05.",
            field="unit",
        )
    try:
        code = validate_unit_code(code)
    except InvalidUnitCode as error:
        raise DomainError(f"Unit tidak dikenal: {error}.", field="unit") from error
    if unit and named and named != code:
        notes.append(
            Catatan(
                0,
                "judul dokumen",
                rencana.judul or "",
                f"dokumen menyebut {rencana.unit_nama} ({named}); diimpor untuk {unit_name(code) or code} "
                "sesuai permintaan",
            )
        )
    items = to_kegiatan(code, rencana, dokumen=nama)
    return ImportPlan(dokumen, rencana, code, items, draft, notes)
