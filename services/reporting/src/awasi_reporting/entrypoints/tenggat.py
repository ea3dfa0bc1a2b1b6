"""The public deadline calculator (issue 13, item 5): a citizen and an operator see the very
rule the platform applies to a laporan (:class:`awasi_reporting.domain.rezim.Rezim`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from awasi_common.errors import DomainError
from awasi_common.limits import KodeUnit
from awasi_common.units import unit_name, zone_name
from awasi_reporting.domain.rezim import Pemilihan

router = APIRouter(tags=["tenggat"])


class Tenggat(BaseModel):
    pemilihan: Pemilihan
    unit: str
    unit_nama: str | None
    zona: str = Field(description="Zona waktu unit (WIB, WITA, WIT): tanggal dihitung menurut zona ini")
    diketahui: dt.date
    batas_lapor: dt.date = Field(description="Hari terakhir laporan dapat disampaikan")
    daluwarsa: bool | None = Field(description="Laporan yang disampaikan pada tanggal itu melewati batas (bila diisi)")
    kajian_awal: dt.date | None = Field(description="Batas kajian awal sejak laporan diterima (bila diisi)")
    tindak_lanjut: dt.date | None = Field(
        description="Batas tindak lanjut, bila laporan diregistrasi pada hari diterimanya (bila diisi)"
    )
    tindak_lanjut_diperpanjang: dt.date | None = Field(
        description="Batas tindak lanjut bila diperlukan keterangan tambahan (bila diisi)"
    )
    hari: Literal["kerja", "kalender"]
    lapor_hari: int = Field(description="Jumlah hari (menurut `hari`) untuk menyampaikan laporan")
    dasar: list[str] = Field(description="Pasal yang diterapkan")
    keterangan: str


@router.get(
    "/publik/tenggat",
    summary="Batas waktu melapor dan menangani laporan menurut pemilu atau pemilihan (pilkada)",
)
async def tenggat(
    pemilihan: Annotated[Pemilihan, Query(description="pemilu (UU 7/2017) atau pilkada (UU 10/2016)")],
    unit: Annotated[KodeUnit, Query(description="Kode wilayah unit Bawaslu yang dituju, mis. 35.05")],
    diketahui: Annotated[dt.date, Query(description="Tanggal peristiwa diketahui (YYYY-MM-DD)")],
    disampaikan: Annotated[dt.date | None, Query(description="Tanggal laporan disampaikan (YYYY-MM-DD)")] = None,
    diterima: Annotated[dt.date | None, Query(description="Tanggal laporan diterima (YYYY-MM-DD)")] = None,
) -> Tenggat:
    """Public, no token: a calculation, nothing is stored."""
    if disampaikan is not None and disampaikan < diketahui:
        raise DomainError("Tanggal disampaikan tidak boleh sebelum tanggal diketahui.", field="disampaikan")
    if diterima is not None and diterima < diketahui:
        raise DomainError("Tanggal diterima tidak boleh sebelum tanggal diketahui.", field="diterima")
    rezim = pemilihan.rezim
    return Tenggat(
        pemilihan=pemilihan,
        unit=unit,
        unit_nama=unit_name(unit),
        zona=zone_name(unit),
        diketahui=diketahui,
        batas_lapor=rezim.batas_lapor(diketahui),
        daluwarsa=rezim.daluwarsa(diketahui, disampaikan) if disampaikan is not None else None,
        kajian_awal=rezim.batas_kajian_awal(diterima) if diterima is not None else None,
        tindak_lanjut=rezim.batas_tindak_lanjut(diterima) if diterima is not None else None,
        tindak_lanjut_diperpanjang=(
            rezim.batas_tindak_lanjut(diterima, diperpanjang=True) if diterima is not None else None
        ),
        hari=rezim.hari.value,
        lapor_hari=rezim.lapor,
        dasar=rezim.dasar(),
        keterangan=(
            f"{rezim.nama}: laporan paling lama {rezim.lapor} {rezim.satuan} sejak diketahui "
            f"({rezim.pasal_lapor}); kajian awal {rezim.kajian_awal} {rezim.satuan} sejak diterima; "
            f"tindak lanjut {rezim.tindak_lanjut} {rezim.satuan} ({rezim.pasal_tindak_lanjut}), paling lama "
            f"{rezim.tindak_lanjut_diperpanjang} {rezim.satuan} bila memerlukan keterangan tambahan "
            f"({rezim.pasal_tindak_lanjut_diperpanjang}). Hari kerja tidak termasuk Sabtu, Minggu, hari libur "
            "nasional, dan cuti bersama."
        ),
    )
