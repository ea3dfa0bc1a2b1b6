"""Noticing that the broker's log started over, and recovering from it.

On Apache Kafka the log is durable and this never fires. The embedded broker (Tansu, memory
storage) forgets everything when it restarts: topics, consumer groups, offsets, and events
that were published but not yet consumed. Each service then puts its retained outbox rows on
the new log before anything newer (so per-key order holds), and its consumer groups rejoin
from the new log's beginning; inboxes drop what was handled before.

The broker's epoch is the first record of a one-partition topic, written by whoever finds
it empty: racing writers agree, because everyone reads offset 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from awasi_common.messaging import ensure_topics

log = logging.getLogger(__name__)

EPOCH_TOPIC = "awasi.broker-epoch"
_PARTITION = TopicPartition(EPOCH_TOPIC, 0)


class BrokerEpoch:
    """Reads the broker's epoch, keeping its connections between reads."""

    def __init__(self, bootstrap: str) -> None:
        self._bootstrap = bootstrap
        self._reader: AIOKafkaConsumer | None = None
        self._producer: AIOKafkaProducer | None = None

    async def read(self) -> str:
        try:
            return await self._read()
        except Exception:
            await self.close()  # reconnect from scratch next time
            raise

    async def _read(self) -> str:
        if self._reader is None:
            await ensure_topics(self._bootstrap, [EPOCH_TOPIC], partitions=1)
            self._reader = AIOKafkaConsumer(
                bootstrap_servers=self._bootstrap, client_id="awasi-epoch", enable_auto_commit=False
            )
            await self._reader.start()
            self._reader.assign([_PARTITION])
            # Paused between reads: otherwise the consumer keeps a fetch at the log's end waiting
            # on the broker, and the next read (from offset 0) waits for it first (up to 0.5 s).
            self._reader.pause(_PARTITION)
        if (await self._reader.end_offsets([_PARTITION]))[_PARTITION] == 0:
            await ensure_topics(self._bootstrap, [EPOCH_TOPIC], partitions=1)
            if self._producer is None:
                self._producer = AIOKafkaProducer(bootstrap_servers=self._bootstrap, client_id="awasi-epoch")
                await self._producer.start()
            await self._producer.send_and_wait(EPOCH_TOPIC, str(uuid.uuid4()).encode(), partition=0)
        self._reader.seek(_PARTITION, 0)
        self._reader.resume(_PARTITION)
        try:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
            # that arrives as the read completes, and the relay or monitor calling this would
            # never stop.
            async with asyncio.timeout(10):
                record = await self._reader.getone(_PARTITION)
        finally:
            self._reader.pause(_PARTITION)
        return bytes(record.value or b"").decode()

    async def close(self) -> None:
        for client in (self._reader, self._producer):
            if client is not None:
                with contextlib.suppress(Exception):
                    await client.stop()
        self._reader = self._producer = None


async def broker_epoch(bootstrap: str) -> str:
    epoch = BrokerEpoch(bootstrap)
    try:
        return await epoch.read()
    finally:
        await epoch.close()


class LogGuard:
    """Checks the epoch (at most once per ``min_interval`` unless forced) and runs ``recover``
    once per new epoch."""

    def __init__(self, bootstrap: str, recover: Callable[[], Awaitable[None]], min_interval: float = 1.0) -> None:
        self._epoch = BrokerEpoch(bootstrap)
        self._recover = recover
        self._min_interval = min_interval
        self._lock = asyncio.Lock()
        self._checked_at = 0.0
        self.known: str | None = None
        self.recoveries = 0

    async def check(self, force: bool = False) -> bool:
        """True when the log started over (and recovery ran)."""
        if not force and time.monotonic() - self._checked_at < self._min_interval:
            return False
        async with self._lock:
            current = await self._epoch.read()
            self._checked_at = time.monotonic()
            if self.known is None or current == self.known:
                self.known = current
                return False
            log.warning("the broker's log started over (epoch %s -> %s); recovering", self.known, current)
            self.recoveries += 1
            await self._recover()
            self.known = current  # only now: a recovery that failed half-way runs again at the next check
            return True

    async def close(self) -> None:
        await self._epoch.close()
