"""Notification's handlers on an in-memory unit of work: the same CommandBus and HANDLERS the
service runs, with fake repositories and the published events collected instead of an outbox.
No database, no broker: the fast loop for a rule of a use case."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from awasi_cli import testing
from awasi_common.auth import Principal, Role
from awasi_common.commands import CommandBus
from awasi_common.errors import Conflict, DomainError, Forbidden, NotFound
from awasi_common.events.envelope import Envelope
from awasi_common.events.planning import KegiatanScheduled
from awasi_common.units import WIB, WIT
from awasi_notification.adapters.clock import Clock
from awasi_notification.commands import (
    MarkInboxRead,
    RegisterWebhook,
    RetryDelivery,
    RotateSecret,
    SetContact,
    Subscribe,
    Unsubscribe,
)
from awasi_notification.domain.deliveries import Channel, Mode, NewDelivery, Status
from awasi_notification.domain.messages import DIGEST_EVENT_TYPE
from awasi_notification.domain.recipients import unit_owner
from awasi_notification.domain.reminders import Reminder
from awasi_notification.domain.subscriptions import Audience, Subscription
from awasi_notification.service_layer.handlers import HANDLERS
from awasi_notification.service_layer.notify import email, inbox, notify
from awasi_notification.service_layer.reactions import schedule_reminders
from awasi_notification.service_layer.schedule import build_digests
from awasi_notification.settings import NotificationSettings

SCHEDULED = KegiatanScheduled.ce_type()


class FakeSubscriptions:
    def __init__(self) -> None:
        self.rows: dict[str, Subscription] = {}
        self.event_types: dict[str, list[str]] = {}

    async def add(self, new: Subscription, event_types: Sequence[str]) -> None:
        self.rows[new.id] = new
        self.event_types[new.id] = list(event_types)

    async def get(self, subscription_id: str, *, for_update: bool = False) -> Subscription | None:
        return self.rows.get(subscription_id)

    async def save(self, changed: Subscription) -> None:
        self.rows[changed.id] = changed


class FakeDeliveries:
    def __init__(self) -> None:
        self.rows: dict[str, SimpleNamespace] = {}
        self.inbox: dict[str, SimpleNamespace] = {}

    async def add(self, new: NewDelivery) -> bool:
        if any(row.dedup_key == new.dedup_key for row in self.rows.values()):
            return False
        self.rows[new.id] = SimpleNamespace(**dataclasses.asdict(new), attempts=0)
        return True

    async def add_inbox_message(self, new: NewDelivery, owner: str, message_id: str) -> None:
        self.inbox[message_id] = SimpleNamespace(id=message_id, owner=owner, read_at=None)

    async def get(self, delivery_id: str) -> Any:
        return self.rows.get(delivery_id)

    async def requeue(self, delivery_id: str, now: dt.datetime) -> bool:
        row = self.rows[delivery_id]
        if row.status != Status.FAILED:
            return False
        row.status, row.attempts, row.next_attempt_at = Status.PENDING, 0, now
        return True

    async def digest_waiting(self, before: dt.datetime, limit: int = 5000) -> list[Any]:
        waiting = [r for r in self.rows.values() if r.status == Status.DIGEST_PENDING and r.created_at < before]
        return sorted(waiting, key=lambda r: (r.recipient, r.created_at))[:limit]

    async def mark_digested(self, ids: Sequence[str], digest_id: str, now: dt.datetime) -> int:
        taken = [self.rows[i] for i in ids if self.rows[i].status == Status.DIGEST_PENDING]
        for row in taken:
            row.status, row.digest_id = Status.DIGESTED, digest_id
        return len(taken)

    async def inbox_owner(self, message_id: str) -> str | None:
        message = self.inbox.get(message_id)
        return None if message is None else str(message.owner)

    async def mark_read(self, message_id: str, now: dt.datetime) -> None:
        message = self.inbox[message_id]
        message.read_at = message.read_at or now


class FakeContacts:
    def __init__(self) -> None:
        self.rows: dict[str, SimpleNamespace] = {}

    async def put(self, unit: str, emails: Sequence[str], mode: str, by: str, now: dt.datetime) -> None:
        self.rows[unit] = SimpleNamespace(unit=unit, emails=list(emails), mode=mode, updated_by=by, updated_at=now)

    async def for_units(self, units: Sequence[str]) -> dict[str, Any]:
        return {unit: self.rows[unit] for unit in units if unit in self.rows}


class FakeReminders:
    def __init__(self) -> None:
        self.rows: dict[int, SimpleNamespace] = {}

    async def for_kegiatan(self, kegiatan_id: str) -> dict[str, Any]:
        return {row.kind: row for row in self.rows.values() if row.reminder.kegiatan_id == kegiatan_id}

    async def insert(self, reminder: Reminder, *, status: str, due_at: dt.datetime) -> None:
        row_id = len(self.rows) + 1
        self.rows[row_id] = SimpleNamespace(
            id=row_id, kind=reminder.kind, due_on=reminder.due_on, reminder=reminder, status=status, due_at=due_at
        )

    async def delete(self, row_ids: Sequence[int]) -> None:
        for row_id in row_ids:
            del self.rows[row_id]


class FakeUnitOfWork(testing.FakeUnitOfWork):
    """What NotificationUnitOfWork offers handlers, in memory; ``published`` holds the events
    of each commit (an outbox would)."""

    def __init__(self, settings: NotificationSettings, clock: Clock, resolver: Any) -> None:
        super().__init__()
        self.settings, self.clock, self.resolver = settings, clock, resolver
        self.subscriptions = FakeSubscriptions()
        self.deliveries = FakeDeliveries()
        self.contacts = FakeContacts()
        self.reminders = FakeReminders()


class FakeDns:
    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers

    async def __call__(self, host: str, port: int) -> list[str]:
        return self.answers.get(host, [])


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(NotificationSettings(), Clock(), FakeDns({}))


@pytest.fixture
def bus(uow: FakeUnitOfWork) -> CommandBus[FakeUnitOfWork]:
    return CommandBus(HANDLERS, lambda: uow)


def principal(unit: str, role: Role = Role.OPERATOR, subject: str | None = None) -> Principal:
    return Principal(subject=subject or f"{role.value}@{unit}", role=role, unit=unit)


async def test_a_subscription_is_ended_only_by_who_manages_it(bus: CommandBus[FakeUnitOfWork], uow) -> None:
    blitar = principal("35.05")
    subscription_id = await bus.handle(
        Subscribe(Audience.UNIT, Channel.EMAIL, (SCHEDULED,), email=" P2H.Blitar@Example.go.id ", mode=Mode.SEGERA),
        blitar,
    )
    stored = uow.subscriptions.rows[subscription_id]
    assert (stored.owner_kind, stored.owner, stored.region, stored.email) == (
        "unit",
        "35.05",
        "35.05",
        "p2h.blitar@example.go.id",
    )
    assert uow.subscriptions.event_types[subscription_id] == [SCHEDULED]

    with pytest.raises(NotFound):  # another unit's operator cannot tell it exists
        await bus.handle(Unsubscribe(subscription_id), principal("35.06"))
    with pytest.raises(NotFound):  # nor is it a webhook
        await bus.handle(Unsubscribe(subscription_id, webhook=True), blitar)
    await bus.handle(Unsubscribe(subscription_id), blitar)
    assert not uow.subscriptions.rows[subscription_id].active
    with pytest.raises(NotFound):  # ended once
        await bus.handle(Unsubscribe(subscription_id), blitar)


async def test_refused_subscriptions_write_nothing(bus: CommandBus[FakeUnitOfWork], uow) -> None:
    refusals: list[tuple[Subscribe, type[Exception], str]] = [
        (Subscribe(Audience.UNIT, Channel.EMAIL, (SCHEDULED,)), DomainError, "email"),
        (Subscribe(Audience.UNIT, Channel.INBOX, (SCHEDULED,), mode=Mode.RINGKASAN_HARIAN), DomainError, "mode"),
        (Subscribe(Audience.UNIT, Channel.WEBHOOK, (SCHEDULED,)), DomainError, "saluran"),
        (Subscribe(Audience.UNIT, Channel.INBOX, ("awasi.Nope.v1",)), DomainError, "jenis_event"),
        (Subscribe(Audience.UNIT, Channel.INBOX, (SCHEDULED,), wilayah="36"), Forbidden, ""),
        (Subscribe(Audience.UNIT, Channel.INBOX, (SCHEDULED,), unit="35.06"), Forbidden, ""),
    ]
    for command, error, field in refusals:
        with pytest.raises(error) as raised:
            await bus.handle(command, principal("35.05"))
        if field:
            assert getattr(raised.value, "field", None) == field, command
    assert uow.subscriptions.rows == {} and uow.commits == 0


async def test_a_webhook_is_registered_checked_and_its_secret_rotated(bus: CommandBus[FakeUnitOfWork], uow) -> None:
    agency = principal("35", Role.AGENCY, "kpu-jatim")
    uow.resolver = FakeDns({"hook.kpu-jatim.go.id": ["8.8.8.8"], "dalam.kpu-jatim.go.id": ["10.0.0.7"]})
    with pytest.raises(DomainError, match="jaringan privat"):
        await bus.handle(RegisterWebhook("https://dalam.kpu-jatim.go.id/awasi", (SCHEDULED,)), agency)
    with pytest.raises(Forbidden):  # a viewer registers nothing
        await bus.handle(
            RegisterWebhook("https://hook.kpu-jatim.go.id/awasi", (SCHEDULED,)), principal("35", Role.VIEWER)
        )

    webhook_id, secret = await bus.handle(RegisterWebhook("https://Hook.KPU-Jatim.go.id./awasi", (SCHEDULED,)), agency)
    stored = uow.subscriptions.rows[webhook_id]
    assert stored.url == "https://hook.kpu-jatim.go.id/awasi" and stored.secret == secret
    assert (stored.lembaga, stored.agency_subject, stored.owner_unit) == ("kpu-jatim", "kpu-jatim", "35")

    now = uow.clock.now()
    new_secret, until = await bus.handle(RotateSecret(webhook_id, grace_seconds=600), agency)
    rotated = uow.subscriptions.rows[webhook_id]
    assert new_secret != secret and rotated.previous_secret == secret
    assert dt.timedelta(seconds=599) < until - now < dt.timedelta(seconds=601)
    assert rotated.signing_secrets(now) == [new_secret, secret]
    assert rotated.signing_secrets(until + dt.timedelta(seconds=1)) == [new_secret]
    with pytest.raises(NotFound):  # another agency's webhook does not exist for it
        await bus.handle(RotateSecret(webhook_id), principal("35", Role.AGENCY, "kpu-lain"))


async def test_unit_contacts_are_kept_normalised_and_only_by_the_unit(bus: CommandBus[FakeUnitOfWork], uow) -> None:
    await bus.handle(
        SetContact("35.05", ("B@Example.go.id ", "a@example.go.id", "b@example.go.id")), principal("35.05")
    )
    assert uow.contacts.rows["35.05"].emails == ["a@example.go.id", "b@example.go.id"]
    with pytest.raises(Forbidden):
        await bus.handle(SetContact("35.05", ("x@example.go.id",)), principal("35.06"))


async def failed_delivery(uow: FakeUnitOfWork, unit: str, status: Status = Status.FAILED) -> str:
    delivery_id = str(uuid.uuid4())
    await uow.deliveries.add(
        NewDelivery(
            id=delivery_id,
            dedup_key=delivery_id,
            channel=Channel.EMAIL,
            recipient="unit@example.go.id",
            recipient_label="unit@example.go.id",
            subscription_id=None,
            event_type=SCHEDULED,
            event_id=str(uuid.uuid4()),
            unit=unit,
            subject="s",
            body="b",
            status=status,
            max_attempts=3,
            created_at=uow.clock.now(),
        )
    )
    return delivery_id


async def test_only_a_failed_delivery_is_sent_again_and_only_by_its_unit(bus: CommandBus[FakeUnitOfWork], uow) -> None:
    failed = await failed_delivery(uow, "35.05")
    with pytest.raises(NotFound):
        await bus.handle(RetryDelivery(failed), principal("35.06"))
    await bus.handle(RetryDelivery(failed), principal("35.05"))
    assert uow.deliveries.rows[failed].status == Status.PENDING and uow.commits == 1
    with pytest.raises(Conflict, match="hanya yang gagal"):
        await bus.handle(RetryDelivery(failed), principal("35.05"))
    with pytest.raises(NotFound):
        await bus.handle(RetryDelivery("tidak-ada"), principal("35.05"))


async def test_a_unit_message_is_marked_read_by_a_writer_of_the_unit_only(bus: CommandBus[FakeUnitOfWork], uow) -> None:
    async with uow:  # recorded as a reaction records it
        await notify(
            uow,
            source="e",
            event_type=SCHEDULED,
            unit="35.05",
            subject="s",
            body="b",
            targets=[inbox(unit_owner("35.05"))],
        )
        await uow.commit()
    [message] = uow.deliveries.inbox
    assert uow.deliveries.inbox[message].owner == "unit:35.05"
    assert [type(event).__name__ for event in uow.published] == ["NotificationDelivered"]
    with pytest.raises(Forbidden):  # reads it, may not hide it from the unit's other readers
        await bus.handle(MarkInboxRead(message), principal("35.05", Role.VIEWER))
    with pytest.raises(NotFound):  # another unit does not learn it exists
        await bus.handle(MarkInboxRead(message), principal("35.06"))
    with pytest.raises(NotFound):
        await bus.handle(MarkInboxRead("tidak-ada"), principal("35.05"))
    assert uow.deliveries.inbox[message].read_at is None
    await bus.handle(MarkInboxRead(message), principal("35.05"))
    assert uow.deliveries.inbox[message].read_at is not None


async def test_reminders_fall_due_at_the_hour_on_the_unit_own_clock(uow, kegiatan_event) -> None:
    mulai = dt.date.today() + dt.timedelta(days=10)
    for unit, zone in (("35.05", WIB), ("91.71", WIT)):
        event = kegiatan_event(KegiatanScheduled, unit, mulai=mulai)
        await schedule_reminders(event, Envelope.new(event), uow)
        due = {row.kind: row.due_at for row in (await uow.reminders.for_kegiatan(event.kegiatan_id)).values()}
        h3 = dt.datetime.combine(mulai - dt.timedelta(days=3), dt.time(7), tzinfo=zone)
        assert due["H-3"] == h3, unit


async def test_a_daily_digest_is_sent_at_the_hour_on_the_clock_of_its_units(uow) -> None:
    day = dt.date.today()

    def at(date: dt.date, time: dt.time) -> None:
        uow.clock.offset = dt.datetime.combine(date, time, tzinfo=WIB) - dt.datetime.now(dt.UTC)

    at(day - dt.timedelta(days=1), dt.time(19))  # 21:00 WIT
    async with uow:
        for unit, address in (("35.05", "blitar@example.go.id"), ("91.71", "jayapura@example.go.id")):
            target = email(address, Mode.RINGKASAN_HARIAN)
            await notify(uow, source=unit, event_type=SCHEDULED, unit=unit, subject="s", body="b", targets=[target])
        await uow.commit()

    def digests() -> list[str]:
        return sorted(r.recipient for r in uow.deliveries.rows.values() if r.event_type == DIGEST_EVENT_TYPE)

    at(day, dt.time(6))  # 08:00 WIT: Jayapura's digest time has passed, Blitar's not yet
    assert await build_digests(lambda: uow) == 1
    assert digests() == ["jayapura@example.go.id"]
    at(day, dt.time(7, 1))
    assert await build_digests(lambda: uow) == 1
    assert digests() == ["blitar@example.go.id", "jayapura@example.go.id"]
