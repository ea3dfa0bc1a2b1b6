"""Disabled accounts, as every service process learns them from identity's topic.

Each process reads ``awasi.identity.akun.v1`` on its own (no consumer group: every replica
must know every disabled account), from a few hours back at start (no token identity issues
lives longer) and then as records arrive, and keeps the subjects of ``AccountDisabled``. The
token verifier refuses them with 401: a disabled account's access token, still valid for
minutes, stops working as soon as the event reaches the process (seconds; the relay and one
fetch wait). Identity disables for good, so the set only grows. Only the account id is kept.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import UnsupportedVersionError

from awasi_common.events.identity import AKUN_TOPIC, AccountDisabled

log = logging.getLogger(__name__)

DISABLED_TYPE = AccountDisabled.ce_type()


class DisabledSubjects:
    LOOKBACK_SECONDS = 6 * 3600
    """How far back a starting process reads: longer than any access token identity issues
    lives (minutes), so every disabled account whose token could still be valid is known, without
    reading the creation of every account since the beginning (900,000 at national scale)."""

    MAX_FETCH_WAIT_MS = 500
    """The longest the broker may hold this reader's empty fetch: it follows the consumers'
    ``AWASI_KAFKA_FETCH_WAIT_MS`` (250 ms by default) up to this, so that a disabling stops its
    token within a second. A longer wait once exposed a race at start (see
    ``_seek_to_lookback``): at 500 ms the reader skipped a disabling written while it started,
    and the token kept working; tests/identity/test_services_verify.py runs it at 100 and 500."""

    def __init__(
        self,
        bootstrap: str,
        *,
        topic: str = AKUN_TOPIC,
        lookback_seconds: float | None = None,
        fetch_wait_ms: int = 100,
    ) -> None:
        self._bootstrap = bootstrap
        self._fetch_wait_ms = min(fetch_wait_ms, self.MAX_FETCH_WAIT_MS)
        self._topic = topic
        self._lookback = self.LOOKBACK_SECONDS if lookback_seconds is None else lookback_seconds
        self._subjects: set[str] = set()
        self.read = 0
        """Records read, any type (for tests and status)."""

    def is_disabled(self, subject: str) -> bool:
        return subject in self._subjects

    def add(self, subject: str) -> None:
        self._subjects.add(subject)

    def __len__(self) -> int:
        return len(self._subjects)

    def take(self, record: Any) -> None:
        """One record of the topic: the subject of an ``AccountDisabled``, kept."""
        self.read += 1
        ce_type = next((value for name, value in record.headers or () if name == "ce_type"), None)
        if ce_type is None or bytes(ce_type) != DISABLED_TYPE.encode():
            return
        try:
            subject = json.loads(record.value)["akun_id"]
        except (ValueError, KeyError, TypeError):
            return
        if isinstance(subject, str) and subject:
            self._subjects.add(subject)

    async def run(self) -> None:
        """Read the topic until cancelled; a lost broker is retried, from the beginning."""
        wait = 1.0
        while True:
            try:
                await self._read()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("reading disabled accounts from %s failed (%s); retrying", self._topic, error)
                await asyncio.sleep(wait)
                wait = min(wait * 2, 30.0)

    async def _read(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self._fetch_wait_ms,
            client_id="awasi-akun-nonaktif",
        )
        await consumer.start()
        try:
            partitions = None
            while not partitions:
                partitions = consumer.partitions_for_topic(self._topic)
                if not partitions:  # not known yet (or not created): ask the broker again
                    await consumer.topics()
                    partitions = consumer.partitions_for_topic(self._topic)
                    if not partitions:
                        await asyncio.sleep(2.0)
            assigned = [TopicPartition(self._topic, p) for p in sorted(partitions)]
            consumer.assign(assigned)
            await self._seek_to_lookback(consumer, assigned)
            while True:
                batches = await consumer.getmany(timeout_ms=1000, max_records=1000)
                for records in batches.values():
                    for record in records:
                        self.take(record)
        finally:
            await consumer.stop()

    async def _seek_to_lookback(self, consumer: AIOKafkaConsumer, assigned: list[TopicPartition]) -> None:
        """Each partition from its first record of the lookback window (its end when it has
        none); from the beginning where the broker cannot look offsets up by time."""
        since = int((time.time() - self._lookback) * 1000)
        try:
            # The ends are read first: a record appended after this is newer than ``since``, so
            # a partition with none since is read from this end, not from wherever the end has
            # moved by the time the consumer looks it up (``seek_to_end`` only marks the partition
            # for a look-up at its next fetch: a disabling appended in between was skipped).
            ends = await consumer.end_offsets(assigned)
            found = await consumer.offsets_for_times(dict.fromkeys(assigned, since))
        except UnsupportedVersionError as error:  # a broker without timestamp look-ups: read it all
            # Only then: another failure (the broker busy or away) is retried by ``run``, from
            # the look-up, not answered by reading every account event there ever was.
            log.info("offsets by time unavailable (%s): reading %s from the beginning", error, self._topic)
            await consumer.seek_to_beginning(*assigned)
            return
        for partition in assigned:
            offset = found.get(partition)
            if offset is None or offset.timestamp < 0:  # none since (the embedded broker says -1)
                consumer.seek(partition, ends[partition])
            else:
                consumer.seek(partition, offset.offset)
