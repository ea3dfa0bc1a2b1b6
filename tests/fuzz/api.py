"""What the API fuzz tests share (one file per service, test_api_fuzz_<service>.py, so the four
long runs spread over the suite's processes).

Schemathesis against every service's live OpenAPI (see ``harness.py`` for what is checked). One
test per service: the service starts in-process on the real broker and PostgreSQL, a few things
are created through its API so that fuzzed requests can reach existing ones, then every
operation gets a fixed number of positive and negative examples, seeded, and a sample of the
refused writes is replayed to prove they wrote nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from typing import Any

import httpx
import pytest

from .conftest import Live
from .harness import Callers, Fuzzer, Report

# Schemathesis's generators touch the `random` module; Hypothesis warns about it on every run.
QUIET_RANDOM = pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies")
LONG_RUN = pytest.mark.timeout(900)
"""A fuzz file is long by design: on a slow day of this 2-core machine one took the whole 300 s
the suite allows a test (a guard against hangs), and the alarm stopped its process mid-report."""
MARKS = [QUIET_RANDOM, LONG_RUN]
"""Every API fuzz module's ``pytestmark``."""

UNIT = "35.05"
EXAMPLES = int(os.environ.get("AWASI_FUZZ_EXAMPLES", "20"))
"""Examples per operation and generation mode (positive, negative); raise it for a deeper run."""
TODAY = dt.date.today()
CLIENT_TIMEOUT = 30
"""Seconds a set-up request may take, as the harness allows its requests: a service's first
request on a busy machine (the suite in four processes) took longer than httpx's default 5."""


async def fuzz(live: Live, tokens: Any, known: dict[str, list[str]], share: tuple[int, int] = (0, 1)) -> Report:
    fuzzer = Fuzzer(
        live,
        Callers(operator=tokens(UNIT, "operator"), admin=tokens("00", "admin")),
        UNIT,
        known=known,
        max_examples=EXAMPLES,
        share=share,
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
