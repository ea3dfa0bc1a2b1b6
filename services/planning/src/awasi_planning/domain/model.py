"""Rencana kegiatan: a unit's planned activity, from draft to realisation. No I/O here."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, fields
from enum import Enum, StrEnum
from typing import Any

from awasi_common.errors import Conflict, DomainError
from awasi_common.events.base import Event
from awasi_common.events.planning import (
    Jadwal as JadwalContract,
)
from awasi_common.events.planning import (
    KegiatanCancelled,
    KegiatanCompleted,
    KegiatanRescheduled,
    KegiatanScheduled,
    KegiatanSnapshot,
    KegiatanUpdated,
)
from awasi_common.events.planning import (
    Realisasi as RealisasiContract,
)
from awasi_common.limits import ISI_MAKS_BYTE
from awasi_common.vocabulary import Divisi, Program

MAX_PESERTA = 10_000_000
"""More people than any kegiatan gathers. Counts travel in events to services that keep them in
32-bit columns, so a larger one is refused (HTTP) or not read as a count (documents)."""
MAX_RUPIAH = 10**15
"""Rp 1.000 triliun: more than any budget, and within the 64-bit column that keeps it."""
TAHUN_AWAL, TAHUN_AKHIR = 2000, 2100
"""The years a kegiatan may fall in. Other services compute days before and after a kegiatan
(reminders, check-in windows), which fails at the ends of the calendar (year 1, year 9999)."""


class Jenis(StrEnum):
    RAPAT_KOORDINASI = "rapat_koordinasi"
    BIMBINGAN_TEKNIS = "bimbingan_teknis"
    SOSIALISASI = "sosialisasi"
    SUPERVISI_MONITORING = "supervisi_monitoring"
    PATROLI_PENGAWASAN = "patroli_pengawasan"
    KUNJUNGAN_KELEMBAGAAN = "kunjungan_kelembagaan"
    PENGAWASAN_TAHAPAN = "pengawasan_tahapan"
    PENYUSUNAN_LAPORAN = "penyusunan_laporan"
    KERJA_SAMA = "kerja_sama"
    LAYANAN_INFORMASI = "layanan_informasi"
    LAINNYA = "lainnya"


class Metode(StrEnum):
    LURING = "luring"
    DARING = "daring"
    HYBRID = "hybrid"


class Presisi(StrEnum):
    TANGGAL = "tanggal"
    RENTANG_TANGGAL = "rentang_tanggal"
    MINGGU = "minggu"
    BULAN = "bulan"
    RENTANG_BULAN = "rentang_bulan"
    BERULANG = "berulang"


class Status(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Jadwal:
    mulai: dt.date
    selesai: dt.date
    presisi: Presisi = Presisi.TANGGAL
    keterangan: str | None = None
    pengulangan: str | None = None
    """For recurring kegiatan, an RFC 5545 RRULE body, e.g. 'FREQ=MONTHLY;INTERVAL=1'."""

    def __post_init__(self) -> None:
        if self.selesai < self.mulai:
            raise DomainError(
                f"Tanggal selesai ({self.selesai}) tidak boleh sebelum tanggal mulai ({self.mulai}).",
                field="jadwal.selesai",
            )
        if self.presisi == Presisi.BERULANG and not self.pengulangan:
            raise DomainError(
                "Jadwal berulang harus menyebut pengulangannya, misalnya FREQ=MONTHLY;INTERVAL=1.",
                field="jadwal.pengulangan",
            )

    def contract(self) -> JadwalContract:
        return JadwalContract(
            mulai=self.mulai,
            selesai=self.selesai,
            presisi=self.presisi.value,
            keterangan=self.keterangan,
            pengulangan=self.pengulangan,
        )


@dataclass(frozen=True)
class TargetPeserta:
    jumlah: int | None = None
    luring: int | None = None
    daring: int | None = None
    keterangan: str | None = None
    """Who the participants are, e.g. 'ASN di lingkungan Pemkab'."""


@dataclass(frozen=True)
class IndikatorInput:
    sdm: list[str] = field(default_factory=list)
    sarana_prasarana: list[str] = field(default_factory=list)
    anggaran: list[str] = field(default_factory=list)
    lainnya: list[str] = field(default_factory=list)
    """Inputs a plan names that are none of the three (data, regulations, …)."""


@dataclass(frozen=True)
class Realisasi:
    peserta_hadir: int | None = None
    output_tercapai: list[str] = field(default_factory=list)
    anggaran_realisasi: int | None = None
    catatan: str | None = None
    dokumentasi: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Rincian:
    """What a plan says of a kegiatan besides its title, kind and schedule: its sections I–V and
    the particulars read from them. A kegiatan has them, and so has one read from a document."""

    latar_belakang: str | None = None
    tujuan: list[str] = field(default_factory=list)
    output: list[str] = field(default_factory=list)
    sasaran: list[str] = field(default_factory=list)
    indikator_input: IndikatorInput = field(default_factory=IndikatorInput)
    pelaksanaan: list[str] = field(default_factory=list)
    """Section V of a plan: the steps of carrying the kegiatan out."""
    metode: Metode | None = None
    target_peserta: TargetPeserta = field(default_factory=TargetPeserta)
    lokasi: str | None = None
    tahapan: str | None = None
    program: Program | None = None
    anggaran: int | None = None

    def particulars(self) -> dict[str, Any]:
        """These fields by name, to give to another :class:`Rincian` (the values are shared)."""
        return {f.name: getattr(self, f.name) for f in fields(Rincian)}


class Tetap(Enum):
    """A field a correction leaves as it is (``None`` would clear it)."""

    TETAP = "tetap"


TETAP = Tetap.TETAP


@dataclass(frozen=True, kw_only=True)
class PerubahanKegiatan:
    """An operator's correction of a kegiatan: each field given replaces the kegiatan's, the
    others (:data:`TETAP`) stay. The schedule of a scheduled kegiatan changes by
    :meth:`Kegiatan.reschedule` only; a draft's may be corrected here (a plan read from a
    document, before it is scheduled)."""

    divisi: Divisi | Tetap = TETAP
    judul: str | Tetap = TETAP
    jenis: Jenis | Tetap = TETAP
    jadwal: Jadwal | Tetap = TETAP
    latar_belakang: str | Tetap | None = TETAP
    tujuan: list[str] | Tetap = TETAP
    output: list[str] | Tetap = TETAP
    sasaran: list[str] | Tetap = TETAP
    indikator_input: IndikatorInput | Tetap = TETAP
    pelaksanaan: list[str] | Tetap = TETAP
    metode: Metode | Tetap | None = TETAP
    target_peserta: TargetPeserta | Tetap = TETAP
    lokasi: str | Tetap | None = TETAP
    tahapan: str | Tetap | None = TETAP
    program: Program | Tetap | None = TETAP
    program_id: str | Tetap | None = TETAP
    anggaran: int | Tetap | None = TETAP

    def given(self) -> dict[str, Any]:
        """The fields this correction sets, by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not TETAP}


@dataclass
class Kegiatan(Rincian):
    unit: str
    divisi: Divisi
    judul: str
    jenis: Jenis
    jadwal: Jadwal
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    program_id: str | None = None
    """The participation service's record of that program, when the planner named it."""
    status: Status = Status.DRAFT
    realisasi: Realisasi | None = None
    alasan_batal: str | None = None
    catatan_impor: list[str] = field(default_factory=list)
    """Text of the source document that the importer could not place in a field."""
    sumber: str | None = None
    """Identity of an imported kegiatan (unit, division, title, year): importing twice finds it."""
    asal: str | None = None
    """Where an imported kegiatan was read: the document and the line of its heading."""
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def schedule(self) -> None:
        if self.status != Status.DRAFT:
            raise Conflict(f"Kegiatan berstatus '{self.status}' tidak dapat dijadwalkan lagi.")
        self.status = Status.SCHEDULED
        self.events.append(KegiatanScheduled(unit=self.unit, kegiatan_id=self.id, kegiatan=self.snapshot()))

    def reschedule(self, jadwal: Jadwal) -> None:
        if self.status not in (Status.SCHEDULED, Status.RESCHEDULED):
            raise Conflict(f"Hanya kegiatan terjadwal yang dapat dijadwal ulang; status kegiatan ini '{self.status}'.")
        previous, self.jadwal = self.jadwal, jadwal
        self.status = Status.RESCHEDULED
        self.events.append(
            KegiatanRescheduled(
                unit=self.unit,
                kegiatan_id=self.id,
                kegiatan=self.snapshot(),
                jadwal_sebelumnya=previous.contract(),
            )
        )

    def cancel(self, alasan: str) -> None:
        if self.status in (Status.COMPLETED, Status.CANCELLED):
            raise Conflict(f"Kegiatan berstatus '{self.status}' tidak dapat dibatalkan.")
        if not alasan.strip():
            raise DomainError("Alasan pembatalan wajib diisi.", field="alasan")
        was_published = self.status != Status.DRAFT
        self.status = Status.CANCELLED
        self.alasan_batal = alasan.strip()
        if was_published:
            self.events.append(
                KegiatanCancelled(
                    unit=self.unit, kegiatan_id=self.id, kegiatan=self.snapshot(), alasan=self.alasan_batal
                )
            )

    def correct(self, perubahan: PerubahanKegiatan) -> list[str]:
        """Correct the kegiatan's particulars; the names of the fields that changed (none: no
        event). A scheduled kegiatan publishes KegiatanUpdated with the whole kegiatan; a draft
        publishes nothing (nothing was published of it yet)."""
        if self.status in (Status.COMPLETED, Status.CANCELLED):
            label = "sudah diselesaikan" if self.status == Status.COMPLETED else "sudah dibatalkan"
            raise Conflict(f"Kegiatan yang {label} tidak dapat diubah lagi.")
        given = perubahan.given()
        if "jadwal" in given and self.status != Status.DRAFT and given["jadwal"] != self.jadwal:
            raise Conflict(
                "Jadwal kegiatan yang sudah terjadwal diubah lewat jadwal ulang "
                f"(POST /kegiatan/{self.id}/jadwal-ulang), bukan di sini.",
                field="jadwal",
            )
        if "judul" in given:
            given["judul"] = given["judul"].strip()
            if len(given["judul"]) < 3:
                raise DomainError("Judul kegiatan paling sedikit 3 huruf.", field="judul")
        program = given.get("program", self.program)
        if "program" in given and given["program"] != self.program and "program_id" not in given:
            given["program_id"] = None  # the old program record serves another kind
        if given.get("program_id", self.program_id) and program is None:
            raise DomainError("program_id hanya dapat diisi bersama jenis program (isian program).", field="program_id")
        if self.status != Status.DRAFT and self.program is not None and program is None:
            raise Conflict(
                "Kegiatan terjadwal tidak dapat dikeluarkan dari program partisipatifnya: peserta mungkin sudah "
                "mendaftar di layanan partisipasi. Batalkan kegiatan ini lalu buat kegiatan baru tanpa program.",
                field="program",
            )
        changed = [name for name, value in given.items() if getattr(self, name) != value]
        if not changed:
            return []
        before = {name: getattr(self, name) for name in changed}
        for name in changed:
            setattr(self, name, given[name])
        if len(self.snapshot().model_dump_json().encode()) > ISI_MAKS_BYTE:
            # Corrections one after another could grow what every event of the kegiatan carries
            # past what its creation was allowed (and KegiatanCompleted past the broker's limit).
            for name, value in before.items():
                setattr(self, name, value)
            raise DomainError(
                f"Rincian kegiatan menjadi terlalu besar (lebih dari {ISI_MAKS_BYTE // 1024} KiB sebagai JSON); "
                "persingkat tujuan, output atau sasaran.",
                field=changed[0],
            )
        if self.status != Status.DRAFT:
            self.events.append(
                KegiatanUpdated(unit=self.unit, kegiatan_id=self.id, kegiatan=self.snapshot(), diubah=changed)
            )
        return changed

    def complete(self, realisasi: Realisasi, *, today: dt.date) -> None:
        """Record the realisation. ``today`` is the date in the unit's own time zone: a kegiatan
        cannot have been carried out before its scheduled start, so its realisation is refused
        until that day (a platform rule; no regulation allows reporting what has not happened)."""
        if self.status == Status.CANCELLED:
            raise Conflict("Kegiatan yang sudah dibatalkan tidak dapat diselesaikan.")
        if self.status == Status.COMPLETED:
            raise Conflict("Kegiatan ini sudah diselesaikan.")
        if self.status == Status.DRAFT:
            raise Conflict("Kegiatan draft harus dijadwalkan sebelum diselesaikan.")
        if today < self.jadwal.mulai:
            raise DomainError(
                f"Realisasi belum dapat dicatat: kegiatan dijadwalkan mulai {self.jadwal.mulai:%d-%m-%Y}, "
                f"sedangkan hari ini {today:%d-%m-%Y} (waktu setempat unit). Realisasi dicatat sejak hari "
                "kegiatan dimulai.",
                field="jadwal.mulai",
            )
        self.status = Status.COMPLETED
        self.realisasi = realisasi
        self.events.append(
            KegiatanCompleted(
                unit=self.unit,
                kegiatan_id=self.id,
                kegiatan=self.snapshot(),
                realisasi=RealisasiContract(
                    peserta_hadir=realisasi.peserta_hadir,
                    output_tercapai=realisasi.output_tercapai,
                    anggaran_realisasi=realisasi.anggaran_realisasi,
                    catatan=realisasi.catatan,
                    dokumentasi=realisasi.dokumentasi,
                ),
            )
        )

    def snapshot(self) -> KegiatanSnapshot:
        return KegiatanSnapshot(
            kegiatan_id=self.id,
            divisi=self.divisi,
            judul=self.judul,
            jenis=self.jenis.value,
            jadwal=self.jadwal.contract(),
            metode=self.metode.value if self.metode else None,
            lokasi=self.lokasi,
            target_peserta=self.target_peserta.jumlah,
            tahapan=self.tahapan,
            program=self.program,
            program_id=self.program_id,
            anggaran=self.anggaran,
            status=self.status.value,
            peserta_luring=self.target_peserta.luring,
            peserta_daring=self.target_peserta.daring,
            peserta_keterangan=self.target_peserta.keterangan,
            tujuan=self.tujuan,
            output=self.output,
            sasaran=self.sasaran,
        )

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events
