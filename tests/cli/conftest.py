"""Fixtures of the `awasi up` tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import psutil
import pytest


@pytest.fixture
def leftovers() -> Iterator[list[psutil.Process]]:
    """Processes a failed test must not leave behind."""
    processes: list[psutil.Process] = []
    yield processes
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.kill()
