"""Planning's HTTP request and response bodies."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from awasi_common.units import UnitCode
from awasi_common.vocabulary import Divisi, Program
from awasi_planning.domain.model import (
    IndikatorInput,
    Jadwal,
    Jenis,
    Kegiatan,
    Metode,
    Presisi,
    Realisasi,
    Status,
    TargetPeserta,
)


class JadwalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mulai: dt.date
    selesai: dt.date
    presisi: Presisi = Presisi.TANGGAL
    keterangan: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _order(self) -> JadwalIn:
        if self.selesai < self.mulai:
            raise ValueError(f"tanggal selesai ({self.selesai}) tidak boleh sebelum tanggal mulai ({self.mulai})")
        return self

    def domain(self) -> Jadwal:
        return Jadwal(self.mulai, self.selesai, self.presisi, self.keterangan)


class TargetPesertaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    jumlah: int | None = Field(default=None, ge=0)
    luring: int | None = Field(default=None, ge=0)
    daring: int | None = Field(default=None, ge=0)
    keterangan: str | None = Field(default=None, max_length=1000)


class IndikatorInputIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sdm: list[str] = []
    sarana_prasarana: list[str] = []
    anggaran: list[str] = []


class KegiatanIn(BaseModel):
    """A rencana kegiatan as an operator writes it."""

    model_config = ConfigDict(extra="forbid")

    unit: UnitCode
    divisi: Divisi
    judul: str = Field(min_length=3, max_length=500)
    jenis: Jenis = Jenis.LAINNYA
    jadwal: JadwalIn
    latar_belakang: str | None = Field(default=None, max_length=20000)
    tujuan: list[str] = []
    output: list[str] = []
    sasaran: list[str] = []
    indikator_input: IndikatorInputIn = IndikatorInputIn()
    metode: Metode | None = None
    target_peserta: TargetPesertaIn = TargetPesertaIn()
    lokasi: str | None = Field(default=None, max_length=500)
    tahapan: str | None = Field(default=None, max_length=200)
    program: Program | None = None
    anggaran: int | None = Field(default=None, ge=0, description="Rencana anggaran dalam rupiah")
    draft: bool = Field(default=False, description="Simpan sebagai draft tanpa menjadwalkan")

    def domain(self) -> Kegiatan:
        return Kegiatan(
            unit=self.unit,
            divisi=self.divisi,
            judul=self.judul.strip(),
            jenis=self.jenis,
            jadwal=self.jadwal.domain(),
            latar_belakang=self.latar_belakang,
            tujuan=self.tujuan,
            output=self.output,
            sasaran=self.sasaran,
            indikator_input=IndikatorInput(**self.indikator_input.model_dump()),
            metode=self.metode,
            target_peserta=TargetPeserta(**self.target_peserta.model_dump()),
            lokasi=self.lokasi,
            tahapan=self.tahapan,
            program=self.program,
            anggaran=self.anggaran,
        )


class RescheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    jadwal: JadwalIn


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    alasan: str = Field(min_length=3, max_length=2000)


class RealisasiIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    peserta_hadir: int | None = Field(default=None, ge=0)
    output_tercapai: list[str] = []
    anggaran_realisasi: int | None = Field(default=None, ge=0)
    catatan: str | None = Field(default=None, max_length=20000)
    dokumentasi: list[str] = []

    def domain(self) -> Realisasi:
        return Realisasi(**self.model_dump())


class KegiatanOut(BaseModel):
    id: str
    unit: str
    divisi: Divisi
    judul: str
    jenis: Jenis
    status: Status
    jadwal: JadwalIn
    latar_belakang: str | None
    tujuan: list[str]
    output: list[str]
    sasaran: list[str]
    indikator_input: IndikatorInputIn
    metode: Metode | None
    target_peserta: TargetPesertaIn
    lokasi: str | None
    tahapan: str | None
    program: Program | None
    anggaran: int | None
    realisasi: RealisasiIn | None
    alasan_batal: str | None
    catatan_impor: list[str]

    @classmethod
    def of(cls, k: Kegiatan) -> KegiatanOut:
        data: dict[str, Any] = dataclasses.asdict(k)
        data.pop("events", None)
        data.pop("sumber", None)
        return cls.model_validate(data)
