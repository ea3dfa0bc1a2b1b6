"""``GET /ops/surat-mati`` and ``POST /ops/surat-mati/ulang``: a service's dead letters listed
and re-driven over HTTP by Bawaslu RI's admin, handled once after the cause is mended."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from typing import Any

import pytest

from awasi_cli.testing import BrokenHandler, eventually
from awasi_common.events.identity import AKUN_TOPIC, AccountDisabled
from awasi_common.outbox import outbox_row


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """The test's own broker: the service's dead-letter topic holds only this test's events."""
    return private_broker


async def _true(value: bool) -> bool:
    return value


def _consumer_spans(service: Any, trace_id: str) -> int:
    """The service's CONSUMER spans in that trace (its trace file, flushed first)."""
    service.telemetry.tracer_provider.force_flush()
    path = service.platform.data_dir / "traces" / f"{service.name}.jsonl"
    if not path.exists():
        return 0
    spans = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return sum(1 for s in spans if s["trace_id"] == trace_id and s["kind"] == "CONSUMER")


async def test_dead_letters_listed_and_replayed_over_http_once(start_service: Any, tokens: Any) -> None:
    planning = await start_service("planning")
    service = start_service.apps["planning"].state.service
    consumer = next(c for c in service.consumers if c.group == "awasi.planning")
    broken = BrokenHandler(consumer, AccountDisabled)
    admin = tokens("00", "admin")

    # Who may: Bawaslu RI's admin only.
    for path, method in (("/ops/surat-mati", "GET"), ("/ops/surat-mati/ulang", "POST")):
        assert (await planning.request(method, path)).status_code == 401
        for unit, role in (("00", "operator"), ("35.05", "admin"), ("00", "agency"), ("35", "pimpinan")):
            refused = await planning.request(method, path, headers=tokens(unit, role))
            assert refused.status_code == 403, (path, unit, role)
        assert (
            "admin Bawaslu RI"
            in (await planning.request(method, path, headers=tokens("35.05", "admin"))).json()["detail"]
        )

    event = AccountDisabled(
        unit="35.05", akun_id=f"akun-{uuid.uuid4().hex[:8]}", dinonaktifkan_pada=dt.datetime.now(dt.UTC)
    )
    with service.telemetry.tracer.start_as_current_span("permintaan uji") as span:  # the causing request
        row = outbox_row(event)
        await service.broker.publish(row["payload"], AKUN_TOPIC, key=event.key.encode(), headers=row["headers"])
    trace_id = format(span.get_span_context().trace_id, "032x")
    await eventually(lambda: _true(consumer.dead_lettered == 1), timeout=60)

    listed = await planning.get("/ops/surat-mati", headers=admin)
    assert listed.status_code == 200, listed.text
    group = listed.json()["grup"]["awasi.planning"]
    assert group["jumlah"] == 1 and group["belum_dikirim_ulang"] == 1
    [letter] = group["surat"]
    assert letter["id"] == row["event_id"] and letter["jenis"] == AccountDisabled.ce_type()
    assert "belum dimigrasi" in letter["galat"] and letter["topik_asal"] == AKUN_TOPIC
    assert letter["waktu"] is not None and letter["sudah_dikirim_ulang"] is False
    assert letter["jejak"] == trace_id  # for `awasi trace ID`

    # Bounded and checked: another service's group, too many ids, unknown fields.
    assert (await planning.get("/ops/surat-mati?batas=100000", headers=admin)).status_code == 422
    other = await planning.post("/ops/surat-mati/ulang", json={"grup": "awasi.reporting"}, headers=admin)
    assert other.status_code == 404 and "awasi.planning" in other.json()["detail"]
    many = await planning.post("/ops/surat-mati/ulang", json={"id": ["x"] * 501}, headers=admin)
    assert many.status_code == 422
    assert (await planning.post("/ops/surat-mati/ulang", json={"semua": True}, headers=admin)).status_code == 422
    # A chosen id that is not there re-drives nothing.
    none = await planning.post("/ops/surat-mati/ulang", json={"id": [str(uuid.uuid4())]}, headers=admin)
    assert none.status_code == 200 and none.json()["jumlah"] == 0
    assert consumer.handled == 0  # ``handled`` counts committed handlings only

    tried = _consumer_spans(service, trace_id)
    assert tried >= 1  # the failed handling, in the trace of the request that caused the event
    broken.mended = True
    replayed = await planning.post("/ops/surat-mati/ulang", headers=admin)  # no body: every one
    assert replayed.status_code == 200, replayed.text
    assert replayed.json() == {"dikirim_ulang": {"awasi.planning": [row["event_id"]]}, "jumlah": 1}
    await eventually(lambda: _true(consumer.handled == 1), timeout=30)
    # Handled again in that same trace (`awasi trace ID` shows every try).
    await eventually(lambda: _true(_consumer_spans(service, trace_id) > tried), timeout=10)

    again = (await planning.get("/ops/surat-mati", headers=admin)).json()["grup"]["awasi.planning"]
    assert again["jumlah"] == 1 and again["belum_dikirim_ulang"] == 0  # the topic keeps it; marked re-driven
    assert again["surat"][0]["sudah_dikirim_ulang"] is True
    assert (await planning.post("/ops/surat-mati/ulang", json={}, headers=admin)).json()["jumlah"] == 0

    # Replaying it by its id once more: the consumer's inbox skips an event it handled.
    chosen = await planning.post("/ops/surat-mati/ulang", json={"id": [row["event_id"]]}, headers=admin)
    assert chosen.json()["jumlah"] == 1
    await asyncio.sleep(3)  # time for the consumer to read it again (it reads within 1 s)
    assert consumer.handled == 1 and consumer.dead_lettered == 1
