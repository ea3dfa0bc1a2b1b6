"""Who reaches what: an agency token reads what is public and manages its own subscriptions,
webhooks and deliveries, nothing else; a unit's inbox message is marked read only by a writer
of that unit (or RI's admin)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from awasi_common.auth import AGENCY_REFUSED, Role, TokenIssuer
from awasi_notification.adapters.orm import inbox_message
from awasi_notification.domain.deliveries import Channel, NewDelivery, Status
from awasi_notification.domain.recipients import unit_owner, user_owner
from awasi_notification.service_layer.notify import inbox, notify

SCHEDULED = "awasi.KegiatanScheduled.v1"
HOOK = {"lembaga": "KPU Kabupaten Blitar", "url": "https://8.8.8.8/awasi", "jenis_event": [SCHEDULED]}


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one notification also reads the kegiatan
    other tests left on it, and their messages reach the agency's subscription to
    KegiatanScheduled and 35.05's inbox, both of which these tests read whole."""
    return private_broker


def bearer(platform_settings: Any, unit: str, role: str, subject: str) -> dict[str, str]:
    issuer = TokenIssuer(platform_settings.dev_token_key)
    return {"Authorization": f"Bearer {issuer.issue(unit=unit, role=role, subject=subject)}"}


async def inbox_messages(n: Any, unit: str, *owners: str) -> None:
    """One inbox message per owner, recorded as the consumer records them."""
    async with n.app.state.uow_factory() as uow:
        await notify(
            uow,
            source=str(uuid.uuid4()),
            event_type=SCHEDULED,
            unit=unit,
            subject="Kegiatan dijadwalkan",
            body="isi",
            targets=[inbox(owner) for owner in owners],
        )
        await uow.commit()


async def message_ids(n: Any) -> dict[str, str]:
    """Inbox message ids by owner."""
    return {row.owner: row.id for row in await n.rows(sa.select(inbox_message.c.owner, inbox_message.c.id))}


async def failed_delivery(n: Any, unit: str, subscription_id: str | None) -> str:
    """A dead-lettered delivery, as the worker leaves one."""
    delivery_id = str(uuid.uuid4())
    async with n.app.state.uow_factory() as uow:
        await uow.deliveries.add(
            NewDelivery(
                id=delivery_id,
                dedup_key=delivery_id,
                channel=Channel.WEBHOOK if subscription_id else Channel.EMAIL,
                recipient=subscription_id or "unit@example.go.id",
                recipient_label="penerima",
                subscription_id=subscription_id,
                event_type=SCHEDULED,
                event_id=str(uuid.uuid4()),
                unit=unit,
                subject="s",
                body="{}",
                status=Status.FAILED,
                max_attempts=3,
                created_at=n.app.state.clock.now(),
            )
        )
        await uow.commit()
    return delivery_id


async def test_an_agency_reaches_only_its_own_subscriptions_webhooks_and_deliveries(
    notification_service, tokens, platform_settings
) -> None:
    n = await notification_service()
    agency = bearer(platform_settings, "35.05", Role.AGENCY, "kpu-blitar")
    other_agency = bearer(platform_settings, "35.05", Role.AGENCY, "kpu-lain")
    # A staff member whose subject happens to be the agency's: still not the agency's rows.
    namesake = bearer(platform_settings, "35.05", Role.PIMPINAN, "kpu-blitar")

    # Routes that are not an agency's own: refused with the shared message.
    for method, path in [
        ("GET", "/pengingat"),
        ("GET", "/tanda-terima"),
        ("GET", "/pengiriman"),
        ("GET", "/kontak-unit/35.05"),
        ("PUT", "/kontak-unit/35.05"),
        ("GET", "/kotak-masuk"),
    ]:
        response = await n.client.request(method, path, headers=agency, json={} if method == "PUT" else None)
        assert response.status_code == 403, (path, response.text)
        assert response.json()["detail"] == AGENCY_REFUSED
    assert (await n.client.get("/jenis-event")).status_code == 200  # public: no token at all

    # Its own: subscriptions, webhooks, their logs, rotation, its personal inbox.
    mine = await n.client.post("/langganan", json={"untuk": "pribadi", "jenis_event": [SCHEDULED]}, headers=agency)
    assert mine.status_code == 201, mine.text
    assert mine.json()["pemilik"] == "agency:kpu-blitar"
    unit_sub = await n.client.post("/langganan", json={"untuk": "unit", "jenis_event": [SCHEDULED]}, headers=agency)
    assert unit_sub.status_code == 403 and "hanya dapat membaca" in unit_sub.text
    hook = await n.client.post("/webhook", json=HOOK, headers=agency)
    assert hook.status_code == 201, hook.text
    staff_own = await n.client.post(
        "/langganan", json={"untuk": "pribadi", "jenis_event": [SCHEDULED]}, headers=namesake
    )
    assert staff_own.status_code == 201, staff_own.text
    others_hook = await n.client.post("/webhook", json=HOOK, headers=other_agency)
    assert others_hook.status_code == 201

    assert [s["id"] for s in (await n.client.get("/langganan", headers=agency)).json()] == [mine.json()["id"]]
    assert [s["id"] for s in (await n.client.get("/webhook", headers=agency)).json()] == [hook.json()["id"]]
    assert [s["id"] for s in (await n.client.get("/langganan", headers=namesake)).json()] == [staff_own.json()["id"]]
    for path in (
        f"/langganan/{mine.json()['id']}",
        f"/langganan/{mine.json()['id']}/pengiriman",
        f"/webhook/{hook.json()['id']}",
        f"/webhook/{hook.json()['id']}/pengiriman",
        "/kotak-masuk/pribadi",
    ):
        response = await n.client.get(path, headers=agency)
        assert response.status_code == 200, (path, response.text)
    rotated = await n.client.post(f"/webhook/{hook.json()['id']}/rotasi-rahasia", headers=agency)
    assert rotated.status_code == 200, rotated.text

    # Not its own: the namesake's subscription, another agency's webhook.
    for path in (
        f"/langganan/{staff_own.json()['id']}",
        f"/langganan/{staff_own.json()['id']}/pengiriman",
        f"/webhook/{others_hook.json()['id']}",
        f"/webhook/{others_hook.json()['id']}/pengiriman",
    ):
        response = await n.client.get(path, headers=agency)
        assert response.status_code == 404, (path, response.text)
    assert (await n.client.delete(f"/langganan/{staff_own.json()['id']}", headers=agency)).status_code == 404
    assert (await n.client.delete(f"/webhook/{others_hook.json()['id']}", headers=agency)).status_code == 404
    assert (
        await n.client.post(f"/webhook/{others_hook.json()['id']}/rotasi-rahasia", headers=agency)
    ).status_code == 404

    # Sending a failed delivery again: its own webhook's yes; another's, or a unit's, no.
    own_failed = await failed_delivery(n, "35.05", hook.json()["id"])
    others_failed = await failed_delivery(n, "35.05", others_hook.json()["id"])
    staff_failed = await failed_delivery(n, "35.05", staff_own.json()["id"])
    unit_failed = await failed_delivery(n, "35.05", None)
    assert (await n.client.post(f"/pengiriman/{own_failed}/kirim-ulang", headers=agency)).status_code == 202
    for delivery_id in (others_failed, staff_failed, unit_failed):
        response = await n.client.post(f"/pengiriman/{delivery_id}/kirim-ulang", headers=agency)
        assert response.status_code == 404, response.text
    assert (await n.client.post(f"/pengiriman/{unit_failed}/kirim-ulang", headers=tokens("35.05"))).status_code == 202

    # Its personal inbox, and marking its own message read.
    await inbox_messages(n, "35.05", user_owner("kpu-blitar"), user_owner("kpu-lain"))
    ids = await message_ids(n)
    personal = (await n.client.get("/kotak-masuk/pribadi", headers=agency)).json()
    assert [m["id"] for m in personal] == [ids[user_owner("kpu-blitar")]]
    read = await n.client.post(f"/kotak-masuk/{ids[user_owner('kpu-blitar')]}/dibaca", headers=agency)
    assert read.status_code == 204, read.text
    assert (
        await n.client.post(f"/kotak-masuk/{ids[user_owner('kpu-lain')]}/dibaca", headers=agency)
    ).status_code == 404

    # The agency deletes what is its own.
    assert (await n.client.delete(f"/langganan/{mine.json()['id']}", headers=agency)).status_code == 204
    assert (await n.client.delete(f"/webhook/{hook.json()['id']}", headers=agency)).status_code == 204
    assert (await n.client.get("/webhook", headers=agency)).json() == []


async def test_a_units_inbox_message_is_marked_read_only_by_a_writer_of_that_unit(notification_service, tokens) -> None:
    n = await notification_service()
    await inbox_messages(n, "35.05", unit_owner("35.05"))
    message = (await message_ids(n))[unit_owner("35.05")]
    path = f"/kotak-masuk/{message}/dibaca"

    for headers, words in [
        (tokens("35.05", "viewer"), "peran viewer"),
        (tokens("35.05", "agency"), "peran agency"),
        (tokens("35", "operator"), "di unit 35."),  # the province reads it, but it is not its own
    ]:
        response = await n.client.post(path, headers=headers)
        assert response.status_code == 403, response.text
        assert "hanya dapat ditandai dibaca oleh petugas unit itu" in response.text and words in response.text
    assert (await n.client.post(path, headers=tokens("36", "operator"))).status_code == 404
    unread = (await n.client.get("/kotak-masuk", params={"belum_dibaca": True}, headers=tokens("35.05"))).json()
    assert [m["id"] for m in unread] == [message]

    assert (await n.client.post(path, headers=tokens("35.05", "pengawas"))).status_code == 204
    assert (await n.client.post(path, headers=tokens("00", "admin"))).status_code == 204
    assert (await n.client.get("/kotak-masuk", params={"belum_dibaca": True}, headers=tokens("35.05"))).json() == []
