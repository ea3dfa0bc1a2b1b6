"""What the importer gives back: the plan and its kegiatan as read, and the notes on what it
could not place."""

from __future__ import annotations

from dataclasses import dataclass, field

from awasi_common.errors import DomainError
from awasi_common.vocabulary import Divisi
from awasi_planning.domain.importer.lines import Baris
from awasi_planning.domain.model import Jadwal, Jenis, Rincian

JADWAL_TIDAK_DISEBUT = "jadwal tidak disebutkan dalam dokumen"
_MAX_NOTE = 1000
"""Characters of a line kept in a note: enough to find it, not a copy of the document."""


class BukanRencana(DomainError):
    """The document holds no kegiatan this importer can find."""


@dataclass(frozen=True)
class Catatan:
    """Text the importer could not place in a field, and why."""

    nomor: int
    lokasi: str
    teks: str
    alasan: str

    @classmethod
    def on(cls, line: Baris, alasan: str, teks: str | None = None) -> Catatan:
        """A note on ``line``: its own text (or ``teks``), cut at :data:`_MAX_NOTE` characters."""
        return cls(line.nomor, line.tempat, (line.teks.strip() if teks is None else teks)[:_MAX_NOTE], alasan)

    def render(self) -> str:
        return f"{self.lokasi} — {self.alasan}: {self.teks}" if self.teks else f"{self.lokasi} — {self.alasan}"


@dataclass
class KegiatanTerbaca(Rincian):
    """What a document says about one kegiatan."""

    nomor: int
    baris: Baris
    divisi: Divisi | None
    judul: str
    jenis: Jenis
    jadwal: Jadwal | None
    catatan: list[Catatan] = field(default_factory=list)

    @property
    def terjadwal(self) -> bool:
        """Whether the document gave a schedule (otherwise the kegiatan stays a draft)."""
        return self.jadwal is not None and self.jadwal.keterangan != JADWAL_TIDAK_DISEBUT


@dataclass
class RencanaTerbaca:
    judul: str | None
    unit_nama: str | None
    """The unit as the document names it, e.g. 'Kabupaten Blitar' or 'Provinsi Banten'."""
    tahun: int | None
    kegiatan: list[KegiatanTerbaca]
    catatan: list[Catatan]
    jumlah_baris: int
