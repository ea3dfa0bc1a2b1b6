"""Penanganan: the laporan and temuan queue by deadline, a case page offering only the steps
the law allows from its state (with the article of each), the reporter's identity only when
reporting gives it (each view audited there), evidence downloads."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from awasi_console import langkah as steps
from awasi_console.api import ApiError
from awasi_console.formatting import days_left, today_in
from awasi_console.labels import PEMILIHAN, TAHAPAN
from awasi_console.sessions import Session
from awasi_console.web import NotAllowed, Problems, api, form_of, path_id, redirect, render, signed_in, text, values_of

router = APIRouter(prefix="/penanganan")
SELESAI = {"selesai", "tidak_diregistrasi"}
PAGE = 25
JENIS = ("laporan", "temuan")
PUTUSAN = {
    "administrasi": "Pelanggaran administrasi",
    "kode_etik": "Pelanggaran kode etik (diteruskan ke DKPP)",
    "pidana": "Tindak pidana pemilu (diteruskan ke Sentra Gakkumdu)",
    "hukum_lainnya": "Pelanggaran hukum lainnya (diteruskan ke instansi berwenang)",
    "bukan_pelanggaran": "Bukan pelanggaran",
}
ALASAN_TIDAK_REGISTRASI = {
    "formil": "Tidak memenuhi syarat formil",
    "materiel": "Tidak memenuhi syarat materiel",
    "daluwarsa": "Melewati batas waktu penyampaian laporan sejak diketahui",
}


def _jenis(value: str) -> str:
    if value not in JENIS:
        raise NotAllowed("Jenis perkara tidak dikenal.")
    return value


def _id(value: str) -> str:
    return path_id(value, "perkara")


@router.get("")
async def antrean(request: Request, session: Annotated[Session, Depends(signed_in)], semua: bool = False) -> Response:
    client = api(request)
    laporan, temuan = await asyncio.gather(
        client.get(session, "reporting", "/laporan", unit=session.unit, limit=500),
        client.get(session, "reporting", "/temuan", unit=session.unit, limit=500),
    )
    rows = [{**r, "jenis": "laporan"} for r in laporan] + [{**r, "jenis": "temuan"} for r in temuan]
    if not semua:
        rows = [r for r in rows if r.get("status") not in SELESAI]
    rows.sort(key=lambda r: (r.get("tenggat") is None, str(r.get("tenggat") or ""), str(r.get("tanggal") or "")))
    shown = rows[:PAGE]
    details = await asyncio.gather(
        *(client.get(session, "reporting", f"/{r['jenis']}/{r['id']}") for r in shown), return_exceptions=True
    )
    for row, detail in zip(shown, details, strict=True):
        if isinstance(detail, dict):
            row.update(
                hari=detail.get("hari") or ("kalender" if detail.get("pemilihan") == "pilkada" else "kerja"),
                status_label=detail.get("status_label"),
                pemilihan=detail.get("pemilihan"),
            )
        elif not isinstance(detail, ApiError):
            raise detail
        row["sisa_hari"] = days_left(row.get("tenggat"), row.get("hari"), row["unit"])
    return render(
        request,
        "penanganan.html",
        {"judul": "Penanganan", "rows": shown, "lebih": len(rows) - len(shown), "semua": semua},
    )


async def _case(request: Request, session: Session, jenis: str, case_id: str) -> dict[str, Any]:
    perkara: dict[str, Any] = await api(request).get(session, "reporting", f"/{jenis}/{case_id}")
    return perkara


def _case_page(
    request: Request,
    jenis: str,
    perkara: dict[str, Any],
    *,
    open_step: str | None = None,
    problems: Problems | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
    audit: list[dict[str, Any]] | None = None,
) -> Response:
    pemilihan = perkara.get("pemilihan", "pemilu")
    allowed = steps.allowed(perkara, jenis)
    return render(
        request,
        "perkara.html",
        {
            "judul": f"{jenis.capitalize()} {perkara.get('nomor_register') or perkara.get('kode_pelacakan') or ''}",
            "jenis": jenis,
            "p": perkara,
            "langkah": [(s, s.pasal(pemilihan)) for s in allowed],
            "open_step": open_step,
            "problems": problems or Problems(),
            "values": values or {},
            "putusan_pilihan": PUTUSAN,
            "alasan_pilihan": ALASAN_TIDAK_REGISTRASI,
            "pemilihan_label": PEMILIHAN.get(pemilihan, pemilihan),
            "tahapan_label": TAHAPAN,
            "sisa_hari": days_left(perkara.get("tenggat"), perkara.get("hari"), perkara.get("unit", "")),
            "audit": audit,
        },
        status=status,
    )


@router.get("/{jenis}/{case_id}")
async def perkara(
    jenis: str, case_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]
) -> Response:
    jenis, case_id = _jenis(jenis), _id(case_id)
    audit: list[dict[str, Any]] | None = None
    if jenis == "laporan" and session.role in ("pimpinan", "admin"):
        try:  # who saw the reporter's identity, and why (pimpinan and admin only)
            audit = await api(request).get(session, "reporting", f"/laporan/{case_id}/audit")
        except ApiError:
            audit = None
    return _case_page(request, jenis, await _case(request, session, jenis, case_id), audit=audit)


@router.post("/{jenis}/{case_id}/langkah/{kunci}")
async def ambil_langkah(
    jenis: str, case_id: str, kunci: str, request: Request, session: Annotated[Session, Depends(signed_in)]
) -> Response:
    jenis, case_id = _jenis(jenis), _id(case_id)
    form = await form_of(request)
    step = steps.BY_KEY.get(kunci)
    if step is None or (step.hanya_laporan and jenis != "laporan"):
        raise NotAllowed("Langkah ini tidak dikenal untuk perkara ini.")
    body = step.body(form)
    try:
        await api(request).post(session, "reporting", f"/{jenis}/{case_id}/{step.kunci}", body)
    except ApiError as error:
        current = await _case(request, session, jenis, case_id)
        problems = Problems.of(error)
        if error.pasal is None and error.status == 409:
            problems.pasal = step.pasal(current.get("pemilihan", "pemilu"))
        return _case_page(
            request,
            jenis,
            current,
            open_step=step.kunci,
            problems=problems,
            values=values_of(form),
            status=error.status if 400 <= error.status < 500 else 502,
        )
    session.say(f"{step.label}: tersimpan.")
    return redirect(request, f"/penanganan/{jenis}/{case_id}")


@router.post("/laporan/{case_id}/identitas")
async def identitas(case_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """The reporter's identity, only if reporting gives it to this account (it audits each view)."""
    case_id = _id(case_id)
    form = await form_of(request)
    tujuan = text(form, "tujuan") or "penanganan laporan"
    try:
        found = await api(request).get(session, "reporting", f"/laporan/{case_id}/identitas", tujuan=tujuan[:200])
    except ApiError as error:
        current = await _case(request, session, "laporan", case_id)
        problems = Problems(error.detail, error.pasal)
        return _case_page(request, "laporan", current, open_step="identitas", problems=problems, status=error.status)
    return render(request, "identitas.html", {"judul": "Identitas pelapor", "i": found, "case_id": case_id})


@router.get("/laporan/{case_id}/bukti/{bukti_id}")
async def bukti(
    case_id: str, bukti_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]
) -> Response:
    case_id, bukti_id = _id(case_id), _id(bukti_id)
    answer = await api(request).request(session, "reporting", "GET", f"/laporan/{case_id}/bukti/{bukti_id}")
    kind = answer.headers.get("content-type", "application/octet-stream")
    inline = kind.split(";")[0] in ("image/png", "image/jpeg", "application/pdf")
    name = answer.headers.get("content-disposition", "").rpartition("''")[2] or quote("bukti")
    disposition = "inline" if inline and request.query_params.get("lihat") else "attachment"
    return Response(
        answer.content,
        media_type=kind,
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{name}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        },
    )


def _temuan_page(
    request: Request,
    session: Session,
    *,
    values: dict[str, Any] | None = None,
    problems: Problems | None = None,
    status: int = 200,
) -> Response:
    today = today_in(session.unit).isoformat()
    defaults = {"peristiwa.waktu_kejadian": today, "peristiwa.waktu_diketahui": today, "pemilihan": "pemilu"}
    return render(
        request,
        "temuan_baru.html",
        {
            "judul": "Catat temuan",
            "values": values or defaults,
            "problems": problems or Problems(),
            "pemilihan": PEMILIHAN,
            "tahapan": TAHAPAN,
        },
        status=status,
    )


@router.get("/temuan-baru")
async def temuan_baru(
    request: Request, session: Annotated[Session, Depends(signed_in)], form_a: str | None = None
) -> Response:
    """``?form_a=<id>``: the temuan comes from that Form A."""
    today = today_in(session.unit).isoformat()
    values = {"peristiwa.waktu_kejadian": today, "peristiwa.waktu_diketahui": today, "pemilihan": "pemilu"}
    if form_a:
        values["form_a_id"] = _id(form_a)
    return _temuan_page(request, session, values=values)


@router.post("/temuan-baru")
async def catat_temuan(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """A supervisor's own finding (temuan), from a Form A or not: its deadline runs from today."""
    form = await form_of(request)
    body = {
        "unit": session.unit,
        "pemilihan": text(form, "pemilihan") or "pemilu",
        "tahapan": text(form, "tahapan") or None,
        "peristiwa": {
            "apa": text(form, "peristiwa.apa"),
            "tempat": text(form, "peristiwa.tempat"),
            "waktu_kejadian": text(form, "peristiwa.waktu_kejadian") or None,
            "waktu_diketahui": text(form, "peristiwa.waktu_diketahui") or None,
        },
        "terlapor": text(form, "terlapor"),
        "uraian": text(form, "uraian"),
        "form_a_id": text(form, "form_a_id") or None,
    }
    try:
        made = await api(request).post(session, "reporting", "/temuan", body)
    except ApiError as error:
        return _temuan_page(
            request, session, values=values_of(form), problems=Problems.of(error), status=min(error.status, 502)
        )
    session.say("Temuan tercatat; tenggat penanganannya berjalan sejak hari ini.")
    return redirect(request, f"/penanganan/temuan/{made['id']}")
