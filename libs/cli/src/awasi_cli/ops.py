"""Operating by hand: service status, dead-letter replay, topic creation."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from awasi_common.events.base import dead_letter_topic
from awasi_common.messaging import ERROR_HEADER, ORIGIN_HEADERS


def service_status(urls: dict[str, str], token: str) -> dict[str, dict[str, Any]]:
    """Readiness and /ops/status of each service; an unreachable one says so."""
    result: dict[str, dict[str, Any]] = {}
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=10) as client:
        for name, url in urls.items():
            try:
                ready = client.get(f"{url}/readyz").json()
                status = client.get(f"{url}/ops/status", headers=headers)
                result[name] = {"ready": ready, "status": status.json() if status.status_code == 200 else None}
            except httpx.HTTPError as error:
                result[name] = {"ready": {"status": f"tidak terjangkau: {error}"}, "status": None}
    return result


@dataclass
class DeadLetter:
    event_id: str
    event_type: str
    original_topic: str
    error: str
    partition: int
    offset: int


def _text(headers: dict[str, bytes], name: str) -> str:
    return headers.get(name, b"").decode(errors="replace")


async def list_dead_letters(bootstrap: str, group: str, timeout: float = 3.0) -> list[DeadLetter]:
    """Everything in a consumer group's dead-letter topic (read without committing)."""
    reader = AIOKafkaConsumer(
        dead_letter_topic(group),
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await reader.start()
    found: list[DeadLetter] = []
    try:
        while True:
            batch = await reader.getmany(timeout_ms=int(timeout * 1000))
            if not batch:
                return found
            for records in batch.values():
                for record in records:
                    headers = dict(record.headers)
                    found.append(
                        DeadLetter(
                            _text(headers, "ce_id"),
                            _text(headers, "ce_type"),
                            _text(headers, ORIGIN_HEADERS[0]),
                            _text(headers, ERROR_HEADER),
                            record.partition,
                            record.offset,
                        )
                    )
    finally:
        await reader.stop()


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
    chosen = event_ids is not None
    reader = AIOKafkaConsumer(
        dead_letter_topic(group),
        bootstrap_servers=bootstrap,
        group_id=None if chosen else f"{group}.replay",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=max(session_timeout_ms // 3, 100),
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, client_id=f"awasi-replay-{uuid.uuid4().hex[:6]}")
    await reader.start()
    await producer.start()
    replayed: list[str] = []
    try:
        while True:
            batch = await reader.getmany(timeout_ms=int(timeout * 1000))
            if not batch:
                return replayed
            for records in batch.values():
                for record in records:
                    headers = dict(record.headers)
                    event_id = _text(headers, "ce_id")
                    if event_ids is not None and event_id not in event_ids:
                        continue
                    original = [(k, v) for k, v in record.headers if not k.startswith("x-awasi-")]
                    await producer.send_and_wait(
                        _text(headers, ORIGIN_HEADERS[0]), record.value, key=record.key, headers=original
                    )
                    replayed.append(event_id)
            if not chosen:
                await reader.commit()
    finally:
        await producer.stop()
        await reader.stop()


def run(coro: Any) -> Any:
    return asyncio.run(coro)
