"""Fixtures shared by the planning tests: the shared documents and a direct look at planning's
own tables (to prove that a refused request wrote nothing)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa


@pytest.fixture
def table_counts(start_service: Any) -> Callable[[], Awaitable[tuple[int, int]]]:
    """``await table_counts()``: (kegiatan rows, outbox rows) in the running planning service."""
    from awasi_planning.adapters.orm import kegiatan, outbox

    async def counts() -> tuple[int, int]:
        service = start_service.apps["planning"].state.service
        async with service.sessions() as session:
            rows = await session.scalar(sa.select(sa.func.count()).select_from(kegiatan))
            events = await session.scalar(sa.select(sa.func.count()).select_from(outbox))
        return int(rows or 0), int(events or 0)

    return counts


@pytest.fixture
def upload() -> Callable[..., dict[str, Any]]:
    """``upload(path)`` (or with other bytes and name): the multipart field of the import endpoint."""

    def files(path: Path, content: bytes | None = None, name: str | None = None) -> dict[str, Any]:
        data = path.read_bytes() if content is None else content
        return {"berkas": (name or path.name, data, "application/octet-stream")}

    return files
