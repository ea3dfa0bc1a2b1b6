"""The bench's pictures: end-to-end latency and accepted rate against the offered rate; the
10-minute hold minute by minute."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

SOAK = "soak"
"""The series of the 10-minute hold (`--soak-seconds`): one rate, a step a minute."""
PROCESSES = ["reporting", "notification", "postgresql", "broker", "load generator"]


def plot(result: dict[str, Any], path: Path) -> Path:
    figure, (latency, rate, cpu) = plt.subplots(1, 3, figsize=(18, 5.5))
    colours = {"kolektif": "tab:blue", "single": "tab:orange", "laporan": "tab:green"}
    for series, steps in result["series"].items():
        if not steps or series == SOAK:
            continue
        offered = [s["offered_per_s"] for s in steps]
        colour = colours.get(series, "tab:gray")
        for key, style in (("p50_ms", ":"), ("p95_ms", "--"), ("p99_ms", "-")):
            values = [s["e2e"][key] if s["e2e"][key] is not None else float("nan") for s in steps]
            latency.plot(offered, values, style, marker="o", color=colour, label=f"{series} {key[:3]}")
        accepted = [s["accepted_per_s"] for s in steps]
        rate.plot(offered, accepted, "-", color=colour, label=f"{series}: accepted (● sustained, ✕ not)")
        for s in steps:
            marker = "o" if s["sustained"] else "x"
            rate.plot([s["offered_per_s"]], [s["accepted_per_s"]], marker=marker, color=colour, markersize=8)
    latency.axhline(500, color="red", linewidth=0.8, label="p99 target 500 ms")
    latency.set_yscale("log")
    latency.set_xlabel("offered submissions/s")
    latency.set_ylabel("submit → projection and notification handled (ms)")
    latency.set_title("End-to-end latency")
    latency.legend(fontsize=7)
    latency.grid(True, which="both", alpha=0.3)

    top = max(
        (s["offered_per_s"] for name, steps in result["series"].items() if name != SOAK for s in steps), default=1000
    )
    rate.plot([0, top], [0, top], color="gray", linewidth=0.6, label="accepted = offered")
    for series, colour in colours.items():
        base = result["baseline"].get(series, {}).get("per_s")
        if base:
            rate.axhline(base, color=colour, linestyle="-.", linewidth=0.9, label=f"baseline {series} (saturation)")
    crud = result.get("crud_baseline_per_s")
    if crud:
        rate.axhline(crud, color="tab:orange", linestyle=":", linewidth=1.2, label="CRUD baseline, single Form A")
    rate.axhline(1000, color="red", linewidth=0.8, label="target 1,000/s (single Form A)")
    rate.axhline(500, color="darkred", linewidth=0.6, linestyle="--", label="target 500/s (laporan)")
    rate.set_xlabel("offered submissions/s")
    rate.set_ylabel("submissions/s")
    rate.set_title("Throughput")
    rate.legend(fontsize=7)
    rate.grid(True, alpha=0.3)

    steps = result["series"].get("single", []) or result["series"].get("kolektif", [])
    shown = "single" if result["series"].get("single") else "kolektif"
    names = PROCESSES
    bottom = [0.0] * len(steps)
    labels = [f"{s['offered_per_s']:.0f}" + ("" if s["sustained"] else " ✕") for s in steps]
    for name in names:
        values = [s["cpu_ms_per_submission"].get(name, 0.0) for s in steps]
        cpu.bar(labels, values, bottom=bottom, label=name)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    cpu.axhline(2.0, color="red", linewidth=0.8, label="target 2 ms (single Form A)")
    cpu.set_xlabel(f"{shown}: offered submissions/s")
    cpu.set_ylabel("CPU ms per submission")
    cpu.set_title(f"Where the CPU goes ({shown})")
    cpu.legend(fontsize=7)
    cpu.grid(True, axis="y", alpha=0.3)

    m = result["machine"]
    figure.suptitle(
        f"Awasi bench {result.get('started_at', '')} — {m['cores']} cores, {m['database']}, "
        f"Form A batches of {result['settings']['batch']}, {result['settings']['laporan_share']:.0%} laporan"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def plot_soak(result: dict[str, Any], path: Path) -> Path | None:
    """The hold minute by minute: end-to-end latency and each process's CPU per Form A. Figures
    that hold stay flat; a cost that grows with the outbox or the broker's log climbs."""
    steps = result["series"].get(SOAK) or []
    if not steps:
        return None
    minutes = list(range(1, len(steps) + 1))
    figure, (latency, cpu) = plt.subplots(1, 2, figsize=(13, 5))
    for key, style in (("p50_ms", ":"), ("p95_ms", "--"), ("p99_ms", "-")):
        values = [s["e2e"][key] if s["e2e"][key] is not None else float("nan") for s in steps]
        latency.plot(minutes, values, style, marker="o", color="tab:gray", label=key[:3])
    for minute, step in zip(minutes, steps, strict=True):
        if not step["sustained"]:
            latency.plot([minute], [step["e2e"]["p99_ms"]], marker="x", color="red", markersize=9)
    latency.axhline(500, color="red", linewidth=0.8, label="p99 target 500 ms (✕ not sustained)")
    latency.set_xlabel("minute of the hold")
    latency.set_ylabel("submit → projection and notification handled (ms)")
    latency.set_title(f"End-to-end latency at {steps[0]['offered_per_s']:.0f} Form A/s, one per request")
    latency.legend(fontsize=7)
    latency.grid(True, alpha=0.3)
    for name in PROCESSES:
        cpu.plot(minutes, [s["cpu_ms_per_submission"].get(name, 0.0) for s in steps], marker="o", label=name)
    cpu.plot(minutes, [s["cpu_ms_per_submission"].get("total", 0.0) for s in steps], "k-", marker="s", label="total")
    cpu.set_xlabel("minute of the hold")
    cpu.set_ylabel("CPU ms per Form A")
    cpu.set_title("Where the CPU goes, minute by minute")
    cpu.set_ylim(bottom=0)
    cpu.legend(fontsize=7)
    cpu.grid(True, alpha=0.3)
    figure.suptitle(f"Awasi bench {result.get('started_at', '')}: the {len(steps)}-minute hold")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
