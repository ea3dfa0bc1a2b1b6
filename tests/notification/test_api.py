"""The subscription API: bad input gets a clear 4xx in Indonesian and writes nothing; unit and
personal subscriptions reach their inboxes; who may register an agency webhook."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from awasi_cli.testing import eventually
from awasi_common.events.planning import KegiatanCancelled
from awasi_notification.adapters.orm import inbox, subscription, subscription_event


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one notification also reads the kegiatan
    other tests left on it (35.05 and below is every module's unit), and their messages and
    reminders reach the inboxes these tests count whole."""
    return private_broker


GOOD = {
    "lembaga": "KPU Kabupaten Blitar",
    "url": "https://kpu-blitar.example.go.id/awasi",
    "wilayah": "35.05",
    "jenis_event": ["awasi.KegiatanScheduled.v1"],
}


async def test_bad_input_is_refused_clearly_and_nothing_is_written(notification_service, tokens) -> None:
    n = await notification_service(WEBHOOK_ALLOW_HTTP_LOOPBACK="false")
    agency = tokens("35.05", "agency")

    cases: list[tuple[str, dict[str, Any], dict[str, str], int, str]] = [
        ("/webhook", {"url": "http://kpu-blitar.example.go.id/awasi"}, agency, 422, "https://"),
        ("/webhook", {"url": "http://127.0.0.1:8080/awasi"}, agency, 422, "loopback"),
        ("/webhook", {"url": "ftp://kpu.example.go.id/x"}, agency, 422, "URL webhook tidak sah"),
        ("/webhook", {"url": "https://user:rahasia@kpu.example.go.id/x"}, agency, 422, "kata sandi"),
        ("/webhook", {"jenis_event": ["awasi.TidakAda.v1"]}, agency, 422, "tidak dikenal: awasi.TidakAda.v1"),
        ("/webhook", {"jenis_event": ["awasi.PelaporNoticeRequested.v1"]}, agency, 422, "bersifat internal"),
        ("/webhook", {"jenis_event": ["awasi.NotificationDelivered.v1"]}, agency, 422, "internal"),
        ("/webhook", {"jenis_event": []}, agency, 422, "jenis_event"),
        ("/webhook", {"wilayah": "35.99"}, agency, 422, "tidak terdaftar dalam kode wilayah Kemendagri"),
        ("/webhook", {"wilayah": "35-05"}, agency, 422, "tidak berformat kode wilayah"),
        ("/webhook", {"wilayah": "35"}, agency, 403, "di luar cakupan unit 35.05"),
        ("/webhook", {"wilayah": "35.06"}, agency, 403, "di luar cakupan"),
        ("/webhook", {}, tokens("35.05", "viewer"), 403, "peran agency"),
        ("/webhook", {"lembaga": None}, tokens("35.05", "operator"), 422, "Nama lembaga wajib"),
        ("/webhook", {"unit": "35.06", "wilayah": "35.06"}, tokens("35.05", "operator"), 403, "tidak berhak"),
        ("/langganan", {"saluran": "email", "email": None}, tokens("35.05"), 422, "Alamat email wajib"),
        ("/langganan", {"saluran": "email", "email": "bukan-email"}, tokens("35.05"), 422, "bukan alamat email"),
        ("/langganan", {"mode": "ringkasan_harian"}, tokens("35.05"), 422, "hanya tersedia untuk saluran email"),
        ("/langganan", {"jenis_event": ["KegiatanScheduled"]}, tokens("35.05"), 422, "tidak dikenal"),
        ("/langganan", {"wilayah": "99"}, tokens("35.05"), 422, "tidak terdaftar"),
        ("/langganan", {"unit": "35.06"}, tokens("35.05"), 403, "tidak berhak"),
        ("/langganan", {}, tokens("35.05", "viewer"), 403, "hanya dapat membaca"),
    ]
    base_subscription = {"untuk": "unit", "saluran": "inbox", "jenis_event": ["awasi.KegiatanScheduled.v1"]}
    for path, change, headers, status, words in cases:
        body = {**(GOOD if path == "/webhook" else base_subscription), **change}
        body = {k: v for k, v in body.items() if v is not None}
        response = await n.client.post(path, json=body, headers=headers)
        assert response.status_code == status, (change, response.text)
        assert words in response.text, (change, response.text)
        assert "Traceback" not in response.text
    assert await n.count(subscription) == 0 and await n.count(subscription_event) == 0

    unauthenticated = await n.client.post("/webhook", json=GOOD)
    assert unauthenticated.status_code == 401 and "Bearer" in unauthenticated.json()["detail"]
    assert await n.count(subscription) == 0

    ok = await n.client.post("/webhook", json=GOOD, headers=agency)
    assert ok.status_code == 201, ok.text
    listed = (await n.client.get("/webhook", headers=agency)).json()
    assert [w["id"] for w in listed] == [ok.json()["id"]] and "rahasia" not in listed[0]
    # An operator registers on an agency's behalf; the unit's operators oversee every webhook of
    # their unit, the agency only its own, the agency of another unit nothing.
    on_behalf = await n.client.post(
        "/webhook", json={**GOOD, "lembaga": "Sentra Gakkumdu Kabupaten Blitar"}, headers=tokens("35.05", "operator")
    )
    assert on_behalf.status_code == 201, on_behalf.text
    assert len((await n.client.get("/webhook", headers=tokens("35.05", "operator"))).json()) == 2
    assert len((await n.client.get("/webhook", headers=agency)).json()) == 1
    assert (await n.client.get("/webhook", headers=tokens("35.06", "agency"))).json() == []
    assert (await n.client.get(f"/webhook/{ok.json()['id']}", headers=tokens("35.06", "agency"))).status_code == 404
    deleted = await n.client.delete(f"/webhook/{on_behalf.json()['id']}", headers=tokens("35.05", "operator"))
    assert deleted.status_code == 204
    assert [w["id"] for w in (await n.client.get("/webhook", headers=tokens("35.05", "operator"))).json()] == [
        ok.json()["id"]
    ]


async def test_unit_and_personal_subscriptions_reach_their_inboxes(
    notification_service, tokens, kegiatan_event
) -> None:
    n = await notification_service()
    operator, pimpinan = tokens("35.05", "operator"), tokens("35.05", "pimpinan")
    unit_sub = await n.client.post(
        "/langganan", json={"untuk": "unit", "jenis_event": ["awasi.KegiatanCancelled.v1"]}, headers=operator
    )
    personal = await n.client.post(
        "/langganan", json={"untuk": "pribadi", "jenis_event": ["*"], "wilayah": "35.05.01"}, headers=pimpinan
    )
    assert unit_sub.status_code == 201 and personal.status_code == 201, (unit_sub.text, personal.text)
    assert unit_sub.json()["wilayah"] == "35.05" and personal.json()["jenis_event"] == ["*"]
    assert {s["id"] for s in (await n.client.get("/langganan", headers=pimpinan)).json()} == {
        unit_sub.json()["id"],
        personal.json()["id"],
    }

    first = await n.publish(kegiatan_event(KegiatanCancelled, "35.05.01.2001", alasan="Hujan deras", judul="Patroli"))
    await eventually(lambda: _inbox(n, pimpinan, personal=True))
    unit_messages = await _inbox(n, operator)
    assert [m["event_id"] for m in unit_messages] == [first.id]
    assert "Kegiatan dibatalkan" in unit_messages[0]["subjek"] and "Hujan deras" in unit_messages[0]["isi"]
    assert [m["event_id"] for m in await _inbox(n, pimpinan, personal=True)] == [first.id]
    assert await _inbox(n, operator, personal=True) == []  # the operator's own inbox is separate

    log = (await n.client.get(f"/langganan/{personal.json()['id']}/pengiriman", headers=pimpinan)).json()
    assert [(d["saluran"], d["status"]) for d in log] == [("inbox", "sent")]
    assert (await n.client.get(f"/langganan/{personal.json()['id']}", headers=operator)).status_code == 404

    assert (await n.client.delete(f"/langganan/{personal.json()['id']}", headers=pimpinan)).status_code == 204
    second = await n.publish(kegiatan_event(KegiatanCancelled, "35.05.01", alasan="Ditunda"))

    async def handled() -> bool:
        return bool(await n.rows(sa.select(inbox).where(inbox.c.event_id == second.id)))

    await eventually(handled)
    assert len(await _inbox(n, operator)) == 2
    assert len(await _inbox(n, pimpinan, personal=True)) == 1

    types = (await n.client.get("/jenis-event")).json()
    names = {t["jenis"] for t in types}
    assert "awasi.KegiatanScheduled.v1" in names and "awasi.LaporanSubmitted.v1" in names
    assert not {"awasi.PelaporNoticeRequested.v1", "awasi.NotificationDelivered.v1"} & names


async def _inbox(n: Any, headers: dict[str, str], *, personal: bool = False) -> list[dict[str, Any]]:
    path = "/kotak-masuk/pribadi" if personal else "/kotak-masuk"
    response = await n.client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_every_request_field_is_bounded_in_the_schema_and_past_its_bound_refused(
    notification_service, tokens
) -> None:
    n = await notification_service()
    document = (await n.client.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    assert schemas["WebhookIn"]["properties"]["url"]["maxLength"] == 2000
    assert schemas["WebhookIn"]["properties"]["jenis_event"]["maxItems"] == 100
    assert schemas["WebhookIn"]["properties"]["jenis_event"]["items"]["maxLength"] == 200
    assert schemas["ContactIn"]["properties"]["email"]["maxItems"] == 20

    agency, operator = tokens("35.05", "agency"), tokens("35.05", "operator")
    many = [f"awasi.Jenis{i}.v1" for i in range(101)]
    for path, body, headers, where in [
        ("/webhook", {**GOOD, "lembaga": "K" * 201}, agency, "lembaga"),
        ("/webhook", {**GOOD, "url": "https://kpu.go.id/" + "a" * 2000}, agency, "url"),
        ("/webhook", {**GOOD, "jenis_event": many}, agency, "jenis_event"),
        ("/webhook", {**GOOD, "jenis_event": ["a" * 201]}, agency, "jenis_event"),
        ("/webhook", {**GOOD, "wilayah": "3" * 33}, agency, "wilayah"),
        ("/langganan", {"jenis_event": ["*"], "saluran": "email", "email": "a" * 250 + "@x.id"}, operator, "email"),
    ]:
        response = await n.client.post(path, json=body, headers=headers)
        assert response.status_code == 422, (where, response.text)
        assert any(where in e["lokasi"] for e in response.json()["errors"]), response.text
    contacts = await n.client.put(
        "/kontak-unit/35.05", json={"email": [f"u{i}@kpu.go.id" for i in range(21)]}, headers=operator
    )
    assert contacts.status_code == 422 and "email" in contacts.text
    for path in ("/webhook/" + "x" * 37, "/pengingat?kegiatan_id=" + "x" * 37, "/kotak-masuk?unit=" + "3" * 33):
        response = await n.client.get(path, headers=operator)
        assert response.status_code == 422, (path, response.text)
    assert await n.count(subscription) == 0
