"""Notification's own settings (``AWASI_NOTIFICATION_*``), beside the shared ServiceSettings.

Every interval is a setting, so tests run the scheduler and the delivery worker fast and a
deployment runs them at a calm pace. Times of day (``reminder_time``, ``digest_time``) are read
on each unit's own clock (WIB, WITA or WIT, ``awasi_common.units.zone_of``).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class NotificationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AWASI_NOTIFICATION_", extra="ignore")

    # Reminders
    reminder_days_before: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [3, 1])
    """H-n reminders before a kegiatan starts; ``3,1`` means H-3 and H-1."""
    realisation_days_after: int = Field(default=1, ge=0)
    """Days after a kegiatan ends when its unit is reminded to record the realisation."""
    reminder_time: dt.time = dt.time(7, 0)
    """Hour a reminder falls due on its day, on its unit's own clock."""
    scheduler_poll_seconds: float = Field(default=30.0, gt=0)

    # Daily digest
    digest_time: dt.time = dt.time(7, 0)
    """Hour a recipient's daily digest is sent, on the clock of the units it is about."""

    # Delivery worker
    delivery_poll_seconds: float = Field(default=1.0, gt=0)
    delivery_batch_size: int = Field(default=50, ge=1)
    delivery_concurrency: int = Field(default=8, ge=1)
    delivery_lease_seconds: float = Field(default=120.0, gt=0)
    retry_base_seconds: float = Field(default=30.0, ge=0)
    retry_max_seconds: float = Field(default=3600.0, ge=0)
    retry_jitter: float = Field(default=0.1, ge=0, le=1)
    email_max_attempts: int = Field(default=12, ge=1)
    webhook_max_attempts: int = Field(default=8, ge=1)

    # The inbox's event stream (GET /kotak-masuk/aliran)
    inbox_stream_max: int = Field(default=200, ge=1)
    """Open streams per process; beyond it a stream is refused (503, Retry-After)."""
    inbox_stream_poll_seconds: float = Field(default=1.0, gt=0)
    inbox_stream_heartbeat_seconds: float = Field(default=15.0, gt=0)
    inbox_stream_max_seconds: float = Field(default=600.0, gt=0)
    """A stream's longest life; the browser then reconnects (with Last-Event-ID, a fresh token)."""
    inbox_stream_lookback_seconds: float = Field(default=60.0, ge=0)
    """How far before its newest message a stream looks for a message committed late."""

    # Webhooks
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_allow_http_loopback: bool = False
    """Development and tests only, off by default: webhooks may point at loopback (127.0.0.0/8,
    ::1, ``localhost``), over ``http://`` as well. Nothing else internal is opened by it."""
    webhook_allowed_networks: list[str] = []
    """Private networks webhooks may reach (CIDRs, e.g. an agency inside the government
    network). Everything else that is not a public address is refused, at registration and at
    every delivery after resolving the host name."""
    webhook_secret_grace_seconds: int = Field(default=24 * 3600, ge=0)
    """How long the previous secret still signs after a rotation."""

    # Email
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_tls: bool = False
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    smtp_sender: str = "Awasi Bawaslu <notifikasi@awasi.local>"

    @field_validator("reminder_days_before", mode="before")
    @classmethod
    def _days(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip().strip("[]")
            return [int(part) for part in text.split(",") if part.strip()]
        return value

    @field_validator("reminder_days_before")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        if any(days < 1 for days in value):
            raise ValueError("hari pengingat sebelum kegiatan harus 1 atau lebih")
        return sorted(set(value), reverse=True)

    @field_validator("webhook_allowed_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for network in value:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError as error:
                raise ValueError(f"jaringan webhook yang diizinkan tidak sah: {network!r} (tulis CIDR)") from error
        return value
