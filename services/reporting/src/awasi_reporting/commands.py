"""Reporting's use cases, one frozen dataclass each: built by the HTTP schemas
(``body.to_command(...)``), the public pages and the consumers, and run by
``service_layer.handlers.HANDLERS`` through the service's ``CommandBus``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

from awasi_common.calendar import local_date
from awasi_common.vocabulary import Divisi
from awasi_reporting.domain.bukti import BatasBukti, BerkasMasuk
from awasi_reporting.domain.laporan_tahunan import Pengesahan
from awasi_reporting.domain.pelapor import Pelapor, Peristiwa, PerubahanPelapor, Saksi
from awasi_reporting.domain.pengawasan import (
    BentukPencegahan,
    DataPengawas,
    DugaanPelanggaran,
    DugaanSengketa,
    HasilPsap,
    KegiatanPengawasan,
    Pencegahan,
    PenertibanApk,
)
from awasi_reporting.domain.rezim import Pemilihan
from awasi_reporting.domain.vocabulary import AlasanTidakRegistrasi, JenisPerkara, JenisPutusan, Kanal, Tahapan

# --- Intake and the reporter ---------------------------------------------------------------------


@dataclass(frozen=True)
class SubmitLaporan:
    """A laporan comes in: on the web form, from staff writing down a call, or from a Pojok
    Pengawasan report (``sumber_id``, its id there). Evidence files are checked against
    ``limits`` (files without limits are not taken)."""

    unit: str
    kanal: Kanal
    pelapor: Pelapor
    terlapor: str
    peristiwa: Peristiwa
    uraian: str
    saksi: tuple[Saksi, ...] = ()
    pemilihan: Pemilihan = Pemilihan.PEMILU
    tahapan: Tahapan | None = None
    diterima_pada: dt.datetime | None = None
    sumber_id: str | None = None
    files: tuple[BerkasMasuk, ...] = field(default=(), repr=False)
    limits: BatasBukti | None = None


@dataclass(frozen=True)
class LampirkanBukti:
    """Staff attach evidence they received for a laporan (e.g. by call center)."""

    laporan_id: str
    files: tuple[BerkasMasuk, ...] = field(repr=False)
    limits: BatasBukti


@dataclass(frozen=True)
class LengkapiOlehPelapor:
    """The reporter, known by tracking code and secret, supplies what was asked for."""

    kode: str
    rahasia: str = field(repr=False)
    pelapor: PerubahanPelapor
    """The identity fields given (only those are changed)."""
    saksi: tuple[Saksi, ...]
    keterangan: str | None
    files: tuple[BerkasMasuk, ...] = field(repr=False)
    limits: BatasBukti


@dataclass(frozen=True)
class LihatIdentitas:
    """The reporter's and witnesses' identity, audited (granted or refused)."""

    laporan_id: str
    tujuan: str


@dataclass(frozen=True)
class UnduhBukti:
    """An evidence file, under the same rule and audit as the identity."""

    laporan_id: str
    bukti_id: str


# --- Handling a laporan (its own steps) -----------------------------------------------------------


@dataclass(frozen=True)
class MulaiKajianAwal:
    laporan_id: str
    catatan: str | None = None


@dataclass(frozen=True)
class MintaKelengkapan:
    laporan_id: str
    kekurangan: tuple[str, ...] = ()
    """Empty: the requirements found missing."""
    catatan: str | None = None


@dataclass(frozen=True)
class CatatKelengkapan:
    """Staff write down what the reporter supplied."""

    laporan_id: str
    pelapor: PerubahanPelapor | None = None
    saksi: tuple[Saksi, ...] = ()
    keterangan: str | None = None


@dataclass(frozen=True)
class RegistrasiLaporan:
    laporan_id: str
    catatan: str | None = None


@dataclass(frozen=True)
class TolakRegistrasi:
    laporan_id: str
    alasan: AlasanTidakRegistrasi
    keterangan: str


LANGKAH_LAPORAN = (MulaiKajianAwal, MintaKelengkapan, CatatKelengkapan, RegistrasiLaporan, TolakRegistrasi)
"""The steps only a laporan takes (before registration)."""


# --- Handling a laporan or a temuan (the steps they share) ----------------------------------------


@dataclass(frozen=True)
class MulaiKlarifikasi:
    jenis: JenisPerkara
    perkara_id: str
    catatan: str | None = None


@dataclass(frozen=True)
class PerpanjangTenggat:
    jenis: JenisPerkara
    perkara_id: str
    alasan: str


@dataclass(frozen=True)
class PutuskanPerkara:
    jenis: JenisPerkara
    perkara_id: str
    putusan: JenisPutusan
    pertimbangan: str
    instansi: str | None = None


@dataclass(frozen=True)
class TeruskanPerkara:
    jenis: JenisPerkara
    perkara_id: str
    nomor_surat: str | None = None
    catatan: str | None = None


@dataclass(frozen=True)
class LimpahkanPerkara:
    """Pelimpahan: the handling unit hands the case down to a unit below it."""

    jenis: JenisPerkara
    perkara_id: str
    ke_unit: str
    alasan: str


@dataclass(frozen=True)
class AmbilAlihPerkara:
    """Pengambilalihan: a unit above the handling unit (``ke_unit``) takes the case over."""

    jenis: JenisPerkara
    perkara_id: str
    ke_unit: str
    alasan: str


@dataclass(frozen=True)
class SelesaikanPerkara:
    jenis: JenisPerkara
    perkara_id: str
    catatan: str | None = None


LANGKAH_PERKARA = (
    MulaiKlarifikasi,
    PerpanjangTenggat,
    PutuskanPerkara,
    TeruskanPerkara,
    LimpahkanPerkara,
    AmbilAlihPerkara,
    SelesaikanPerkara,
)
"""The steps laporan and temuan share."""


# --- Temuan and supervision records -------------------------------------------------------------


@dataclass(frozen=True)
class CatatTemuan:
    unit: str
    peristiwa: Peristiwa
    terlapor: str
    uraian: str
    pemilihan: Pemilihan = Pemilihan.PEMILU
    tahapan: Tahapan | None = None
    form_a_id: str | None = None


@dataclass(frozen=True)
class SampaikanFormA:
    """One Form A (Laporan Hasil Pengawasan), alone or in a collective submission."""

    unit: str
    pemilihan: Pemilihan
    data_pengawas: DataPengawas
    kegiatan: KegiatanPengawasan
    uraian_singkat: str
    dugaan_pelanggaran: tuple[DugaanPelanggaran, ...] = ()
    dugaan_sengketa: tuple[DugaanSengketa, ...] = ()
    kunci_idempotensi: str | None = None
    """The client's ``Idempotency-Key``: a repeat with it answers the first Form A (see
    ``service_layer/idempotensi.py``). Not part of the form's content."""


@dataclass(frozen=True)
class SampaikanFormAKolektif:
    """Several Form A in one transaction: all or none are kept."""

    forms: tuple[SampaikanFormA, ...]
    kunci_idempotensi: str | None = None
    """The client's ``Idempotency-Key`` for the whole submission."""


@dataclass(frozen=True)
class CatatPencegahan:
    """A prevention act (surat imbauan or Form F)."""

    record_type: ClassVar[type[Pencegahan]] = Pencegahan

    unit: str
    bentuk: BentukPencegahan
    tanggal: dt.date
    tahapan: Tahapan | None
    perihal: str
    ditujukan_kepada: str | None = None
    nomor: str | None = None
    uraian: str | None = None


@dataclass(frozen=True)
class CatatPenertibanApk:
    """Campaign props taken down."""

    record_type: ClassVar[type[PenertibanApk]] = PenertibanApk

    unit: str
    tanggal: dt.date
    tahapan: Tahapan | None
    lokasi: str
    jumlah: int
    jenis_apk: str | None = None
    bersama: str | None = None
    keterangan: str | None = None


@dataclass(frozen=True)
class TerimaPsap:
    """A dispute between election participants comes in."""

    unit: str
    pemilihan: Pemilihan
    tahapan: Tahapan | None
    tanggal_permohonan: dt.date
    pemohon: str
    termohon: str
    objek_sengketa: str


@dataclass(frozen=True)
class SelesaikanPsap:
    psap_id: str
    hasil: HasilPsap
    keterangan: str


# --- Deadlines and the annual report --------------------------------------------------------------


@dataclass(frozen=True)
class PeriksaTenggat:
    """Alert every handling deadline that passed with its step not taken. Without ``today``
    each case is checked on its own unit's date."""

    today: dt.date | None = None


@dataclass(frozen=True)
class LupakanKunciIdempotensi:
    """Delete the idempotency keys of Form A submissions older than ``sebelum`` (the
    service's own job, or an admin)."""

    sebelum: dt.datetime


@dataclass(frozen=True)
class LaporanTahunan:
    """Which annual division report, and who signs it."""

    unit: str
    tahun: int
    divisi: Divisi
    penandatangan: str | None = None
    jabatan: str | None = None

    def draf(self, now: dt.datetime) -> Pengesahan:
        return Pengesahan.untuk(
            self.divisi, tanggal=local_date(now, self.unit), jabatan=self.jabatan, nama=self.penandatangan
        )


@dataclass(frozen=True)
class TerbitkanLaporanTahunan(LaporanTahunan):
    """Issue the report: numbered once, kept as issued."""
