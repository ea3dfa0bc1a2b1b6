"""The annual division report as an official document of the unit. No I/O here.

A report is a draft until it is issued: issuing gives it a number from the unit's register and
a date, names who signs it, and fixes it. It is issued once per unit, year and division; asking
again gives the same document, and asking with another signer is refused (a different
signature block would be a different document under the same number).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from awasi_common.errors import Conflict
from awasi_common.vocabulary import Divisi
from awasi_reporting.domain.nomor import nomor_dokumen
from awasi_reporting.domain.rezim import Pemilihan

DRAF = "DRAF"


def nomor_laporan_tahunan(seq: int, divisi: Divisi, unit: str, on: dt.date) -> str:
    """The annual report's number, e.g. ``001/LT/P2H/Kab/64.01/XII/2026``.

    The register's own form (``nomor_dokumen``: sequence, kind, level, region, month in Roman
    numerals, year) with kind ``LT`` (laporan tahunan), taken per unit and year from the same
    register as every other document. An annual report belongs to no one election, so the
    election segment (PL/PB) of a case document carries the division instead."""
    parts = nomor_dokumen(seq, "LT", Pemilihan.PEMILU, unit, on).split("/")
    parts[2] = divisi.value
    return "/".join(parts)


def jabatan_bawaan(divisi: Divisi) -> str:
    """Who signs a division's annual report when the request names no one: its coordinator."""
    return f"Koordinator Divisi {divisi.nama}"


@dataclass(frozen=True)
class Pengesahan:
    """What makes the PDF a document: its number, its date and who signs it."""

    nomor: str | None
    """None for a draft: the report is not issued yet, so it has no number of the register."""
    tanggal: dt.date
    jabatan: str
    nama: str | None = None
    """None leaves a dotted line for the signer to write their name by hand."""

    @property
    def nomor_tertulis(self) -> str:
        return self.nomor or f"— ({DRAF}, belum diterbitkan)"

    @classmethod
    def untuk(cls, divisi: Divisi, *, tanggal: dt.date, jabatan: str | None, nama: str | None) -> Pengesahan:
        """A draft's signature block: blank jabatan means the division's coordinator."""
        return cls(
            nomor=None,
            tanggal=tanggal,
            jabatan=(jabatan or "").strip() or jabatan_bawaan(divisi),
            nama=(nama or "").strip() or None,
        )


@dataclass(frozen=True)
class LaporanTahunanTerbit:
    """An issued annual division report (its PDF is kept beside it, as issued)."""

    unit: str
    tahun: int
    divisi: Divisi
    pengesahan: Pengesahan
    diterbitkan_oleh: str
    diterbitkan_pada: dt.datetime

    @classmethod
    def terbitkan(
        cls, draf: Pengesahan, *, seq: int, unit: str, tahun: int, divisi: Divisi, oleh: str, pada: dt.datetime
    ) -> LaporanTahunanTerbit:
        nomor = nomor_laporan_tahunan(seq, divisi, unit, draf.tanggal)
        pengesahan = Pengesahan(nomor=nomor, tanggal=draf.tanggal, jabatan=draf.jabatan, nama=draf.nama)
        return cls(unit, tahun, divisi, pengesahan, oleh, pada)

    def terbitkan_lagi(self, draf: Pengesahan) -> None:
        """Asked to issue again: the same signer gets the same document; another is refused."""
        if (draf.jabatan, draf.nama) != (self.pengesahan.jabatan, self.pengesahan.nama):
            ditandatangani = ", ".join(x for x in (self.pengesahan.nama, self.pengesahan.jabatan) if x)
            raise Conflict(
                f"Laporan tahunan {self.tahun} divisi {self.divisi.value} sudah diterbitkan dengan nomor "
                f"{self.pengesahan.nomor} ({ditandatangani}); penanda tangan dokumen yang sudah bernomor tidak "
                "dapat diubah.",
                field="penandatangan",
            )


# --- What the report shows ------------------------------------------------------------------

BULAN = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


@dataclass
class LaporanTahunanData:
    unit: str
    unit_nama: str
    tahun: int
    divisi: Divisi
    kegiatan_status: dict[str, int] = field(default_factory=dict)
    kegiatan_per_bulan: dict[str, list[int]] = field(default_factory=dict)
    """status -> 12 monthly counts (by start date)."""
    kegiatan: list[dict[str, Any]] = field(default_factory=list)
    target_peserta: int = 0
    peserta_hadir: int = 0
    anggaran: int = 0
    anggaran_realisasi: int = 0
    partisipasi_per_jenis: dict[str, int] = field(default_factory=dict)
    partisipasi_per_program: dict[str, int] = field(default_factory=dict)
    partisipasi_per_bulan: list[int] = field(default_factory=lambda: [0] * 12)
    statistik: dict[str, Any] = field(default_factory=dict)
