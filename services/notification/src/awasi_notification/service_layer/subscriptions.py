"""Use cases behind the API: subscriptions, agency webhooks and their secrets, unit contacts,
the inbox and sending a failed delivery again. Every check runs before anything is written."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from awasi_common.auth import Principal, Role
from awasi_common.errors import Conflict, DomainError, Forbidden, NotFound
from awasi_common.events import CATALOG
from awasi_common.units import RI_CODE, is_within
from awasi_notification.adapters.egress import Resolver, system_resolver
from awasi_notification.domain import signature
from awasi_notification.domain.deliveries import Channel, Mode
from awasi_notification.domain.subscriptions import check_event_types
from awasi_notification.domain.webhook_urls import check_resolved, parse_webhook_url
from awasi_notification.service_layer.notify import Clock
from awasi_notification.service_layer.unit_of_work import NotificationUnitOfWork
from awasi_notification.settings import NotificationSettings

UowFactory = Callable[[], NotificationUnitOfWork]


def _is_admin_ri(principal: Principal) -> bool:
    return principal.role == Role.ADMIN and principal.unit == RI_CODE


def can_manage(principal: Principal, row: Any) -> bool:
    """Who may read a subscription's log, change or delete it."""
    if principal.role == Role.AGENCY:
        # An agency manages what it registered itself and nothing else, not even a staff
        # member's personal subscription that happens to carry the same subject.
        return row.owner_kind == "agency" and bool(row.agency_subject) and principal.subject == row.agency_subject
    if _is_admin_ri(principal):
        return True
    if row.owner_kind == "user":
        return bool(principal.subject == row.owner)
    if row.owner_kind == "agency":
        return principal.role in (Role.ADMIN, Role.OPERATOR) and principal.can_act_on(row.owner_unit)
    return principal.can_act_on(row.owner_unit)


def _check_region(region: str, owner_unit: str) -> None:
    if not is_within(region, owner_unit):
        raise Forbidden(
            f"Wilayah {region} berada di luar cakupan unit {owner_unit}; pilih unit {owner_unit} atau unit di bawahnya."
        )


@dataclass(frozen=True)
class SubscriptionRequest:
    untuk: str
    """'unit' (the unit's inbox or address) or 'pribadi' (the user's own)."""
    saluran: Channel
    jenis_event: Sequence[str]
    unit: str | None = None
    wilayah: str | None = None
    email: str | None = None
    mode: Mode = Mode.SEGERA


@dataclass(frozen=True)
class WebhookRequest:
    url: str
    jenis_event: Sequence[str]
    lembaga: str | None = None
    wilayah: str | None = None
    unit: str | None = None


REGISTRATION_RESOLVE_SECONDS = 3.0


@dataclass
class SubscriptionService:
    uow_factory: UowFactory
    settings: NotificationSettings
    clock: Clock
    resolver: Resolver = system_resolver

    async def subscribe(self, principal: Principal, request: SubscriptionRequest) -> str:
        if request.saluran == Channel.WEBHOOK:
            raise DomainError("Webhook didaftarkan melalui POST /webhook.", field="saluran")
        if request.untuk == "unit":
            owner_unit = request.unit or principal.unit
            principal.require_act(owner_unit)
            owner_kind, owner = "unit", owner_unit
        else:
            owner_unit = principal.unit
            owner_kind = "agency" if principal.role == Role.AGENCY else "user"
            owner = principal.subject
        region = request.wilayah or owner_unit
        _check_region(region, owner_unit)
        types = check_event_types(request.jenis_event, CATALOG)
        if request.saluran == Channel.EMAIL and not request.email:
            raise DomainError("Alamat email wajib diisi untuk saluran email.", field="email")
        if request.saluran != Channel.EMAIL and request.mode == Mode.RINGKASAN_HARIAN:
            raise DomainError("Ringkasan harian hanya tersedia untuk saluran email.", field="mode")
        now = self.clock.now()
        subscription_id = str(uuid.uuid4())
        async with self.uow_factory() as uow:
            await uow.subscriptions.add(
                {
                    "id": subscription_id,
                    "channel": request.saluran,
                    "owner_kind": owner_kind,
                    "owner": owner,
                    "owner_unit": owner_unit,
                    "agency_subject": principal.subject if owner_kind == "agency" else None,
                    "lembaga": None,
                    "region": region,
                    "mode": request.mode,
                    "email": request.email.strip().lower() if request.email else None,
                    "active": True,
                    "created_by": principal.subject,
                    "created_at": now,
                    "updated_at": now,
                },
                types,
            )
            await uow.commit()
        return subscription_id

    async def register_webhook(self, principal: Principal, request: WebhookRequest) -> tuple[str, str]:
        """Register an agency's endpoint; return its id and its secret (shown this once).

        An agency registers with its own token (role ``agency``) for its own region; a unit's
        operator or admin may register one on an agency's behalf, naming the agency."""
        if principal.role == Role.AGENCY:
            owner_unit = principal.unit
            agency_subject: str | None = principal.subject
            lembaga = (request.lembaga or principal.subject).strip()
        elif principal.role in (Role.ADMIN, Role.OPERATOR):
            owner_unit = request.unit or principal.unit
            principal.require_act(owner_unit, Role.OPERATOR)
            agency_subject = None
            lembaga = (request.lembaga or "").strip()
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
        region = request.wilayah or owner_unit
        _check_region(region, owner_unit)
        url = await self._check_url(request.url)
        types = check_event_types(request.jenis_event, CATALOG)
        now = self.clock.now()
        subscription_id = str(uuid.uuid4())
        secret = signature.new_secret()
        async with self.uow_factory() as uow:
            await uow.subscriptions.add(
                {
                    "id": subscription_id,
                    "channel": Channel.WEBHOOK,
                    "owner_kind": "agency",
                    "owner": agency_subject or lembaga,
                    "owner_unit": owner_unit,
                    "agency_subject": agency_subject,
                    "lembaga": lembaga,
                    "region": region,
                    "mode": Mode.SEGERA,
                    "url": url,
                    "secret": secret,
                    "active": True,
                    "created_by": principal.subject,
                    "created_at": now,
                    "updated_at": now,
                },
                types,
            )
            await uow.commit()
        return subscription_id, secret

    async def _check_url(self, url: str) -> str:
        """The canonical URL, refused when it is not acceptable as written or when its name
        resolves now to an address a webhook may not reach. A name that does not resolve now
        is accepted (the receiver may not be set up yet): every delivery resolves it again and
        refuses it then (docs/webhooks.md)."""
        allow_loopback = self.settings.webhook_allow_http_loopback
        networks = self.settings.webhook_allowed_networks
        target = parse_webhook_url(url, allow_http_loopback=allow_loopback, allowed_networks=networks)
        if target.ip is None:
            try:
                async with asyncio.timeout(REGISTRATION_RESOLVE_SECONDS):
                    addresses = await self.resolver(target.host, target.port)
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

    async def _managed(
        self,
        uow: NotificationUnitOfWork,
        principal: Principal,
        subscription_id: str,
        *,
        webhook: bool | None = None,
    ) -> Any:
        row = await uow.subscriptions.get(subscription_id, for_update=True)
        if (
            row is None
            or not row.active
            or not can_manage(principal, row)
            or (webhook is not None and (row.channel == Channel.WEBHOOK) != webhook)
        ):
            what = "Webhook" if webhook else "Langganan"
            raise NotFound(f"{what} {subscription_id} tidak ditemukan.")
        return row

    async def rotate_secret(
        self, principal: Principal, subscription_id: str, grace_seconds: int | None
    ) -> tuple[str, dt.datetime]:
        """A new secret; the previous one keeps signing until the grace period ends."""
        grace = self.settings.webhook_secret_grace_seconds if grace_seconds is None else grace_seconds
        now = self.clock.now()
        secret = signature.new_secret()
        until = now + dt.timedelta(seconds=grace)
        async with self.uow_factory() as uow:
            row = await self._managed(uow, principal, subscription_id, webhook=True)
            await uow.subscriptions.update(
                row.id,
                secret=secret,
                previous_secret=row.secret,
                previous_secret_until=until,
                updated_at=now,
            )
            await uow.commit()
        return secret, until

    async def unsubscribe(self, principal: Principal, subscription_id: str, *, webhook: bool) -> None:
        async with self.uow_factory() as uow:
            row = await self._managed(uow, principal, subscription_id, webhook=webhook)
            await uow.subscriptions.update(row.id, active=False, updated_at=self.clock.now())
            await uow.commit()

    async def check_managed(self, principal: Principal, subscription_id: str, *, webhook: bool) -> Any:
        async with self.uow_factory() as uow:
            return await self._managed(uow, principal, subscription_id, webhook=webhook)

    async def set_contact(self, principal: Principal, unit: str, emails: Sequence[str], mode: Mode) -> None:
        principal.require_act(unit)
        addresses = sorted({address.strip().lower() for address in emails})
        async with self.uow_factory() as uow:
            await uow.contacts.put(unit, addresses, mode, principal.subject, self.clock.now())
            await uow.commit()

    async def send_again(self, principal: Principal, delivery_id: str) -> None:
        """Put a failed (dead-lettered) delivery back in the queue, attempts counted anew."""
        async with self.uow_factory() as uow:
            row = await uow.deliveries.get(delivery_id)
            if row is None:
                raise NotFound(f"Pengiriman {delivery_id} tidak ditemukan.")
            if row.subscription_id:
                await self._managed(uow, principal, row.subscription_id)
            elif not principal.can_act_on(row.unit):
                raise NotFound(f"Pengiriman {delivery_id} tidak ditemukan.")
            if not await uow.deliveries.requeue(delivery_id, self.clock.now()):
                raise Conflict(
                    f"Pengiriman {delivery_id} berstatus '{row.status}'; hanya yang gagal dapat dikirim ulang."
                )
            await uow.commit()

    async def mark_read(self, message_id: str) -> None:
        async with self.uow_factory() as uow:
            await uow.deliveries.mark_read(message_id, self.clock.now())
            await uow.commit()
