"""Beranda: the unit's day and week, the laporan whose deadlines fall soonest, obligations due or
missed, and the inbox, refreshed as new messages arrive: ``GET /beranda/aliran`` relays
notification's inbox stream (server-sent events) for the session, its token kept here; the page
polls only where the browser has no EventSource."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response, StreamingResponse

from awasi_console.api import REFRESH_MARGIN, Api, ApiError, SignedOut
from awasi_console.entrypoints.common import sections
from awasi_console.formatting import days_left, today_in
from awasi_console.sessions import COOKIE, Session
from awasi_console.web import api, form_of, redirect, render, signed_in, store

router = APIRouter()
SOONEST = 6
CHECK_SECONDS = 5.0
"""How often a relayed stream checks that its session lives and its browser is still there."""


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


@router.get("/beranda/aliran")
async def aliran(request: Request) -> Response:
    """Notification's inbox stream for the session, relayed as it comes (same origin, cookie
    session: the token never reaches the browser). Opening it is not use: an open tab left alone
    still ends its session when idle, and the stream ends with the session, when the browser
    leaves, and when the access token is about to expire (the browser reconnects with
    Last-Event-ID, and the reconnect refreshes the token)."""
    session_id = request.cookies.get(COOKIE)
    session = store(request).get(session_id, touch=False)
    request.state.session = session  # nothing later touches it either
    if session is None or not session.signed_in:
        return PlainTextResponse("Sesi berakhir; silakan masuk lagi.", status_code=401)
    last = request.headers.get("last-event-id", "")[:64]
    try:
        upstream = await api(request).open_stream(
            session,
            "notification",
            "/kotak-masuk/aliran",
            params={"unit": session.unit},
            headers={"Last-Event-ID": last} if last else {},
        )
    except SignedOut:
        return PlainTextResponse("Sesi berakhir; silakan masuk lagi.", status_code=401)
    except ApiError as error:
        retry = "30" if error.status == 503 else "60"
        return PlainTextResponse(
            error.detail, status_code=503 if error.status >= 500 else error.status, headers={"Retry-After": retry}
        )
    return StreamingResponse(
        _relay(request, session_id or "", upstream),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _relay(request: Request, session_id: str, upstream: httpx.Response) -> AsyncIterator[bytes]:
    chunks = upstream.aiter_raw()
    pending: asyncio.Future[bytes] = asyncio.ensure_future(anext(chunks))
    try:
        while True:
            done, _ = await asyncio.wait({pending}, timeout=CHECK_SECONDS)
            if pending in done:
                try:
                    chunk = pending.result()
                except (StopAsyncIteration, httpx.HTTPError):
                    return  # notification ended it (stopping, or gone): the browser reconnects
                yield chunk
                pending = asyncio.ensure_future(anext(chunks))
            session = store(request).get(session_id, touch=False)
            if session is None or not session.signed_in or session.tokens is None:
                return
            if session.tokens.expires_at - REFRESH_MARGIN <= time.time():
                return
            if await request.is_disconnected():
                return
    finally:
        pending.cancel()
        await asyncio.wait({pending})
        await upstream.aclose()


@router.post("/kotak-masuk/{message_id}/dibaca")
async def dibaca(message_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    await form_of(request)
    await api(request).request(session, "notification", "POST", f"/kotak-masuk/{message_id[:64]}/dibaca")
    if request.headers.get("hx-request"):
        found = await sections(kotak=inbox(api(request), session))
        return render(request, "_kotak.html", {"found": found})
    return redirect(request, "/")
