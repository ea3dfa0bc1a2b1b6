"""A delivery: one message to one recipient on one channel, sent once and tried again
with growing waits until it is accepted or dead-lettered."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"
    INBOX = "inbox"


class Mode(StrEnum):
    SEGERA = "segera"
    """One message per event."""
    RINGKASAN_HARIAN = "ringkasan_harian"
    """One email a day listing everything since the previous one."""


class Status(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    """Dead-lettered: attempts exhausted or refused for good; kept, and can be sent again."""
    DIGEST_PENDING = "digest_pending"
    """Waiting for the next daily digest of its recipient."""
    DIGESTED = "digested"
    """Part of a digest that is on its way."""


def dedup_key(source: str, channel: Channel | str, recipient: str) -> str:
    """One message per source (event or reminder), channel and recipient: never twice."""
    return f"{source}|{channel}|{recipient}"[:400]


def retry_delay(
    attempts: int,
    *,
    base: float,
    cap: float,
    jitter: float = 0.0,
    rand: random.Random | None = None,
) -> float:
    """Seconds to wait after ``attempts`` failed tries: base, 2·base, 4·base … up to ``cap``,
    spread by ±``jitter`` so that many deliveries failing together do not retry together."""
    delay = min(base * (2 ** max(attempts - 1, 0)), cap)
    if jitter:
        delay *= 1 + (rand or random).uniform(-jitter, jitter)
    return max(delay, 0.0)


@dataclass(frozen=True)
class NewDelivery:
    """A message to record: what the delivery row starts from (attempts and lease come later)."""

    id: str
    dedup_key: str
    channel: Channel
    recipient: str
    recipient_label: str
    subscription_id: str | None
    event_type: str
    event_id: str
    unit: str
    subject: str
    body: str
    status: Status
    max_attempts: int
    created_at: dt.datetime
