"""Akun (a unit's admin): the accounts of the unit and the units below it, a new account with its
one-time activation code, disabling, a new activation code, and ad hoc staff in bulk from a CSV
(all rows or none; identity names the row and reason of a refusal)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from awasi_console.api import ApiError
from awasi_console.labels import DIVISI
from awasi_console.sessions import Session
from awasi_console.web import (
    NotAllowed,
    Problems,
    api,
    form_of,
    optional,
    path_id,
    redirect,
    render,
    signed_in,
    text,
    values_of,
)

router = APIRouter(prefix="/akun")
CSV_MAX = 5 * 1024 * 1024
ROLES = {
    "admin": "Admin",
    "operator": "Operator",
    "penanganan": "Penanganan",
    "pengawas": "Pengawas (ad hoc: PKD, pengawas TPS)",
    "pimpinan": "Pimpinan",
    "viewer": "Pembaca",
}


def _admin(session: Session) -> None:
    if session.role != "admin":
        raise NotAllowed("Pengelolaan akun hanya untuk admin unit.")


def _id(value: str) -> str:
    return path_id(value, "akun")


async def _page(
    request: Request,
    session: Session,
    *,
    unit: str | None = None,
    values: dict[str, Any] | None = None,
    problems: Problems | None = None,
    made: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> Response:
    unit = unit or session.unit
    try:
        accounts = await api(request).get(session, "identity", "/akun", unit=unit, limit=200)
        list_error = None
    except ApiError as error:
        accounts, list_error = [], error.detail
    return render(
        request,
        "akun.html",
        {
            "judul": "Akun",
            "accounts": accounts,
            "list_error": list_error,
            "unit": unit,
            "values": values or {"unit": session.unit, "role": "pengawas"},
            "problems": problems or Problems(),
            "made": made or [],
            "roles": ROLES,
            "divisi_pilihan": DIVISI,
        },
        status=status,
    )


@router.get("")
async def akun(request: Request, session: Annotated[Session, Depends(signed_in)], unit: str | None = None) -> Response:
    _admin(session)
    return await _page(request, session, unit=(unit or "")[:20] or None)


@router.post("")
async def buat(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    _admin(session)
    form = await form_of(request)
    body = {
        "nama": text(form, "nama"),
        "email": text(form, "email").lower(),
        "unit": text(form, "unit") or session.unit,
        "role": text(form, "role"),
        "telepon": optional(form, "telepon"),
        "divisi": optional(form, "divisi"),
        "jabatan": optional(form, "jabatan"),
        "berlaku_sampai": optional(form, "berlaku_sampai"),
    }
    try:
        made = await api(request).post(session, "identity", "/akun", body)
    except ApiError as error:
        return await _page(
            request, session, values=values_of(form), problems=Problems.of(error), status=min(error.status, 502)
        )
    return await _page(request, session, made=[made])


@router.post("/impor")
async def impor(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    _admin(session)
    form = await form_of(request)
    upload = form.get("berkas")
    if not isinstance(upload, UploadFile) or not upload.filename:
        problems = Problems("Pilih berkas CSV staf ad hoc.", fields={"berkas": "wajib"})
        return await _page(request, session, problems=problems, status=422)
    data = await upload.read(CSV_MAX + 1)
    if len(data) > CSV_MAX:
        return await _page(request, session, problems=Problems("Berkas lebih besar dari 5 MB."), status=413)
    try:
        response = await api(request).request(
            session, "identity", "POST", "/akun/impor", files={"berkas": (upload.filename[:200], data, "text/csv")}
        )
    except ApiError as error:
        return await _page(request, session, problems=Problems.of(error), status=min(error.status, 502))
    return await _page(request, session, made=response.json())


@router.post("/{akun_id}/nonaktifkan")
async def nonaktifkan(akun_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    _admin(session)
    await form_of(request)
    done = await api(request).post(session, "identity", f"/akun/{_id(akun_id)}/nonaktifkan")
    session.say(f"Akun {done.get('email')} dinonaktifkan; tokennya berhenti berlaku dalam semenit.")
    return redirect(request, "/akun")


@router.post("/{akun_id}/kode-aktivasi")
async def kode_baru(akun_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    _admin(session)
    await form_of(request)
    made = await api(request).post(session, "identity", f"/akun/{_id(akun_id)}/kode-aktivasi")
    return await _page(request, session, made=[made])
