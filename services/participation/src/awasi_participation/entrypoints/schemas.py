"""Participation's HTTP request and response bodies.

Fields whose allowed values an article of Perbawaslu 2/2023 lists (sasaran, metode, bentuk,
tempat, media, …) are taken as text and checked by the domain, so that a wrong value is
answered with the article it breaks rather than a bare validation error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from awasi_common.events.participation import PelaporPojok
from awasi_common.units import UnitCode
from awasi_common.vocabulary import Program
from awasi_participation.domain.model import Arah, Indikator, Metrik
from awasi_participation.service_layer.handlers import BentukProgram, LaporanPojok, Pendaftaran


class _In(BaseModel):
    # Python's JSON reader takes NaN and Infinity, which no column or answer can hold.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


# --- programs --------------------------------------------------------------------------------


class ForumWargaIn(_In):
    metode: str | None = Field(default=None, description="dialogis atau partisipatoris (Pasal 18 ayat (1))")
    pertemuan: list[str] = Field(default=[], description="tatap_muka dan/atau daring (Pasal 17 ayat (2))")


class JamBukaIn(_In):
    hari: str = Field(description="senin … minggu")
    buka: str = Field(examples=["08:00"])
    tutup: str = Field(examples=["16:00"])


class PojokPengawasanIn(_In):
    tempat: str | None = Field(default=None, description="kantor atau ruang_publik (Pasal 19 ayat (1))")
    alamat: str | None = Field(default=None, max_length=1000)
    jam_buka: list[JamBukaIn] = []


class PerguruanTinggiIn(_In):
    nama: str | None = Field(default=None, max_length=300)
    terdaftar: bool = Field(default=False, description="Terdaftar di PDDikti")
    kode_pddikti: str | None = Field(default=None, max_length=20)
    akreditasi: str | None = Field(default=None, description="unggul, baik_sekali, baik, A, B atau C")
    akreditasi_berlaku_sampai: dt.date | None = None


class KerjaSamaIn(_In):
    bentuk: list[str] = Field(
        default=[],
        description="kkn_tematik, penelitian, kuliah_umum_diskusi_seminar, magang, "
        "program_studi_tata_kelola_kepemiluan, lainnya (Pasal 23 ayat (1))",
    )
    bentuk_lainnya: str | None = Field(default=None, max_length=2000)
    perguruan_tinggi: PerguruanTinggiIn | None = None
    nomor_perjanjian: str | None = Field(default=None, max_length=200)


class PemetaanKerawananIn(_In):
    kategori: str | None = Field(default=None, description="rendah, sedang atau tinggi")
    sumber_ikp: str | None = Field(default=None, max_length=300, examples=["IKP Pemilu 2024"])
    tanggal: dt.date | None = None


class AnalisisKesiapanIn(_In):
    tanggal: dt.date | None = None
    kesiapan_pelaksanaan: str | None = Field(default=None, max_length=10000)
    kesiapan_perangkat_desa: str | None = Field(default=None, max_length=10000)
    siap: bool = True


class KampungIn(_In):
    desa: UnitCode | None = Field(default=None, description="Kode kelurahan/desa")
    kelompok_masyarakat: list[str] = []
    pemetaan_kerawanan: PemetaanKerawananIn | None = None
    analisis_kesiapan: AnalisisKesiapanIn | None = None


class KomunitasDigitalIn(_In):
    melibatkan: list[UnitCode] = Field(default=[], description="Bawaslu Provinsi/Kab/Kota yang dilibatkan")
    kanal: list[str] = Field(default=[], description="Akun atau kanal komunitas")


class ProgramIn(_In):
    unit: UnitCode
    program: Program
    nama: str = Field(min_length=1, max_length=300)
    dibentuk_pada: dt.date | None = Field(default=None, description="Bawaan: hari ini")
    sasaran: list[str] = Field(default=[], description="Bawaan: semua sasaran yang diatur untuk program ini")
    keterangan: str | None = Field(default=None, max_length=5000)
    forum_warga: ForumWargaIn | None = None
    pojok_pengawasan: PojokPengawasanIn | None = None
    kerja_sama: KerjaSamaIn | None = None
    kampung: KampungIn | None = None
    komunitas_digital: KomunitasDigitalIn | None = None

    def command(self, today: dt.date) -> BentukProgram:
        sections = {
            key: getattr(self, key).model_dump() if getattr(self, key) is not None else None
            for key in ("forum_warga", "pojok_pengawasan", "kerja_sama", "kampung", "komunitas_digital")
        }
        return BentukProgram(
            unit=self.unit,
            program=self.program,
            nama=self.nama,
            dibentuk_pada=self.dibentuk_pada or today,
            sasaran=self.sasaran,
            rincian=sections,
            keterangan=self.keterangan,
        )


class ProgramOut(BaseModel):
    id: str
    unit: str
    nama_unit: str | None
    program: Program
    jenis: str
    nama: str
    dibentuk_pada: dt.date
    sasaran: list[str]
    rincian: dict[str, Any] | None
    melibatkan: list[str]
    keterangan: str | None
    kegiatan: int | None = None
    ringkasan: dict[str, Any] | None = None


# --- kegiatan and peserta ---------------------------------------------------------------------


class ProgramKegiatanOut(BaseModel):
    kegiatan_id: str
    unit: str
    program: Program
    program_id: str | None
    tautan_manual: bool
    judul: str
    mulai: dt.date
    selesai: dt.date
    status: str
    lokasi: str | None
    target_peserta: int | None
    kapasitas: int | None
    kapasitas_efektif: int | None
    peserta_hadir: int | None = Field(description="Realisasi yang dilaporkan di perencanaan")
    terdaftar: int
    hadir: int = Field(description="Peserta yang check-in dengan kode hadir")


class KegiatanInfoOut(BaseModel):
    """What anyone may see before registering."""

    kegiatan_id: str
    program: Program
    jenis: str
    judul: str
    mulai: dt.date
    selesai: dt.date
    lokasi: str | None
    status: str
    kapasitas: int | None
    sisa_kuota: int | None
    sasaran: list[str]


class TautanIn(_In):
    program_id: str


class KapasitasIn(_In):
    kapasitas: int | None = Field(
        ge=0, le=10_000_000, description="null: ikuti target peserta di perencanaan; paling banyak 10.000.000"
    )


class PendaftaranIn(_In):
    nama: str = Field(min_length=1, max_length=300)
    sasaran: str = Field(description="Kategori sasaran peserta; harus diatur untuk programnya")
    instansi: str | None = Field(default=None, max_length=300)
    jenis_kelamin: str | None = Field(default=None, max_length=16)
    email: EmailStr | None = None
    telepon: str | None = Field(default=None, max_length=40)

    def data(self) -> Pendaftaran:
        return Pendaftaran(**self.model_dump())


class PendaftaranOut(BaseModel):
    peserta_id: str
    kegiatan_id: str
    program_id: str | None
    sasaran: str
    kode_hadir: str
    terdaftar_pada: dt.datetime
    pesan: str


class KehadiranIn(_In):
    kode_hadir: str = Field(min_length=4, max_length=16)


class KehadiranOut(BaseModel):
    peserta_id: str
    nama: str
    hadir_pada: dt.datetime
    baru_dicatat: bool


class UmpanBalikIn(_In):
    kode_hadir: str = Field(min_length=4, max_length=16)
    pemahaman_meningkat: bool
    skor: int | None = Field(default=None, ge=1, le=5)
    komentar: str | None = Field(default=None, max_length=5000)


class UmpanBalikOut(BaseModel):
    peserta_id: str
    pemahaman_meningkat: bool
    skor: int | None
    diberikan_pada: dt.datetime


class PesertaOut(BaseModel):
    id: str
    nama: str
    sasaran: str
    instansi: str | None
    jenis_kelamin: str | None
    email: str | None
    telepon: str | None
    terdaftar_pada: dt.datetime
    hadir_pada: dt.datetime | None


class KegiatanRingkasanOut(BaseModel):
    terdaftar: int
    hadir: int
    persentase_kehadiran: float | None
    per_sasaran: dict[str, dict[str, int]]
    umpan_balik: int
    pemahaman_meningkat: int
    persentase_pemahaman_meningkat: float | None
    skor_rata_rata: float | None


# --- Pojok Pengawasan and Kampung Pengawasan -----------------------------------------------------


class KonsultasiIn(_In):
    jenis: str = Field(description="informasi, konsultasi atau penyampaian_hasil_pengawasan (Pasal 19 ayat (2))")
    waktu: dt.datetime | None = Field(default=None, description="Bawaan: sekarang")
    topik: str = Field(min_length=1, max_length=500)
    ringkasan: str | None = Field(default=None, max_length=10000)
    pengunjung: str | None = Field(default=None, max_length=300)


class KonsultasiOut(BaseModel):
    id: str
    program_id: str
    jenis: str
    waktu: dt.datetime
    topik: str
    ringkasan: str | None
    pengunjung: str | None
    di_luar_jam_layanan: bool


class PelaporIn(_In):
    nama: str = Field(min_length=1, max_length=300)
    tempat_lahir: str | None = Field(default=None, max_length=200)
    tanggal_lahir: dt.date | None = None
    jenis_kelamin: str | None = Field(default=None, max_length=16)
    pekerjaan: str | None = Field(default=None, max_length=200)
    kewarganegaraan: str | None = Field(default=None, max_length=100)
    alamat: str | None = Field(default=None, max_length=1000)
    telepon: str | None = Field(default=None, max_length=40)
    email: EmailStr | None = None


class PeristiwaIn(_In):
    apa: str = Field(min_length=1, max_length=2000)
    tempat: str = Field(min_length=1, max_length=1000)
    waktu_kejadian: dt.date
    waktu_diketahui: dt.date


class LaporanPojokIn(_In):
    pelapor: PelaporIn
    terlapor: str = Field(min_length=1, max_length=1000)
    peristiwa: PeristiwaIn
    uraian: str = Field(min_length=1, max_length=20000)
    saksi: list[str] = []

    def data(self) -> LaporanPojok:
        return LaporanPojok(
            pelapor=PelaporPojok(**self.pelapor.model_dump()),
            terlapor=self.terlapor,
            peristiwa_apa=self.peristiwa.apa,
            peristiwa_tempat=self.peristiwa.tempat,
            waktu_kejadian=self.peristiwa.waktu_kejadian,
            waktu_diketahui=self.peristiwa.waktu_diketahui,
            uraian=self.uraian,
            saksi=self.saksi,
        )


class LaporanPojokOut(BaseModel):
    laporan_pojok_id: str
    program_id: str
    diterima_pada: dt.datetime
    pesan: str


class KomunikasiIn(_In):
    jenis: str = Field(description="komunikasi_berkala, koordinasi atau sosialisasi (Pasal 25 huruf c dan d)")
    tanggal: dt.date
    pihak: list[str] = Field(default=[], description="Perangkat desa/kelurahan, kelompok masyarakat")
    ringkasan: str = Field(min_length=1, max_length=10000)


class KomunikasiOut(BaseModel):
    id: str
    program_id: str
    jenis: str
    tanggal: dt.date
    pihak: list[str]
    ringkasan: str


# --- pemantauan, indikator, penilaian, tindak lanjut -----------------------------------------------


class PemantauanIn(_In):
    unit: UnitCode
    tanggal: dt.date
    cakupan: list[UnitCode] = Field(default=[], description="Unit yang dipantau; bawaan: unit sendiri")
    program: list[Program] = []
    ringkasan: str = Field(min_length=1, max_length=20000)
    temuan: list[str] = []
    rekomendasi: list[str] = []


class PemantauanOut(BaseModel):
    id: str
    unit: str
    tanggal: dt.date
    cakupan: list[str]
    program: list[Program]
    ringkasan: str
    temuan: list[str]
    rekomendasi: list[str]


class IndikatorIn(_In):
    kode: str = Field(min_length=1, max_length=40)
    nama: str = Field(min_length=1, max_length=500)
    target: float
    bobot: float = 1.0
    arah: Arah = Arah.MINIMAL
    metrik: Metrik | None = Field(default=None, description="Bila diisi, nilainya dihitung dari data layanan")
    satuan: str | None = Field(default=None, max_length=40)

    def domain(self) -> Indikator:
        return Indikator(**self.model_dump())


class IndikatorSetIn(_In):
    nama: str = Field(min_length=1, max_length=300)
    nomor_keputusan: str = Field(default="", max_length=300, description="Keputusan Ketua Bawaslu")
    tahun: int | None = Field(default=None, ge=2023, le=2100)
    indikator: list[IndikatorIn]
    ambang_keberhasilan: float = Field(default=100.0, description="Persen bobot indikator yang harus terpenuhi")
    batas_tindak_lanjut_hari: int = 30


class IndikatorOut(BaseModel):
    kode: str
    nama: str
    target: float
    bobot: float
    arah: Arah
    metrik: Metrik | None
    satuan: str | None


class IndikatorSetOut(BaseModel):
    id: str
    nama: str
    nomor_keputusan: str
    tahun: int | None
    indikator: list[IndikatorOut]
    ambang_keberhasilan: float
    batas_tindak_lanjut_hari: int
    ditetapkan_pada: dt.date


class PenilaianIn(_In):
    unit: UnitCode = Field(description="Unit yang menilai")
    unit_dinilai: UnitCode | None = Field(default=None, description="Bawaan: unit yang menilai")
    tahun: int = Field(ge=2023, le=2100)
    indikator_set_id: str | None = Field(default=None, description="Bawaan: perangkat terbaru untuk tahun itu")
    nilai: dict[str, float] = Field(default={}, description="Nilai indikator yang tidak dihitung otomatis")
    pemantauan_ids: list[str] = []
    tanggal: dt.date | None = None
    catatan: str | None = Field(default=None, max_length=20000)


class HasilIndikatorOut(BaseModel):
    kode: str
    nama: str
    target: float
    nilai: float
    terpenuhi: bool


class TindakLanjutOut(BaseModel):
    id: str
    tanggal: dt.date
    evaluasi: str
    strategi_baru: str
    media: list[str]
    terlambat: bool
    dicatat_oleh: str


class PenilaianOut(BaseModel):
    id: str
    unit: str
    unit_dinilai: str
    tahun: int
    indikator_set_id: str
    tanggal: dt.date
    hasil: list[HasilIndikatorOut]
    skor: float
    memenuhi: bool
    pemantauan_ids: list[str]
    catatan: str | None
    status_tindak_lanjut: str
    unit_tindak_lanjut: str | None
    batas_tindak_lanjut: dt.date | None
    tindak_lanjut: TindakLanjutOut | None


class TindakLanjutIn(_In):
    evaluasi: str = Field(
        default="", max_length=20000, description="Evaluasi metode dan proses (Pasal 31 ayat (1) huruf a)"
    )
    strategi_baru: str = Field(default="", max_length=20000, description="Strategi baru (Pasal 31 ayat (1) huruf b)")
    media: list[str] = Field(
        default=[], description="tatap_muka, sistem_teknologi_informasi, daring (Pasal 31 ayat (2))"
    )
    tanggal: dt.date | None = None


# --- obligations and the national view ----------------------------------------------------------


class KewajibanOut(BaseModel):
    id: str
    jenis: str
    unit: str
    nama_unit: str | None
    periode: str
    periode_label: str
    mulai: dt.date
    batas_waktu: dt.date
    wajib: int
    terlaksana: int
    kurang: int
    status: str
    pasal: str
    penilaian_id: str | None
    dinaikkan: bool = Field(description="Sudah diberitahukan sebagai kewajiban yang terlewat")


class EvaluasiOut(BaseModel):
    dinaikkan: int
    kewajiban: list[KewajibanOut]
