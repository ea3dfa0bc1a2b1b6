"""Helpers for the identity tests: accounts made and activated through the API, sign-in as a
client would (form-encoded), and the account topic read back from the real broker."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pyotp
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from awasi_common.events import Envelope, Event, UndecodableEvent, decode
from awasi_common.events.identity import AKUN_TOPIC

SANDI = "kuda merah melompati pagar bambu"
"""A password the policy takes (long, several unrelated words)."""


@pytest.fixture(autouse=True)
def identity_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No per-client rate limit and no backoff wait unless a test asks: the tests make many
    attempts from one client in a few seconds (the lockout after five failures stays)."""
    monkeypatch.setenv("AWASI_IDENTITY_PUBLIC_RATE_LIMIT", "10000/minute")
    monkeypatch.setenv("AWASI_IDENTITY_BACKOFF_SECONDS", "0")


@pytest.fixture
async def identity(start_service: Any) -> httpx.AsyncClient:
    client: httpx.AsyncClient = await start_service("identity")
    return client


def email_baru(prefix: str = "staf") -> str:
    return f"{prefix}.{uuid.uuid4().hex[:10]}@bawaslu.go.id"


def akun_body(unit: str, role: str = "operator", **fields: Any) -> dict[str, Any]:
    return {"nama": "Siti Rahmawati", "email": email_baru(), "unit": unit, "role": role} | fields


AccountMaker = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def buat_akun(identity: httpx.AsyncClient, tokens: Callable[..., dict[str, str]]) -> AccountMaker:
    """``await buat_akun("35.05", role="operator", aktif=True)``: the 201 body, with the
    password set (``aktif``) through the activation endpoint; made by the unit's admin."""
    return account_maker(identity, tokens)


def account_maker(identity: httpx.AsyncClient, tokens: Callable[..., dict[str, str]]) -> AccountMaker:
    async def make(unit: str, role: str = "operator", *, aktif: bool = True, **fields: Any) -> dict[str, Any]:
        response = await identity.post("/akun", json=akun_body(unit, role, **fields), headers=tokens(unit, "admin"))
        assert response.status_code == 201, response.text
        made: dict[str, Any] = response.json()
        if aktif:
            body = {"email": made["akun"]["email"], "kode": made["kode_aktivasi"], "sandi": SANDI}
            activated = await identity.post("/akun/aktivasi", json=body)
            assert activated.status_code == 200, activated.text
            made["totp"] = activated.json()["totp"]
        return made

    return make


async def masuk(client: httpx.AsyncClient, email: str, sandi: str = SANDI, totp: str | None = None) -> httpx.Response:
    """Sign in as a client would; ``totp``, the current code of that secret (an authenticator app's, pyotp's)."""
    data = {"grant_type": "password", "username": email, "password": sandi}
    if totp:
        data["totp"] = pyotp.TOTP(totp).now()
    return await client.post("/token", data=data)


async def segarkan(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post("/token", data={"grant_type": "refresh_token", "refresh_token": refresh_token})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def account_events(bootstrap: str, akun_id: str, count: int, timeout: float = 20) -> list[tuple[str, Event]]:
    """The account's events on its topic with their Kafka keys, from the beginning, once
    ``count`` have arrived."""
    # earliest: a reset to the default, begun by assign(), may land after seek_to_beginning's
    # (test_identity_never_in_clear.py, every_record_on_the_broker)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        partitions = [TopicPartition(AKUN_TOPIC, p) for p in sorted(consumer.partitions_for_topic(AKUN_TOPIC) or ())]
        if not partitions:
            await consumer._client.force_metadata_update()
            found = consumer.partitions_for_topic(AKUN_TOPIC) or ()
            partitions = [TopicPartition(AKUN_TOPIC, p) for p in sorted(found)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        seen: list[tuple[str, Event]] = []
        deadline = asyncio.get_running_loop().time() + timeout
        while len(seen) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"expected {count} events of {akun_id}, saw {seen}")
            batches = await consumer.getmany(timeout_ms=300)
            for records in batches.values():
                for record in records:
                    try:
                        event = decode(Envelope.from_headers(dict(record.headers)), record.value)
                    except UndecodableEvent:
                        continue
                    if getattr(event, "akun_id", None) == akun_id:
                        seen.append((record.key.decode() if record.key else "", event))
        return seen
    finally:
        await consumer.stop()


ServiceWith = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
def identity_with(start_service: Any, monkeypatch: pytest.MonkeyPatch) -> ServiceWith:
    """``await identity_with(BACKOFF_SECONDS="1")``: the service with ``AWASI_IDENTITY_*`` set."""

    async def start(**settings: str) -> httpx.AsyncClient:
        for name, value in settings.items():
            monkeypatch.setenv(f"AWASI_IDENTITY_{name}", value)
        client: httpx.AsyncClient = await start_service("identity")
        return client

    return start
