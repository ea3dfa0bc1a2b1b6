"""Kafka through FastStream: the broker, topic creation, the relay's publisher and the
idempotent consumer.

Consumers acknowledge (commit the offset) only after the handler returned, which is after
its effect and inbox row were committed. A message that cannot be decoded, or whose handler
keeps failing for a reason that is not transient, goes to the consumer group's dead-letter
topic with the error in a header, and the consumer goes on with the next. Transient failures
(database or broker away) are retried in place with backoff: work is delayed, not lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from opentelemetry.trace import Tracer

from awasi_common.db import UNAVAILABLE_ERRORS, is_unavailable
from awasi_common.events.base import Event, dead_letter_topic
from awasi_common.events.envelope import Envelope, UndecodableEvent, decode
from awasi_common.outbox import OutboxMessage, Publisher
from awasi_common.settings import PlatformSettings
from awasi_common.telemetry import Telemetry
from awasi_common.uow import AlreadyHandled, UnitOfWork

log = logging.getLogger(__name__)

ERROR_HEADER = "x-awasi-error"
REWIND_WINDOW_SECONDS = 120.0
ORIGIN_HEADERS = ("x-awasi-original-topic", "x-awasi-original-partition", "x-awasi-original-offset")


def create_broker(settings: PlatformSettings, service: str, telemetry: Telemetry) -> KafkaBroker:
    return KafkaBroker(
        settings.kafka_bootstrap,
        client_id=f"awasi-{service}",
        enable_idempotence=settings.kafka_idempotence,
        acks="all",
        linger_ms=2,
        middlewares=[
            KafkaTelemetryMiddleware(tracer_provider=telemetry.tracer_provider, meter_provider=telemetry.meter_provider)
        ],
        logger=None,
    )


async def ensure_topics(bootstrap: str, names: Iterable[str], *, partitions: int, replication: int = 1) -> list[str]:
    """Create the topics that do not exist yet; return the ones created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="awasi-topics")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [name for name in names if name not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another process won the race
                await admin.create_topics([NewTopic(name, partitions, replication) for name in missing])
        return missing
    finally:
        await admin.close()


def relay_publisher(broker: KafkaBroker, tracer: Tracer) -> Publisher:
    """Publish a batch of outbox rows, each in the trace of the request that wrote it."""
    from opentelemetry import context as otel_context
    from opentelemetry import propagate

    async def publish(messages: Sequence[OutboxMessage]) -> None:
        pending = []
        for message in messages:
            # A fresh context: the relay's own polling is not traced, the request's trace is.
            token = otel_context.attach(propagate.extract(message.headers, context=otel_context.Context()))
            try:
                headers = {k: v for k, v in message.headers.items() if k not in ("traceparent", "tracestate")}
                future = await broker.publish(
                    message.payload,
                    message.topic,
                    key=message.key.encode(),
                    headers=headers,
                    no_confirm=True,
                )
                pending.append(future)
            finally:
                otel_context.detach(token)
        await asyncio.gather(*pending)

    return publish


class EventHandler(Protocol):
    async def __call__(self, event: Any, envelope: Envelope, uow: Any) -> None: ...


@dataclass
class Consumer:
    """One consumer group: which event types it handles and with which handler."""

    group: str
    handlers: dict[type[Event], EventHandler]
    uow_factory: Callable[[], UnitOfWork]
    max_attempts: int = 3
    handled: int = field(default=0, init=False)
    dead_lettered: int = field(default=0, init=False)
    restarts: int = field(default=0, init=False)
    rewind_until: float = field(default=0.0, init=False)
    _subscriber: Any = field(default=None, init=False, repr=False)

    @property
    def topics(self) -> list[str]:
        return sorted({event.topic for event in self.handlers})

    @property
    def types(self) -> dict[str, type[Event]]:
        return {event.ce_type(): event for event in self.handlers}

    def subscribe(self, broker: KafkaBroker, telemetry: Telemetry) -> None:
        dlq = dead_letter_topic(self.group)
        latency = telemetry.meter.create_histogram(
            "awasi.consumer.handle.duration", unit="ms", description="Time to handle one event"
        )
        dead = telemetry.meter.create_counter(
            "awasi.consumer.dead_lettered", description="Events sent to the dead-letter topic"
        )

        subscriber = broker.subscriber(
            *self.topics,
            group_id=self.group,
            ack_policy=AckPolicy.ACK,
            auto_offset_reset="earliest",
            # The raw bytes reach ``process``: a body that is not JSON must be dead-lettered
            # by us, not dropped by FastStream's decoder before the handler runs.
            decoder=_raw_body,
            listener=_Rewinder(self),
        )
        self._subscriber = subscriber

        @subscriber
        async def on_message(message: KafkaMessage) -> None:
            started = time.perf_counter()
            raw: Any = message.raw_message
            try:
                await self.process(message.headers, message.body)
            except UndecodableEvent as error:
                await self._dead_letter(broker, dlq, raw, message, str(error))
                dead.add(1, {"group": self.group})
            except _GaveUp as error:
                await self._dead_letter(broker, dlq, raw, message, str(error.__cause__))
                dead.add(1, {"group": self.group})
            latency.record((time.perf_counter() - started) * 1000, {"group": self.group})

    async def restart(self) -> None:
        """Leave and join the group again: after the broker lost its log (and with it the group
        and its offsets), the consumer starts over from the new log's beginning; the inbox skips
        what was handled before."""
        self.restarts += 1
        await self._subscriber.stop()
        # The old member may have committed stale offsets into the new broker's group before
        # it stopped, and the group may rebalance a few times while it settles: for a while,
        # every assignment starts from the beginning (the inbox skips what was handled).
        self.rewind_until = time.monotonic() + REWIND_WINDOW_SECONDS
        await self._subscriber.start()

    async def process(self, headers: dict[str, Any], body: bytes) -> None:
        """Decode one message and handle it exactly once in its effects."""
        envelope = Envelope.from_headers(headers)
        model = self.types.get(envelope.type)
        if model is None:
            return  # another type on a topic we read: not ours to handle
        event = decode(envelope, body)
        handler = self.handlers[model]
        attempt = 0
        backoff = 0.2
        while True:
            attempt += 1
            try:
                async with self.uow_factory() as uow:
                    await uow.mark_handled(self.group, envelope.id, envelope.type)
                    await handler(event, envelope, uow)
                    await uow.commit()
                self.handled += 1
                return
            except AlreadyHandled:
                return
            except asyncio.CancelledError:
                raise
            except (*UNAVAILABLE_ERRORS, KafkaError, OSError) as error:
                if isinstance(error, KafkaError | OSError) or is_unavailable(error):
                    log.warning("%s: transient failure on %s, retrying: %s", self.group, envelope.id, error)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
                    continue
                if attempt >= self.max_attempts:
                    raise _GaveUp from error
            except Exception as error:
                if attempt >= self.max_attempts:
                    raise _GaveUp from error
                await asyncio.sleep(0.05 * attempt)

    async def _dead_letter(self, broker: KafkaBroker, dlq: str, raw: Any, message: Any, error: str) -> None:
        log.error("%s: dead-lettering %s: %s", self.group, message.headers.get("ce_id"), error)
        headers = {k: v for k, v in message.headers.items() if isinstance(v, str)}
        headers[ERROR_HEADER] = error[:4000]
        headers[ORIGIN_HEADERS[0]] = str(raw.topic)
        headers[ORIGIN_HEADERS[1]] = str(raw.partition)
        headers[ORIGIN_HEADERS[2]] = str(raw.offset)
        await broker.publish(message.body, dlq, key=raw.key, headers=headers)
        self.dead_lettered += 1


class _Rewinder(ConsumerRebalanceListener):
    """Seeks to the beginning of partitions assigned shortly after a restart."""

    def __init__(self, consumer: Consumer) -> None:
        self._consumer = consumer

    async def on_partitions_revoked(self, revoked: Any) -> None:
        return None

    async def on_partitions_assigned(self, assigned: Any) -> None:
        if not assigned or time.monotonic() > self._consumer.rewind_until:
            return
        kafka = self._consumer._subscriber.consumer
        if kafka is not None:
            await kafka.seek_to_beginning(*assigned)


async def _raw_body(message: Any) -> bytes:
    return bytes(message.body)


class _GaveUp(Exception):
    pass
