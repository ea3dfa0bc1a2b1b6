"""Notification's use cases behind its API, one frozen dataclass each, built by the HTTP
schemas (``body.to_command()``) and run by ``service_layer.handlers``."""

from __future__ import annotations

from dataclasses import dataclass

from awasi_notification.domain.deliveries import Channel, Mode
from awasi_notification.domain.subscriptions import Audience


@dataclass(frozen=True)
class Subscribe:
    """An inbox or email subscription for event types of a region."""

    untuk: Audience
    saluran: Channel
    jenis_event: tuple[str, ...]
    unit: str | None = None
    """The owning unit (``untuk=unit``); the token's unit when None."""
    wilayah: str | None = None
    """The region; the owning unit when None."""
    email: str | None = None
    mode: Mode = Mode.SEGERA


@dataclass(frozen=True)
class Unsubscribe:
    subscription_id: str
    webhook: bool = False
    """Whether the id names a webhook (DELETE /webhook/…) or another subscription."""


@dataclass(frozen=True)
class RegisterWebhook:
    """An agency's signed webhook, registered by the agency or by a unit on its behalf."""

    url: str
    jenis_event: tuple[str, ...]
    lembaga: str | None = None
    wilayah: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class RotateSecret:
    subscription_id: str
    grace_seconds: int | None = None
    """How long the previous secret still signs; the setting's default when None."""


@dataclass(frozen=True)
class SetContact:
    """A unit's addresses for reminders and alerts."""

    unit: str
    emails: tuple[str, ...]
    mode: Mode = Mode.SEGERA


@dataclass(frozen=True)
class RetryDelivery:
    """Send a failed (dead-lettered) delivery again."""

    delivery_id: str


@dataclass(frozen=True)
class MarkInboxRead:
    message_id: str
