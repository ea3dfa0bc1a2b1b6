"""How much one request may carry: the largest string, list and object a field of a request
body, form or URL parameter takes, shared by every service so that the same kind of field is
bounded alike everywhere. Each bound is stated in the schema (``maxLength``, ``maxItems``,
``maxProperties``), so OpenAPI shows it and a client can check before sending; a request past
one is answered 422 naming the field ("terlalu panjang (paling banyak 300 karakter)").

The bounds are sized by what real documents need, with room to spare: the Rencana Kegiatan of
Kabupaten Blitar (``../shared/documents/001_…``) has titles of up to 186 characters, a Latar
Belakang of up to 1,224, at most 16 points in a section and a point of up to 687 characters.

Beyond each field, a request that becomes an event is bounded as a whole (:class:`IsiTerbatas`):
many fields each at their bound would still make an event larger than the broker takes
(Kafka's ``message.max.bytes``, 1 MiB by default), and one such message stops the outbox relay
of its shard. Nothing here is a rule of a regulation; those stay in each service's domain.
"""

from __future__ import annotations

from typing import Annotated, Self, TypeVar

from annotated_types import MaxLen
from pydantic import AfterValidator, BaseModel, EmailStr, StringConstraints, model_validator
from pydantic_core import to_json

from awasi_common.units import validate_unit_code

T = TypeVar("T")
V = TypeVar("V")

# --- strings, in characters ---------------------------------------------------------------------

KODE_PENDEK = 16
"""A short code: a kode hadir, a gender as written (``L``, ``perempuan``)."""
KODE = 60
"""A code or one word of a vocabulary the domain checks (``dialogis``, ``pemilih_pemula``,
an indicator's code, a unit of measure)."""
ID = 36
"""A record's id: a UUID (36 characters), as every service's id columns hold it."""
NOMOR = 100
"""A document number: nomor surat, nomor surat tugas, nomor akreditasi."""
NAMA = 200
"""A name: a person, a place of birth, an occupation, a group, a tahapan."""
JUDUL = 300
"""A short title: a kegiatan, a program, an institution, a topic."""
KALIMAT = 1000
"""A sentence or two: an address, a place, who is reported, a schedule as a plan words it."""
BUTIR = 2000
"""One point of a list, or one statement: a tujuan, an output, what happened, a reason."""
CATATAN = 5000
"""A note of a few paragraphs."""
PARAGRAF = 10_000
"""A section of prose: a summary, an account of one alleged violation."""
URAIAN = 20_000
"""The longest prose a form has: a Latar Belakang, the account (uraian) of a laporan."""
TELEPON = 32
"""A telephone number, with its country code, spaces and punctuation."""
EMAIL = 254
"""An e-mail address (RFC 5321's limit on a path)."""
TOKEN = 4096
"""A bearer token (a signed JWT) sent as a URL parameter, for a client that cannot send headers."""
KODE_UNIT = 32
"""A unit code as sent; the longest code (a TPS, ``35.05.01.2001.001``) has 17 characters,
the rest is room for the spaces the validator strips."""

# --- lists, in items ----------------------------------------------------------------------------

DAFTAR_PENDEK = 20
"""A short list: witnesses, the violations one Form A reports, opening hours, choices."""
DAFTAR = 50
"""The points of one section of a plan or report (a real plan has at most 16), and most lists."""
DAFTAR_PANJANG = 1000
"""Unit codes or ids (all 514 kabupaten/kota and 38 provinces fit)."""
KOLEKTIF = 200
"""Forms sent together in one collective submission (a desa's TPS, a field app's queue)."""

# --- a whole request ----------------------------------------------------------------------------

PESAN_MAKS_BYTE = 1024 * 1024
"""The largest message the broker takes by default (Kafka's ``message.max.bytes``)."""
ISI_MAKS_BYTE = 256 * 1024
"""The largest request, as JSON, that :class:`IsiTerbatas` lets into an event. An event carries
what at most two requests wrote (a kegiatan and its realisasi), so it stays below half of
:data:`PESAN_MAKS_BYTE` whatever the characters (a control character is six bytes in JSON)."""

KodePendek = Annotated[str, StringConstraints(max_length=KODE_PENDEK)]
Kode = Annotated[str, StringConstraints(max_length=KODE)]
Id = Annotated[str, StringConstraints(max_length=ID)]
Nomor = Annotated[str, StringConstraints(max_length=NOMOR)]
Nama = Annotated[str, StringConstraints(max_length=NAMA)]
Judul = Annotated[str, StringConstraints(max_length=JUDUL)]
Kalimat = Annotated[str, StringConstraints(max_length=KALIMAT)]
Butir = Annotated[str, StringConstraints(max_length=BUTIR)]
Catatan = Annotated[str, StringConstraints(max_length=CATATAN)]
Paragraf = Annotated[str, StringConstraints(max_length=PARAGRAF)]
Uraian = Annotated[str, StringConstraints(max_length=URAIAN)]
Telepon = Annotated[str, StringConstraints(max_length=TELEPON)]
Email = Annotated[EmailStr, StringConstraints(max_length=EMAIL)]
KodeUnit = Annotated[str, StringConstraints(max_length=KODE_UNIT), AfterValidator(validate_unit_code)]
"""``awasi_common.units.UnitCode`` with its length checked (and shown) before the region is
looked up."""

DaftarPendek = Annotated[list[T], MaxLen(DAFTAR_PENDEK)]
Daftar = Annotated[list[T], MaxLen(DAFTAR)]
DaftarPanjang = Annotated[list[T], MaxLen(DAFTAR_PANJANG)]
Kamus = Annotated[dict[Kode, V], MaxLen(DAFTAR)]
"""An object of free keys: each key a :data:`Kode`, at most :data:`DAFTAR` of them."""


def ukuran_json(value: object) -> int:
    """Bytes of ``value`` as JSON, the way an event built from it is encoded."""
    return len(to_json(value))


def _kb(size: int) -> str:
    return f"{size / 1024:.0f} KB"


class IsiTerbatas(BaseModel):
    """A request body whose fields an event carries: as a whole, its JSON stays within
    :data:`ISI_MAKS_BYTE`, however the bounds of its fields add up."""

    @model_validator(mode="after")
    def _isi_terbatas(self) -> Self:
        size = ukuran_json(self)
        if size > ISI_MAKS_BYTE:
            sizes = {name: ukuran_json(getattr(self, name)) for name in type(self).model_fields}
            largest = max(sizes, key=lambda name: sizes[name])
            raise ValueError(
                f"isi permintaan terlalu besar ({_kb(size)} sebagai JSON; paling besar {_kb(ISI_MAKS_BYTE)}); "
                f"isian terbesar: {largest} ({_kb(sizes[largest])})"
            )
        return self
