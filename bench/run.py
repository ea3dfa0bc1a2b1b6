"""``make bench``: submissions at rising rates through reporting and notification, end to end,
against two baselines.

1. Start the embedded broker, then reporting and notification as their own processes
   (PostgreSQL at 127.0.0.1:5432 when it answers, SQLite otherwise).
2. Drive Form A and laporan over HTTP at rising rates, open loop (each request leaves at its
   scheduled time whether or not earlier ones were answered; latency counts from that time).
   Series ``kolektif``: Form A in collective submissions of ``--batch`` (a Panwaslu
   Kelurahan/Desa passing on its TPS' forms), 1% laporan one per request. Series ``single``:
   every Form A its own request (a TPS supervisor's phone), 1% laporan. Series ``laporan``:
   citizens' reports only, one per request.
3. End-to-end latency of a submission: from its scheduled send to the moment reporting's
   figures projection (group ``awasi.reporting.angka``) and notification (``awasi.notification``)
   have both handled its event (their inbox rows), mapped through reporting's outbox
   (key = aggregate id from the response).
4. A step is sustained when every request was accepted, every accepted submission was handled
   by both consumers, and the end-to-end p99 stayed under 500 ms; each series stops at its
   first step that is not. ``end_to_end_per_s`` is the highest sustained rate of ``kolektif``,
   ``single_form_a_per_s`` of ``single``, ``single_laporan_per_s`` of ``laporan``.
5. Stop the services; run two baselines on the same database kind at saturation (closed loop):
   the raw one (``bench.baseline_app``: one row per submission, nothing else) and the CRUD one
   (``bench.crud_app``: reporting's validation, the token check, one row per Form A, no events).

Writes bench/results/latest.json and bench/results/latest.png and prints a summary with every
target beside its figure. ``BENCH_SHORT=1`` runs a few short steps only (a quick check, about
three minutes); ``make bench`` is the full run. Everything runs on 127.0.0.1 and stops by
itself (bounded steps, bounded drains).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.http_client import Pool
from bench.load import drive, log
from bench.measure import Tables, cpu_delta, cpu_seconds, machine_busy
from bench.report import git_commit, machine, met, summary
from bench.stack import ROOT, Stack, postgres_answers
from bench.steps import P99_TARGET_MS, baseline_run, best, e2e_series, e2e_step
from bench.workload import Request, Workload

RESULTS = ROOT / "bench" / "results"
TARGET_PER_S = 1000.0
SHORT = os.environ.get("BENCH_SHORT", "").strip() not in ("", "0", "false", "no")


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


SETTLED_CORE_SHARE = 0.05
"""Reporting is quiet when it uses less than this share of a core: its consumers' and relay's
idle loops, nothing left of the step before."""


async def settled_cpu_per_s(
    groups: dict[str, int], name: str, limit_s: float = 30, window_s: float = 1, rest_s: float = 3
) -> tuple[float, bool]:
    """Wait until ``name`` has worked off what the step before left it (the last laporan step ends
    saturated, and its backlog is still being relayed and consumed when the step's drain is over),
    at most ``limit_s``; then its CPU seconds per second at rest, over ``rest_s`` of its own, and
    whether it did settle."""
    deadline = time.monotonic() + limit_s
    settled = False
    while not settled and time.monotonic() < deadline:
        before = cpu_seconds(groups)
        await asyncio.sleep(window_s)
        settled = cpu_delta(before, cpu_seconds(groups))[name] / window_s < SETTLED_CORE_SHARE
    before = cpu_seconds(groups)
    await asyncio.sleep(rest_s)
    return cpu_delta(before, cpu_seconds(groups))[name] / rest_s, settled


async def healthz_cpu(stack: Stack, rate: float = 500, seconds: float = 4) -> dict[str, Any]:
    """CPU ms of reporting per GET /healthz (open loop at ``rate``), once reporting is at rest.

    The figure is the process's whole CPU over the requests, its idle loops included (a
    consumer's empty fetch every 250 ms, the relay's timer); what those cost at rest is
    reported beside it (``idle_cpu_ms_per_s``), not subtracted."""
    pool = Pool(stack.ports["reporting"], 16)
    request = Request("healthz", "/healthz", b"", b"", 1)
    plan = [(i / rate, request) for i in range(int(rate * seconds))]
    groups = {"reporting": stack.pid("reporting")}
    try:
        await drive(pool, plan[: int(rate)], method="GET")  # warm up
        idle, settled = await settled_cpu_per_s(groups, "reporting")
        before = cpu_seconds(groups)
        sent = await drive(pool, plan, method="GET")
    finally:
        pool.close()
    cpu = cpu_delta(before, cpu_seconds(groups))
    errors = sum(1 for item in sent if item.status != 200)
    found = {
        "requests": len(sent),
        "errors": errors,
        "cpu_ms_per_request": round(cpu["reporting"] * 1000 / max(1, len(sent)), 3),
        "idle_cpu_ms_per_s": round(idle * 1000),
        "settled": settled,
    }
    log(
        f"  GET /healthz: {found['cpu_ms_per_request']} ms of reporting's CPU per request, errors {errors}"
        f" ({'at rest' if settled else 'NOT at rest after 30 s'} before: {found['idle_cpu_ms_per_s']} ms of CPU"
        " per second)"
    )
    return found


async def run(args: argparse.Namespace, stack: Stack) -> dict[str, Any]:
    kolektif = Workload.build(mode="kolektif", batch=args.batch, laporan_share=args.laporan_share)
    single = Workload.build(mode="single", batch=args.batch, laporan_share=args.laporan_share, desa=120)
    laporan_only = Workload.build(mode="single", batch=args.batch, laporan_share=1.0, desa=120)
    log(f"workload ready: {len(kolektif.kolektif)} desa × {args.batch} TPS")

    log("starting the embedded broker, reporting and notification")
    stack.start_broker()
    stack.start_services()
    tables = Tables(stack.database_url("reporting"), stack.database_url("notification"))
    series: dict[str, list[dict[str, Any]]] = {}

    async def one(name: str, workload: Workload, rates: str, seconds: float) -> None:
        if rates:
            series[name] = await e2e_series(
                stack, tables, workload, parse_rates(rates), seconds, args.drain_seconds, args.connections, name
            )

    try:
        log("warming up")
        await e2e_series(stack, tables, kolektif, [200], 4, 30, args.connections, "warm-up")
        await e2e_series(stack, tables, single, [100], 3, 30, args.connections, "warm-up")
        log("series kolektif")
        await one("kolektif", kolektif, args.rates, args.step_seconds)
        storage = await tables.storage()
        log("series single (one Form A per request)")
        await one("single", single, args.single_rates, args.single_step_seconds)
        log("series laporan (citizens' reports only, one per request)")
        await one("laporan", laporan_only, args.laporan_rates, args.single_step_seconds)
        healthz = await healthz_cpu(stack)
        if args.soak_seconds > 0:
            top_rate = (best(series.get("single", [])) or {"offered_per_s": 0})["offered_per_s"]
            rate = args.soak_rate or max(50.0, 0.7 * top_rate)
            log(f"soak: one Form A per request at {rate:.0f}/s for {args.soak_seconds:.0f} s, in 60-s steps")
            pool = Pool(stack.ports["reporting"], args.connections)
            try:
                soak = []
                for _ in range(max(1, int(args.soak_seconds // 60))):
                    soak.append(await e2e_step(stack, tables, pool, single, rate, 60, args.drain_seconds, "soak"))
            finally:
                pool.close()
            series["soak"] = soak
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
        submitted_without_event = sum(step["not_handled_after_drain"] for steps in series.values() for step in steps)
    finally:
        await tables.close()
        stack.stop("reporting")
        stack.stop("notification")

    log("baselines")
    stack.start_baseline("baseline")
    try:
        baseline = {
            "kolektif": await baseline_run(stack, kolektif, args.baseline_seconds, 32, 64),
            "single": await baseline_run(stack, single, args.baseline_seconds, 32, 64),
        }
    finally:
        stack.stop("baseline")
    stack.start_baseline("crud")
    try:
        single_form_a = Workload.build(mode="single", batch=args.batch, laporan_share=0.0, desa=120)
        crud = {
            "form_a": await baseline_run(stack, single_form_a, args.baseline_seconds, 32, 64, "crud", "crud Form A"),
            "laporan": await baseline_run(stack, laporan_only, args.baseline_seconds, 32, 64, "crud", "crud laporan"),
        }
    finally:
        stack.stop("crud")

    top = best(series.get("kolektif", []))
    top_single = best(series.get("single", []))
    top_laporan = best(series.get("laporan", []))
    lost = sum(missing.values())
    duplicated = sum(duplicates.values())
    end_to_end = top["accepted_per_s"] if top else 0.0
    baseline_per_s = baseline["kolektif"]["per_s"]
    ratio = round(end_to_end / baseline_per_s, 2) if baseline_per_s else None
    latency = top["e2e"] if top else {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    single_per_s = top_single["accepted_per_s"] if top_single else 0.0
    crud_per_s = crud["form_a"]["per_s"]
    # CPU per single Form A at the highest sustained rate (the first step when none was).
    cpu_step = top_single or next(iter(series.get("single", [])), None)
    result: dict[str, Any] = {
        "end_to_end_per_s": end_to_end,
        "baseline_per_s": baseline_per_s,
        "ratio_to_baseline": ratio,
        "p50_ms": latency["p50_ms"],
        "p95_ms": latency["p95_ms"],
        "p99_ms": latency["p99_ms"],
        "lost": lost,
        "duplicated": duplicated,
        "single_form_a_per_s": single_per_s,
        "single_laporan_per_s": top_laporan["accepted_per_s"] if top_laporan else 0.0,
        "single_p99_ms": top_single["e2e"]["p99_ms"] if top_single else None,
        "cpu_ms_per_single_form_a": dict(cpu_step["cpu_ms_per_submission"]) if cpu_step else None,
        "crud_baseline_per_s": crud_per_s,
        "ratio_to_crud_baseline": round(single_per_s / crud_per_s, 2) if crud_per_s else None,
        "ratio_single_to_baseline": (
            round(single_per_s / baseline["single"]["per_s"], 2) if baseline["single"]["per_s"] else None
        ),
        "healthz_cpu_ms": healthz["cpu_ms_per_request"],
        "lost_detail": {**missing, "accepted_but_unhandled_after_step_drains": submitted_without_event},
        "duplicated_detail": duplicates,
        "single": {
            "end_to_end_per_s": top_single["accepted_per_s"] if top_single else None,
            "p99_ms": top_single["e2e"]["p99_ms"] if top_single else None,
            "baseline_per_s": baseline["single"]["per_s"],
            "cpu_ms_at_rate": cpu_step["offered_per_s"] if cpu_step else None,
        },
        "laporan": {
            "end_to_end_per_s": top_laporan["accepted_per_s"] if top_laporan else None,
            "p99_ms": top_laporan["e2e"]["p99_ms"] if top_laporan else None,
            "crud_baseline_per_s": crud["laporan"]["per_s"],
        },
        "best_step": top,
        "series": series,
        "baseline": baseline,
        "crud_baseline": crud,
        "healthz": healthz,
        "storage": storage,
        "machine": machine(stack),
        "settings": {
            "short": SHORT,
            "batch": args.batch,
            "laporan_share": args.laporan_share,
            "processes": (
                f"uvicorn processes: reporting {stack.workers}, baselines {stack.workers} each, notification 1"
            ),
            "topic_partitions": stack.partitions,
            "step_seconds": args.step_seconds,
            "single_step_seconds": args.single_step_seconds,
            "rates": parse_rates(args.rates),
            "single_rates": parse_rates(args.single_rates) if args.single_rates else [],
            "laporan_rates": parse_rates(args.laporan_rates) if args.laporan_rates else [],
            "connections": args.connections,
            "env": {k: v for k, v in stack.env().items() if k.startswith("AWASI_TRACE") or k in stack.extra_env},
        },
    }
    result["targets"] = {
        "rate": "yes" if end_to_end >= TARGET_PER_S else "NO",
        "ratio": met("ratio_to_baseline", ratio),
        "p99": "yes" if latency["p99_ms"] is not None and latency["p99_ms"] < P99_TARGET_MS else "NO",
        **{
            name: met(name, result[name] if name != "cpu_ms_per_single_form_a" else (result[name] or {}).get("total"))
            for name in (
                "end_to_end_per_s",
                "single_form_a_per_s",
                "single_laporan_per_s",
                "single_p99_ms",
                "cpu_ms_per_single_form_a",
                "ratio_to_crud_baseline",
                "lost",
                "duplicated",
                "healthz_cpu_ms",
            )
        },
    }
    return result


def parser() -> argparse.ArgumentParser:
    short = SHORT
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rates", default="400,1400" if short else "200,400,600,800,1000,1200,1400,1600,2000")
    p.add_argument("--step-seconds", type=float, default=5 if short else 15)
    p.add_argument("--single-rates", default="200,400,600" if short else "100,200,300,400,500,600,700,800,1000,1200")
    p.add_argument("--laporan-rates", default="100,300" if short else "50,100,200,300,400,500,600,800")
    p.add_argument("--single-step-seconds", type=float, default=5 if short else 10)
    p.add_argument("--drain-seconds", type=float, default=10 if short else 20)
    p.add_argument("--final-drain-seconds", type=float, default=30 if short else 60)
    p.add_argument("--baseline-seconds", type=float, default=4 if short else 12)
    p.add_argument(
        "--soak-seconds",
        type=float,
        default=0,
        help="then one Form A per request for this long (600: the 10-minute hold), in 60-s steps",
    )
    p.add_argument("--soak-rate", type=float, default=0, help="its rate (default 70%% of the best single step)")
    p.add_argument("--batch", type=int, default=10)
    p.add_argument("--laporan-share", type=float, default=0.01)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--partitions", type=int, default=3)
    p.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="uvicorn processes for reporting and, alike, for the baselines (default: one per core)",
    )
    p.add_argument("--sqlite", action="store_true", help="SQLite even when PostgreSQL answers")
    p.add_argument("--keep", action="store_true", help="keep the work directory (logs) and databases")
    p.add_argument("--output", type=Path, default=RESULTS / ("short.json" if short else "latest.json"))
    p.add_argument("--env", action="append", default=[], help="NAME=VALUE for the services (repeatable)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    postgres = postgres_answers() and not args.sqlite
    workdir = Path(tempfile.mkdtemp(prefix="awasi-bench-"))
    extra_env = dict(item.split("=", 1) for item in args.env)
    stack = Stack(workdir, postgres=postgres, partitions=args.partitions, extra_env=extra_env, workers=args.workers)
    log(f"database: {stack.database_kind}; work directory {workdir}{'; short mode' if SHORT else ''}")
    busy_at_start = wait_for_quiet_machine(patience=10 if SHORT else 90)
    started = time.time()
    try:
        result = asyncio.run(run(args, stack))
    except BaseException:
        for name in ("reporting", "notification", "baseline", "crud"):
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
    from bench.plot import plot, plot_soak

    image = plot(result, args.output.with_suffix(".png"))
    soak_image = plot_soak(result, args.output.with_name(f"{args.output.stem}-soak.png"))
    print(summary(result))
    images = image.name + (f" and {soak_image.name}" if soak_image else "")
    log(f"wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output} and {images}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
