"""Events the participation service publishes (program and compliance events)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from awasi_common.events.base import Event

POJOK_LAPORAN_TOPIC = "awasi.participation.pojok-laporan.v1"


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


class LaporanPojokDiterima(Event):
    """Internal: a public report made at a Pojok Pengawasan, handed to reporting, which
    registers it as a laporan with channel ``pojok_pengawasan`` (and publishes LaporanSubmitted).
    It carries the reporter's identity, so it is never offered to agencies."""

    name: ClassVar[str] = "LaporanPojokDiterima"
    topic: ClassVar[str] = POJOK_LAPORAN_TOPIC
    source: ClassVar[str] = "/awasi/participation"
    key_field: ClassVar[str] = "laporan_pojok_id"
    public: ClassVar[bool] = False

    laporan_pojok_id: str
    program_id: str
    pelapor: PelaporPojok
    terlapor: str
    peristiwa_apa: str
    peristiwa_tempat: str
    waktu_kejadian: dt.date
    waktu_diketahui: dt.date
    uraian: str
    saksi: list[str] = []
    diterima_pada: dt.datetime
