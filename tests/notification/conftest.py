"""Real parts for notification's tests: an SMTP server (aiosmtpd) and an HTTP webhook receiver
running in the test process, the notification service on the real broker and PostgreSQL, and
a way to put events on the broker as another service would."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, ClassVar

import httpx
import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer
from aiosmtpd.controller import Controller
from fastapi import FastAPI

from awasi_cli.testing import free_port
from awasi_common.events import CATALOG
from awasi_common.events.base import Event
from awasi_common.events.envelope import Envelope, encode
from awasi_common.events.notification import DELIVERY_TOPIC

# --- SMTP -----------------------------------------------------------------------------------


@dataclass
class Mail:
    to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        return part.get_content() if part is not None else ""


class SmtpServer:
    """aiosmtpd in its own thread; stop() and start() make an outage."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mails: list[Mail] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.mails.append(Mail(list(envelope.rcpt_tos), message))
        return "250 OK"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address in m.to]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


# --- Webhook receiver -------------------------------------------------------------------------


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A small HTTP/1.1 server on 127.0.0.1 that records every POST and answers with the
    next status in ``answers`` (then ``default``)."""

    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    default: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    """Extra response headers (a ``location`` with a 3xx, say)."""
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/awasi/webhook"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            if hasattr(self._server, "close_clients"):
                self._server.close_clients()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.received.append(Received(headers, body, time.monotonic()))
                status = self.answers.pop(0) if self.answers else self.default
                extra = "".join(f"{name}: {value}\r\n" for name, value in self.headers.items())
                writer.write(
                    f"HTTP/1.1 {status} X\r\ncontent-length: 2\r\ncontent-type: text/plain\r\n{extra}\r\nok".encode()
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    server = Receiver()
    await server.start()
    yield server
    await server.stop()


# --- The service -------------------------------------------------------------------------------

FAST = {
    "WEBHOOK_ALLOW_HTTP_LOOPBACK": "true",
    "DELIVERY_POLL_SECONDS": "0.05",
    "SCHEDULER_POLL_SECONDS": "0.1",
    "RETRY_BASE_SECONDS": "0.2",
    "RETRY_MAX_SECONDS": "2",
    "RETRY_JITTER": "0",
    "WEBHOOK_MAX_ATTEMPTS": "4",
    "EMAIL_MAX_ATTEMPTS": "100",
}


@dataclass
class Notification:
    client: httpx.AsyncClient
    app: FastAPI

    async def publish(self, event: Event, envelope: Envelope | None = None) -> Envelope:
        """Put an event on the broker as its producing service would (binary CloudEvent)."""
        envelope = envelope or Envelope.new(event)
        await self.app.state.service.broker.publish(
            encode(event), event.topic, key=event.key.encode(), headers=envelope.headers()
        )
        return envelope

    async def rows(self, query: sa.Select[Any]) -> list[Any]:
        async with self.app.state.service.sessions() as session:
            return list(await session.execute(query))

    async def count(self, table: sa.Table) -> int:
        async with self.app.state.service.sessions() as session:
            return int(await session.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


StartNotification = Callable[..., Awaitable[Notification]]


@pytest.fixture
def notification_service(start_service: Any, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> StartNotification:
    """``await notification_service(RETRY_BASE_SECONDS="1")``: the service with fast intervals."""

    async def start(**overrides: str) -> Notification:
        for key, value in {**FAST, "SMTP_PORT": str(smtp.port), **overrides}.items():
            monkeypatch.setenv(f"AWASI_NOTIFICATION_{key}", value)
        client = await start_service("notification")
        return Notification(client, start_service.apps["notification"])

    return start


@pytest.fixture
def alert_type() -> Iterator[type[Event]]:
    """An alert event type that no service defines: added to the catalog before notification
    starts, as another engineer's new obligation event would be, and removed afterwards."""

    class UjiTenggatTerlewat(Event):
        name: ClassVar[str] = f"UjiTenggatTerlewat{uuid.uuid4().hex[:6]}"
        topic: ClassVar[str] = "awasi.test.tenggat-uji.v1"
        source: ClassVar[str] = "/awasi/test"
        key_field: ClassVar[str] = "kewajiban_id"
        alert: ClassVar[bool] = True

        kewajiban_id: str
        pesan: str

    yield UjiTenggatTerlewat
    CATALOG.pop(UjiTenggatTerlewat.ce_type(), None)


@pytest.fixture
def delivery_events(kafka_bootstrap: str) -> Callable[[set[str]], Awaitable[dict[str, Any]]]:
    """``await delivery_events({id, …})``: NotificationDelivered / NotificationFailed read back
    from the broker for these deliveries, by delivery id."""

    async def read(delivery_ids: set[str]) -> dict[str, Any]:
        return await _delivery_events(kafka_bootstrap, delivery_ids)

    return read


async def _delivery_events(kafka_bootstrap: str, delivery_ids: set[str], timeout: float = 20) -> dict[str, Any]:
    consumer = AIOKafkaConsumer(
        DELIVERY_TOPIC, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    found: dict[str, Any] = {}
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not delivery_ids <= found.keys():
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    data = json.loads(record.value)
                    if data.get("delivery_id") in delivery_ids:
                        headers = {k: v.decode() for k, v in record.headers}
                        found[data["delivery_id"]] = {"type": headers.get("ce_type"), **data}
    finally:
        with contextlib.suppress(Exception):
            await consumer.stop()
    return found


KegiatanFactory = Callable[..., Event]


@pytest.fixture
def kegiatan_event() -> KegiatanFactory:
    """``kegiatan_event(KegiatanScheduled, "35.05", mulai=…)``: a planning event as planning publishes it."""
    import datetime as dt

    from awasi_common.events.planning import Jadwal, KegiatanSnapshot

    def make(
        event_type: type[Event],
        unit: str,
        *,
        mulai: dt.date | None = None,
        selesai: dt.date | None = None,
        kegiatan_id: str | None = None,
        judul: str = "Rapat Koordinasi Pengawasan Kampanye",
        **extra: Any,
    ) -> Event:
        mulai = mulai or dt.date.today() + dt.timedelta(days=10)
        snapshot = KegiatanSnapshot(
            kegiatan_id=kegiatan_id or str(uuid.uuid4()),
            divisi="P2H",
            judul=judul,
            jenis="rapat_koordinasi",
            jadwal=Jadwal(mulai=mulai, selesai=selesai or mulai, presisi="tanggal"),
        )
        return event_type(unit=unit, kegiatan_id=snapshot.kegiatan_id, kegiatan=snapshot, **extra)

    return make
