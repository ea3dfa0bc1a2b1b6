"""Schemathesis against reporting's live OpenAPI, the other half of its operations (tests/fuzz/reporting.py)."""

from __future__ import annotations

from typing import Any

from .api import QUIET_RANDOM
from .conftest import StartLive
from .reporting import fuzz_reporting

pytestmark = QUIET_RANDOM


async def test_reporting_api_rest(live_service: StartLive, tokens: Any) -> None:
    await fuzz_reporting(live_service, tokens, share=(1, 2))
