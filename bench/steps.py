"""One end-to-end step (open loop at one rate, then a drain), a series of them at rising
rates, and a baseline app's run at saturation."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from bench.http_client import Pool
from bench.load import drive, ids_of, log, ok, saturate
from bench.measure import Latencies, Tables, cpu_delta, cpu_seconds
from bench.stack import Stack
from bench.workload import Workload

P99_TARGET_MS = 500.0
PLATFORM = ("reporting", "notification", "broker", "postgresql")
"""The processes whose CPU a submission costs (the load generator is not the platform's)."""


def cpu_ms_per(cpu: dict[str, float], count: int) -> dict[str, float]:
    """CPU ms per submission for each process, and ``total`` over the platform's processes."""
    per = {name: round(used * 1000 / max(1, count), 3) for name, used in cpu.items() if not name.endswith("%")}
    per["total"] = round(sum(per.get(name, 0.0) for name in PLATFORM), 3)
    return per


async def e2e_step(
    stack: Stack,
    tables: Tables,
    pool: Pool,
    workload: Workload,
    rate: float,
    seconds: float,
    drain_seconds: float,
    label: str,
) -> dict[str, Any]:
    plan = workload.schedule(rate, seconds)
    offered = sum(request.submissions for _, request in plan)
    groups = {name: stack.pid(name) for name in ("broker", "reporting", "notification")}
    cpu_before = cpu_seconds(groups)
    started = time.monotonic()
    sent = await drive(pool, plan)
    sending = time.monotonic() - started
    accepted: list[tuple[str, float]] = []
    errors: dict[str, int] = {}
    http = Latencies()
    for item in sent:
        http.add([item.done - item.scheduled])
        if ok(item):
            accepted += [(key, item.scheduled) for key in ids_of(item)]
        else:
            kind = f"{item.request.kind} {item.status}"
            errors[kind] = errors.get(kind, 0) + item.request.submissions
    # Wait until both consumers handled every accepted submission (or the drain runs out).
    drain_deadline = time.monotonic() + drain_seconds
    while True:
        await tables.read_outbox()
        await tables.read_inboxes()
        pending = [key for key, _ in accepted if tables.done_at(key) is None]
        if not pending or time.monotonic() > drain_deadline:
            break
        await asyncio.sleep(0.25)
    cpu = cpu_delta(cpu_before, cpu_seconds(groups))
    wall = time.monotonic() - started
    ours = sum(value for name, value in cpu.items() if name != "machine busy %")
    # CPU the machine spent on processes that are not the bench's (another user's tests):
    # a step with much of it measured a shared machine.
    cpu["other %"] = round(max(0.0, cpu["machine busy %"] - 100 * ours / wall), 1)
    e2e = Latencies()
    for key, scheduled in accepted:
        finished = tables.done_at(key)
        if finished is not None:
            e2e.add([finished - scheduled])
    latency = e2e.summary()
    sustained = (
        not errors
        and len(accepted) == offered
        and not pending
        and latency["p99_ms"] is not None
        and latency["p99_ms"] < P99_TARGET_MS
    )
    step: dict[str, Any] = {
        "offered_per_s": rate,
        "seconds": seconds,
        "submissions": offered,
        "requests": len(plan),
        "accepted": len(accepted),
        "accepted_per_s": round(len(accepted) / seconds, 1),
        "errors": errors,
        "not_handled_after_drain": len(pending),
        "sustained": sustained,
        "e2e": latency,
        "http": http.summary(),
        "send_seconds": round(sending, 2),
        "wall_seconds": round(wall, 2),
        "cpu_seconds": cpu,
        "cpu_ms_per_submission": cpu_ms_per(cpu, len(accepted)),
        "cpu_ms_per_request": cpu_ms_per(cpu, len(plan)),
    }
    log(
        f"  {label:8s} {rate:6.0f}/s offered → {step['accepted_per_s']:7.1f}/s accepted, "
        f"e2e p50 {latency['p50_ms']} p95 {latency['p95_ms']} p99 {latency['p99_ms']} ms, "
        f"errors {sum(errors.values())}, unhandled {len(pending)}, "
        f"cpu ms/submission {step['cpu_ms_per_submission']['total']} (other {cpu['other %']}%) → "
        f"{'sustained' if sustained else 'NOT sustained'}"
    )
    return step


async def e2e_series(
    stack: Stack,
    tables: Tables,
    workload: Workload,
    rates: Sequence[float],
    seconds: float,
    drain_seconds: float,
    connections: int,
    label: str,
) -> list[dict[str, Any]]:
    """Steps at rising rates until the first that is not sustained."""
    pool = Pool(stack.ports["reporting"], connections)
    steps = []
    try:
        for rate in rates:
            step = await e2e_step(stack, tables, pool, workload, rate, seconds, drain_seconds, label)
            steps.append(step)
            if not step["sustained"]:
                break
            await asyncio.sleep(1.0)
    finally:
        pool.close()
    return steps


def best(steps: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    sustained = [s for s in steps if s["sustained"]]
    return max(sustained, key=lambda s: s["accepted_per_s"]) if sustained else None


async def baseline_run(
    stack: Stack,
    workload: Workload,
    seconds: float,
    concurrency: int,
    connections: int,
    app: str = "baseline",
    label: str | None = None,
) -> dict[str, Any]:
    """``app`` (a baseline app the stack started) at saturation with the workload's requests."""
    requests = [request for _, request in workload.schedule(1000, 2.0)]
    pool = Pool(stack.ports[app], connections)
    groups = {app: stack.pid(app)}
    try:
        await saturate(pool, requests, 2.0, concurrency)  # warm up
        before = cpu_seconds(groups)
        started = time.monotonic()
        sent = await saturate(pool, requests, seconds, concurrency)
        elapsed = time.monotonic() - started
        cpu = cpu_delta(before, cpu_seconds(groups))
    finally:
        pool.close()
    accepted = sum(item.request.submissions for item in sent if ok(item))
    errors = sum(item.request.submissions for item in sent if not ok(item))
    http = Latencies()
    http.add(item.done - item.scheduled for item in sent)
    result: dict[str, Any] = {
        "mode": workload.mode,
        "concurrency": concurrency,
        "seconds": round(elapsed, 2),
        "requests": len(sent),
        "submissions": accepted,
        "per_s": round(accepted / elapsed, 1),
        "requests_per_s": round(len(sent) / elapsed, 1),
        "errors": errors,
        "http": http.summary(),
        "cpu_seconds": cpu,
        "cpu_ms_per_submission": {
            app: round(cpu.get(app, 0.0) * 1000 / max(1, accepted), 3),
            "postgresql": round(cpu.get("postgresql", 0.0) * 1000 / max(1, accepted), 3),
        },
    }
    log(
        f"  {label or f'{app} {workload.mode}':16s} {result['per_s']:7.1f} submissions/s "
        f"({result['requests_per_s']} requests/s), p99 {result['http']['p99_ms']} ms, errors {errors}"
    )
    return result
