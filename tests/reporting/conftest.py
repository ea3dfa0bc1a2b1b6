"""Fixtures for the reporting tests: request bodies, reading what went over the real broker,
and a direct look at reporting's own tables (to prove what was, or was not, written)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from awasi_common.events import Envelope, encode
from awasi_common.events.base import Event

UNIT = "35.05"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + (
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\x99\xf1\x00\x00\x00\x00IEND\xaeB`\x82"
)


def today() -> dt.date:
    """Today in Western Indonesia, as the service counts days (not the machine's zone)."""
    from awasi_reporting.domain.vocabulary import local_date

    return local_date(dt.datetime.now(dt.UTC))


def laporan_body(**overrides: Any) -> dict[str, Any]:
    """A complete Formulir Model B.1 laporan, known and reported today."""
    today_ = today()
    body: dict[str, Any] = {
        "unit": UNIT,
        "pelapor": {
            "nama": "Siti Rahasia",
            "tempat_lahir": "Blitar",
            "tanggal_lahir": "1990-05-17",
            "jenis_kelamin": "perempuan",
            "pekerjaan": "Guru",
            "kewarganegaraan": "Indonesia",
            "alamat": "Jl. Mawar 1, Kabupaten Blitar",
            "telepon": "081234567890",
            "email": "siti.rahasia@example.org",
        },
        "terlapor": "Tim kampanye calon fiktif",
        "peristiwa": {
            "apa": "Pembagian uang disertai ajakan memilih",
            "tempat": "Pasar Wlingi",
            "waktu_kejadian": today_.isoformat(),
            "waktu_diketahui": today_.isoformat(),
        },
        "saksi": [{"nama": "Budi Saksi", "telepon": "081111111111"}],
        "uraian": "Pada pagi hari tim kampanye membagikan amplop berisi uang kepada pedagang pasar.",
    }
    body.update(overrides)
    return body


@pytest.fixture
def consume(kafka_bootstrap: str) -> Callable[..., Awaitable[list[dict[str, Any]]]]:
    """``await consume(topic, key=..., until=lambda found: ...)``: the messages on a topic of the
    real broker (from the beginning), as {type, key, headers, data}, filtered by key."""

    async def read(
        topic: str,
        *,
        key: str | None = None,
        until: Callable[[list[dict[str, Any]]], bool] = bool,
        timeout: float = 30,
    ) -> list[dict[str, Any]]:
        # earliest: a reset to the default, begun by assign(), may land after seek_to_beginning's
        # (test_identity_never_in_clear.py, every_record_on_the_broker)
        consumer = AIOKafkaConsumer(
            bootstrap_servers=kafka_bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
        )
        await consumer.start()
        try:
            partitions = consumer.partitions_for_topic(topic) or set()
            for _ in range(50):
                if partitions:
                    break
                await consumer._client.force_metadata_update()
                partitions = consumer.partitions_for_topic(topic) or set()
                await asyncio.sleep(0.1)
            assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
            consumer.assign(assigned)
            await consumer.seek_to_beginning(*assigned)
            found: list[dict[str, Any]] = []
            deadline = asyncio.get_running_loop().time() + timeout
            while asyncio.get_running_loop().time() < deadline:
                batch = await consumer.getmany(timeout_ms=300)
                for messages in batch.values():
                    for message in messages:
                        message_key = message.key.decode() if message.key else None
                        if key is not None and message_key != key:
                            continue
                        headers = {k: v.decode() for k, v in message.headers}
                        found.append(
                            {
                                "type": headers.get("ce_type"),
                                "key": message_key,
                                "headers": headers,
                                "data": json.loads(message.value),
                                "raw": message.value,
                            }
                        )
                if until(found):
                    return found
            raise AssertionError(f"condition on {topic} not met within {timeout}s; found {[m['type'] for m in found]}")
        finally:
            await consumer.stop()

    return read


@pytest.fixture
def publish(kafka_bootstrap: str) -> Callable[..., Awaitable[str]]:
    """``await publish(event, ce_id=None)``: put an event on the real broker as another service
    would (CloudEvents headers); returns its ce_id."""

    async def send(event: Event, ce_id: str | None = None) -> str:
        envelope = Envelope.new(event)
        headers = envelope.headers()
        if ce_id:
            headers["ce_id"] = ce_id
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(
                event.topic,
                encode(event),
                key=event.key.encode(),
                headers=[(k, v.encode()) for k, v in headers.items()],
            )
        finally:
            await producer.stop()
        return headers["ce_id"]

    return send


@pytest.fixture
def tables(start_service: Any) -> Callable[..., Awaitable[dict[str, int]]]:
    """``await tables()``: row counts of reporting's tables in the running service, except
    those its consumers write in the background (their inbox and the figures projection fed
    by reporting's own events), which change whenever an earlier submission is handled, and
    the relay's shard leases, which it seeds once in its first round after start."""
    from awasi_reporting.adapters import orm

    background = {"inbox", "angka_masuk", "outbox_lease"}

    async def counts() -> dict[str, int]:
        service = start_service.apps["reporting"].state.service
        found = {}
        async with service.sessions() as session:
            for name, table in orm.metadata.tables.items():
                if name not in background:
                    found[name] = int(await session.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
        return found

    return counts


@pytest.fixture
def unique() -> Callable[[str], str]:
    return lambda prefix: f"{prefix}-{uuid.uuid4().hex[:8]}"
