"""Schemathesis against participation's live OpenAPI, share 1 of 2 of its operations (tests/fuzz/participation.py)."""

from __future__ import annotations

from typing import Any

import pytest

from .api import MARKS
from .conftest import StartLive
from .participation import fuzz_participation

pytestmark = MARKS


async def test_participation_api(live_service: StartLive, tokens: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    await fuzz_participation(live_service, tokens, monkeypatch, share=(0, 2))
