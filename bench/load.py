"""Sending the load: open loop at a schedule, or closed loop at saturation."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.http_client import Pool
from bench.workload import Request


@dataclass
class Sent:
    scheduled: float
    """Wall-clock time the request was due to leave."""
    done: float
    status: int
    body: bytes
    request: Request


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


async def _send(pool: Pool, request: Request, scheduled: float, out: list[Sent], method: str = "POST") -> None:
    try:
        response = await asyncio.wait_for(pool.request(method, request.path, request.body, request.headers), 30)
        status, body = response.status, response.body
    except Exception as error:  # counted as an error of the step
        status, body = 0, str(error).encode()
    out.append(Sent(scheduled, time.time(), status, body, request))


async def drive(pool: Pool, plan: Sequence[tuple[float, Request]], method: str = "POST") -> list[Sent]:
    """Open loop: each request leaves at its offset from the start."""
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    wall_start = time.time() + 0.05
    sent: list[Sent] = []
    tasks = []
    for offset, request in plan:
        delay = start + offset - loop.time()
        if delay > 0.001:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_send(pool, request, wall_start + offset, sent, method)))
    await asyncio.gather(*tasks)
    return sent


async def saturate(pool: Pool, requests: Sequence[Request], seconds: float, concurrency: int) -> list[Sent]:
    """Closed loop: ``concurrency`` clients each sending the next request as soon as the
    previous one was answered."""
    sent: list[Sent] = []
    deadline = time.monotonic() + seconds
    position = 0

    async def client() -> None:
        nonlocal position
        while time.monotonic() < deadline:
            request = requests[position % len(requests)]
            position += 1
            await _send(pool, request, time.time(), sent)

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return sent


def ids_of(sent: Sent) -> list[str]:
    data = json.loads(sent.body)
    if "penyampaian_id" in data:  # one event for the collective submission: its key, per form
        return [data["penyampaian_id"]] * data["jumlah"]
    return [data.get("laporan_id") or data["id"]]


def ok(sent: Sent) -> bool:
    return 200 <= sent.status < 300
