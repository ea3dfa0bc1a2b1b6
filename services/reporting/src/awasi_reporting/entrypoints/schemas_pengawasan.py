"""What reporting's HTTP API takes and gives for supervision records: Form A (alone or
collective), pencegahan, penertiban APK and PSAP. Bounds as in ``schemas``."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from awasi_common.limits import (
    KOLEKTIF,
    Butir,
    Catatan,
    DaftarPendek,
    Judul,
    Kalimat,
    KodeUnit,
    Nama,
    Nomor,
    Paragraf,
    Uraian,
)
from awasi_reporting import commands
from awasi_reporting.domain.pengawasan import (
    BentukPencegahan,
    BentukPengawasan,
    DataPengawas,
    DugaanPelanggaran,
    DugaanSengketa,
    HasilPsap,
    KegiatanPengawasan,
)
from awasi_reporting.domain.rezim import Pemilihan
from awasi_reporting.domain.vocabulary import (
    Tahapan,
)
from awasi_reporting.entrypoints.schemas import StrictIn


class DataPengawasIn(StrictIn):
    tahapan: Tahapan
    nama_pelaksana: Nama = Field(min_length=2)
    jabatan: Nama = Field(min_length=2)
    nomor_surat_tugas: Nomor = Field(min_length=2)
    alamat: Kalimat = Field(min_length=2)


class KegiatanPengawasanIn(StrictIn):
    bentuk: list[BentukPengawasan] = Field(min_length=1, max_length=len(BentukPengawasan))
    tujuan: Catatan = Field(min_length=3)
    sasaran: Butir = Field(min_length=2)
    tanggal: dt.date
    tempat: Kalimat = Field(min_length=2)
    waktu: Nama | None = None


class DugaanPelanggaranIn(StrictIn):
    peristiwa: Butir = Field(min_length=3)
    tempat_kejadian: Kalimat = Field(min_length=2)
    waktu_kejadian: dt.date
    pelaku: Kalimat = Field(min_length=2)
    alat_bukti: Butir = Field(min_length=2)
    uraian: Paragraf = Field(min_length=5)
    pasal: Judul | None = None
    saksi: Kalimat | None = None


class DugaanSengketaIn(StrictIn):
    pihak: Kalimat = Field(min_length=2)
    objek: Kalimat = Field(min_length=2)
    uraian: Paragraf = Field(min_length=5)


class FormAIn(StrictIn):
    unit: KodeUnit
    pemilihan: Pemilihan = Pemilihan.PEMILU
    data_pengawas: DataPengawasIn
    kegiatan: KegiatanPengawasanIn
    uraian_singkat: Uraian = Field(min_length=10)
    dugaan_pelanggaran: DaftarPendek[DugaanPelanggaranIn] = Field(default_factory=list)
    dugaan_sengketa: DaftarPendek[DugaanSengketaIn] = Field(default_factory=list)

    def to_command(self, kunci_idempotensi: str | None = None) -> commands.SampaikanFormA:
        return commands.SampaikanFormA(
            kunci_idempotensi=kunci_idempotensi,
            unit=self.unit,
            pemilihan=self.pemilihan,
            data_pengawas=DataPengawas(**self.data_pengawas.model_dump()),
            kegiatan=KegiatanPengawasan(**{**self.kegiatan.model_dump(), "bentuk": tuple(self.kegiatan.bentuk)}),
            uraian_singkat=self.uraian_singkat,
            dugaan_pelanggaran=tuple(DugaanPelanggaran(**d.model_dump()) for d in self.dugaan_pelanggaran),
            dugaan_sengketa=tuple(DugaanSengketa(**d.model_dump()) for d in self.dugaan_sengketa),
        )


class FormAKolektifIn(StrictIn):
    """Several Form A at once: a field app sending what it queued, or a Panwaslu
    Kelurahan/Desa passing on the Form A of its TPS."""

    form_a: list[FormAIn] = Field(min_length=1, max_length=KOLEKTIF)

    def to_command(self, kunci_idempotensi: str | None = None) -> commands.SampaikanFormAKolektif:
        return commands.SampaikanFormAKolektif(
            tuple(form.to_command() for form in self.form_a), kunci_idempotensi=kunci_idempotensi
        )


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


class PencegahanIn(StrictIn):
    unit: KodeUnit
    bentuk: BentukPencegahan
    tanggal: dt.date
    tahapan: Tahapan | None = None
    perihal: Kalimat = Field(min_length=3)
    ditujukan_kepada: Judul | None = None
    nomor: Nomor | None = None
    uraian: Paragraf | None = None

    def to_command(self) -> commands.CatatPencegahan:
        return commands.CatatPencegahan(**self.model_dump())


class PencegahanOut(BaseModel):
    id: str
    unit: str
    bentuk: BentukPencegahan
    tanggal: dt.date
    tahapan: Tahapan | None
    perihal: str
    ditujukan_kepada: str | None
    nomor: str | None


class PenertibanIn(StrictIn):
    unit: KodeUnit
    tanggal: dt.date
    tahapan: Tahapan | None = None
    lokasi: Kalimat = Field(min_length=2)
    jumlah: int = Field(ge=1, le=1_000_000)
    jenis_apk: Nama | None = None
    bersama: Judul | None = None
    keterangan: Catatan | None = None

    def to_command(self) -> commands.CatatPenertibanApk:
        return commands.CatatPenertibanApk(**self.model_dump())


class PenertibanOut(BaseModel):
    id: str
    unit: str
    tanggal: dt.date
    tahapan: Tahapan | None
    lokasi: str
    jumlah: int


class PsapIn(StrictIn):
    unit: KodeUnit
    pemilihan: Pemilihan = Pemilihan.PEMILU
    tahapan: Tahapan | None = None
    tanggal_permohonan: dt.date
    pemohon: Judul = Field(min_length=2, description="Peserta pemilu pemohon")
    termohon: Judul = Field(min_length=2, description="Peserta pemilu termohon")
    objek_sengketa: Catatan = Field(min_length=5)

    def to_command(self) -> commands.TerimaPsap:
        return commands.TerimaPsap(**self.model_dump())


class PsapSelesaiIn(StrictIn):
    hasil: HasilPsap
    keterangan: Catatan = Field(min_length=5)

    def to_command(self, psap_id: str) -> commands.SelesaikanPsap:
        return commands.SelesaikanPsap(psap_id, self.hasil, self.keterangan)


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
