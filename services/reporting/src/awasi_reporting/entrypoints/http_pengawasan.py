"""Reporting's HTTP API for supervision records: Form A (alone or collective), pencegahan,
penertiban APK and PSAP."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import AfterValidator, StringConstraints, WithJsonSchema

from awasi_common.auth import CurrentPrincipal, Principal
from awasi_common.errors import NotFound
from awasi_common.http import MAX_OFFSET
from awasi_common.limits import Id, KodeUnit
from awasi_reporting import views
from awasi_reporting.adapters import orm
from awasi_reporting.domain.idempotensi import HEADER, KEY_PATTERN, REPLAYED_HEADER, KunciTerpakai
from awasi_reporting.entrypoints import schemas_pengawasan as sp
from awasi_reporting.entrypoints.http import command_bus, periode_of

router = APIRouter(tags=["laporan"])  # the tag these routes had in http.py: the OpenAPI stays as it was


def _printable(value: str) -> str:
    if not re.fullmatch(KEY_PATTERN, value):
        raise ValueError("hanya boleh berisi karakter ASCII yang dapat dicetak (spasi sampai ~)")
    return value


KunciIdempotensi = Annotated[
    str,
    StringConstraints(min_length=1, max_length=128),
    AfterValidator(_printable),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 128, "pattern": KEY_PATTERN}),
]
"""1 to 128 printable ASCII characters, each refusal in words (not a regular expression)."""

IdempotencyKey = Annotated[
    KunciIdempotensi | None,
    Header(
        alias=HEADER,
        description=(
            "Kunci idempotensi pilihan klien (1–128 karakter ASCII yang dapat dicetak, misalnya UUID), "
            "per akun penanda tangan dan rute. Permintaan ulang dengan kunci dan isi yang sama dijawab "
            f"dengan Form A yang pertama (status 200, header `{REPLAYED_HEADER}: true`) tanpa nomor dan "
            "peristiwa baru; kunci yang sama dengan isi berbeda ditolak (422). Kunci disimpan 7 hari "
            "(`AWASI_REPORTING_IDEMPOTENCY_RETENTION_DAYS`)."
        ),
    ),
]
_REPLAYED = {
    "description": f"Jawaban ulang: kunci `{HEADER}` ini sudah menyampaikan isi yang sama "
    f"(header `{REPLAYED_HEADER}: true`); tidak ada Form A baru",
    "headers": {REPLAYED_HEADER: {"schema": {"type": "string", "enum": ["true"]}}},
}


async def _replayed_forms(request: Request, response: Response, used: KunciTerpakai) -> list[dict[str, Any]]:
    """The forms a key made before, answered again with 200 and ``Idempotent-Replayed``."""
    response.status_code = 200
    response.headers[REPLAYED_HEADER] = "true"
    async with request.app.state.service.sessions() as session:
        return await views.form_a_rows(session, used.form_a_ids)


@router.post(
    "/form-a",
    status_code=201,
    response_model=sp.FormAOut,
    tags=["pengawasan"],
    summary="Sampaikan Form A (Laporan Hasil Pengawasan)",
    responses={200: {**_REPLAYED, "model": sp.FormAOut}},
)
async def create_form_a(
    body: sp.FormAIn,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> sp.FormAOut:
    """One Form A, numbered and told (``HasilPengawasanDisampaikan``). With ``Idempotency-Key``
    (a draft sent again when the connection returns), it is made once however often it is sent."""
    result = await command_bus(request).handle(body.to_command(idempotency_key), principal)
    if isinstance(result, KunciTerpakai):
        (row,) = await _replayed_forms(request, response, result)
        return sp.FormAOut.model_validate(row)
    # Answered from the form as saved, not read back (a transaction and a query less per Form A).
    return sp.FormAOut.model_validate(result, from_attributes=True)


@router.post(
    "/form-a/kolektif",
    status_code=201,
    response_model=sp.FormAKolektifOut,
    tags=["pengawasan"],
    summary="Sampaikan beberapa Form A sekaligus (semua atau tidak sama sekali)",
    responses={200: {**_REPLAYED, "model": sp.FormAKolektifOut}},
)
async def create_form_a_kolektif(
    body: sp.FormAKolektifIn,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> sp.FormAKolektifOut:
    """Up to 200 Form A in one request, each for the account's own unit; a Panwaslu
    Kelurahan/Desa may also pass on the Form A of the TPS directly below it. Every form is
    checked first: one refusal (naming ``form_a.<n>``) keeps none. One event,
    ``HasilPengawasanKolektifDisampaikan`` keyed by ``penyampaian_id``, tells of them all.
    With ``Idempotency-Key``, a repeat of the same submission answers the first one."""
    result = await command_bus(request).handle(body.to_command(idempotency_key), principal)
    if isinstance(result, KunciTerpakai):
        rows = await _replayed_forms(request, response, result)
        return sp.FormAKolektifOut(
            penyampaian_id=result.penyampaian_id or "",
            jumlah=len(rows),
            form_a=[sp.FormADiterima(id=row["id"], nomor=row["nomor"], unit=row["unit"]) for row in rows],
        )
    penyampaian_id, forms = result
    return sp.FormAKolektifOut(
        penyampaian_id=penyampaian_id,
        jumlah=len(forms),
        form_a=[sp.FormADiterima(id=form.id, nomor=form.nomor, unit=form.unit) for form in forms],
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


@router.get("/form-a", response_model=list[sp.FormAOut], tags=["pengawasan"], summary="Daftar Form A")
async def list_form_a(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    dari: dt.date | None = None,
    sampai: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[sp.FormAOut]:
    rows = await _rows_of(request, principal, orm.form_a, unit, periode_of(dari, sampai, None), limit, offset)
    return [sp.FormAOut.model_validate(row) for row in rows]


@router.get("/form-a/{form_a_id}", response_model=sp.FormAOut, tags=["pengawasan"], summary="Rincian Form A")
async def get_form_a(form_a_id: Id, principal: CurrentPrincipal, request: Request) -> sp.FormAOut:
    async with request.app.state.service.sessions() as session:
        row = await views.get_row(session, orm.form_a, form_a_id)
    if row is None or not principal.can_read(row["unit"]):
        raise NotFound(f"Form A {form_a_id} tidak ditemukan.")
    return sp.FormAOut.model_validate(row)


@router.post(
    "/pencegahan",
    status_code=201,
    response_model=sp.PencegahanOut,
    tags=["pengawasan"],
    summary="Catat pencegahan (surat imbauan atau Form F)",
)
async def create_pencegahan(body: sp.PencegahanIn, principal: CurrentPrincipal, request: Request) -> sp.PencegahanOut:
    record = await command_bus(request).handle(body.to_command(), principal)
    return sp.PencegahanOut.model_validate(record, from_attributes=True)


@router.get("/pencegahan", response_model=list[sp.PencegahanOut], tags=["pengawasan"], summary="Daftar pencegahan")
async def list_pencegahan(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    dari: dt.date | None = None,
    sampai: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[sp.PencegahanOut]:
    rows = await _rows_of(request, principal, orm.pencegahan, unit, periode_of(dari, sampai, None), limit, offset)
    return [sp.PencegahanOut.model_validate(row) for row in rows]


@router.post(
    "/penertiban-apk",
    status_code=201,
    response_model=sp.PenertibanOut,
    tags=["pengawasan"],
    summary="Catat penertiban alat peraga kampanye",
)
async def create_penertiban(body: sp.PenertibanIn, principal: CurrentPrincipal, request: Request) -> sp.PenertibanOut:
    record = await command_bus(request).handle(body.to_command(), principal)
    return sp.PenertibanOut.model_validate(record, from_attributes=True)


@router.get(
    "/penertiban-apk", response_model=list[sp.PenertibanOut], tags=["pengawasan"], summary="Daftar penertiban APK"
)
async def list_penertiban(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[sp.PenertibanOut]:
    rows = await _rows_of(request, principal, orm.penertiban_apk, unit, None, limit, offset)
    return [sp.PenertibanOut.model_validate(row) for row in rows]


@router.post(
    "/psap",
    status_code=201,
    response_model=sp.PsapOut,
    tags=["pengawasan"],
    summary="Terima permohonan sengketa antarpeserta (PSAP)",
)
async def create_psap(body: sp.PsapIn, principal: CurrentPrincipal, request: Request) -> sp.PsapOut:
    case = await command_bus(request).handle(body.to_command(), principal)
    return sp.PsapOut.model_validate(case, from_attributes=True)


@router.post("/psap/{psap_id}/selesai", response_model=sp.PsapOut, tags=["pengawasan"], summary="Selesaikan PSAP")
async def finish_psap(psap_id: Id, body: sp.PsapSelesaiIn, principal: CurrentPrincipal, request: Request) -> sp.PsapOut:
    case = await command_bus(request).handle(body.to_command(psap_id), principal)
    return sp.PsapOut.model_validate(case, from_attributes=True)


@router.get("/psap", response_model=list[sp.PsapOut], tags=["pengawasan"], summary="Daftar PSAP")
async def list_psap(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[sp.PsapOut]:
    rows = await _rows_of(request, principal, orm.psap, unit, None, limit, offset, date_column="tanggal_permohonan")
    return [sp.PsapOut.model_validate(row) for row in rows]
