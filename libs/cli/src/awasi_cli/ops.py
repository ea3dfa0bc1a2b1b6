"""Operating by hand: service status, dead-letter replay (awasi_common.deadletters, shared with
the services' ``/ops/surat-mati``), topic creation."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from awasi_common.deadletters import DeadLetter, list_dead_letters, replay_dead_letters

__all__ = ["DeadLetter", "list_dead_letters", "replay_dead_letters", "run", "service_status"]


def service_status(urls: dict[str, str], token: str) -> dict[str, dict[str, Any]]:
    """Readiness and /ops/status of each service; an unreachable one says so."""
    result: dict[str, dict[str, Any]] = {}
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=10) as client:
        for name, url in urls.items():
            try:
                ready = client.get(f"{url}/readyz").json()
                status = client.get(f"{url}/ops/status", headers=headers)
                result[name] = {"ready": ready, "status": status.json() if status.status_code == 200 else None}
            except httpx.HTTPError as error:
                result[name] = {"ready": {"status": f"tidak terjangkau: {error}"}, "status": None}
    return result


def run(coro: Any) -> Any:
    return asyncio.run(coro)
