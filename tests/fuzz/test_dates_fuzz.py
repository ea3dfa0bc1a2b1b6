"""Dates at the ends of the calendar, which schemathesis seldom draws, on the live services: a
date the API accepts must not make the service owe, compute or publish something absurd."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import pytest
import requests
from hypothesis import example, given
from hypothesis import strategies as st

from .conftest import StartLive
from .harness import untranslated
from .test_parsers import seeded

KAB = "35.05"
FIRST_PERIOD = "2023-01"
"""Perbawaslu 2/2023's obligations start in its own year."""


async def test_an_old_pemantauan_date_owes_no_ancient_obligations(
    live_service: StartLive, tokens: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWASI_PARTICIPATION_CONSUMER_GROUP", f"awasi.participation.fuzz-{uuid.uuid4().hex[:8]}")
    live = await live_service("participation")
    auth = tokens(KAB)
    today = dt.date.today()
    months_since_2023 = (today.year - 2023) * 12 + today.month

    def run() -> None:
        session = requests.Session()

        @seeded(25)
        @given(day=st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
        @example(day=dt.date(1, 1, 1))
        @example(day=dt.date(2000, 2, 29))
        def pemantauan(day: dt.date) -> None:
            body = {"unit": KAB, "tanggal": day.isoformat(), "ringkasan": "Pemantauan forum warga"}
            answer = session.post(f"{live.base_url}/pemantauan", json=body, headers=auth, timeout=30)
            assert answer.status_code in (201, 422), answer.text
            if answer.status_code == 422:
                assert not untranslated(answer.json()["detail"])
            owed = session.get(f"{live.base_url}/kewajiban", params={"unit": KAB}, headers=auth, timeout=30)
            assert owed.status_code == 200, owed.text
            periods = [k["periode"] for k in owed.json() if k["jenis"] == "pemantauan" and k["unit"] == KAB]
            assert all(period >= FIRST_PERIOD for period in periods), sorted(periods)[:3]
            assert len(periods) <= months_since_2023

        pemantauan()

    await asyncio.to_thread(run)
