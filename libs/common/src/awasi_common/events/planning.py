"""Events the planning service publishes about kegiatan."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from awasi_common.events.base import Event
from awasi_common.vocabulary import Divisi, Program

KEGIATAN_TOPIC = "awasi.planning.kegiatan.v1"


class Jadwal(BaseModel):
    """When a kegiatan takes place: a window and how precisely the plan knows it."""

    model_config = ConfigDict(frozen=True)

    mulai: dt.date
    selesai: dt.date
    presisi: str
    """tanggal, rentang_tanggal, minggu, bulan, rentang_bulan or berulang."""
    keterangan: str | None = None
    """The schedule as the plan wrote it, e.g. 'minggu keempat bulan Desember tahun 2023'."""
    pengulangan: str | None = None
    """For presisi 'berulang': an RFC 5545 RRULE body such as 'FREQ=MONTHLY;INTERVAL=1',
    repeating from ``mulai`` until ``selesai``."""


class KegiatanSnapshot(BaseModel):
    """What a subscriber needs to know about a kegiatan without calling planning back."""

    model_config = ConfigDict(frozen=True)

    kegiatan_id: str
    divisi: Divisi
    judul: str
    jenis: str
    jadwal: Jadwal
    metode: str | None = None
    lokasi: str | None = None
    target_peserta: int | None = None
    tahapan: str | None = None
    program: Program | None = None
    """One of the six participatory programs, when the kegiatan belongs to one."""
    program_id: str | None = None
    """The participation service's program record, when the planner chose one (a unit with
    several programs of the same kind); otherwise participation links by unit and kind."""
    anggaran: int | None = None
    """Planned budget in rupiah."""
    # Added compatibly (optional, with defaults); subscribers on older code ignore them.
    status: str | None = None
    """The kegiatan's status after the change: scheduled, rescheduled, completed, cancelled."""
    peserta_luring: int | None = None
    peserta_daring: int | None = None
    peserta_keterangan: str | None = None
    """Who the participants are, e.g. 'unsur komisioner di tingkat kecamatan: 66'."""
    tujuan: list[str] = []
    output: list[str] = []
    sasaran: list[str] = []


class _KegiatanEvent(Event):
    topic: ClassVar[str] = KEGIATAN_TOPIC
    source: ClassVar[str] = "/awasi/planning"
    key_field: ClassVar[str] = "kegiatan_id"

    kegiatan_id: str
    kegiatan: KegiatanSnapshot


class KegiatanScheduled(_KegiatanEvent):
    name: ClassVar[str] = "KegiatanScheduled"


class KegiatanRescheduled(_KegiatanEvent):
    name: ClassVar[str] = "KegiatanRescheduled"

    jadwal_sebelumnya: Jadwal


class KegiatanCancelled(_KegiatanEvent):
    name: ClassVar[str] = "KegiatanCancelled"

    alasan: str


class KegiatanUpdated(_KegiatanEvent):
    """An operator corrected a scheduled kegiatan's particulars (judul, jenis, divisi, lokasi,
    target peserta, anggaran, program, …); ``kegiatan`` is the whole kegiatan after the change.
    Its schedule changes by KegiatanRescheduled only. A draft's corrections publish nothing."""

    name: ClassVar[str] = "KegiatanUpdated"

    diubah: list[str] = Field(default_factory=list)
    """The names of the fields that changed, e.g. ['judul', 'lokasi']."""


class Realisasi(BaseModel):
    model_config = ConfigDict(frozen=True)

    peserta_hadir: int | None = None
    output_tercapai: list[str] = []
    anggaran_realisasi: int | None = None
    catatan: str | None = None
    dokumentasi: list[str] = []


class KegiatanCompleted(_KegiatanEvent):
    name: ClassVar[str] = "KegiatanCompleted"

    realisasi: Realisasi
