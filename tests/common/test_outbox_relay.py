"""The relay against the real broker and PostgreSQL: nothing lost, nothing twice, key order kept."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import uuid
from collections import defaultdict

import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker

from awasi_common.db import create_engine
from awasi_common.events import Envelope, decode
from awasi_common.events.reporting import LAPORAN_TOPIC, LaporanSubmitted
from awasi_common.messaging import ensure_topics, relay_publisher
from awasi_common.outbox import MAX_EVENT_BYTES, EventTooLarge, OutboxRelay, PublishOutcome, outbox_row
from awasi_common.telemetry import Telemetry

from .conftest import leases, outbox


def laporan_event(key: str, seq: int) -> LaporanSubmitted:
    return LaporanSubmitted(
        unit="35.05",
        laporan_id=key,
        kode_pelacakan=f"LP-{seq}",
        kanal="web",
        diterima_pada=dt.datetime.now(dt.UTC),
        peristiwa_singkat=str(seq),
    )


async def read_topic(bootstrap: str, prefix: str, expected: int, timeout: float = 30) -> list[LaporanSubmitted]:
    """Every LaporanSubmitted whose key starts with ``prefix``, waiting a little past
    ``expected`` so that anything published twice shows up too."""
    consumer = AIOKafkaConsumer(
        LAPORAN_TOPIC,
        bootstrap_servers=bootstrap,
        group_id=f"test-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=2000,  # the embedded broker holds the join for half of it
    )
    await consumer.start()
    found: list[LaporanSubmitted] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while loop.time() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    if not (record.key or b"").decode().startswith(prefix):
                        continue  # other tests share the topic
                    event = decode(Envelope.from_headers(dict(record.headers)), record.value)
                    assert isinstance(event, LaporanSubmitted)
                    found.append(event)
            if len(found) >= expected:
                deadline = min(deadline, loop.time() + 1.5)
    finally:
        await consumer.stop()
    return found


async def test_concurrent_relays_publish_each_row_once_in_key_order(scratch, kafka_bootstrap) -> None:
    await ensure_topics(kafka_bootstrap, [LAPORAN_TOPIC], partitions=3)
    prefix = f"relay-{uuid.uuid4().hex[:6]}-"
    keys = [f"{prefix}{n}" for n in range(12)]
    per_key = 25
    for seq in range(per_key):
        async with scratch.uow() as uow:
            uow.publish(*(laporan_event(key, seq) for key in keys))
            await uow.commit()

    brokers, relays, engines = [], [], []
    for n in range(3):
        telemetry = Telemetry(f"relay{n}")
        broker = KafkaBroker(kafka_bootstrap, logger=None)
        await broker.start()
        engine = create_engine(scratch.url)
        brokers.append(broker)
        engines.append(engine)
        relay = OutboxRelay(engine, outbox, leases, relay_publisher(broker, telemetry.tracer), batch_size=40)
        await relay.ensure_leases()
        relays.append(relay)
    try:
        await asyncio.gather(*(relay.publish_pending() for relay in relays))
        pending = (await relays[0].backlog()).pending
        assert pending == 0
    finally:
        for broker in brokers:
            await broker.stop()
        for engine in engines:
            await engine.dispose()

    received = await read_topic(kafka_bootstrap, prefix, len(keys) * per_key)
    by_key: dict[str, list[int]] = defaultdict(list)
    for event in received:
        by_key[event.laporan_id].append(int(event.peristiwa_singkat or -1))
    assert set(by_key) == set(keys)
    for key, sequence in by_key.items():
        assert sequence == list(range(per_key)), f"{key}: {sequence}"


async def test_failed_publish_keeps_rows_pending_with_the_error(scratch) -> None:
    async with scratch.uow() as uow:
        uow.publish(laporan_event("fail-1", 0), laporan_event("fail-1", 1))
        await uow.commit()

    calls = 0

    async def broker_away(messages):  # the broker refuses: nothing may be marked published
        nonlocal calls
        calls += 1
        raise ConnectionError("broker tidak menjawab")

    relay = OutboxRelay(scratch.engine, outbox, leases, broker_away)
    await relay.ensure_leases()
    with contextlib.suppress(ConnectionError):
        await relay.publish_pending()
    async with scratch.engine.connect() as connection:
        rows = (await connection.execute(sa.select(outbox))).all()
    assert calls == 1
    assert all(row.published_at is None and row.attempts == 1 for row in rows)
    assert all("tidak menjawab" in (row.last_error or "") for row in rows)

    delivered: list[str] = []

    async def broker_back(messages):
        delivered.extend(m.event_id for m in messages)
        return PublishOutcome()

    relay = OutboxRelay(scratch.engine, outbox, leases, broker_back)
    assert await relay.publish_pending() == 2
    assert delivered == [row.event_id for row in sorted(rows, key=lambda r: r.seq)]
    assert (await relay.backlog()).pending == 0

    # After a broker lost its log, rows kept for the retention period go out again.
    assert await relay.republish_since(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)) == 2
    assert await relay.publish_pending() == 2


async def test_a_row_the_broker_refuses_is_set_aside_and_the_rest_flow_on(scratch, kafka_bootstrap) -> None:
    """The relay used to retry a too-large row every 10 s and publish nothing written after
    it, for good. Now: the row is set aside with its error, the later rows of its key wait
    behind it (order per key), every other key flows on."""
    await ensure_topics(kafka_bootstrap, [LAPORAN_TOPIC], partitions=3)
    prefix = f"big-{uuid.uuid4().hex[:6]}-"
    blocked, free = f"{prefix}blocked", f"{prefix}free"
    async with scratch.uow() as uow:
        uow.publish(laporan_event(free, 0), laporan_event(blocked, 0))
        await uow.commit()
    # A row too large for the broker, as a version without the write-time check wrote them.
    huge = outbox_row(laporan_event(blocked, 1))
    huge["payload"] = b'{"x": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    async with scratch.engine.begin() as connection:
        await connection.execute(sa.insert(outbox), [huge])
    async with scratch.uow() as uow:
        uow.publish(laporan_event(blocked, 2), laporan_event(free, 1), laporan_event(free, 2))
        await uow.commit()

    telemetry = Telemetry("relay-big")
    broker = KafkaBroker(kafka_bootstrap, logger=None)
    await broker.start()
    relay = OutboxRelay(scratch.engine, outbox, leases, relay_publisher(broker, telemetry.tracer), batch_size=2)
    try:
        await relay.ensure_leases()
        await relay.publish_pending()
        backlog = await relay.backlog()
        assert (backlog.failed, backlog.held, backlog.pending) == (1, 1, 1)
        async with scratch.engine.connect() as connection:
            failed = (await connection.execute(sa.select(outbox).where(outbox.c.failed_at.is_not(None)))).one()
        assert failed.event_id == huge["event_id"]
        assert "MessageSizeTooLarge" in (failed.last_error or "")
        # Nothing more goes out on another round, and it does not fail the round.
        assert await relay.publish_pending() == 0
        # The operator's retry: the row is still too large, so it is set aside again, and
        # the row behind it still waits.
        assert await relay.retry_failed() == 1
        await relay.publish_pending()
        assert (await relay.backlog()).failed == 1
    finally:
        await broker.stop()

    received = await read_topic(kafka_bootstrap, prefix, 4)
    order = [(event.laporan_id, event.peristiwa_singkat) for event in received]
    assert sorted(order) == sorted([(free, "0"), (free, "1"), (free, "2"), (blocked, "0")])
    assert [seq for key, seq in order if key == free] == ["0", "1", "2"]


def test_an_event_too_large_for_the_broker_is_refused_when_written() -> None:
    event = laporan_event("too-large", 0)
    event = event.model_copy(update={"peristiwa_singkat": "x" * (MAX_EVENT_BYTES + 1)})
    try:
        outbox_row(event)
    except EventTooLarge as error:
        assert error.status_code == 413
        assert "terlalu besar" in error.message
    else:
        raise AssertionError("a record past the broker's limit was accepted into the outbox")
    assert outbox_row(laporan_event("fits", 0))["key"] == "fits"


async def test_the_relay_reads_the_pending_rows_not_the_published_ones(scratch) -> None:
    """Published rows stay for the retention period and nothing may vacuum them (autovacuum off,
    no statistics yet): the relay's query must read the pending rows through their partial
    index, whatever the number of published rows."""
    if scratch.engine.dialect.name != "postgresql":
        return  # SQLite: one relay per file, no plan to choose
    now = dt.datetime.now(dt.UTC)
    async with scratch.engine.begin() as connection:
        await connection.execute(sa.delete(outbox))
        for _ in range(5):  # published in rounds, as the relay does: dead index entries behind
            rows = [outbox_row(laporan_event(str(uuid.uuid4()), n), now=now) for n in range(400)]
            await connection.execute(sa.insert(outbox), rows)
            await connection.execute(sa.update(outbox).where(outbox.c.published_at.is_(None)).values(published_at=now))
        await connection.execute(
            sa.insert(outbox), [outbox_row(laporan_event(str(uuid.uuid4()), n), now=now) for n in range(7)]
        )
    relay = OutboxRelay(scratch.engine, outbox, leases, broker_never_called, batch_size=500)
    await relay.ensure_leases()
    query = relay._pending_rows().compile(scratch.engine.sync_engine, compile_kwargs={"literal_binds": True})
    async with scratch.engine.connect() as connection:
        await connection.execute(sa.text(str(query)))  # the first scan marks the dead entries
        plan = "\n".join(
            row[0] for row in await connection.execute(sa.text(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {query}"))
        )
        pending = (await connection.execute(sa.text(str(query)))).all()
    assert len(pending) == 7
    assert "ix_outbox_unpublished" in plan, plan
    # Neither the rows nor the failed-key check scan the table (the old plan's check did). How
    # many dead index entries the scan steps over depends on the oldest open transaction in the
    # database (another test's), not on this query: not asserted.
    assert not re.search(r"Seq Scan on outbox\b(?!_lease)", plan), plan


async def broker_never_called(messages: object) -> PublishOutcome:
    raise AssertionError("not called")
