"""Supervision records: Form A (Laporan Hasil Pengawasan), prevention (surat imbauan and
Form F), campaign-prop enforcement (penertiban APK) and disputes between participants
(PSAP). No I/O here."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from awasi_common.calendar import add_working_days
from awasi_common.errors import Conflict, DomainError
from awasi_common.events import reporting as ev
from awasi_common.events.base import Event
from awasi_common.units import lowest_common_unit, unit_name
from awasi_reporting.domain.nomor import nomor_dokumen
from awasi_reporting.domain.rezim import Pemilihan
from awasi_reporting.domain.vocabulary import Tahapan, local_date

PSAP_HARI = 12
PASAL_PSAP = "Pasal 468 ayat (2) UU 7/2017"


__all__ = ["nomor_dokumen"]  # Form A (LHP), PSAP and tanda terima (TT) share the register's numbering


def _not_future(day: dt.date, now: dt.datetime, unit: str, field_name: str, what: str) -> None:
    if day > local_date(now, unit):
        raise DomainError(f"{what} tidak boleh setelah hari ini.", field=field_name)


class BentukPengawasan(StrEnum):
    LANGSUNG = "langsung"
    PENCEGAHAN = "pencegahan"
    ANALISIS = "analisis"
    PENETAPAN_PELANGGARAN = "penetapan_pelanggaran"
    PENINDAKAN = "penindakan"
    PENYELESAIAN_SENGKETA = "penyelesaian_sengketa"

    @property
    def label(self) -> str:
        return {
            BentukPengawasan.LANGSUNG: "Pengawasan langsung",
            BentukPengawasan.PENCEGAHAN: "Pencegahan",
            BentukPengawasan.ANALISIS: "Analisis",
            BentukPengawasan.PENETAPAN_PELANGGARAN: "Penetapan pelanggaran",
            BentukPengawasan.PENINDAKAN: "Penindakan",
            BentukPengawasan.PENYELESAIAN_SENGKETA: "Penyelesaian sengketa",
        }[self]


@dataclass(frozen=True)
class DataPengawas:
    """Form A section I."""

    tahapan: Tahapan
    nama_pelaksana: str
    jabatan: str
    nomor_surat_tugas: str
    alamat: str


@dataclass(frozen=True)
class KegiatanPengawasan:
    """Form A section II."""

    bentuk: tuple[BentukPengawasan, ...]
    tujuan: str
    sasaran: str
    tanggal: dt.date
    tempat: str
    waktu: str | None = None
    """Time of day as written, e.g. '09.00–12.00 WIB'."""


@dataclass(frozen=True)
class DugaanPelanggaran:
    """Form A: an alleged violation found while supervising."""

    peristiwa: str
    tempat_kejadian: str
    waktu_kejadian: dt.date
    pelaku: str
    alat_bukti: str
    uraian: str
    pasal: str | None = None
    saksi: str | None = None


@dataclass(frozen=True)
class DugaanSengketa:
    """Form A: an alleged dispute found while supervising."""

    pihak: str
    objek: str
    uraian: str


@dataclass
class FormA:
    """Laporan Hasil Pengawasan (Form A)."""

    unit: str
    nomor: str
    pemilihan: Pemilihan
    data_pengawas: DataPengawas
    kegiatan: KegiatanPengawasan
    uraian_singkat: str
    dugaan_pelanggaran: list[DugaanPelanggaran]
    dugaan_sengketa: list[DugaanSengketa]
    disampaikan_pada: dt.datetime
    oleh: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def isi(
        cls,
        *,
        unit: str,
        pemilihan: Pemilihan,
        data_pengawas: DataPengawas,
        kegiatan: KegiatanPengawasan,
        uraian_singkat: str,
        dugaan_pelanggaran: list[DugaanPelanggaran],
        dugaan_sengketa: list[DugaanSengketa],
        now: dt.datetime,
        oleh: str,
    ) -> FormA:
        """A Form A filled in and checked; it gets its number when it is filed."""
        _not_future(kegiatan.tanggal, now, unit, "kegiatan.tanggal", "Tanggal pengawasan")
        if not kegiatan.bentuk:
            raise DomainError("Pilih sedikitnya satu bentuk pengawasan.", field="kegiatan.bentuk")
        for index, dugaan in enumerate(dugaan_pelanggaran):
            if dugaan.waktu_kejadian > kegiatan.tanggal:
                raise DomainError(
                    "Waktu kejadian dugaan pelanggaran tidak boleh setelah tanggal pengawasan.",
                    field=f"dugaan_pelanggaran.{index}.waktu_kejadian",
                )
        return cls(
            unit=unit,
            nomor="",
            pemilihan=pemilihan,
            data_pengawas=data_pengawas,
            kegiatan=kegiatan,
            uraian_singkat=uraian_singkat.strip(),
            dugaan_pelanggaran=dugaan_pelanggaran,
            dugaan_sengketa=dugaan_sengketa,
            disampaikan_pada=now,
            oleh=oleh,
        )

    def sampaikan(self, nomor: str) -> None:
        """File this Form A on its own, under its number."""
        self.nomor = nomor
        self.events.append(ev.HasilPengawasanDisampaikan(**self._told()))

    def ringkasan(self) -> ev.RingkasanFormA:
        """What an event of Form A filed together tells of this one."""
        return ev.RingkasanFormA(**self._told())

    def _told(self) -> dict[str, Any]:
        """The fields events carry of a Form A (alone or in a collective submission)."""
        return {
            "unit": self.unit,
            "form_a_id": self.id,
            "nomor": self.nomor,
            "tahapan": self.data_pengawas.tahapan.value,
            "bentuk": [b.value for b in self.kegiatan.bentuk],
            "tanggal": self.kegiatan.tanggal,
            "ada_dugaan_pelanggaran": bool(self.dugaan_pelanggaran),
            "ada_dugaan_sengketa": bool(self.dugaan_sengketa),
        }

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events


def sampaikan_bersama(
    forms: Sequence[FormA], nomor: Sequence[str], penyampaian_id: str | None = None
) -> ev.HasilPengawasanKolektifDisampaikan:
    """File Form A together, each under its number: one event lists them all."""
    for form, its_nomor in zip(forms, nomor, strict=True):
        form.nomor = its_nomor
    return ev.HasilPengawasanKolektifDisampaikan(
        unit=lowest_common_unit(form.unit for form in forms),
        penyampaian_id=penyampaian_id or str(uuid.uuid4()),
        form_a=[form.ringkasan() for form in forms],
    )


class BentukPencegahan(StrEnum):
    IMBAUAN = "imbauan"
    """Surat imbauan to an institution or a participant."""
    FORM_F = "form_f"
    """A prevention act written down in Form F."""


@dataclass
class Pencegahan:
    unit: str
    bentuk: BentukPencegahan
    tanggal: dt.date
    tahapan: Tahapan | None
    perihal: str
    ditujukan_kepada: str | None
    nomor: str | None
    uraian: str | None
    dicatat_pada: dt.datetime
    oleh: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def catat(cls, *, now: dt.datetime, record_event: bool = True, **fields: Any) -> Pencegahan:
        record = cls(dicatat_pada=now, **fields)
        _not_future(record.tanggal, now, record.unit, "tanggal", "Tanggal pencegahan")
        if record.bentuk is BentukPencegahan.IMBAUAN and not (record.ditujukan_kepada or "").strip():
            raise DomainError("Surat imbauan wajib menyebut pihak yang dituju.", field="ditujukan_kepada")
        if record_event:
            record.events.append(
                ev.PencegahanDicatat(
                    unit=record.unit,
                    pencegahan_id=record.id,
                    bentuk=record.bentuk.value,
                    tahapan=record.tahapan.value if record.tahapan else None,
                    tanggal=record.tanggal,
                    nomor=record.nomor,
                    ditujukan_kepada=record.ditujukan_kepada,
                )
            )
        return record

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events


@dataclass
class PenertibanApk:
    unit: str
    tanggal: dt.date
    tahapan: Tahapan | None
    lokasi: str
    jumlah: int
    jenis_apk: str | None
    bersama: str | None
    keterangan: str | None
    dicatat_pada: dt.datetime
    oleh: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def catat(cls, *, now: dt.datetime, **fields: Any) -> PenertibanApk:
        record = cls(dicatat_pada=now, **fields)
        _not_future(record.tanggal, now, record.unit, "tanggal", "Tanggal penertiban")
        if record.jumlah < 1:
            raise DomainError("Jumlah APK yang ditertibkan sedikitnya 1.", field="jumlah")
        record.events.append(
            ev.PenertibanApkDicatat(
                unit=record.unit,
                penertiban_id=record.id,
                tanggal=record.tanggal,
                tahapan=record.tahapan.value if record.tahapan else None,
                jumlah=record.jumlah,
            )
        )
        return record

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events


class HasilPsap(StrEnum):
    KESEPAKATAN = "kesepakatan"
    TIDAK_SEPAKAT = "tidak_sepakat"
    """No agreement in musyawarah: Bawaslu decides (putusan)."""
    DITOLAK = "ditolak"
    DICABUT = "dicabut"


@dataclass
class Psap:
    """A dispute between election participants (penyelesaian sengketa antarpeserta)."""

    unit: str
    nomor: str
    pemilihan: Pemilihan
    tahapan: Tahapan | None
    tanggal_permohonan: dt.date
    pemohon: str
    termohon: str
    objek_sengketa: str
    diterima_pada: dt.datetime
    tenggat: dt.date
    status: str = "diterima"
    hasil: HasilPsap | None = None
    keterangan_hasil: str | None = None
    selesai_pada: dt.datetime | None = None
    tenggat_dialertkan: bool = False
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @staticmethod
    def check(*, unit: str, tanggal_permohonan: dt.date, pemohon: str, termohon: str, now: dt.datetime) -> None:
        """Refuse a request the rules do not allow, before a number is taken."""
        _not_future(tanggal_permohonan, now, unit, "tanggal_permohonan", "Tanggal permohonan")
        if pemohon.strip().lower() == termohon.strip().lower():
            raise DomainError("Pemohon dan termohon harus peserta pemilu yang berbeda.", field="termohon")

    @classmethod
    def terima(
        cls,
        *,
        unit: str,
        nomor: str,
        pemilihan: Pemilihan,
        tahapan: Tahapan | None,
        tanggal_permohonan: dt.date,
        pemohon: str,
        termohon: str,
        objek_sengketa: str,
        now: dt.datetime,
    ) -> Psap:
        cls.check(unit=unit, tanggal_permohonan=tanggal_permohonan, pemohon=pemohon, termohon=termohon, now=now)
        case = cls(
            unit=unit,
            nomor=nomor,
            pemilihan=pemilihan,
            tahapan=tahapan,
            tanggal_permohonan=tanggal_permohonan,
            pemohon=pemohon.strip(),
            termohon=termohon.strip(),
            objek_sengketa=objek_sengketa.strip(),
            diterima_pada=now,
            tenggat=add_working_days(tanggal_permohonan, PSAP_HARI),
        )
        case.events.append(
            ev.PsapDiterima(
                unit=unit,
                psap_id=case.id,
                nomor=nomor,
                tahapan=tahapan.value if tahapan else None,
                pada=now,
                tanggal_permohonan=tanggal_permohonan,
                tenggat=case.tenggat,
            )
        )
        return case

    def selesaikan(self, *, hasil: HasilPsap, keterangan: str, now: dt.datetime) -> None:
        if self.status == "selesai":
            raise Conflict(f"Sengketa {self.nomor} sudah selesai ({self.hasil.value if self.hasil else '-'}).")
        self.status = "selesai"
        self.hasil = hasil
        self.keterangan_hasil = keterangan.strip()
        self.selesai_pada = now
        self.events.append(
            ev.PsapSelesai(
                unit=self.unit,
                psap_id=self.id,
                nomor=self.nomor,
                tahapan=self.tahapan.value if self.tahapan else None,
                pada=now,
                hasil=hasil.value,
            )
        )

    def deadline_passed(self, today: dt.date) -> Event | None:
        if self.status == "selesai" or self.tenggat_dialertkan or today <= self.tenggat:
            return None
        self.tenggat_dialertkan = True
        event = ev.TenggatPenangananTerlewati(
            unit=self.unit,
            perkara_id=self.id,
            jenis_perkara="psap",
            kode=self.nomor,
            tahap="psap",
            tenggat=self.tenggat,
            pesan=(
                f"Sengketa antarpeserta {self.nomor} di {unit_name(self.unit) or self.unit} harus "
                f"diselesaikan paling lambat {self.tenggat:%d-%m-%Y} ({PASAL_PSAP}) dan belum selesai."
            ),
        )
        self.events.append(event)
        return event

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events
