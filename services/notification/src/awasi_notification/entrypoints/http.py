"""Notification's HTTP API: reminders, receipts, subscriptions, agency webhooks, delivery logs,
unit contacts and the in-app inbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status
from fastapi.responses import JSONResponse, StreamingResponse

from awasi_common.auth import CurrentPrincipal, Principal, Role, SubscriberPrincipal
from awasi_common.commands import CommandBus
from awasi_common.errors import Forbidden
from awasi_common.events import CATALOG
from awasi_common.http import MAX_OFFSET
from awasi_notification import views
from awasi_notification.commands import MarkInboxRead, RetryDelivery, Unsubscribe
from awasi_notification.domain.deliveries import Channel, Mode, Status
from awasi_notification.domain.messages import event_label
from awasi_notification.domain.recipients import unit_owner, user_owner
from awasi_notification.domain.subscriptions import subscribable
from awasi_notification.entrypoints.schemas import (
    Code,
    ContactIn,
    ContactOut,
    DeliveryOut,
    EventTypeOut,
    InboxMessageOut,
    ReceiptOut,
    RecordId,
    ReminderOut,
    RotateIn,
    RotateOut,
    SubscriptionIn,
    SubscriptionOut,
    Unit,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
)
from awasi_notification.entrypoints.stream import CountedStream, StreamHub, inbox_events
from awasi_notification.service_layer.unit_of_work import NotificationUnitOfWork

router = APIRouter(tags=["notifikasi"])

Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


def _bus(request: Request) -> CommandBus[NotificationUnitOfWork]:
    bus: CommandBus[NotificationUnitOfWork] = request.app.state.bus
    return bus


# --- reminders and receipts ---------------------------------------------------------------


@router.get("/pengingat", response_model=list[ReminderOut], summary="Pengingat kegiatan unit")
async def reminders(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[Unit | None, Query(description="Kode unit; bawaan: unit token")] = None,
    kegiatan_id: Annotated[RecordId | None, Query()] = None,
) -> list[ReminderOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    async with request.app.state.service.sessions() as session:
        rows = await views.reminders(session, unit, kegiatan_id=kegiatan_id)
    return [ReminderOut.model_validate(row._mapping) for row in rows]


@router.get("/tanda-terima", response_model=list[ReceiptOut], summary="Tanda terima laporan yang dikirim")
async def receipts(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[Unit | None, Query(description="Kode unit; bawaan: unit token")] = None,
    kode_pelacakan: Annotated[Code | None, Query()] = None,
) -> list[ReceiptOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    async with request.app.state.service.sessions() as session:
        rows = await views.receipts(session, unit, kode_pelacakan=kode_pelacakan)
    return [ReceiptOut.model_validate(row._mapping) for row in rows]


# --- what may be subscribed ---------------------------------------------------------------


@router.get(
    "/jenis-event",
    response_model=list[EventTypeOut],
    summary="Jenis event publik yang dapat dilanggani",
)
async def event_types() -> list[EventTypeOut]:
    return [
        EventTypeOut(
            jenis=t,
            nama=CATALOG[t].name,
            label=event_label(CATALOG[t]),
            topik=CATALOG[t].topic,
            sumber=CATALOG[t].source,
            peringatan=CATALOG[t].alert,
        )
        for t in subscribable(CATALOG)
    ]


# --- subscriptions (inbox and email) --------------------------------------------------------


@router.post(
    "/langganan",
    status_code=status.HTTP_201_CREATED,
    response_model=SubscriptionOut,
    summary="Berlangganan event per jenis dan wilayah (kotak masuk atau email)",
)
async def subscribe(body: SubscriptionIn, principal: SubscriberPrincipal, request: Request) -> SubscriptionOut:
    subscription_id = await _bus(request).handle(body.to_command(), principal)
    async with request.app.state.service.sessions() as session:
        row = await views.subscription_detail(session, subscription_id)
    assert row is not None
    return SubscriptionOut.of(row)


@router.get("/langganan", response_model=list[SubscriptionOut], summary="Langganan milik Anda dan unit Anda")
async def list_subscriptions(principal: SubscriberPrincipal, request: Request) -> list[SubscriptionOut]:
    async with request.app.state.service.sessions() as session:
        rows = await views.subscriptions(session, principal, webhooks=False)
    return [SubscriptionOut.of(row) for row in rows]


@router.get("/langganan/{subscription_id}", response_model=SubscriptionOut, summary="Satu langganan")
async def get_subscription(
    subscription_id: RecordId, principal: SubscriberPrincipal, request: Request
) -> SubscriptionOut:
    async with request.app.state.service.sessions() as session:
        row = await views.managed_subscription(session, principal, subscription_id, webhook=False)
    return SubscriptionOut.of(row)


@router.delete(
    "/langganan/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Berhenti berlangganan",
)
async def unsubscribe(subscription_id: RecordId, principal: SubscriberPrincipal, request: Request) -> Response:
    await _bus(request).handle(Unsubscribe(subscription_id, webhook=False), principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/langganan/{subscription_id}/pengiriman",
    response_model=list[DeliveryOut],
    summary="Catatan pengiriman satu langganan",
)
async def subscription_log(
    subscription_id: RecordId,
    principal: SubscriberPrincipal,
    request: Request,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[DeliveryOut]:
    return await _log(request, principal, subscription_id, status_, limit, offset, webhook=False)


async def _log(
    request: Request,
    principal: Principal,
    subscription_id: str,
    status_: Status | None,
    limit: int,
    offset: int,
    *,
    webhook: bool,
) -> list[DeliveryOut]:
    async with request.app.state.service.sessions() as session:
        await views.managed_subscription(session, principal, subscription_id, webhook=webhook)
        rows = await views.deliveries(
            session, subscription_id=subscription_id, status=status_, limit=limit, offset=offset
        )
    return [DeliveryOut.of(row) for row in rows]


# --- agency webhooks --------------------------------------------------------------------------


@router.post(
    "/webhook",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    tags=["webhook"],
    summary="Daftarkan webhook lembaga (KPU, DKPP, Sentra Gakkumdu, pemerintah daerah)",
)
async def register_webhook(body: WebhookIn, principal: SubscriberPrincipal, request: Request) -> WebhookCreated:
    subscription_id, secret = await _bus(request).handle(body.to_command(), principal)
    async with request.app.state.service.sessions() as session:
        row = await views.subscription_detail(session, subscription_id)
    assert row is not None
    return WebhookCreated(**WebhookOut.of(row).model_dump(), rahasia=secret)


@router.get(
    "/webhook",
    response_model=list[WebhookOut],
    tags=["webhook"],
    summary="Webhook yang Anda kelola",
)
async def list_webhooks(principal: SubscriberPrincipal, request: Request) -> list[WebhookOut]:
    async with request.app.state.service.sessions() as session:
        rows = await views.subscriptions(session, principal, webhooks=True)
    return [WebhookOut.of(row) for row in rows]


@router.get(
    "/webhook/{subscription_id}",
    response_model=WebhookOut,
    tags=["webhook"],
    summary="Satu webhook",
)
async def get_webhook(subscription_id: RecordId, principal: SubscriberPrincipal, request: Request) -> WebhookOut:
    async with request.app.state.service.sessions() as session:
        row = await views.managed_subscription(session, principal, subscription_id, webhook=True)
    return WebhookOut.of(row)


@router.delete(
    "/webhook/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["webhook"],
    summary="Hapus webhook",
)
async def delete_webhook(subscription_id: RecordId, principal: SubscriberPrincipal, request: Request) -> Response:
    await _bus(request).handle(Unsubscribe(subscription_id, webhook=True), principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/webhook/{subscription_id}/rotasi-rahasia",
    response_model=RotateOut,
    tags=["webhook"],
    summary="Ganti rahasia penandatangan; rahasia lama berlaku selama masa tenggang",
)
async def rotate_secret(
    subscription_id: RecordId,
    principal: SubscriberPrincipal,
    request: Request,
    body: RotateIn | None = None,
) -> RotateOut:
    secret, until = await _bus(request).handle((body or RotateIn()).to_command(subscription_id), principal)
    return RotateOut(id=subscription_id, rahasia=secret, rahasia_lama_berlaku_sampai=until)


@router.get(
    "/webhook/{subscription_id}/pengiriman",
    response_model=list[DeliveryOut],
    tags=["webhook"],
    summary="Catatan pengiriman webhook: status, percobaan, kesalahan terakhir",
)
async def webhook_log(
    subscription_id: RecordId,
    principal: SubscriberPrincipal,
    request: Request,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[DeliveryOut]:
    return await _log(request, principal, subscription_id, status_, limit, offset, webhook=True)


# --- deliveries -------------------------------------------------------------------------------


@router.get(
    "/pengiriman",
    response_model=list[DeliveryOut],
    summary="Pengiriman mengenai unit dan unit di bawahnya",
)
async def list_deliveries(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[Unit | None, Query(description="Kode unit; bawaan: unit token")] = None,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    saluran: Channel | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[DeliveryOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    if principal.role == Role.VIEWER:  # the log names recipients (unit email addresses)
        raise Forbidden("Catatan pengiriman unit tidak tersedia untuk peran viewer.")
    async with request.app.state.service.sessions() as session:
        rows = await views.deliveries(session, unit=unit, status=status_, channel=saluran, limit=limit, offset=offset)
    return [DeliveryOut.of(row) for row in rows]


@router.post(
    "/pengiriman/{delivery_id}/kirim-ulang",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Kirim ulang pengiriman yang gagal (dead-letter)",
)
async def send_again(delivery_id: RecordId, principal: SubscriberPrincipal, request: Request) -> dict[str, str]:
    await _bus(request).handle(RetryDelivery(delivery_id), principal)
    return {"id": delivery_id, "status": Status.PENDING}


# --- unit contacts ----------------------------------------------------------------------------


@router.put(
    "/kontak-unit/{unit}",
    response_model=ContactOut,
    summary="Alamat email unit untuk pengingat dan peringatan, segera atau ringkasan harian",
)
async def put_contact(unit: Unit, body: ContactIn, principal: CurrentPrincipal, request: Request) -> ContactOut:
    await _bus(request).handle(body.to_command(unit), principal)
    return await get_contact(unit, principal, request)


@router.get("/kontak-unit/{unit}", response_model=ContactOut, summary="Alamat email unit")
async def get_contact(unit: Unit, principal: CurrentPrincipal, request: Request) -> ContactOut:
    principal.require_read(unit)
    async with request.app.state.service.sessions() as session:
        row = await views.contact(session, unit)
    if row is None:
        return ContactOut(unit=unit, email=[], mode=Mode.SEGERA)
    return ContactOut(
        unit=unit,
        email=row.emails,
        mode=row.mode,
        diubah_oleh=row.updated_by,
        diubah_pada=row.updated_at,
    )


# --- in-app inbox -----------------------------------------------------------------------------


@router.get(
    "/kotak-masuk",
    response_model=list[InboxMessageOut],
    tags=["kotak masuk"],
    summary="Kotak masuk unit",
)
async def unit_inbox(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[Unit | None, Query(description="Kode unit; bawaan: unit token")] = None,
    belum_dibaca: bool = False,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[InboxMessageOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    async with request.app.state.service.sessions() as session:
        rows = await views.inbox(session, unit_owner(unit), unread_only=belum_dibaca, limit=limit, offset=offset)
    return [InboxMessageOut.of(row) for row in rows]


@router.get(
    "/kotak-masuk/pribadi",
    response_model=list[InboxMessageOut],
    tags=["kotak masuk"],
    summary="Kotak masuk pribadi pengguna token ini",
)
async def personal_inbox(
    principal: SubscriberPrincipal,
    request: Request,
    belum_dibaca: bool = False,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[InboxMessageOut]:
    async with request.app.state.service.sessions() as session:
        rows = await views.inbox(
            session,
            user_owner(principal.subject),
            unread_only=belum_dibaca,
            limit=limit,
            offset=offset,
        )
    return [InboxMessageOut.of(row) for row in rows]


@router.get(
    "/kotak-masuk/aliran",
    tags=["kotak masuk"],
    summary="Pesan baru kotak masuk unit dan pribadi, langsung (server-sent events)",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "Event `pesan` per pesan baru; `id` melanjutkan"},
        406: {"description": "Permintaan tidak menerima text/event-stream"},
        503: {"description": "Terlalu banyak aliran terbuka; coba lagi setelah Retry-After"},
    },
)
async def inbox_stream(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[Unit | None, Query(description="Kode unit; bawaan: unit token")] = None,
    last_event_id: Annotated[RecordId | None, Header(description="Id event terakhir yang diterima")] = None,
) -> Response:
    """Each new message of the unit's inbox and of the person's own, as event ``pesan`` (data: the
    message as ``GET /kotak-masuk`` lists it, with ``pribadi``), a comment every ~15 s while
    quiet; ``Last-Event-ID`` resumes after the message it names. Token in the header only. A stream
    ends after ``inbox_stream_max_seconds`` (the token it was opened with may have expired):
    EventSource reconnects by itself with Last-Event-ID."""
    unit = unit or principal.unit
    principal.require_read(unit)
    if "text/event-stream" not in request.headers.get("accept", ""):
        # An ordinary client (one that reads a whole body) would wait forever: EventSource says it.
        return JSONResponse(
            {"detail": "Aliran kotak masuk hanya untuk klien server-sent events: kirim Accept: text/event-stream."},
            status_code=status.HTTP_406_NOT_ACCEPTABLE,
        )
    settings = request.app.state.notification_settings
    hub: StreamHub = request.app.state.inbox_streams
    if hub.open >= hub.limit or hub.stopping.is_set():
        return JSONResponse(
            {"detail": "Terlalu banyak aliran kotak masuk terbuka; coba lagi sebentar lagi."},
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "30"},
        )
    hub.hook_signals()
    owners = {unit_owner(unit): False, user_owner(principal.subject): True}
    events = inbox_events(
        request,
        hub,
        owners,
        last_event_id,
        poll_seconds=settings.inbox_stream_poll_seconds,
        heartbeat_seconds=settings.inbox_stream_heartbeat_seconds,
        lookback_seconds=settings.inbox_stream_lookback_seconds,
        max_seconds=settings.inbox_stream_max_seconds,
    )
    return CountedStream(hub, events)


@router.post(
    "/kotak-masuk/{message_id}/dibaca",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["kotak masuk"],
    summary="Tandai pesan sudah dibaca",
)
async def mark_read(message_id: RecordId, principal: SubscriberPrincipal, request: Request) -> Response:
    await _bus(request).handle(MarkInboxRead(message_id), principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
