"""Operasi (platform admins): each service's readiness, outbox backlog, consumer lag and dead
letters, from the services' own /readyz, /ops/status and /ops/surat-mati (read with the admin's
token); dead letters re-driven with /ops/surat-mati/ulang (Bawaslu RI's admin only: a unit's
admin sees the service's refusal in the section)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from awasi_console.api import ApiError
from awasi_console.sessions import Session
from awasi_console.settings import BACKENDS
from awasi_console.web import NotAllowed, api, form_of, redirect, render, settings, signed_in, text

router = APIRouter(prefix="/operasi")

LISTED = 20
"""Dead letters shown per consumer group (the newest; the count says how many there are)."""
REPLAY_SECONDS = 60.0
"""A replay of everything joins a consumer group at the broker: longer than a page's call."""


def _admin(session: Session) -> None:
    if session.role != "admin":
        raise NotAllowed("Halaman operasi hanya untuk peran admin.")


async def _one(request: Request, session: Session, name: str) -> dict[str, Any]:
    client = api(request)
    row: dict[str, Any] = {
        "layanan": name,
        "siap": None,
        "status": None,
        "galat": None,
        "surat_mati": None,
        "galat_surat_mati": None,
    }
    try:
        ready = await client.public(name, "/readyz")
        row["siap"] = ready.json()
    except (httpx.HTTPError, ValueError):
        row["siap"] = {"status": "tidak terjangkau"}
    if name == "identity":
        return row  # identity consumes no events; its outbox shows in its readiness
    try:
        row["status"] = await client.get(session, name, "/ops/status")
    except ApiError as error:
        row["galat"] = error.detail
    try:
        row["surat_mati"] = await client.get(session, name, "/ops/surat-mati", batas=LISTED)
    except ApiError as error:
        row["galat_surat_mati"] = error.detail
    return row


@router.get("")
async def operasi(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    _admin(session)
    rows = await asyncio.gather(*(_one(request, session, name) for name in BACKENDS))
    trace_url = settings(request).trace_url
    context = {"judul": "Operasi", "rows": rows, "trace_url": trace_url if trace_url and "{id}" in trace_url else None}
    return render(request, "operasi.html", context)


@router.post("/{layanan}/outbox-ulang")
async def outbox_ulang(layanan: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """Rows the broker refused, sent again once the cause was mended."""
    _admin(session)
    await form_of(request)
    if layanan not in BACKENDS or layanan == "identity":
        raise NotAllowed("Layanan tidak dikenal.")
    answer = await api(request).post(session, layanan, "/ops/outbox/ulang")
    session.say(f"{layanan}: {answer.get('dikirim_ulang', 0)} baris outbox dikirim ulang.")
    return redirect(request, "/operasi")


@router.post("/{layanan}/surat-mati-ulang")
async def surat_mati_ulang(layanan: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """Dead letters sent back to their original topic once their cause was mended: one (``id``)
    or every one of a group not yet re-driven."""
    _admin(session)
    form = await form_of(request)
    if layanan not in BACKENDS or layanan == "identity":
        raise NotAllowed("Layanan tidak dikenal.")
    body: dict[str, Any] = {}
    if grup := text(form, "grup"):
        body["grup"] = grup[:200]
    if event_id := text(form, "id"):
        body["id"] = [event_id[:64]]
    try:
        answer = await api(request).post(session, layanan, "/ops/surat-mati/ulang", body, timeout=REPLAY_SECONDS)
    except ApiError as error:
        session.say(f"{layanan}: {error.detail}", "galat")
        return redirect(request, "/operasi")
    count = int(answer.get("jumlah", 0)) if isinstance(answer, dict) else 0
    session.say(
        f"{layanan}: {count} surat mati dikirim ulang ke topik asalnya."
        if count
        else f"{layanan}: tidak ada surat mati yang perlu dikirim ulang."
    )
    return redirect(request, "/operasi")
