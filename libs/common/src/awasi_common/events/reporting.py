"""Events the reporting service publishes: laporan and temuan handling, supervision results
(Form A), prevention, APK enforcement, PSAP cases, and deadlines that passed.

Public events carry no personal data: not the reporter's identity, not the witnesses', not
the reported party's name. A tracking code or a register number is enough for a subscriber
to follow a case. What notification needs to write to a reporter travels on an internal
topic that agencies are never granted (``PelaporNoticeRequested``).

Topics (key = the aggregate id, so the steps of one case keep their order):

- ``awasi.reporting.laporan.v1``: LaporanSubmitted and every handling step of a laporan.
- ``awasi.reporting.temuan.v1``: TemuanDicatat and every handling step of a temuan.
- ``awasi.reporting.pengawasan.v1``: HasilPengawasanDisampaikan (a Form A),
  HasilPengawasanKolektifDisampaikan (Form A filed together), PencegahanDicatat,
  PenertibanApkDicatat.
- ``awasi.reporting.psap.v1``: PSAP cases (penyelesaian sengketa antarpeserta).
- ``awasi.reporting.tenggat.v1``: TenggatPenangananTerlewati (an alert).
- ``awasi.reporting.pelapor-notice.v1``: internal messages for reporters.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from awasi_common.events.base import Event
from awasi_common.units import UnitCode

LAPORAN_TOPIC = "awasi.reporting.laporan.v1"
TEMUAN_TOPIC = "awasi.reporting.temuan.v1"
PENGAWASAN_TOPIC = "awasi.reporting.pengawasan.v1"
PSAP_TOPIC = "awasi.reporting.psap.v1"
TENGGAT_TOPIC = "awasi.reporting.tenggat.v1"
PELAPOR_NOTICE_TOPIC = "awasi.reporting.pelapor-notice.v1"

SOURCE = "/awasi/reporting"


class LaporanSubmitted(Event):
    name: ClassVar[str] = "LaporanSubmitted"
    topic: ClassVar[str] = LAPORAN_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "laporan_id"

    laporan_id: str
    kode_pelacakan: str
    kanal: str
    """web, pojok_pengawasan, call_center, media_sosial or patroli_digital."""
    diterima_pada: dt.datetime
    peristiwa_singkat: str | None = None
    """No longer filled (always null): the reporter's own words may name people, and public
    events carry no personal data. Kept so the schema stays compatible."""
    tahapan: str | None = None
    pemilihan: str = "pemilu"
    """pemilu or pilkada."""
    tenggat: dt.date | None = None
    """When the kajian awal is due (2 working days after receipt)."""


class PelaporNoticeRequested(Event):
    """Internal: a message for a reporter, with the contact reporting keeps confidential.
    Published on receipt and on every change of the laporan's status."""

    name: ClassVar[str] = "PelaporNoticeRequested"
    topic: ClassVar[str] = PELAPOR_NOTICE_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "laporan_id"
    public: ClassVar[bool] = False

    laporan_id: str
    kode_pelacakan: str
    email: str | None = None
    """The address in clear, as events published before ``email_tersegel`` carried it."""
    email_tersegel: str | None = None
    """The reporter's address sealed with the contact keys (:mod:`awasi_common.sealing`)."""
    subjek: str
    pesan: str
    status: str | None = None
    """The laporan's status the message is about (None on older events)."""


# --- Handling steps of a laporan -------------------------------------------------------


class _LaporanStep(Event):
    """One step of a laporan's handling. ``unit`` is the unit handling it after the step."""

    topic: ClassVar[str] = LAPORAN_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "laporan_id"

    laporan_id: str
    kode_pelacakan: str
    status: str
    status_sebelumnya: str
    pada: dt.datetime
    tenggat: dt.date | None = None
    """The next deadline of the case (working days), if any."""
    nomor_register: str | None = None


class LaporanKajianAwalDimulai(_LaporanStep):
    name: ClassVar[str] = "LaporanKajianAwalDimulai"


class LaporanPerluDilengkapi(_LaporanStep):
    """The reporter is asked to complete what is missing by ``tenggat``."""

    name: ClassVar[str] = "LaporanPerluDilengkapi"

    kekurangan: list[str]


class LaporanDilengkapi(_LaporanStep):
    """What was missing has been supplied; the kajian awal resumes."""

    name: ClassVar[str] = "LaporanDilengkapi"


class LaporanDiregistrasi(_LaporanStep):
    name: ClassVar[str] = "LaporanDiregistrasi"


class LaporanTidakDiregistrasi(_LaporanStep):
    name: ClassVar[str] = "LaporanTidakDiregistrasi"

    alasan: str
    """formil, materiel or daluwarsa."""
    keterangan: str


class LaporanKlarifikasiDimulai(_LaporanStep):
    name: ClassVar[str] = "LaporanKlarifikasiDimulai"


class LaporanTenggatDiperpanjang(_LaporanStep):
    """More information is needed: the follow-up deadline moves to 14 working days."""

    name: ClassVar[str] = "LaporanTenggatDiperpanjang"

    alasan: str


class LaporanDiputus(_LaporanStep):
    name: ClassVar[str] = "LaporanDiputus"

    putusan: str
    """administrasi, kode_etik, pidana, hukum_lainnya or bukan_pelanggaran."""
    diteruskan_ke: str | None = None
    """DKPP, Sentra Gakkumdu, KPU or the competent agency; None for bukan_pelanggaran."""


class LaporanDiteruskan(_LaporanStep):
    name: ClassVar[str] = "LaporanDiteruskan"

    putusan: str
    tujuan: str
    nomor_surat: str | None = None


class LaporanDilimpahkan(_LaporanStep):
    """The case moved to the competent unit: down (pelimpahan) or up (pengambilalihan)."""

    name: ClassVar[str] = "LaporanDilimpahkan"

    dari_unit: str
    ke_unit: str
    arah: str
    """pelimpahan or pengambilalihan."""


class LaporanSelesai(_LaporanStep):
    name: ClassVar[str] = "LaporanSelesai"

    putusan: str | None = None


# --- Temuan ------------------------------------------------------------------------------


class TemuanDicatat(Event):
    """A supervisor's finding, registered with its TM number."""

    name: ClassVar[str] = "TemuanDicatat"
    topic: ClassVar[str] = TEMUAN_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "temuan_id"

    temuan_id: str
    nomor_register: str
    tahapan: str | None = None
    pemilihan: str = "pemilu"
    tanggal_diketahui: dt.date
    dicatat_pada: dt.datetime
    form_a_id: str | None = None
    tenggat: dt.date | None = None


class _TemuanStep(Event):
    topic: ClassVar[str] = TEMUAN_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "temuan_id"

    temuan_id: str
    nomor_register: str
    status: str
    status_sebelumnya: str
    pada: dt.datetime
    tenggat: dt.date | None = None


class TemuanKlarifikasiDimulai(_TemuanStep):
    name: ClassVar[str] = "TemuanKlarifikasiDimulai"


class TemuanTenggatDiperpanjang(_TemuanStep):
    name: ClassVar[str] = "TemuanTenggatDiperpanjang"

    alasan: str


class TemuanDiputus(_TemuanStep):
    name: ClassVar[str] = "TemuanDiputus"

    putusan: str
    diteruskan_ke: str | None = None


class TemuanDiteruskan(_TemuanStep):
    name: ClassVar[str] = "TemuanDiteruskan"

    putusan: str
    tujuan: str
    nomor_surat: str | None = None


class TemuanDilimpahkan(_TemuanStep):
    name: ClassVar[str] = "TemuanDilimpahkan"

    dari_unit: str
    ke_unit: str
    arah: str


class TemuanSelesai(_TemuanStep):
    name: ClassVar[str] = "TemuanSelesai"

    putusan: str | None = None


# --- Supervision, prevention, APK ----------------------------------------------------------


class RingkasanFormA(BaseModel):
    """What an event tells of one Form A (Laporan Hasil Pengawasan). Names of supervisors stay
    in reporting."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: UnitCode
    """The unit whose supervisor filed it (a TPS, a desa, ...)."""
    form_a_id: str
    nomor: str
    tahapan: str
    bentuk: list[str]
    """langsung, pencegahan, analisis, penetapan_pelanggaran, penindakan, penyelesaian_sengketa."""
    tanggal: dt.date
    ada_dugaan_pelanggaran: bool
    ada_dugaan_sengketa: bool


class HasilPengawasanDisampaikan(Event, RingkasanFormA):
    """A Form A (Laporan Hasil Pengawasan) was filed on its own (``POST /form-a``). Names of
    supervisors stay in reporting."""

    name: ClassVar[str] = "HasilPengawasanDisampaikan"
    topic: ClassVar[str] = PENGAWASAN_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "form_a_id"


class HasilPengawasanKolektifDisampaikan(Event):
    """Several Form A were filed together in one collective submission
    (``POST /form-a/kolektif``: a Panwaslu Kelurahan/Desa passing on its TPS' forms, a field app
    sending what it queued). One event for the submission, not one per form: on election day
    this is most of the traffic, and every event costs an outbox row, a message and an inbox
    row in each consumer. ``unit`` is the lowest unit that holds every form's unit."""

    name: ClassVar[str] = "HasilPengawasanKolektifDisampaikan"
    topic: ClassVar[str] = PENGAWASAN_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "penyampaian_id"

    penyampaian_id: str
    form_a: list[RingkasanFormA]


class PencegahanDicatat(Event):
    """A prevention act: a surat imbauan or a Form F."""

    name: ClassVar[str] = "PencegahanDicatat"
    topic: ClassVar[str] = PENGAWASAN_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "pencegahan_id"

    pencegahan_id: str
    bentuk: str
    """imbauan or form_f."""
    tahapan: str | None = None
    tanggal: dt.date
    nomor: str | None = None
    ditujukan_kepada: str | None = None
    """An institution or a participant (e.g. 'KPU Kabupaten Blitar'), never a private person."""


class PenertibanApkDicatat(Event):
    """Campaign props (alat peraga kampanye) taken down."""

    name: ClassVar[str] = "PenertibanApkDicatat"
    topic: ClassVar[str] = PENGAWASAN_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "penertiban_id"

    penertiban_id: str
    tanggal: dt.date
    tahapan: str | None = None
    jumlah: int


# --- PSAP ------------------------------------------------------------------------------------


class _PsapEvent(Event):
    topic: ClassVar[str] = PSAP_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "psap_id"

    psap_id: str
    nomor: str
    tahapan: str | None = None
    pada: dt.datetime


class PsapDiterima(_PsapEvent):
    """A dispute between election participants (sengketa antarpeserta) was filed."""

    name: ClassVar[str] = "PsapDiterima"

    tanggal_permohonan: dt.date
    tenggat: dt.date


class PsapSelesai(_PsapEvent):
    name: ClassVar[str] = "PsapSelesai"

    hasil: str
    """kesepakatan, tidak_sepakat, ditolak or dicabut."""


# --- Deadlines ---------------------------------------------------------------------------------


class TenggatPenangananTerlewati(Event):
    """A handling deadline fell due with the step not taken. Notification alerts the unit and
    its parent."""

    name: ClassVar[str] = "TenggatPenangananTerlewati"
    topic: ClassVar[str] = TENGGAT_TOPIC
    source: ClassVar[str] = SOURCE
    key_field: ClassVar[str] = "perkara_id"
    alert: ClassVar[bool] = True

    perkara_id: str
    jenis_perkara: str
    """laporan, temuan or psap."""
    kode: str
    """The tracking code or register number people know the case by."""
    tahap: str
    """The step that was due, e.g. kajian_awal, kelengkapan, tindak_lanjut, psap."""
    tenggat: dt.date
    pesan: str
