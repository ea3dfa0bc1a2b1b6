"""Alerts, reporter notices and digests by email through a real SMTP server (aiosmtpd) in the
test process, and the in-app inbox, with events arriving over the real broker."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from awasi_cli.testing import eventually
from awasi_common.events.participation import PemantauanOverdue
from awasi_common.events.planning import KegiatanCancelled, KegiatanScheduled
from awasi_common.events.reporting import PelaporNoticeRequested, TenggatPenangananTerlewati
from awasi_common.sealing import CONTACT_CONTEXT, KeyRing
from awasi_common.settings import PlatformSettings
from awasi_notification.adapters.orm import delivery, inbox

BLITAR = "bawaslu.blitar@example.go.id"
JATIM = "bawaslu.jatim@example.go.id"


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one, other tests' kegiatan put their
    reminders in these units' inboxes, which the tests read whole."""
    return private_broker


async def handled(n: Any, *event_ids: str) -> bool:
    rows = await n.rows(sa.select(inbox.c.event_id).where(inbox.c.event_id.in_(event_ids)))
    return len(rows) == len(event_ids)


async def test_alert_goes_to_the_unit_and_its_parent_once(notification_service, alert_type, smtp, tokens) -> None:
    n = await notification_service()
    for unit, address in (("35.05", BLITAR), ("35", JATIM)):
        put = await n.client.put(f"/kontak-unit/{unit}", json={"email": [address]}, headers=tokens(unit))
        assert put.status_code == 200, put.text
        assert put.json()["email"] == [address]

    # The unit also subscribed to this type, to its inbox and to the same address: still one of each.
    for channel in ({"saluran": "inbox"}, {"saluran": "email", "email": BLITAR}):
        sub = await n.client.post(
            "/langganan", json={"jenis_event": [alert_type.ce_type()], **channel}, headers=tokens("35.05")
        )
        assert sub.status_code == 201, sub.text

    pesan = "Forum Warga belum dilaksanakan 3 kali tahun ini (Pasal 9 Perbawaslu 2/2023)."
    alert = alert_type(unit="35.05", kewajiban_id=str(uuid.uuid4()), pesan=pesan)
    envelope = await n.publish(alert)

    # Only the alerts: kegiatan other tests left on the broker may also remind these addresses.
    def alerts(address: str) -> list[Any]:
        return [m for m in smtp.to(address) if m.subject.startswith("Peringatan: ")]

    await eventually(lambda: asyncio.sleep(0, result=alerts(BLITAR) and alerts(JATIM)))
    own, parent = alerts(BLITAR)[0], alerts(JATIM)[0]
    assert own.subject == f"Peringatan: {pesan}" and pesan in own.body and "unit Anda" in own.body
    assert pesan in parent.body and "unit di bawah Anda" in parent.body

    unit_inbox = (await n.client.get("/kotak-masuk", headers=tokens("35.05"))).json()
    parent_inbox = (await n.client.get("/kotak-masuk", headers=tokens("35"))).json()
    assert [m["subjek"] for m in unit_inbox] == [own.subject]
    assert len(parent_inbox) == 1 and parent_inbox[0]["event_id"] == envelope.id
    # The province reads the kabupaten's inbox; a kecamatan below has none; another province may not.
    assert len((await n.client.get("/kotak-masuk", params={"unit": "35.05"}, headers=tokens("35"))).json()) == 1
    assert (await n.client.get("/kotak-masuk", headers=tokens("35.05.01"))).json() == []
    assert (await n.client.get("/kotak-masuk", params={"unit": "35.05"}, headers=tokens("36"))).status_code == 403

    # Redelivered by the broker: nothing new.
    await n.publish(alert, envelope)
    marker = await n.publish(alert_type(unit="35.05", kewajiban_id=alert.kewajiban_id, pesan="penanda"))
    await eventually(lambda: handled(n, envelope.id, marker.id))
    await eventually(lambda: asyncio.sleep(0, result=len(alerts(BLITAR)) == 2))  # the marker's
    await asyncio.sleep(0.4)
    assert len(alerts(BLITAR)) == 2 and len(alerts(JATIM)) == 2
    assert [m.subject for m in alerts(BLITAR)].count(own.subject) == 1

    # Read: the unread filter empties.
    message_id = unit_inbox[0]["id"]
    assert (await n.client.post(f"/kotak-masuk/{message_id}/dibaca", headers=tokens("35.05"))).status_code == 204
    unread = (await n.client.get("/kotak-masuk", params={"belum_dibaca": True}, headers=tokens("35.05"))).json()
    assert message_id not in {m["id"] for m in unread} and len(unread) == 1
    assert (await n.client.post(f"/kotak-masuk/{message_id}/dibaca", headers=tokens("36"))).status_code == 404


async def test_reporter_gets_receipt_and_status_changes_by_email(
    notification_service, smtp, tokens, delivery_events
) -> None:
    n = await notification_service()
    laporan_id, kode = str(uuid.uuid4()), "LP-7Q2K9XWA"

    contacts = KeyRing(PlatformSettings().contact_keys())  # the key reporting seals with

    def notice(
        subjek: str, pesan: str, email: str | None = "siti@example.org", sealed: bool = True
    ) -> PelaporNoticeRequested:
        address = (
            {"email_tersegel": contacts.seal_text(email, CONTACT_CONTEXT)} if email and sealed else {"email": email}
        )
        return PelaporNoticeRequested(
            unit="35.05", laporan_id=laporan_id, kode_pelacakan=kode, subjek=subjek, pesan=pesan, **address
        )

    # As reporting sends it now (sealed), and as events published before sealing carried it.
    await n.publish(notice("Laporan Anda telah diterima", "Laporan Anda diterima pada 1 Maret 2024."))
    await n.publish(
        notice(
            "Laporan Anda diregistrasi",
            "Laporan Anda diregistrasi dengan nomor 002/LP/PL/Kab/35.05/III/2024.",
            sealed=False,
        )
    )
    no_email = await n.publish(notice("Tanpa email", "Tidak ada alamat.", email=None))

    await eventually(lambda: asyncio.sleep(0, result=len(smtp.to("siti@example.org")) == 2))
    mails = smtp.to("siti@example.org")
    assert {m.subject for m in mails} == {"Laporan Anda telah diterima", "Laporan Anda diregistrasi"}
    assert all(kode in m.body for m in mails)
    await eventually(lambda: handled(n, no_email.id))
    assert len(smtp.mails) == 2  # no address, no message

    log = await n.client.get("/pengiriman", headers=tokens("35.05"))
    assert log.status_code == 200
    assert "siti@example.org" not in log.text  # the reporter's address stays confidential
    rows = [d for d in log.json() if d["status"] == "sent"]
    assert {d["penerima"] for d in rows} == {f"pelapor:{kode}"}

    events = await delivery_events({d["id"] for d in rows})
    assert {e["recipient"] for e in events.values()} == {f"pelapor:{kode}"}
    assert {e["type"] for e in events.values()} == {"awasi.NotificationDelivered.v1"}
    # At rest the sealed address stays sealed: only the mail sender opened it.
    stored = await n.rows(sa.select(delivery).where(delivery.c.subject == "Laporan Anda telah diterima"))
    assert stored[0].recipient.startswith("sealed:") and "siti" not in repr(tuple(stored[0]))


async def test_smtp_outage_delays_and_never_loses(notification_service, smtp, tokens) -> None:
    n = await notification_service(RETRY_BASE_SECONDS="0.1", RETRY_MAX_SECONDS="0.3")
    smtp.stop()
    notice = PelaporNoticeRequested(
        unit="35.05",
        laporan_id=str(uuid.uuid4()),
        kode_pelacakan="LP-OUTAGE01",
        email="budi@example.org",
        subjek="Status laporan",
        pesan="Laporan Anda sedang dikaji.",
    )
    await n.publish(notice)

    async def retried() -> bool:
        rows = await n.rows(sa.select(delivery).where(delivery.c.attempts >= 2))
        return bool(rows) and rows[0].status == "pending" and "SMTP" in rows[0].last_error

    await eventually(retried, timeout=20)
    smtp.start()
    await eventually(lambda: asyncio.sleep(0, result=smtp.to("budi@example.org")), timeout=20)
    await asyncio.sleep(0.3)
    assert len(smtp.to("budi@example.org")) == 1
    row = (await n.rows(sa.select(delivery)))[0]
    assert row.status == "sent" and row.attempts >= 3


async def test_daily_digest_instead_of_single_messages(notification_service, smtp, tokens, kegiatan_event) -> None:
    n = await notification_service()
    ketua = "ketua.blitar@example.go.id"
    created = await n.client.post(
        "/langganan",
        json={
            "untuk": "pribadi",
            "saluran": "email",
            "email": ketua,
            "jenis_event": ["awasi.KegiatanScheduled.v1", "awasi.KegiatanCancelled.v1"],
            "wilayah": "35.05",
            "mode": "ringkasan_harian",
        },
        headers=tokens("35.05", "pimpinan"),
    )
    assert created.status_code == 201, created.text
    judul = ["Sosialisasi Pemilih Pemula", "Patroli Pengawasan Masa Tenang", "Rapat Pleno Rekapitulasi"]
    events = [kegiatan_event(KegiatanScheduled, "35.05.01", judul=j) for j in judul[:2]]
    events.append(kegiatan_event(KegiatanCancelled, "35.05", judul=judul[2], alasan="Ditunda"))
    envelopes = [await n.publish(e) for e in events]
    await eventually(lambda: handled(n, *(e.id for e in envelopes)))
    rows = await n.rows(sa.select(delivery).where(delivery.c.recipient == ketua))
    assert [r.status for r in rows] == ["digest_pending"] * 3
    await asyncio.sleep(0.3)
    assert smtp.to(ketua) == []  # nothing one by one

    # The next morning's digest time passes.
    n.app.state.clock.offset = dt.timedelta(days=1, minutes=1)
    await eventually(lambda: asyncio.sleep(0, result=smtp.to(ketua)))
    await asyncio.sleep(0.4)
    (digest,) = smtp.to(ketua)
    assert digest.subject.startswith("Ringkasan harian Awasi") and "(3 pemberitahuan)" in digest.subject
    assert all(j in digest.body for j in judul)

    async def items_sent() -> bool:
        statuses = [r.status for r in await n.rows(sa.select(delivery).where(delivery.c.recipient == ketua))]
        return sorted(statuses) == ["sent"] * 4  # three items and the digest itself

    await eventually(items_sent)


async def test_the_platforms_own_alerts_reach_the_unit_and_its_parent(notification_service, tokens) -> None:
    """Reporting's deadline alert and participation's obligation alerts, as those services publish them."""
    n = await notification_service()
    kode = "LP-TENGGAT1"
    tenggat = TenggatPenangananTerlewati(
        unit="35.06",
        perkara_id=str(uuid.uuid4()),
        jenis_perkara="laporan",
        kode=kode,
        tahap="kajian_awal",
        tenggat=dt.date(2026, 11, 30),
        pesan=f"Tenggat kajian awal laporan {kode} (30-11-2026) terlewati.",
    )
    pemantauan = PemantauanOverdue(
        unit="35.06",
        kewajiban_id="pemantauan:35.06:2026-10",
        jenis="pemantauan",
        periode="2026-10",
        batas_waktu=dt.date(2026, 10, 31),
        wajib=1,
        terlaksana=0,
        pasal="Pasal 30 ayat (3) huruf c Perbawaslu 2/2023",
        pesan="Pemantauan pengawasan partisipatif Oktober 2026 belum dilakukan.",
    )
    sent = [await n.publish(tenggat), await n.publish(pemantauan)]
    await eventually(lambda: handled(n, *(envelope.id for envelope in sent)))

    for unit in ("35.06", "35"):
        inbox = (await n.client.get("/kotak-masuk", headers=tokens(unit))).json()
        assert sorted(m["event_id"] for m in inbox) == sorted(envelope.id for envelope in sent), unit
        assert any(tenggat.pesan in m["subjek"] for m in inbox) and any(pemantauan.pesan in m["subjek"] for m in inbox)
    assert (await n.client.get("/kotak-masuk", headers=tokens("36"))).json() == []
