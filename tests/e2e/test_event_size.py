"""A request whose event would not fit in one Kafka record is refused with 413 before anything
of it is written (the row, its outbox row): it never reaches the relay to stop it there."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from awasi_common import outbox as outbox_module

from .test_walking_skeleton import UNIT, kegiatan_body


async def test_an_event_past_the_broker_limit_refuses_its_request_and_writes_nothing(
    start_service: Any, tokens: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from awasi_planning.adapters.orm import kegiatan, outbox

    planning = await start_service("planning")
    service = start_service.apps["planning"].state.service

    async def counts() -> tuple[int, int]:
        async with service.sessions() as session:
            rows = await session.scalar(sa.select(sa.func.count()).select_from(kegiatan))
            events = await session.scalar(sa.select(sa.func.count()).select_from(outbox))
        return int(rows or 0), int(events or 0)

    # A limit this small stands for a broker whose records are smaller than the request allows.
    monkeypatch.setattr(outbox_module, "MAX_EVENT_BYTES", 1500)
    before = await counts()
    refused = await planning.post("/kegiatan", json=kegiatan_body(tujuan=["t" * 900]), headers=tokens(UNIT))
    assert refused.status_code == 413, refused.text
    assert "terlalu besar" in refused.json()["detail"]
    assert await counts() == before
    accepted = await planning.post("/kegiatan", json=kegiatan_body(), headers=tokens(UNIT))
    assert accepted.status_code == 201, accepted.text
    assert await counts() == (before[0] + 1, before[1] + 1)
