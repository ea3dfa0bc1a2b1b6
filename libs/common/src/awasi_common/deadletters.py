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


async def _read_to_end(
    reader: AIOKafkaConsumer, topic: str, timeout: float, start: dict[TopicPartition, int] | None = None
) -> tuple[list[Any], dict[TopicPartition, int]]:
    """Every record the topic holds now from ``start`` (default: its beginning), without joining
    a group: the end offsets are read first and reading stops there, so an empty topic costs no
    wait. Returns the records and the position reached on each partition."""
    partitions = await _partitions(reader, topic)
    if not partitions:
        return [], {}
    reader.assign(partitions)
    ends = await reader.end_offsets(partitions)
    begins = await reader.beginning_offsets(partitions)
    reached = {tp: max((start or {}).get(tp, 0), begins[tp]) for tp in partitions}
    left = {tp for tp in partitions if reached[tp] < ends[tp]}
    for tp in left:
        reader.seek(tp, reached[tp])
    records: list[Any] = []
    while left:
        batch = await reader.getmany(*left, timeout_ms=int(timeout * 1000))
        if not batch:
            break  # nothing came within the timeout: what could be read was read
        for found in batch.values():
            records += [r for r in found if r.offset < ends[TopicPartition(r.topic, r.partition)]]
        for tp in list(left):
            reached[tp] = min(await reader.position(tp), ends[tp])
            if reached[tp] >= ends[tp]:
                left.discard(tp)
    return records, reached


def _reader(bootstrap: str, group: str | None = None) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group,  # only to read and commit the group's offsets: it is never joined
        client_id="awasi-dead-letters",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=50,  # the end offsets are known: no point in the broker holding a fetch
    )


async def _replay_progress(reader: AIOKafkaConsumer, topic: str) -> dict[TopicPartition, int]:
    """Where a replay of everything stopped last time on each of the topic's partitions."""
    committed: dict[TopicPartition, int] = {}
    for tp in await _partitions(reader, topic):
        committed[tp] = await reader.committed(tp) or 0
    return committed


async def list_dead_letters(
    bootstrap: str, group: str, *, limit: int | None = None, timeout: float = 3.0
) -> list[DeadLetter]:
    """The group's dead letters, oldest first (at most ``limit``), read without committing;
    each says whether a replay of everything re-drove it already."""
    reader = _reader(bootstrap, replay_group(group))
    await reader.start()
    try:
        topic = dead_letter_topic(group)
        records, _ = await _read_to_end(reader, topic, timeout)
        progress = await _replay_progress(reader, topic) if records else {}
    finally:
        await reader.stop()
    records.sort(key=lambda r: (r.timestamp or 0, r.partition, r.offset))
    letters = [_letter(r) for r in records]
    for letter in letters:
        letter.replayed = letter.offset < progress.get(TopicPartition(topic, letter.partition), 0)
    return letters if limit is None else letters[:limit]


async def replay_dead_letters(
    bootstrap: str,
    group: str,
    *,
    event_ids: set[str] | None = None,
    timeout: float = 3.0,
) -> list[str]:
    """Re-drive dead-lettered events to their original topic, with their original headers and
    key. The consumer's inbox never recorded them (their transaction rolled back), so they are
    handled now; one already handled in the meantime is skipped by the inbox.

    Replaying everything keeps progress in the group ``<group>.replay`` (committed after the
    events are sent), so an event is re-driven once; two replays at the same moment may both
    send one, which its consumer's inbox then handles once. Replaying chosen ids reads the whole
    topic and commits nothing."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, client_id=f"awasi-replay-{uuid.uuid4().hex[:6]}")
    await producer.start()
    replayed: list[str] = []
    try:
        reader = _reader(bootstrap, replay_group(group))
        await reader.start()
        try:
            topic = dead_letter_topic(group)
            progress = await _replay_progress(reader, topic) if event_ids is None else None
            records, reached = await _read_to_end(reader, topic, timeout, progress)
            for record in records:
                headers = dict(record.headers)
                if event_ids is None or _text(headers, "ce_id") in event_ids:
                    await _send_back(producer, record)
                    replayed.append(_text(headers, "ce_id"))
            if progress is not None and reached and reached != progress:
                await reader.commit(reached)
        finally:
            await reader.stop()
    finally:
        await producer.stop()
    return replayed


async def _send_back(producer: AIOKafkaProducer, record: Any) -> None:
    """One dead letter to its original topic, as it first travelled."""
    headers = dict(record.headers)
    original = [(k, v) for k, v in record.headers if not k.startswith("x-awasi-")]
    if trace := headers.get(ORIGIN_TRACE_HEADER):  # handled again in the trace of its request
        original = [(k, v) for k, v in original if k != "traceparent"] + [("traceparent", trace)]
    await producer.send_and_wait(_text(headers, ORIGIN_HEADERS[0]), record.value, key=record.key, headers=original)


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
