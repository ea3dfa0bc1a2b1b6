"""Planning's HTTP request and response bodies.

Every field of a request is bounded (``awasi_common.limits``). The kegiatan's events carry its
judul, jadwal, lokasi, tahapan, peserta and its tujuan, output and sasaran: three lists of
50 points of 2,000 characters alone are 300,000 characters, up to 1.8 MB as JSON, so
``KegiatanIn`` and ``RealisasiIn`` are also bounded as a whole (256 KiB each; KegiatanCompleted
carries both, at most about 512 KiB, under Kafka's 1 MiB). Responses use models of their own,
without the bounds: an imported kegiatan was read from a document, not sent through these.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from awasi_common import limits
from awasi_common.limits import Butir, Daftar, Id, IsiTerbatas, Judul, Kalimat, KodeUnit, Nama, Uraian
from awasi_common.units import unit_name
from awasi_common.vocabulary import Divisi, Program
from awasi_planning import views
from awasi_planning.commands import BatalkanKegiatan, BuatKegiatan, CatatRealisasi, JadwalUlangKegiatan, UbahKegiatan
from awasi_planning.domain.model import (
    MAX_PESERTA,
    MAX_RUPIAH,
    TAHUN_AKHIR,
    TAHUN_AWAL,
    IndikatorInput,
    Jadwal,
    Jenis,
    Kegiatan,
    Metode,
    PerubahanKegiatan,
    Presisi,
    Realisasi,
    Rincian,
    Status,
    TargetPeserta,
)
from awasi_planning.domain.token_kalender import TokenKalender
from awasi_planning.service_layer.importing import ImportPlan


class JadwalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mulai: dt.date
    selesai: dt.date
    presisi: Presisi = Presisi.TANGGAL
    keterangan: Kalimat | None = None
    pengulangan: str | None = Field(
        default=None,
        max_length=limits.NOMOR,
        pattern=r"^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Z0-9,+-]+)*$",
        description="Untuk presisi 'berulang': aturan RRULE RFC 5545, misalnya FREQ=MONTHLY;INTERVAL=1",
    )

    @model_validator(mode="after")
    def _order(self) -> JadwalIn:
        if self.selesai < self.mulai:
            raise ValueError(f"tanggal selesai ({self.selesai}) tidak boleh sebelum tanggal mulai ({self.mulai})")
        if not (self.mulai.year >= TAHUN_AWAL and self.selesai.year <= TAHUN_AKHIR):
            raise ValueError(f"jadwal harus jatuh antara tahun {TAHUN_AWAL} dan {TAHUN_AKHIR}")
        if self.presisi == Presisi.BERULANG and not self.pengulangan:
            raise ValueError("jadwal berulang harus menyebut pengulangan, misalnya FREQ=MONTHLY;INTERVAL=1")
        return self

    def domain(self) -> Jadwal:
        return Jadwal(self.mulai, self.selesai, self.presisi, self.keterangan, self.pengulangan)


class TargetPesertaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    jumlah: int | None = Field(default=None, ge=0, le=MAX_PESERTA)
    luring: int | None = Field(default=None, ge=0, le=MAX_PESERTA)
    daring: int | None = Field(default=None, ge=0, le=MAX_PESERTA)
    keterangan: Kalimat | None = None


class IndikatorInputIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sdm: Daftar[Butir] = []
    sarana_prasarana: Daftar[Butir] = []
    anggaran: Daftar[Butir] = []
    lainnya: Daftar[Butir] = []


class KegiatanIn(IsiTerbatas):
    """A rencana kegiatan as an operator writes it. As JSON at most 256 KiB altogether."""

    model_config = ConfigDict(extra="forbid")

    unit: KodeUnit
    divisi: Divisi
    judul: Judul = Field(min_length=3)
    jenis: Jenis = Jenis.LAINNYA
    jadwal: JadwalIn
    latar_belakang: Uraian | None = None
    tujuan: Daftar[Butir] = Field(default_factory=list)
    output: Daftar[Butir] = Field(default_factory=list)
    sasaran: Daftar[Butir] = Field(default_factory=list)
    indikator_input: IndikatorInputIn = IndikatorInputIn()
    pelaksanaan: Daftar[Butir] = Field(default_factory=list)
    metode: Metode | None = None
    target_peserta: TargetPesertaIn = TargetPesertaIn()
    lokasi: Kalimat | None = None
    tahapan: Nama | None = None
    program: Program | None = None
    program_id: Id | None = Field(
        default=None,
        description="Id program di layanan partisipasi, bila unit memiliki lebih dari satu program sejenis",
    )
    anggaran: int | None = Field(default=None, ge=0, le=MAX_RUPIAH, description="Rencana anggaran dalam rupiah")
    draft: bool = Field(default=False, description="Simpan sebagai draft tanpa menjadwalkan")

    @model_validator(mode="after")
    def _program_id_names_a_program(self) -> KegiatanIn:
        if self.program_id and self.program is None:
            raise ValueError("program_id hanya dapat diisi bersama jenis program (isian program)")
        return self

    def to_command(self) -> BuatKegiatan:
        particulars = {f.name: getattr(self, f.name) for f in dataclasses.fields(Rincian)}
        particulars["indikator_input"] = IndikatorInput(**self.indikator_input.model_dump())
        particulars["target_peserta"] = TargetPeserta(**self.target_peserta.model_dump())
        return BuatKegiatan(
            unit=self.unit,
            divisi=self.divisi,
            judul=self.judul.strip(),
            jenis=self.jenis,
            jadwal=self.jadwal.domain(),
            rincian=Rincian(**particulars),
            program_id=self.program_id,
            draft=self.draft,
        )

    def domain(self) -> Kegiatan:
        """The kegiatan as it is created, a draft."""
        return self.to_command().kegiatan()


class KegiatanPatchIn(IsiTerbatas):
    """A correction of a kegiatan: only the fields sent change (``null`` clears an optional
    one). A scheduled kegiatan's ``jadwal`` changes by ``jadwal-ulang``; a draft's here. As JSON
    at most 256 KiB altogether."""

    model_config = ConfigDict(extra="forbid")

    divisi: Divisi | None = None
    judul: Judul | None = Field(default=None, min_length=3)
    jenis: Jenis | None = None
    jadwal: JadwalIn | None = Field(default=None, description="Hanya untuk kegiatan draft")
    latar_belakang: Uraian | None = None
    tujuan: Daftar[Butir] | None = None
    output: Daftar[Butir] | None = None
    sasaran: Daftar[Butir] | None = None
    indikator_input: IndikatorInputIn | None = None
    pelaksanaan: Daftar[Butir] | None = None
    metode: Metode | None = None
    target_peserta: TargetPesertaIn | None = None
    lokasi: Kalimat | None = None
    tahapan: Nama | None = None
    program: Program | None = None
    program_id: Id | None = None
    anggaran: int | None = Field(default=None, ge=0, le=MAX_RUPIAH, description="Rencana anggaran dalam rupiah")

    @model_validator(mode="after")
    def _required_not_cleared(self) -> KegiatanPatchIn:
        for name in ("divisi", "judul", "jenis", "jadwal"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} tidak dapat dikosongkan; kirim nilainya atau jangan kirim isian ini")
        return self

    def to_command(self, kegiatan_id: str) -> UbahKegiatan:
        given: dict[str, Any] = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            if name == "jadwal":
                value = self.jadwal.domain() if self.jadwal else None
            elif name == "indikator_input":
                value = IndikatorInput(**value.model_dump()) if value else IndikatorInput()
            elif name == "target_peserta":
                value = TargetPeserta(**value.model_dump()) if value else TargetPeserta()
            elif name in ("tujuan", "output", "sasaran", "pelaksanaan"):
                value = list(value or [])
            given[name] = value
        return UbahKegiatan(kegiatan_id, PerubahanKegiatan(**given))


class RescheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    jadwal: JadwalIn

    def to_command(self, kegiatan_id: str) -> JadwalUlangKegiatan:
        return JadwalUlangKegiatan(kegiatan_id, self.jadwal.domain())


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    alasan: Butir = Field(min_length=3)

    def to_command(self, kegiatan_id: str) -> BatalkanKegiatan:
        return BatalkanKegiatan(kegiatan_id, self.alasan)


class RealisasiIn(IsiTerbatas):
    """What a kegiatan achieved. As JSON at most 256 KiB altogether."""

    model_config = ConfigDict(extra="forbid")

    peserta_hadir: int | None = Field(default=None, ge=0, le=MAX_PESERTA)
    output_tercapai: Daftar[Butir] = Field(default_factory=list)
    anggaran_realisasi: int | None = Field(default=None, ge=0, le=MAX_RUPIAH)
    catatan: Uraian | None = None
    dokumentasi: Daftar[Butir] = Field(default=[], description="Tautan atau nama berkas dokumentasi")

    def domain(self) -> Realisasi:
        return Realisasi(**self.model_dump())

    def to_command(self, kegiatan_id: str) -> CatatRealisasi:
        return CatatRealisasi(kegiatan_id, self.domain())


# --- answers ---------------------------------------------------------------------------------
# Kegiatan imported from a document never went through the request models above, so answers
# are read back through these, which take what is stored as it is.


class JadwalOut(BaseModel):
    mulai: dt.date
    selesai: dt.date
    presisi: Presisi
    keterangan: str | None = None
    pengulangan: str | None = None


class TargetPesertaOut(BaseModel):
    jumlah: int | None = None
    luring: int | None = None
    daring: int | None = None
    keterangan: str | None = None


class IndikatorInputOut(BaseModel):
    sdm: list[str] = []
    sarana_prasarana: list[str] = []
    anggaran: list[str] = []
    lainnya: list[str] = []


class RealisasiOut(BaseModel):
    peserta_hadir: int | None = None
    output_tercapai: list[str] = []
    anggaran_realisasi: int | None = None
    catatan: str | None = None
    dokumentasi: list[str] = []


class KegiatanOut(BaseModel):
    id: str
    unit: str
    divisi: Divisi
    judul: str
    jenis: Jenis
    status: Status
    jadwal: JadwalOut
    latar_belakang: str | None
    tujuan: list[str]
    output: list[str]
    sasaran: list[str]
    indikator_input: IndikatorInputOut
    pelaksanaan: list[str]
    metode: Metode | None
    target_peserta: TargetPesertaOut
    lokasi: str | None
    tahapan: str | None
    program: Program | None
    program_id: str | None = None
    anggaran: int | None
    realisasi: RealisasiOut | None
    alasan_batal: str | None
    catatan_impor: list[str]
    """Text of the source document the importer could not place in a field, with its line."""
    asal: str | None
    """For an imported kegiatan: the document and the line of its heading."""

    @classmethod
    def of(cls, k: Kegiatan) -> KegiatanOut:
        data: dict[str, Any] = dataclasses.asdict(k)
        data.pop("events", None)
        data.pop("sumber", None)
        return cls.model_validate(data)


# --- realisation summary -------------------------------------------------------------------


class RealisasiRow(BaseModel):
    divisi: str
    periode: str | None = None
    mulai: dt.date | None = None
    selesai: dt.date | None = None
    direncanakan: int
    draft: int
    terjadwal: int
    terlaksana: int
    dibatalkan: int
    persen_terlaksana: float | None
    """Completed out of the kegiatan not cancelled, in percent."""
    peserta_rencana: int
    peserta_realisasi: int
    anggaran_rencana: int
    anggaran_realisasi: int

    @classmethod
    def of(cls, r: views.Realisasi) -> RealisasiRow:
        return cls(**dataclasses.asdict(r), persen_terlaksana=r.persen_terlaksana)


class RingkasanOut(BaseModel):
    unit: str
    periode: views.Periode
    dari: dt.date | None
    sampai: dt.date | None
    baris: list[RealisasiRow]
    """One row per division and period."""
    per_divisi: list[RealisasiRow]
    keseluruhan: RealisasiRow


# --- import ---------------------------------------------------------------------------------


class CatatanOut(BaseModel):
    """Text of the document that was not placed in a field, and why."""

    lokasi: str
    """Where to find it: 'baris 75', 'paragraf 12', 'halaman 2 baris 4'."""
    baris: int
    """Position of the line in the document's text (1-based; 0 for the document as a whole)."""
    teks: str
    alasan: str
    kegiatan_nomor: int | None = None
    """The kegiatan the text belongs to (its number in its division), when it belongs to one."""
    divisi: Divisi | None = None


class DokumenOut(BaseModel):
    nama: str
    format: str
    """teks, docx or pdf."""
    judul: str | None
    unit: str
    unit_nama: str | None
    unit_dalam_dokumen: str | None
    """The unit as the document's title names it."""
    tahun: int | None
    """The year of the document's title, used where a schedule leaves the year out."""
    jumlah_baris: int


class KegiatanImporOut(KegiatanOut):
    nomor: int
    """The kegiatan's number in its division, as the document gives it."""
    baris: int
    lokasi_dokumen: str
    baru: bool | None
    """True when this import creates it (or a dry run would), False when imported before;
    None in a dry run made without the service (``awasi import --dry-run``)."""


class RingkasanImporOut(BaseModel):
    kegiatan: int
    baru: int | None
    sudah_ada: int | None
    terjadwal: int
    draft: int
    catatan: int


class ImporOut(BaseModel):
    """What an import created, or in a dry run would create."""

    dry_run: bool
    dokumen: DokumenOut
    ringkasan: RingkasanImporOut
    kegiatan: list[KegiatanImporOut]
    catatan: list[CatatanOut]

    @classmethod
    def of(
        cls,
        plan: ImportPlan,
        *,
        dry_run: bool,
        existing: dict[str, Kegiatan] | None = None,
        created: dict[str, Kegiatan] | None = None,
    ) -> ImporOut:
        known = existing is not None
        rows: list[KegiatanImporOut] = []
        notes = [CatatanOut(lokasi=c.lokasi, baris=c.nomor, teks=c.teks, alasan=c.alasan) for c in plan.catatan]
        for item, template in plan.items:
            key = template.sumber or template.id
            baru: bool | None
            if existing is not None and key in existing:
                kegiatan, baru = existing[key], False
            else:
                kegiatan = (created or {}).get(key) or plan.fresh(item, template)
                baru = True if known else None
            data = KegiatanOut.of(kegiatan).model_dump()
            rows.append(
                KegiatanImporOut(
                    **data, nomor=item.nomor, baris=item.baris.nomor, lokasi_dokumen=item.baris.tempat, baru=baru
                )
            )
            notes += [
                CatatanOut(
                    lokasi=c.lokasi,
                    baris=c.nomor,
                    teks=c.teks,
                    alasan=c.alasan,
                    kegiatan_nomor=item.nomor,
                    divisi=item.divisi,
                )
                for c in item.catatan
            ]
        rencana = plan.rencana
        return cls(
            dry_run=dry_run,
            dokumen=DokumenOut(
                nama=plan.dokumen.nama,
                format=plan.dokumen.format,
                judul=rencana.judul,
                unit=plan.unit,
                unit_nama=unit_name(plan.unit),
                unit_dalam_dokumen=rencana.unit_nama,
                tahun=rencana.tahun,
                jumlah_baris=rencana.jumlah_baris,
            ),
            ringkasan=RingkasanImporOut(
                kegiatan=len(rows),
                baru=sum(1 for r in rows if r.baru) if known else None,
                sudah_ada=sum(1 for r in rows if r.baru is False) if known else None,
                terjadwal=sum(1 for r in rows if r.status in (Status.SCHEDULED, Status.RESCHEDULED)),
                draft=sum(1 for r in rows if r.status == Status.DRAFT),
                catatan=len(notes),
            ),
            kegiatan=rows,
            catatan=notes,
        )


class TokenKalenderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(
        min_length=1, max_length=100, description="Untuk apa token ini, misalnya 'Kalender ponsel Google'"
    )


class TokenKalenderOut(BaseModel):
    id: str
    label: str
    unit: str
    role: str
    divisi: str | None
    dibuat_pada: dt.datetime
    dicabut_pada: dt.datetime | None

    @classmethod
    def of(cls, record: TokenKalender) -> TokenKalenderOut:
        return TokenKalenderOut(
            id=record.id,
            label=record.label,
            unit=record.unit,
            role=record.role,
            divisi=record.divisi,
            dibuat_pada=record.dibuat_pada,
            dicabut_pada=record.dicabut_pada,
        )


class TokenKalenderBaruOut(TokenKalenderOut):
    token: str = Field(description="Ditampilkan sekali ini saja; yang disimpan hanya SHA-256-nya")
    alamat: str = Field(description="Jalur langganan kalender dengan token ini")

    @classmethod
    def baru(cls, record: TokenKalender, token: str) -> TokenKalenderBaruOut:
        base = TokenKalenderOut.of(record).model_dump()
        return cls(**base, token=token, alamat=f"/kegiatan/kalender.ics?unit={record.unit}&token={token}")
