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
from collections.abc import Callable
from dataclasses import dataclass, field
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
from awasi_notification.service_layer.notify import Clock
from awasi_notification.service_layer.unit_of_work import NotificationUnitOfWork
from awasi_notification.settings import NotificationSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str | None = None
    permanent: bool = False
    status: int | None = None


@dataclass
class DeliveryService:
    uow_factory: Callable[[], NotificationUnitOfWork]
    settings: NotificationSettings
    clock: Clock
    email: EmailSender
    webhook: WebhookSender
    tracer: Tracer = field(default_factory=lambda: trace.get_tracer("awasi.notification"))
    meter: Meter = field(default_factory=lambda: metrics.get_meter("awasi.notification"))

    def __post_init__(self) -> None:
        self._outcomes = self.meter.create_counter(
            "awasi.notification.deliveries", description="Delivery attempts by channel and outcome"
        )

    async def deliver_due(self) -> int:
        """Try every due delivery once; return how many were tried."""
        token = str(uuid.uuid4())
        now = self.clock.now()
        lease_until = now + dt.timedelta(seconds=self.settings.delivery_lease_seconds)
        async with self.uow_factory() as uow:
            rows = await uow.deliveries.claim_due(now, self.settings.delivery_batch_size, lease_until, token)
            await uow.commit()
        if not rows:
            return 0
        limit = asyncio.Semaphore(self.settings.delivery_concurrency)

        async def one(row: Any) -> None:
            async with limit:
                outcome = await self._attempt(row)
                await self._settle(row, token, outcome)

        results = await asyncio.gather(*(one(row) for row in rows), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                log.warning("delivery outcome not recorded (retried after the lease): %s", result)
        return len(rows)

    async def _attempt(self, row: Any) -> Outcome:
        """One try, as a span in the trace of the event that caused the delivery."""
        with self.tracer.start_as_current_span(
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
            outcome = await self._try(row)
            self._outcomes.add(1, {"channel": str(row.channel), "outcome": "sent" if outcome.ok else "failed_attempt"})
            if outcome.status is not None:
                span.set_attribute("http.response.status_code", outcome.status)
            if not outcome.ok:
                span.set_status(StatusCode.ERROR, outcome.error)
            return outcome

    async def _try(self, row: Any) -> Outcome:
        try:
            if row.channel == Channel.EMAIL:
                await self.email.send(to=row.recipient, subject=row.subject, body=row.body, message_id=row.id)
                return Outcome(True)
            if row.channel == Channel.WEBHOOK:
                return await self._post(row)
            return Outcome(True)  # inbox rows are delivered when recorded
        except DeliveryError as error:
            return Outcome(False, str(error), error.permanent, error.status)
        except Exception as error:  # never let one delivery stop the worker
            return Outcome(False, f"{type(error).__name__}: {error}")

    async def _post(self, row: Any) -> Outcome:
        async with self.uow_factory() as uow:
            sub = await uow.subscriptions.get(row.subscription_id) if row.subscription_id else None
        if sub is None or not sub.active or not sub.url:
            return Outcome(False, "langganan webhook sudah dihapus", permanent=True)
        secrets = [sub.secret]
        until = sub.previous_secret_until
        if sub.previous_secret and until is not None:
            if until.tzinfo is None:
                until = until.replace(tzinfo=dt.UTC)
            if until > self.clock.now():
                secrets.append(sub.previous_secret)
        body = row.body.encode()
        # The receiver compares the timestamp with its own clock: real time, always.
        timestamp = int(dt.datetime.now(dt.UTC).timestamp())
        headers = signature.headers(secrets, row.id, timestamp, body)
        propagate.inject(headers)  # the agency may continue the trace on its side
        response = await self.webhook.post(sub.url, body, headers)
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

    async def _settle(self, row: Any, token: str, outcome: Outcome) -> None:
        now = self.clock.now()
        attempts = row.attempts + 1
        async with self.uow_factory() as uow:
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
                if not await uow.deliveries.settle(
                    row.id, token, status=Status.FAILED, last_error=outcome.error, **common
                ):
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
                    base=self.settings.retry_base_seconds,
                    cap=self.settings.retry_max_seconds,
                    jitter=self.settings.retry_jitter,
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
