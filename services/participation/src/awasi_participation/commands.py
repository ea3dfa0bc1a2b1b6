"""Participation's use cases, one command each, built by the HTTP schemas (``body.to_command()``)
and by the service's own jobs; ``service_layer.handlers.HANDLERS`` maps each to its handler."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from awasi_common.events.participation import PelaporPojok
from awasi_common.vocabulary import Program
from awasi_participation.domain.penilaian import Indikator
from awasi_participation.domain.rincian import Rincian
from awasi_participation.domain.rules import JenisKomunikasi, JenisKonsultasi, MediaTindakLanjut

# --- programs, Pojok Pengawasan, Kampung Pengawasan ------------------------------------------------


@dataclass(frozen=True)
class BentukProgram:
    unit: str
    program: Program
    nama: str
    dibentuk_pada: dt.date
    sasaran: tuple[str, ...] = ()
    """As given: which sasaran an article allows depends on the program (checked by the domain)."""
    rincian: Rincian | None = None
    keterangan: str | None = None


@dataclass(frozen=True)
class CatatKonsultasi:
    program_id: str
    jenis: JenisKonsultasi
    waktu: dt.datetime
    topik: str
    ringkasan: str | None = None
    pengunjung: str | None = None


@dataclass(frozen=True)
class LaporanPojok:
    """A public report made at a Pojok Pengawasan, handed to reporting."""

    program_id: str
    pelapor: PelaporPojok
    terlapor: str
    peristiwa_apa: str
    peristiwa_tempat: str
    waktu_kejadian: dt.date
    waktu_diketahui: dt.date
    uraian: str
    saksi: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatatKomunikasi:
    program_id: str
    jenis: JenisKomunikasi
    tanggal: dt.date
    pihak: tuple[str, ...]
    ringkasan: str


@dataclass(frozen=True)
class CatatPengembangan:
    unit: str
    tanggal: dt.date
    kampung_dievaluasi: tuple[str, ...]
    hasil_evaluasi: str
    pengembangan_inovasi: str


# --- kegiatan and peserta --------------------------------------------------------------------------


@dataclass(frozen=True)
class TautkanProgram:
    kegiatan_id: str
    program_id: str


@dataclass(frozen=True)
class AturKapasitas:
    kegiatan_id: str
    kapasitas: int | None


@dataclass(frozen=True)
class DaftarPeserta:
    kegiatan_id: str
    nama: str
    sasaran: str
    """As given: which sasaran is allowed depends on the kegiatan's program (checked by the domain)."""
    instansi: str | None = None
    jenis_kelamin: str | None = None
    email: str | None = None
    telepon: str | None = None


@dataclass(frozen=True)
class CatatKehadiran:
    kegiatan_id: str
    kode_hadir: str


@dataclass(frozen=True)
class BeriUmpanBalik:
    kegiatan_id: str
    kode_hadir: str
    pemahaman_meningkat: bool
    skor: int | None = None
    komentar: str | None = None


# --- pemantauan, indicators, penilaian, tindak lanjut, obligations ---------------------------------


@dataclass(frozen=True)
class CatatPemantauan:
    unit: str
    tanggal: dt.date
    ringkasan: str
    cakupan: tuple[str, ...] = ()
    program: tuple[Program, ...] = ()
    temuan: tuple[str, ...] = ()
    rekomendasi: tuple[str, ...] = ()


@dataclass(frozen=True)
class TetapkanIndikator:
    nama: str
    nomor_keputusan: str
    indikator: tuple[Indikator, ...]
    tahun: int | None = None
    ambang_keberhasilan: float = 100.0
    batas_tindak_lanjut_hari: int = 30


@dataclass(frozen=True)
class TetapkanPenilaian:
    unit: str
    tahun: int
    unit_dinilai: str | None = None
    indikator_set_id: str | None = None
    nilai: Mapping[str, float] = field(default_factory=dict)
    pemantauan_ids: tuple[str, ...] = ()
    tanggal: dt.date | None = None
    catatan: str | None = None


@dataclass(frozen=True)
class CatatTindakLanjut:
    penilaian_id: str
    evaluasi: str
    strategi_baru: str
    media: tuple[MediaTindakLanjut, ...]
    tanggal: dt.date | None = None


@dataclass(frozen=True)
class EvaluasiKewajiban:
    """Raise the obligations that fell due unmet by ``now`` (the job's round, or an operator's)."""

    lookback_days: int
    now: dt.datetime | None = None
