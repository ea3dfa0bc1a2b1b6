"""Where a webhook may point, through the service: URLs into the internal network are refused
at registration (422 on ``url``, saying why), a name re-pointed into it afterwards is refused
at delivery and dead-lettered without a connection, and a redirect is a failed delivery."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from awasi_cli.testing import eventually
from awasi_common.events.planning import KegiatanScheduled
from awasi_notification.adapters.orm import subscription
from awasi_notification.adapters.senders import WebhookSender

from .test_egress import FakeDns
from .test_webhooks import register

NAME = "webhook.kpu-jatim.example.go.id"
BODY = {"lembaga": "KPU Provinsi Jawa Timur", "jenis_event": ["awasi.KegiatanScheduled.v1"], "wilayah": "35"}

# Issue 12, item 7, as reported: each of these was registered.
REPORTED = [
    ("http://2130706433/awasi", "https://"),
    ("https://2130706433/awasi", "alamat loopback"),
    ("https://0x7f000001/awasi", "alamat loopback"),
    ("https://127.1/awasi", "alamat loopback"),
    ("https://10.1/awasi", "alamat jaringan privat"),
    ("https://169.254.169.254.nip.io/latest/meta-data/", "layanan DNS"),
    ("https://metadata.google.internal/computeMetadata/v1/", "nama jaringan internal"),
    ("https://localhost./awasi", "nama jaringan internal"),
    ("https://224.0.0.1/awasi", "alamat multicast"),
    ("https://kpu-jatim.example.go.id/awasi\r\nX-Sisipan: 1", "karakter kontrol"),
]


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one notification also reads the kegiatan
    other tests left on it, and every KegiatanScheduled in East Java (35) goes to the webhook
    these tests register, whose receiver they count request by request."""
    return private_broker


async def test_urls_into_the_internal_network_are_refused_at_registration(notification_service, tokens) -> None:
    n = await notification_service(WEBHOOK_ALLOW_HTTP_LOOPBACK="false")
    n.app.state.collaborators.resolver = FakeDns({"hook.kpu-jatim.example.go.id": ["8.8.8.8", "127.0.0.1"]})
    agency = tokens("35", "agency")
    for url, why in [*REPORTED, ("https://hook.kpu-jatim.example.go.id/awasi", "mengarah ke alamat loopback")]:
        response = await n.client.post("/webhook", json={**BODY, "url": url}, headers=agency)
        assert response.status_code == 422, (url, response.text)
        assert response.json()["field"] == "url" and why in response.json()["detail"], (url, response.text)
    assert await n.count(subscription) == 0

    # A name with no answer now is accepted (the receiver may not exist yet), in canonical form:
    # every delivery resolves it again.
    accepted = await n.client.post(
        "/webhook", json={**BODY, "url": "https://KPU-Jatim.Example.Go.Id.:443/awasi#x"}, headers=agency
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["url"] == "https://kpu-jatim.example.go.id/awasi"


async def test_a_name_re_pointed_into_the_network_is_refused_at_delivery_and_never_connected(
    notification_service, receiver, tokens, kegiatan_event
) -> None:
    n = await notification_service(WEBHOOK_ALLOW_HTTP_LOOPBACK="false")
    n.app.state.collaborators.resolver = FakeDns({NAME: ["8.8.8.8"]})  # public when registered
    n.app.state.outlets.webhook = WebhookSender(
        n.app.state.notification_settings, resolver=FakeDns({NAME: ["127.0.0.1"]})
    )  # then re-pointed at the receiver on loopback
    hook = await register(n.client, tokens, f"https://{NAME}:{receiver.port}/awasi/webhook")
    await n.publish(kegiatan_event(KegiatanScheduled, "35.05"))

    async def failed() -> list[dict[str, Any]]:
        rows = await n.client.get(
            f"/webhook/{hook['id']}/pengiriman", params={"status": "failed"}, headers=tokens("35", "agency")
        )
        return list(rows.json())

    dead = (await eventually(failed, timeout=20))[0]
    assert dead["percobaan"] == 1 and dead["status_http"] is None
    assert "jaringan internal 127.0.0.1" in dead["kesalahan_terakhir"], dead
    assert receiver.received == []


async def test_a_redirect_is_a_failed_delivery_not_followed(
    notification_service, receiver, tokens, kegiatan_event
) -> None:
    n = await notification_service(WEBHOOK_MAX_ATTEMPTS="2", RETRY_BASE_SECONDS="0.1")
    receiver.default = 302
    receiver.headers = {"location": "http://169.254.169.254/latest/meta-data/"}
    hook = await register(n.client, tokens, receiver.url)
    await n.publish(kegiatan_event(KegiatanScheduled, "35.05"))

    async def failed() -> list[dict[str, Any]]:
        rows = await n.client.get(
            f"/webhook/{hook['id']}/pengiriman", params={"status": "failed"}, headers=tokens("35", "agency")
        )
        return list(rows.json())

    dead = (await eventually(failed, timeout=20))[0]
    assert dead["percobaan"] == 2 and dead["status_http"] == 302
    assert "pengalihan ke http://169.254.169.254/latest/meta-data/ tidak diikuti" in dead["kesalahan_terakhir"]
    assert [r.body for r in receiver.received][:1] and len(receiver.received) == 2
    rows = await n.rows(sa.select(subscription.c.url))
    assert [r.url for r in rows] == [receiver.url]
