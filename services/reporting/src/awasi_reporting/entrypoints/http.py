"""Reporting's HTTP API (JSON). The public web pages are in ``web.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any
from urllib.parse import quote

import sqlalchemy as sa
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
from awasi_common.units import unit_name
from awasi_common.vocabulary import Divisi
from awasi_reporting import commands as c
from awasi_reporting import views
from awasi_reporting.adapters import laporan_tahunan as report
from awasi_reporting.adapters import orm
from awasi_reporting.commands import LampirkanBukti, LaporanTahunan, LihatIdentitas, PeriksaTenggat, UnduhBukti
from awasi_reporting.domain import bukti as bukti_rules
from awasi_reporting.domain.laporan import Laporan
from awasi_reporting.domain.vocabulary import JenisPerkara, Kanal, Tahapan, local_date
from awasi_reporting.entrypoints import schemas as s
from awasi_reporting.service_layer import laporan_tahunan
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


def _uow(request: Request) -> UowFactory:
    factory: UowFactory = request.app.state.uow_factory
    return factory


def command_bus(request: Request) -> CommandBus[ReportingUnitOfWork]:
    bus: CommandBus[ReportingUnitOfWork] = request.app.state.bus
    return bus


EVIDENCE_BODY = "bukti"
"""The body limit of a form that carries evidence files."""
ATTEMPTS = "percobaan"
"""The rate-limit scope of every request to a public form, counted at the edge."""


def _limits(request: Request) -> bukti_rules.BatasBukti:
    limits: bukti_rules.BatasBukti = request.app.state.bukti_limits
    return limits


def _limiter(request: Request) -> ClientRateLimiter:
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
        retry = await _limiter(request).check("intake", request)
        if retry is not None:
            return _too_many(retry)
    laporan, secret = await command_bus(request).handle(body.to_command(), principal)
    if principal is None:
        await _limiter(request).hit("intake", request)
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
    retry = await _limiter(request).hit("status", request)
    if retry is not None:
        return _too_many(retry)
    async with _uow(request)() as uow:
        laporan = await laporan_for_reporter(uow, body.kode_pelacakan, body.kode_rahasia)
    return s.StatusPublik.of(laporan)


# --- Staff: laporan ----------------------------------------------------------------------------------


def _periode(dari: dt.date | None, sampai: dt.date | None, tahun: int | None) -> views.Periode | None:
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
            session, unit=unit, status=status_, periode=_periode(dari, sampai, None), limit=limit, offset=offset
        )


@router.get("/laporan/{laporan_id}", response_model=s.LaporanOut, summary="Rincian laporan (tanpa identitas pelapor)")
async def get_laporan(laporan_id: Id, principal: CurrentPrincipal, request: Request) -> s.LaporanOut:
    async with _uow(request)() as uow:
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
    async with _uow(request)() as uow:
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
    limits = _limits(request)
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
    async with _uow(request)() as uow:
        temuan = await uow.temuan.get(temuan_id)
    if temuan is None or not principal.can_read(temuan.unit):
        raise NotFound(f"Temuan {temuan_id} tidak ditemukan.")
    return s.TemuanOut.of(temuan)


# --- Form A, pencegahan, APK, PSAP --------------------------------------------------------------------


def _form_a_out(row: dict[str, Any]) -> s.FormAOut:
    return s.FormAOut(
        id=row["id"],
        nomor=row["nomor"],
        unit=row["unit"],
        pemilihan=row["pemilihan"],
        data_pengawas=row["data_pengawas"],
        kegiatan=row["kegiatan"],
        uraian_singkat=row["uraian_singkat"],
        dugaan_pelanggaran=row["dugaan_pelanggaran"],
        dugaan_sengketa=row["dugaan_sengketa"],
        disampaikan_pada=row["disampaikan_pada"],
    )


@router.post(
    "/form-a",
    status_code=201,
    response_model=s.FormAOut,
    tags=["pengawasan"],
    summary="Sampaikan Form A (Laporan Hasil Pengawasan)",
)
async def create_form_a(body: s.FormAIn, principal: CurrentPrincipal, request: Request) -> s.FormAOut:
    form = await command_bus(request).handle(body.to_command(), principal)
    async with request.app.state.service.sessions() as session:
        row = await views.get_row(session, orm.form_a, form.id)
    assert row is not None
    return _form_a_out(row)


@router.post(
    "/form-a/kolektif",
    status_code=201,
    response_model=s.FormAKolektifOut,
    tags=["pengawasan"],
    summary="Sampaikan beberapa Form A sekaligus (semua atau tidak sama sekali)",
)
async def create_form_a_kolektif(
    body: s.FormAKolektifIn, principal: CurrentPrincipal, request: Request
) -> s.FormAKolektifOut:
    """Up to 200 Form A in one request, each for the account's own unit; a Panwaslu
    Kelurahan/Desa may also pass on the Form A of the TPS directly below it. Every form is
    checked first: one refusal (naming ``form_a.<n>``) keeps none. One event,
    ``HasilPengawasanKolektifDisampaikan`` keyed by ``penyampaian_id``, tells of them all."""
    penyampaian_id, forms = await command_bus(request).handle(body.to_command(), principal)
    return s.FormAKolektifOut(
        penyampaian_id=penyampaian_id,
        jumlah=len(forms),
        form_a=[s.FormADiterima(id=form.id, nomor=form.nomor, unit=form.unit) for form in forms],
    )


async def _rows_of(
    request: Request,
    principal: Principal,
    table: sa.Table,
    unit: str | None,
    periode: Any,
    limit: int,
    offset: int,
    date_column: str = "tanggal",
) -> list[Any]:
    """Rows of one of the unit's record tables (and its descendants'), after the read check."""
    unit = unit or principal.unit
    principal.require_read(unit)
    async with request.app.state.service.sessions() as session:
        return list(
            await views.list_rows(
                session, table, unit=unit, date_column=date_column, periode=periode, limit=limit, offset=offset
            )
        )


@router.get("/form-a", response_model=list[s.FormAOut], tags=["pengawasan"], summary="Daftar Form A")
async def list_form_a(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    dari: dt.date | None = None,
    sampai: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[s.FormAOut]:
    rows = await _rows_of(request, principal, orm.form_a, unit, _periode(dari, sampai, None), limit, offset)
    return [_form_a_out(row) for row in rows]


@router.get("/form-a/{form_a_id}", response_model=s.FormAOut, tags=["pengawasan"], summary="Rincian Form A")
async def get_form_a(form_a_id: Id, principal: CurrentPrincipal, request: Request) -> s.FormAOut:
    async with request.app.state.service.sessions() as session:
        row = await views.get_row(session, orm.form_a, form_a_id)
    if row is None or not principal.can_read(row["unit"]):
        raise NotFound(f"Form A {form_a_id} tidak ditemukan.")
    return _form_a_out(row)


@router.post(
    "/pencegahan",
    status_code=201,
    response_model=s.PencegahanOut,
    tags=["pengawasan"],
    summary="Catat pencegahan (surat imbauan atau Form F)",
)
async def create_pencegahan(body: s.PencegahanIn, principal: CurrentPrincipal, request: Request) -> s.PencegahanOut:
    record = await command_bus(request).handle(body.to_command(), principal)
    return s.PencegahanOut.model_validate(record, from_attributes=True)


@router.get("/pencegahan", response_model=list[s.PencegahanOut], tags=["pengawasan"], summary="Daftar pencegahan")
async def list_pencegahan(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    dari: dt.date | None = None,
    sampai: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[s.PencegahanOut]:
    rows = await _rows_of(request, principal, orm.pencegahan, unit, _periode(dari, sampai, None), limit, offset)
    return [s.PencegahanOut.model_validate(row) for row in rows]


@router.post(
    "/penertiban-apk",
    status_code=201,
    response_model=s.PenertibanOut,
    tags=["pengawasan"],
    summary="Catat penertiban alat peraga kampanye",
)
async def create_penertiban(body: s.PenertibanIn, principal: CurrentPrincipal, request: Request) -> s.PenertibanOut:
    record = await command_bus(request).handle(body.to_command(), principal)
    return s.PenertibanOut.model_validate(record, from_attributes=True)


@router.get(
    "/penertiban-apk", response_model=list[s.PenertibanOut], tags=["pengawasan"], summary="Daftar penertiban APK"
)
async def list_penertiban(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[s.PenertibanOut]:
    rows = await _rows_of(request, principal, orm.penertiban_apk, unit, None, limit, offset)
    return [s.PenertibanOut.model_validate(row) for row in rows]


@router.post(
    "/psap",
    status_code=201,
    response_model=s.PsapOut,
    tags=["pengawasan"],
    summary="Terima permohonan sengketa antarpeserta (PSAP)",
)
async def create_psap(body: s.PsapIn, principal: CurrentPrincipal, request: Request) -> s.PsapOut:
    case = await command_bus(request).handle(body.to_command(), principal)
    return s.PsapOut.model_validate(case, from_attributes=True)


@router.post("/psap/{psap_id}/selesai", response_model=s.PsapOut, tags=["pengawasan"], summary="Selesaikan PSAP")
async def finish_psap(psap_id: Id, body: s.PsapSelesaiIn, principal: CurrentPrincipal, request: Request) -> s.PsapOut:
    case = await command_bus(request).handle(body.to_command(psap_id), principal)
    return s.PsapOut.model_validate(case, from_attributes=True)


@router.get("/psap", response_model=list[s.PsapOut], tags=["pengawasan"], summary="Daftar PSAP")
async def list_psap(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[s.PsapOut]:
    rows = await _rows_of(request, principal, orm.psap, unit, None, limit, offset, date_column="tanggal_permohonan")
    return [s.PsapOut.model_validate(row) for row in rows]


# --- Figures and the annual report ---------------------------------------------------------------------


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
    periode = _periode(dari, sampai, tahun) or views.Periode.tahun(local_date(dt.datetime.now(dt.UTC), unit).year)
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
    pdf, issued = await laporan_tahunan.unduh_pdf(wanted, _uow(request))
    headers = {"Content-Disposition": f'attachment; filename="{name}{"" if issued else "-draf"}.pdf"'}
    if issued is not None and issued.pengesahan.nomor:
        headers["X-Nomor-Dokumen"] = issued.pengesahan.nomor
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.post(
    "/laporan-tahunan/terbit",
    response_model=s.LaporanTahunanTerbitOut,
    tags=["statistik"],
    summary="Terbitkan laporan tahunan divisi: bernomor sekali, disimpan sebagaimana diterbitkan",
    responses={
        200: {"description": "Sudah diterbitkan sebelumnya: dokumen yang sama"},
        201: {"description": "Diterbitkan sekarang"},
        409: {"description": "Sudah diterbitkan dengan penanda tangan lain"},
    },
)
async def issue_annual_report(body: s.LaporanTahunanIn, principal: CurrentPrincipal, request: Request) -> JSONResponse:
    record, created = await command_bus(request).handle(body.to_command(body.unit or principal.unit), principal)
    return JSONResponse(
        s.LaporanTahunanTerbitOut.of(record).model_dump(mode="json"),
        status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


@router.post("/tenggat/periksa", tags=["operasional"], summary="Periksa tenggat sekarang (admin)")
async def check_deadlines_now(principal: CurrentPrincipal, request: Request) -> dict[str, int]:
    return {"peringatan": await command_bus(request).handle(PeriksaTenggat(), principal)}
