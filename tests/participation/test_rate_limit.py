"""Endpoints anyone may call are rate limited per client, with a clear 429."""

from __future__ import annotations

import uuid

import pytest


async def test_public_endpoints_are_rate_limited(start_service, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWASI_PARTICIPATION_PUBLIC_RATE_LIMIT", "3/minute")
    svc = await start_service("participation")
    unknown = f"/program-kegiatan/{uuid.uuid4()}/info"
    answers = [await svc.get(unknown) for _ in range(4)]
    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    refused = answers[-1]
    assert int(refused.headers["Retry-After"]) >= 1
    assert "Terlalu banyak permintaan" in refused.json()["detail"]
