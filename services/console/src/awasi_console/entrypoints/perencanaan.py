"""Perencanaan: the unit's kegiatan as a list and a month calendar; create, edit, schedule,
reschedule, cancel, record realisasi; import a plan document (upload, review what the importer
read with its notes, correct each new kegiatan, confirm)."""

from __future__ import annotations

import calendar
import datetime as dt
import secrets
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from awasi_console.api import ApiError
from awasi_console.formatting import BULAN, today_in
from awasi_console.labels import DIVISI, JENIS_KEGIATAN, KEGIATAN_STATUS, METODE, PRESISI, PROGRAM, TAHAPAN
from awasi_console.sessions import Session
from awasi_console.web import (
    NotAllowed,
    Problems,
    api,
    form_of,
    lines,
    number,
    optional,
    path_id,
    redirect,
    render,
    signed_in,
    text,
    values_of,
)

router = APIRouter(prefix="/perencanaan")
DOCUMENT_MAX = 10 * 1024 * 1024
IMPORT_KEPT_SECONDS = 30 * 60
CHOICES = {
    "divisi_pilihan": DIVISI,
    "jenis_pilihan": JENIS_KEGIATAN,
    "metode_pilihan": METODE,
    "presisi_pilihan": PRESISI,
    "program_pilihan": PROGRAM,
    "status_label": KEGIATAN_STATUS,
    "tahapan_pilihan": TAHAPAN,
}


def _id(value: str) -> str:
    return path_id(value, "kegiatan")


def _month(value: str | None, today: dt.date) -> dt.date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _weeks(first: dt.date, kegiatan: list[dict[str, Any]]) -> list[list[tuple[dt.date, list[dict[str, Any]]]]]:
    """The month's weeks (Monday first), each day with the kegiatan happening on it."""
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(first.year, first.month):
        days = []
        for day in week:
            iso = day.isoformat()
            on = [k for k in kegiatan if str(k["jadwal"]["mulai"]) <= iso <= str(k["jadwal"]["selesai"])]
            days.append((day, on))
        weeks.append(days)
    return weeks


@router.get("")
async def daftar(
    request: Request,
    session: Annotated[Session, Depends(signed_in)],
    bulan: str | None = None,
    tampilan: str = "daftar",
    divisi: str | None = None,
    status: str | None = None,
) -> Response:
    today = today_in(session.unit)
    first = _month(bulan, today)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    found: list[dict[str, Any]] = await api(request).get(
        session,
        "planning",
        "/kegiatan",
        unit=session.unit,
        dari=first.isoformat(),
        sampai=last.isoformat(),
        divisi=divisi if divisi in DIVISI else None,
        status=status if status in KEGIATAN_STATUS else None,
        limit=1000,
    )
    found.sort(key=lambda k: (str(k["jadwal"]["mulai"]), k["judul"]))
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = last + dt.timedelta(days=1)
    return render(
        request,
        "perencanaan.html",
        {
            "judul": "Perencanaan",
            "kegiatan": found,
            "bulan": first,
            "bulan_label": f"{BULAN[first.month - 1]} {first.year}",
            "sebelumnya": previous.strftime("%Y-%m"),
            "berikutnya": following.strftime("%Y-%m"),
            "tampilan": "kalender" if tampilan == "kalender" else "daftar",
            "minggu": _weeks(first, found),
            "hari_ini": today,
            "filter": {"divisi": divisi or "", "status": status or ""},
            **CHOICES,
        },
    )


def kegiatan_body(form: FormData, unit: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unit": unit,
        "divisi": text(form, "divisi"),
        "judul": text(form, "judul"),
        "jenis": text(form, "jenis") or "lainnya",
        "jadwal": {
            "mulai": text(form, "jadwal.mulai") or None,
            "selesai": text(form, "jadwal.selesai") or text(form, "jadwal.mulai") or None,
            "presisi": text(form, "jadwal.presisi") or "tanggal",
            "keterangan": optional(form, "jadwal.keterangan"),
        },
        "latar_belakang": optional(form, "latar_belakang"),
        "tujuan": lines(form, "tujuan"),
        "output": lines(form, "output"),
        "sasaran": lines(form, "sasaran"),
        "metode": optional(form, "metode"),
        "lokasi": optional(form, "lokasi"),
        "tahapan": optional(form, "tahapan"),
        "program": optional(form, "program"),
        "anggaran": number(form, "anggaran"),
        "target_peserta": {"jumlah": number(form, "target_peserta.jumlah")},
        "draft": text(form, "draft") == "1",
    }
    return body


EDITABLE = ("judul", "jenis", "divisi", "lokasi", "tahapan", "program", "anggaran", "target_peserta.jumlah")
JADWAL_FIELDS = ("jadwal.mulai", "jadwal.selesai", "jadwal.presisi", "jadwal.keterangan")


def patch_body(form: FormData, *, with_jadwal: bool, before: dict[str, Any] | None = None) -> dict[str, Any]:
    """The planning PATCH body from an edit form: every editable field it carries (an emptied
    optional field clears it); the schedule only for a draft (a scheduled one is rescheduled),
    and only when it was changed from ``before`` (the form's values as shown)."""
    if before is not None and all(text(form, name) == str(before.get(name) or "") for name in JADWAL_FIELDS):
        with_jadwal = False
    body: dict[str, Any] = {}
    for name in ("judul", "jenis", "divisi"):
        if name in form:
            body[name] = text(form, name) or None
    for name in ("lokasi", "tahapan", "program"):
        if name in form:
            body[name] = optional(form, name)
    if "anggaran" in form:
        body["anggaran"] = number(form, "anggaran")
    if "target_peserta.jumlah" in form:
        body["target_peserta"] = {"jumlah": number(form, "target_peserta.jumlah")}
    if with_jadwal and "jadwal.mulai" in form:
        body["jadwal"] = {
            "mulai": text(form, "jadwal.mulai") or None,
            "selesai": text(form, "jadwal.selesai") or text(form, "jadwal.mulai") or None,
            "presisi": text(form, "jadwal.presisi") or "tanggal",
            "keterangan": optional(form, "jadwal.keterangan"),
        }
    return body


def edit_values(k: dict[str, Any]) -> dict[str, Any]:
    """A kegiatan's editable fields as its edit form shows them."""
    jadwal = k.get("jadwal") or {}
    return {
        "judul": k.get("judul") or "",
        "jenis": k.get("jenis") or "",
        "divisi": k.get("divisi") or "",
        "lokasi": k.get("lokasi") or "",
        "tahapan": k.get("tahapan") or "",
        "program": k.get("program") or "",
        "anggaran": "" if k.get("anggaran") is None else str(k["anggaran"]),
        "target_peserta.jumlah": str((k.get("target_peserta") or {}).get("jumlah") or ""),
        "jadwal.mulai": str(jadwal.get("mulai") or ""),
        "jadwal.selesai": str(jadwal.get("selesai") or ""),
        "jadwal.presisi": jadwal.get("presisi") or "tanggal",
        "jadwal.keterangan": jadwal.get("keterangan") or "",
    }


def check_correction(body: dict[str, Any]) -> Problems:
    """An import correction, checked before it is kept (planning checks it again when it is
    applied): the rules of its PATCH a person most often breaks, beside their field."""
    fields: dict[str, str] = {}
    judul = body.get("judul")
    if judul is not None and not 3 <= len(judul) <= 300:
        fields["judul"] = "Judul 3 sampai 300 huruf."
    if "judul" in body and judul is None:
        fields["judul"] = "Judul wajib diisi."
    if body.get("jenis") not in JENIS_KEGIATAN:
        fields["jenis"] = "Pilih jenis kegiatan."
    if body.get("divisi") not in DIVISI:
        fields["divisi"] = "Pilih divisi."
    if body.get("program") is not None and body["program"] not in PROGRAM:
        fields["program"] = "Pilih program dari daftar."
    if body.get("lokasi") and len(body["lokasi"]) > 1000:
        fields["lokasi"] = "Lokasi paling panjang 1000 huruf."
    for name, value in (
        ("anggaran", body.get("anggaran")),
        ("target_peserta.jumlah", body.get("target_peserta", {}).get("jumlah")),
    ):
        if value is not None and (not isinstance(value, int) or value < 0):
            fields[name] = "Isi dengan bilangan bulat tidak negatif."
    jadwal = body.get("jadwal")
    if jadwal is not None:
        try:
            mulai = dt.date.fromisoformat(jadwal["mulai"] or "")
        except ValueError:
            fields["jadwal.mulai"] = "Isi tanggal mulai."
        else:
            try:
                selesai = dt.date.fromisoformat(jadwal["selesai"] or "")
            except ValueError:
                fields["jadwal.selesai"] = "Isi tanggal selesai."
            else:
                if selesai < mulai:
                    fields["jadwal.selesai"] = "Tanggal selesai tidak boleh sebelum tanggal mulai."
        if jadwal.get("presisi") not in PRESISI:
            fields["jadwal.presisi"] = "Pilih ketepatan jadwal."
    if not fields:
        return Problems()
    return Problems("Koreksi belum dapat disimpan; periksa isian yang ditandai.", fields=fields)


@router.get("/baru")
async def baru(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    today = today_in(session.unit).isoformat()
    values = {"jadwal.mulai": today, "jadwal.selesai": today, "jenis": "lainnya", "jadwal.presisi": "tanggal"}
    return render(request, "kegiatan_baru.html", {"judul": "Kegiatan baru", "values": values, **CHOICES})


@router.post("")
async def buat(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    form = await form_of(request)
    try:
        made = await api(request).post(session, "planning", "/kegiatan", kegiatan_body(form, session.unit))
    except ApiError as error:
        context = {"judul": "Kegiatan baru", "values": values_of(form), "problems": Problems.of(error), **CHOICES}
        return render(request, "kegiatan_baru.html", context, status=error.status if error.status < 500 else 502)
    session.say(f"Kegiatan “{made['judul']}” tersimpan ({KEGIATAN_STATUS.get(made['status'], made['status'])}).")
    return redirect(request, f"/perencanaan/{made['id']}")


def _detail(
    request: Request,
    k: dict[str, Any],
    *,
    open_step: str | None = None,
    problems: Problems | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "kegiatan.html",
        {
            "judul": k["judul"],
            "k": k,
            "open_step": open_step,
            "problems": problems or Problems(),
            "values": values or {},
            "ubah_values": values if open_step == "ubah" and values else edit_values(k),
            **CHOICES,
        },
        status=status,
    )


@router.get("/impor")
async def impor_form(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    return render(request, "impor.html", {"judul": "Impor rencana kegiatan", **CHOICES})


def _imports(request: Request) -> dict[str, dict[str, Any]]:
    kept: dict[str, dict[str, Any]] | None = getattr(request.app.state, "imports", None)
    if kept is None:
        kept = request.app.state.imports = {}
    now = time.time()
    for key in [key for key, item in kept.items() if item["until"] < now]:
        del kept[key]
    return kept


async def _send_import(
    request: Request,
    session: Session,
    name: str,
    data: bytes,
    kind: str,
    divisi: str | None,
    dry_run: bool,
    draft: bool = False,
) -> dict[str, Any]:
    fields = {"dry_run": "true" if dry_run else "false"}  # the unit: from the document's title
    if draft:
        fields["draft"] = "true"
    if divisi:
        fields["divisi"] = divisi
    response = await api(request).request(
        session, "planning", "POST", "/kegiatan/impor", data=fields, files={"berkas": (name, data, kind)}
    )
    answer: dict[str, Any] = response.json()
    return answer


@router.post("/impor")
async def impor_periksa(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """Step 1: the document read without saving anything (dry run); its kegiatan and notes shown."""
    form = await form_of(request)
    upload = form.get("berkas")
    divisi = optional(form, "divisi")
    problems = Problems()
    if not isinstance(upload, UploadFile) or not upload.filename:
        problems = Problems("Pilih berkas rencana kegiatan (.txt, .docx atau .pdf).", fields={"berkas": "wajib"})
    else:
        data = await upload.read(DOCUMENT_MAX + 1)
        if len(data) > DOCUMENT_MAX:
            problems = Problems("Berkas terlalu besar; paling besar 10 MB.", fields={"berkas": "terlalu besar"})
        else:
            name = upload.filename[:200]
            kind = upload.content_type or "application/octet-stream"
            try:
                plan = await _send_import(request, session, name, data, kind, divisi, dry_run=True)
            except ApiError as error:
                problems = Problems.of(error)
            else:
                token = secrets.token_urlsafe(16)
                kept = _imports(request)[token] = {
                    "owner": session.subject,
                    "name": name,
                    "data": data,
                    "kind": kind,
                    "divisi": divisi,
                    "plan": plan,
                    "koreksi": {},
                    "until": time.time() + IMPORT_KEPT_SECONDS,
                }
                return _review(request, token, kept)
    context = {"judul": "Impor rencana kegiatan", "values": values_of(form), "problems": problems, **CHOICES}
    return render(request, "impor.html", context, status=422)


def _review(
    request: Request,
    token: str,
    kept: dict[str, Any],
    *,
    open_row: int | None = None,
    problems: Problems | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    """The review page: every kegiatan read, each new one with its correction form (the
    corrections kept so far shown in place of what was read)."""
    plan = kept["plan"]
    rows = []
    for index, k in enumerate(plan.get("kegiatan", [])):
        correction = kept["koreksi"].get(index)
        shown = {**edit_values(k), **(correction or {}).get("values", {})}
        rows.append({"index": index, "k": k, "koreksi": correction is not None, "values": shown})
    return render(
        request,
        "impor_tinjau.html",
        {
            "judul": "Tinjau impor",
            "plan": plan,
            "token": token,
            "rows": rows,
            "open_row": open_row,
            "problems": problems or Problems(),
            "typed": values or {},
            **CHOICES,
        },
        status=status,
    )


def _kept_import(request: Request, session: Session, token: str) -> dict[str, Any] | None:
    kept = _imports(request).get(token)
    if kept is None or kept["owner"] != session.subject:
        return None
    return kept


@router.post("/impor/koreksi")
async def impor_koreksi(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """A correction of one kegiatan read from the document, kept until the import is confirmed
    (then applied to the kegiatan before it is scheduled)."""
    form = await form_of(request)
    token = text(form, "token")
    kept = _kept_import(request, session, token)
    if kept is None:
        session.say("Berkas impor sudah tidak tersimpan; unggah lagi.", "galat")
        return redirect(request, "/perencanaan/impor")
    rows = kept["plan"].get("kegiatan", [])
    try:
        index = int(text(form, "indeks"))
        row = rows[index]
    except (ValueError, IndexError):
        raise NotAllowed("Kegiatan yang dikoreksi tidak dikenal.") from None
    if row.get("baru") is False:
        raise NotAllowed("Kegiatan ini sudah ada; ubah dari halamannya.")
    # Imported as a draft first: its schedule is correctable.
    body = patch_body(form, with_jadwal=True, before=edit_values(row))
    problems = check_correction(body)
    typed = {name: text(form, name) for name in (*EDITABLE, *JADWAL_FIELDS)}
    if problems:
        return _review(request, token, kept, open_row=index, problems=problems, values=typed, status=422)
    kept["koreksi"][index] = {"body": body, "values": typed, "divisi": row.get("divisi"), "nomor": row.get("nomor")}
    session.say(f"Koreksi kegiatan {row.get('divisi')} {row.get('nomor')} disimpan; berlaku saat impor dikonfirmasi.")
    return _review(request, token, kept)


async def _apply_corrections(
    request: Request, session: Session, kept: dict[str, Any], done: dict[str, Any]
) -> list[str]:
    """After a draft import: each correction PATCHed onto its kegiatan (matched by division and
    number), then the kegiatan the review showed as scheduled are scheduled. What failed, named."""
    failed: list[str] = []
    read = kept["plan"].get("kegiatan", [])
    created = done.get("kegiatan", [])
    for index, before in enumerate(read):
        match = created[index] if index < len(created) else None
        if match is None or (match.get("divisi"), match.get("nomor")) != (before.get("divisi"), before.get("nomor")):
            continue
        if match.get("baru") is False:
            continue
        label = f"{before.get('divisi')} {before.get('nomor')}"
        correction = kept["koreksi"].get(index)
        try:
            if correction is not None:
                await api(request).request(
                    session, "planning", "PATCH", f"/kegiatan/{match['id']}", json=correction["body"]
                )
            if before.get("status") in ("scheduled", "rescheduled"):
                await api(request).post(session, "planning", f"/kegiatan/{match['id']}/jadwalkan")
        except ApiError as error:
            failed.append(f"{label}: {error.detail}")
    return failed


@router.post("/impor/konfirmasi")
async def impor_konfirmasi(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """Step 2: the same document imported for real (importing it again creates nothing new)."""
    form = await form_of(request)
    kept = _kept_import(request, session, text(form, "token"))
    if kept is None:
        session.say("Berkas impor sudah tidak tersimpan; unggah lagi.", "galat")
        return redirect(request, "/perencanaan/impor")
    corrected = bool(kept.get("koreksi"))
    try:
        # With corrections: imported as drafts (nothing published), corrected, then scheduled.
        plan = await _send_import(
            request,
            session,
            kept["name"],
            kept["data"],
            kept["kind"],
            kept["divisi"],
            dry_run=False,
            draft=corrected,
        )
    except ApiError as error:
        context = {"judul": "Impor rencana kegiatan", "problems": Problems.of(error), **CHOICES}
        return render(request, "impor.html", context, status=error.status if error.status < 500 else 502)
    _imports(request).pop(text(form, "token"), None)
    failed = await _apply_corrections(request, session, kept, plan) if corrected else []
    summary = plan.get("ringkasan", {})
    session.say(
        f"Impor selesai: {summary.get('baru', 0)} kegiatan baru, {summary.get('sudah_ada', 0)} sudah ada sebelumnya"
        + (f"; {len(kept['koreksi'])} dikoreksi." if corrected else ".")
    )
    if failed:
        session.say("Sebagian kegiatan tetap draf; perbaiki dari halamannya: " + "; ".join(failed[:5]), "galat")
    return redirect(request, "/perencanaan")


@router.get("/{kegiatan_id}")
async def detail(kegiatan_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    k = await api(request).get(session, "planning", f"/kegiatan/{_id(kegiatan_id)}")
    return _detail(request, k)


@router.post("/{kegiatan_id}/ubah")
async def ubah_rincian(kegiatan_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """The kegiatan's particulars corrected (planning's PATCH); a draft's schedule too."""
    kegiatan_id = _id(kegiatan_id)
    form = await form_of(request)
    k = await api(request).get(session, "planning", f"/kegiatan/{kegiatan_id}")
    try:
        await api(request).request(
            session,
            "planning",
            "PATCH",
            f"/kegiatan/{kegiatan_id}",
            json=patch_body(form, with_jadwal=k.get("status") == "draft", before=edit_values(k)),
        )
    except ApiError as error:
        return _detail(
            request,
            k,
            open_step="ubah",
            problems=Problems.of(error),
            values=values_of(form),
            status=error.status if error.status < 500 else 502,
        )
    session.say("Rincian kegiatan tersimpan.")
    return redirect(request, f"/perencanaan/{kegiatan_id}")


ACTIONS = {
    "jadwalkan": ("Kegiatan dijadwalkan.", lambda f: None),
    "jadwal-ulang": (
        "Kegiatan dijadwal ulang.",
        lambda f: {
            "jadwal": {
                "mulai": text(f, "jadwal.mulai") or None,
                "selesai": text(f, "jadwal.selesai") or text(f, "jadwal.mulai") or None,
                "presisi": text(f, "jadwal.presisi") or "tanggal",
                "keterangan": optional(f, "jadwal.keterangan"),
            }
        },
    ),
    "batalkan": ("Kegiatan dibatalkan.", lambda f: {"alasan": text(f, "alasan")}),
    "realisasi": (
        "Realisasi tercatat; kegiatan selesai.",
        lambda f: {
            "peserta_hadir": number(f, "peserta_hadir"),
            "anggaran_realisasi": number(f, "anggaran_realisasi"),
            "output_tercapai": lines(f, "output_tercapai"),
            "catatan": optional(f, "catatan"),
            "dokumentasi": lines(f, "dokumentasi"),
        },
    ),
}


@router.post("/{kegiatan_id}/{aksi}")
async def ubah(
    kegiatan_id: str, aksi: str, request: Request, session: Annotated[Session, Depends(signed_in)]
) -> Response:
    kegiatan_id = _id(kegiatan_id)
    form = await form_of(request)
    if aksi not in ACTIONS:
        raise NotAllowed("Tindakan ini tidak dikenal.")
    done, body_of = ACTIONS[aksi]
    try:
        await api(request).post(session, "planning", f"/kegiatan/{kegiatan_id}/{aksi}", body_of(form))
    except ApiError as error:
        k = await api(request).get(session, "planning", f"/kegiatan/{kegiatan_id}")
        return _detail(
            request,
            k,
            open_step=aksi,
            problems=Problems.of(error),
            values=values_of(form),
            status=error.status if error.status < 500 else 502,
        )
    session.say(done)
    return redirect(request, f"/perencanaan/{kegiatan_id}")
