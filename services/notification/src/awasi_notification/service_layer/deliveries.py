"""Sending what was recorded: lease due deliveries, try each once, and write the outcome with
its NotificationDelivered / NotificationFailed event in one transaction.

A delivery is marked sent only after the SMTP server or the webhook receiver accepted it. A
crash between the two sends it once more when its lease runs out (at least once); the stable
``webhook-id`` and email ``Message-ID`` let a receiver recognise the repeat.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from opentelemetry import metrics, propagate, trace
from opentelemetry.metrics import Meter
from opentelemetry.trace import SpanKind, StatusCode, Tracer

from awasi_common.events.notification import NotificationDelivered, NotificationFailed
from awasi_common.telemetry import context_of
from awasi_notification.adapters.senders import DeliveryError, EmailSender, WebhookSender
from awasi_notification.domain import signature
from awasi_notification.domain.deliveries import Channel, Status, retry_delay
from awasi_notification.domain.messages import DIGEST_EVENT_TYPE
from awasi_notification.service_layer.unit_of_work import UowFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str | None = None
    permanent: bool = False
    status: int | None = None


class Outlets:
    """The delivery worker's collaborators that hold state: the mail sender, the webhook
    client, and the span and counter of each attempt. A test swaps one (``webhook``)."""

    def __init__(
        self,
        email: EmailSender,
        webhook: WebhookSender,
        tracer: Tracer | None = None,
        meter: Meter | None = None,
    ) -> None:
        self.email = email
        self.webhook = webhook
        self.tracer = tracer or trace.get_tracer("awasi.notification")
        self.outcomes = (meter or metrics.get_meter("awasi.notification")).create_counter(
            "awasi.notification.deliveries", description="Delivery attempts by channel and outcome"
        )


async def deliver_due(uow_factory: UowFactory, outlets: Outlets) -> int:
    """Try every due delivery once; return how many were tried."""
    token = str(uuid.uuid4())
    async with uow_factory() as uow:
        settings = uow.settings
        now = uow.clock.now()
        lease_until = now + dt.timedelta(seconds=settings.delivery_lease_seconds)
        rows = await uow.deliveries.claim_due(now, settings.delivery_batch_size, lease_until, token)
        await uow.commit()
    if not rows:
        return 0
    limit = asyncio.Semaphore(settings.delivery_concurrency)

    async def one(row: Any) -> None:
        async with limit:
            outcome = await _attempt(uow_factory, outlets, row)
            await _settle(uow_factory, row, token, outcome)

    results = await asyncio.gather(*(one(row) for row in rows), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            log.warning("delivery outcome not recorded (retried after the lease): %s", result)
    return len(rows)


async def _attempt(uow_factory: UowFactory, outlets: Outlets, row: Any) -> Outcome:
    """One try, as a span in the trace of the event that caused the delivery."""
    with outlets.tracer.start_as_current_span(
        f"deliver {row.channel}",
        context=context_of(getattr(row, "traceparent", None)),
        kind=SpanKind.CLIENT,
        attributes={
            "awasi.delivery.id": row.id,
            "awasi.delivery.channel": row.channel,
            "awasi.delivery.attempt": row.attempts + 1,
            "awasi.event.type": row.event_type,
            "awasi.unit": row.unit,
        },
    ) as span:
        outcome = await _try(uow_factory, outlets, row)
        outlets.outcomes.add(1, {"channel": str(row.channel), "outcome": "sent" if outcome.ok else "failed_attempt"})
        if outcome.status is not None:
            span.set_attribute("http.response.status_code", outcome.status)
        if not outcome.ok:
            span.set_status(StatusCode.ERROR, outcome.error)
        return outcome


async def _try(uow_factory: UowFactory, outlets: Outlets, row: Any) -> Outcome:
    try:
        if row.channel == Channel.EMAIL:
            await outlets.email.send(to=row.recipient, subject=row.subject, body=row.body, message_id=row.id)
            return Outcome(True)
        if row.channel == Channel.WEBHOOK:
            return await _post(uow_factory, outlets.webhook, row)
        return Outcome(True)  # inbox rows are delivered when recorded
    except DeliveryError as error:
        return Outcome(False, str(error), error.permanent, error.status)
    except Exception as error:  # never let one delivery stop the worker
        return Outcome(False, f"{type(error).__name__}: {error}")


async def _post(uow_factory: UowFactory, webhook: WebhookSender, row: Any) -> Outcome:
    async with uow_factory() as uow:
        sub = await uow.subscriptions.get(row.subscription_id) if row.subscription_id else None
        now = uow.clock.now()
    if sub is None or not sub.active or not sub.url:
        return Outcome(False, "langganan webhook sudah dihapus", permanent=True)
    body = row.body.encode()
    # The receiver compares the timestamp with its own clock: real time, always.
    timestamp = int(dt.datetime.now(dt.UTC).timestamp())
    headers = signature.headers(sub.signing_secrets(now), row.id, timestamp, body)
    propagate.inject(headers)  # the agency may continue the trace on its side
    response = await webhook.post(sub.url, body, headers)
    if 200 <= response.status < 300:
        return Outcome(True, status=response.status)
    if 300 <= response.status < 400:
        detail = (
            f"HTTP {response.status}: pengalihan"
            + (f" ke {response.location}" if response.location else "")
            + " tidak diikuti; daftarkan URL tujuan akhirnya sebagai URL webhook"
        )
    else:
        detail = f"HTTP {response.status}" + (f": {response.text}" if response.text else "")
    return Outcome(False, detail, permanent=False, status=response.status)


async def _settle(uow_factory: UowFactory, row: Any, token: str, outcome: Outcome) -> None:
    async with uow_factory() as uow:
        settings = uow.settings
        now = uow.clock.now()
        attempts = row.attempts + 1
        common = {"attempts": attempts, "updated_at": now, "response_status": outcome.status}
        event_fields = {
            "unit": row.unit,
            "delivery_id": row.id,
            "channel": row.channel,
            "recipient": row.recipient_label,
            "event_type": row.event_type,
            "event_id": row.event_id,
            "attempts": attempts,
        }
        if outcome.ok:
            if not await uow.deliveries.settle(
                row.id, token, status=Status.SENT, sent_at=now, last_error=None, **common
            ):
                return
            uow.publish(NotificationDelivered(**event_fields))
            final_status: str | None = Status.SENT
        elif outcome.permanent or attempts >= row.max_attempts:
            if not await uow.deliveries.settle(row.id, token, status=Status.FAILED, last_error=outcome.error, **common):
                return
            uow.publish(NotificationFailed(**event_fields, error=(outcome.error or "")[:2000]))
            final_status = Status.FAILED
            log.warning(
                "delivery %s to %s failed for good: %s",
                row.id,
                row.recipient_label,
                outcome.error,
            )
        else:
            delay = retry_delay(
                attempts,
                base=settings.retry_base_seconds,
                cap=settings.retry_max_seconds,
                jitter=settings.retry_jitter,
            )
            if not await uow.deliveries.settle(
                row.id,
                token,
                next_attempt_at=now + dt.timedelta(seconds=delay),
                last_error=outcome.error,
                **common,
            ):
                return
            final_status = None
        if final_status is not None and row.event_type == DIGEST_EVENT_TYPE:
            await uow.deliveries.settle_digest_items(row.id, final_status, now)
        await uow.commit()
