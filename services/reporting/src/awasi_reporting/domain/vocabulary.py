"""The words of reporting's domain: channels, stages, statuses and the moves between them,
decisions, and the unit's own date. No I/O here."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from awasi_common import calendar
from awasi_common.units import RI_CODE


def local_date(moment: dt.datetime, unit: str = RI_CODE) -> dt.date:
    """The calendar date of a moment in ``unit``'s own time zone (WIB, WITA or WIT): deadlines,
    register months and figures count the unit's local days. Pass the unit: without one it is
    Bawaslu RI's date (WIB)."""
    return calendar.local_date(moment, unit)


def latest_local_date(moment: dt.datetime) -> dt.date:
    """The date of ``moment`` where it is latest in Indonesia (WIT, Papua): the last day any
    unit may already be living in (e.g. the latest date a form accepts)."""
    return calendar.local_date(moment, "94")


class Kanal(StrEnum):
    WEB = "web"
    POJOK_PENGAWASAN = "pojok_pengawasan"
    CALL_CENTER = "call_center"
    MEDIA_SOSIAL = "media_sosial"
    PATROLI_DIGITAL = "patroli_digital"

    @property
    def label(self) -> str:
        return {
            Kanal.WEB: "Laman web",
            Kanal.POJOK_PENGAWASAN: "Pojok Pengawasan",
            Kanal.CALL_CENTER: "Call center",
            Kanal.MEDIA_SOSIAL: "Media sosial",
            Kanal.PATROLI_DIGITAL: "Patroli digital",
        }[self]


class KategoriPelapor(StrEnum):
    """Who may report (Pasal 454 ayat (2) UU 7/2017)."""

    WNI_HAK_PILIH = "wni_hak_pilih"
    PESERTA_PEMILU = "peserta_pemilu"
    PEMANTAU = "pemantau_terakreditasi"

    @property
    def label(self) -> str:
        return {
            KategoriPelapor.WNI_HAK_PILIH: "Warga negara Indonesia yang mempunyai hak pilih",
            KategoriPelapor.PESERTA_PEMILU: "Peserta pemilu",
            KategoriPelapor.PEMANTAU: "Pemantau pemilu terakreditasi",
        }[self]


class JenisKelamin(StrEnum):
    LAKI_LAKI = "laki_laki"
    PEREMPUAN = "perempuan"


class Tahapan(StrEnum):
    """Stages of an election (Pasal 167 ayat (4) UU 7/2017), plus outside the stages."""

    PERENCANAAN = "perencanaan_program_anggaran"
    PEMUTAKHIRAN_DATA_PEMILIH = "pemutakhiran_data_pemilih"
    PENDAFTARAN_VERIFIKASI_PESERTA = "pendaftaran_verifikasi_peserta"
    PENETAPAN_PESERTA = "penetapan_peserta"
    PENETAPAN_DAPIL = "penetapan_kursi_dapil"
    PENCALONAN = "pencalonan"
    KAMPANYE = "kampanye"
    MASA_TENANG = "masa_tenang"
    PEMUNGUTAN_PENGHITUNGAN = "pemungutan_penghitungan_suara"
    REKAPITULASI = "rekapitulasi_penetapan_hasil"
    PENGUCAPAN_SUMPAH = "pengucapan_sumpah_janji"
    NON_TAHAPAN = "non_tahapan"

    @property
    def label(self) -> str:
        return TAHAPAN_LABEL[self]


TAHAPAN_LABEL = {
    Tahapan.PERENCANAAN: "Perencanaan program dan anggaran",
    Tahapan.PEMUTAKHIRAN_DATA_PEMILIH: "Pemutakhiran data pemilih",
    Tahapan.PENDAFTARAN_VERIFIKASI_PESERTA: "Pendaftaran dan verifikasi peserta",
    Tahapan.PENETAPAN_PESERTA: "Penetapan peserta",
    Tahapan.PENETAPAN_DAPIL: "Penetapan jumlah kursi dan daerah pemilihan",
    Tahapan.PENCALONAN: "Pencalonan",
    Tahapan.KAMPANYE: "Masa kampanye",
    Tahapan.MASA_TENANG: "Masa tenang",
    Tahapan.PEMUNGUTAN_PENGHITUNGAN: "Pemungutan dan penghitungan suara",
    Tahapan.REKAPITULASI: "Rekapitulasi dan penetapan hasil",
    Tahapan.PENGUCAPAN_SUMPAH: "Pengucapan sumpah/janji",
    Tahapan.NON_TAHAPAN: "Di luar tahapan",
}


class Status(StrEnum):
    DITERIMA = "diterima"
    KAJIAN_AWAL = "kajian_awal"
    PERLU_DILENGKAPI = "perlu_dilengkapi"
    DIREGISTRASI = "diregistrasi"
    TIDAK_DIREGISTRASI = "tidak_diregistrasi"
    KLARIFIKASI = "klarifikasi"
    PUTUSAN = "putusan"
    DITERUSKAN = "diteruskan"
    DILIMPAHKAN = "dilimpahkan"
    SELESAI = "selesai"

    @property
    def label(self) -> str:
        return STATUS_LABEL[self]


STATUS_LABEL = {
    Status.DITERIMA: "Diterima",
    Status.KAJIAN_AWAL: "Kajian awal",
    Status.PERLU_DILENGKAPI: "Perlu dilengkapi",
    Status.DIREGISTRASI: "Diregistrasi",
    Status.TIDAK_DIREGISTRASI: "Tidak diregistrasi",
    Status.KLARIFIKASI: "Klarifikasi dan kajian",
    Status.PUTUSAN: "Diputus",
    Status.DITERUSKAN: "Diteruskan",
    Status.DILIMPAHKAN: "Dilimpahkan",
    Status.SELESAI: "Selesai",
}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DITERIMA: frozenset({Status.KAJIAN_AWAL, Status.DILIMPAHKAN}),
    Status.KAJIAN_AWAL: frozenset(
        {Status.PERLU_DILENGKAPI, Status.DIREGISTRASI, Status.TIDAK_DIREGISTRASI, Status.DILIMPAHKAN}
    ),
    Status.PERLU_DILENGKAPI: frozenset({Status.KAJIAN_AWAL, Status.TIDAK_DIREGISTRASI}),
    Status.DIREGISTRASI: frozenset({Status.KLARIFIKASI, Status.DILIMPAHKAN}),
    Status.KLARIFIKASI: frozenset({Status.PUTUSAN, Status.DILIMPAHKAN}),
    Status.PUTUSAN: frozenset({Status.DITERUSKAN, Status.DILIMPAHKAN, Status.SELESAI}),
    Status.DITERUSKAN: frozenset({Status.SELESAI}),
    Status.DILIMPAHKAN: frozenset(
        {Status.KAJIAN_AWAL, Status.KLARIFIKASI, Status.DITERUSKAN, Status.DILIMPAHKAN, Status.SELESAI}
    ),
    Status.TIDAK_DIREGISTRASI: frozenset({Status.SELESAI}),
    Status.SELESAI: frozenset(),
}
"""Every move the workflow allows; anything else is an invalid jump (409)."""

OPEN_STATUSES = frozenset(set(Status) - {Status.SELESAI, Status.TIDAK_DIREGISTRASI})


class AlasanTidakRegistrasi(StrEnum):
    FORMIL = "formil"
    MATERIEL = "materiel"
    DALUWARSA = "daluwarsa"

    @property
    def label(self) -> str:
        return {
            AlasanTidakRegistrasi.FORMIL: "tidak memenuhi syarat formil",
            AlasanTidakRegistrasi.MATERIEL: "tidak memenuhi syarat materiel",
            AlasanTidakRegistrasi.DALUWARSA: "melewati batas waktu penyampaian laporan sejak diketahui",
        }[self]


class JenisPutusan(StrEnum):
    ADMINISTRASI = "administrasi"
    KODE_ETIK = "kode_etik"
    PIDANA = "pidana"
    HUKUM_LAINNYA = "hukum_lainnya"
    BUKAN_PELANGGARAN = "bukan_pelanggaran"

    @property
    def label(self) -> str:
        return PUTUSAN_LABEL[self]


PUTUSAN_LABEL = {
    JenisPutusan.ADMINISTRASI: "Pelanggaran administrasi",
    JenisPutusan.KODE_ETIK: "Pelanggaran kode etik (diteruskan ke DKPP)",
    JenisPutusan.PIDANA: "Tindak pidana pemilu (diteruskan ke Sentra Gakkumdu)",
    JenisPutusan.HUKUM_LAINNYA: "Pelanggaran hukum lainnya (diteruskan ke instansi berwenang)",
    JenisPutusan.BUKAN_PELANGGARAN: "Bukan pelanggaran",
}

FIXED_RECIPIENT = {
    JenisPutusan.KODE_ETIK: "DKPP",
    JenisPutusan.PIDANA: "Sentra Gakkumdu",
}


class JenisPerkara(StrEnum):
    LAPORAN = "laporan"
    TEMUAN = "temuan"

    @property
    def register_code(self) -> str:
        return "LP" if self is JenisPerkara.LAPORAN else "TM"
