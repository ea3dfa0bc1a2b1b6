"""Schemathesis against planning's live OpenAPI (tests/fuzz/api.py)."""

from __future__ import annotations

from typing import Any

import httpx

from .api import CLIENT_TIMEOUT, MARKS, UNIT, created, fuzz
from .conftest import StartLive

pytestmark = MARKS


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
