"""What an operator watches: consumer lag, the outbox backlog and its oldest row's age,
handled and dead-lettered counts. Sampled in the background, exposed as OpenTelemetry
gauges (so on /metrics) and as JSON on /ops/status (which ``awasi status`` reads)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from opentelemetry.metrics import CallbackOptions, Observation

from awasi_common.events.base import dead_letter_topic
from awasi_common.telemetry import untraced

if TYPE_CHECKING:
    from awasi_common.runtime import Service

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    outbox_pending: int = 0
    outbox_oldest_age_seconds: float | None = None
    outbox_failed: int = 0
    """Rows the broker refused for good, set aside (``POST /ops/outbox/ulang`` retries them)."""
    outbox_held: int = 0
    """Rows waiting behind a failed row of their key."""
    lag: dict[str, dict[str, int]] = field(default_factory=dict)
    """consumer group -> "topic/partition" -> messages behind."""
    dead_letters: dict[str, int] = field(default_factory=dict)
    """consumer group -> messages its dead-letter topic holds (from every replica, kept until
    the topic's retention removes them; replaying does not remove them)."""
    sampled_at: float = 0.0
    error: str | None = None

    def as_dict(self, service: Service) -> dict[str, Any]:
        return {
            "service": service.name,
            "outbox": {
                "pending": self.outbox_pending,
                "oldest_age_seconds": self.outbox_oldest_age_seconds,
                "failed": self.outbox_failed,
                "held": self.outbox_held,
            },
            "consumers": {
                consumer.group: {
                    "lag": sum(self.lag.get(consumer.group, {}).values()),
                    "partitions": self.lag.get(consumer.group, {}),
                    "handled": consumer.handled,
                    "dead_lettered": consumer.dead_lettered,
                    "dead_letters_on_topic": self.dead_letters.get(consumer.group),
                }
                for consumer in service.consumers
            },
            "sampled_seconds_ago": round(time.time() - self.sampled_at, 1) if self.sampled_at else None,
            "error": self.error,
        }


class Monitor:
    def __init__(self, service: Service, interval: float | None = None) -> None:
        self.service = service
        self.interval = interval if interval is not None else service.platform.monitor_seconds
        self.snapshot = Snapshot()
        meter = service.telemetry.meter
        meter.create_observable_gauge(
            "awasi.outbox.pending", callbacks=[self._observe_pending], description="Unpublished outbox rows"
        )
        meter.create_observable_gauge(
            "awasi.outbox.oldest_age",
            unit="s",
            callbacks=[self._observe_age],
            description="Age of the oldest unpublished outbox row",
        )
        meter.create_observable_gauge(
            "awasi.outbox.failed",
            callbacks=[self._observe_failed],
            description="Outbox rows the broker refused for good, set aside",
        )
        meter.create_observable_gauge(
            "awasi.consumer.lag", callbacks=[self._observe_lag], description="Messages not yet handled"
        )
        meter.create_observable_gauge(
            "awasi.dead_letters",
            callbacks=[self._observe_dead_letters],
            description="Messages on a consumer group's dead-letter topic",
        )

    def _observe_pending(self, _: CallbackOptions) -> list[Observation]:
        return [Observation(self.snapshot.outbox_pending, {"service": self.service.name})]

    def _observe_age(self, _: CallbackOptions) -> list[Observation]:
        return [Observation(self.snapshot.outbox_oldest_age_seconds or 0.0, {"service": self.service.name})]

    def _observe_failed(self, _: CallbackOptions) -> list[Observation]:
        return [Observation(self.snapshot.outbox_failed, {"service": self.service.name})]

    def _observe_lag(self, _: CallbackOptions) -> list[Observation]:
        return [
            Observation(lag, {"group": group, "partition": partition})
            for group, partitions in self.snapshot.lag.items()
            for partition, lag in partitions.items()
        ]

    def _observe_dead_letters(self, _: CallbackOptions) -> list[Observation]:
        return [Observation(count, {"group": group}) for group, count in self.snapshot.dead_letters.items()]

    async def sample(self) -> Snapshot:
        with untraced():
            return await self._sample()

    async def _sample(self) -> Snapshot:
        snapshot = Snapshot(sampled_at=time.time())
        try:
            backlog = await self.service.relay.backlog()
            snapshot.outbox_pending, snapshot.outbox_oldest_age_seconds = backlog.pending, backlog.oldest_age_seconds
            snapshot.outbox_failed, snapshot.outbox_held = backlog.failed, backlog.held
            if self.service.consumers:
                bootstrap = self.service.platform.kafka_bootstrap
                snapshot.lag = await consumer_lag(bootstrap, {c.group: c.topics for c in self.service.consumers})
                snapshot.dead_letters = await dead_letter_counts(bootstrap, [c.group for c in self.service.consumers])
            await self.service.guard.check(force=True)
        except Exception as error:  # the status says what failed instead of failing
            snapshot.error = str(error)
        self.snapshot = snapshot
        return snapshot

    async def run(self) -> None:
        while True:
            await self.sample()
            await asyncio.sleep(self.interval)


async def consumer_lag(bootstrap: str, groups: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """Per group and partition: the log end offset minus the group's committed offset.

    Committed offsets are read by a consumer that carries the group id but never subscribes
    (so it never joins the group): Tansu does not answer the admin client's OffsetFetch."""
    result: dict[str, dict[str, int]] = {}
    for group, group_topics in groups.items():
        async with _offsets_reader(bootstrap, group) as reader:
            partitions = [tp for topic in group_topics for tp in await _topic_partitions(reader, topic)]
            ends = await reader.end_offsets(partitions) if partitions else {}
            lag: dict[str, int] = {}
            for tp in partitions:
                committed = await reader.committed(tp)
                lag[f"{tp.topic}/{tp.partition}"] = max(0, ends[tp] - (committed or 0))
            result[group] = lag
    return result


async def dead_letter_counts(bootstrap: str, groups: list[str]) -> dict[str, int]:
    """Per group: the messages its dead-letter topic holds (end minus beginning offsets)."""
    counts: dict[str, int] = {}
    async with _offsets_reader(bootstrap) as reader:
        for group in groups:
            partitions = await _topic_partitions(reader, dead_letter_topic(group))
            if not partitions:
                counts[group] = 0
                continue
            ends = await reader.end_offsets(partitions)
            starts = await reader.beginning_offsets(partitions)
            counts[group] = sum(max(0, ends[tp] - starts[tp]) for tp in partitions)
    return counts


@contextlib.asynccontextmanager
async def _offsets_reader(bootstrap: str, group: str | None = None) -> AsyncIterator[AIOKafkaConsumer]:
    """A consumer that only reads offsets (with ``group``, that group's committed ones)."""
    reader = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, client_id="awasi-monitor", enable_auto_commit=False
    )
    try:
        await reader.start()
        yield reader
    finally:
        with contextlib.suppress(Exception):
            await reader.stop()


async def _topic_partitions(reader: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    return [TopicPartition(topic, partition) for partition in sorted(await _partitions(reader, topic))]


async def _partitions(reader: AIOKafkaConsumer, topic: str) -> set[int]:
    partitions = reader.partitions_for_topic(topic)
    if partitions is None:
        await reader.topics()  # refreshes metadata
        partitions = reader.partitions_for_topic(topic)
    return set(partitions or ())
