"""Laporan and temuan: reports and findings of alleged election violations and their
handling within the law's deadlines (UU 7/2017, Perbawaslu 7/2022). No I/O here.

A case (``Perkara``) moves through a fixed set of statuses; every allowed move is listed in
``TRANSITIONS`` and anything else is refused. Each move records a history entry, sets the
next working-day deadline and records the events that tell the rest of the platform.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from awasi_common import calendar
from awasi_common.errors import Conflict, DomainError
from awasi_common.events import reporting as ev
from awasi_common.events.base import Event
from awasi_common.units import RI_CODE, Level, is_kota, is_within, level_of, unit_name, zone_name, zone_of
from awasi_common.units import WIB as WIB

_TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U

PASAL_PELAPOR = "Pasal 454 ayat (2) UU 7/2017"
PASAL_DALUWARSA = "Pasal 454 ayat (6) UU 7/2017"
PASAL_TINDAK_LANJUT = "Pasal 454 ayat (7) dan (8) UU 7/2017"
PASAL_KAJIAN_AWAL = "Perbawaslu 7/2022 tentang Penanganan Temuan dan Laporan Pelanggaran Pemilu"

USIA_PEMILIH = 17


def local_date(moment: dt.datetime, unit: str = RI_CODE) -> dt.date:
    """The calendar date of a moment in ``unit``'s own time zone (WIB, WITA or WIT): deadlines,
    register months and figures count the unit's local days. Pass the unit: without one it is
    Bawaslu RI's date (WIB)."""
    return calendar.local_date(moment, unit)


def latest_local_date(moment: dt.datetime) -> dt.date:
    """The date of ``moment`` where it is latest in Indonesia (WIT, Papua): the last day any
    unit may already be living in (e.g. the latest date a form accepts)."""
    return calendar.local_date(moment, "94")


# --- Vocabulary ---------------------------------------------------------------------------


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


class Pemilihan(StrEnum):
    PEMILU = "pemilu"
    PILKADA = "pilkada"

    @property
    def register_code(self) -> str:
        return "PL" if self is Pemilihan.PEMILU else "PB"

    @property
    def rezim(self) -> Rezim:
        """The deadlines of this election's legal regime."""
        return REZIM[self]


class JenisHari(StrEnum):
    KERJA = "kerja"
    KALENDER = "kalender"


@dataclass(frozen=True)
class Rezim:
    """One legal regime's handling deadlines: the kind of day, the counts and the articles.
    Every deadline of a laporan or temuan (report deadline/daluwarsa, kajian awal,
    kelengkapan, tindak lanjut and its extension, temuan) is taken from here."""

    pemilihan: Pemilihan
    nama: str
    hari: JenisHari
    lapor: int
    """A laporan within this many days of the violation becoming known."""
    kajian_awal: int
    kelengkapan: int
    tindak_lanjut: int
    tindak_lanjut_diperpanjang: int
    """The whole follow-up period when more information is needed (not the extra days)."""
    temuan: int
    pasal_lapor: str
    pasal_kajian_awal: str
    pasal_tindak_lanjut: str
    pasal_tindak_lanjut_diperpanjang: str
    pasal_temuan: str
    tindak_lanjut_sejak_diterima: bool = False
    """The follow-up of a laporan counts from its receipt (Pemilihan: "setelah laporan
    diterima"), not from its registration (Pemilu: "diterima dan diregistrasi")."""

    @property
    def satuan(self) -> str:
        """'hari kerja' or 'hari' (calendar days), as the law writes the count."""
        return "hari kerja" if self.hari is JenisHari.KERJA else "hari kalender"

    def tambah(self, start: dt.date, days: int) -> dt.date:
        """``days`` of this regime's kind after ``start`` (``start`` itself not counted)."""
        if self.hari is JenisHari.KERJA:
            return calendar.add_working_days(start, days)
        return calendar.add_days(start, days)

    def batas_lapor(self, diketahui: dt.date) -> dt.date:
        return self.tambah(diketahui, self.lapor)

    def daluwarsa(self, diketahui: dt.date, disampaikan: dt.date) -> bool:
        """The one lateness rule: the filing date (in the unit's zone) after the deadline,
        whatever kind of day it is filed on (a Saturday after a Friday deadline is late)."""
        return disampaikan > self.batas_lapor(diketahui)

    def batas_kajian_awal(self, diterima: dt.date) -> dt.date:
        return self.tambah(diterima, self.kajian_awal)

    def batas_kelengkapan(self, diminta: dt.date) -> dt.date:
        return self.tambah(diminta, self.kelengkapan)

    def batas_tindak_lanjut(self, diterima: dt.date, *, diperpanjang: bool = False) -> dt.date:
        return self.tambah(diterima, self.tindak_lanjut_diperpanjang if diperpanjang else self.tindak_lanjut)

    def batas_temuan(self, diketahui: dt.date) -> dt.date:
        return self.tambah(diketahui, self.temuan)

    def dasar(self) -> list[str]:
        """The articles applied, each once, in the order of the handling."""
        seen: list[str] = []
        for pasal in (
            self.pasal_lapor,
            self.pasal_kajian_awal,
            self.pasal_tindak_lanjut,
            self.pasal_tindak_lanjut_diperpanjang,
            self.pasal_temuan,
        ):
            if pasal not in seen:
                seen.append(pasal)
        return seen


REZIM: dict[Pemilihan, Rezim] = {
    # UU 7/2017 Pasal 454: ayat (6) laporan "paling lama 7 (tujuh) hari kerja sejak diketahui";
    # ayat (7) follow-up "paling lama 7 (tujuh) hari setelah ... diterima dan diregistrasi";
    # ayat (8) with more information "paling lama 14 (empat belas) hari kerja"; ayat (5) temuan
    # "paling lama 7 (tujuh) hari sejak ditemukannya". The platform reads every Pemilu count in
    # working days (as it always has); kajian awal and kelengkapan 2 working days (Perbawaslu
    # 7/2022).
    Pemilihan.PEMILU: Rezim(
        pemilihan=Pemilihan.PEMILU,
        nama="Pemilu (UU 7/2017)",
        hari=JenisHari.KERJA,
        lapor=7,
        kajian_awal=2,
        kelengkapan=2,
        tindak_lanjut=7,
        tindak_lanjut_diperpanjang=14,
        temuan=7,
        pasal_lapor=PASAL_DALUWARSA,
        pasal_kajian_awal=PASAL_KAJIAN_AWAL,
        pasal_tindak_lanjut="Pasal 454 ayat (7) UU 7/2017",
        pasal_tindak_lanjut_diperpanjang="Pasal 454 ayat (8) UU 7/2017",
        pasal_temuan="Pasal 454 ayat (5) UU 7/2017",
    ),
    # UU 10/2016 Pasal 134: ayat (4) laporan "paling lama 7 (tujuh) hari sejak diketahui dan/atau
    # ditemukannya"; ayat (5) follow-up "paling lama 3 (tiga) hari setelah laporan diterima";
    # ayat (6) more information "paling lama 2 (dua) hari" more (3 + 2 = 5). "Hari" is a calendar
    # day (Perbawaslu 8/2020 as amended by Perbawaslu 9/2024; Bawaslu RI: "hari kalender,
    # sebagaimana diatur UU 10/2016"). Kajian awal and kelengkapan: the platform's reading is
    # the Pemilu count (2) in the regime's calendar days. A temuan: ayat (4) "ditemukannya", 7.
    Pemilihan.PILKADA: Rezim(
        pemilihan=Pemilihan.PILKADA,
        nama="Pemilihan (UU 10/2016)",
        hari=JenisHari.KALENDER,
        lapor=7,
        kajian_awal=2,
        kelengkapan=2,
        tindak_lanjut=3,
        tindak_lanjut_diperpanjang=5,
        temuan=7,
        pasal_lapor="Pasal 134 ayat (4) UU 10/2016",
        pasal_kajian_awal="Perbawaslu 8/2020 sebagaimana diubah dengan Perbawaslu 9/2024",
        pasal_tindak_lanjut="Pasal 134 ayat (5) UU 10/2016",
        pasal_tindak_lanjut_diperpanjang="Pasal 134 ayat (6) UU 10/2016",
        pasal_temuan="Pasal 134 ayat (4) UU 10/2016",
        tindak_lanjut_sejak_diterima=True,
    ),
}


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

# Backwards-compatible name of the skeleton's status enum.
StatusLaporan = Status

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


# --- Register numbers ----------------------------------------------------------------------

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def roman_month(month: int) -> str:
    return _ROMAN[month - 1]


def register_region(unit: str) -> str:
    """The region as written in register numbers: Bawaslu RI is ``00.00``."""
    return "00.00" if unit == RI_CODE else unit


def level_label(unit: str) -> str:
    """The level as written in a document number, of the unit itself: a kota's own Bawaslu
    is ``Kota`` (Bawaslu Kota Blitar, 35.72), a kabupaten's ``Kab``; a kecamatan, kelurahan/desa
    or TPS inside a kota is its own level (``Kec``, ``Kel``, ``TPS``), never ``Kota``."""
    level = level_of(unit)
    if level is Level.KABUPATEN_KOTA and is_kota(unit):
        return "Kota"
    return level.register_code


def nomor_dokumen(seq: int, kode: str, pemilihan: Pemilihan, unit: str, on: dt.date) -> str:
    """The one numbering of every document kind: laporan (LP) and temuan (TM) register
    numbers, tanda terima (TT), Form A (LHP) and PSAP, e.g. ``002/LP/PL/Kab/35.05/III/2024``:
    sequence per unit, year and regime, kind, election, level of the unit itself, region,
    month in Roman numerals, year."""
    return (
        f"{seq:03d}/{kode}/{pemilihan.register_code}/{level_label(unit)}/{register_region(unit)}/"
        f"{roman_month(on.month)}/{on.year}"
    )


def nomor_register(seq: int, jenis: str, pemilihan: Pemilihan, unit: str, on: dt.date) -> str:
    """A laporan's or temuan's register number (:func:`nomor_dokumen`)."""
    return nomor_dokumen(seq, jenis, pemilihan, unit, on)


# --- Reporter, event, witnesses, evidence ---------------------------------------------------

_INDONESIA = {"indonesia", "wni", "warga negara indonesia", "indonesian"}


@dataclass(frozen=True)
class Pelapor:
    """The reporter's identity (Formulir Model B.1). Confidential: encrypted at rest."""

    nama: str
    email: str | None = None
    telepon: str | None = None
    alamat: str | None = None
    kategori: KategoriPelapor = KategoriPelapor.WNI_HAK_PILIH
    tempat_lahir: str | None = None
    tanggal_lahir: dt.date | None = None
    jenis_kelamin: JenisKelamin | None = None
    pekerjaan: str | None = None
    kewarganegaraan: str | None = "Indonesia"
    pernah_kawin: bool = False
    """Married or once married: has voting rights before 17 (Pasal 198 UU 7/2017)."""
    nomor_akreditasi: str | None = None
    """For an accredited monitor."""
    peserta: str | None = None
    """For an election participant: the participant reported on behalf of."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "nama": self.nama,
            "email": self.email,
            "telepon": self.telepon,
            "alamat": self.alamat,
            "kategori": self.kategori.value,
            "tempat_lahir": self.tempat_lahir,
            "tanggal_lahir": self.tanggal_lahir.isoformat() if self.tanggal_lahir else None,
            "jenis_kelamin": self.jenis_kelamin.value if self.jenis_kelamin else None,
            "pekerjaan": self.pekerjaan,
            "kewarganegaraan": self.kewarganegaraan,
            "pernah_kawin": self.pernah_kawin,
            "nomor_akreditasi": self.nomor_akreditasi,
            "peserta": self.peserta,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pelapor:
        return cls(
            nama=data["nama"],
            email=data.get("email"),
            telepon=data.get("telepon"),
            alamat=data.get("alamat"),
            kategori=KategoriPelapor(data.get("kategori") or KategoriPelapor.WNI_HAK_PILIH),
            tempat_lahir=data.get("tempat_lahir"),
            tanggal_lahir=dt.date.fromisoformat(data["tanggal_lahir"]) if data.get("tanggal_lahir") else None,
            jenis_kelamin=JenisKelamin(data["jenis_kelamin"]) if data.get("jenis_kelamin") else None,
            pekerjaan=data.get("pekerjaan"),
            kewarganegaraan=data.get("kewarganegaraan"),
            pernah_kawin=bool(data.get("pernah_kawin")),
            nomor_akreditasi=data.get("nomor_akreditasi"),
            peserta=data.get("peserta"),
        )

    def merged(self, other: dict[str, Any]) -> Pelapor:
        """This identity with the fields of ``other`` that are given filled in."""
        current = self.to_dict()
        current.update({k: v for k, v in other.items() if v not in (None, "")})
        return Pelapor.from_dict(current)

    def missing(self) -> list[str]:
        """The Formulir Model B.1 identity fields not filled in, as a reporter reads them."""
        wanted = [
            ("tempat_lahir", "tempat lahir pelapor"),
            ("tanggal_lahir", "tanggal lahir pelapor"),
            ("jenis_kelamin", "jenis kelamin pelapor"),
            ("pekerjaan", "pekerjaan pelapor"),
            ("kewarganegaraan", "kewarganegaraan pelapor"),
            ("alamat", "alamat pelapor"),
        ]
        found = [label for name, label in wanted if not getattr(self, name)]
        if not (self.telepon or self.email):
            found.append("nomor telepon atau email pelapor")
        return found


def check_pelapor_berhak(pelapor: Pelapor, on: dt.date) -> None:
    """Only a citizen with voting rights, an election participant or an accredited monitor
    may report (Pasal 454 ayat (2) UU 7/2017)."""
    if pelapor.kewarganegaraan and pelapor.kewarganegaraan.strip().lower() not in _INDONESIA:
        raise DomainError(
            "Laporan hanya dapat disampaikan oleh warga negara Indonesia yang mempunyai hak pilih, "
            "peserta pemilu, atau pemantau pemilu terakreditasi.",
            pasal=PASAL_PELAPOR,
            field="pelapor.kewarganegaraan",
        )
    if pelapor.kategori is KategoriPelapor.WNI_HAK_PILIH and pelapor.tanggal_lahir:
        if pelapor.tanggal_lahir > on:
            raise DomainError(
                "Tanggal lahir pelapor tidak boleh setelah tanggal laporan.",
                field="pelapor.tanggal_lahir",
            )
        birthday = _anniversary(pelapor.tanggal_lahir, USIA_PEMILIH)
        if birthday > on and not pelapor.pernah_kawin:
            raise DomainError(
                "Pelapor belum berusia 17 tahun dan belum pernah kawin, sehingga belum mempunyai "
                "hak pilih. Laporan dapat disampaikan melalui orang tua atau warga lain yang "
                "mempunyai hak pilih.",
                pasal=PASAL_PELAPOR,
                field="pelapor.tanggal_lahir",
            )
    if pelapor.kategori is KategoriPelapor.PEMANTAU and not (pelapor.nomor_akreditasi or "").strip():
        raise DomainError(
            "Pemantau pemilu wajib mencantumkan nomor akreditasi dari Bawaslu.",
            pasal=PASAL_PELAPOR,
            field="pelapor.nomor_akreditasi",
        )
    if pelapor.kategori is KategoriPelapor.PESERTA_PEMILU and not (pelapor.peserta or "").strip():
        raise DomainError(
            "Pelapor dari peserta pemilu wajib menyebut nama peserta pemilu yang diwakili.",
            pasal=PASAL_PELAPOR,
            field="pelapor.peserta",
        )


def _anniversary(born: dt.date, years: int) -> dt.date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February
        return born.replace(year=born.year + years, day=28)


@dataclass(frozen=True)
class Peristiwa:
    apa: str
    tempat: str
    waktu_kejadian: dt.date
    waktu_diketahui: dt.date

    def to_dict(self) -> dict[str, str]:
        return {
            "apa": self.apa,
            "tempat": self.tempat,
            "waktu_kejadian": self.waktu_kejadian.isoformat(),
            "waktu_diketahui": self.waktu_diketahui.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Peristiwa:
        return cls(
            apa=data["apa"],
            tempat=data["tempat"],
            waktu_kejadian=dt.date.fromisoformat(str(data["waktu_kejadian"])),
            waktu_diketahui=dt.date.fromisoformat(str(data["waktu_diketahui"])),
        )


def check_peristiwa(peristiwa: Peristiwa, reported_on: dt.date) -> None:
    if peristiwa.waktu_kejadian > reported_on:
        raise DomainError("Waktu kejadian tidak boleh setelah tanggal laporan.", field="peristiwa.waktu_kejadian")
    if peristiwa.waktu_diketahui > reported_on:
        raise DomainError(
            f"Waktu diketahui tidak boleh setelah tanggal laporan ({reported_on:%d-%m-%Y}).",
            field="peristiwa.waktu_diketahui",
        )
    if peristiwa.waktu_diketahui < peristiwa.waktu_kejadian:
        raise DomainError("Waktu diketahui tidak boleh sebelum waktu kejadian.", field="peristiwa.waktu_diketahui")


def is_daluwarsa(diketahui: dt.date, reported_on: dt.date, pemilihan: Pemilihan = Pemilihan.PEMILU) -> bool:
    """Reported after the regime's deadline (Pasal 454 ayat (6) UU 7/2017; Pasal 134 ayat (4)
    UU 10/2016): :meth:`Rezim.daluwarsa`."""
    return pemilihan.rezim.daluwarsa(diketahui, reported_on)


def batas_lapor(diketahui: dt.date, pemilihan: Pemilihan = Pemilihan.PEMILU) -> dt.date:
    """The last day a violation known on ``diketahui`` may be reported."""
    return pemilihan.rezim.batas_lapor(diketahui)


@dataclass(frozen=True)
class Saksi:
    nama: str
    alamat: str | None = None
    telepon: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"nama": self.nama, "alamat": self.alamat, "telepon": self.telepon}


@dataclass(frozen=True)
class BuktiInfo:
    """An uploaded piece of evidence, without its content."""

    id: str
    nama_berkas: str
    jenis: str
    ukuran: int
    sha256: str
    diunggah_pada: dt.datetime
    oleh: str


# --- Tracking code and secret ----------------------------------------------------------------


def new_tracking_code() -> str:
    return "LP-" + "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(10))


def normalise_tracking_code(code: str) -> str:
    """Accept what people type: lower case, spaces, and the letters Crockford reads as digits."""
    cleaned = code.strip().upper().replace(" ", "")
    if cleaned.startswith("LP") and not cleaned.startswith("LP-"):
        cleaned = "LP-" + cleaned[2:]
    head, _, tail = cleaned.partition("-")
    tail = tail.replace("O", "0").replace("I", "1").replace("L", "1")
    return f"{head}-{tail}" if tail else cleaned


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def secret_matches(secret: str, digest: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), digest)


# --- Cases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Riwayat:
    """One step in a case's history."""

    status: Status
    pada: dt.datetime
    unit: str
    oleh: str
    catatan: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "pada": self.pada.isoformat(),
            "unit": self.unit,
            "oleh": self.oleh,
            "catatan": self.catatan,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Riwayat:
        return cls(
            status=Status(data["status"]),
            pada=dt.datetime.fromisoformat(data["pada"]),
            unit=data["unit"],
            oleh=data["oleh"],
            catatan=data.get("catatan"),
        )


@dataclass
class Perkara:
    """What laporan and temuan share: the handling workflow and its deadlines."""

    jenis_perkara: ClassVar[JenisPerkara]

    unit: str
    pemilihan: Pemilihan
    tahapan: Tahapan | None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: Status = Status.DITERIMA
    riwayat: list[Riwayat] = field(default_factory=list)
    nomor_register: str | None = None
    diregistrasi_pada: dt.datetime | None = None
    putusan: JenisPutusan | None = None
    diteruskan_ke: str | None = None
    pertimbangan: str | None = None
    nomor_surat_penerusan: str | None = None
    diputus_pada: dt.datetime | None = None
    tenggat: dt.date | None = None
    tahap_tenggat: str | None = None
    tenggat_diperpanjang: bool = False
    tenggat_dialertkan: bool = False
    versi: int = 0
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    # -- the workflow

    def allowed_next(self) -> list[Status]:
        return sorted(TRANSITIONS[self.status], key=list(Status).index)

    def _check_move(self, to: Status) -> None:
        if to not in TRANSITIONS[self.status]:
            allowed = ", ".join(s.value for s in self.allowed_next()) or "tidak ada (sudah final)"
            raise Conflict(
                f"Status {self.jenis_perkara.value} {self.kode} tidak dapat berubah dari "
                f"'{self.status.value}' ke '{to.value}'. Langkah yang sah berikutnya: {allowed}."
            )

    def _move(self, to: Status, *, now: dt.datetime, oleh: str, catatan: str | None) -> Status:
        self._check_move(to)
        before = self.status
        self.status = to
        self.riwayat.append(Riwayat(status=to, pada=now, unit=self.unit, oleh=oleh, catatan=catatan))
        return before

    def _set_deadline(self, tahap: str | None, due: dt.date | None) -> None:
        if (tahap, due) != (self.tahap_tenggat, self.tenggat):
            self.tenggat_dialertkan = False
        self.tahap_tenggat = tahap
        self.tenggat = due

    @property
    def rezim(self) -> Rezim:
        """The case's legal regime (Pemilu or Pemilihan): every deadline follows it."""
        return self.pemilihan.rezim

    def _today(self, now: dt.datetime) -> dt.date:
        """``now`` as a date in the handling unit's own time zone."""
        return local_date(now, self.unit)

    def _tindak_lanjut_due(self) -> dt.date:
        """Pemilu: counted from registration ("diterima dan diregistrasi", Pasal 454 ayat (7)
        UU 7/2017). Pemilihan: a laporan from its receipt ("setelah laporan diterima", Pasal 134
        ayat (5) UU 10/2016), a temuan from its registration."""
        assert self.diregistrasi_pada is not None
        start = self._today(self.diregistrasi_pada)
        if self.rezim.tindak_lanjut_sejak_diterima:
            start = self._diterima_on() or start
        return self.rezim.batas_tindak_lanjut(start, diperpanjang=self.tenggat_diperpanjang)

    def _diterima_on(self) -> dt.date | None:
        """The date a laporan was received; a temuan has none."""
        return None

    @property
    def kode(self) -> str:
        raise NotImplementedError

    def _step(self, name: str, before: Status, now: dt.datetime, **fields: Any) -> None:
        raise NotImplementedError

    def _notice(self, subjek: str, pesan: str) -> None:
        """A message for the reporter (laporan only)."""

    def mulai_klarifikasi(self, *, now: dt.datetime, oleh: str, catatan: str | None = None) -> None:
        if self.status is Status.DILIMPAHKAN and self.nomor_register is None:
            raise Conflict(f"{self.kode} belum diregistrasi: unit penerima melakukan kajian awal lebih dulu.")
        before = self._move(Status.KLARIFIKASI, now=now, oleh=oleh, catatan=catatan)
        self._set_deadline("tindak_lanjut", self._tindak_lanjut_due())
        self._step("KlarifikasiDimulai", before, now)
        self._notice(
            f"Laporan {self.kode} dalam klarifikasi dan kajian",
            "Laporan Anda sedang dalam tahap klarifikasi dan kajian. Tindak lanjut paling lambat "
            f"{self.tenggat:%d-%m-%Y}. Bawaslu dapat mengundang Anda untuk memberikan keterangan.",
        )

    def perpanjang(self, *, alasan: str, now: dt.datetime, oleh: str) -> None:
        """More information is needed: Pemilu 14 working days instead of 7 (Pasal 454 ayat (8)
        UU 7/2017); Pemilihan 3 + 2 = 5 days (Pasal 134 ayat (6) UU 10/2016)."""
        if self.status not in (Status.DIREGISTRASI, Status.KLARIFIKASI):
            raise Conflict(
                f"Tenggat {self.kode} hanya dapat diperpanjang setelah registrasi dan sebelum "
                f"putusan; statusnya kini '{self.status.value}'."
            )
        if self.tenggat_diperpanjang:
            raise Conflict(
                f"Tenggat {self.kode} sudah pernah diperpanjang menjadi "
                f"{self.rezim.tindak_lanjut_diperpanjang} {self.rezim.satuan}."
            )
        if self.tenggat is not None and self._today(now) > self.tenggat:
            raise DomainError(
                f"Tenggat {self.kode} ({self.tenggat:%d-%m-%Y}) sudah lewat; perpanjangan harus "
                "ditetapkan sebelum tenggat berakhir.",
                pasal=self.rezim.pasal_tindak_lanjut_diperpanjang,
            )
        self.tenggat_diperpanjang = True
        self.riwayat.append(
            Riwayat(status=self.status, pada=now, unit=self.unit, oleh=oleh, catatan=f"Tenggat diperpanjang: {alasan}")
        )
        self._set_deadline("tindak_lanjut", self._tindak_lanjut_due())
        self._step("TenggatDiperpanjang", self.status, now, alasan=alasan)
        self._notice(
            f"Tenggat penanganan laporan {self.kode} diperpanjang",
            "Bawaslu memerlukan keterangan tambahan; tindak lanjut laporan Anda paling lambat "
            f"{self.tenggat:%d-%m-%Y}.",
        )

    def putuskan(
        self,
        *,
        putusan: JenisPutusan,
        now: dt.datetime,
        oleh: str,
        pertimbangan: str,
        instansi: str | None = None,
    ) -> None:
        if putusan is JenisPutusan.HUKUM_LAINNYA and not (instansi or "").strip():
            raise DomainError(
                "Putusan pelanggaran hukum lainnya wajib menyebut instansi berwenang yang dituju.",
                field="instansi",
            )
        before = self._move(Status.PUTUSAN, now=now, oleh=oleh, catatan=pertimbangan)
        self.putusan = putusan
        self.pertimbangan = pertimbangan
        self.diputus_pada = now
        if putusan is JenisPutusan.BUKAN_PELANGGARAN:
            self.diteruskan_ke = None
        elif putusan in FIXED_RECIPIENT:
            self.diteruskan_ke = FIXED_RECIPIENT[putusan]
        elif putusan is JenisPutusan.ADMINISTRASI:
            self.diteruskan_ke = (instansi or "").strip() or "KPU"
        else:
            self.diteruskan_ke = (instansi or "").strip()
        self._set_deadline(None, None)
        self._step("Diputus", before, now, putusan=putusan.value, diteruskan_ke=self.diteruskan_ke)
        tujuan = f" dan diteruskan kepada {self.diteruskan_ke}" if self.diteruskan_ke else ""
        self._notice(
            f"Hasil kajian laporan {self.kode}",
            f"Hasil kajian atas laporan Anda: {putusan.label}{tujuan}.",
        )

    def teruskan(self, *, now: dt.datetime, oleh: str, nomor_surat: str | None, catatan: str | None = None) -> None:
        if self.putusan is None or self.diteruskan_ke is None:
            raise Conflict(f"{self.kode} belum diputus sebagai pelanggaran, jadi tidak ada yang diteruskan.")
        before = self._move(Status.DITERUSKAN, now=now, oleh=oleh, catatan=catatan)
        self.nomor_surat_penerusan = nomor_surat
        self._set_deadline(None, None)
        self._step(
            "Diteruskan",
            before,
            now,
            putusan=self.putusan.value,
            tujuan=self.diteruskan_ke,
            nomor_surat=nomor_surat,
        )
        self._notice(
            f"Laporan {self.kode} diteruskan",
            f"Laporan Anda telah diteruskan kepada {self.diteruskan_ke} untuk ditindaklanjuti.",
        )

    def limpahkan(self, *, ke_unit: str, now: dt.datetime, oleh: str, alasan: str) -> str:
        """Move the case to the competent unit; returns 'pelimpahan' (down) or
        'pengambilalihan' (up)."""
        if ke_unit == self.unit:
            raise DomainError(f"{self.kode} sudah ditangani unit {ke_unit}.", field="ke_unit")
        if is_within(ke_unit, self.unit):
            arah = "pelimpahan"
        elif is_within(self.unit, ke_unit):
            arah = "pengambilalihan"
        else:
            raise DomainError(
                f"Perkara hanya dapat dilimpahkan ke unit di bawah {self.unit} atau diambil alih "
                f"unit di atasnya; {ke_unit} tidak berada dalam satu garis hierarki.",
                field="ke_unit",
            )
        self._check_move(Status.DILIMPAHKAN)
        dari = self.unit
        self.unit = ke_unit
        before = self._move(Status.DILIMPAHKAN, now=now, oleh=oleh, catatan=alasan)
        if self.nomor_register is None and self.putusan is None:
            self._set_deadline("kajian_awal", self.rezim.batas_kajian_awal(self._today(now)))
        elif self.putusan is None:
            self._set_deadline("tindak_lanjut", self._tindak_lanjut_due())
        else:
            self._set_deadline(None, None)
        self._step("Dilimpahkan", before, now, dari_unit=dari, ke_unit=ke_unit, arah=arah)
        name = unit_name(ke_unit) or ke_unit
        self._notice(
            f"Penanganan laporan {self.kode} berpindah unit",
            f"Penanganan laporan Anda {'dilimpahkan kepada' if arah == 'pelimpahan' else 'diambil alih oleh'} {name}.",
        )
        return arah

    def limpahkan_ke_bawah(self, *, ke_unit: str, now: dt.datetime, oleh: str, alasan: str) -> None:
        """Pelimpahan: the handling unit hands the case down to a unit below it."""
        if not is_within(ke_unit, self.unit) or ke_unit == self.unit:
            raise DomainError(
                f"Pelimpahan hanya ke unit di bawah {self.unit}; untuk unit di atasnya, unit itu "
                "melakukan pengambilalihan.",
                field="ke_unit",
            )
        self.limpahkan(ke_unit=ke_unit, now=now, oleh=oleh, alasan=alasan)

    def check_pengambilalihan(self, ke_unit: str) -> None:
        """Only a unit above the handling unit may take the case over."""
        if not is_within(self.unit, ke_unit) or ke_unit == self.unit:
            raise DomainError(
                f"Pengambilalihan hanya oleh unit di atas {self.unit}; {ke_unit} bukan atasannya.",
                field="ke_unit",
            )

    def ambil_alih(self, *, ke_unit: str, now: dt.datetime, oleh: str, alasan: str) -> None:
        """Pengambilalihan: a unit above the handling unit (``ke_unit``) takes the case over."""
        self.check_pengambilalihan(ke_unit)
        self.limpahkan(ke_unit=ke_unit, now=now, oleh=oleh, alasan=alasan)

    def selesaikan(self, *, now: dt.datetime, oleh: str, catatan: str | None = None) -> None:
        if self.status is Status.PUTUSAN and self.putusan is not JenisPutusan.BUKAN_PELANGGARAN:
            raise Conflict(
                f"{self.kode} diputus sebagai {self.putusan.value if self.putusan else '-'}: "
                f"teruskan dulu kepada {self.diteruskan_ke} sebelum dinyatakan selesai."
            )
        if self.status is Status.DILIMPAHKAN and self.putusan is None:
            raise Conflict(f"{self.kode} belum diputus: unit penerima menanganinya lebih dulu.")
        before = self._move(Status.SELESAI, now=now, oleh=oleh, catatan=catatan)
        self._set_deadline(None, None)
        self._step("Selesai", before, now, putusan=self.putusan.value if self.putusan else None)
        self._notice(
            f"Penanganan laporan {self.kode} selesai",
            "Penanganan laporan Anda telah selesai. Terima kasih telah turut mengawasi pemilu.",
        )

    def deadline_passed(self, today: dt.date) -> Event | None:
        """The alert for a deadline that fell due with the step not taken, once per deadline."""
        if self.tenggat is None or self.tenggat_dialertkan or today <= self.tenggat:
            return None
        if self.status not in OPEN_STATUSES:
            return None
        self.tenggat_dialertkan = True
        tahap = self.tahap_tenggat or "penanganan"
        event = ev.TenggatPenangananTerlewati(
            unit=self.unit,
            perkara_id=self.id,
            jenis_perkara=self.jenis_perkara.value,
            kode=self.kode,
            tahap=tahap,
            tenggat=self.tenggat,
            pesan=(
                f"Tenggat {TAHAP_LABEL.get(tahap, tahap)} {self.jenis_perkara.value} {self.kode} "
                f"di {unit_name(self.unit) or self.unit} jatuh pada {self.tenggat:%d-%m-%Y} "
                f"({self._dasar_tahap(tahap)}; {self.rezim.satuan}) dan terlewati; status kini "
                f"'{self.status.label}'."
            ),
        )
        self.events.append(event)
        return event

    def _dasar_tahap(self, tahap: str) -> str:
        """The article that sets the deadline of a handling step, in the case's regime."""
        rezim = self.rezim
        if tahap == "tindak_lanjut":
            return rezim.pasal_tindak_lanjut_diperpanjang if self.tenggat_diperpanjang else rezim.pasal_tindak_lanjut
        return rezim.pasal_kajian_awal

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events


TAHAP_LABEL = {
    "kajian_awal": "kajian awal",
    "kelengkapan": "kelengkapan laporan",
    "tindak_lanjut": "tindak lanjut",
    "psap": "penyelesaian sengketa",
}

_LAPORAN_STEP_EVENTS: dict[str, type[ev._LaporanStep]] = {
    "KajianAwalDimulai": ev.LaporanKajianAwalDimulai,
    "PerluDilengkapi": ev.LaporanPerluDilengkapi,
    "Dilengkapi": ev.LaporanDilengkapi,
    "Diregistrasi": ev.LaporanDiregistrasi,
    "TidakDiregistrasi": ev.LaporanTidakDiregistrasi,
    "KlarifikasiDimulai": ev.LaporanKlarifikasiDimulai,
    "TenggatDiperpanjang": ev.LaporanTenggatDiperpanjang,
    "Diputus": ev.LaporanDiputus,
    "Diteruskan": ev.LaporanDiteruskan,
    "Dilimpahkan": ev.LaporanDilimpahkan,
    "Selesai": ev.LaporanSelesai,
}

_TEMUAN_STEP_EVENTS: dict[str, type[ev._TemuanStep]] = {
    "KlarifikasiDimulai": ev.TemuanKlarifikasiDimulai,
    "TenggatDiperpanjang": ev.TemuanTenggatDiperpanjang,
    "Diputus": ev.TemuanDiputus,
    "Diteruskan": ev.TemuanDiteruskan,
    "Dilimpahkan": ev.TemuanDilimpahkan,
    "Selesai": ev.TemuanSelesai,
}


@dataclass
class Laporan(Perkara):
    """A report of an alleged violation, from intake to its end."""

    jenis_perkara: ClassVar[JenisPerkara] = JenisPerkara.LAPORAN

    kanal: Kanal = Kanal.WEB
    pelapor: Pelapor | None = None
    """The reporter's identity; None when loaded without decrypting it."""
    terlapor: str = ""
    peristiwa: Peristiwa | None = None
    saksi: list[Saksi] | None = None
    """Witnesses (confidential like the reporter); None when loaded without decrypting."""
    uraian: str = ""
    diterima_pada: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    kode_pelacakan: str = field(default_factory=new_tracking_code)
    secret_hash: str = ""
    nomor_tanda_terima: str = ""
    identitas_kurang: list[str] = field(default_factory=list)
    """Labels (never values) of the B.1 identity fields not given."""
    jumlah_saksi: int = 0
    bukti: list[BuktiInfo] = field(default_factory=list)
    kekurangan: list[str] = field(default_factory=list)
    """What the reporter was asked to complete."""
    batas_melengkapi: dt.date | None = None
    alasan_tidak_registrasi: AlasanTidakRegistrasi | None = None
    keterangan_tidak_registrasi: str | None = None
    sumber_id: str | None = None
    """The id of the record it came from (a Pojok Pengawasan report), for idempotence."""

    @property
    def kode(self) -> str:
        return self.kode_pelacakan

    @property
    def tanggal_lapor(self) -> dt.date:
        """The filing date, in the zone of the unit that received it."""
        return local_date(self.diterima_pada, self._unit_penerima())

    def _unit_penerima(self) -> str:
        return self.riwayat[0].unit if self.riwayat else self.unit

    def _diterima_on(self) -> dt.date | None:
        return self.tanggal_lapor

    @property
    def batas_lapor(self) -> dt.date:
        assert self.peristiwa is not None
        return self.rezim.batas_lapor(self.peristiwa.waktu_diketahui)

    @property
    def daluwarsa(self) -> bool:
        """The one lateness rule (:meth:`Rezim.daluwarsa`), for intake, registration and the
        status page."""
        assert self.peristiwa is not None
        return self.rezim.daluwarsa(self.peristiwa.waktu_diketahui, self.tanggal_lapor)

    @classmethod
    def receive(
        cls,
        *,
        unit: str,
        kanal: Kanal,
        pelapor: Pelapor,
        terlapor: str,
        peristiwa: Peristiwa,
        uraian: str,
        now: dt.datetime,
        saksi: Sequence[Saksi] = (),
        pemilihan: Pemilihan = Pemilihan.PEMILU,
        tahapan: Tahapan | None = None,
        diterima_pada: dt.datetime | None = None,
        sumber_id: str | None = None,
    ) -> tuple[Laporan, str]:
        """A new laporan and the secret its reporter uses to follow it (shown once).

        ``diterima_pada`` is when the report was actually received, for reports written down
        later (a call, a Pojok Pengawasan form); it defaults to ``now``."""
        received = diterima_pada or now
        if received > now + dt.timedelta(minutes=5):
            raise DomainError("Waktu laporan diterima tidak boleh di masa depan.", field="diterima_pada")
        reported_on = local_date(received, unit)
        rezim = pemilihan.rezim
        if not terlapor.strip():
            raise DomainError("Terlapor wajib diisi.", field="terlapor")
        check_peristiwa(peristiwa, reported_on)
        check_pelapor_berhak(pelapor, reported_on)
        secret = secrets.token_urlsafe(16)
        laporan = cls(
            unit=unit,
            pemilihan=pemilihan,
            tahapan=tahapan,
            kanal=kanal,
            pelapor=pelapor,
            terlapor=terlapor.strip(),
            peristiwa=peristiwa,
            saksi=list(saksi),
            jumlah_saksi=len(saksi),
            uraian=uraian.strip(),
            diterima_pada=received,
            secret_hash=hash_secret(secret),
            identitas_kurang=pelapor.missing(),
            sumber_id=sumber_id,
        )
        laporan.riwayat.append(
            Riwayat(status=Status.DITERIMA, pada=received, unit=unit, oleh=kanal.value, catatan=None)
        )
        laporan._set_deadline("kajian_awal", rezim.batas_kajian_awal(reported_on))
        laporan.events.append(
            ev.LaporanSubmitted(
                unit=unit,
                laporan_id=laporan.id,
                kode_pelacakan=laporan.kode_pelacakan,
                kanal=kanal.value,
                diterima_pada=received,
                tahapan=tahapan.value if tahapan else None,
                pemilihan=pemilihan.value,
                tenggat=laporan.tenggat,
            )
        )
        warning = ""
        if laporan.daluwarsa:
            warning = (
                f" Perhatian: laporan disampaikan lebih dari {rezim.lapor} {rezim.satuan} sejak peristiwa "
                f"diketahui (batasnya {laporan.batas_lapor:%d-%m-%Y}, {rezim.pasal_lapor}), sehingga "
                "dapat tidak diregistrasi karena daluwarsa."
            )
        laporan.events.append(
            ev.PelaporNoticeRequested(
                unit=unit,
                laporan_id=laporan.id,
                kode_pelacakan=laporan.kode_pelacakan,
                email=pelapor.email,
                status=Status.DITERIMA.value,
                subjek=f"Tanda terima laporan {laporan.kode_pelacakan}",
                pesan=(
                    f"Laporan Anda telah diterima pada "
                    f"{received.astimezone(zone_of(unit)):%d-%m-%Y %H:%M} {zone_name(unit)} "
                    f"dengan kode pelacakan {laporan.kode_pelacakan}. Simpan kode rahasia yang "
                    "diberikan untuk memantau statusnya. Kajian awal paling lambat "
                    f"{laporan.tenggat:%d-%m-%Y}.{warning}"
                ),
            )
        )
        return laporan, secret

    def kekurangan_syarat(self) -> list[str]:
        """What keeps the laporan from being registered: formal and material requirements."""
        missing = list(self.identitas_kurang)
        if not self.bukti and not self.jumlah_saksi:
            missing.append("bukti (berkas atau saksi)")
        return missing

    # -- steps

    def _step(self, name: str, before: Status, now: dt.datetime, **fields: Any) -> None:
        event_type = _LAPORAN_STEP_EVENTS[name]
        self.events.append(
            event_type(
                unit=self.unit,
                laporan_id=self.id,
                kode_pelacakan=self.kode_pelacakan,
                status=self.status.value,
                status_sebelumnya=before.value,
                pada=now,
                tenggat=self.tenggat,
                nomor_register=self.nomor_register,
                **fields,
            )
        )

    def _notice(self, subjek: str, pesan: str) -> None:
        self.events.append(
            ev.PelaporNoticeRequested(
                unit=self.unit,
                laporan_id=self.id,
                kode_pelacakan=self.kode_pelacakan,
                email=self.pelapor.email if self.pelapor else None,
                status=self.status.value,
                subjek=subjek,
                pesan=pesan,
            )
        )

    def mulai_kajian_awal(self, *, now: dt.datetime, oleh: str, catatan: str | None = None) -> None:
        if self.status is Status.DILIMPAHKAN and self.nomor_register is not None:
            raise Conflict(f"{self.kode} sudah diregistrasi ({self.nomor_register}); lanjutkan dengan klarifikasi.")
        before = self._move(Status.KAJIAN_AWAL, now=now, oleh=oleh, catatan=catatan)
        if before is Status.DILIMPAHKAN:
            # The receiving unit's own kajian awal, counted from the hand-over.
            self._set_deadline("kajian_awal", self.rezim.batas_kajian_awal(self._today(now)))
        self._step("KajianAwalDimulai", before, now)
        self._notice(
            f"Laporan {self.kode} dalam kajian awal",
            f"Laporan Anda sedang dalam kajian awal oleh {unit_name(self.unit) or self.unit}, "
            f"paling lambat {self.tenggat:%d-%m-%Y}.",
        )

    def minta_kelengkapan(
        self, *, kekurangan: Sequence[str], now: dt.datetime, oleh: str, catatan: str | None = None
    ) -> None:
        items = [item.strip() for item in kekurangan if item.strip()] or self.kekurangan_syarat()
        if not items:
            raise DomainError(
                "Sebutkan apa yang perlu dilengkapi pelapor; laporan ini sudah memenuhi syarat formil dan materiel.",
                field="kekurangan",
            )
        before = self._move(Status.PERLU_DILENGKAPI, now=now, oleh=oleh, catatan=catatan)
        self.kekurangan = items
        self.batas_melengkapi = self.rezim.batas_kelengkapan(self._today(now))
        self._set_deadline("kelengkapan", self.batas_melengkapi)
        self._step("PerluDilengkapi", before, now, kekurangan=items)
        self._notice(
            f"Laporan {self.kode} perlu dilengkapi",
            "Laporan Anda perlu dilengkapi: " + "; ".join(items) + ". Lengkapi paling lambat "
            f"{self.batas_melengkapi:%d-%m-%Y} melalui halaman status laporan dengan kode pelacakan "
            "dan kode rahasia Anda. Laporan yang tidak dilengkapi tidak dapat diregistrasi.",
        )

    def lengkapi(
        self,
        *,
        now: dt.datetime,
        oleh: str,
        pelapor: dict[str, Any] | None = None,
        saksi: Sequence[Saksi] = (),
        bukti: Sequence[BuktiInfo] = (),
        keterangan: str | None = None,
    ) -> None:
        """The reporter (or staff on their behalf) supplies what was missing."""
        if self.status is not Status.PERLU_DILENGKAPI:
            raise Conflict(f"Laporan {self.kode} tidak sedang menunggu kelengkapan (status: {self.status.label}).")
        if not (pelapor or saksi or bukti or (keterangan or "").strip()):
            raise DomainError("Tidak ada yang dilengkapi: isi data, saksi, bukti, atau keterangan.")
        if pelapor:
            if self.pelapor is None:
                raise RuntimeError("the reporter's identity must be loaded to complete it")
            completed = self.pelapor.merged(pelapor)
            check_pelapor_berhak(completed, self._today(now))
            self.pelapor = completed
            self.identitas_kurang = completed.missing()
        if saksi:
            if self.saksi is None:
                raise RuntimeError("the witnesses must be loaded to add to them")
            self.saksi = [*self.saksi, *saksi]
            self.jumlah_saksi = len(self.saksi)
        self.bukti = [*self.bukti, *bukti]
        if keterangan and keterangan.strip():
            self.uraian = f"{self.uraian}\n\nKeterangan tambahan ({self._today(now):%d-%m-%Y}): {keterangan.strip()}"
        before = self._move(Status.KAJIAN_AWAL, now=now, oleh=oleh, catatan="Kelengkapan diterima")
        self._set_deadline("kajian_awal", self.rezim.batas_kajian_awal(self._today(now)))
        self._step("Dilengkapi", before, now)
        self._notice(
            f"Kelengkapan laporan {self.kode} diterima",
            "Terima kasih, kelengkapan laporan Anda telah diterima. Kajian awal dilanjutkan paling "
            f"lambat {self.tenggat:%d-%m-%Y}.",
        )

    def check_registrasi(self) -> None:
        """Refuse a registration the rules do not allow, before a register number is taken
        (a refusal leaves no gap in the register)."""
        self._check_move(Status.DIREGISTRASI)
        if self.daluwarsa:
            assert self.peristiwa is not None
            raise DomainError(
                f"Laporan {self.kode} disampaikan {self.tanggal_lapor:%d-%m-%Y}, lebih dari "
                f"{self.rezim.lapor} {self.rezim.satuan} sejak diketahui "
                f"({self.peristiwa.waktu_diketahui:%d-%m-%Y}; batasnya {self.batas_lapor:%d-%m-%Y}); "
                "laporan daluwarsa tidak dapat diregistrasi. Nyatakan tidak diregistrasi dengan alasan "
                "daluwarsa.",
                pasal=self.rezim.pasal_lapor,
            )
        missing = self.kekurangan_syarat()
        if missing:
            raise DomainError(
                f"Laporan {self.kode} belum memenuhi syarat untuk diregistrasi; kurang: "
                + "; ".join(missing)
                + ". Minta pelapor melengkapi atau nyatakan tidak diregistrasi.",
                pasal=self.rezim.pasal_kajian_awal,
            )

    def registrasi(self, *, nomor: str, now: dt.datetime, oleh: str, catatan: str | None = None) -> None:
        self.check_registrasi()
        before = self._move(Status.DIREGISTRASI, now=now, oleh=oleh, catatan=catatan)
        self.nomor_register = nomor
        self.diregistrasi_pada = now
        self._set_deadline("tindak_lanjut", self._tindak_lanjut_due())
        self._step("Diregistrasi", before, now)
        self._notice(
            f"Laporan {self.kode} diregistrasi",
            f"Laporan Anda diregistrasi dengan nomor {nomor}. Tindak lanjut paling lambat {self.tenggat:%d-%m-%Y}.",
        )

    def tolak_registrasi(self, *, alasan: AlasanTidakRegistrasi, keterangan: str, now: dt.datetime, oleh: str) -> None:
        self._check_move(Status.TIDAK_DIREGISTRASI)
        if alasan is AlasanTidakRegistrasi.DALUWARSA and not self.daluwarsa:
            assert self.peristiwa is not None
            raise DomainError(
                f"Laporan {self.kode} tidak daluwarsa: disampaikan {self.tanggal_lapor:%d-%m-%Y}, "
                f"batasnya {self.batas_lapor:%d-%m-%Y}.",
                pasal=self.rezim.pasal_lapor,
                field="alasan",
            )
        if not keterangan.strip():
            raise DomainError("Keterangan alasan tidak diregistrasi wajib diisi.", field="keterangan")
        before = self._move(Status.TIDAK_DIREGISTRASI, now=now, oleh=oleh, catatan=keterangan)
        self.alasan_tidak_registrasi = alasan
        self.keterangan_tidak_registrasi = keterangan.strip()
        self._set_deadline(None, None)
        self._step("TidakDiregistrasi", before, now, alasan=alasan.value, keterangan=keterangan.strip())
        self._notice(
            f"Laporan {self.kode} tidak diregistrasi",
            f"Laporan Anda tidak diregistrasi karena {alasan.label}: {keterangan.strip()}",
        )


@dataclass
class Temuan(Perkara):
    """A finding by supervisors, registered at once with its TM number."""

    jenis_perkara: ClassVar[JenisPerkara] = JenisPerkara.TEMUAN

    status: Status = Status.DIREGISTRASI
    peristiwa: Peristiwa | None = None
    terlapor: str = ""
    uraian: str = ""
    dicatat_pada: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    form_a_id: str | None = None
    pengawas: str = ""
    """The subject of the supervisor's account that recorded it."""

    @property
    def kode(self) -> str:
        return self.nomor_register or self.id

    @classmethod
    def catat(
        cls,
        *,
        unit: str,
        nomor: str,
        peristiwa: Peristiwa,
        terlapor: str,
        uraian: str,
        now: dt.datetime,
        oleh: str,
        pemilihan: Pemilihan = Pemilihan.PEMILU,
        tahapan: Tahapan | None = None,
        form_a_id: str | None = None,
    ) -> Temuan:
        today = local_date(now, unit)
        check_peristiwa(peristiwa, today)
        rezim = pemilihan.rezim
        batas = rezim.batas_temuan(peristiwa.waktu_diketahui)
        if today > batas:
            raise DomainError(
                f"Temuan ditetapkan paling lama {rezim.temuan} {rezim.satuan} sejak diketahui; peristiwa "
                f"diketahui {peristiwa.waktu_diketahui:%d-%m-%Y}, batasnya {batas:%d-%m-%Y}.",
                pasal=rezim.pasal_temuan,
                field="peristiwa.waktu_diketahui",
            )
        if not terlapor.strip():
            raise DomainError("Terlapor (pihak yang diduga melanggar) wajib diisi.", field="terlapor")
        temuan = cls(
            unit=unit,
            pemilihan=pemilihan,
            tahapan=tahapan,
            peristiwa=peristiwa,
            terlapor=terlapor.strip(),
            uraian=uraian.strip(),
            dicatat_pada=now,
            form_a_id=form_a_id,
            pengawas=oleh,
            nomor_register=nomor,
            diregistrasi_pada=now,
        )
        temuan.riwayat.append(Riwayat(status=Status.DIREGISTRASI, pada=now, unit=unit, oleh=oleh))
        temuan._set_deadline("tindak_lanjut", temuan._tindak_lanjut_due())
        temuan.events.append(
            ev.TemuanDicatat(
                unit=unit,
                temuan_id=temuan.id,
                nomor_register=nomor,
                tahapan=tahapan.value if tahapan else None,
                pemilihan=pemilihan.value,
                tanggal_diketahui=peristiwa.waktu_diketahui,
                dicatat_pada=now,
                form_a_id=form_a_id,
                tenggat=temuan.tenggat,
            )
        )
        return temuan

    def _step(self, name: str, before: Status, now: dt.datetime, **fields: Any) -> None:
        assert self.nomor_register is not None
        event_type = _TEMUAN_STEP_EVENTS[name]
        self.events.append(
            event_type(
                unit=self.unit,
                temuan_id=self.id,
                nomor_register=self.nomor_register,
                status=self.status.value,
                status_sebelumnya=before.value,
                pada=now,
                tenggat=self.tenggat,
                **fields,
            )
        )
