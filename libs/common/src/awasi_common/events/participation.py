"""Events the participation service publishes (program and compliance events).

Topics, one per aggregate stream (key = the aggregate id):

- ``awasi.participation.program.v1`` (``program_id``): a program formed, a consultation at a
  Pojok Pengawasan, a communication logged for a Kampung Pengawasan.
- ``awasi.participation.peserta.v1`` (``peserta_id``): registration, attendance, feedback.
  No personal data travels on it: a peserta is an id and a sasaran category.
- ``awasi.participation.pemantauan.v1`` (``pemantauan_id``): monitoring recorded.
- ``awasi.participation.penilaian.v1`` (``penilaian_id``): assessment set, tindak lanjut
  required and recorded.
- ``awasi.participation.obligation.v1`` (``kewajiban_id``): an obligation that fell due
  unmet. These are alerts (``alert = True``): notification tells the unit and its parent.
- ``awasi.participation.pojok-laporan.v1`` (internal): a report made at a Pojok Pengawasan,
  ``LaporanPojokDiterima`` v2, whose reporter and witnesses travel sealed (v1 carried them in
  clear and is no longer published).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from awasi_common.events.base import Event
from awasi_common.sealing import KeyRing
from awasi_common.vocabulary import Program

SOURCE = "/awasi/participation"
PROGRAM_TOPIC = "awasi.participation.program.v1"
PESERTA_TOPIC = "awasi.participation.peserta.v1"
PEMANTAUAN_TOPIC = "awasi.participation.pemantauan.v1"
PENILAIAN_TOPIC = "awasi.participation.penilaian.v1"
OBLIGATION_TOPIC = "awasi.participation.obligation.v1"
POJOK_LAPORAN_TOPIC = "awasi.participation.pojok-laporan.v1"
POJOK_IDENTITY_CONTEXT = "awasi:identitas-laporan-pojok"


# --- programs -------------------------------------------------------------------------


class _ProgramEvent(Event):
    topic: ClassVar[str] = PROGRAM_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "program_id"

    program_id: str
    program: Program


class ProgramFormed(_ProgramEvent):
    """A unit formed one of the six participatory supervision programs."""

    name: ClassVar[str] = "ProgramFormed"

    nama: str
    dibentuk_pada: dt.date
    sasaran: list[str]
    """Sasaran categories the program serves (a subset of what its article allows)."""
    melibatkan: list[str] = Field(default_factory=list)
    """Units involved besides the forming unit (Komunitas Digital: Provinsi, Kab/Kota)."""
    metode: str | None = None
    """Forum Warga: dialogis or partisipatoris."""
    pertemuan: list[str] = Field(default_factory=list)
    """Forum Warga: tatap_muka and/or daring."""
    tempat: str | None = None
    """Pojok Pengawasan: where it is (kantor or ruang_publik, with the address)."""
    bentuk_kerja_sama: list[str] = Field(default_factory=list)
    """Kerja Sama dengan Perguruan Tinggi: its forms."""
    perguruan_tinggi: str | None = None
    """Kerja Sama dengan Perguruan Tinggi: the partner university."""
    desa: str | None = None
    """Kampung Pengawasan: the kelurahan/desa code."""
    kategori_kerawanan: str | None = None
    """Kampung Pengawasan: the vulnerability category (IKP) of the mapping."""


class PojokKonsultasiRecorded(_ProgramEvent):
    """Someone came to a Pojok Pengawasan for information, consultation or to hand over
    their supervision results. The visitor's identity stays in the service."""

    name: ClassVar[str] = "PojokKonsultasiRecorded"

    konsultasi_id: str
    jenis: str
    """informasi, konsultasi or penyampaian_hasil_pengawasan."""
    waktu: dt.datetime
    topik: str


class KampungKomunikasiRecorded(_ProgramEvent):
    """Regular communication, coordination or socialisation with the village apparatus and
    community groups of a Kampung Pengawasan was held."""

    name: ClassVar[str] = "KampungKomunikasiRecorded"

    komunikasi_id: str
    jenis: str
    """komunikasi_berkala, koordinasi or sosialisasi."""
    tanggal: dt.date
    pihak: list[str]


# --- peserta --------------------------------------------------------------------------


class _PesertaEvent(Event):
    topic: ClassVar[str] = PESERTA_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "peserta_id"

    peserta_id: str
    kegiatan_id: str
    """The planning service's kegiatan the peserta registered for."""
    program_id: str | None
    """The program record the kegiatan is linked to, when it is linked."""
    program: Program
    sasaran: str


class PesertaRegistered(_PesertaEvent):
    name: ClassVar[str] = "PesertaRegistered"

    terdaftar_pada: dt.datetime


class PesertaAttended(_PesertaEvent):
    """The peserta checked in with their code."""

    name: ClassVar[str] = "PesertaAttended"

    hadir_pada: dt.datetime


class UmpanBalikReceived(_PesertaEvent):
    """An attending peserta's feedback on the kegiatan."""

    name: ClassVar[str] = "UmpanBalikReceived"

    pemahaman_meningkat: bool
    skor: int | None = None
    """1 (poor) to 5 (very good)."""


# --- pemantauan and penilaian ---------------------------------------------------------


class PemantauanRecorded(Event):
    """A unit monitored participatory supervision in its area (Pasal 30 ayat (3))."""

    name: ClassVar[str] = "PemantauanRecorded"
    topic: ClassVar[str] = PEMANTAUAN_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "pemantauan_id"

    pemantauan_id: str
    tanggal: dt.date
    cakupan: list[str]
    """Units whose participatory supervision was monitored."""
    program: list[Program] = Field(default_factory=list)
    ringkasan: str


class HasilIndikator(BaseModel):
    model_config = ConfigDict(frozen=True)

    kode: str
    nama: str
    target: float
    nilai: float
    terpenuhi: bool


class _PenilaianEvent(Event):
    topic: ClassVar[str] = PENILAIAN_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "penilaian_id"

    penilaian_id: str
    unit_dinilai: str
    tahun: int


class PenilaianSet(_PenilaianEvent):
    """A unit assessed participatory supervision against Bawaslu's indicator set
    (Pasal 30 ayat (1) and (2)). ``unit`` is the assessing unit."""

    name: ClassVar[str] = "PenilaianSet"

    indikator_set_id: str
    tanggal: dt.date
    skor: float
    """Weighted share of indicators met, 0–100."""
    memenuhi: bool
    hasil: list[HasilIndikator]
    pemantauan_ids: list[str]


class TindakLanjutRequired(_PenilaianEvent):
    """A penilaian did not meet the indicators: the responsible unit (``unit``) must
    evaluate its method and process and set a new strategy by ``batas_waktu`` (Pasal 31)."""

    name: ClassVar[str] = "TindakLanjutRequired"

    batas_waktu: dt.date
    indikator_tidak_terpenuhi: list[str]


class TindakLanjutRecorded(_PenilaianEvent):
    name: ClassVar[str] = "TindakLanjutRecorded"

    tindak_lanjut_id: str
    tanggal: dt.date
    media: list[str]
    terlambat: bool
    """Recorded after the deadline of the TindakLanjutRequired."""


# --- obligations that fell due unmet (alerts) -----------------------------------------


class _ObligationOverdue(Event):
    topic: ClassVar[str] = OBLIGATION_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "kewajiban_id"
    alert: ClassVar[bool] = True

    kewajiban_id: str
    """Stable id of the obligation, e.g. ``pemantauan:35.05:2026-09``: raised once."""
    jenis: str
    """forum_warga, pemantauan, tindak_lanjut, komunikasi_kampung, koordinasi_kampung or
    pengembangan_kampung."""
    periode: str
    """``2026`` for a year, ``2026-09`` for a month, the penilaian id for a tindak lanjut."""
    batas_waktu: dt.date
    wajib: int
    terlaksana: int
    pasal: str
    pesan: str


class ForumWargaOverdue(_ObligationOverdue):
    """A unit that formed a Forum Warga held it fewer than 3 times in a year (Pasal 17 ayat (1))."""

    name: ClassVar[str] = "ForumWargaOverdue"


class PemantauanOverdue(_ObligationOverdue):
    """A unit monitored less often than Pasal 30 ayat (3) requires in a period."""

    name: ClassVar[str] = "PemantauanOverdue"


class TindakLanjutOverdue(_ObligationOverdue):
    """The tindak lanjut of an unmet penilaian was not recorded by its deadline (Pasal 31)."""

    name: ClassVar[str] = "TindakLanjutOverdue"

    penilaian_id: str


class KampungKomunikasiOverdue(_ObligationOverdue):
    """A Kampung Pengawasan had no communication (Pasal 25 huruf c) or no coordination and
    sosialisasi (huruf d) with the village and its community in a 3-month window."""

    name: ClassVar[str] = "KampungKomunikasiOverdue"

    program_id: str


class PengembanganKampungOverdue(_ObligationOverdue):
    """A unit with Kampung Pengawasan recorded no development and innovation, based on
    evaluating all of them, in a year (Pasal 27 ayat (1))."""

    name: ClassVar[str] = "PengembanganKampungOverdue"


# --- Pojok Pengawasan reports, handed to reporting ------------------------------------


class PelaporPojok(BaseModel):
    """The reporter's identity as written at a Pojok Pengawasan (Formulir Model B.1)."""

    model_config = ConfigDict(frozen=True)

    nama: str
    tempat_lahir: str | None = None
    tanggal_lahir: dt.date | None = None
    jenis_kelamin: str | None = None
    pekerjaan: str | None = None
    kewarganegaraan: str | None = None
    alamat: str | None = None
    telepon: str | None = None
    email: str | None = None


class IdentitasPojok(BaseModel):
    """Who a Pojok report names as people: the reporter and the witnesses. It leaves
    participation only sealed (``LaporanPojokDiterimaV2.identitas_tersegel``), with the keys
    participation and reporting share (``AWASI_POJOK_IDENTITY_KEY``)."""

    model_config = ConfigDict(frozen=True)

    pelapor: PelaporPojok
    saksi: list[str] = Field(default_factory=list)
    """The witnesses' names."""

    def seal(self, keys: KeyRing, laporan_pojok_id: str) -> str:
        return keys.seal_text(self.model_dump_json(), _identity_context(laporan_pojok_id))

    @classmethod
    def open(cls, token: str, keys: KeyRing, laporan_pojok_id: str) -> IdentitasPojok:
        return cls.model_validate_json(keys.open_text(token, _identity_context(laporan_pojok_id)))


def _identity_context(laporan_pojok_id: str) -> str:
    # Bound to the report: a blob copied into another event does not open.
    return f"{POJOK_IDENTITY_CONTEXT}:{laporan_pojok_id}"


class _LaporanPojok(Event):
    """What both versions of a Pojok Pengawasan report carry besides the reporter."""

    topic: ClassVar[str] = POJOK_LAPORAN_TOPIC
    source: ClassVar[str] = "/awasi/participation"
    key_field: ClassVar[str] = "laporan_pojok_id"
    public: ClassVar[bool] = False

    laporan_pojok_id: str
    program_id: str
    terlapor: str
    peristiwa_apa: str
    peristiwa_tempat: str
    waktu_kejadian: dt.date
    waktu_diketahui: dt.date
    uraian: str
    diterima_pada: dt.datetime


class LaporanPojokDiterima(_LaporanPojok):
    """Internal, no longer published (replaced by v2, which seals the identity): a public
    report made at a Pojok Pengawasan with the reporter's identity in clear. Reporting still
    reads it, for events written before v2."""

    name: ClassVar[str] = "LaporanPojokDiterima"

    pelapor: PelaporPojok
    saksi: list[str] = Field(default_factory=list)


class LaporanPojokDiterimaV2(_LaporanPojok):
    """Internal: a public report made at a Pojok Pengawasan, handed to reporting, which
    registers it as a laporan with channel ``pojok_pengawasan`` (and publishes LaporanSubmitted).
    The reporter's identity and the witnesses travel sealed in ``identitas_tersegel`` (an
    ``IdentitasPojok``): ciphertext in participation's outbox and on Kafka, opened only by
    reporting, which keeps it encrypted at rest. Never offered to agencies."""

    name: ClassVar[str] = "LaporanPojokDiterima"
    version: ClassVar[int] = 2

    identitas_tersegel: str
    """``IdentitasPojok`` sealed with the Pojok identity keys, bound to ``laporan_pojok_id``."""

    def identitas(self, keys: KeyRing) -> IdentitasPojok:
        return IdentitasPojok.open(self.identitas_tersegel, keys, self.laporan_pojok_id)
