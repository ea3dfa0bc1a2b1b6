"""Helpers for the participation tests: a tap on the real broker that sees the events
published after it was opened, and a way to put planning's events on the wire."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from awasi_common.events import Envelope, Event, UndecodableEvent, decode, encode
from awasi_common.events.participation import (
    OBLIGATION_TOPIC,
    PEMANTAUAN_TOPIC,
    PENILAIAN_TOPIC,
    PESERTA_TOPIC,
    POJOK_LAPORAN_TOPIC,
    PROGRAM_TOPIC,
)
from awasi_common.events.planning import Jadwal, KegiatanScheduled, KegiatanSnapshot
from awasi_common.vocabulary import Divisi, Program

PARTICIPATION_TOPICS = (
    PROGRAM_TOPIC,
    PESERTA_TOPIC,
    PEMANTAUAN_TOPIC,
    PENILAIAN_TOPIC,
    OBLIGATION_TOPIC,
    POJOK_LAPORAN_TOPIC,
)


class Tap:
    """Reads participation's topics from where they ended when the tap was opened."""

    def __init__(self, bootstrap: str) -> None:
        self._bootstrap = bootstrap
        self._consumer: AIOKafkaConsumer | None = None
        self.seen: list[tuple[Envelope, Event]] = []

    async def open(self, topics: Iterable[str] = PARTICIPATION_TOPICS) -> Tap:
        consumer = AIOKafkaConsumer(bootstrap_servers=self._bootstrap, group_id=None, enable_auto_commit=False)
        await consumer.start()
        partitions: list[TopicPartition] = []
        for topic in topics:
            for _ in range(50):
                found = consumer.partitions_for_topic(topic)
                if found:
                    break
                await consumer._client.force_metadata_update()  # topics were just created
                await asyncio.sleep(0.1)
            partitions += [TopicPartition(topic, p) for p in sorted(found or ())]
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        for tp in partitions:
            consumer.seek(tp, ends[tp])
        self._consumer = consumer
        return self

    async def close(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()

    async def _poll(self, seconds: float) -> None:
        assert self._consumer is not None
        batches = await self._consumer.getmany(timeout_ms=int(seconds * 1000), max_records=500)
        for records in batches.values():
            for record in records:
                try:
                    envelope = Envelope.from_headers({k: v for k, v in record.headers})
                    self.seen.append((envelope, decode(envelope, record.value)))
                except UndecodableEvent:  # someone else's test traffic
                    continue

    def events(
        self, kind: type[Event] | None = None, *, where: Callable[[Any], bool] | None = None, **fields: Any
    ) -> list[Any]:
        """What arrived of ``kind`` with ``fields`` equal and ``where`` true (the broker is shared
        with other tests: ``where`` picks this test's own)."""
        return [
            event
            for _, event in self.seen
            if (kind is None or isinstance(event, kind))
            and all(getattr(event, name) == value for name, value in fields.items())
            and (where is None or where(event))
        ]

    async def wait_for(
        self,
        kind: type[Event],
        count: int = 1,
        *,
        timeout: float = 20,
        where: Callable[[Any], bool] | None = None,
        **fields: Any,
    ) -> list[Any]:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            found = self.events(kind, where=where, **fields)
            if len(found) >= count:
                return found
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"expected {count} {kind.__name__} {fields}, saw {len(found)}")
            await self._poll(0.3)

    async def settle(self, seconds: float = 1.5) -> None:
        """Read whatever else arrives for a while (to assert something did *not* happen)."""
        deadline = asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < deadline:
            await self._poll(0.3)


@pytest.fixture(autouse=True)
def own_consumer_group(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's participation service reads planning's events in a consumer group of its
    own: joining the shared group right after the previous test's member left waits for the
    broker to expire that member (about ten seconds on the embedded broker)."""
    monkeypatch.setenv("AWASI_PARTICIPATION_CONSUMER_GROUP", f"awasi.participation.test-{uuid.uuid4().hex[:8]}")


@pytest.fixture
async def tap(kafka_bootstrap: str) -> AsyncIterator[Callable[[], Any]]:
    """``t = await tap()`` after the service started (its topics exist then); ``tap(topic, ...)``
    for other topics."""
    opened: list[Tap] = []

    async def open_tap(*topics: str) -> Tap:
        t = await Tap(kafka_bootstrap).open(topics or PARTICIPATION_TOPICS)
        opened.append(t)
        return t

    yield open_tap
    for t in opened:
        await t.close()


@pytest.fixture
async def publish(kafka_bootstrap: str) -> AsyncIterator[Callable[[Event], Any]]:
    """Put an event on the broker as its producing service's relay would."""
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, enable_idempotence=False, acks="all")
    await producer.start()

    async def send(event: Event) -> None:
        headers = [(k, v.encode()) for k, v in Envelope.new(event).headers().items()]
        await producer.send_and_wait(event.topic, encode(event), key=event.key.encode(), headers=headers)

    yield send
    await producer.stop()


def kegiatan_scheduled(
    kegiatan_id: str,
    unit: str,
    program: Program | None,
    *,
    mulai: dt.date | None = None,
    target_peserta: int | None = None,
    judul: str = "Forum Warga Pengawasan Partisipatif",
) -> KegiatanScheduled:
    day = mulai or dt.date.today()
    return KegiatanScheduled(
        unit=unit,
        kegiatan_id=kegiatan_id,
        kegiatan=KegiatanSnapshot(
            kegiatan_id=kegiatan_id,
            divisi=Divisi.P2H,
            judul=judul,
            jenis="sosialisasi",
            jadwal=Jadwal(mulai=day, selesai=day, presisi="tanggal"),
            target_peserta=target_peserta,
            program=program,
            lokasi="Balai Desa",
        ),
    )


@pytest.fixture
def make_kegiatan() -> Callable[..., KegiatanScheduled]:
    """``make_kegiatan(kegiatan_id, unit, Program.FORUM_WARGA, target_peserta=2)``."""
    return kegiatan_scheduled
