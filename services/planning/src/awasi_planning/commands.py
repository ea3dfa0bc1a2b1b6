"""Planning's use cases, one frozen dataclass each: built by the HTTP schemas
(``body.to_command(...)``) and run by ``service_layer.handlers.HANDLERS`` through the service's
``CommandBus``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from awasi_common.vocabulary import Divisi
from awasi_planning.adapters.documents import MAX_BYTES
from awasi_planning.domain.model import Jadwal, Jenis, Kegiatan, PerubahanKegiatan, Realisasi, Rincian

SavingProgress = Callable[[int, int], Awaitable[None]]
"""Hears (kegiatan saved, kegiatan to save) while an import writes."""


@dataclass(frozen=True)
class BuatKegiatan:
    """A rencana kegiatan as an operator writes it; scheduled at once unless ``draft``."""

    unit: str
    divisi: Divisi
    judul: str
    jenis: Jenis
    jadwal: Jadwal
    rincian: Rincian = field(default_factory=Rincian)
    program_id: str | None = None
    draft: bool = False

    def kegiatan(self) -> Kegiatan:
        """The new kegiatan, still a draft."""
        return Kegiatan(
            unit=self.unit,
            divisi=self.divisi,
            judul=self.judul,
            jenis=self.jenis,
            jadwal=self.jadwal,
            program_id=self.program_id,
            **self.rincian.particulars(),
        )


@dataclass(frozen=True)
class JadwalkanKegiatan:
    """A draft is scheduled: KegiatanScheduled."""

    kegiatan_id: str


@dataclass(frozen=True)
class JadwalUlangKegiatan:
    kegiatan_id: str
    jadwal: Jadwal


@dataclass(frozen=True)
class UbahKegiatan:
    """An operator corrects a kegiatan's particulars (a scheduled one: KegiatanUpdated)."""

    kegiatan_id: str
    perubahan: PerubahanKegiatan


@dataclass(frozen=True)
class BatalkanKegiatan:
    kegiatan_id: str
    alasan: str


@dataclass(frozen=True)
class CatatRealisasi:
    """What a kegiatan achieved; it is completed."""

    kegiatan_id: str
    realisasi: Realisasi


@dataclass(frozen=True)
class ImporDokumen:
    """A plan document's kegiatan, created in one transaction (or, in a dry run, only shown)."""

    berkas: bytes = field(repr=False)
    nama: str
    unit: str | None = None
    """The owning unit; by default the one the document's title names."""
    divisi: Divisi | None = None
    """For kegiatan whose division the document does not name."""
    draft: bool = False
    """Keep every kegiatan a draft instead of scheduling those with a schedule."""
    dry_run: bool = False
    max_bytes: int = MAX_BYTES
    """The largest document taken (the service's setting)."""
    progress: SavingProgress | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class BuatTokenKalender:
    """A calendar feed token for the person signed in (issue 15, item 6)."""

    label: str


@dataclass(frozen=True)
class CabutTokenKalender:
    """One of the signed-in person's feed tokens stops working."""

    token_id: str
