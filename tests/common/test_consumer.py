"""The idempotent consumer: on FastStream's TestKafkaBroker for the handler, and on the real
broker for redelivery, poison messages and the dead-letter topic."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import ConsumerRecord
from faststream.kafka import KafkaBroker, TestKafkaBroker

from awasi_cli.testing import eventually, schema_engine
from awasi_common import messaging
from awasi_common.events import Envelope, encode
from awasi_common.events.base import dead_letter_topic
from awasi_common.events.reporting import LAPORAN_TOPIC, LaporanSubmitted
from awasi_common.messaging import ERROR_HEADER, Consumer, ensure_topics
from awasi_common.telemetry import Telemetry

from .conftest import Scratch, effects, inbox, metadata


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: the poison test reads the laporan topic from its start
    in a new group (every LaporanSubmitted other tests left there too), and the record that is
    not JSON it puts there would be dead-lettered by every service that consumes the topic later
    on the shared broker (notification, reporting's figures)."""
    return private_broker


def submitted(key: str) -> LaporanSubmitted:
    return LaporanSubmitted(
        unit="35.05", laporan_id=key, kode_pelacakan="LP-X", kanal="web", diterima_pada=dt.datetime.now(dt.UTC)
    )


async def record_effect(event: LaporanSubmitted, envelope: Envelope, uow) -> None:
    await uow.session.execute(sa.insert(effects).values(event_id=envelope.id, key=event.laporan_id))


async def count_effects(scratch, key: str) -> int:
    async with scratch.engine.connect() as connection:
        return int(await connection.scalar(sa.select(sa.func.count()).where(effects.c.key == key)) or 0)


async def test_handler_on_test_broker_acts_once_per_event_id(scratch) -> None:
    broker = KafkaBroker(logger=None)
    consumer = Consumer(f"test-{uuid.uuid4().hex[:6]}", {LaporanSubmitted: record_effect}, scratch.uow)
    consumer.subscribe(broker, Telemetry("test"), session_timeout_ms=2000)  # joins in 1 s
    event = submitted("tb-1")
    headers = Envelope.new(event).headers()
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(encode(event), LAPORAN_TOPIC, key=b"tb-1", headers=headers)
        await test_broker.publish(encode(event), LAPORAN_TOPIC, key=b"tb-1", headers=headers)  # redelivery
    assert await count_effects(scratch, "tb-1") == 1
    assert consumer.handled == 1


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
async def test_a_batch_with_redeliveries_does_each_effect_once(kind, database_url, tmp_path) -> None:
    """One batch: new events, one handled in an earlier batch, one twice. Every effect once,
    the inbox row of each written with the batch; the batch's effects are not half-kept."""
    url = database_url("common") if kind == "postgresql" else f"sqlite+aiosqlite:///{tmp_path / 'c.db'}"
    if not url.startswith(kind):
        pytest.skip(f"{kind} is not this run's database")
    async with schema_engine(url, metadata) as engine:
        scratch = Scratch(url, engine)
        consumer = Consumer(f"batch-{uuid.uuid4().hex[:6]}", {LaporanSubmitted: record_effect}, scratch.uow)
        keys = [f"b-{uuid.uuid4().hex[:8]}" for _ in range(4)]
        records, headers = zip(*(_record(submitted(key)) for key in keys), strict=True)

        async def no_dead_letters(*_: object) -> None:
            raise AssertionError("nothing here is a poison message")

        await consumer.process_batch(records[:1], headers[:1], no_dead_letters)
        # The first again (a redelivery after a crash), the others, and the third twice.
        batch = [0, 1, 2, 2, 3]
        await consumer.process_batch([records[i] for i in batch], [headers[i] for i in batch], no_dead_letters)
        assert [await count_effects(scratch, key) for key in keys] == [1, 1, 1, 1]
        assert consumer.handled == 4 and consumer.batches_one_by_one == 0
        async with engine.connect() as connection:
            rows = await connection.scalar(
                sa.select(sa.func.count()).select_from(inbox).where(inbox.c.consumer == consumer.group)
            )
        assert rows == 4


def _record(event: LaporanSubmitted) -> tuple[ConsumerRecord, dict[str, str]]:
    headers = Envelope.new(event).headers()
    record = ConsumerRecord(
        topic=LAPORAN_TOPIC,
        partition=0,
        offset=0,
        timestamp=0,
        timestamp_type=0,
        key=event.laporan_id.encode(),
        value=encode(event),
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=0,
        headers=[(k, v.encode()) for k, v in headers.items()],
    )
    return record, headers


async def test_real_broker_redelivery_poison_and_dead_letter(scratch, kafka_bootstrap) -> None:
    group = f"test-{uuid.uuid4().hex[:6]}"
    dlq = dead_letter_topic(group)
    await ensure_topics(kafka_bootstrap, [LAPORAN_TOPIC, dlq], partitions=3)
    key = f"real-{uuid.uuid4().hex[:6]}"

    failures = 0

    async def flaky_then_ok(event: LaporanSubmitted, envelope: Envelope, uow) -> None:
        nonlocal failures
        if event.laporan_id.endswith("-boom"):
            raise ValueError("data tidak masuk akal")  # never succeeds: dead-lettered after 3 tries
        if event.laporan_id.endswith("-flaky") and failures < 2:
            failures += 1
            raise OSError("database sejenak tidak menjawab")  # transient: retried in place
        await record_effect(event, envelope, uow)

    broker = KafkaBroker(kafka_bootstrap, logger=None)
    consumer = Consumer(group, {LaporanSubmitted: flaky_then_ok}, scratch.uow)
    consumer.subscribe(broker, Telemetry("test"), session_timeout_ms=2000)  # joins in 1 s

    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    first = submitted(key)
    first_headers = [(k, v.encode()) for k, v in Envelope.new(first).headers().items()]
    poison_headers = [(k, v.encode()) for k, v in Envelope.new(submitted(key)).headers().items()]
    boom = submitted(f"{key}-boom")
    flaky = submitted(f"{key}-flaky")
    foreign = submitted(f"{key}-foreign")
    try:
        await broker.start()
        # All on one key, so one partition, in this order.
        await producer.send_and_wait(LAPORAN_TOPIC, encode(first), key=key.encode(), headers=first_headers)
        await producer.send_and_wait(LAPORAN_TOPIC, encode(first), key=key.encode(), headers=first_headers)
        await producer.send_and_wait(LAPORAN_TOPIC, b"{not json", key=key.encode(), headers=poison_headers)
        await producer.send_and_wait(
            LAPORAN_TOPIC,
            encode(boom),
            key=key.encode(),
            headers=[(k, v.encode()) for k, v in Envelope.new(boom).headers().items()],
        )
        # Another producer's binary header does not cost the batch (or this event) its handling.
        await producer.send_and_wait(
            LAPORAN_TOPIC,
            encode(foreign),
            key=key.encode(),
            headers=[*((k, v.encode()) for k, v in Envelope.new(foreign).headers().items()), ("x-bin", b"\xff\xfe")],
        )
        await producer.send_and_wait(
            LAPORAN_TOPIC,
            encode(flaky),
            key=key.encode(),
            headers=[(k, v.encode()) for k, v in Envelope.new(flaky).headers().items()],
        )

        async def flaky_done() -> bool:
            return await count_effects(scratch, f"{key}-flaky") == 1

        await eventually(flaky_done, timeout=60)
    finally:
        await broker.stop()
        await producer.stop()

    assert await count_effects(scratch, key) == 1  # the duplicate delivery changed nothing
    assert await count_effects(scratch, f"{key}-foreign") == 1
    assert failures == 2

    reader = AIOKafkaConsumer(
        dlq,
        bootstrap_servers=kafka_bootstrap,
        group_id=f"{group}-reader",
        auto_offset_reset="earliest",
        session_timeout_ms=2000,
    )
    await reader.start()
    dead = []
    try:
        deadline = asyncio.get_running_loop().time() + 20
        while len(dead) < 2 and asyncio.get_running_loop().time() < deadline:
            for records in (await reader.getmany(timeout_ms=500)).values():
                dead += records
    finally:
        await reader.stop()
    errors = sorted(dict(record.headers)[ERROR_HEADER].decode() for record in dead)
    assert len(dead) == 2
    assert any("data tidak masuk akal" in error for error in errors)
    assert any("does not match its schema" in error for error in errors)
    assert all(dict(record.headers)["x-awasi-original-topic"] == LAPORAN_TOPIC.encode() for record in dead)


async def test_dead_letter_counts_read_the_topic(kafka_bootstrap) -> None:
    from awasi_common.monitor import dead_letter_counts

    group, empty = f"test-{uuid.uuid4().hex[:6]}", f"test-{uuid.uuid4().hex[:6]}"
    await ensure_topics(kafka_bootstrap, [dead_letter_topic(group), dead_letter_topic(empty)], partitions=3)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for key in (b"a", b"b", b"c"):
            await producer.send_and_wait(dead_letter_topic(group), b"{}", key=key)
    finally:
        await producer.stop()
    missing = f"test-{uuid.uuid4().hex[:6]}"  # no dead-letter topic at all
    assert await dead_letter_counts(kafka_bootstrap, [group, empty, missing]) == {group: 3, empty: 0, missing: 0}


async def test_a_restart_goes_on_when_the_old_member_does_not_stop(monkeypatch: pytest.MonkeyPatch) -> None:
    """After the broker lost its log, a member whose coordinator is gone may wait on it without
    end while it stops; the restart starts a new member after RESTART_STOP_SECONDS instead of
    leaving the group's events unhandled."""

    class StuckSubscriber:
        started = 0

        async def stop(self) -> None:
            await asyncio.Event().wait()  # never returns

        async def start(self) -> None:
            self.started += 1

    monkeypatch.setattr(messaging, "RESTART_STOP_SECONDS", 0.2)
    consumer = Consumer("test-stuck", {LaporanSubmitted: record_effect}, lambda: None)  # type: ignore[arg-type]
    stuck = StuckSubscriber()
    consumer._subscriber = stuck
    async with asyncio.timeout(10):
        await consumer.restart()
    assert stuck.started == 1 and consumer.restarts == 1
