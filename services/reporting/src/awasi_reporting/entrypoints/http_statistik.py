"""Reporting's HTTP API for figures: what a unit publishes, what came in today, the annual
division report (draft and issue), and the deadline check on demand."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse, Response

from awasi_common.auth import CurrentPrincipal
from awasi_common.limits import NAMA, KodeUnit
from awasi_common.units import unit_name
from awasi_common.vocabulary import Divisi
from awasi_reporting import views
from awasi_reporting.adapters import laporan_tahunan as report
from awasi_reporting.commands import LaporanTahunan, PeriksaTenggat
from awasi_reporting.domain.vocabulary import Tahapan, local_date
from awasi_reporting.entrypoints import schemas_statistik as ss
from awasi_reporting.entrypoints.http import command_bus, periode_of, uow_factory
from awasi_reporting.service_layer import laporan_tahunan

router = APIRouter(tags=["laporan"])  # the tag these routes had in http.py: the OpenAPI stays as it was


@router.get("/statistik", tags=["statistik"], summary="Angka yang dipublikasikan unit (termasuk unit di bawahnya)")
async def statistik(
    request: Request,
    unit: Annotated[KodeUnit, Query()],
    tahun: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    dari: dt.date | None = None,
    sampai: dt.date | None = None,
    tahapan: Tahapan | None = None,
) -> dict[str, Any]:
    """Public: counts only, no personal data."""
    periode = periode_of(dari, sampai, tahun) or views.Periode.tahun(local_date(dt.datetime.now(dt.UTC), unit).year)
    async with request.app.state.service.sessions() as session:
        figures = await views.statistik(session, unit=unit, periode=periode, tahapan=tahapan.value if tahapan else None)
    figures["unit_nama"] = unit_name(unit)
    return figures


@router.get(
    "/statistik/masuk",
    tags=["statistik"],
    summary="Form A dan laporan yang masuk pada satu hari, per unit di bawahnya (angka berjalan)",
)
async def statistik_masuk(
    request: Request,
    unit: Annotated[KodeUnit, Query()],
    tanggal: dt.date | None = None,
) -> dict[str, Any]:
    """Public: counts only. Kept from reporting's own events as they are handled (a second
    or so behind the submissions); defaults to today in the unit's own time zone."""
    tanggal = tanggal or local_date(dt.datetime.now(dt.UTC), unit)
    async with request.app.state.service.sessions() as session:
        figures = await views.angka_masuk(session, unit=unit, tanggal=tanggal)
    figures["unit_nama"] = unit_name(unit)
    return figures


@router.get(
    "/laporan-tahunan",
    tags=["statistik"],
    summary="Laporan tahunan divisi (PDF dengan grafik atau CSV); PDF draf sampai diterbitkan",
    response_class=Response,
    responses={200: {"description": "PDF atau CSV", "content": {"application/pdf": {}, "text/csv": {}}}},
)
async def annual_report(
    principal: CurrentPrincipal,
    request: Request,
    tahun: Annotated[int, Query(ge=2000, le=2100)],
    divisi: Divisi,
    unit: Annotated[KodeUnit | None, Query()] = None,
    format: Annotated[str, Query(pattern="^(pdf|csv)$")] = "pdf",
    penandatangan: Annotated[
        str | None,
        Query(min_length=1, max_length=NAMA, description="Nama yang menandatangani draf (PDF)"),
    ] = None,
    jabatan: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=NAMA,
            description="Jabatan penanda tangan draf; bawaan: Koordinator Divisi yang dilaporkan",
        ),
    ] = None,
) -> Response:
    unit = unit or principal.unit
    principal.require_read(unit)
    name = f"laporan-tahunan-{tahun}-{divisi.value}-{unit}"
    if format == "csv":
        async with request.app.state.service.sessions() as session:
            data = await views.laporan_tahunan(
                session, unit=unit, unit_nama=unit_name(unit) or unit, tahun=tahun, divisi=divisi
            )
        return Response(
            report.render_csv(data),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    wanted = LaporanTahunan(unit, tahun, divisi, penandatangan, jabatan)
    pdf, issued = await laporan_tahunan.unduh_pdf(wanted, uow_factory(request))
    headers = {"Content-Disposition": f'attachment; filename="{name}{"" if issued else "-draf"}.pdf"'}
    if issued is not None and issued.pengesahan.nomor:
        headers["X-Nomor-Dokumen"] = issued.pengesahan.nomor
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.post(
    "/laporan-tahunan/terbit",
    response_model=ss.LaporanTahunanTerbitOut,
    tags=["statistik"],
    summary="Terbitkan laporan tahunan divisi: bernomor sekali, disimpan sebagaimana diterbitkan",
    responses={
        200: {"description": "Sudah diterbitkan sebelumnya: dokumen yang sama"},
        201: {"description": "Diterbitkan sekarang"},
        409: {"description": "Sudah diterbitkan dengan penanda tangan lain"},
    },
)
async def issue_annual_report(body: ss.LaporanTahunanIn, principal: CurrentPrincipal, request: Request) -> JSONResponse:
    record, created = await command_bus(request).handle(body.to_command(body.unit or principal.unit), principal)
    return JSONResponse(
        ss.LaporanTahunanTerbitOut.of(record).model_dump(mode="json"),
        status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


@router.post("/tenggat/periksa", tags=["operasional"], summary="Periksa tenggat sekarang (admin)")
async def check_deadlines_now(principal: CurrentPrincipal, request: Request) -> dict[str, int]:
    return {"peringatan": await command_bus(request).handle(PeriksaTenggat(), principal)}
