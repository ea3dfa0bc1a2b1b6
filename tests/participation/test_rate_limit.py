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


async def test_invalid_and_malformed_bodies_count_too(start_service, monkeypatch: pytest.MonkeyPatch) -> None:
    """A flood of bodies the route never reads (not JSON, oversized, invalid) is held back as
    well: each attempt is counted before its body is read."""
    monkeypatch.setenv("AWASI_PARTICIPATION_PUBLIC_RATE_LIMIT", "3/minute")
    svc = await start_service("participation")
    signup = f"/program-kegiatan/{uuid.uuid4()}/peserta"
    answers = [
        await svc.post(signup, content=b"{bukan json", headers={"content-type": "application/json"}),
        await svc.post(signup, content=b"x" * (2 * 1024 * 1024), headers={"content-type": "application/json"}),
        await svc.post(signup, content=b'{"nama": "\\ud800"}', headers={"content-type": "application/json"}),
        await svc.post(signup, json={"nama": "Siti"}),
    ]
    assert [a.status_code for a in answers[:3]] == [422, 413, 422], [a.text for a in answers]
    assert answers[3].status_code == 429
