"""The rules of Perbawaslu Nomor 2 Tahun 2023 as data: who forms each program, which sasaran
each program allows, and the vocabulary its articles use. No I/O here.

Article references follow the regulation's numbering (Pasal 3 lists the programs; Pasal 15–18
Forum Warga; 19–21 Pojok Pengawasan; 22–23 Kerja Sama dengan Perguruan Tinggi; 24–27 Kampung
Pengawasan; 28–29 Komunitas Digital; 30 penilaian and pemantauan; 31 tindak lanjut). The
articles on Pendidikan Pengawas Partisipatif (Pasal 5–14) are not in the project's copy of the
regulation: its peserta follow Pasal 6 ayat (1); who holds it is taken to be Bawaslu, Bawaslu
Provinsi and Bawaslu Kabupaten/Kota.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from awasi_common.units import Level
from awasi_common.vocabulary import Program

REGULATION = "Perbawaslu Nomor 2 Tahun 2023"
KEWAJIBAN_SEJAK = dt.date(2023, 1, 1)
"""No obligation of the regulation falls in a period before the year it was made: a unit made
active by an old or mistyped date (a pemantauan of 0001-01-01, a kegiatan of 2000) does not owe
thousands of past months of pemantauan."""


def pasal(reference: str) -> str:
    """``pasal("Pasal 16")`` → ``"Pasal 16 Perbawaslu Nomor 2 Tahun 2023"``."""
    return f"{reference} {REGULATION}"


class Sasaran(StrEnum):
    """Target groups (sasaran / peserta) the articles name, across the six programs."""

    PEMILIH_PEMULA = "pemilih_pemula"
    PEMILIH_PENYANDANG_DISABILITAS = "pemilih_penyandang_disabilitas"
    PEMILIH_LANJUT_USIA = "pemilih_lanjut_usia"
    PEMILIH_PEREMPUAN = "pemilih_perempuan"
    ORGANISASI_KEMASYARAKATAN = "organisasi_kemasyarakatan"
    TOKOH_AGAMA = "tokoh_agama"
    LEMBAGA_PENDIDIKAN_FORMAL = "lembaga_pendidikan_formal"
    KELOMPOK_ADAT = "kelompok_adat"
    KOMUNITAS_HOBI = "komunitas_hobi"
    PENGAJAR_PELAJAR_MAHASISWA = "pengajar_pelajar_mahasiswa"
    MASYARAKAT_HUKUM_ADAT = "masyarakat_hukum_adat"
    MASYARAKAT_UMUM = "masyarakat_umum"
    PIMPINAN_PERGURUAN_TINGGI = "pimpinan_perguruan_tinggi"
    DOSEN_AKTIF = "dosen_aktif"
    MAHASISWA_AKTIF = "mahasiswa_aktif"
    KONTEN_KREATOR = "konten_kreator"
    PEMANTAU_PEMILU = "pemantau_pemilu"
    JURNALIS = "jurnalis"
    BUDAYAWAN = "budayawan"
    AKADEMISI = "akademisi"
    PENGAWAS_PARTISIPATIF = "pengawas_partisipatif"
    KELOMPOK_PEDULI_PEMILU = "kelompok_masyarakat_peduli_pemilu"

    @property
    def nama(self) -> str:
        return self.value.replace("_", " ").capitalize()


S = Sasaran
FORMING_LEVELS_ALL = frozenset({Level.RI, Level.PROVINSI, Level.KABUPATEN_KOTA, Level.KECAMATAN})
FORMING_LEVELS_BAWASLU = frozenset({Level.RI, Level.PROVINSI, Level.KABUPATEN_KOTA})


@dataclass(frozen=True)
class ProgramRule:
    pembentuk: frozenset[Level]
    pasal_pembentuk: str
    sasaran: tuple[Sasaran, ...]
    pasal_sasaran: str

    @property
    def pembentuk_label(self) -> str:
        ordered = sorted(self.pembentuk)
        return ", ".join(level.label for level in ordered)


RULES: dict[Program, ProgramRule] = {
    Program.PENDIDIKAN_PENGAWAS_PARTISIPATIF: ProgramRule(
        FORMING_LEVELS_BAWASLU,
        pasal("Pasal 5"),
        (
            S.PEMILIH_PEMULA,
            S.PEMILIH_PENYANDANG_DISABILITAS,
            S.PEMILIH_PEREMPUAN,
            S.ORGANISASI_KEMASYARAKATAN,
            S.TOKOH_AGAMA,
            S.PENGAJAR_PELAJAR_MAHASISWA,
            S.MASYARAKAT_HUKUM_ADAT,
        ),
        pasal("Pasal 6 ayat (1)"),
    ),
    Program.FORUM_WARGA: ProgramRule(
        FORMING_LEVELS_ALL,
        pasal("Pasal 15 ayat (1)"),
        (
            S.PEMILIH_PEMULA,
            S.PEMILIH_PENYANDANG_DISABILITAS,
            S.PEMILIH_LANJUT_USIA,
            S.PEMILIH_PEREMPUAN,
            S.ORGANISASI_KEMASYARAKATAN,
            S.TOKOH_AGAMA,
            S.LEMBAGA_PENDIDIKAN_FORMAL,
            S.KELOMPOK_ADAT,
            S.KOMUNITAS_HOBI,
        ),
        pasal("Pasal 16"),
    ),
    Program.POJOK_PENGAWASAN: ProgramRule(
        FORMING_LEVELS_ALL, pasal("Pasal 19 ayat (1)"), (S.MASYARAKAT_UMUM,), pasal("Pasal 20")
    ),
    Program.KERJA_SAMA_PERGURUAN_TINGGI: ProgramRule(
        FORMING_LEVELS_BAWASLU,
        pasal("Pasal 22 ayat (1)"),
        (S.PIMPINAN_PERGURUAN_TINGGI, S.DOSEN_AKTIF, S.MAHASISWA_AKTIF),
        pasal("Pasal 23 ayat (2)"),
    ),
    Program.KAMPUNG_PENGAWASAN: ProgramRule(
        FORMING_LEVELS_BAWASLU,
        pasal("Pasal 24 ayat (1)"),
        (S.MASYARAKAT_HUKUM_ADAT, S.MASYARAKAT_UMUM),
        pasal("Pasal 26"),
    ),
    Program.KOMUNITAS_DIGITAL: ProgramRule(
        frozenset({Level.RI}),
        pasal("Pasal 28 ayat (1)"),
        (
            S.PEMILIH_PEMULA,
            S.KONTEN_KREATOR,
            S.PEMANTAU_PEMILU,
            S.JURNALIS,
            S.BUDAYAWAN,
            S.AKADEMISI,
            S.PENGAWAS_PARTISIPATIF,
            S.KOMUNITAS_HOBI,
            S.KELOMPOK_PEDULI_PEMILU,
        ),
        pasal("Pasal 29"),
    ),
}


class MetodeForum(StrEnum):
    """Pasal 18 ayat (1)."""

    DIALOGIS = "dialogis"
    PARTISIPATORIS = "partisipatoris"


class Pertemuan(StrEnum):
    """Pasal 17 ayat (2): face to face and/or online."""

    TATAP_MUKA = "tatap_muka"
    DARING = "daring"


class TempatPojok(StrEnum):
    """Pasal 19 ayat (1): at the unit's office and/or a strategic public space."""

    KANTOR = "kantor"
    RUANG_PUBLIK = "ruang_publik"


class Hari(StrEnum):
    SENIN = "senin"
    SELASA = "selasa"
    RABU = "rabu"
    KAMIS = "kamis"
    JUMAT = "jumat"
    SABTU = "sabtu"
    MINGGU = "minggu"


class JenisKonsultasi(StrEnum):
    """Pasal 19 ayat (2): what people come to a Pojok Pengawasan for."""

    INFORMASI = "informasi"
    KONSULTASI = "konsultasi"
    PENYAMPAIAN_HASIL_PENGAWASAN = "penyampaian_hasil_pengawasan"


class BentukKerjaSama(StrEnum):
    """Pasal 23 ayat (1) huruf a–f."""

    KKN_TEMATIK = "kkn_tematik"
    PENELITIAN = "penelitian"
    KULIAH_UMUM_DISKUSI_SEMINAR = "kuliah_umum_diskusi_seminar"
    MAGANG = "magang"
    PROGRAM_STUDI_TATA_KELOLA_KEPEMILUAN = "program_studi_tata_kelola_kepemiluan"
    LAINNYA = "lainnya"


class Akreditasi(StrEnum):
    """Accreditation ranks of BAN-PT (current and earlier scales)."""

    UNGGUL = "unggul"
    BAIK_SEKALI = "baik_sekali"
    BAIK = "baik"
    A = "A"
    B = "B"
    C = "C"


class KategoriKerawanan(StrEnum):
    """Categories of the Indeks Kerawanan Pemilu (Pasal 25 huruf a)."""

    RENDAH = "rendah"
    SEDANG = "sedang"
    TINGGI = "tinggi"


class JenisKomunikasi(StrEnum):
    """Pasal 25 huruf c and d: what a Kampung Pengawasan keeps up with the village."""

    KOMUNIKASI_BERKALA = "komunikasi_berkala"
    KOORDINASI = "koordinasi"
    SOSIALISASI = "sosialisasi"


class MediaTindakLanjut(StrEnum):
    """Pasal 31 ayat (2)."""

    TATAP_MUKA = "tatap_muka"
    SISTEM_TEKNOLOGI_INFORMASI = "sistem_teknologi_informasi"
    DARING = "daring"


# Pemantauan (Pasal 30 ayat (3)): how often, per level.
PEMANTAUAN_LEVELS = frozenset({Level.RI, Level.PROVINSI, Level.KABUPATEN_KOTA})
PENILAIAN_LEVELS = PEMANTAUAN_LEVELS
FORUM_WARGA_PER_TAHUN = 3
KAMPUNG_KOMUNIKASI_BULAN = 3
"""Pasal 25 huruf c and d say "secara berkala" without a period: the platform takes at least one
communication (huruf c) and one coordination or sosialisasi (huruf d) in every 3 months from a
Kampung Pengawasan's formation."""
IKP_SIKLUS_TAHUN = 5
"""Pemilu is held every 5 years (UU 7/2017 Pasal 167 ayat (1)) and Bawaslu names each Indeks
Kerawanan Pemilu/Pemilihan after the election it is for ("IKP Pemilu 2024"). An IKP is the
current edition ("teraktual", Pasal 25 huruf a) when it is named for an election at most 4 years
before the year the Kampung is formed: in 2024 the 2019 edition belongs to the previous cycle."""


def ikp_teraktual(edisi: int, tahun: int) -> bool:
    """Whether an IKP named for the election of ``edisi`` is current in ``tahun``."""
    return tahun - (IKP_SIKLUS_TAHUN - 1) <= edisi <= tahun + IKP_SIKLUS_TAHUN
