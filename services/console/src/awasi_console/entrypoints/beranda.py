"""Beranda: the unit's day and week, the laporan whose deadlines fall soonest, obligations due or
missed, and the inbox (refreshed by htmx polling: notification offers no event stream)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from awasi_console.api import Api, ApiError
from awasi_console.entrypoints.common import sections
from awasi_console.formatting import days_left, today_in
from awasi_console.sessions import Session
from awasi_console.web import api, form_of, redirect, render, signed_in

router = APIRouter()
SOONEST = 6


async def soonest_cases(client: Api, session: Session) -> list[dict[str, Any]]:
    """Open laporan and temuan with a deadline, soonest first, each with its regime's days left
    (the list has no regime: the soonest few are read in full)."""
    laporan, temuan = await asyncio.gather(
        client.get(session, "reporting", "/laporan", unit=session.unit, limit=200),
        client.get(session, "reporting", "/temuan", unit=session.unit, limit=200),
    )
    rows = [{**r, "jenis": "laporan"} for r in laporan if r.get("tenggat")]
    rows += [{**r, "jenis": "temuan"} for r in temuan if r.get("tenggat")]
    rows.sort(key=lambda r: str(r["tenggat"]))
    top = rows[:SOONEST]
    details = await asyncio.gather(
        *(client.get(session, "reporting", f"/{r['jenis']}/{r['id']}") for r in top), return_exceptions=True
    )
    for row, detail in zip(top, details, strict=True):
        if isinstance(detail, dict):
            row["hari"] = detail.get("hari") or ("kerja" if detail.get("pemilihan") == "pemilu" else "kalender")
            row["status_label"] = detail.get("status_label", row.get("status"))
            row["pemilihan"] = detail.get("pemilihan")
        elif isinstance(detail, ApiError):
            row["hari"] = None
        else:
            raise detail
        row["sisa_hari"] = days_left(row["tenggat"], row.get("hari"), row["unit"])
    return top


async def inbox(client: Api, session: Session) -> list[dict[str, Any]]:
    unit_messages, personal = await asyncio.gather(
        client.get(session, "notification", "/kotak-masuk", unit=session.unit, limit=20),
        client.get(session, "notification", "/kotak-masuk/pribadi", limit=20),
    )
    messages = [{**m, "pribadi": False} for m in unit_messages] + [{**m, "pribadi": True} for m in personal]
    messages.sort(key=lambda m: str(m["dibuat_pada"]), reverse=True)
    return messages[:20]


@router.get("/")
async def beranda(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    client = api(request)
    today = today_in(session.unit)
    week_end = today + dt.timedelta(days=6)
    found = await sections(
        kegiatan=client.get(
            session, "planning", "/kegiatan", unit=session.unit, dari=today.isoformat(), sampai=week_end.isoformat()
        ),
        perkara=soonest_cases(client, session),
        kewajiban=client.get(session, "participation", "/kewajiban", unit=session.unit),
        kotak=inbox(client, session),
    )
    kegiatan = found["kegiatan"].data or []
    kegiatan = [k for k in kegiatan if k.get("status") != "cancelled"]
    kegiatan.sort(key=lambda k: str(k["jadwal"]["mulai"]))
    hari_ini = [k for k in kegiatan if str(k["jadwal"]["mulai"]) <= today.isoformat() <= str(k["jadwal"]["selesai"])]
    kewajiban = [k for k in (found["kewajiban"].data or []) if k.get("status") != "terpenuhi"]
    kewajiban.sort(key=lambda k: (k.get("status") != "terlewat", str(k.get("batas_waktu"))))
    return render(
        request,
        "beranda.html",
        {
            "judul": "Beranda",
            "found": found,
            "today": today,
            "hari_ini": hari_ini,
            "minggu_ini": kegiatan,
            "kewajiban": kewajiban[:10],
        },
    )


@router.get("/kotak-masuk")
async def kotak_masuk(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """The inbox alone: the fragment Beranda's htmx asks for every few seconds, or a page."""
    found = await sections(kotak=inbox(api(request), session))
    name = "_kotak.html" if request.headers.get("hx-request") else "kotak.html"
    return render(request, name, {"judul": "Kotak masuk", "found": found})


@router.post("/kotak-masuk/{message_id}/dibaca")
async def dibaca(message_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    await form_of(request)
    await api(request).request(session, "notification", "POST", f"/kotak-masuk/{message_id[:64]}/dibaca")
    if request.headers.get("hx-request"):
        found = await sections(kotak=inbox(api(request), session))
        return render(request, "_kotak.html", {"found": found})
    return redirect(request, "/")
