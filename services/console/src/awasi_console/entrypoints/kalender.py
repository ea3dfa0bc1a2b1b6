"""The iCalendar feed of the unit's kegiatan for a calendar app: a read-only feed token per use
(planning keeps only its hash and shows it this once), listed and revoked here."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from awasi_console.api import ApiError
from awasi_console.sessions import Session
from awasi_console.web import NotAllowed, Problems, api, form_of, redirect, render, settings, signed_in, text

router = APIRouter(prefix="/perencanaan/kalender")


async def _page(
    request: Request, session: Session, *, made: dict[str, Any] | None = None, problems: Problems | None = None
) -> Response:
    try:
        tokens = await api(request).get(session, "planning", "/kegiatan/kalender/token")
        list_error = None
    except ApiError as error:
        tokens, list_error = [], error.detail
    public = settings(request).public_urls.get("planning") or settings(request).service_urls["planning"]
    return render(
        request,
        "kalender_token.html",
        {
            "judul": "Kalender langganan",
            "tokens": tokens,
            "list_error": list_error,
            "made": made,
            "feed": f"{public}{made['alamat']}" if made else None,
            "problems": problems or Problems(),
        },
        status=422 if problems else 200,
    )


@router.get("")
async def kalender(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    return await _page(request, session)


@router.post("/token")
async def buat(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    form = await form_of(request)
    try:
        made = await api(request).post(
            session, "planning", "/kegiatan/kalender/token", {"label": text(form, "label")[:100]}
        )
    except ApiError as error:
        return await _page(request, session, problems=Problems.of(error))
    return await _page(request, session, made=made)


@router.post("/token/{token_id}/cabut")
async def cabut(token_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    await form_of(request)
    if not token_id.replace("-", "").isalnum() or len(token_id) > 64:
        raise NotAllowed("Token tidak dikenal.")
    await api(request).request(session, "planning", "DELETE", f"/kegiatan/kalender/token/{token_id}")
    session.say("Token kalender dicabut; alamatnya tidak berlaku lagi.")
    return redirect(request, "/perencanaan/kalender")
