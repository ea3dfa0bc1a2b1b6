"""Records as an agency reads them: with confluent-kafka (librdkafka) and the CloudEvents SDK's
Kafka binding, clients we did not write. Each header is taken once, by its first value, as
such clients do; the headers must match the AsyncAPI document's header schema."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from typing import Any

import jsonschema
from cloudevents.core.bindings import kafka as ce_kafka
from confluent_kafka import Consumer
from faststream.kafka import KafkaBroker

from awasi_common import catalog
from awasi_common.events.reporting import LAPORAN_TOPIC, LaporanSubmitted
from awasi_common.messaging import ensure_topics, relay_publisher
from awasi_common.outbox import OutboxRelay
from awasi_common.telemetry import Telemetry

from .conftest import leases, outbox


def read_with_librdkafka(bootstrap: str, topic: str, key: str, timeout: float = 30) -> Any:
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"agency-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            # librdkafka's default (45 s) would keep the join waiting 22 s on the embedded broker
            "session.timeout.ms": 6000,
        }
    )
    consumer.subscribe([topic])
    try:
        deadline = dt.datetime.now() + dt.timedelta(seconds=timeout)
        while dt.datetime.now() < deadline:
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            if (message.key() or b"").decode() == key:
                return message
        raise AssertionError(f"no record with key {key} on {topic}")
    finally:
        consumer.close()


async def test_a_record_reads_with_confluent_kafka_and_the_cloudevents_sdk(scratch, private_broker) -> None:
    await ensure_topics(private_broker, [LAPORAN_TOPIC], partitions=1)
    key = f"agency-{uuid.uuid4().hex[:8]}"
    event = LaporanSubmitted(
        unit="35.05",
        laporan_id=key,
        kode_pelacakan="LP-AGENCY",
        kanal="web",
        diterima_pada=dt.datetime.now(dt.UTC),
        peristiwa_singkat="Politik uang",
    )
    async with scratch.uow() as uow:
        uow.publish(event)
        await uow.commit()
    broker = KafkaBroker(private_broker, logger=None)
    await broker.start()
    try:
        relay = OutboxRelay(scratch.engine, outbox, leases, relay_publisher(broker, Telemetry("agency").tracer))
        await relay.ensure_leases()
        assert await relay.publish_pending() == 1
    finally:
        await broker.stop()

    message = await asyncio.to_thread(read_with_librdkafka, private_broker, LAPORAN_TOPIC, key)
    names = [name for name, _ in message.headers()]
    assert names.count("content-type") == 1, names
    assert len(names) == len(set(names)), f"a header appears twice: {names}"
    first: dict[str, bytes] = {}
    for name, value in message.headers():
        first.setdefault(name, value)

    headers_schema = catalog.asyncapi(source="/awasi/reporting")["components"]["schemas"]["CloudEventHeaders"]
    jsonschema.validate({name: value.decode() for name, value in first.items()}, headers_schema)

    cloud_event = ce_kafka.from_binary_event(
        ce_kafka.KafkaMessage(headers=first, key=message.key(), value=message.value())
    )
    assert cloud_event.get_type() == LaporanSubmitted.ce_type()
    assert cloud_event.get_source() == LaporanSubmitted.source
    assert cloud_event.get_datacontenttype() == "application/json"
    assert cloud_event.get_extension("unit") == "35.05"
    data = cloud_event.get_data()
    data = json.loads(data) if isinstance(data, bytes | str) else data
    assert data["laporan_id"] == key
    assert data["kode_pelacakan"] == "LP-AGENCY"
