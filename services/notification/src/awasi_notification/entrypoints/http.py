"""Notification's HTTP API: reminders, receipts, subscriptions, agency webhooks, delivery logs,
unit contacts and the in-app inbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from awasi_common.auth import CurrentPrincipal, Principal, Role, SubscriberPrincipal
from awasi_common.errors import Forbidden, NotFound
from awasi_common.events import CATALOG
from awasi_common.http import MAX_OFFSET
from awasi_notification import views
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
from awasi_notification.service_layer.subscriptions import (
    SubscriptionRequest,
    SubscriptionService,
    WebhookRequest,
)

router = APIRouter(tags=["notifikasi"])

Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


def _subscriptions(request: Request) -> SubscriptionService:
    service: SubscriptionService = request.app.state.subscriptions
    return service


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
    subscription_id = await _subscriptions(request).subscribe(
        principal,
        SubscriptionRequest(
            untuk=body.untuk,
            saluran=Channel(body.saluran),
            jenis_event=body.jenis_event,
            unit=body.unit,
            wilayah=body.wilayah,
            email=body.email,
            mode=body.mode,
        ),
    )
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
    await _subscriptions(request).check_managed(principal, subscription_id, webhook=False)
    async with request.app.state.service.sessions() as session:
        row = await views.subscription_detail(session, subscription_id)
    assert row is not None
    return SubscriptionOut.of(row)


@router.delete(
    "/langganan/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Berhenti berlangganan",
)
async def unsubscribe(subscription_id: RecordId, principal: SubscriberPrincipal, request: Request) -> Response:
    await _subscriptions(request).unsubscribe(principal, subscription_id, webhook=False)
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
    await _subscriptions(request).check_managed(principal, subscription_id, webhook=False)
    return await _log(request, subscription_id, status_, limit, offset)


async def _log(
    request: Request, subscription_id: str, status_: Status | None, limit: int, offset: int
) -> list[DeliveryOut]:
    async with request.app.state.service.sessions() as session:
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
    subscription_id, secret = await _subscriptions(request).register_webhook(
        principal,
        WebhookRequest(
            url=body.url,
            jenis_event=body.jenis_event,
            lembaga=body.lembaga,
            wilayah=body.wilayah,
            unit=body.unit,
        ),
    )
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
    await _subscriptions(request).check_managed(principal, subscription_id, webhook=True)
    async with request.app.state.service.sessions() as session:
        row = await views.subscription_detail(session, subscription_id)
    assert row is not None
    return WebhookOut.of(row)


@router.delete(
    "/webhook/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["webhook"],
    summary="Hapus webhook",
)
async def delete_webhook(subscription_id: RecordId, principal: SubscriberPrincipal, request: Request) -> Response:
    await _subscriptions(request).unsubscribe(principal, subscription_id, webhook=True)
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
    secret, until = await _subscriptions(request).rotate_secret(
        principal, subscription_id, body.masa_tenggang_detik if body else None
    )
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
    await _subscriptions(request).check_managed(principal, subscription_id, webhook=True)
    return await _log(request, subscription_id, status_, limit, offset)


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
    await _subscriptions(request).send_again(principal, delivery_id)
    return {"id": delivery_id, "status": Status.PENDING}


# --- unit contacts ----------------------------------------------------------------------------


@router.put(
    "/kontak-unit/{unit}",
    response_model=ContactOut,
    summary="Alamat email unit untuk pengingat dan peringatan, segera atau ringkasan harian",
)
async def put_contact(unit: Unit, body: ContactIn, principal: CurrentPrincipal, request: Request) -> ContactOut:
    await _subscriptions(request).set_contact(principal, unit, body.email, body.mode)
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


def _check_may_mark(principal: Principal, owner: str, message_id: str) -> None:
    """One's own personal message; a unit's message only by a writer of that unit or RI's admin
    (reading it is not enough: marking it read hides it from the unit's other readers)."""
    if owner == user_owner(principal.subject):
        return
    kind, _, unit = owner.partition(":")
    if kind == "unit" and principal.can_read(unit):
        if principal.can_act_on(unit):
            return
        raise Forbidden(
            f"Pesan kotak masuk unit {unit} hanya dapat ditandai dibaca oleh petugas unit itu yang "
            f"dapat mengubah data, atau admin Bawaslu RI; akun Anda berperan {principal.role.value} "
            f"di unit {principal.unit}."
        )
    raise NotFound(f"Pesan {message_id} tidak ditemukan.")


@router.post(
    "/kotak-masuk/{message_id}/dibaca",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["kotak masuk"],
    summary="Tandai pesan sudah dibaca",
)
async def mark_read(message_id: RecordId, principal: SubscriberPrincipal, request: Request) -> Response:
    async with request.app.state.service.sessions() as session:
        owner = await views.inbox_message_owner(session, message_id)
    if owner is None:
        raise NotFound(f"Pesan {message_id} tidak ditemukan.")
    _check_may_mark(principal, owner, message_id)
    await _subscriptions(request).mark_read(message_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
