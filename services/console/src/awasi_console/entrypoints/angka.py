"""Angka: the unit's published figures (reporting), the realisation of its plan (planning), the
participatory programs' obligations (participation), and the annual report as PDF or CSV."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from awasi_console.entrypoints.common import sections
from awasi_console.formatting import today_in
from awasi_console.labels import DIVISI
from awasi_console.sessions import Session
from awasi_console.web import NotAllowed, api, render, signed_in

router = APIRouter(prefix="/angka")
LABEL = {
    "pencegahan": "Pencegahan",
    "form_a": "Form A (hasil pengawasan)",
    "penertiban_apk": "Penertiban APK",
    "psap": "PSAP",
    "temuan": "Temuan",
    "laporan": "Laporan",
}


def _flat(prefix: str, value: Any, out: list[tuple[str, Any]]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flat(f"{prefix} · {key.replace('_', ' ')}" if prefix else key.replace("_", " "), inner, out)
    elif isinstance(value, int | float):
        out.append((prefix, value))


@router.get("")
async def angka(
    request: Request, session: Annotated[Session, Depends(signed_in)], tahun: int | None = None
) -> Response:
    year = tahun if tahun and 2000 <= tahun <= 2100 else today_in(session.unit).year
    client = api(request)
    found = await sections(
        statistik=client.get(session, "reporting", "/statistik", unit=session.unit, tahun=year),
        ringkasan=client.get(
            session,
            "planning",
            "/kegiatan/ringkasan",
            unit=session.unit,
            periode="tahun",
            dari=dt.date(year, 1, 1).isoformat(),
            sampai=dt.date(year, 12, 31).isoformat(),
        ),
    )
    groups: list[tuple[str, list[tuple[str, Any]]]] = []
    for key, value in (found["statistik"].data or {}).items():
        if isinstance(value, dict):
            rows: list[tuple[str, Any]] = []
            _flat("", value, rows)
            groups.append((LABEL.get(key, key.replace("_", " ").capitalize()), rows))
    return render(
        request,
        "angka.html",
        {"judul": "Angka", "tahun": year, "found": found, "groups": groups, "divisi_pilihan": DIVISI},
    )


@router.get("/laporan-tahunan")
async def laporan_tahunan(
    request: Request,
    session: Annotated[Session, Depends(signed_in)],
    tahun: int,
    divisi: str,
    format: str = "pdf",
) -> Response:
    if divisi not in DIVISI or format not in ("pdf", "csv") or not 2000 <= tahun <= 2100:
        raise NotAllowed("Pilih tahun, divisi dan format (PDF atau CSV) yang sah.")
    answer = await api(request).request(
        session,
        "reporting",
        "GET",
        "/laporan-tahunan",
        params={"tahun": tahun, "divisi": divisi, "unit": session.unit, "format": format},
    )
    return Response(
        answer.content,
        media_type=answer.headers.get("content-type", "application/octet-stream"),
        headers={"Content-Disposition": answer.headers.get("content-disposition", "attachment")},
    )
