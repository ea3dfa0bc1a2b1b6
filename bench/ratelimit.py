"""``python -m bench.ratelimit``: CPU per ``ClientRateLimiter.hit_scope`` against the number of clients.

The in-process limiter (no Redis) with reporting's public limits. For each number of distinct
client keys: every client is hit once first (``--keys`` of them, as after a busy hour), then
hits go round those clients in two ways, and the process's CPU (every thread's, so work handed
to threads counts) is divided by the hits:

- ``tight``: back to back, as fast as the loop runs them (``--hits`` of them);
- ``paced``: ``--rate`` hits a second for ``--seconds`` (and half a second after), as a server
  sees them, so background work the limiter schedules between hits (expiry passes) is counted;
  the paced loop's own CPU, measured with no limiter, is taken off.

Memory: the bytes Python allocated (``tracemalloc``) to hold the clients after the first hits.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import Any

from awasi_common.ratelimit import ClientRateLimiter

LIMITS = {"percobaan": "30/minute;300/hour", "intake": "5/minute;30/hour"}
SCOPE = "percobaan"
Hit = Callable[[str, dict[str, Any]], Awaitable[object]]


def scopes(count: int) -> list[dict[str, Any]]:
    return [{"type": "http", "client": (f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}", 40000)} for n in range(count)]


async def fill(limiter: ClientRateLimiter, clients: list[dict[str, Any]]) -> None:
    for scope in clients:
        await limiter.hit_scope(SCOPE, scope)


async def tight(limiter: ClientRateLimiter, clients: list[dict[str, Any]], hits: int) -> float:
    start = time.process_time()
    for n in range(hits):
        await limiter.hit_scope(SCOPE, clients[(n * 7919) % len(clients)])
    return (time.process_time() - start) / hits


async def _nothing(name: str, scope: dict[str, Any]) -> None:
    return None


async def paced(hit: Hit, clients: list[dict[str, Any]], rate: float, seconds: float) -> float:
    start_cpu, start = time.process_time(), time.monotonic()
    done = 0
    while done < rate * seconds:
        await hit(SCOPE, clients[(done * 7919) % len(clients)])
        done += 1
        await asyncio.sleep(max(0.0, start + done / rate - time.monotonic()))
    await asyncio.sleep(max(0.0, start + seconds + 0.5 - time.monotonic()))  # what the hits left running
    return (time.process_time() - start_cpu) / done


async def memory(count: int) -> int:
    clients = scopes(count)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    limiter = ClientRateLimiter(LIMITS)
    await fill(limiter, clients)
    await asyncio.sleep(0)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del limiter
    return used


async def one(count: int, args: argparse.Namespace) -> dict[str, float]:
    clients = scopes(count)
    # The paced loop's own cost (sleeping between hits), measured first with no limiter at all.
    idle = await paced(_nothing, clients, args.rate, args.seconds / 2)
    limiter = ClientRateLimiter(LIMITS)
    fill_start = time.process_time()
    await fill(limiter, clients)
    fill_us = (time.process_time() - fill_start) / count * 1e6
    result = {
        "keys": count,
        "fill_us": fill_us,
        "tight_us": await tight(limiter, clients, args.hits) * 1e6,
        "idle_us": idle * 1e6,
    }
    result["paced_us"] = (await paced(limiter.hit_scope, clients, args.rate, args.seconds) - idle) * 1e6
    for task in asyncio.all_tasks() - {asyncio.current_task()}:
        task.cancel()  # a pass the limiter left running would be counted against the next count
    await asyncio.sleep(0.1)
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--keys", type=int, nargs="+", default=[1, 1_000, 100_000])
    parser.add_argument("--hits", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(f"keys       fill µs/hit  tight µs/hit  paced µs/hit (at {args.rate:g}/s; the loop alone, taken off)")
    for count in args.keys:
        r = await one(count, args)
        print(
            f"{count:>7,}  {r['fill_us']:>12.1f}  {r['tight_us']:>12.1f}  {r['paced_us']:>12.1f}  ({r['idle_us']:.0f})"
        )
    used = await memory(max(args.keys))
    print(f"memory for {max(args.keys):,} clients: {used / 2**20:.1f} MiB ({used / max(args.keys):.0f} B per client)")


if __name__ == "__main__":
    asyncio.run(main())
