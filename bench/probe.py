"""``python -m bench.probe``: one path at one steady rate, for measuring a change before and after.

Starts the broker, reporting and notification as ``make bench`` does, warms up, then drives
``--path`` (``form_a``: one Form A per request; ``laporan``: one laporan per request;
``kolektif``: collective submissions; ``healthz``) at ``--rate`` requests a second for
``--seconds``, open loop, waits until both consumers handled everything, and prints CPU ms per
request for each process (robust on a busy machine: CPU seconds over requests), spans written
per request, the end-to-end p99 and, with ``--spy``, a py-spy profile of reporting (a py-spy
binary on PATH or in ``$PY_SPY``)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from bench.http_client import Pool
from bench.load import drive
from bench.measure import Latencies, Tables, cpu_delta, cpu_seconds
from bench.stack import Stack, postgres_answers
from bench.steps import e2e_step
from bench.workload import Request, Workload


def _trace_lines(workdir: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for path in (workdir / "traces").glob("*.jsonl"):
        with path.open("rb") as file:
            found[path.stem] = sum(1 for _ in file)
    return found


def _span_names(workdir: Path, skip: dict[str, int]) -> Counter[str]:
    names: Counter[str] = Counter()
    for path in (workdir / "traces").glob("*.jsonl"):
        with path.open() as file:
            for index, line in enumerate(file):
                if index >= skip.get(path.stem, 0):
                    names[f"{path.stem}: {json.loads(line)['name']}"] += 1
    return names


async def _healthz(stack: Stack, rate: float, seconds: float) -> dict[str, Any]:
    pool = Pool(stack.ports["reporting"], 16)
    request = Request("healthz", "/healthz", b"", b"", 1)
    plan = [(i / rate, request) for i in range(int(rate * seconds))]
    groups = {"reporting": stack.pid("reporting")}
    before = cpu_seconds(groups)
    try:
        sent = await drive(pool, plan, method="GET")
    finally:
        pool.close()
    cpu = cpu_delta(before, cpu_seconds(groups))
    http = Latencies()
    http.add(item.done - item.scheduled for item in sent)
    return {
        "requests": len(sent),
        "errors": sum(1 for item in sent if item.status != 200),
        "cpu_ms_per_request": round(cpu["reporting"] * 1000 / max(1, len(sent)), 3),
        "http": http.summary(),
    }


async def probe(args: argparse.Namespace, stack: Stack) -> dict[str, Any]:
    stack.start_broker()
    stack.start_services()
    if args.path == "healthz":
        await _healthz(stack, args.rate, 3)
        return await _healthz(stack, args.rate, args.seconds)
    share = 1.0 if args.path == "laporan" else 0.0
    mode = "kolektif" if args.path == "kolektif" else "single"
    workload = Workload.build(mode=mode, batch=args.batch, laporan_share=share, desa=60)
    tables = Tables(stack.database_url("reporting"), stack.database_url("notification"))
    pool = Pool(stack.ports["reporting"], 64)
    try:
        await e2e_step(stack, tables, pool, workload, args.rate, 4, 30, "warm-up")
        await asyncio.sleep(1)
        lines = _trace_lines(stack.workdir)
        spy = None
        if args.spy:
            binary = os.environ.get("PY_SPY") or shutil.which("py-spy") or "py-spy"
            spy = subprocess.Popen(  # noqa: ASYNC220 (started once, before the step)
                [
                    binary,
                    "record",
                    "--pid",
                    str(stack.pid("reporting")),
                    "--subprocesses",
                    "--rate",
                    "200",
                    "--duration",
                    str(int(args.seconds)),
                    "--format",
                    "raw",
                    "--output",
                    str(args.spy),
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
        step = await e2e_step(stack, tables, pool, workload, args.rate, args.seconds, 30, args.path)
        if spy is not None:
            await asyncio.to_thread(spy.wait, 60)
        await asyncio.sleep(1.0)  # the span processors' half-second export
        spans = _span_names(stack.workdir, lines)
    finally:
        pool.close()
        await tables.close()
    requests = step["requests"]
    total = sum(v for k, v in step["cpu_seconds"].items() if k in ("reporting", "notification", "broker", "postgresql"))
    return {
        "path": args.path,
        "rate": args.rate,
        "requests": requests,
        "sustained": step["sustained"],
        "errors": step["errors"],
        "e2e": step["e2e"],
        "http": step["http"],
        "cpu_ms_per_request": {
            **{
                name: round(seconds * 1000 / max(1, requests), 2)
                for name, seconds in step["cpu_seconds"].items()
                if not name.endswith("%")
            },
            "total": round(total * 1000 / max(1, requests), 2),
        },
        "other %": step["cpu_seconds"].get("other %"),
        "spans_per_request": round(sum(spans.values()) / max(1, requests), 2),
        "spans": dict(spans.most_common(20)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", choices=["form_a", "laporan", "kolektif", "healthz"], default="form_a")
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument("--spy", type=Path, default=None, help="write a py-spy raw profile of reporting here")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the services (repeatable)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="awasi-probe-"))
    stack = Stack(
        workdir,
        postgres=postgres_answers(),
        partitions=args.partitions,
        workers=args.workers,
        extra_env=dict(item.split("=", 1) for item in args.env),
    )
    try:
        result = asyncio.run(probe(args, stack))
    except BaseException:
        for name in ("reporting", "notification"):
            print(f"--- {name} ---\n{stack.log_tail(name, 20)}", file=sys.stderr)
        raise
    finally:
        stack.stop_all()
        stack.drop_databases()
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
