"""Operasi (platform admins): each service's readiness, outbox backlog, consumer lag and dead
letters, from the services' own /readyz and /ops/status (read with the admin's token)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from awasi_console.api import ApiError
from awasi_console.sessions import Session
from awasi_console.settings import BACKENDS
from awasi_console.web import NotAllowed, api, form_of, redirect, render, signed_in

router = APIRouter(prefix="/operasi")


def _admin(session: Session) -> None:
    if session.role != "admin":
        raise NotAllowed("Halaman operasi hanya untuk peran admin.")


async def _one(request: Request, session: Session, name: str) -> dict[str, Any]:
    client = api(request)
    row: dict[str, Any] = {"layanan": name, "siap": None, "status": None, "galat": None}
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
    return row


@router.get("")
async def operasi(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    _admin(session)
    rows = await asyncio.gather(*(_one(request, session, name) for name in BACKENDS))
    return render(request, "operasi.html", {"judul": "Operasi", "rows": rows})


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
