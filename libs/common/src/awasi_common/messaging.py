"""Kafka through FastStream: the broker, topic creation, the relay's publisher and the
idempotent consumer.

A consumer takes what the broker has for it in batches (up to ``batch_size`` records) and
handles a batch in one transaction: each event's handler in turn (each in its own span, in the
trace of the request that caused it), the batch's inbox rows in one insert that skips rows
already there, one commit, then one offset commit for the batch. When the insert finds an event
handled before (a redelivery), the transaction rolls back and the batch is handled again
without it. Offsets are committed only after the effects and inbox rows were. If anything in
the batch fails, the transaction rolls back and the batch's events are handled again one at a
time, each in its own transaction with the rules below, so one bad event costs the batch its
speed, not its work.

A message that cannot be decoded, or whose handler keeps failing for a reason that is not
transient, goes to the consumer group's dead-letter topic with the error in a header, and the
consumer goes on with the next. Transient failures (database or broker away) are retried in
place with backoff: work is delayed, not lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.client import AIOKafkaClient, CoordinationType
from aiokafka.errors import (
    CorruptRecordException,
    InvalidMessageError,
    InvalidTimestampError,
    InvalidTopicError,
    KafkaError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
    TopicAlreadyExistsError,
)
from aiokafka.protocol.group import LeaveGroupRequest
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from opentelemetry import context as otel_context
from opentelemetry import propagate
from opentelemetry.trace import SpanKind, Tracer

from awasi_common.db import UNAVAILABLE_ERRORS, is_unavailable
from awasi_common.events.base import Event, dead_letter_topic
from awasi_common.events.envelope import Envelope, UndecodableEvent, decode
from awasi_common.outbox import OutboxMessage, Publisher, PublishOutcome
from awasi_common.settings import PlatformSettings
from awasi_common.telemetry import Telemetry
from awasi_common.uow import AlreadyHandled, UnitOfWork

log = logging.getLogger(__name__)

ERROR_HEADER = "x-awasi-error"
RESTART_STOP_SECONDS = 15.0
"""How long a consumer's restart (after the broker lost its log) waits for the old member to stop.
A member whose coordinator is gone may wait on it without end, and the new log holds no group for
it to leave; the restart goes on with a new member. Suspected once in the suite: a service's
recovery went silent after "marking coordinator dead", and its consumers handled nothing for the
two minutes a fault test waited."""
REWIND_WINDOW_SECONDS = 120.0
ORIGIN_HEADERS = ("x-awasi-original-topic", "x-awasi-original-partition", "x-awasi-original-offset")
ORIGIN_TRACE_HEADER = "x-awasi-original-traceparent"
"""A dead letter's trace: the request that caused the event (``awasi trace``)."""


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
    """Publish a batch of outbox rows, each in the trace of the request that wrote it: a
    PRODUCER span per message, whose context travels in the message's ``traceparent``.

    The messages go straight to the broker's aiokafka producer (same connection and settings:
    acks, idempotence, linger), which packs them into a few produce requests; the batch is
    acknowledged when every message is. FastStream's per-message publish pipeline (middlewares,
    codec, command objects) cost several times more than the send itself."""

    async def publish(messages: Sequence[OutboxMessage]) -> PublishOutcome:
        producer = _aiokafka_producer(broker)
        if producer is None:  # e.g. FastStream's test broker: its own publish path
            return await _publish_through_faststream(broker, messages)
        outcome = PublishOutcome()
        refused_keys: set[str] = set()
        pending: list[tuple[OutboxMessage, Any]] = []
        for message in messages:
            if message.key in refused_keys:
                outcome.held.add(message.event_id)
                continue
            parent = propagate.extract(message.headers, context=otel_context.Context())
            with tracer.start_as_current_span(
                f"{message.topic} publish",
                context=parent,
                kind=SpanKind.PRODUCER,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.destination.name": message.topic,
                    "messaging.message.id": message.event_id,
                },
            ):
                headers = {k: v for k, v in message.headers.items() if k not in ("traceparent", "tracestate")}
                propagate.inject(headers)  # this span's context: consumers' spans are its children
                try:
                    sent = await producer.send(
                        message.topic,
                        value=message.payload,
                        key=message.key.encode(),
                        headers=[(k, v.encode()) for k, v in headers.items()],
                    )
                except PERMANENT_SEND_ERRORS as error:  # refused by the client before sending
                    outcome.refused[message.event_id] = _describe(error)
                    refused_keys.add(message.key)
                    continue
                pending.append((message, sent))
        results = await asyncio.gather(*(sent for _, sent in pending), return_exceptions=True)
        for (message, _), result in zip(pending, results, strict=True):
            if isinstance(result, PERMANENT_SEND_ERRORS):
                outcome.refused[message.event_id] = _describe(result)
            elif isinstance(result, BaseException):
                raise result  # may pass: the whole batch stays pending and is sent again
        return outcome

    return publish


PERMANENT_SEND_ERRORS: tuple[type[Exception], ...] = (
    MessageSizeTooLargeError,
    RecordTooLargeError,
    RecordListTooLargeError,
    InvalidTopicError,
    CorruptRecordException,
    InvalidMessageError,
    InvalidTimestampError,
)
"""Refusals that sending again cannot mend: the record stays as it is, so it would fail the
same way for ever. Everything else (the broker away, a leader moving) is retried."""


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _aiokafka_producer(broker: KafkaBroker) -> Any:
    """The running broker's aiokafka producer, or None when there is none to reach."""
    try:
        producer = broker.config.producer._producer.producer  # type: ignore[attr-defined]
    except Exception:
        return None
    return producer if hasattr(producer, "send") and not getattr(producer, "_closed", True) else None


async def _publish_through_faststream(broker: KafkaBroker, messages: Sequence[OutboxMessage]) -> PublishOutcome:
    pending = []
    for message in messages:
        # A fresh context: the relay's own polling is not traced, the request's trace is.
        token = otel_context.attach(propagate.extract(message.headers, context=otel_context.Context()))
        try:
            headers = {k: v for k, v in message.headers.items() if k not in ("traceparent", "tracestate")}
            pending.append(
                await broker.publish(
                    message.payload, message.topic, key=message.key.encode(), headers=headers, no_confirm=True
                )
            )
        finally:
            otel_context.detach(token)
    await asyncio.gather(*pending)
    return PublishOutcome()


class EventHandler(Protocol):
    async def __call__(self, event: Any, envelope: Envelope, uow: Any) -> None: ...


@dataclass
class _Item:
    """One decoded message of a batch."""

    record: Any
    headers: dict[str, Any]
    envelope: Envelope
    event: Event
    handler: EventHandler


@dataclass
class Consumer:
    """One consumer group: which event types it handles and with which handler."""

    group: str
    handlers: dict[type[Event], EventHandler]
    uow_factory: Callable[[], UnitOfWork]
    max_attempts: int = 3
    batch_size: int = 500
    """Most records handled in one transaction."""
    batch_wait_ms: int = 20
    """How long a poll waits for records when there are none."""
    fetch_wait_ms: int = 100
    """How long the broker may hold a fetch that found nothing new (``PlatformSettings.
    kafka_fetch_wait_ms``, where the embedded broker's latency at each wait is given)."""
    handled: int = field(default=0, init=False)
    dead_lettered: int = field(default=0, init=False)
    restarts: int = field(default=0, init=False)
    batches: int = field(default=0, init=False)
    batches_one_by_one: int = field(default=0, init=False)
    """Batches that failed as a whole and were handled one event at a time."""
    rewind_until: float = field(default=0.0, init=False)
    _subscriber: Any = field(default=None, init=False, repr=False)
    _tracer: Tracer | None = field(default=None, init=False, repr=False)
    _types: dict[str, type[Event]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._types = {event.ce_type(): event for event in self.handlers}

    @property
    def topics(self) -> list[str]:
        return sorted({event.topic for event in self.handlers})

    @property
    def types(self) -> dict[str, type[Event]]:
        return self._types

    def subscribe(self, broker: KafkaBroker, telemetry: Telemetry, *, session_timeout_ms: int = 10_000) -> None:
        dlq = dead_letter_topic(self.group)
        latency = telemetry.meter.create_histogram(
            "awasi.consumer.handle.duration", unit="ms", description="Time to handle one event"
        )
        dead = telemetry.meter.create_counter(
            "awasi.consumer.dead_lettered", description="Events sent to the dead-letter topic"
        )

        self._tracer = telemetry.tracer
        subscriber = broker.subscriber(
            *self.topics,
            group_id=self.group,
            # Offsets are committed after the batch's transaction; a batch whose handling raised
            # (say the dead-letter topic could not be written) is sought back and read again.
            ack_policy=AckPolicy.NACK_ON_ERROR,
            session_timeout_ms=session_timeout_ms,
            heartbeat_interval_ms=max(session_timeout_ms // 3, 100),
            auto_offset_reset="earliest",
            batch=True,
            max_records=self.batch_size,
            batch_timeout_ms=self.batch_wait_ms,
            fetch_max_wait_ms=self.fetch_wait_ms,
            # The raw records reach ``process_batch``: a body that is not JSON must be
            # dead-lettered by us, not dropped by FastStream's decoder before the handler runs.
            decoder=_raw_records,
            # FastStream's parser decodes every header as UTF-8: one foreign record with a binary
            # header would fail the whole batch, over and over. Such bytes are replaced instead.
            parser=_lenient_headers,
            listener=_Rewinder(self),
        )
        self._subscriber = subscriber

        async def dead_letter(record: Any, headers: dict[str, Any], error: str) -> None:
            await self._dead_letter(broker, dlq, record, headers, error)
            dead.add(1, {"group": self.group})

        @subscriber
        async def on_batch(message: KafkaMessage) -> None:
            started = time.perf_counter()
            records = list(message.raw_message)
            headers = list(message.batch_headers) or [_headers_of(record) for record in records]
            await self.process_batch(records, headers, dead_letter)
            if records:
                latency.record((time.perf_counter() - started) * 1000 / len(records), {"group": self.group})

    async def process_batch(
        self,
        records: Sequence[Any],
        headers: Sequence[dict[str, Any]],
        dead_letter: Callable[[Any, dict[str, Any], str], Awaitable[None]],
    ) -> None:
        """Handle a batch of records exactly once in their effects (see the module's doc)."""
        items: list[_Item] = []
        for record, record_headers in zip(records, headers, strict=True):
            try:
                envelope = Envelope.from_headers(record_headers)
                model = self.types.get(envelope.type)
                if model is None:
                    continue  # another type on a topic we read: not ours to handle
                event = decode(envelope, bytes(record.value or b""))
            except UndecodableEvent as error:
                await dead_letter(record, record_headers, str(error))
                continue
            items.append(_Item(record, record_headers, envelope, event, self.handlers[model]))
        if not items:
            return
        self.batches += 1
        try:
            await self._handle_together(items)
            return
        except asyncio.CancelledError:
            raise
        except Exception as error:  # one at a time, each with its own retries and dead letter
            log.info("%s: batch of %d handled one by one: %s", self.group, len(items), error)
            self.batches_one_by_one += 1
        for item in items:
            try:
                await self._handle_one(item)
            except _GaveUp as error:
                await dead_letter(item.record, item.headers, str(error.__cause__))

    async def _handle_together(self, items: Sequence[_Item]) -> None:
        todo: list[_Item] = []
        seen: set[str] = set()
        for item in items:
            if item.envelope.id not in seen:  # the same event twice in one batch: handled once
                seen.add(item.envelope.id)
                todo.append(item)
        while todo:
            async with self.uow_factory() as uow:
                for item in todo:
                    with self._span(item):
                        await item.handler(item.event, item.envelope, uow)
                new = await uow.mark_handled_many(self.group, [(item.envelope.id, item.envelope.type) for item in todo])
                if len(new) == len(todo):
                    await uow.commit()
                    self.handled += len(todo)
                    return
            # A redelivery (after a crash or a rebalance) is in the batch: its effects were
            # done before. Roll back, and handle the rest again without it.
            todo = [item for item in todo if item.envelope.id in new]

    def _span(self, item: _Item) -> Any:
        """The handling of one event, as a span in the trace of the request that caused it."""
        if self._tracer is None:
            return contextlib.nullcontext()
        parent = propagate.extract(item.headers, context=otel_context.Context())
        record = item.record
        return self._tracer.start_as_current_span(
            f"{record.topic} process",
            context=parent,
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": record.topic,
                "messaging.consumer.group.name": self.group,
                "messaging.message.id": item.envelope.id,
            },
        )

    async def restart(self) -> None:
        """Leave and join the group again: after the broker lost its log (and with it the group
        and its offsets), the consumer starts over from the new log's beginning; the inbox skips
        what was handled before."""
        self.restarts += 1
        try:
            async with asyncio.timeout(RESTART_STOP_SECONDS):
                await self._subscriber.stop()
        except TimeoutError:
            log.warning(
                "%s: the old member did not stop within %ss; a new one starts", self.group, RESTART_STOP_SECONDS
            )
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
        await self._handle_one(_Item(None, headers, envelope, event, self.handlers[model]))

    async def _handle_one(self, item: _Item) -> None:
        envelope, event, handler = item.envelope, item.event, item.handler
        attempt = 0
        backoff = 0.2
        while True:
            attempt += 1
            try:
                async with self.uow_factory() as uow:
                    await uow.mark_handled(self.group, envelope.id, envelope.type)
                    with self._span(item) if item.record is not None else contextlib.nullcontext():
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

    async def _dead_letter(
        self, broker: KafkaBroker, dlq: str, raw: Any, message_headers: dict[str, Any], error: str
    ) -> None:
        log.error("%s: dead-lettering %s: %s", self.group, message_headers.get("ce_id"), error)
        headers = {k: v for k, v in message_headers.items() if isinstance(v, str)}
        headers[ERROR_HEADER] = error[:4000]
        headers[ORIGIN_HEADERS[0]] = str(raw.topic)
        headers[ORIGIN_HEADERS[1]] = str(raw.partition)
        headers[ORIGIN_HEADERS[2]] = str(raw.offset)
        if isinstance(message_headers.get("traceparent"), str):  # the broker's client puts its own
            headers[ORIGIN_TRACE_HEADER] = message_headers["traceparent"]
        await broker.publish(bytes(raw.value or b""), dlq, key=raw.key, headers=headers)
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


async def _raw_records(message: Any) -> Any:
    return message.raw_message


async def _lenient_headers(records: Any, parse: Callable[[Any], Awaitable[Any]]) -> Any:
    many = isinstance(records, tuple | list)
    batch: Sequence[Any] = records if many else (records,)
    if all(_utf8_headers(record) for record in batch):
        return await parse(records)
    cleaned = [
        dataclasses.replace(record, headers=[(k, v.decode(errors="replace").encode()) for k, v in record.headers or ()])
        for record in batch
    ]
    return await parse(type(records)(cleaned) if many else cleaned[0])


def _utf8_headers(record: Any) -> bool:
    try:
        for _, value in record.headers or ():
            value.decode()
    except UnicodeDecodeError:
        return False
    return True


async def start_together(broker: KafkaBroker) -> None:
    """Start ``broker`` as ``broker.start()`` does, but its subscribers at once: each waits for
    its group's join (the embedded broker holds a join for half the session timeout), and
    FastStream starts them one after another, so a service with two groups waited two joins."""
    await broker.connect()
    await asyncio.gather(*(subscriber.start() for subscriber in broker.subscribers))
    for publisher in broker.publishers:
        await publisher.start()
    broker.running = True


async def leave_groups(broker: KafkaBroker, bootstrap: str) -> None:
    """Stop ``broker``'s consumers so that the next member of their groups is not kept waiting.

    aiokafka leaves a group on stop only from generation 1 on; the embedded broker (Tansu)
    numbers the first generation 0, so a member that stopped in it stayed in the group until
    its session expired, and the next member's join waited for that (about twice the session
    timeout, on every restart). Such members are made to leave here, after the broker stopped."""
    members: list[tuple[str, str]] = []
    for subscriber in broker.subscribers:
        coordinator = getattr(getattr(subscriber, "consumer", None), "_coordinator", None)
        if coordinator is not None and coordinator.generation == 0 and coordinator.member_id:
            members.append((coordinator.group_id, coordinator.member_id))
    await broker.stop()
    if not members:
        return
    client = AIOKafkaClient(bootstrap_servers=bootstrap, client_id="awasi-leave")
    try:
        await client.bootstrap()
        for group, member in members:
            node = await client.coordinator_lookup(CoordinationType.GROUP, group)
            await client.send(node, LeaveGroupRequest(group, member))
    except KafkaError as error:  # the member's session expires instead
        log.info("leaving consumer groups after stop failed: %s", error)
    finally:
        await client.close()


def _headers_of(record: Any) -> dict[str, str]:
    return {name: value.decode() for name, value in record.headers or ()}


class _GaveUp(Exception):
    pass
