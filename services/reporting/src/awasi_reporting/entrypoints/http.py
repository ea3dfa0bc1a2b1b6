"""Reporting's HTTP API."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from awasi_common.units import UnitCode
from awasi_reporting.domain.model import Kanal, Pelapor, Peristiwa
from awasi_reporting.service_layer import handlers

router = APIRouter(prefix="/laporan", tags=["laporan"])


class PelaporIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nama: str = Field(min_length=2, max_length=200)
    email: EmailStr | None = None
    telepon: str | None = Field(default=None, max_length=32)
    alamat: str | None = Field(default=None, max_length=500)


class PeristiwaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    apa: str = Field(min_length=3, max_length=2000)
    tempat: str = Field(min_length=2, max_length=500)
    waktu_kejadian: dt.date
    waktu_diketahui: dt.date

    @model_validator(mode="after")
    def _known_after_event(self) -> PeristiwaIn:
        if self.waktu_diketahui < self.waktu_kejadian:
            raise ValueError("waktu diketahui tidak boleh sebelum waktu kejadian")
        if self.waktu_diketahui > dt.date.today():
            raise ValueError("waktu diketahui tidak boleh setelah hari ini (tanggal laporan)")
        return self


class LaporanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: UnitCode = Field(description="Unit pengawas yang dituju")
    kanal: Kanal = Kanal.WEB
    pelapor: PelaporIn
    terlapor: str = Field(min_length=2, max_length=500)
    peristiwa: PeristiwaIn
    uraian: str = Field(min_length=10, max_length=20000)


class LaporanReceipt(BaseModel):
    laporan_id: str
    kode_pelacakan: str
    kode_rahasia: str = Field(description="Tunjukkan hanya sekali; dipakai untuk memantau status laporan")
    diterima_pada: dt.datetime
    pesan: str


@router.post("", status_code=status.HTTP_201_CREATED, response_model=LaporanReceipt, summary="Sampaikan laporan")
async def submit(body: LaporanIn, request: Request) -> LaporanReceipt:
    laporan, secret = await handlers.submit_laporan(
        unit=body.unit,
        kanal=body.kanal,
        pelapor=Pelapor(**body.pelapor.model_dump()),
        terlapor=body.terlapor,
        peristiwa=Peristiwa(**body.peristiwa.model_dump()),
        uraian=body.uraian,
        uow_factory=request.app.state.uow_factory,
    )
    return LaporanReceipt(
        laporan_id=laporan.id,
        kode_pelacakan=laporan.kode_pelacakan,
        kode_rahasia=secret,
        diterima_pada=laporan.diterima_pada,
        pesan=f"Laporan diterima. Simpan kode pelacakan {laporan.kode_pelacakan} dan kode rahasia Anda.",
    )
