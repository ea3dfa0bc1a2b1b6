"""Where a starting process begins to read identity's topic (awasi_common.disabled), on a fake
consumer: the broker's answers are chosen here; the real broker's path is tested in
tests/identity/test_services_verify.py."""

from __future__ import annotations

from typing import Any

import pytest
from aiokafka import TopicPartition
from aiokafka.errors import KafkaTimeoutError, UnsupportedVersionError
from aiokafka.structs import OffsetAndTimestamp

from awasi_common.disabled import DisabledSubjects

PARTITIONS = [TopicPartition("awasi.identity.akun.v1", p) for p in range(2)]


class FakeConsumer:
    def __init__(self, by_time: Any) -> None:
        self._by_time = by_time
        self.positions: dict[TopicPartition, int | str] = {}

    async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return {p: 10 for p in partitions}

    async def offsets_for_times(self, wanted: dict[TopicPartition, int]) -> Any:
        if isinstance(self._by_time, Exception):
            raise self._by_time
        return self._by_time

    def seek(self, partition: TopicPartition, offset: int) -> None:
        self.positions[partition] = offset

    async def seek_to_beginning(self, *partitions: TopicPartition) -> None:
        self.positions.update(dict.fromkeys(partitions, "beginning"))


async def test_each_partition_starts_at_its_first_record_of_the_window_or_its_end() -> None:
    consumer = FakeConsumer({PARTITIONS[0]: OffsetAndTimestamp(4, 1_000), PARTITIONS[1]: None})
    await DisabledSubjects("unused:9092")._seek_to_lookback(consumer, PARTITIONS)  # type: ignore[arg-type]
    assert consumer.positions == {PARTITIONS[0]: 4, PARTITIONS[1]: 10}


async def test_a_broker_without_lookups_by_time_is_read_from_the_beginning() -> None:
    consumer = FakeConsumer(UnsupportedVersionError("no ListOffsets v1"))
    await DisabledSubjects("unused:9092")._seek_to_lookback(consumer, PARTITIONS)  # type: ignore[arg-type]
    assert consumer.positions == dict.fromkeys(PARTITIONS, "beginning")


async def test_a_lookup_that_failed_is_not_taken_for_a_broker_without_lookups() -> None:
    """A busy or absent broker: the reader starts over (``run``), it does not read every account
    event there ever was (and learn disablings older than its window)."""
    consumer = FakeConsumer(KafkaTimeoutError())
    with pytest.raises(KafkaTimeoutError):
        await DisabledSubjects("unused:9092")._seek_to_lookback(consumer, PARTITIONS)  # type: ignore[arg-type]
    assert consumer.positions == {}
