"""What the bench writes beside its figures (the machine, the commit) and the summary it prints:
every figure with its target beside it."""

from __future__ import annotations

import os
import platform
import subprocess
from typing import Any

from bench.stack import ROOT, Stack

TARGETS = {
    "end_to_end_per_s": (">=", 1400.0),
    "single_form_a_per_s": (">=", 1000.0),
    "single_laporan_per_s": (">=", 500.0),
    "single_p99_ms": ("<", 500.0),
    "cpu_ms_per_single_form_a": ("<=", 2.0),
    "ratio_to_crud_baseline": (">=", 0.5),
    "ratio_to_baseline": (">=", 0.5),
    "p99_ms": ("<", 500.0),
    "lost": ("==", 0),
    "duplicated": ("==", 0),
    "healthz_cpu_ms": ("<", 0.2),
}
"""Issue 17's targets (collective submissions: keep today's 1,400/s)."""


def met(name: str, value: Any) -> str:
    if name not in TARGETS:
        return ""
    if value is None:
        return "NO"
    op, target = TARGETS[name]
    ok = {
        ">=": value >= target,
        "<=": value <= target,
        "<": value < target,
        "==": value == target,
    }[op]
    return "yes" if ok else "NO"


def target_text(name: str) -> str:
    if name not in TARGETS:
        return ""
    op, target = TARGETS[name]
    return f"{'=' if op == '==' else op} {target:g}"


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


def _figure(result: dict[str, Any], name: str, label: str | None = None) -> list[str]:
    value = result.get(name)
    shown = value
    if name == "cpu_ms_per_single_form_a":
        value = (value or {}).get("total")
        shown = value
    return [label or name, str(shown), target_text(name), met(name, value)]


def summary(result: dict[str, Any]) -> str:
    rows = [["series", "offered/s", "accepted/s", "p50 ms", "p95 ms", "p99 ms", "cpu ms", "errors", "unhandled", "ok"]]
    for series in ("kolektif", "single", "laporan", "soak"):
        for step in result["series"].get(series, []):
            rows.append(
                [
                    series,
                    f"{step['offered_per_s']:.0f}",
                    f"{step['accepted_per_s']:.0f}",
                    str(step["e2e"]["p50_ms"]),
                    str(step["e2e"]["p95_ms"]),
                    str(step["e2e"]["p99_ms"]),
                    str(step["cpu_ms_per_submission"].get("total", "")),
                    str(sum(step["errors"].values())),
                    str(step["not_handled_after_drain"]),
                    "yes" if step["sustained"] else "NO",
                ]
            )
    head = [
        ["figure", "value", "target", "met"],
        _figure(result, "single_form_a_per_s", "single Form A/s (one per request)"),
        _figure(result, "single_laporan_per_s", "single laporan/s (one per request)"),
        _figure(result, "single_p99_ms", "single Form A: e2e p99 ms"),
        _figure(result, "cpu_ms_per_single_form_a", "CPU ms per single Form A (all processes)"),
        _figure(result, "crud_baseline_per_s", "CRUD baseline Form A/s"),
        _figure(result, "ratio_to_crud_baseline", "ratio single Form A / CRUD baseline"),
        _figure(result, "end_to_end_per_s", "kolektif Form A/s (batches of 10)"),
        _figure(result, "p99_ms", "kolektif: e2e p99 ms"),
        _figure(result, "baseline_per_s", "raw one-row baseline (kolektif requests)"),
        _figure(result, "ratio_to_baseline", "ratio kolektif / raw baseline"),
        _figure(result, "lost"),
        _figure(result, "duplicated"),
        _figure(result, "healthz_cpu_ms", "GET /healthz CPU ms"),
    ]
    per = result.get("cpu_ms_per_single_form_a") or {}
    cpu_line = ", ".join(f"{name} {value}" for name, value in per.items())
    m = result["machine"]
    shared = [
        f"{series} {step['offered_per_s']:.0f}/s ({step['cpu_seconds'].get('other %', 0):.0f}%)"
        for series, steps in result["series"].items()
        for step in steps
        if step["cpu_seconds"].get("other %", 0) > 15
    ]
    warning = (
        "\nWARNING: other processes used the machine during: "
        + ", ".join(shared)
        + " — throughput figures are low; CPU ms per request still holds. Rerun on a quiet machine.\n"
        if shared
        else ""
    )
    return (
        f"\nAwasi bench{' (short)' if result['settings'].get('short') else ''} — {m['cores']} cores, "
        f"{m['memory_gb']} GB, Python {m['python']}, {m['database']}; "
        f"Form A in batches of {result['settings']['batch']}, {result['settings']['laporan_share']:.0%} laporan\n\n"
        + table(head)
        + (f"\n\nCPU ms per single Form A by process: {cpu_line}" if cpu_line else "")
        + "\n\n"
        + table(rows)
        + "\n"
        + warning
    )
