"""``python -m bench.broker_log``: the embedded broker's CPU per record against its log's length.

A fresh embedded broker (Tansu, memory storage, as ``awasi up`` and ``make bench`` run it), one
topic of one partition. Each step sends ``--round-trips`` records one at a time, each fetched by
a consumer at the log's end before the next is sent (one produce and one fetch with data per
record, as an idle service sees its events), and divides the broker's CPU by them; then it sends
``--grow`` more records at once to lengthen the log before the next step. A broker whose cost
does not depend on its log prints the same figure at every step.

Why: the 10-minute hold of ``make bench`` (``--soak-seconds 600``) found the broker's CPU per
Form A climbing minute by minute while reporting's, notification's and PostgreSQL's stayed flat
(docs/performance.md, "The 10-minute hold").
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from awasi_cli.broker import start_broker, wait_for_port
from awasi_cli.testing import free_port
from bench.measure import process_cpu_seconds

TOPIC = "bench.broker-log"
RECORD = b"x" * 800
"""About the size of a Form A event's envelope."""


WAIT_SECONDS = 30
"""How long a record sent may take to be fetched before the measurement gives up."""


async def _round_trips(producer: AIOKafkaProducer, consumer: AIOKafkaConsumer, count: int) -> None:
    partition = TopicPartition(TOPIC, 0)
    for _ in range(count):
        await producer.send_and_wait(TOPIC, RECORD, partition=0)
        deadline = time.monotonic() + WAIT_SECONDS
        while not any((await consumer.getmany(partition, timeout_ms=1000)).values()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"a record sent was not fetched within {WAIT_SECONDS} s")


async def measure(steps: int, round_trips: int, grow: int) -> list[tuple[int, float]]:
    port = free_port()
    broker = start_broker(port, Path(tempfile.mkdtemp(prefix="broker-log-")) / "broker.log")
    try:
        wait_for_port("127.0.0.1", port, 30, broker)
        bootstrap = f"127.0.0.1:{port}"
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            await admin.create_topics([NewTopic(TOPIC, 1, 1)])
        finally:
            await admin.close()
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=0)
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, fetch_max_wait_ms=100, enable_auto_commit=False)
        await producer.start()
        await consumer.start()
        partition = TopicPartition(TOPIC, 0)
        consumer.assign([partition])
        found = []
        try:
            sent = 0
            for _ in range(steps):
                await consumer.seek_to_end(partition)
                before = process_cpu_seconds(broker.pid)
                await _round_trips(producer, consumer, round_trips)
                found.append((sent, 1000 * (process_cpu_seconds(broker.pid) - before) / round_trips))
                sent += round_trips
                await asyncio.gather(*(producer.send_and_wait(TOPIC, RECORD, partition=0) for _ in range(grow)))
                sent += grow
        finally:
            await producer.stop()
            await consumer.stop()
        return found
    finally:
        broker.terminate()
        broker.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--round-trips", type=int, default=500, help="records sent and fetched one by one per step")
    parser.add_argument("--grow", type=int, default=5000, help="records added at once between steps")
    args = parser.parse_args()
    started = time.monotonic()
    print("records already in the partition → broker CPU ms per record sent and fetched")
    for sent, ms in asyncio.run(measure(args.steps, args.round_trips, args.grow)):
        print(f"{sent:>8,} → {ms:.2f} ms")
    print(f"({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
