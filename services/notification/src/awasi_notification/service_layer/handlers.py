"""Use cases behind the API: subscriptions, agency webhooks and their secrets, unit contacts,
the inbox and sending a failed delivery again. Each is one transaction, and every check runs
before anything is written. (Reactions to other services' events are in ``reactions``.)"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Mapping

from awasi_common.auth import Principal, Role
from awasi_common.commands import Handler, signed_in
from awasi_common.errors import Conflict, DomainError, Forbidden, NotFound
from awasi_common.events import CATALOG
from awasi_notification.commands import (
    MarkInboxRead,
    RegisterWebhook,
    RetryDelivery,
    RotateSecret,
    SetContact,
    Subscribe,
    Unsubscribe,
)
from awasi_notification.domain import signature
from awasi_notification.domain.deliveries import Channel, Mode
from awasi_notification.domain.recipients import user_owner
from awasi_notification.domain.subscriptions import (
    Audience,
    Subscription,
    check_event_types,
    check_region,
    managed,
)
from awasi_notification.domain.webhook_urls import check_resolved, parse_webhook_url
from awasi_notification.service_layer.unit_of_work import NotificationUnitOfWork, UowFactory

REGISTRATION_RESOLVE_SECONDS = 3.0


async def subscribe(command: Subscribe, principal: Principal | None, uow_factory: UowFactory) -> str:
    """An inbox or email subscription; its id."""
    principal = signed_in(principal)
    if command.saluran == Channel.WEBHOOK:
        raise DomainError("Webhook didaftarkan melalui POST /webhook.", field="saluran")
    if command.untuk == Audience.UNIT:
        owner_unit = command.unit or principal.unit
        principal.require_act(owner_unit)
        owner_kind, owner = "unit", owner_unit
    else:
        owner_unit = principal.unit
        owner_kind = "agency" if principal.role == Role.AGENCY else "user"
        owner = principal.subject
    region = command.wilayah or owner_unit
    check_region(region, owner_unit)
    types = check_event_types(command.jenis_event, CATALOG)
    if command.saluran == Channel.EMAIL and not command.email:
        raise DomainError("Alamat email wajib diisi untuk saluran email.", field="email")
    if command.saluran != Channel.EMAIL and command.mode == Mode.RINGKASAN_HARIAN:
        raise DomainError("Ringkasan harian hanya tersedia untuk saluran email.", field="mode")
    async with uow_factory() as uow:
        now = uow.clock.now()
        new = Subscription(
            id=str(uuid.uuid4()),
            channel=command.saluran,
            owner_kind=owner_kind,
            owner=owner,
            owner_unit=owner_unit,
            agency_subject=principal.subject if owner_kind == "agency" else None,
            region=region,
            mode=command.mode,
            email=command.email.strip().lower() if command.email else None,
            created_by=principal.subject,
            created_at=now,
            updated_at=now,
        )
        await uow.subscriptions.add(new, types)
        await uow.commit()
    return new.id


async def register_webhook(
    command: RegisterWebhook, principal: Principal | None, uow_factory: UowFactory
) -> tuple[str, str]:
    """Register an agency's endpoint; return its id and its secret (shown this once).

    An agency registers with its own token (role ``agency``) for its own region; a unit's
    operator or admin may register one on an agency's behalf, naming the agency."""
    principal = signed_in(principal)
    if principal.role == Role.AGENCY:
        owner_unit = principal.unit
        agency_subject: str | None = principal.subject
        lembaga = (command.lembaga or principal.subject).strip()
    elif principal.role in (Role.ADMIN, Role.OPERATOR):
        owner_unit = command.unit or principal.unit
        principal.require_act(owner_unit, Role.OPERATOR)
        agency_subject = None
        lembaga = (command.lembaga or "").strip()
        if not lembaga:
            raise DomainError(
                "Nama lembaga wajib diisi saat operator mendaftarkan webhook atas nama lembaga lain.",
                field="lembaga",
            )
    else:
        raise Forbidden(
            "Webhook hanya dapat didaftarkan oleh akun lembaga (peran agency) atau oleh operator "
            f"unit atas nama lembaga; peran Anda {principal.role.value}."
        )
    region = command.wilayah or owner_unit
    check_region(region, owner_unit)
    secret = signature.new_secret()
    async with uow_factory() as uow:
        url = await _checked_url(uow, command.url)
        types = check_event_types(command.jenis_event, CATALOG)
        now = uow.clock.now()
        new = Subscription(
            id=str(uuid.uuid4()),
            channel=Channel.WEBHOOK,
            owner_kind="agency",
            owner=agency_subject or lembaga,
            owner_unit=owner_unit,
            agency_subject=agency_subject,
            lembaga=lembaga,
            region=region,
            mode=Mode.SEGERA,
            url=url,
            secret=secret,
            created_by=principal.subject,
            created_at=now,
            updated_at=now,
        )
        await uow.subscriptions.add(new, types)
        await uow.commit()
    return new.id, secret


async def _checked_url(uow: NotificationUnitOfWork, url: str) -> str:
    """The canonical URL, refused when it is not acceptable as written or when its name
    resolves now to an address a webhook may not reach. A name that does not resolve now is
    accepted (the receiver may not be set up yet): every delivery resolves it again and
    refuses it then (docs/webhooks.md)."""
    allow_loopback = uow.settings.webhook_allow_http_loopback
    networks = uow.settings.webhook_allowed_networks
    target = parse_webhook_url(url, allow_http_loopback=allow_loopback, allowed_networks=networks)
    if target.ip is None:
        try:
            async with asyncio.timeout(REGISTRATION_RESOLVE_SECONDS):
                addresses = await uow.resolver(target.host, target.port)
        except (OSError, UnicodeError, TimeoutError):
            addresses = []
        refused = check_resolved(target.host, addresses, allow_loopback=allow_loopback, allowed_networks=networks)
        if refused is not None:
            address, reason = refused
            raise DomainError(
                f"Nama host URL webhook {target.host} mengarah ke {reason} ({address}), bukan alamat publik; "
                "Awasi hanya mengirim ke alamat publik atau jaringan yang diizinkan oleh pengelola.",
                field="url",
            )
    return target.url


async def rotate_secret(
    command: RotateSecret, principal: Principal | None, uow_factory: UowFactory
) -> tuple[str, dt.datetime]:
    """A new secret; the previous one keeps signing until the grace period ends."""
    principal = signed_in(principal)
    secret = signature.new_secret()
    async with uow_factory() as uow:
        settings_grace = uow.settings.webhook_secret_grace_seconds
        grace = settings_grace if command.grace_seconds is None else command.grace_seconds
        now = uow.clock.now()
        until = now + dt.timedelta(seconds=grace)
        webhook = managed(
            await uow.subscriptions.get(command.subscription_id, for_update=True),
            principal,
            command.subscription_id,
            webhook=True,
        )
        await uow.subscriptions.save(webhook.rotated(secret, until, now))
        await uow.commit()
    return secret, until


async def unsubscribe(command: Unsubscribe, principal: Principal | None, uow_factory: UowFactory) -> None:
    principal = signed_in(principal)
    async with uow_factory() as uow:
        found = await uow.subscriptions.get(command.subscription_id, for_update=True)
        subscription = managed(found, principal, command.subscription_id, webhook=command.webhook)
        await uow.subscriptions.save(subscription.deactivated(uow.clock.now()))
        await uow.commit()


async def set_contact(command: SetContact, principal: Principal | None, uow_factory: UowFactory) -> None:
    principal = signed_in(principal)
    principal.require_act(command.unit)
    addresses = sorted({address.strip().lower() for address in command.emails})
    async with uow_factory() as uow:
        await uow.contacts.put(command.unit, addresses, command.mode, principal.subject, uow.clock.now())
        await uow.commit()


async def retry_delivery(command: RetryDelivery, principal: Principal | None, uow_factory: UowFactory) -> None:
    """Put a failed (dead-lettered) delivery back in the queue, attempts counted anew."""
    principal = signed_in(principal)
    delivery_id = command.delivery_id
    async with uow_factory() as uow:
        row = await uow.deliveries.get(delivery_id)
        if row is None:
            raise NotFound(f"Pengiriman {delivery_id} tidak ditemukan.")
        if row.subscription_id:
            managed(await uow.subscriptions.get(row.subscription_id, for_update=True), principal, row.subscription_id)
        elif not principal.can_act_on(row.unit):
            raise NotFound(f"Pengiriman {delivery_id} tidak ditemukan.")
        if not await uow.deliveries.requeue(delivery_id, uow.clock.now()):
            raise Conflict(f"Pengiriman {delivery_id} berstatus '{row.status}'; hanya yang gagal dapat dikirim ulang.")
        await uow.commit()


async def mark_inbox_read(command: MarkInboxRead, principal: Principal | None, uow_factory: UowFactory) -> None:
    """One's own personal message; a unit's message only by a writer of that unit or RI's admin
    (reading it is not enough: marking it read hides it from the unit's other readers)."""
    principal = signed_in(principal)
    message_id = command.message_id
    async with uow_factory() as uow:
        owner = await uow.deliveries.inbox_owner(message_id)
        if owner is None:
            raise NotFound(f"Pesan {message_id} tidak ditemukan.")
        if owner != user_owner(principal.subject):
            kind, _, unit = owner.partition(":")
            if kind != "unit" or not principal.can_read(unit):
                raise NotFound(f"Pesan {message_id} tidak ditemukan.")
            if not principal.can_act_on(unit):
                raise Forbidden(
                    f"Pesan kotak masuk unit {unit} hanya dapat ditandai dibaca oleh petugas unit itu yang "
                    f"dapat mengubah data, atau admin Bawaslu RI; akun Anda berperan {principal.role.value} "
                    f"di unit {principal.unit}."
                )
        await uow.deliveries.mark_read(message_id, uow.clock.now())
        await uow.commit()


HANDLERS: Mapping[type, Handler[NotificationUnitOfWork]] = {
    Subscribe: subscribe,
    Unsubscribe: unsubscribe,
    RegisterWebhook: register_webhook,
    RotateSecret: rotate_secret,
    SetContact: set_contact,
    RetryDelivery: retry_delivery,
    MarkInboxRead: mark_inbox_read,
}
