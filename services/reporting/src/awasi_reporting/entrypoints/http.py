"""Reporting's HTTP API (JSON). The public web pages are in ``web.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile, status
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import UploadFile as Upload

from awasi_common.auth import CurrentPrincipal, Principal, Role, TokenIssuer
from awasi_common.commands import CommandBus
from awasi_common.edge import at_edge
from awasi_common.errors import DomainError, Forbidden, NotFound
from awasi_common.http import MAX_OFFSET
from awasi_common.limits import DAFTAR_PENDEK, KODE, NAMA, Id, KodeUnit
from awasi_common.ratelimit import ClientRateLimiter, rate_limit_message
from awasi_reporting import commands as c
from awasi_reporting import views
from awasi_reporting.commands import LampirkanBukti, LihatIdentitas, UnduhBukti
from awasi_reporting.domain import bukti as bukti_rules
from awasi_reporting.domain.laporan import Laporan
from awasi_reporting.domain.vocabulary import JenisPerkara, Kanal
from awasi_reporting.entrypoints import schemas as s
from awasi_reporting.service_layer.intake import laporan_for_reporter
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork, UowFactory

router = APIRouter(tags=["laporan"])

_bearer = HTTPBearer(auto_error=False)


async def optional_principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> Principal | None:
    if credentials is None:
        return None
    issuer: TokenIssuer = request.app.state.tokens
    return issuer.verify(credentials.credentials)


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def uow_factory(request: Request) -> UowFactory:
    factory: UowFactory = request.app.state.uow_factory
    return factory


def command_bus(request: Request) -> CommandBus[ReportingUnitOfWork]:
    bus: CommandBus[ReportingUnitOfWork] = request.app.state.bus
    return bus


EVIDENCE_BODY = "bukti"
"""The body limit of a form that carries evidence files."""
ATTEMPTS = "percobaan"
"""The rate-limit scope of every request to a public form, counted at the edge."""


def bukti_limits(request: Request) -> bukti_rules.BatasBukti:
    limits: bukti_rules.BatasBukti = request.app.state.bukti_limits
    return limits


def rate_limiter(request: Request) -> ClientRateLimiter:
    limiter: ClientRateLimiter = request.app.state.rate_limiter
    return limiter


def _too_many(retry_after: int) -> JSONResponse:
    return JSONResponse(
        status_code=429,
        content={"detail": rate_limit_message(retry_after)},
        headers={"Retry-After": str(retry_after)},
    )


async def read_uploads(files: Sequence[Upload], limits: bukti_rules.BatasBukti) -> list[bukti_rules.BerkasMasuk]:
    """Read uploaded files, stopping at the size limit (the rule check names the file)."""
    found = []
    for upload in files:
        if not upload.filename and not upload.size:
            continue
        content = await upload.read(limits.max_bytes + 1)
        found.append(bukti_rules.BerkasMasuk(nama_berkas=upload.filename or "berkas", isi=content))
    return found


# --- Intake and the reporter's view ------------------------------------------------------------


@router.post(
    "/laporan",
    status_code=status.HTTP_201_CREATED,
    response_model=s.LaporanReceipt,
    summary="Sampaikan laporan (Formulir Model B.1)",
    responses={429: {"description": "Terlalu banyak laporan dari klien ini"}},
    openapi_extra=at_edge(attempts=ATTEMPTS),
)
async def submit(body: s.LaporanIn, request: Request, principal: OptionalPrincipal) -> Any:
    """Open to the public on channel ``web``; other channels (call center, media sosial,
    patroli digital, pojok pengawasan) are written down by the unit's staff with a token."""
    if principal is None:
        if body.kanal is not Kanal.WEB:
            raise Forbidden(
                f"Laporan melalui kanal {body.kanal.value} dicatat oleh petugas unit; sertakan token petugas."
            )
        if body.diterima_pada is not None:
            raise DomainError("Waktu diterima hanya dapat diisi petugas.", field="diterima_pada")
        retry = await rate_limiter(request).check("intake", request)
        if retry is not None:
            return _too_many(retry)
    laporan, secret = await command_bus(request).handle(body.to_command(), principal)
    if principal is None:
        await rate_limiter(request).hit("intake", request)
    return s.LaporanReceipt(
        laporan_id=laporan.id,
        kode_pelacakan=laporan.kode_pelacakan,
        kode_rahasia=secret,
        diterima_pada=laporan.diterima_pada,
        pesan=(
            f"Laporan diterima dengan nomor tanda terima {laporan.nomor_tanda_terima}. Simpan kode "
            f"pelacakan {laporan.kode_pelacakan} dan kode rahasia Anda untuk memantau statusnya."
        ),
        tanda_terima=s.tanda_terima(laporan),
    )


@router.post(
    "/laporan/status",
    response_model=s.StatusPublik,
    summary="Status laporan bagi pelapor",
    openapi_extra=at_edge(attempts=ATTEMPTS),
)
async def public_status(body: s.StatusPublikIn, request: Request) -> Any:
    retry = await rate_limiter(request).hit("status", request)
    if retry is not None:
        return _too_many(retry)
    async with uow_factory(request)() as uow:
        laporan = await laporan_for_reporter(uow, body.kode_pelacakan, body.kode_rahasia)
    return s.StatusPublik.of(laporan)


# --- Staff: laporan ----------------------------------------------------------------------------------


def periode_of(dari: dt.date | None, sampai: dt.date | None, tahun: int | None) -> views.Periode | None:
    if tahun is not None:
        return views.Periode.tahun(tahun)
    if dari is None and sampai is None:
        return None
    periode = views.Periode(dari or dt.date(2000, 1, 1), sampai or dt.date(2100, 12, 31))
    if periode.dari > periode.sampai:
        raise DomainError("Tanggal 'dari' tidak boleh setelah 'sampai'.", field="dari")
    return periode


@router.get("/laporan", summary="Daftar laporan unit dan unit di bawahnya")
async def list_laporan(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    status_: Annotated[str | None, Query(alias="status", max_length=KODE)] = None,
    dari: dt.date | None = None,
    sampai: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[dict[str, Any]]:
    unit = unit or principal.unit
    principal.require_read(unit)
    async with request.app.state.service.sessions() as session:
        return await views.list_laporan(
            session, unit=unit, status=status_, periode=periode_of(dari, sampai, None), limit=limit, offset=offset
        )


@router.get("/laporan/{laporan_id}", response_model=s.LaporanOut, summary="Rincian laporan (tanpa identitas pelapor)")
async def get_laporan(laporan_id: Id, principal: CurrentPrincipal, request: Request) -> s.LaporanOut:
    async with uow_factory(request)() as uow:
        laporan = await uow.laporan.get(laporan_id)
    if laporan is None or not principal.can_read(laporan.unit):
        raise NotFound(f"Laporan {laporan_id} tidak ditemukan.")
    return s.LaporanOut.of(laporan)


@router.get(
    "/laporan/{laporan_id}/identitas",
    response_model=s.IdentitasOut,
    summary="Identitas pelapor dan saksi (rahasia; setiap akses dicatat)",
)
async def get_identity(
    laporan_id: Id,
    principal: CurrentPrincipal,
    request: Request,
    tujuan: Annotated[str, Query(min_length=3, max_length=NAMA)] = "penanganan laporan",
) -> s.IdentitasOut:
    laporan, pelapor, saksi = await command_bus(request).handle(LihatIdentitas(laporan_id, tujuan), principal)
    return s.IdentitasOut(
        laporan_id=laporan.id,
        kode_pelacakan=laporan.kode_pelacakan,
        pelapor=s.PelaporIn.model_validate(pelapor.to_dict()),
        saksi=[s.SaksiIn.model_validate(w.to_dict()) for w in saksi],
    )


@router.get("/laporan/{laporan_id}/audit", response_model=list[s.AksesOut], summary="Log akses identitas pelapor")
async def get_audit(laporan_id: Id, principal: CurrentPrincipal, request: Request) -> list[s.AksesOut]:
    async with uow_factory(request)() as uow:
        laporan = await uow.laporan.get(laporan_id)
        if laporan is None or not principal.can_read(laporan.unit):
            raise NotFound(f"Laporan {laporan_id} tidak ditemukan.")
        if principal.role not in (Role.PIMPINAN, Role.ADMIN):
            raise Forbidden("Log akses identitas hanya untuk pimpinan atau admin.")
        rows = await views.audit_log(uow.session, laporan_id)
    return [s.AksesOut(**row) for row in rows]


@router.post(
    "/laporan/{laporan_id}/bukti",
    status_code=201,
    summary="Lampirkan bukti (petugas)",
    openapi_extra=at_edge(body=EVIDENCE_BODY, writers=True),
)
async def upload_bukti(
    laporan_id: Id,
    principal: CurrentPrincipal,
    request: Request,
    bukti: Annotated[list[UploadFile], File(max_length=DAFTAR_PENDEK, description="Berkas bukti")],
) -> dict[str, list[str]]:
    limits = bukti_limits(request)
    files = await read_uploads(bukti, limits)
    ids = await command_bus(request).handle(LampirkanBukti(laporan_id, tuple(files), limits), principal)
    return {"bukti_id": ids}


@router.get("/laporan/{laporan_id}/bukti/{bukti_id}", summary="Unduh berkas bukti")
async def download_bukti(laporan_id: Id, bukti_id: Id, principal: CurrentPrincipal, request: Request) -> Response:
    info, content = await command_bus(request).handle(UnduhBukti(laporan_id, bukti_id), principal)
    return Response(
        content,
        media_type=info.jenis,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(info.nama_berkas)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def _step(request: Request, principal: Principal, command: object) -> Any:
    """One handling step on a laporan or a temuan; the case as it is now."""
    perkara = await command_bus(request).handle(command, principal)
    return s.LaporanOut.of(perkara) if isinstance(perkara, Laporan) else s.TemuanOut.of(perkara)


@router.post("/laporan/{laporan_id}/kajian-awal", response_model=s.LaporanOut, summary="Mulai kajian awal")
async def kajian_awal(laporan_id: Id, body: s.CatatanIn, principal: CurrentPrincipal, request: Request) -> Any:
    return await _step(request, principal, body.to_command(c.MulaiKajianAwal, laporan_id))


@router.post("/laporan/{laporan_id}/perlu-dilengkapi", response_model=s.LaporanOut, summary="Minta pelapor melengkapi")
async def perlu_dilengkapi(laporan_id: Id, body: s.KekuranganIn, principal: CurrentPrincipal, request: Request) -> Any:
    return await _step(request, principal, body.to_command(laporan_id))


@router.post("/laporan/{laporan_id}/dilengkapi", response_model=s.LaporanOut, summary="Catat kelengkapan dari pelapor")
async def dilengkapi(laporan_id: Id, body: s.DilengkapiIn, principal: CurrentPrincipal, request: Request) -> Any:
    return await _step(request, principal, body.to_command(laporan_id))


@router.post("/laporan/{laporan_id}/registrasi", response_model=s.LaporanOut, summary="Registrasi laporan")
async def registrasi(laporan_id: Id, body: s.CatatanIn, principal: CurrentPrincipal, request: Request) -> Any:
    return await _step(request, principal, body.to_command(c.RegistrasiLaporan, laporan_id))


@router.post(
    "/laporan/{laporan_id}/tidak-diregistrasi", response_model=s.LaporanOut, summary="Nyatakan tidak diregistrasi"
)
async def tidak_diregistrasi(
    laporan_id: Id, body: s.TidakRegistrasiIn, principal: CurrentPrincipal, request: Request
) -> Any:
    return await _step(request, principal, body.to_command(laporan_id))


def _case_steps(jenis: JenisPerkara) -> None:
    """The steps laporan and temuan share, on /laporan/{id}/... and /temuan/{id}/..."""
    kind = jenis.value
    out = s.LaporanOut if jenis is JenisPerkara.LAPORAN else s.TemuanOut
    base = f"/{kind}/{{case_id}}"

    @router.post(f"{base}/klarifikasi", response_model=out, summary="Mulai klarifikasi dan kajian", tags=[kind])
    async def klarifikasi(case_id: Id, body: s.CatatanIn, principal: CurrentPrincipal, request: Request) -> Any:
        return await _step(request, principal, body.to_command(c.MulaiKlarifikasi, jenis, case_id))

    @router.post(
        f"{base}/perpanjangan",
        response_model=out,
        summary="Perpanjang tenggat tindak lanjut (pemilu 14 hari kerja; pemilihan 3 + 2 hari)",
        tags=[kind],
    )
    async def perpanjangan(case_id: Id, body: s.PerpanjanganIn, principal: CurrentPrincipal, request: Request) -> Any:
        return await _step(request, principal, body.to_command(jenis, case_id))

    @router.post(f"{base}/putusan", response_model=out, summary="Tetapkan putusan (pimpinan)", tags=[kind])
    async def putusan(case_id: Id, body: s.PutusanIn, principal: CurrentPrincipal, request: Request) -> Any:
        return await _step(request, principal, body.to_command(jenis, case_id))

    @router.post(f"{base}/penerusan", response_model=out, summary="Teruskan kepada instansi tujuan", tags=[kind])
    async def penerusan(case_id: Id, body: s.PenerusanIn, principal: CurrentPrincipal, request: Request) -> Any:
        return await _step(request, principal, body.to_command(jenis, case_id))

    @router.post(f"{base}/pelimpahan", response_model=out, summary="Limpahkan ke unit di bawahnya", tags=[kind])
    async def pelimpahan(case_id: Id, body: s.PelimpahanIn, principal: CurrentPrincipal, request: Request) -> Any:
        return await _step(request, principal, body.to_command(c.LimpahkanPerkara, jenis, case_id))

    @router.post(
        f"{base}/pengambilalihan", response_model=out, summary="Ambil alih oleh unit di atasnya (ke_unit)", tags=[kind]
    )
    async def pengambilalihan(case_id: Id, body: s.PelimpahanIn, principal: CurrentPrincipal, request: Request) -> Any:
        return await _step(request, principal, body.to_command(c.AmbilAlihPerkara, jenis, case_id))

    @router.post(f"{base}/selesai", response_model=out, summary="Nyatakan selesai", tags=[kind])
    async def selesai(case_id: Id, body: s.CatatanIn, principal: CurrentPrincipal, request: Request) -> Any:
        return await _step(request, principal, body.to_command(c.SelesaikanPerkara, jenis, case_id))


_case_steps(JenisPerkara.LAPORAN)
_case_steps(JenisPerkara.TEMUAN)


# --- Temuan -----------------------------------------------------------------------------------------


@router.post("/temuan", status_code=201, response_model=s.TemuanOut, tags=["temuan"], summary="Catat temuan")
async def create_temuan(body: s.TemuanIn, principal: CurrentPrincipal, request: Request) -> s.TemuanOut:
    temuan = await command_bus(request).handle(body.to_command(), principal)
    return s.TemuanOut.of(temuan)


@router.get("/temuan", tags=["temuan"], summary="Daftar temuan")
async def list_temuan(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    status_: Annotated[str | None, Query(alias="status", max_length=KODE)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[dict[str, Any]]:
    unit = unit or principal.unit
    principal.require_read(unit)
    async with request.app.state.service.sessions() as session:
        return await views.list_temuan(session, unit=unit, status=status_, limit=limit, offset=offset)


@router.get("/temuan/{temuan_id}", response_model=s.TemuanOut, tags=["temuan"], summary="Rincian temuan")
async def get_temuan(temuan_id: Id, principal: CurrentPrincipal, request: Request) -> s.TemuanOut:
    async with uow_factory(request)() as uow:
        temuan = await uow.temuan.get(temuan_id)
    if temuan is None or not principal.can_read(temuan.unit):
        raise NotFound(f"Temuan {temuan_id} tidak ditemukan.")
    return s.TemuanOut.of(temuan)
