"""Schemathesis against notification's live OpenAPI (tests/fuzz/api.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .api import CLIENT_TIMEOUT, MARKS, UNIT, created, fuzz
from .conftest import StartLive

pytestmark = MARKS


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
