"""Agency webhooks end to end: events on the real broker, the notification service on
PostgreSQL, and an HTTP receiver in the test process that checks every signature."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
import sqlalchemy as sa

from awasi_cli.testing import eventually
from awasi_common.events.planning import KegiatanCancelled, KegiatanScheduled
from awasi_notification.adapters.orm import delivery, inbox

KEGIATAN_SCHEDULED = "awasi.KegiatanScheduled.v1"


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one notification also reads the kegiatan
    other tests left on it, and every KegiatanScheduled in East Java (35) reaches the webhook
    these tests register, whose receiver they count request by request."""
    return private_broker


def valid_with(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """A receiver's check, written from the Standard Webhooks text, independent of the service."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    fresh = abs(time.time() - int(headers["webhook-timestamp"])) < 300
    return fresh and any(hmac.compare_digest(expected, s) for s in headers["webhook-signature"].split(" "))


async def register(client: Any, tokens: Any, url: str, **overrides: Any) -> dict[str, Any]:
    body = {"lembaga": "KPU Provinsi Jawa Timur", "url": url, "jenis_event": [KEGIATAN_SCHEDULED], "wilayah": "35"}
    body.update(overrides)
    response = await client.post("/webhook", json=body, headers=tokens("35", "agency"))
    assert response.status_code == 201, response.text
    return response.json()


async def handled(n: Any, *event_ids: str) -> bool:
    rows = await n.rows(sa.select(inbox.c.event_id).where(inbox.c.event_id.in_(event_ids)))
    return len(rows) == len(event_ids)


async def test_agency_gets_each_subscribed_event_once_signed(
    notification_service, receiver, tokens, kegiatan_event, delivery_events
) -> None:
    n = await notification_service()
    hook = await register(n.client, tokens, receiver.url)
    assert hook["rahasia"].startswith("whsec_") and hook["jenis_event"] == [KEGIATAN_SCHEDULED]

    inside = kegiatan_event(KegiatanScheduled, "35.05")
    elsewhere = kegiatan_event(KegiatanScheduled, "36.01")  # Banten: outside the agency's region
    other_type = kegiatan_event(KegiatanCancelled, "35.05", alasan="Anggaran dialihkan")
    sent = await n.publish(inside)
    e2 = await n.publish(elsewhere)
    e3 = await n.publish(other_type)

    await eventually(lambda: asyncio.sleep(0, result=len(receiver.received) >= 1))
    request = receiver.received[0]
    assert valid_with(hook["rahasia"], request.headers, request.body)
    assert not valid_with("whsec_" + base64.b64encode(b"x" * 32).decode(), request.headers, request.body)
    assert request.headers["content-type"] == "application/cloudevents+json"
    cloud_event = request.json()
    assert cloud_event["specversion"] == "1.0"
    assert cloud_event["id"] == sent.id and cloud_event["type"] == KEGIATAN_SCHEDULED
    assert cloud_event["source"] == "/awasi/planning" and cloud_event["subject"] == inside.kegiatan_id
    assert cloud_event["unit"] == "35.05" and cloud_event["data"]["kegiatan_id"] == inside.kegiatan_id
    dt.datetime.fromisoformat(cloud_event["time"].replace("Z", "+00:00"))

    # The same event delivered again by the broker (same ce_id), then a marker behind it on the
    # same partition: once the marker is handled, the duplicate was too.
    await n.publish(inside, sent)
    marker = await n.publish(kegiatan_event(KegiatanCancelled, "35.05", kegiatan_id=inside.kegiatan_id, alasan="x"))
    await eventually(lambda: handled(n, sent.id, e2.id, e3.id, marker.id))
    await asyncio.sleep(0.5)  # the worker polls every 0.05 s: a second POST would be here by now
    assert len(receiver.received) == 1
    # The webhook's one delivery row (rows of other channels, an inbox say, may stand beside it).
    webhook_rows = await n.rows(sa.select(delivery.c.id).where(delivery.c.subscription_id == hook["id"]))
    assert [row.id for row in webhook_rows] == [receiver.received[0].headers["webhook-id"]]

    log = (await n.client.get(f"/webhook/{hook['id']}/pengiriman", headers=tokens("35", "agency"))).json()
    assert [(d["status"], d["percobaan"], d["status_http"]) for d in log] == [("sent", 1, 200)]

    events = await delivery_events({log[0]["id"]})
    assert events[log[0]["id"]]["type"] == "awasi.NotificationDelivered.v1"
    assert events[log[0]["id"]]["channel"] == "webhook" and events[log[0]["id"]]["event_id"] == sent.id

    metrics = (await n.client.get("/metrics")).text.splitlines()
    sent_count = [m for m in metrics if m.startswith('awasi_notification_deliveries_total{channel="webhook"')]
    assert any('outcome="sent"' in m for m in sent_count), sent_count


async def test_failing_receiver_is_retried_with_backoff_then_dead_lettered_and_replayable(
    notification_service, receiver, tokens, kegiatan_event, delivery_events
) -> None:
    # Waits of 1 s then 2 s: long enough that a busy machine's delays (a second or so seen with
    # the suite in four processes) cannot make the second look shorter than the first.
    n = await notification_service(RETRY_BASE_SECONDS="1", RETRY_MAX_SECONDS="4", WEBHOOK_MAX_ATTEMPTS="3")
    hook = await register(n.client, tokens, receiver.url)
    agency = tokens("35", "agency")

    # 503, 503, then 200: delivered on the third attempt, waits growing.
    receiver.answers = [503, 503]
    await n.publish(kegiatan_event(KegiatanScheduled, "35.05"))
    await eventually(lambda: asyncio.sleep(0, result=len(receiver.received) >= 3), timeout=20)
    gaps = [b.at - a.at for a, b in zip(receiver.received, receiver.received[1:], strict=False)]
    assert gaps[0] >= 0.95 and gaps[1] >= 1.95 and gaps[1] > gaps[0], gaps
    ids = {r.headers["webhook-id"] for r in receiver.received}
    assert len(ids) == 1  # the same message, retried
    log = await n.client.get(f"/webhook/{hook['id']}/pengiriman", headers=agency)

    async def sent() -> list[dict[str, Any]]:
        rows = (await n.client.get(f"/webhook/{hook['id']}/pengiriman", headers=agency)).json()
        return [r for r in rows if r["status"] == "sent"]

    first = (await eventually(sent))[0]
    assert first["percobaan"] == 3

    # Always 500: after three attempts the delivery is dead-lettered, and NotificationFailed published.
    receiver.received.clear()
    receiver.default = 500
    await n.publish(kegiatan_event(KegiatanScheduled, "35.05.01"))

    async def failed() -> list[dict[str, Any]]:
        rows = await n.client.get(f"/webhook/{hook['id']}/pengiriman", params={"status": "failed"}, headers=agency)
        return rows.json()

    dead = (await eventually(failed, timeout=20))[0]
    assert dead["percobaan"] == 3 and dead["status_http"] == 500 and "HTTP 500" in dead["kesalahan_terakhir"]
    assert len(receiver.received) == 3
    events = await delivery_events({dead["id"], first["id"]})
    assert events[dead["id"]]["type"] == "awasi.NotificationFailed.v1" and events[dead["id"]]["attempts"] == 3
    assert events[first["id"]]["type"] == "awasi.NotificationDelivered.v1"

    # The agency fixed its endpoint and asks for the dead-lettered delivery again.
    receiver.default = 200
    again = await n.client.post(f"/pengiriman/{dead['id']}/kirim-ulang", headers=agency)
    assert again.status_code == 202, again.text
    await eventually(lambda: asyncio.sleep(0, result=len(receiver.received) == 4))
    assert (await n.client.post(f"/pengiriman/{dead['id']}/kirim-ulang", headers=agency)).status_code in (202, 409)
    assert log.status_code == 200


async def test_receiver_outage_delays_and_never_loses(notification_service, receiver, tokens, kegiatan_event) -> None:
    n = await notification_service(RETRY_BASE_SECONDS="0.1", RETRY_MAX_SECONDS="0.3", WEBHOOK_MAX_ATTEMPTS="100")
    hook = await register(n.client, tokens, receiver.url)
    await receiver.stop()  # the agency's server is down
    events = [kegiatan_event(KegiatanScheduled, "35.05") for _ in range(3)]
    for event in events:
        await n.publish(event)

    async def attempted() -> bool:
        rows = await n.rows(sa.select(delivery).where(delivery.c.attempts >= 2))
        return len(rows) == 3

    await eventually(attempted, timeout=20)
    rows = await n.rows(sa.select(delivery))
    assert {r.status for r in rows} == {"pending"} and all("tidak dapat dihubungi" in r.last_error for r in rows)

    await receiver.start()
    await eventually(lambda: asyncio.sleep(0, result=len(receiver.received) == 3), timeout=20)
    got = {json.loads(r.body)["data"]["kegiatan_id"] for r in receiver.received}
    assert got == {e.kegiatan_id for e in events}
    assert all(valid_with(hook["rahasia"], r.headers, r.body) for r in receiver.received)


async def test_secret_rotation_keeps_old_secret_valid_for_the_grace_period(
    notification_service, receiver, tokens, kegiatan_event
) -> None:
    n = await notification_service()
    hook = await register(n.client, tokens, receiver.url)
    old = hook["rahasia"]
    agency = tokens("35", "agency")

    rotated = await n.client.post(
        f"/webhook/{hook['id']}/rotasi-rahasia", json={"masa_tenggang_detik": 3600}, headers=agency
    )
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["rahasia"]
    assert new != old

    await n.publish(kegiatan_event(KegiatanScheduled, "35.05"))
    await eventually(lambda: asyncio.sleep(0, result=len(receiver.received) == 1))
    during = receiver.received[0]
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert valid_with(new, during.headers, during.body) and valid_with(old, during.headers, during.body)

    # Past the grace period only the new secret signs.
    n.app.state.clock.offset = dt.timedelta(hours=2)
    await n.publish(kegiatan_event(KegiatanScheduled, "35.05"))
    await eventually(lambda: asyncio.sleep(0, result=len(receiver.received) == 2))
    after = receiver.received[1]
    assert valid_with(new, after.headers, after.body) and not valid_with(old, after.headers, after.body)

    # Revoked at once (a leaked secret): grace 0.
    n.app.state.clock.offset = dt.timedelta(0)
    revoke = await n.client.post(
        f"/webhook/{hook['id']}/rotasi-rahasia", json={"masa_tenggang_detik": 0}, headers=agency
    )
    newest = revoke.json()["rahasia"]
    await n.publish(kegiatan_event(KegiatanScheduled, "35.05"))
    await eventually(lambda: asyncio.sleep(0, result=len(receiver.received) == 3))
    last = receiver.received[2]
    assert valid_with(newest, last.headers, last.body) and not valid_with(new, last.headers, last.body)

    # Someone else's token may not rotate it.
    other = await n.client.post(f"/webhook/{hook['id']}/rotasi-rahasia", headers=tokens("35.05", "agency"))
    assert other.status_code == 404
