"""Schemathesis against reporting's live OpenAPI, share 3 of 3 of its operations (tests/fuzz/reporting.py)."""

from __future__ import annotations

from typing import Any

from .api import MARKS
from .conftest import StartLive
from .reporting import fuzz_reporting

pytestmark = MARKS


async def test_reporting_api(live_service: StartLive, tokens: Any) -> None:
    await fuzz_reporting(live_service, tokens, share=(2, 3))
