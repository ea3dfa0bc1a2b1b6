"""Notification's decisions without I/O: signatures, retry waits, which reminders fire, digest
boundaries, what may be subscribed, and which reactions each catalog event type gets."""

from __future__ import annotations

import datetime as dt
import random
import socket
from typing import ClassVar

import pytest

from awasi_common.errors import DomainError
from awasi_common.events import CATALOG
from awasi_common.events.base import Event
from awasi_common.events.planning import KegiatanScheduled
from awasi_common.events.reporting import PelaporNoticeRequested
from awasi_common.units import WIB
from awasi_common.units import lowest_common_unit as common_unit
from awasi_notification.domain import signature
from awasi_notification.domain.deliveries import retry_delay
from awasi_notification.domain.messages import digest_boundary
from awasi_notification.domain.recipients import alert_units, regions_covering
from awasi_notification.domain.reminders import Reminder, missed_at_scheduling, reminders_for, to_fire
from awasi_notification.domain.subscriptions import check_event_types
from awasi_notification.domain.webhook_urls import address_allowed, check_webhook_url, inet_aton
from awasi_notification.entrypoints.consumers import handlers_for
from awasi_notification.service_layer.reactions import steps_for
from awasi_notification.settings import NotificationSettings

# --- signatures ---------------------------------------------------------------------------

VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR = ("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}')


def test_signature_matches_the_standard_webhooks_test_vector() -> None:
    assert signature.sign([VECTOR_SECRET], *VECTOR) == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_rotation_signs_with_both_secrets_and_each_verifies() -> None:
    old, new = signature.new_secret(), signature.new_secret()
    body = b'{"specversion":"1.0"}'
    headers = signature.headers([new, old], "d-1", 1_700_000_000, body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        signature.verify(secret, headers, body, now=1_700_000_010)
    with pytest.raises(signature.InvalidSignature):
        signature.verify(signature.new_secret(), headers, body, now=1_700_000_010)
    with pytest.raises(signature.InvalidSignature):
        signature.verify(new, headers, body + b" ", now=1_700_000_010)
    with pytest.raises(signature.InvalidSignature):
        signature.verify(new, headers, body, now=1_700_000_000 + 301)


def test_secrets_are_random_32_bytes() -> None:
    a, b = signature.new_secret(), signature.new_secret()
    assert a != b and a.startswith("whsec_") and len(signature.secret_key(a)) == 32


# --- retries --------------------------------------------------------------------------------


def test_retry_waits_double_up_to_the_cap() -> None:
    waits = [retry_delay(n, base=30, cap=3600) for n in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    jittered = [retry_delay(3, base=30, cap=3600, jitter=0.1, rand=random.Random(seed)) for seed in range(50)]
    assert all(108 <= w <= 132 for w in jittered) and len(set(jittered)) > 1


# --- reminders ------------------------------------------------------------------------------

MULAI = dt.date(2024, 2, 10)


def test_reminders_follow_the_configured_days() -> None:
    planned = reminders_for("k", "35.05", "Forum Warga", MULAI, MULAI + dt.timedelta(days=2), (7, 3, 1), 2)
    assert [(r.kind, r.due_on) for r in planned] == [
        ("H-7", dt.date(2024, 2, 3)),
        ("H-3", dt.date(2024, 2, 7)),
        ("H-1", dt.date(2024, 2, 9)),
        ("realisasi", dt.date(2024, 2, 14)),
    ]
    assert len({r.key for r in planned}) == 4


def test_past_before_reminders_are_missed_at_scheduling_but_never_the_realisation() -> None:
    h3, h1, real = reminders_for("k", "35.05", "x", MULAI, MULAI)
    today = dt.date(2024, 2, 8)
    assert missed_at_scheduling(h3, today) and not missed_at_scheduling(h1, today)
    assert not missed_at_scheduling(real, dt.date(2024, 3, 1))


def test_only_the_nearest_due_reminder_fires_and_none_once_started() -> None:
    h3, h1, real = reminders_for("k", "35.05", "x", MULAI, MULAI)
    fire, skip = to_fire([h3, h1], dt.date(2024, 2, 9))
    assert fire == [h1] and skip == [h3]
    fire, skip = to_fire([h1, real], dt.date(2024, 2, 11))  # service was down over the kegiatan
    assert fire == [real] and skip == [h1]
    other = Reminder("k2", "35.05", "y", "H-3", MULAI, MULAI + dt.timedelta(days=3), MULAI + dt.timedelta(days=3))
    fire, _ = to_fire([h3, other], dt.date(2024, 2, 7))
    assert set(fire) == {h3, other}


def test_settings_accept_days_as_a_list_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWASI_NOTIFICATION_REMINDER_DAYS_BEFORE", "1, 7,3")
    assert NotificationSettings().reminder_days_before == [7, 3, 1]
    monkeypatch.setenv("AWASI_NOTIFICATION_REMINDER_DAYS_BEFORE", "0")
    with pytest.raises(ValueError):
        NotificationSettings()


# --- digests and regions ------------------------------------------------------------------------


def test_digest_boundary_is_the_last_digest_time_passed() -> None:
    at = dt.time(7, 0)
    morning = dt.datetime(2024, 3, 1, 6, 59, tzinfo=WIB)
    after = dt.datetime(2024, 3, 1, 7, 0, tzinfo=WIB)
    assert digest_boundary(morning, at, WIB) == dt.datetime(2024, 2, 29, 7, 0, tzinfo=WIB)
    assert digest_boundary(after, at, WIB) == dt.datetime(2024, 3, 1, 7, 0, tzinfo=WIB)


def test_regions_and_alert_recipients() -> None:
    assert regions_covering("35.05.01") == ["35.05.01", "35.05", "35", "00"]
    assert alert_units("35.05") == ["35.05", "35"] and alert_units("35") == ["35", "00"] and alert_units("00") == ["00"]
    assert common_unit(["35.05.01", "35.05.02.2001"]) == "35.05" and common_unit(["35", "36.01"]) == "00"


# --- what may be subscribed -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "allow", "ok"),
    [
        ("https://kpu.go.id/hook", False, True),
        ("http://kpu.go.id/hook", True, False),
        ("http://127.0.0.1:8000/hook", True, True),
        ("http://[::1]:8000/hook", True, True),
        ("http://localhost/hook", True, True),
        ("http://127.0.0.1:8000/hook", False, False),
        ("http://10.0.0.1/hook", True, False),
        ("ftp://kpu.go.id/hook", True, False),
        ("https:///nohost", False, False),
        ("https://a:b@kpu.go.id/", False, False),
        # Never into the internal network by default (cloud metadata, private ranges, localhost).
        ("https://169.254.169.254/latest/meta-data", False, False),
        ("https://10.20.0.5/hook", False, False),
        ("https://192.168.1.10/hook", False, False),
        ("https://[fd00::1]/hook", False, False),
        ("https://localhost/hook", False, False),
        ("https://127.0.0.1/hook", False, False),
        ("https://203.0.113.7/hook", False, False),  # documentation range: not global
        ("https://8.8.8.8/hook", False, True),
        ("https://[2001:4860:4860::8888]/hook", False, True),
        ("https://kpu-blitar.go.id:8443/awasi?lembaga=kpu", False, True),
    ],
)
def test_webhook_urls(url: str, allow: bool, ok: bool) -> None:
    if ok:
        assert check_webhook_url(url, allow_http_loopback=allow) == url
    else:
        with pytest.raises(DomainError) as error:
            check_webhook_url(url, allow_http_loopback=allow)
        assert error.value.field == "url"


# Issue 12, item 7: each was accepted before. Why each is refused, in the words the agency reads.
REFUSED_URLS = [
    ("http://2130706433/hook", "https://"),
    ("https://2130706433/hook", "loopback"),
    ("https://0x7f000001/hook", "loopback"),
    ("https://0177.0.0.1/hook", "loopback"),
    ("https://127.1/hook", "loopback"),
    ("https://10.1/hook", "jaringan privat"),
    ("https://169.254.169.254/latest/meta-data", "link-local"),
    ("https://169.254.169.254.nip.io/latest/meta-data", "layanan DNS"),
    ("https://10-0-0-1.sslip.io/hook", "layanan DNS"),
    ("https://metadata.google.internal/computeMetadata/v1/", "nama jaringan internal"),
    ("https://printer.local/hook", "nama jaringan internal"),
    ("https://app.localhost/hook", "nama jaringan internal"),
    ("https://localhost./hook", "nama jaringan internal"),
    ("https://LOCALHOST/hook", "nama jaringan internal"),
    ("https://ｌｏｃａｌｈｏｓｔ/hook", "nama jaringan internal"),  # full-width letters, as IDNA maps them
    ("https://webhook/hook", "nama domain lengkap"),
    ("https://kpu.intranet/hook", "nama jaringan internal"),
    ("https://224.0.0.1/hook", "multicast"),
    ("https://[ff02::1]/hook", "multicast"),
    ("https://100.64.0.1/hook", "CGNAT"),
    ("https://0.0.0.0/hook", "unspecified"),
    ("https://[::]/hook", "unspecified"),
    ("https://[::1]/hook", "loopback"),
    ("https://[::ffff:127.0.0.1]/hook", "loopback"),  # IPv4-mapped
    ("https://[::ffff:7f00:1]/hook", "loopback"),
    ("https://[64:ff9b::a9fe:a9fe]/hook", "link-local"),  # NAT64 of 169.254.169.254
    ("https://[2002:a00:1::]/hook", "jaringan privat"),  # 6to4 of 10.0.0.1
    ("https://[fe80::1%25eth0]/hook", "IPv6"),
    ("https://[fd00::1]/hook", "jaringan privat"),
    ("https://240.0.0.1/hook", "dicadangkan"),
    ("https://1.2.3.999/hook", "IPv4"),
    ("https://kpu.go.id/hook\r\nX-Injected: 1", "karakter kontrol"),
    ("https://kpu.go.id/hook\nHost: 127.0.0.1", "karakter kontrol"),
    ("https://kpu.go.id\x00.evil.com/hook", "karakter kontrol"),
    ("https://kpu.go.id/ho ok", "spasi"),
    ("https://kpu.go.id\u200b/hook", "karakter kontrol"),  # zero-width space
    (" https://kpu.go.id/hook", "spasi"),
    ("https://kpu.go.id\\@127.0.0.1/hook", "garis miring terbalik"),
    ("https://kpu.go.id@127.0.0.1/hook", "nama pengguna"),
    ("https://@kpu.go.id/hook", "nama pengguna"),
    ("https://kpu.go.id:99999/hook", "port"),
    ("https://kpu.go.id:０/hook", "port"),
    ("https://[::1/hook", "IPv6"),
    ("https://ex_ample.go.id/hook", "tidak sah"),
    ("https://\ud800x.go.id/hook", "karakter kontrol"),  # a lone surrogate
    ("javascript://kpu.go.id/hook", "tidak sah"),
    ("https:kpu.go.id/hook", "tidak sah"),
]


@pytest.mark.parametrize(("url", "why"), REFUSED_URLS)
def test_webhook_urls_into_the_internal_network_are_refused_saying_why(url: str, why: str) -> None:
    with pytest.raises(DomainError) as error:
        check_webhook_url(url, allow_http_loopback=False)
    assert error.value.field == "url"
    assert why in error.value.message, error.value.message


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://KPU-Blitar.Go.Id./awasi", "https://kpu-blitar.go.id/awasi"),
        ("https://kpu-blitar.go.id:443/awasi#bagian", "https://kpu-blitar.go.id/awasi"),
        ("https://kpu-blitar.go.id", "https://kpu-blitar.go.id/"),
        ("https://kpu-blitar.go.id:08443/a?b=c", "https://kpu-blitar.go.id:8443/a?b=c"),
        ("https://bücher.example.de/hook", "https://xn--bcher-kva.example.de/hook"),
        ("https://134744072/hook", "https://8.8.8.8/hook"),  # a public address, in inet_aton's decimal
        ("https://0x8.0x8.0x8.0x8/hook", "https://8.8.8.8/hook"),
        ("https://８.８.８.８/hook", "https://8.8.8.8/hook"),
        ("https://[2001:4860:4860:0:0:0:0:8888]/hook", "https://[2001:4860:4860::8888]/hook"),
        ("https://[::ffff:8.8.8.8]/hook", "https://[::ffff:808:808]/hook"),
    ],
)
def test_webhook_urls_are_stored_in_one_canonical_form(url: str, canonical: str) -> None:
    assert check_webhook_url(url, allow_http_loopback=False) == canonical


def test_loopback_only_with_the_opt_in_and_nothing_else_internal() -> None:
    for url in ("http://127.0.0.1:9000/x", "http://127.1:9000/x", "https://[::1]/x", "http://localhost:9000/x"):
        check_webhook_url(url, allow_http_loopback=True)
        with pytest.raises(DomainError):
            check_webhook_url(url, allow_http_loopback=False)
    for url in ("https://10.0.0.1/x", "http://10.1/x", "https://169.254.169.254/x", "https://app.localhost/x"):
        with pytest.raises(DomainError):
            check_webhook_url(url, allow_http_loopback=True)


@pytest.mark.parametrize(
    "text",
    [
        "127.1",
        "0x7f000001",
        "0X7F.1",
        "2130706433",
        "0177.0.0.1",
        "10.1",
        "1.2.3",
        "1.16777215",
        "1.16777216",
        "1.2.65536",
        "4294967295",
        "4294967296",
        "0xffffffff",
        "0x100000000",
        "037777777777",
        "040000000000",
        "08",
        "09.1",
        "0x",
        "0x1g",
        "1..2",
        "1.",
        ".1",
        "",
        "256.1.1.1",
        "1.2.3.4.5",
        "00",
        "9",
        "0x.1",
        "kpu.go.id",
        "1e3",
    ],
)
def test_numeric_hosts_are_read_as_the_c_library_reads_them(text: str) -> None:
    try:
        expected: str | None = socket.inet_ntoa(socket.inet_aton(text))
    except OSError:
        expected = None
    parsed = inet_aton(text)
    assert (str(parsed) if parsed else None) == expected


def test_a_listed_private_network_may_receive_webhooks() -> None:
    url = "https://10.20.0.5/hook"
    assert check_webhook_url(url, allow_http_loopback=False, allowed_networks=["10.20.0.0/16"]) == url
    assert address_allowed("10.20.9.9", allow_loopback=False, allowed_networks=["10.20.0.0/16"])
    assert not address_allowed("10.21.0.1", allow_loopback=False, allowed_networks=["10.20.0.0/16"])
    assert not address_allowed("169.254.169.254", allow_loopback=True)


def test_event_types_must_be_public_catalog_events_not_our_own() -> None:
    assert check_event_types([" awasi.KegiatanScheduled.v1", "awasi.KegiatanScheduled.v1"], CATALOG) == [
        "awasi.KegiatanScheduled.v1"
    ]
    assert check_event_types(["awasi.KegiatanScheduled.v1", "*"], CATALOG) == ["*"]
    for bad, words in (
        (["awasi.Nope.v1"], "tidak dikenal"),
        ([PelaporNoticeRequested.ce_type()], "internal"),
        (["awasi.NotificationFailed.v1"], "internal"),
        ([], "minimal satu"),
    ):
        with pytest.raises(DomainError, match=words):
            check_event_types(bad, CATALOG)


# --- reactions from the catalog ---------------------------------------------------------------------


def test_every_catalog_type_gets_its_reactions_generically() -> None:
    class UjiKewajibanTerlewat(Event):
        name: ClassVar[str] = "UjiKewajibanTerlewatDomain"
        topic: ClassVar[str] = "awasi.test.kewajiban.v1"
        source: ClassVar[str] = "/awasi/test"
        key_field: ClassVar[str] = "kewajiban_id"
        alert: ClassVar[bool] = True

        kewajiban_id: str
        pesan: str

    try:
        handlers = handlers_for(CATALOG)
        steps = {t: [s.__name__ for s in steps_for(t)] for t in CATALOG.values()}
    finally:
        CATALOG.pop(UjiKewajibanTerlewat.ce_type())
    assert steps[UjiKewajibanTerlewat] == ["alert", "notify_subscribers"]
    assert UjiKewajibanTerlewat in handlers
    assert steps[KegiatanScheduled] == ["schedule_reminders", "notify_subscribers"]
    assert steps[PelaporNoticeRequested] == ["notify_reporter"]
    for event_type, names in steps.items():
        if event_type.source == "/awasi/notification":
            assert names == [] and event_type not in handlers
        else:
            assert ("notify_subscribers" in names) == event_type.public
            assert ("alert" in names) == event_type.alert


async def test_delivery_refuses_a_name_that_resolves_into_the_internal_network() -> None:
    from awasi_notification.adapters.senders import DeliveryError, WebhookSender
    from awasi_notification.settings import NotificationSettings

    sender = WebhookSender(NotificationSettings(webhook_allow_http_loopback=False))
    try:
        with pytest.raises(DeliveryError) as error:
            await sender.post("https://localhost:9/hook", b"{}", {})
        assert error.value.permanent and "jaringan internal" in str(error.value)
    finally:
        await sender.close()
