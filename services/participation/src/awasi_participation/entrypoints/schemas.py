"""Participation's HTTP request and response bodies.

Fields whose allowed values an article of Perbawaslu 2/2023 lists (sasaran, metode, bentuk,
tempat, media, …) are taken as text and turned into the domain's choices by ``to_command``,
so that a wrong value is answered with the article it breaks rather than a bare validation
error.

Every field of a request is bounded (``awasi_common.limits``). The largest events these make
stay far below Kafka's 1 MiB: LaporanPojokDiterima carries about 30,000 characters at most
(uraian 20,000, 20 saksi of 200, the pelapor and peristiwa), PemantauanRecorded about 40,000
(ringkasan 20,000 and up to 1,000 unit codes), PenilaianSet about 55,000 (50 indicators and
up to 1,000 pemantauan ids): under 350 KB even if every character took six bytes as JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from awasi_common.events.participation import PelaporPojok
from awasi_common.limits import (
    Butir,
    Catatan,
    Daftar,
    DaftarPanjang,
    DaftarPendek,
    Email,
    Id,
    Judul,
    Kalimat,
    Kamus,
    Kode,
    KodePendek,
    KodeUnit,
    Nama,
    Paragraf,
    Telepon,
    Uraian,
)
from awasi_common.vocabulary import Program
from awasi_participation.commands import (
    AturKapasitas,
    BentukProgram,
    BeriUmpanBalik,
    CatatKehadiran,
    CatatKomunikasi,
    CatatKonsultasi,
    CatatPemantauan,
    CatatPengembangan,
    CatatTindakLanjut,
    DaftarPeserta,
    LaporanPojok,
    TautkanProgram,
    TetapkanIndikator,
    TetapkanPenilaian,
)
from awasi_participation.domain.penilaian import Arah, Indikator, Metrik, media_tindak_lanjut
from awasi_participation.domain.program import jenis_komunikasi, jenis_konsultasi
from awasi_participation.domain.rincian import RINCIAN_KEY, dari_bagian


class _In(BaseModel):
    # Python's JSON reader takes NaN and Infinity, which no column or answer can hold.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    def fields(self, **changes: Any) -> dict[str, Any]:
        """The body's fields as a command takes them (lists as tuples), with ``changes``."""
        dumped = {name: tuple(v) if isinstance(v, list) else v for name, v in self.model_dump().items()}
        return dumped | changes


# --- programs --------------------------------------------------------------------------------


class ForumWargaIn(_In):
    metode: Kode | None = Field(default=None, description="dialogis atau partisipatoris (Pasal 18 ayat (1))")
    pertemuan: DaftarPendek[Kode] = Field(default=[], description="tatap_muka dan/atau daring (Pasal 17 ayat (2))")


class JamBukaIn(_In):
    hari: Kode = Field(description="senin … minggu")
    buka: Kode = Field(examples=["08:00"])
    tutup: Kode = Field(examples=["16:00"])


class PojokPengawasanIn(_In):
    tempat: Kode | None = Field(default=None, description="kantor atau ruang_publik (Pasal 19 ayat (1))")
    alamat: Kalimat | None = None
    jam_buka: DaftarPendek[JamBukaIn] = []


class PerguruanTinggiIn(_In):
    nama: Judul | None = None
    terdaftar: bool = Field(default=False, description="Terdaftar di PDDikti")
    kode_pddikti: Kode | None = None
    akreditasi: Kode | None = Field(default=None, description="unggul, baik_sekali, baik, A, B atau C")
    akreditasi_berlaku_sampai: dt.date | None = None


class KerjaSamaIn(_In):
    bentuk: DaftarPendek[Kode] = Field(
        default=[],
        description="kkn_tematik, penelitian, kuliah_umum_diskusi_seminar, magang, "
        "program_studi_tata_kelola_kepemiluan, lainnya (Pasal 23 ayat (1))",
    )
    bentuk_lainnya: Butir | None = None
    perguruan_tinggi: PerguruanTinggiIn | None = None
    nomor_perjanjian: Nama | None = Field(default=None, description="Nomor perjanjian kerja sama kedua pihak")


class PemetaanKerawananIn(_In):
    kategori: Kode | None = Field(default=None, description="rendah, sedang atau tinggi")
    sumber_ikp: Judul | None = Field(default=None, examples=["IKP Pemilu 2024"])
    tahun_ikp: int | None = Field(
        default=None,
        ge=1999,
        le=2100,
        description="Edisi IKP: tahun pemilihan yang dinamainya (bawaan: tahun yang disebut sumber_ikp); harus "
        "teraktual, paling lama 4 tahun sebelum tahun pembentukan (Pasal 25 huruf a)",
    )
    tanggal: dt.date | None = None


class AnalisisKesiapanIn(_In):
    tanggal: dt.date | None = None
    kesiapan_pelaksanaan: Paragraf | None = None
    kesiapan_perangkat_desa: Paragraf | None = None
    siap: bool = True


class KampungIn(_In):
    desa: KodeUnit | None = Field(default=None, description="Kode kelurahan/desa")
    kelompok_masyarakat: Daftar[Nama] = []
    pemetaan_kerawanan: PemetaanKerawananIn | None = None
    analisis_kesiapan: AnalisisKesiapanIn | None = None


class KomunitasDigitalIn(_In):
    melibatkan: DaftarPanjang[KodeUnit] = Field(default=[], description="Bawaslu Provinsi/Kab/Kota yang dilibatkan")
    kanal: Daftar[Judul] = Field(default=[], description="Akun atau kanal komunitas")


class ProgramIn(_In):
    unit: KodeUnit
    program: Program
    nama: Judul = Field(min_length=1)
    dibentuk_pada: dt.date | None = Field(default=None, description="Bawaan: hari ini")
    sasaran: Daftar[Kode] = Field(default=[], description="Bawaan: semua sasaran yang diatur untuk program ini")
    keterangan: Catatan | None = None
    forum_warga: ForumWargaIn | None = None
    pojok_pengawasan: PojokPengawasanIn | None = None
    kerja_sama: KerjaSamaIn | None = None
    kampung: KampungIn | None = None
    komunitas_digital: KomunitasDigitalIn | None = None

    def to_command(self, today: dt.date) -> BentukProgram:
        """The program's own section becomes its typed details (``domain.rincian``)."""
        fields = self.fields(dibentuk_pada=self.dibentuk_pada or today)
        sections = {key: fields.pop(key) for key in RINCIAN_KEY.values()}
        return BentukProgram(**fields, rincian=dari_bagian(self.program, sections))


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
    program_id: Id

    def to_command(self, kegiatan_id: str) -> TautkanProgram:
        return TautkanProgram(kegiatan_id=kegiatan_id, program_id=self.program_id)


class KapasitasIn(_In):
    kapasitas: int | None = Field(
        ge=0, le=10_000_000, description="null: ikuti target peserta di perencanaan; paling banyak 10.000.000"
    )

    def to_command(self, kegiatan_id: str) -> AturKapasitas:
        return AturKapasitas(kegiatan_id=kegiatan_id, kapasitas=self.kapasitas)


class PendaftaranIn(_In):
    nama: Nama = Field(min_length=1)
    sasaran: Kode = Field(description="Kategori sasaran peserta; harus diatur untuk programnya")
    instansi: Judul | None = None
    jenis_kelamin: KodePendek | None = None
    email: Email | None = None
    telepon: Telepon | None = None

    def to_command(self, kegiatan_id: str) -> DaftarPeserta:
        return DaftarPeserta(**self.fields(kegiatan_id=kegiatan_id))


class PendaftaranOut(BaseModel):
    peserta_id: str
    kegiatan_id: str
    program_id: str | None
    sasaran: str
    kode_hadir: str
    terdaftar_pada: dt.datetime
    pesan: str


class KehadiranIn(_In):
    kode_hadir: KodePendek = Field(min_length=4)

    def to_command(self, kegiatan_id: str) -> CatatKehadiran:
        return CatatKehadiran(kegiatan_id=kegiatan_id, kode_hadir=self.kode_hadir)


class KehadiranOut(BaseModel):
    peserta_id: str
    nama: str
    hadir_pada: dt.datetime
    baru_dicatat: bool


class UmpanBalikIn(_In):
    kode_hadir: KodePendek = Field(min_length=4)
    pemahaman_meningkat: bool
    skor: int | None = Field(default=None, ge=1, le=5)
    komentar: Catatan | None = None

    def to_command(self, kegiatan_id: str) -> BeriUmpanBalik:
        return BeriUmpanBalik(**self.fields(kegiatan_id=kegiatan_id))


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
    jenis: Kode = Field(description="informasi, konsultasi atau penyampaian_hasil_pengawasan (Pasal 19 ayat (2))")
    waktu: dt.datetime | None = Field(default=None, description="Bawaan: sekarang")
    topik: Judul = Field(min_length=1)
    ringkasan: Paragraf | None = None
    pengunjung: Nama | None = None

    def to_command(self, program_id: str, now: dt.datetime) -> CatatKonsultasi:
        jenis = jenis_konsultasi(self.jenis)
        return CatatKonsultasi(**self.fields(program_id=program_id, jenis=jenis, waktu=self.waktu or now))


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
    nama: Nama = Field(min_length=1)
    tempat_lahir: Nama | None = None
    tanggal_lahir: dt.date | None = None
    jenis_kelamin: KodePendek | None = None
    pekerjaan: Nama | None = None
    kewarganegaraan: Nama | None = None
    alamat: Kalimat | None = None
    telepon: Telepon | None = None
    email: Email | None = None


class PeristiwaIn(_In):
    apa: Butir = Field(min_length=1)
    tempat: Kalimat = Field(min_length=1)
    waktu_kejadian: dt.date
    waktu_diketahui: dt.date


class LaporanPojokIn(_In):
    pelapor: PelaporIn
    terlapor: Kalimat = Field(min_length=1)
    peristiwa: PeristiwaIn
    uraian: Uraian = Field(min_length=1)
    saksi: DaftarPendek[Nama] = Field(default=[], description="Nama saksi; reporting menerima paling banyak 20")

    def to_command(self, program_id: str) -> LaporanPojok:
        return LaporanPojok(
            program_id=program_id,
            pelapor=PelaporPojok(**self.pelapor.model_dump()),
            terlapor=self.terlapor,
            peristiwa_apa=self.peristiwa.apa,
            peristiwa_tempat=self.peristiwa.tempat,
            waktu_kejadian=self.peristiwa.waktu_kejadian,
            waktu_diketahui=self.peristiwa.waktu_diketahui,
            uraian=self.uraian,
            saksi=tuple(self.saksi),
        )


class LaporanPojokOut(BaseModel):
    laporan_pojok_id: str
    program_id: str
    diterima_pada: dt.datetime
    pesan: str


class KomunikasiIn(_In):
    jenis: Kode = Field(description="komunikasi_berkala, koordinasi atau sosialisasi (Pasal 25 huruf c dan d)")
    tanggal: dt.date
    pihak: Daftar[Nama] = Field(default=[], description="Perangkat desa/kelurahan, kelompok masyarakat")
    ringkasan: Paragraf = Field(min_length=1)

    def to_command(self, program_id: str) -> CatatKomunikasi:
        return CatatKomunikasi(**self.fields(program_id=program_id, jenis=jenis_komunikasi(self.jenis)))


class KomunikasiOut(BaseModel):
    id: str
    program_id: str
    jenis: str
    tanggal: dt.date
    pihak: list[str]
    ringkasan: str


class PengembanganIn(_In):
    unit: KodeUnit = Field(description="Unit yang membentuk Kampung Pengawasan")
    tanggal: dt.date
    kampung_dievaluasi: DaftarPanjang[Id] = Field(
        description="Seluruh Kampung Pengawasan unit ini yang dievaluasi (Pasal 27 ayat (1))"
    )
    hasil_evaluasi: Uraian = Field(min_length=1)
    pengembangan_inovasi: Uraian = Field(min_length=1)

    def to_command(self) -> CatatPengembangan:
        return CatatPengembangan(**self.fields())


class PengembanganOut(BaseModel):
    id: str
    unit: str
    tanggal: dt.date
    kampung_dievaluasi: list[str]
    hasil_evaluasi: str
    pengembangan_inovasi: str


# --- pemantauan, indikator, penilaian, tindak lanjut -----------------------------------------------


class PemantauanIn(_In):
    unit: KodeUnit
    tanggal: dt.date
    cakupan: DaftarPanjang[KodeUnit] = Field(default=[], description="Unit yang dipantau; bawaan: unit sendiri")
    program: DaftarPendek[Program] = []
    ringkasan: Uraian = Field(min_length=1)
    temuan: Daftar[Butir] = []
    rekomendasi: Daftar[Butir] = []

    def to_command(self) -> CatatPemantauan:
        return CatatPemantauan(**self.fields())


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
    kode: Kode = Field(min_length=1)
    nama: Judul = Field(min_length=1)
    target: float
    bobot: float = 1.0
    arah: Arah = Arah.MINIMAL
    metrik: Metrik | None = Field(default=None, description="Bila diisi, nilainya dihitung dari data layanan")
    satuan: Kode | None = None

    def domain(self) -> Indikator:
        return Indikator(**self.model_dump())


class IndikatorSetIn(_In):
    nama: Judul = Field(min_length=1)
    nomor_keputusan: Judul = Field(default="", description="Keputusan Ketua Bawaslu")
    tahun: int | None = Field(default=None, ge=2023, le=2100)
    indikator: Daftar[IndikatorIn]
    ambang_keberhasilan: float = Field(default=100.0, description="Persen bobot indikator yang harus terpenuhi")
    batas_tindak_lanjut_hari: int = 30

    def to_command(self) -> TetapkanIndikator:
        return TetapkanIndikator(**self.fields(indikator=tuple(i.domain() for i in self.indikator)))


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
    unit: KodeUnit = Field(description="Unit yang menilai")
    unit_dinilai: KodeUnit | None = Field(default=None, description="Bawaan: unit yang menilai")
    tahun: int = Field(ge=2023, le=2100)
    indikator_set_id: Id | None = Field(default=None, description="Bawaan: perangkat terbaru untuk tahun itu")
    nilai: Kamus[float] = Field(
        default={}, description="Nilai indikator yang tidak dihitung otomatis, menurut kode indikator"
    )
    pemantauan_ids: DaftarPanjang[Id] = []
    tanggal: dt.date | None = None
    catatan: Uraian | None = None

    def to_command(self) -> TetapkanPenilaian:
        return TetapkanPenilaian(**self.fields())


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
    evaluasi: Uraian = Field(default="", description="Evaluasi metode dan proses (Pasal 31 ayat (1) huruf a)")
    strategi_baru: Uraian = Field(default="", description="Strategi baru (Pasal 31 ayat (1) huruf b)")
    media: DaftarPendek[Kode] = Field(
        default=[], description="tatap_muka, sistem_teknologi_informasi, daring (Pasal 31 ayat (2))"
    )
    tanggal: dt.date | None = None

    def to_command(self, penilaian_id: str) -> CatatTindakLanjut:
        return CatatTindakLanjut(**self.fields(penilaian_id=penilaian_id, media=media_tindak_lanjut(self.media)))


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
    program_id: str | None = Field(default=None, description="Kampung Pengawasan (kewajiban Pasal 25 huruf c, d)")
    keterangan: str = Field(description="Cara kewajiban ini dan jumlahnya dihitung")
    dinaikkan: bool = Field(description="Sudah diberitahukan sebagai kewajiban yang terlewat")


class EvaluasiOut(BaseModel):
    dinaikkan: int
    kewajiban: list[KewajibanOut]
