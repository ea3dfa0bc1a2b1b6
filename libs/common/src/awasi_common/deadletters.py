"""Dead letters: what a consumer group set aside (its ``<group>.dlt`` topic), listed and
re-driven to their original topic once the cause is mended.

One implementation for ``awasi dead-letters`` / ``awasi replay`` and every service's
``GET /ops/surat-mati`` / ``POST /ops/surat-mati/ulang``."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pydantic import BaseModel, ConfigDict, Field

from awasi_common.events.base import dead_letter_topic
from awasi_common.messaging import ERROR_HEADER, ORIGIN_HEADERS, ORIGIN_TRACE_HEADER


@dataclass
class DeadLetter:
    event_id: str
    event_type: str
    original_topic: str
    error: str
    partition: int
    offset: int
    time: dt.datetime | None = None
    """When it was dead-lettered (the record's timestamp)."""
    replayed: bool = False
    """Re-driven already by a replay of everything (the ``<group>.replay`` group passed it)."""
    trace_id: str | None = None
    """The trace of the request that caused the event (its ``traceparent``), for ``awasi trace``."""

    def as_dict(self, error_chars: int = 500) -> dict[str, Any]:
        return {
            "id": self.event_id,
            "jenis": self.event_type,
            "topik_asal": self.original_topic,
            "galat": self.error[:error_chars],
            "waktu": self.time.isoformat() if self.time else None,
            "partisi": self.partition,
            "offset": self.offset,
            "sudah_dikirim_ulang": self.replayed,
            "jejak": self.trace_id,
        }


def replay_group(group: str) -> str:
    """The group a replay of everything keeps its progress in."""
    return f"{group}.replay"


def _text(headers: dict[str, bytes], name: str) -> str:
    return (headers.get(name) or b"").decode(errors="replace")


def _letter(record: Any) -> DeadLetter:
    headers = dict(record.headers)
    timestamp = getattr(record, "timestamp", None)
    return DeadLetter(
        _text(headers, "ce_id"),
        _text(headers, "ce_type"),
        _text(headers, ORIGIN_HEADERS[0]),
        _text(headers, ERROR_HEADER),
        record.partition,
        record.offset,
        dt.datetime.fromtimestamp(timestamp / 1000, dt.UTC) if timestamp and timestamp > 0 else None,
        trace_id=_trace_id(_text(headers, ORIGIN_TRACE_HEADER) or _text(headers, "traceparent")),
    )


def _trace_id(traceparent: str) -> str | None:
    """W3C ``traceparent`` (``00-<trace id>-<span id>-<flags>``) → its trace id."""
    parts = traceparent.split("-")
    if len(parts) == 4 and len(parts[1]) == 32 and all(c in "0123456789abcdef" for c in parts[1]):
        return parts[1] if parts[1] != "0" * 32 else None
    return None


async def _partitions(reader: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    partitions = reader.partitions_for_topic(topic)
    if partitions is None:
        await reader.topics()  # refreshes metadata
        partitions = reader.partitions_for_topic(topic)
    return [TopicPartition(topic, p) for p in sorted(partitions or ())]


async def _read_to_end(reader: AIOKafkaConsumer, topic: str, timeout: float) -> list[Any]:
    """Every record the topic holds now (its end offsets read first), without a group: no join,
    no commit, done as soon as the last record is read."""
    partitions = await _partitions(reader, topic)
    if not partitions:
        return []
    reader.assign(partitions)
    await reader.seek_to_beginning(*partitions)
    ends = await reader.end_offsets(partitions)
    left = {tp for tp in partitions if ends[tp] > 0}
    records: list[Any] = []
    while left:
        batch = await reader.getmany(*left, timeout_ms=int(timeout * 1000))
        if not batch:
            break  # nothing came within the timeout: what is there was read
        for found in batch.values():
            records += found
        for tp in list(left):
            if await reader.position(tp) >= ends[tp]:
                left.discard(tp)
    return records


def _reader(bootstrap: str, group: str | None = None, *topics: str, **options: Any) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=group,
        client_id="awasi-dead-letters",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        **options,
    )


async def list_dead_letters(
    bootstrap: str, group: str, *, limit: int | None = None, timeout: float = 3.0
) -> list[DeadLetter]:
    """The group's dead letters, oldest first (at most ``limit``), read without committing;
    each says whether a replay of everything re-drove it already."""
    reader = _reader(bootstrap)
    await reader.start()
    try:
        records = await _read_to_end(reader, dead_letter_topic(group), timeout)
    finally:
        await reader.stop()
    records.sort(key=lambda r: (r.timestamp or 0, r.partition, r.offset))
    letters = [_letter(r) for r in records]
    if limit is not None:
        letters = letters[:limit]
    if letters:
        progress = _reader(bootstrap, replay_group(group))  # reads the group's offsets, never joins it
        await progress.start()
        try:
            committed: dict[int, int] = {}
            for partition in {letter.partition for letter in letters}:
                offset = await progress.committed(TopicPartition(dead_letter_topic(group), partition))
                committed[partition] = offset or 0
        finally:
            await progress.stop()
        for letter in letters:
            letter.replayed = letter.offset < committed[letter.partition]
    return letters


async def replay_dead_letters(
    bootstrap: str,
    group: str,
    *,
    event_ids: set[str] | None = None,
    timeout: float = 3.0,
    session_timeout_ms: int = 10_000,
) -> list[str]:
    """Re-drive dead-lettered events to their original topic, with their original headers and
    key. The consumer's inbox never recorded them (their transaction rolled back), so they are
    handled now; one already handled in the meantime is skipped by the inbox.

    Replaying everything keeps progress in the group ``<group>.replay``, so an event is
    re-driven once; replaying chosen ids reads the whole topic and commits nothing."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, client_id=f"awasi-replay-{uuid.uuid4().hex[:6]}")
    await producer.start()
    replayed: list[str] = []

    async def send(record: Any) -> None:
        headers = dict(record.headers)
        original = [(k, v) for k, v in record.headers if not k.startswith("x-awasi-")]
        if trace := headers.get(ORIGIN_TRACE_HEADER):  # handled again in the trace of its request
            original = [(k, v) for k, v in original if k != "traceparent"] + [("traceparent", trace)]
        await producer.send_and_wait(_text(headers, ORIGIN_HEADERS[0]), record.value, key=record.key, headers=original)
        replayed.append(_text(headers, "ce_id"))

    try:
        if event_ids is not None:
            reader = _reader(bootstrap)
            await reader.start()
            try:
                for record in await _read_to_end(reader, dead_letter_topic(group), timeout):
                    if _text(dict(record.headers), "ce_id") in event_ids:
                        await send(record)
            finally:
                await reader.stop()
            return replayed
        reader = _reader(
            bootstrap,
            replay_group(group),
            dead_letter_topic(group),
            session_timeout_ms=session_timeout_ms,
            heartbeat_interval_ms=max(session_timeout_ms // 3, 100),
        )
        await reader.start()
        try:
            while True:
                batch = await reader.getmany(timeout_ms=int(timeout * 1000))
                if not batch:
                    return replayed
                for records in batch.values():
                    for record in records:
                        await send(record)
                await reader.commit()
        finally:
            await reader.stop()
    finally:
        await producer.stop()


# --- the services' /ops/surat-mati: the request and answer bodies -----------------------------

MAX_LISTED = 500
"""The most dead letters ``GET /ops/surat-mati`` lists per consumer group."""


class ReplayRequest(BaseModel):
    """``POST /ops/surat-mati/ulang``: which dead letters go out again (none named: all)."""

    model_config = ConfigDict(extra="forbid")

    grup: str | None = Field(default=None, max_length=200, description="Satu grup konsumen layanan ini; kosong: semua")
    id: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(
        default=None, max_length=MAX_LISTED, description="ce_id peristiwa yang dikirim ulang; kosong: semuanya"
    )
