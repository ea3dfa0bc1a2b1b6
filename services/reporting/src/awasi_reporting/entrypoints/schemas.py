"""What reporting's HTTP API takes and gives. Outputs never carry a reporter's or a
witness's identity, except ``IdentitasOut`` (audited, for the handling unit only).

Every field of a request is bounded (``awasi_common.limits``). Some request models also
describe answers (the peristiwa of a perkara, the pelapor of ``IdentitasOut``, a Form A), so
their bounds may grow but never shrink below what was stored. Reporting's events carry
little of what a request says: the largest, LaporanPerluDilengkapi and its notice to the
pelapor, carry at most 20 points of 1,000 characters and a note of 5,000 (under 160 KB even
at six bytes a character); a Form A's events carry a summary of each form (ids, tahapan,
bentuk, dates), some 300 bytes a form, so 200 forms sent together make about 60 KB although
the request itself may be larger (one form at every bound is about 585,000 characters).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from awasi_common.limits import (
    Butir,
    Catatan,
    DaftarPendek,
    Email,
    Id,
    Judul,
    Kalimat,
    Kode,
    KodeUnit,
    Nama,
    Nomor,
    Paragraf,
    Telepon,
    Uraian,
)
from awasi_common.units import unit_name
from awasi_reporting import commands
from awasi_reporting.domain.bukti import BatasBukti, BerkasMasuk
from awasi_reporting.domain.laporan import Laporan
from awasi_reporting.domain.pelapor import Pelapor, Peristiwa, PerubahanPelapor, Saksi
from awasi_reporting.domain.perkara import Perkara
from awasi_reporting.domain.rezim import Pemilihan
from awasi_reporting.domain.temuan import Temuan
from awasi_reporting.domain.vocabulary import (
    AlasanTidakRegistrasi,
    JenisKelamin,
    JenisPerkara,
    JenisPutusan,
    Kanal,
    KategoriPelapor,
    Tahapan,
)

C = TypeVar("C")


class StrictIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PelaporIn(StrictIn):
    """Formulir Model B.1, identitas pelapor."""

    kategori: KategoriPelapor = KategoriPelapor.WNI_HAK_PILIH
    nama: Nama = Field(min_length=2)
    tempat_lahir: Nama | None = None
    tanggal_lahir: dt.date | None = None
    jenis_kelamin: JenisKelamin | None = None
    pekerjaan: Nama | None = None
    kewarganegaraan: Nama | None = "Indonesia"
    alamat: Kalimat | None = None
    telepon: Telepon | None = Field(default=None, pattern=r"^[0-9+()\- ]{6,32}$")
    email: Email | None = None
    pernah_kawin: bool = False
    nomor_akreditasi: Nomor | None = None
    peserta: Nama | None = None

    def to_domain(self) -> Pelapor:
        return Pelapor(**self.model_dump())


class PelaporPatch(StrictIn):
    """Identity fields a reporter supplies later (only those given are changed)."""

    tempat_lahir: Nama | None = None
    tanggal_lahir: dt.date | None = None
    jenis_kelamin: JenisKelamin | None = None
    pekerjaan: Nama | None = None
    kewarganegaraan: Nama | None = None
    alamat: Kalimat | None = None
    telepon: Telepon | None = Field(default=None, pattern=r"^[0-9+()\- ]{6,32}$")
    email: Email | None = None

    def to_domain(self) -> PerubahanPelapor:
        return PerubahanPelapor(**dict(self))


class PeristiwaIn(StrictIn):
    apa: Butir = Field(min_length=3, description="Peristiwa yang dilaporkan")
    tempat: Kalimat = Field(min_length=2, description="Tempat kejadian")
    waktu_kejadian: dt.date
    waktu_diketahui: dt.date

    def to_domain(self) -> Peristiwa:
        return Peristiwa(**self.model_dump())


class SaksiIn(StrictIn):
    nama: Nama = Field(min_length=2)
    alamat: Kalimat | None = None
    telepon: Telepon | None = None

    def to_domain(self) -> Saksi:
        return Saksi(**self.model_dump())


class LaporanIn(StrictIn):
    unit: KodeUnit = Field(description="Unit pengawas yang dituju")
    kanal: Kanal = Kanal.WEB
    pemilihan: Pemilihan = Pemilihan.PEMILU
    tahapan: Tahapan | None = None
    pelapor: PelaporIn
    terlapor: Kalimat = Field(min_length=2)
    peristiwa: PeristiwaIn
    saksi: DaftarPendek[SaksiIn] = Field(default_factory=list)
    uraian: Uraian = Field(min_length=10)
    diterima_pada: dt.datetime | None = Field(
        default=None,
        description="Saat laporan diterima petugas (kanal selain web); bawaan: sekarang",
    )

    def to_command(self, files: Sequence[BerkasMasuk] = (), limits: BatasBukti | None = None) -> commands.SubmitLaporan:
        return commands.SubmitLaporan(
            unit=self.unit,
            kanal=self.kanal,
            pelapor=self.pelapor.to_domain(),
            terlapor=self.terlapor,
            peristiwa=self.peristiwa.to_domain(),
            uraian=self.uraian,
            saksi=tuple(w.to_domain() for w in self.saksi),
            pemilihan=self.pemilihan,
            tahapan=self.tahapan,
            diterima_pada=self.diterima_pada,
            files=tuple(files),
            limits=limits,
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
    pemilihan: Pemilihan
    """The case's regime: its deadlines follow it."""
    tanggal_diketahui: dt.date
    batas_lapor: dt.date
    """The last day the laporan could be filed (the rule ``daluwarsa`` applies)."""
    hari: str
    """'kerja' or 'kalender': the kind of day the regime counts."""
    ketentuan_tenggat: str
    """The deadline rule in words, with its articles, as the receipt states it."""
    dasar_tenggat: list[str]


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
        **_regime_fields(laporan),
    )


def ketentuan_tenggat(pemilihan: Pemilihan) -> str:
    """A regime's laporan deadlines in words, with the articles (tanda terima, status page)."""
    rezim = pemilihan.rezim
    sejak = "diterima" if rezim.tindak_lanjut_sejak_diterima else "diregistrasi"
    return (
        f"{rezim.nama}: laporan disampaikan paling lama {rezim.lapor} {rezim.satuan} sejak diketahui "
        f"({rezim.pasal_lapor}); kajian awal {rezim.kajian_awal} {rezim.satuan} sejak diterima; tindak lanjut "
        f"{rezim.tindak_lanjut} {rezim.satuan} sejak {sejak} ({rezim.pasal_tindak_lanjut}), paling lama "
        f"{rezim.tindak_lanjut_diperpanjang} {rezim.satuan} bila memerlukan keterangan tambahan "
        f"({rezim.pasal_tindak_lanjut_diperpanjang})."
    )


def _regime_fields(laporan: Laporan) -> dict[str, Any]:
    assert laporan.peristiwa is not None
    return {
        "pemilihan": laporan.pemilihan,
        "tanggal_diketahui": laporan.peristiwa.waktu_diketahui,
        "batas_lapor": laporan.batas_lapor,
        "hari": laporan.rezim.hari.value,
        "ketentuan_tenggat": ketentuan_tenggat(laporan.pemilihan),
        "dasar_tenggat": laporan.rezim.dasar(),
    }


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
    batas_lapor: dt.date
    hari: str
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
            batas_lapor=laporan.batas_lapor,
            hari=laporan.rezim.hari.value,
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


class CatatanIn(StrictIn):
    catatan: Catatan | None = None

    def to_command(self, command: Callable[..., C], *target: Any) -> C:
        """The step ``command`` on ``target`` (a laporan's id, or a case's kind and id) with
        this note (kajian awal, registrasi, klarifikasi, selesai)."""
        return command(*target, catatan=self.catatan)


class KekuranganIn(StrictIn):
    # Carried by LaporanPerluDilengkapi and the notice to the pelapor: 20 × 1,000 characters.
    kekurangan: DaftarPendek[Kalimat] = Field(
        default_factory=list,
        description="Apa yang perlu dilengkapi; kosong: daftar kekurangan syarat yang terdeteksi",
    )
    catatan: Catatan | None = None

    def to_command(self, laporan_id: str) -> commands.MintaKelengkapan:
        return commands.MintaKelengkapan(laporan_id, tuple(self.kekurangan), self.catatan)


class DilengkapiIn(StrictIn):
    pelapor: PelaporPatch | None = None
    saksi: DaftarPendek[SaksiIn] = Field(default_factory=list)
    keterangan: Paragraf | None = None

    def to_command(self, laporan_id: str) -> commands.CatatKelengkapan:
        return commands.CatatKelengkapan(
            laporan_id,
            pelapor=self.pelapor.to_domain() if self.pelapor else None,
            saksi=tuple(w.to_domain() for w in self.saksi),
            keterangan=self.keterangan,
        )


class TidakRegistrasiIn(StrictIn):
    alasan: AlasanTidakRegistrasi
    keterangan: Catatan = Field(min_length=5)

    def to_command(self, laporan_id: str) -> commands.TolakRegistrasi:
        return commands.TolakRegistrasi(laporan_id, self.alasan, self.keterangan)


class PerpanjanganIn(StrictIn):
    alasan: Butir = Field(min_length=5)

    def to_command(self, jenis: JenisPerkara, perkara_id: str) -> commands.PerpanjangTenggat:
        return commands.PerpanjangTenggat(jenis, perkara_id, self.alasan)


class PutusanIn(StrictIn):
    putusan: JenisPutusan
    pertimbangan: Uraian = Field(min_length=5)
    instansi: Judul | None = Field(
        default=None,
        description="Instansi tujuan: wajib untuk hukum_lainnya; untuk administrasi bawaan 'KPU'",
    )

    def to_command(self, jenis: JenisPerkara, perkara_id: str) -> commands.PutuskanPerkara:
        return commands.PutuskanPerkara(jenis, perkara_id, self.putusan, self.pertimbangan, self.instansi)


class PenerusanIn(StrictIn):
    nomor_surat: Nomor | None = None
    catatan: Catatan | None = None

    def to_command(self, jenis: JenisPerkara, perkara_id: str) -> commands.TeruskanPerkara:
        return commands.TeruskanPerkara(jenis, perkara_id, self.nomor_surat, self.catatan)


class PelimpahanIn(StrictIn):
    ke_unit: KodeUnit
    alasan: Butir = Field(min_length=5)

    def to_command(
        self,
        command: type[commands.LimpahkanPerkara] | type[commands.AmbilAlihPerkara],
        jenis: JenisPerkara,
        perkara_id: str,
    ) -> commands.LimpahkanPerkara | commands.AmbilAlihPerkara:
        """Pelimpahan (down) or pengambilalihan (up): the same body."""
        return command(jenis, perkara_id, self.ke_unit, self.alasan)


# --- Temuan ----------------------------------------------------------------------------------------


class TemuanIn(StrictIn):
    unit: KodeUnit
    pemilihan: Pemilihan = Pemilihan.PEMILU
    tahapan: Tahapan | None = None
    peristiwa: PeristiwaIn
    terlapor: Kalimat = Field(min_length=2)
    uraian: Uraian = Field(min_length=10)
    form_a_id: Id | None = None

    def to_command(self) -> commands.CatatTemuan:
        return commands.CatatTemuan(
            unit=self.unit,
            peristiwa=self.peristiwa.to_domain(),
            terlapor=self.terlapor,
            uraian=self.uraian,
            pemilihan=self.pemilihan,
            tahapan=self.tahapan,
            form_a_id=self.form_a_id,
        )


class StatusPublikIn(StrictIn):
    kode_pelacakan: Kode = Field(min_length=4)
    kode_rahasia: Nomor = Field(min_length=8)


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
    pemilihan: Pemilihan
    batas_lapor: dt.date
    daluwarsa: bool
    """Filed after ``batas_lapor``: the same rule as intake and registration."""
    hari: str
    ketentuan_tenggat: str
    kekurangan: list[str]
    batas_melengkapi: dt.date | None
    alasan_tidak_registrasi: str | None
    keterangan: str | None
    putusan: str | None
    diteruskan_ke: str | None
    riwayat: list[LangkahPublik]

    @classmethod
    def of(cls, laporan: Laporan) -> StatusPublik:
        from awasi_reporting.domain.vocabulary import Status, local_date

        return cls(
            kode_pelacakan=laporan.kode_pelacakan,
            unit=laporan.unit,
            unit_nama=unit_name(laporan.unit),
            status=laporan.status.value,
            status_label=laporan.status.label,
            diterima_pada=laporan.diterima_pada,
            nomor_register=laporan.nomor_register,
            tenggat=laporan.tenggat,
            pemilihan=laporan.pemilihan,
            batas_lapor=laporan.batas_lapor,
            daluwarsa=laporan.daluwarsa,
            hari=laporan.rezim.hari.value,
            ketentuan_tenggat=ketentuan_tenggat(laporan.pemilihan),
            kekurangan=laporan.kekurangan if laporan.status is Status.PERLU_DILENGKAPI else [],
            batas_melengkapi=laporan.batas_melengkapi if laporan.status is Status.PERLU_DILENGKAPI else None,
            alasan_tidak_registrasi=laporan.alasan_tidak_registrasi.label if laporan.alasan_tidak_registrasi else None,
            keterangan=laporan.keterangan_tidak_registrasi,
            putusan=laporan.putusan.label if laporan.putusan else None,
            diteruskan_ke=laporan.diteruskan_ke,
            riwayat=[
                LangkahPublik(status=r.status.value, label=r.status.label, tanggal=local_date(r.pada, r.unit))
                for r in laporan.riwayat
            ],
        )
