"""``make bench``: submissions at rising rates through reporting and notification, end to end,
against a baseline that only writes one row per submission.

1. Start the embedded broker, then reporting and notification as their own processes
   (PostgreSQL at 127.0.0.1:5432 when it answers, SQLite otherwise).
2. Drive Form A and laporan over HTTP at rising rates, open loop (each request leaves at its
   scheduled time whether or not earlier ones were answered; latency counts from that time).
   Series ``kolektif``: Form A in collective submissions of ``--batch`` (a Panwaslu
   Kelurahan/Desa passing on its TPS' forms), laporan one per request. Series ``single``: every
   submission its own request.
3. End-to-end latency of a submission: from its scheduled send to the moment reporting's
   figures projection (group ``awasi.reporting.angka``) and notification (``awasi.notification``)
   have both handled its event (their inbox rows), mapped through reporting's outbox
   (key = aggregate id from the response).
4. A step is sustained when every request was accepted, every accepted submission was handled
   by both consumers, and the end-to-end p99 stayed under 500 ms. ``end_to_end_per_s`` is the
   highest sustained rate of the ``kolektif`` series.
5. Stop the services; start the baseline app on the same database kind and run it at
   saturation with the same requests (closed loop): ``baseline_per_s``.

Writes bench/results/latest.json and bench/results/latest.png and prints a summary.
Everything runs on 127.0.0.1 and stops by itself (bounded steps, bounded drains).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.http_client import Pool
from bench.measure import Latencies, Tables, cpu_delta, cpu_seconds, machine_busy
from bench.stack import ROOT, Stack, postgres_answers
from bench.workload import Request, Workload

RESULTS = ROOT / "bench" / "results"
P99_TARGET_MS = 500.0
TARGET_PER_S = 1000.0


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


# --- Load ----------------------------------------------------------------------------------------


async def _send(pool: Pool, request: Request, scheduled: float, out: list[Sent]) -> None:
    try:
        response = await asyncio.wait_for(pool.request("POST", request.path, request.body, request.headers), 30)
        status, body = response.status, response.body
    except Exception as error:  # counted as an error of the step
        status, body = 0, str(error).encode()
    out.append(Sent(scheduled, time.time(), status, body, request))


async def drive(pool: Pool, plan: Sequence[tuple[float, Request]]) -> list[Sent]:
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
        tasks.append(asyncio.create_task(_send(pool, request, wall_start + offset, sent)))
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


# --- One end-to-end step ---------------------------------------------------------------------------


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
            label = f"{item.request.kind} {item.status}"
            errors[label] = errors.get(label, 0) + item.request.submissions
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
    done_times = []
    for key, scheduled in accepted:
        finished = tables.done_at(key)
        if finished is not None:
            e2e.add([finished - scheduled])
            done_times.append(finished)
    latency = e2e.summary()
    sustained = (
        not errors
        and len(accepted) == offered
        and not pending
        and latency["p99_ms"] is not None
        and latency["p99_ms"] < P99_TARGET_MS
    )
    step = {
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
        "cpu_ms_per_submission": {
            name: round(seconds_used * 1000 / max(1, len(accepted)), 3)
            for name, seconds_used in cpu.items()
            if not name.endswith("%")
        },
    }
    log(
        f"  {label:8s} {rate:6.0f}/s offered → {step['accepted_per_s']:7.1f}/s accepted, "
        f"e2e p50 {latency['p50_ms']} p95 {latency['p95_ms']} p99 {latency['p99_ms']} ms, "
        f"errors {sum(errors.values())}, unhandled {len(pending)}, cpu {cpu} → "
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


# --- Baseline --------------------------------------------------------------------------------------


async def baseline_run(
    stack: Stack, workload: Workload, seconds: float, concurrency: int, connections: int
) -> dict[str, Any]:
    requests = [request for _, request in workload.schedule(1000, 2.0)]
    pool = Pool(stack.ports["baseline"], connections)
    groups = {"baseline": stack.pid("baseline")}
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
    }
    log(
        f"  baseline {workload.mode:8s} {result['per_s']:7.1f} submissions/s "
        f"({result['requests_per_s']} requests/s), p99 {result['http']['p99_ms']} ms, errors {errors}"
    )
    return result


# --- Reporting ------------------------------------------------------------------------------------


def machine(stack: Stack) -> dict[str, Any]:
    memory_kb = 0
    cpu_model = ""
    with open("/proc/meminfo") as file:
        for line in file:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    with open("/proc/cpuinfo") as file:
        for line in file:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    database: dict[str, Any] = {"kind": stack.database_kind}
    if stack.postgres:
        try:
            version = subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"],
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
            database["version"] = version
        except (OSError, subprocess.TimeoutExpired):
            pass
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "cpu_model": cpu_model,
        "python": platform.python_version(),
        "database": stack.database_kind,
        "database_detail": database,
        "os": platform.platform(),
    }


def git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.rjust(widths[i]) if i else cell.ljust(widths[i]) for i, cell in enumerate(row)))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def summary(result: dict[str, Any]) -> str:
    rows = [["series", "offered/s", "accepted/s", "p50 ms", "p95 ms", "p99 ms", "errors", "unhandled", "sustained"]]
    for series in ("kolektif", "single", "laporan"):
        for step in result["series"].get(series, []):
            rows.append(
                [
                    series,
                    f"{step['offered_per_s']:.0f}",
                    f"{step['accepted_per_s']:.0f}",
                    str(step["e2e"]["p50_ms"]),
                    str(step["e2e"]["p95_ms"]),
                    str(step["e2e"]["p99_ms"]),
                    str(sum(step["errors"].values())),
                    str(step["not_handled_after_drain"]),
                    "yes" if step["sustained"] else "NO",
                ]
            )
    head = [
        ["figure", "value", "target", "met"],
        ["end_to_end_per_s", str(result["end_to_end_per_s"]), f">= {TARGET_PER_S:.0f}", result["targets"]["rate"]],
        ["baseline_per_s", str(result["baseline_per_s"]), "", ""],
        [
            "ratio to baseline",
            str(result["ratio_to_baseline"]),
            ">= 0.5",
            result["targets"]["ratio"],
        ],
        ["p50_ms", str(result["p50_ms"]), "", ""],
        ["p95_ms", str(result["p95_ms"]), "", ""],
        ["p99_ms", str(result["p99_ms"]), f"< {P99_TARGET_MS:.0f}", result["targets"]["p99"]],
        ["lost", str(result["lost"]), "0", "yes" if result["lost"] == 0 else "NO"],
        ["duplicated", str(result["duplicated"]), "0", "yes" if result["duplicated"] == 0 else "NO"],
        ["single: end_to_end_per_s", str(result["single"]["end_to_end_per_s"]), "", ""],
        ["single: baseline_per_s", str(result["single"]["baseline_per_s"]), "", ""],
        ["laporan only: end_to_end_per_s", str(result["laporan"]["end_to_end_per_s"]), "", ""],
    ]
    m = result["machine"]
    shared = [
        f"{series} {step['offered_per_s']:.0f}/s ({step['cpu_seconds'].get('other %', 0):.0f}%)"
        for series, steps in result["series"].items()
        for step in steps
        if step["cpu_seconds"].get("other %", 0) > 15
    ]
    warning = (
        "\nWARNING: other processes used the machine during: " + ", ".join(shared) + " — rerun on a quiet machine.\n"
        if shared
        else ""
    )
    return (
        f"\nAwasi bench — {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}, {m['database']}; "
        f"Form A in batches of {result['settings']['batch']}, {result['settings']['laporan_share']:.0%} laporan\n\n"
        + table(head)
        + "\n\n"
        + table(rows)
        + "\n"
        + warning
    )


# --- Main -------------------------------------------------------------------------------------------


def wait_for_quiet_machine(limit_percent: float = 25.0, patience: float = 90.0) -> float:
    """Wait (a while) until the machine is not busy with something else; returns how busy
    it was when the bench started, in percent of one core."""
    deadline = time.monotonic() + patience
    while True:
        busy0, total0 = machine_busy()
        time.sleep(2.0)
        busy1, total1 = machine_busy()
        busy = 100 * (os.cpu_count() or 1) * (busy1 - busy0) / max(total1 - total0, 1e-9)
        if busy <= limit_percent or time.monotonic() > deadline:
            return round(busy, 1)
        log(f"the machine is busy with other work ({busy:.0f}% of a core); waiting for it to quieten")


def parse_rates(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


async def run(args: argparse.Namespace, stack: Stack) -> dict[str, Any]:
    kolektif = Workload.build(mode="kolektif", batch=args.batch, laporan_share=args.laporan_share)
    single = Workload.build(mode="single", batch=args.batch, laporan_share=args.laporan_share, desa=60)
    log(f"workload ready: {len(kolektif.kolektif)} desa × {args.batch} TPS")

    log("starting the embedded broker, reporting and notification")
    stack.start_broker()
    stack.start_services()
    tables = Tables(stack.database_url("reporting"), stack.database_url("notification"))
    series: dict[str, list[dict[str, Any]]] = {}
    try:
        log("warming up")
        await e2e_series(stack, tables, kolektif, [200], 4, 30, args.connections, "warm-up")
        log("series kolektif")
        series["kolektif"] = await e2e_series(
            stack,
            tables,
            kolektif,
            parse_rates(args.rates),
            args.step_seconds,
            args.drain_seconds,
            args.connections,
            "kolektif",
        )
        storage = await tables.storage()
        if args.single_rates:
            log("series single")
            series["single"] = await e2e_series(
                stack,
                tables,
                single,
                parse_rates(args.single_rates),
                args.single_step_seconds,
                args.drain_seconds,
                args.connections,
                "single",
            )
        if args.laporan_rates:
            log("series laporan (citizens' reports only, one per request)")
            laporan_only = Workload.build(mode="single", batch=args.batch, laporan_share=1.0, desa=60)
            series["laporan"] = await e2e_series(
                stack,
                tables,
                laporan_only,
                parse_rates(args.laporan_rates),
                args.single_step_seconds,
                args.drain_seconds,
                args.connections,
                "laporan",
            )
        log("final drain: every event handled?")
        deadline = time.monotonic() + args.final_drain_seconds
        while True:
            await tables.read_outbox()
            await tables.read_inboxes()
            missing = tables.unhandled()
            if not any(missing.values()) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        duplicates = await tables.duplicates()
        submitted_without_event = 0
        for steps in series.values():
            for step in steps:
                submitted_without_event += step["not_handled_after_drain"]
    finally:
        await tables.close()
        stack.stop("reporting")
        stack.stop("notification")

    log("baseline")
    stack.start_baseline()
    try:
        baseline = {
            "kolektif": await baseline_run(stack, kolektif, args.baseline_seconds, 32, 64),
            "single": await baseline_run(stack, single, args.baseline_seconds, 32, 64),
        }
    finally:
        stack.stop("baseline")

    top = best(series["kolektif"])
    top_single = best(series.get("single", []))
    top_laporan = best(series.get("laporan", []))
    lost = sum(missing.values())
    duplicated = sum(duplicates.values())
    end_to_end = top["accepted_per_s"] if top else 0.0
    baseline_per_s = baseline["kolektif"]["per_s"]
    ratio = round(end_to_end / baseline_per_s, 2) if baseline_per_s else None
    latency = top["e2e"] if top else {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    return {
        "end_to_end_per_s": end_to_end,
        "baseline_per_s": baseline_per_s,
        "ratio_to_baseline": ratio,
        "p50_ms": latency["p50_ms"],
        "p95_ms": latency["p95_ms"],
        "p99_ms": latency["p99_ms"],
        "lost": lost,
        "duplicated": duplicated,
        "lost_detail": {**missing, "accepted_but_unhandled_after_step_drains": submitted_without_event},
        "duplicated_detail": duplicates,
        "targets": {
            "rate": "yes" if end_to_end >= TARGET_PER_S else "NO",
            "ratio": "yes" if ratio is not None and ratio >= 0.5 else "NO",
            "p99": "yes" if latency["p99_ms"] is not None and latency["p99_ms"] < P99_TARGET_MS else "NO",
        },
        "single": {
            "end_to_end_per_s": top_single["accepted_per_s"] if top_single else None,
            "p99_ms": top_single["e2e"]["p99_ms"] if top_single else None,
            "baseline_per_s": baseline["single"]["per_s"],
        },
        "laporan": {
            "end_to_end_per_s": top_laporan["accepted_per_s"] if top_laporan else None,
            "p99_ms": top_laporan["e2e"]["p99_ms"] if top_laporan else None,
        },
        "best_step": top,
        "series": series,
        "baseline": baseline,
        "storage": storage,
        "machine": machine(stack),
        "settings": {
            "batch": args.batch,
            "laporan_share": args.laporan_share,
            "processes": (f"uvicorn processes: reporting {stack.workers}, baseline {stack.workers}, notification 1"),
            "topic_partitions": stack.partitions,
            "step_seconds": args.step_seconds,
            "rates": parse_rates(args.rates),
            "single_rates": parse_rates(args.single_rates) if args.single_rates else [],
            "laporan_rates": parse_rates(args.laporan_rates) if args.laporan_rates else [],
            "connections": args.connections,
            "env": {k: v for k, v in stack.extra_env.items()},
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="200,400,600,800,1000,1200,1400,1600,2000")
    parser.add_argument("--step-seconds", type=float, default=15)
    parser.add_argument("--single-rates", default="50,100,150,200,250,300,400")
    parser.add_argument("--laporan-rates", default="25,50,75,100,150")
    parser.add_argument("--single-step-seconds", type=float, default=10)
    parser.add_argument("--drain-seconds", type=float, default=20)
    parser.add_argument("--final-drain-seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=12)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--laporan-share", type=float, default=0.01)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="uvicorn processes for reporting and, alike, for the baseline (default: one per core)",
    )
    parser.add_argument("--sqlite", action="store_true", help="SQLite even when PostgreSQL answers")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs) and databases")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the services (repeatable)")
    args = parser.parse_args(argv)

    postgres = postgres_answers() and not args.sqlite
    workdir = Path(tempfile.mkdtemp(prefix="awasi-bench-"))
    extra_env = dict(item.split("=", 1) for item in args.env)
    stack = Stack(
        workdir,
        postgres=postgres,
        partitions=args.partitions,
        extra_env=extra_env,
        workers=args.workers,
    )
    log(f"database: {stack.database_kind}; work directory {workdir}")
    busy_at_start = wait_for_quiet_machine()
    started = time.time()
    try:
        result = asyncio.run(run(args, stack))
    except BaseException:
        for name in ("reporting", "notification", "baseline"):
            tail = stack.log_tail(name, 15)
            if tail:
                print(f"--- {name} log ---\n{tail}", file=sys.stderr)
        raise
    finally:
        stack.stop_all()
        if not args.keep:
            stack.drop_databases()
            shutil.rmtree(workdir, ignore_errors=True)
    result["machine_busy_at_start_percent"] = busy_at_start
    result["other_cpu_max_percent"] = max(
        (step["cpu_seconds"].get("other %", 0.0) for steps in result["series"].values() for step in steps),
        default=0.0,
    )
    result["started_at"] = dt.datetime.fromtimestamp(started, dt.UTC).isoformat(timespec="seconds")
    result["duration_s"] = round(time.time() - started, 1)
    result["git_commit"] = git_commit()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    from bench.plot import plot

    image = plot(result, args.output.with_suffix(".png"))
    print(summary(result))
    log(f"wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output} and {image.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
