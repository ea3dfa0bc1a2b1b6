"""Schemathesis against every service's live OpenAPI (see ``harness.py`` for what is checked).

One test per service: the service starts in-process on the real broker and PostgreSQL, a few
things are created through its API so that fuzzed requests can reach existing ones, then every
operation gets a fixed number of positive and negative examples, seeded, and a sample of the
refused writes is replayed to prove they wrote nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from typing import Any

import httpx
import pytest

from awasi_cli.testing import eventually
from awasi_common.events import Envelope, encode
from awasi_common.events.planning import Jadwal, KegiatanScheduled, KegiatanSnapshot
from awasi_common.vocabulary import Divisi, Program

from .conftest import Live, StartLive
from .harness import Callers, Fuzzer, Report

# Schemathesis's generators touch the `random` module; Hypothesis warns about it on every run.
pytestmark = pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies")

UNIT = "35.05"
EXAMPLES = int(os.environ.get("AWASI_FUZZ_EXAMPLES", "20"))
"""Examples per operation and generation mode (positive, negative); raise it for a deeper run."""
TODAY = dt.date.today()
CLIENT_TIMEOUT = 30
"""Seconds a set-up request may take, as the harness allows its requests: a service's first
request on a busy machine (the suite in four processes) took longer than httpx's default 5."""


async def fuzz(live: Live, tokens: Any, known: dict[str, list[str]]) -> Report:
    fuzzer = Fuzzer(
        live,
        Callers(operator=tokens(UNIT, "operator"), admin=tokens("00", "admin")),
        UNIT,
        known=known,
        max_examples=EXAMPLES,
    )
    report = await asyncio.to_thread(fuzzer.run)
    print(report.summary())
    # The run really exercised the service: every operation, requests answered, writes replayed.
    assert report.operations >= 10 and report.requests >= report.operations * EXAMPLES, report.summary()
    assert report.replayed > 0, report.summary()
    assert not report.findings, f"{report.summary()}\n\n{report.failures()}"
    return report


async def created(client: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> str:
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 201, (path, response.text)
    return str(response.json()["id"])


async def test_planning_api(live_service: StartLive, tokens: Any) -> None:
    live = await live_service("planning")
    ids: list[str] = []
    async with httpx.AsyncClient(base_url=live.base_url, timeout=CLIENT_TIMEOUT) as client:
        for draft in (True, False):
            body = {
                "unit": UNIT,
                "divisi": "P2H",
                "judul": "Sosialisasi Pengawasan Partisipatif",
                "jenis": "sosialisasi",
                "jadwal": {"mulai": "2026-11-02", "selesai": "2026-11-03"},
                "draft": draft,
            }
            ids.append(await created(client, "/kegiatan", body, tokens(UNIT)))
    await fuzz(live, tokens, {"kegiatan_id": ids})


async def test_participation_api(live_service: StartLive, tokens: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # A consumer group of its own: joining the shared one right after another test's member
    # left waits for the broker to expire that member.
    monkeypatch.setenv("AWASI_PARTICIPATION_CONSUMER_GROUP", f"awasi.participation.fuzz-{uuid.uuid4().hex[:8]}")
    live = await live_service("participation")
    auth = tokens(UNIT)
    async with httpx.AsyncClient(base_url=live.base_url, timeout=CLIENT_TIMEOUT) as client:
        forum = {
            "unit": UNIT,
            "program": "forum_warga",
            "nama": "Forum Warga Kabupaten Blitar",
            "forum_warga": {"metode": "dialogis", "pertemuan": ["tatap_muka"]},
            "sasaran": ["pemilih_pemula", "pemilih_perempuan"],
        }
        program_id = await created(client, "/program", forum, auth)
        # A kegiatan of the program, as planning announces it over the broker.
        kegiatan_id = str(uuid.uuid4())
        event = KegiatanScheduled(
            unit=UNIT,
            kegiatan_id=kegiatan_id,
            kegiatan=KegiatanSnapshot(
                kegiatan_id=kegiatan_id,
                divisi=Divisi.P2H,
                judul="Forum Warga Pengawasan Partisipatif",
                jenis="sosialisasi",
                jadwal=Jadwal(mulai=TODAY, selesai=TODAY, presisi="tanggal"),
                target_peserta=5,
                program=Program.FORUM_WARGA,
                lokasi="Balai Desa",
            ),
        )
        broker = live.app.state.service.broker
        await broker.publish(encode(event), event.topic, key=event.key.encode(), headers=Envelope.new(event).headers())

        async def linked() -> bool:
            answer = await client.get(f"/program-kegiatan/{kegiatan_id}", headers=auth)
            return answer.status_code == 200

        await eventually(linked)
        peserta = {"nama": "Ani", "sasaran": "pemilih_pemula"}
        answer = await client.post(f"/program-kegiatan/{kegiatan_id}/peserta", json=peserta)
        assert answer.status_code == 201, answer.text
    await fuzz(live, tokens, {"program_id": [program_id], "kegiatan_id": [kegiatan_id]})


async def test_notification_api(live_service: StartLive, tokens: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fuzzed webhooks and e-mail addresses are never sent to: after its first (empty) round the
    # delivery worker sleeps past the end of the test.
    monkeypatch.setenv("AWASI_NOTIFICATION_DELIVERY_POLL_SECONDS", "86400")
    live = await live_service("notification")
    async with httpx.AsyncClient(base_url=live.base_url, timeout=CLIENT_TIMEOUT) as client:
        langganan = {"untuk": "unit", "saluran": "inbox", "jenis_event": ["awasi.KegiatanScheduled.v1"]}
        subscription_id = await created(client, "/langganan", langganan, tokens(UNIT))
        webhook = {
            "lembaga": "KPU Kabupaten Blitar",
            "url": "https://kpu-blitar.example.go.id/awasi",
            "wilayah": UNIT,
            "jenis_event": ["awasi.KegiatanScheduled.v1"],
        }
        webhook_id = await created(client, "/webhook", webhook, tokens(UNIT))
    await fuzz(live, tokens, {"subscription_id": [subscription_id, webhook_id], "unit": [UNIT]})
