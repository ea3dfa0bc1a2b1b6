"""Langganan: the person's and the unit's subscriptions (inbox or email) by event type and
region, each with its delivery log; unsubscribing. And the agencies' webhooks the unit manages
(KPU, DKPP, Sentra Gakkumdu, pemerintah daerah): an agency signs in with client credentials,
never to the console, so a unit's operator or admin registers a webhook on its behalf, reads
its delivery log and sends failed deliveries again (notification's /webhook routes)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from awasi_console.api import ApiError
from awasi_console.entrypoints.common import sections
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

router = APIRouter(prefix="/langganan")

WEBHOOK_ROLES = ("admin", "operator")
"""Who manages an agency's webhooks for a unit (notification's rule: they register on the
agency's behalf and manage the webhooks of the units they act on)."""


def _id(value: str) -> str:
    return path_id(value, "langganan")


async def _page(
    request: Request,
    session: Session,
    *,
    values: dict[str, Any] | None = None,
    problems: Problems | None = None,
    status: int = 200,
) -> Response:
    client = api(request)
    found = await sections(
        langganan=client.get(session, "notification", "/langganan"),
        jenis=client.get(session, "notification", "/jenis-event"),
        gagal=client.get(session, "notification", "/pengiriman", unit=session.unit, status="failed", limit=50)
        if session.role != "viewer"
        else _nothing(),
    )
    return render(
        request,
        "langganan.html",
        {
            "judul": "Langganan",
            "found": found,
            "values": values or {"untuk": "pribadi", "saluran": "inbox", "wilayah": session.unit},
            "problems": problems or Problems(),
        },
        status=status,
    )


async def _nothing() -> list[Any]:
    return []


@router.get("")
async def langganan(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    return await _page(request, session)


@router.post("")
async def berlangganan(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    form = await form_of(request)
    body = {
        "untuk": text(form, "untuk") or "pribadi",
        "saluran": text(form, "saluran") or "inbox",
        "email": optional(form, "email"),
        "jenis_event": [v for v in form.getlist("jenis_event") if isinstance(v, str)][:100],
        "wilayah": optional(form, "wilayah"),
        "mode": text(form, "mode") or "segera",
    }
    try:
        await api(request).post(session, "notification", "/langganan", body)
    except ApiError as error:
        return await _page(
            request, session, values=values_of(form), problems=Problems.of(error), status=min(error.status, 502)
        )
    session.say("Langganan tersimpan; pesan baru akan masuk ke kotak masuk atau email Anda.")
    return redirect(request, "/langganan")


@router.post("/{subscription_id}/hapus")
async def berhenti(subscription_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    await form_of(request)
    await api(request).request(session, "notification", "DELETE", f"/langganan/{_id(subscription_id)}")
    session.say("Langganan dihentikan.")
    return redirect(request, "/langganan")


@router.get("/{subscription_id}/pengiriman")
async def pengiriman(
    subscription_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]
) -> Response:
    rows = await api(request).get(session, "notification", f"/langganan/{_id(subscription_id)}/pengiriman", limit=100)
    return render(request, "pengiriman.html", {"judul": "Catatan pengiriman", "rows": rows})


@router.post("/pengiriman/{delivery_id}/kirim-ulang")
async def kirim_ulang(delivery_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """A delivery that failed for good (dead-lettered) is tried again, once its cause is mended."""
    await form_of(request)
    await api(request).post(session, "notification", f"/pengiriman/{_id(delivery_id)}/kirim-ulang")
    session.say("Pengiriman dijadwalkan ulang.")
    return redirect(request, "/langganan")


# --- agencies' webhooks -----------------------------------------------------------------------


def _webhook_staff(session: Session) -> None:
    if session.role not in WEBHOOK_ROLES:
        raise NotAllowed("Webhook lembaga dikelola operator atau admin unit.")


async def _webhooks(
    request: Request,
    session: Session,
    *,
    values: dict[str, Any] | None = None,
    problems: Problems | None = None,
    created: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    client = api(request)
    found = await sections(
        webhook=client.get(session, "notification", "/webhook"),
        jenis=client.get(session, "notification", "/jenis-event"),
    )
    return render(
        request,
        "webhook.html",
        {
            "judul": "Webhook lembaga",
            "found": found,
            "values": values or {"wilayah": session.unit},
            "problems": problems or Problems(),
            "created": created,
        },
        status=status,
    )


@router.get("/webhook")
async def webhook(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    _webhook_staff(session)
    return await _webhooks(request, session)


@router.post("/webhook")
async def daftar_webhook(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    """Registered on the agency's behalf; its signing secret is shown on this page once."""
    _webhook_staff(session)
    form = await form_of(request)
    body = {
        "lembaga": optional(form, "lembaga"),
        "url": text(form, "url"),
        "jenis_event": [v for v in form.getlist("jenis_event") if isinstance(v, str)][:100],
        "wilayah": optional(form, "wilayah"),
    }
    try:
        created = await api(request).post(session, "notification", "/webhook", body)
    except ApiError as error:
        return await _webhooks(
            request, session, values=values_of(form), problems=Problems.of(error), status=min(error.status, 502)
        )
    session.say(f"Webhook {created.get('lembaga') or ''} terdaftar. Serahkan rahasianya kepada lembaga sekarang.")
    return await _webhooks(request, session, created=created)


@router.post("/webhook/{webhook_id}/hapus")
async def hapus_webhook(webhook_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    _webhook_staff(session)
    await form_of(request)
    try:
        await api(request).request(session, "notification", "DELETE", f"/webhook/{_id(webhook_id)}")
    except ApiError as error:
        session.say(error.detail, "galat")
        return redirect(request, "/langganan/webhook")
    session.say("Webhook dihapus; lembaga tidak lagi menerima peristiwa di alamat itu.")
    return redirect(request, "/langganan/webhook")


@router.get("/webhook/{webhook_id}/pengiriman")
async def webhook_pengiriman(
    webhook_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]
) -> Response:
    _webhook_staff(session)
    client = api(request)
    clean = _id(webhook_id)
    found = await sections(
        webhook=client.get(session, "notification", f"/webhook/{clean}"),
        rows=client.get(session, "notification", f"/webhook/{clean}/pengiriman", limit=100),
    )
    if found["webhook"].error:
        raise ApiError(404, found["webhook"].error)
    return render(
        request,
        "webhook_pengiriman.html",
        {"judul": "Catatan pengiriman webhook", "webhook": found["webhook"].data, "found": found},
    )


@router.post("/webhook/{webhook_id}/pengiriman/{delivery_id}/kirim-ulang")
async def webhook_kirim_ulang(
    webhook_id: str, delivery_id: str, request: Request, session: Annotated[Session, Depends(signed_in)]
) -> Response:
    """A webhook delivery that failed for good is tried again, once the agency's endpoint answers."""
    _webhook_staff(session)
    await form_of(request)
    back = f"/langganan/webhook/{_id(webhook_id)}/pengiriman"
    try:
        await api(request).post(session, "notification", f"/pengiriman/{_id(delivery_id)}/kirim-ulang")
    except ApiError as error:
        session.say(error.detail, "galat")
        return redirect(request, back)
    session.say("Pengiriman dijadwalkan ulang.")
    return redirect(request, back)
