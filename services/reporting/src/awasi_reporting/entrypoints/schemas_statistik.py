"""What reporting's HTTP API takes and gives for the annual division report."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from pydantic import BaseModel, Field

from awasi_common.limits import (
    KodeUnit,
    Nama,
)
from awasi_common.vocabulary import Divisi
from awasi_reporting import commands
from awasi_reporting.domain.laporan_tahunan import LaporanTahunanTerbit
from awasi_reporting.entrypoints.schemas import StrictIn


class LaporanTahunanIn(StrictIn):
    """Issue a division's annual report: it gets its number and is kept as issued."""

    tahun: int = Field(ge=2000, le=2100)
    divisi: Divisi
    unit: KodeUnit | None = Field(default=None, description="Bawaan: unit akun")
    penandatangan: Nama | None = Field(default=None, min_length=1, description="Nama yang menandatangani")
    jabatan: Nama | None = Field(
        default=None, min_length=1, description="Jabatan penanda tangan; bawaan: Koordinator Divisi yang dilaporkan"
    )

    def to_command(self, unit: str) -> commands.TerbitkanLaporanTahunan:
        return commands.TerbitkanLaporanTahunan(
            unit=unit, tahun=self.tahun, divisi=self.divisi, penandatangan=self.penandatangan, jabatan=self.jabatan
        )


class LaporanTahunanTerbitOut(BaseModel):
    unit: str
    tahun: int
    divisi: Divisi
    nomor: str
    tanggal: dt.date
    penandatangan: str | None
    jabatan: str
    diterbitkan_oleh: str
    diterbitkan_pada: dt.datetime
    unduh: str
    """Where the issued PDF is downloaded."""

    @classmethod
    def of(cls, record: LaporanTahunanTerbit) -> LaporanTahunanTerbitOut:
        p = record.pengesahan
        assert p.nomor is not None
        query = urlencode({"unit": record.unit, "tahun": record.tahun, "divisi": record.divisi.value, "format": "pdf"})
        return cls(
            unit=record.unit,
            tahun=record.tahun,
            divisi=record.divisi,
            nomor=p.nomor,
            tanggal=p.tanggal,
            penandatangan=p.nama,
            jabatan=p.jabatan,
            diterbitkan_oleh=record.diterbitkan_oleh,
            diterbitkan_pada=record.diterbitkan_pada,
            unduh=f"/laporan-tahunan?{query}",
        )
