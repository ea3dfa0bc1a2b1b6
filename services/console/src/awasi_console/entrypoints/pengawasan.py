"""Pengawasan: Form A (Laporan Hasil Pengawasan) from a phone. The form carries an idempotency
key made when it was shown; a draft kept in the browser while offline is sent with the same key
when the connection returns. The console passes the key on to reporting as ``Idempotency-Key``:
reporting keeps it with the Form A (per account, in the same transaction), so a key sent before
gets the first Form A again instead of a second one, whichever console process sends it and
across restarts."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import FormData

from awasi_console.api import ApiError
from awasi_console.formatting import today_in
from awasi_console.labels import BENTUK_PENGAWASAN, PEMILIHAN, TAHAPAN
from awasi_console.sessions import Session
from awasi_console.web import Problems, api, form_of, optional, redirect, render, signed_in, text, values_of

router = APIRouter(prefix="/pengawasan")


def _key(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def form_a_body(form: FormData, unit: str) -> dict[str, Any]:
    """Form A as reporting's API takes it, from the form's fields (named as the API's)."""
    body: dict[str, Any] = {
        "unit": unit,
        "pemilihan": text(form, "pemilihan") or "pemilu",
        "data_pengawas": {
            "tahapan": text(form, "data_pengawas.tahapan"),
            "nama_pelaksana": text(form, "data_pengawas.nama_pelaksana"),
            "jabatan": text(form, "data_pengawas.jabatan"),
            "nomor_surat_tugas": text(form, "data_pengawas.nomor_surat_tugas"),
            "alamat": text(form, "data_pengawas.alamat"),
        },
        "kegiatan": {
            "bentuk": [v for v in form.getlist("kegiatan.bentuk") if isinstance(v, str)][:10],
            "tujuan": text(form, "kegiatan.tujuan"),
            "sasaran": text(form, "kegiatan.sasaran"),
            "tanggal": text(form, "kegiatan.tanggal"),
            "tempat": text(form, "kegiatan.tempat"),
            "waktu": optional(form, "kegiatan.waktu"),
        },
        "uraian_singkat": text(form, "uraian_singkat"),
        "dugaan_pelanggaran": [],
        "dugaan_sengketa": [],
    }
    prefix = "dugaan_pelanggaran.0."
    pelanggaran = ("peristiwa", "tempat_kejadian", "waktu_kejadian", "pelaku", "alat_bukti", "uraian", "pasal", "saksi")
    if any(text(form, prefix + name) for name in pelanggaran):
        body["dugaan_pelanggaran"] = [
            {
                name: (optional(form, prefix + name) if name in ("pasal", "saksi") else text(form, prefix + name))
                for name in pelanggaran
            }
        ]
    prefix = "dugaan_sengketa.0."
    if any(text(form, prefix + name) for name in ("pihak", "objek", "uraian")):
        body["dugaan_sengketa"] = [{name: text(form, prefix + name) for name in ("pihak", "objek", "uraian")}]
    return body


def _page(
    request: Request,
    session: Session,
    forms: list[dict[str, Any]],
    *,
    values: dict[str, Any] | None = None,
    problems: Problems | None = None,
    status: int = 200,
    list_error: str | None = None,
) -> Response:
    values = values or {}
    values.setdefault("kunci", str(uuid.uuid4()))
    values.setdefault("kegiatan.tanggal", today_in(session.unit).isoformat())
    return render(
        request,
        "pengawasan.html",
        {
            "judul": "Pengawasan · Form A",
            "values": values,
            "problems": problems or Problems(),
            "forms": forms,
            "list_error": list_error,
            "tahapan": TAHAPAN,
            "bentuk": BENTUK_PENGAWASAN,
            "pemilihan": PEMILIHAN,
        },
        status=status,
    )


async def _recent(request: Request, session: Session) -> tuple[list[dict[str, Any]], str | None]:
    try:
        forms = await api(request).get(session, "reporting", "/form-a", unit=session.unit, limit=20)
    except ApiError as error:
        return [], error.detail
    forms.sort(key=lambda f: str(f.get("disampaikan_pada")), reverse=True)
    return forms, None


@router.get("")
async def pengawasan(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    forms, error = await _recent(request, session)
    return _page(request, session, forms, list_error=error)


@router.post("/form-a")
async def kirim_form_a(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    form = await form_of(request)
    from_draft = request.headers.get("x-awasi-draf") == "1"
    key = _key(text(form, "kunci"))
    if key is None:
        problems = Problems("Formulir tidak membawa kunci pengiriman; muat ulang halaman.")
        if from_draft:
            return JSONResponse({"status": "ditolak", "detail": problems.detail, "fields": {}}, status_code=422)
        forms, error = await _recent(request, session)
        return _page(request, session, forms, values=values_of(form), problems=problems, status=422, list_error=error)
    try:
        response = await api(request).request(
            session,
            "reporting",
            "POST",
            "/form-a",
            json=form_a_body(form, session.unit),
            headers={"Idempotency-Key": key},
        )
    except ApiError as error:
        if from_draft:
            body = {"status": "ditolak", "detail": error.detail, "pasal": error.pasal, "fields": error.fields}
            return JSONResponse(body, status_code=error.status if error.status < 500 else 503)
        forms, list_error = await _recent(request, session)
        return _page(
            request,
            session,
            forms,
            values=values_of(form),
            problems=Problems.of(error),
            status=error.status if 400 <= error.status < 500 else 502,
            list_error=list_error,
        )
    answer: dict[str, Any] = response.json()
    again = response.headers.get("Idempotent-Replayed") == "true"
    note = " (sudah terkirim sebelumnya; tidak dikirim dua kali)" if again else ""
    session.say(f"Form A terkirim dengan nomor {answer.get('nomor')}{note}.")
    if from_draft:
        return JSONResponse(
            {"status": "terkirim", "nomor": answer.get("nomor"), "id": answer.get("id"), "ulang": again}
        )
    return redirect(request, "/pengawasan")


BENTUK_PENCEGAHAN = {"imbauan": "Surat imbauan", "form_f": "Form F (tindakan pencegahan)"}


async def _pencegahan_page(
    request: Request,
    session: Session,
    *,
    values: dict[str, Any] | None = None,
    problems: Problems | None = None,
    status: int = 200,
) -> Response:
    try:
        rows = await api(request).get(session, "reporting", "/pencegahan", unit=session.unit, limit=50)
        list_error = None
    except ApiError as error:
        rows, list_error = [], error.detail
    rows.sort(key=lambda r: str(r.get("tanggal")), reverse=True)
    return render(
        request,
        "pencegahan.html",
        {
            "judul": "Pencegahan",
            "rows": rows,
            "list_error": list_error,
            "values": values or {"tanggal": today_in(session.unit).isoformat(), "bentuk": "imbauan"},
            "problems": problems or Problems(),
            "bentuk": BENTUK_PENCEGAHAN,
            "tahapan": TAHAPAN,
        },
        status=status,
    )


@router.get("/pencegahan")
async def pencegahan(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    return await _pencegahan_page(request, session)


@router.post("/pencegahan")
async def catat_pencegahan(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    form = await form_of(request)
    body = {
        "unit": session.unit,
        "bentuk": text(form, "bentuk"),
        "tanggal": text(form, "tanggal") or None,
        "tahapan": optional(form, "tahapan"),
        "perihal": text(form, "perihal"),
        "ditujukan_kepada": optional(form, "ditujukan_kepada"),
        "nomor": optional(form, "nomor"),
        "uraian": optional(form, "uraian"),
    }
    try:
        await api(request).post(session, "reporting", "/pencegahan", body)
    except ApiError as error:
        return await _pencegahan_page(
            request, session, values=values_of(form), problems=Problems.of(error), status=min(error.status, 502)
        )
    session.say("Pencegahan tercatat.")
    return redirect(request, "/pengawasan/pencegahan")
