"""What reporting's HTTP API takes and gives. Outputs never carry a reporter's or a
witness's identity, except ``IdentitasOut`` (audited, for the handling unit only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from awasi_common.units import UnitCode, unit_name
from awasi_reporting.domain.model import (
    AlasanTidakRegistrasi,
    JenisKelamin,
    JenisPutusan,
    Kanal,
    KategoriPelapor,
    Laporan,
    Pelapor,
    Pemilihan,
    Peristiwa,
    Perkara,
    Saksi,
    Tahapan,
    Temuan,
)
from awasi_reporting.domain.pengawasan import (
    BentukPencegahan,
    BentukPengawasan,
    HasilPsap,
)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PelaporIn(_In):
    """Formulir Model B.1, identitas pelapor."""

    kategori: KategoriPelapor = KategoriPelapor.WNI_HAK_PILIH
    nama: str = Field(min_length=2, max_length=200)
    tempat_lahir: str | None = Field(default=None, max_length=100)
    tanggal_lahir: dt.date | None = None
    jenis_kelamin: JenisKelamin | None = None
    pekerjaan: str | None = Field(default=None, max_length=100)
    kewarganegaraan: str | None = Field(default="Indonesia", max_length=60)
    alamat: str | None = Field(default=None, max_length=500)
    telepon: str | None = Field(default=None, max_length=32, pattern=r"^[0-9+()\- ]{6,32}$")
    email: EmailStr | None = None
    pernah_kawin: bool = False
    nomor_akreditasi: str | None = Field(default=None, max_length=100)
    peserta: str | None = Field(default=None, max_length=200)

    def to_domain(self) -> Pelapor:
        return Pelapor(**self.model_dump())


class PelaporPatch(_In):
    """Identity fields a reporter supplies later (only those given are changed)."""

    tempat_lahir: str | None = Field(default=None, max_length=100)
    tanggal_lahir: dt.date | None = None
    jenis_kelamin: JenisKelamin | None = None
    pekerjaan: str | None = Field(default=None, max_length=100)
    kewarganegaraan: str | None = Field(default=None, max_length=60)
    alamat: str | None = Field(default=None, max_length=500)
    telepon: str | None = Field(default=None, max_length=32, pattern=r"^[0-9+()\- ]{6,32}$")
    email: EmailStr | None = None

    def given(self) -> dict[str, Any]:
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else getattr(v, "value", v))
            for k, v in self.model_dump(exclude_none=True).items()
        }


class PeristiwaIn(_In):
    apa: str = Field(min_length=3, max_length=2000, description="Peristiwa yang dilaporkan")
    tempat: str = Field(min_length=2, max_length=500, description="Tempat kejadian")
    waktu_kejadian: dt.date
    waktu_diketahui: dt.date

    def to_domain(self) -> Peristiwa:
        return Peristiwa(**self.model_dump())


class SaksiIn(_In):
    nama: str = Field(min_length=2, max_length=200)
    alamat: str | None = Field(default=None, max_length=500)
    telepon: str | None = Field(default=None, max_length=32)

    def to_domain(self) -> Saksi:
        return Saksi(**self.model_dump())


class LaporanIn(_In):
    unit: UnitCode = Field(description="Unit pengawas yang dituju")
    kanal: Kanal = Kanal.WEB
    pemilihan: Pemilihan = Pemilihan.PEMILU
    tahapan: Tahapan | None = None
    pelapor: PelaporIn
    terlapor: str = Field(min_length=2, max_length=500)
    peristiwa: PeristiwaIn
    saksi: list[SaksiIn] = Field(default_factory=list, max_length=20)
    uraian: str = Field(min_length=10, max_length=20000)
    diterima_pada: dt.datetime | None = Field(
        default=None,
        description="Saat laporan diterima petugas (kanal selain web); bawaan: sekarang",
    )


class BuktiOut(BaseModel):
    id: str
    nama_berkas: str
    jenis: str
    ukuran: int
    diunggah_pada: dt.datetime


class TandaTerima(BaseModel):
    nomor: str
    kode_pelacakan: str
    unit: str
    unit_nama: str | None
    kanal: Kanal
    diterima_pada: dt.datetime
    tenggat_kajian_awal: dt.date | None
    peristiwa: str
    bukti: list[BuktiOut]
    belum_lengkap: list[str]
    """What the laporan still lacks to be registered (the reporter is told early)."""
    daluwarsa: bool


class LaporanReceipt(BaseModel):
    laporan_id: str
    kode_pelacakan: str
    kode_rahasia: str = Field(description="Tunjukkan hanya sekali; dipakai untuk memantau status laporan")
    diterima_pada: dt.datetime
    pesan: str
    tanda_terima: TandaTerima


def tanda_terima(laporan: Laporan) -> TandaTerima:
    assert laporan.peristiwa is not None
    return TandaTerima(
        nomor=laporan.nomor_tanda_terima,
        kode_pelacakan=laporan.kode_pelacakan,
        unit=laporan.unit,
        unit_nama=unit_name(laporan.unit),
        kanal=laporan.kanal,
        diterima_pada=laporan.diterima_pada,
        tenggat_kajian_awal=laporan.tenggat,
        peristiwa=laporan.peristiwa.apa,
        bukti=[BuktiOut(**b.__dict__) for b in laporan.bukti] if laporan.bukti else [],
        belum_lengkap=laporan.kekurangan_syarat(),
        daluwarsa=laporan.daluwarsa,
    )


class RiwayatOut(BaseModel):
    status: str
    label: str
    pada: dt.datetime
    unit: str
    oleh: str
    catatan: str | None


class _PerkaraOut(BaseModel):
    id: str
    unit: str
    unit_nama: str | None
    pemilihan: Pemilihan
    tahapan: Tahapan | None
    status: str
    status_label: str
    nomor_register: str | None
    terlapor: str
    peristiwa: PeristiwaIn
    uraian: str
    tenggat: dt.date | None
    tahap_tenggat: str | None
    tenggat_diperpanjang: bool
    putusan: JenisPutusan | None
    diteruskan_ke: str | None
    pertimbangan: str | None
    nomor_surat_penerusan: str | None
    langkah_berikutnya: list[str]
    riwayat: list[RiwayatOut]
    versi: int


def _perkara_fields(perkara: Perkara) -> dict[str, Any]:
    peristiwa = getattr(perkara, "peristiwa", None)
    assert peristiwa is not None
    return {
        "id": perkara.id,
        "unit": perkara.unit,
        "unit_nama": unit_name(perkara.unit),
        "pemilihan": perkara.pemilihan,
        "tahapan": perkara.tahapan,
        "status": perkara.status.value,
        "status_label": perkara.status.label,
        "nomor_register": perkara.nomor_register,
        "terlapor": getattr(perkara, "terlapor", ""),
        "peristiwa": PeristiwaIn.model_validate(peristiwa.__dict__),
        "uraian": getattr(perkara, "uraian", ""),
        "tenggat": perkara.tenggat,
        "tahap_tenggat": perkara.tahap_tenggat,
        "tenggat_diperpanjang": perkara.tenggat_diperpanjang,
        "putusan": perkara.putusan,
        "diteruskan_ke": perkara.diteruskan_ke,
        "pertimbangan": perkara.pertimbangan,
        "nomor_surat_penerusan": perkara.nomor_surat_penerusan,
        "langkah_berikutnya": [s.value for s in perkara.allowed_next()],
        "riwayat": [
            RiwayatOut(
                status=r.status.value, label=r.status.label, pada=r.pada, unit=r.unit, oleh=r.oleh, catatan=r.catatan
            )
            for r in perkara.riwayat
        ],
        "versi": perkara.versi,
    }


class LaporanOut(_PerkaraOut):
    """A laporan as staff see it: everything but who reported it and who witnessed."""

    kode_pelacakan: str
    kanal: Kanal
    diterima_pada: dt.datetime
    nomor_tanda_terima: str
    daluwarsa: bool
    kekurangan_syarat: list[str]
    kekurangan_diminta: list[str]
    batas_melengkapi: dt.date | None
    alasan_tidak_registrasi: AlasanTidakRegistrasi | None
    keterangan_tidak_registrasi: str | None
    jumlah_saksi: int
    bukti: list[BuktiOut]

    @classmethod
    def of(cls, laporan: Laporan) -> LaporanOut:
        return cls(
            **_perkara_fields(laporan),
            kode_pelacakan=laporan.kode_pelacakan,
            kanal=laporan.kanal,
            diterima_pada=laporan.diterima_pada,
            nomor_tanda_terima=laporan.nomor_tanda_terima,
            daluwarsa=laporan.daluwarsa,
            kekurangan_syarat=laporan.kekurangan_syarat(),
            kekurangan_diminta=laporan.kekurangan,
            batas_melengkapi=laporan.batas_melengkapi,
            alasan_tidak_registrasi=laporan.alasan_tidak_registrasi,
            keterangan_tidak_registrasi=laporan.keterangan_tidak_registrasi,
            jumlah_saksi=laporan.jumlah_saksi,
            bukti=[BuktiOut(**b.__dict__) for b in laporan.bukti],
        )


class TemuanOut(_PerkaraOut):
    dicatat_pada: dt.datetime
    form_a_id: str | None

    @classmethod
    def of(cls, temuan: Temuan) -> TemuanOut:
        return cls(**_perkara_fields(temuan), dicatat_pada=temuan.dicatat_pada, form_a_id=temuan.form_a_id)


class IdentitasOut(BaseModel):
    """Confidential: the reporter and witnesses of one laporan. This answer was audited."""

    laporan_id: str
    kode_pelacakan: str
    pelapor: PelaporIn
    saksi: list[SaksiIn]
    catatan: str = "Identitas pelapor bersifat rahasia. Akses ini tercatat dalam log audit."


class AksesOut(BaseModel):
    subjek: str
    peran: str
    unit_akun: str
    tujuan: str
    diizinkan: bool
    pada: dt.datetime


# --- Handling steps -------------------------------------------------------------------------


class CatatanIn(_In):
    catatan: str | None = Field(default=None, max_length=5000)


class KekuranganIn(_In):
    kekurangan: list[str] = Field(
        default_factory=list,
        max_length=30,
        description="Apa yang perlu dilengkapi; kosong: daftar kekurangan syarat yang terdeteksi",
    )
    catatan: str | None = Field(default=None, max_length=5000)


class DilengkapiIn(_In):
    pelapor: PelaporPatch | None = None
    saksi: list[SaksiIn] = Field(default_factory=list, max_length=20)
    keterangan: str | None = Field(default=None, max_length=10000)


class TidakRegistrasiIn(_In):
    alasan: AlasanTidakRegistrasi
    keterangan: str = Field(min_length=5, max_length=5000)


class PerpanjanganIn(_In):
    alasan: str = Field(min_length=5, max_length=2000)


class PutusanIn(_In):
    putusan: JenisPutusan
    pertimbangan: str = Field(min_length=5, max_length=20000)
    instansi: str | None = Field(
        default=None,
        max_length=300,
        description="Instansi tujuan: wajib untuk hukum_lainnya; untuk administrasi bawaan 'KPU'",
    )


class PenerusanIn(_In):
    nomor_surat: str | None = Field(default=None, max_length=100)
    catatan: str | None = Field(default=None, max_length=5000)


class PelimpahanIn(_In):
    ke_unit: UnitCode
    alasan: str = Field(min_length=5, max_length=2000)


# --- Temuan, Form A, pencegahan, APK, PSAP ---------------------------------------------------


class TemuanIn(_In):
    unit: UnitCode
    pemilihan: Pemilihan = Pemilihan.PEMILU
    tahapan: Tahapan | None = None
    peristiwa: PeristiwaIn
    terlapor: str = Field(min_length=2, max_length=500)
    uraian: str = Field(min_length=10, max_length=20000)
    form_a_id: str | None = Field(default=None, max_length=36)


class DataPengawasIn(_In):
    tahapan: Tahapan
    nama_pelaksana: str = Field(min_length=2, max_length=200)
    jabatan: str = Field(min_length=2, max_length=200)
    nomor_surat_tugas: str = Field(min_length=2, max_length=100)
    alamat: str = Field(min_length=2, max_length=500)


class KegiatanPengawasanIn(_In):
    bentuk: list[BentukPengawasan] = Field(min_length=1, max_length=6)
    tujuan: str = Field(min_length=3, max_length=5000)
    sasaran: str = Field(min_length=2, max_length=2000)
    tanggal: dt.date
    tempat: str = Field(min_length=2, max_length=500)
    waktu: str | None = Field(default=None, max_length=100)


class DugaanPelanggaranIn(_In):
    peristiwa: str = Field(min_length=3, max_length=2000)
    tempat_kejadian: str = Field(min_length=2, max_length=500)
    waktu_kejadian: dt.date
    pelaku: str = Field(min_length=2, max_length=500)
    alat_bukti: str = Field(min_length=2, max_length=2000)
    uraian: str = Field(min_length=5, max_length=10000)
    pasal: str | None = Field(default=None, max_length=300)
    saksi: str | None = Field(default=None, max_length=1000)


class DugaanSengketaIn(_In):
    pihak: str = Field(min_length=2, max_length=500)
    objek: str = Field(min_length=2, max_length=1000)
    uraian: str = Field(min_length=5, max_length=10000)


class FormAIn(_In):
    unit: UnitCode
    pemilihan: Pemilihan = Pemilihan.PEMILU
    data_pengawas: DataPengawasIn
    kegiatan: KegiatanPengawasanIn
    uraian_singkat: str = Field(min_length=10, max_length=20000)
    dugaan_pelanggaran: list[DugaanPelanggaranIn] = Field(default_factory=list, max_length=20)
    dugaan_sengketa: list[DugaanSengketaIn] = Field(default_factory=list, max_length=20)


class FormAKolektifIn(_In):
    """Several Form A at once: a field app sending what it queued, or a Panwaslu
    Kelurahan/Desa passing on the Form A of its TPS."""

    form_a: list[FormAIn] = Field(min_length=1, max_length=200)


class FormADiterima(BaseModel):
    id: str
    nomor: str
    unit: str


class FormAKolektifOut(BaseModel):
    penyampaian_id: str = Field(description="Kunci peristiwa HasilPengawasanKolektifDisampaikan")
    jumlah: int
    form_a: list[FormADiterima]


class FormAOut(BaseModel):
    id: str
    nomor: str
    unit: str
    pemilihan: Pemilihan
    data_pengawas: DataPengawasIn
    kegiatan: KegiatanPengawasanIn
    uraian_singkat: str
    dugaan_pelanggaran: list[DugaanPelanggaranIn]
    dugaan_sengketa: list[DugaanSengketaIn]
    disampaikan_pada: dt.datetime


class PencegahanIn(_In):
    unit: UnitCode
    bentuk: BentukPencegahan
    tanggal: dt.date
    tahapan: Tahapan | None = None
    perihal: str = Field(min_length=3, max_length=1000)
    ditujukan_kepada: str | None = Field(default=None, max_length=300)
    nomor: str | None = Field(default=None, max_length=100)
    uraian: str | None = Field(default=None, max_length=10000)


class PencegahanOut(BaseModel):
    id: str
    unit: str
    bentuk: BentukPencegahan
    tanggal: dt.date
    tahapan: Tahapan | None
    perihal: str
    ditujukan_kepada: str | None
    nomor: str | None


class PenertibanIn(_In):
    unit: UnitCode
    tanggal: dt.date
    tahapan: Tahapan | None = None
    lokasi: str = Field(min_length=2, max_length=1000)
    jumlah: int = Field(ge=1, le=1_000_000)
    jenis_apk: str | None = Field(default=None, max_length=200)
    bersama: str | None = Field(default=None, max_length=300)
    keterangan: str | None = Field(default=None, max_length=5000)


class PenertibanOut(BaseModel):
    id: str
    unit: str
    tanggal: dt.date
    tahapan: Tahapan | None
    lokasi: str
    jumlah: int


class PsapIn(_In):
    unit: UnitCode
    pemilihan: Pemilihan = Pemilihan.PEMILU
    tahapan: Tahapan | None = None
    tanggal_permohonan: dt.date
    pemohon: str = Field(min_length=2, max_length=300, description="Peserta pemilu pemohon")
    termohon: str = Field(min_length=2, max_length=300, description="Peserta pemilu termohon")
    objek_sengketa: str = Field(min_length=5, max_length=5000)


class PsapSelesaiIn(_In):
    hasil: HasilPsap
    keterangan: str = Field(min_length=5, max_length=5000)


class PsapOut(BaseModel):
    id: str
    nomor: str
    unit: str
    tahapan: Tahapan | None
    tanggal_permohonan: dt.date
    pemohon: str
    termohon: str
    objek_sengketa: str
    status: str
    tenggat: dt.date
    hasil: HasilPsap | None


class StatusPublikIn(_In):
    kode_pelacakan: str = Field(min_length=4, max_length=40)
    kode_rahasia: str = Field(min_length=8, max_length=100)


class LangkahPublik(BaseModel):
    status: str
    label: str
    tanggal: dt.date


class StatusPublik(BaseModel):
    """What a reporter sees of their laporan: no names, no staff."""

    kode_pelacakan: str
    unit: str
    unit_nama: str | None
    status: str
    status_label: str
    diterima_pada: dt.datetime
    nomor_register: str | None
    tenggat: dt.date | None
    kekurangan: list[str]
    batas_melengkapi: dt.date | None
    alasan_tidak_registrasi: str | None
    keterangan: str | None
    putusan: str | None
    diteruskan_ke: str | None
    riwayat: list[LangkahPublik]

    @classmethod
    def of(cls, laporan: Laporan) -> StatusPublik:
        from awasi_reporting.domain.model import Status, local_date

        return cls(
            kode_pelacakan=laporan.kode_pelacakan,
            unit=laporan.unit,
            unit_nama=unit_name(laporan.unit),
            status=laporan.status.value,
            status_label=laporan.status.label,
            diterima_pada=laporan.diterima_pada,
            nomor_register=laporan.nomor_register,
            tenggat=laporan.tenggat,
            kekurangan=laporan.kekurangan if laporan.status is Status.PERLU_DILENGKAPI else [],
            batas_melengkapi=laporan.batas_melengkapi if laporan.status is Status.PERLU_DILENGKAPI else None,
            alasan_tidak_registrasi=laporan.alasan_tidak_registrasi.label if laporan.alasan_tidak_registrasi else None,
            keterangan=laporan.keterangan_tidak_registrasi,
            putusan=laporan.putusan.label if laporan.putusan else None,
            diteruskan_ke=laporan.diteruskan_ke,
            riwayat=[
                LangkahPublik(status=r.status.value, label=r.status.label, tanggal=local_date(r.pada))
                for r in laporan.riwayat
            ],
        )
