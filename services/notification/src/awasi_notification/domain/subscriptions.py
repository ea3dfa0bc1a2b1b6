"""Subscriptions and agency webhooks: what may be subscribed, and who manages one."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from awasi_common.errors import DomainError, Forbidden, NotFound
from awasi_common.events.base import Event
from awasi_common.principal import Principal
from awasi_common.units import RI_CODE, is_within
from awasi_common.vocabulary import Role
from awasi_notification.domain.deliveries import Channel, Mode

OWN_SOURCE = "/awasi/notification"
"""Notification's own delivery records: never subscribed, never reacted to."""
WILDCARD = "*"
"""Subscribes to every public event type."""


def check_event_types(requested: Iterable[str], catalog: Mapping[str, type[Event]]) -> list[str]:
    """The requested types, each a public event of the catalog (or ``*`` for all of them)."""
    # Quoted back in refusals: written as escapes whatever they hold, so the answer can be sent.
    wanted = [
        t.strip().encode("utf-8", "backslashreplace").decode().replace("\x00", "\\x00")
        for t in requested
        if t and t.strip()
    ]
    if not wanted:
        raise DomainError(
            "Pilih minimal satu jenis event, misalnya 'awasi.KegiatanScheduled.v1'.",
            field="jenis_event",
        )
    if WILDCARD in wanted:
        return [WILDCARD]
    unknown = [t for t in wanted if t not in catalog]
    if unknown:
        raise DomainError(
            f"Jenis event tidak dikenal: {', '.join(sorted(set(unknown)))}. "
            f"Jenis yang tersedia: {', '.join(subscribable(catalog))}.",
            field="jenis_event",
        )
    internal = [t for t in wanted if not catalog[t].public]
    if internal:
        raise DomainError(
            f"Jenis event {', '.join(sorted(set(internal)))} bersifat internal (memuat data pribadi) "
            "dan tidak dapat dilanggani.",
            field="jenis_event",
        )
    own = [t for t in wanted if catalog[t].source == OWN_SOURCE]
    if own:
        raise DomainError(
            f"Jenis event {', '.join(sorted(set(own)))} adalah catatan pengiriman layanan notifikasi "
            "sendiri dan tidak dapat dilanggani.",
            field="jenis_event",
        )
    return sorted(set(wanted))


def subscribable(catalog: Mapping[str, type[Event]]) -> list[str]:
    return sorted(t for t, cls in catalog.items() if cls.public and cls.source != OWN_SOURCE)


class Audience(StrEnum):
    """Whose a subscription is."""

    UNIT = "unit"
    """The unit's inbox or address."""
    PRIBADI = "pribadi"
    """The user's (or agency's) own."""


@dataclass(frozen=True)
class Subscription:
    """One subscription: an inbox, an email address or an agency's webhook, for event types of
    a region. ``owner_kind`` is unit, user or agency; ``owner`` the unit code or token subject."""

    id: str
    channel: Channel
    owner_kind: str
    owner: str
    owner_unit: str
    region: str
    mode: Mode
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    active: bool = True
    agency_subject: str | None = None
    lembaga: str | None = None
    email: str | None = None
    url: str | None = None
    secret: str | None = None
    previous_secret: str | None = None
    previous_secret_until: dt.datetime | None = None

    def managed_by(self, principal: Principal) -> bool:
        """Who may read its log, change or delete it."""
        if principal.role == Role.AGENCY:
            # An agency manages what it registered itself and nothing else, not even a staff
            # member's personal subscription that happens to carry the same subject.
            return (
                self.owner_kind == "agency" and bool(self.agency_subject) and principal.subject == self.agency_subject
            )
        if principal.role == Role.ADMIN and principal.unit == RI_CODE:
            return True
        if self.owner_kind == "user":
            return bool(principal.subject == self.owner)
        if self.owner_kind == "agency":
            return principal.role in (Role.ADMIN, Role.OPERATOR) and principal.can_act_on(self.owner_unit)
        return principal.can_act_on(self.owner_unit)

    def signing_secrets(self, now: dt.datetime) -> list[str]:
        """The current secret, and the previous one while its grace period lasts."""
        secrets = [self.secret] if self.secret else []
        until = self.previous_secret_until
        if self.previous_secret and until is not None:
            if until.tzinfo is None:
                until = until.replace(tzinfo=dt.UTC)
            if until > now:
                secrets.append(self.previous_secret)
        return secrets

    def rotated(self, secret: str, until: dt.datetime, now: dt.datetime) -> Subscription:
        return dataclasses.replace(
            self, secret=secret, previous_secret=self.secret, previous_secret_until=until, updated_at=now
        )

    def deactivated(self, now: dt.datetime) -> Subscription:
        return dataclasses.replace(self, active=False, updated_at=now)


def managed(
    subscription: Subscription | None, principal: Principal, subscription_id: str, *, webhook: bool | None = None
) -> Subscription:
    """The subscription when it is active, of the kind asked for and ``principal`` manages it;
    otherwise it does not exist as far as they can tell (404, never 403)."""
    if (
        subscription is None
        or not subscription.active
        or not subscription.managed_by(principal)
        or (webhook is not None and (subscription.channel == Channel.WEBHOOK) != webhook)
    ):
        what = "Webhook" if webhook else "Langganan"
        raise NotFound(f"{what} {subscription_id} tidak ditemukan.")
    return subscription


def check_region(region: str, owner_unit: str) -> None:
    if not is_within(region, owner_unit):
        raise Forbidden(
            f"Wilayah {region} berada di luar cakupan unit {owner_unit}; pilih unit {owner_unit} atau unit di bawahnya."
        )
