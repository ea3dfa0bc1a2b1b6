"""A program's own details, one typed model per program (Perbawaslu 2/2023; Pendidikan has none).

The request's section for its program is validated into its model at the HTTP edge
(``dari_bagian``): a choice outside what an article lists is refused there with that article.
What the regulation requires of the details as a whole (a method, a registered university, a
mapping on the current IKP…) is checked by ``sahkan`` when the program is formed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from awasi_common.errors import DomainError
from awasi_common.vocabulary import Program
from awasi_participation.domain.rincian.forum_warga import ForumWargaRincian
from awasi_participation.domain.rincian.kampung import AnalisisKesiapan, KampungRincian, PemetaanKerawanan
from awasi_participation.domain.rincian.kerja_sama import KerjaSamaRincian, PerguruanTinggi
from awasi_participation.domain.rincian.komunitas_digital import KomunitasDigitalRincian
from awasi_participation.domain.rincian.pojok import JamBuka, PojokRincian

__all__ = [
    "RINCIAN_KEY",
    "AnalisisKesiapan",
    "ForumWargaRincian",
    "JamBuka",
    "KampungRincian",
    "KerjaSamaRincian",
    "KomunitasDigitalRincian",
    "PemetaanKerawanan",
    "PerguruanTinggi",
    "PojokRincian",
    "Rincian",
    "bagian_lain",
    "dari_bagian",
    "rincian_from_json",
    "rincian_to_json",
]

Rincian = Annotated[
    ForumWargaRincian | PojokRincian | KerjaSamaRincian | KampungRincian | KomunitasDigitalRincian,
    Field(discriminator="program"),
]
_RINCIAN: TypeAdapter[Rincian] = TypeAdapter(Rincian)

RINCIAN_KEY: dict[Program, str] = {
    Program.FORUM_WARGA: "forum_warga",
    Program.POJOK_PENGAWASAN: "pojok_pengawasan",
    Program.KERJA_SAMA_PERGURUAN_TINGGI: "kerja_sama",
    Program.KAMPUNG_PENGAWASAN: "kampung",
    Program.KOMUNITAS_DIGITAL: "komunitas_digital",
}
"""Which section of a program's details belongs to which program."""


def _typed(program: Program, data: Mapping[str, Any]) -> Rincian | None:
    if program not in RINCIAN_KEY:
        return None
    return _RINCIAN.validate_python({**data, "program": program.value})


def bagian_lain(program: Program, key: str) -> DomainError:
    """The refusal of a section that belongs to another program."""
    return DomainError(f"Bagian '{key}' tidak berlaku untuk program {program.nama}.", field=key)


def dari_bagian(program: Program, sections: Mapping[str, Mapping[str, Any] | None]) -> Rincian | None:
    """The details of ``program`` from a request's sections (one per program, by key): only its
    own section may be given; without it the details are empty and ``sahkan`` says what is missing."""
    own_key = RINCIAN_KEY.get(program)
    for key, section in sections.items():
        if section is not None and key != own_key:
            raise bagian_lain(program, key)
    return _typed(program, (sections.get(own_key) if own_key else None) or {})


def rincian_from_json(program: Program, data: Mapping[str, Any] | None) -> Rincian | None:
    """Stored details, validated when the program was formed."""
    return _typed(program, data) if data else None


def rincian_to_json(rincian: Rincian | None) -> dict[str, Any] | None:
    return rincian.model_dump(mode="json") if rincian is not None else None
