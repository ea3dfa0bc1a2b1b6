"""``awasi trace``, ``awasi status``, ``awasi dead-letters``, ``awasi replay``, ``awasi topics``."""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from awasi_cli import traces
from awasi_common.settings import EMBEDDED_BROKER_PORT, SERVICE_PORTS, PlatformSettings, ServiceSettings
from awasi_common.vocabulary import Role

# `ops` (the Kafka client, FastStream, SQLAlchemy) and the token issuer are imported by the
# commands that use them: every `awasi` command imports this module.

console = Console()


def _bootstrap(platform: PlatformSettings) -> str:
    if "AWASI_KAFKA_BOOTSTRAP" in os.environ:
        return platform.kafka_bootstrap
    return f"127.0.0.1:{os.environ.get('AWASI_BROKER_PORT', EMBEDDED_BROKER_PORT)}"


def trace(
    trace_id: Annotated[
        str | None, typer.Argument(help="ID jejak (awalan cukup); kosong: daftar jejak terbaru")
    ] = None,
    limit: Annotated[int, typer.Option(help="Jumlah jejak dalam daftar")] = 20,
    errors: Annotated[bool, typer.Option("--errors", help="Hanya jejak yang memuat galat")] = False,
    service: Annotated[str | None, typer.Option(help="Hanya jejak yang melewati layanan ini")] = None,
) -> None:
    """Daftar jejak (trace) terbaru, atau satu jejak sebagai pohon: layanan, operasi, durasi, galat."""
    trace_dir = PlatformSettings().data_dir / "traces"
    all_traces = traces.group_traces(traces.read_spans(trace_dir))
    if trace_id:
        found = traces.find_trace(all_traces, trace_id)
        if found is None:
            console.print(f"[red]Jejak '{trace_id}' tidak ditemukan (atau awalan tidak unik) di {trace_dir}.[/]")
            raise typer.Exit(1)
        root = Tree(f"[bold]{found.trace_id}[/] · {found.duration_ms:.1f} ms · {', '.join(found.services)}")

        def add(node: Tree, span: traces.Span) -> None:
            mark = f" [red]✗ {span.error or 'galat'}[/]" if span.failed else ""
            child = node.add(
                f"[cyan]{span.service}[/] {span.name} [dim]{span.kind.lower()}[/] {span.duration_ms:.1f} ms{mark}"
            )
            for sub in span.children:
                add(child, sub)

        for span in found.tree():
            add(root, span)
        console.print(root)
        return
    shown = [
        t for t in all_traces if (not errors or t.errors) and (not service or any(service in s for s in t.services))
    ]
    table = Table(title=f"Jejak terbaru ({trace_dir})")
    # The trace id is what a reader copies into `awasi trace ID`: never cut, whatever the width.
    table.add_column("trace", no_wrap=True, min_width=16)
    for column in ("mulai", "operasi awal", "layanan", "span", "durasi ms", "galat"):
        table.add_column(column)
    for t in shown[:limit]:
        roots = t.roots
        started = dt.datetime.fromtimestamp(t.start / 1e9).strftime("%H:%M:%S")
        table.add_row(
            t.trace_id[:16],
            started,
            f"{roots[0].service}: {roots[0].name}" if roots else "-",
            str(len(t.services)),
            str(len(t.spans)),
            f"{t.duration_ms:.1f}",
            str(t.errors or ""),
        )
    console.print(table)


def status() -> None:
    """Kesehatan setiap layanan, lag konsumen, dan antrean outbox."""
    from awasi_cli import ops
    from awasi_common.tokens import development_issuer

    platform = PlatformSettings()
    urls = {}
    for name in SERVICE_PORTS:
        settings = ServiceSettings.load(name, platform)
        urls[name] = os.environ.get(f"AWASI_{name.upper()}_URL", f"http://{settings.host}:{settings.port}")
    # In production no development token is minted: an admin's token is given in AWASI_TOKEN.
    token = os.environ.get("AWASI_TOKEN") or development_issuer(platform).issue(
        unit="00", role=Role.ADMIN, subject="awasi-status"
    )
    result = ops.service_status(urls, token)
    table = Table(title="Status Awasi")
    columns = (
        "layanan",
        "siap",
        "outbox tertunda",
        "umur tertua (s)",
        "outbox ditolak",
        "lag konsumen",
        "ditangani",
        "surat mati",
    )
    for column in columns:
        table.add_column(column)
    unhealthy = False
    for name, info in result.items():
        ready = info["ready"].get("status")
        unhealthy |= ready != "ok"
        # A row the broker refused for good needs an operator (POST /ops/outbox/ulang once mended).
        unhealthy |= bool((info["status"] or {}).get("outbox", {}).get("failed"))
        st = info["status"] or {}
        outbox = st.get("outbox", {})
        consumers = st.get("consumers", {})
        age = outbox.get("oldest_age_seconds")
        table.add_row(
            name,
            "[green]ok[/]" if ready == "ok" else f"[red]{ready}[/]",
            str(outbox.get("pending", "-")),
            f"{age:.1f}" if age is not None else "-",
            _refused(outbox),
            str(sum(c["lag"] for c in consumers.values())) if consumers else "-",
            str(sum(c["handled"] for c in consumers.values())) if consumers else "-",
            str(sum(_dead_letters(c) for c in consumers.values())) if consumers else "-",
        )
    console.print(table)
    if unhealthy:
        raise typer.Exit(1)


def _refused(outbox: dict[str, Any]) -> str:
    failed, held = outbox.get("failed"), outbox.get("held")
    if failed is None:
        return "-"
    return f"[red]{failed} (+{held} menunggu)[/]" if failed else "0"


def _dead_letters(consumer: dict[str, Any]) -> int:
    """What the group's dead-letter topic holds; this process's own count if it could not be read."""
    on_topic = consumer.get("dead_letters_on_topic")
    return int(on_topic if on_topic is not None else consumer["dead_lettered"])


def dead_letters(group: Annotated[str, typer.Argument(help="Grup konsumen, misalnya awasi.notification")]) -> None:
    """Daftar peristiwa di topik surat mati (dead-letter) sebuah grup konsumen."""
    from awasi_cli import ops

    found = ops.run(ops.list_dead_letters(_bootstrap(PlatformSettings()), group))
    table = Table(title=f"Surat mati {group}")
    for column in ("ce_id", "jenis", "topik asal", "waktu", "dikirim ulang", "galat"):
        table.add_column(column)
    for dead in found:
        when = dead.time.strftime("%Y-%m-%d %H:%M:%S") if dead.time else "-"
        again = "ya" if dead.replayed else "belum"
        table.add_row(dead.event_id, dead.event_type, dead.original_topic, when, again, dead.error[:120])
    console.print(table)


def replay(
    group: Annotated[str, typer.Argument(help="Grup konsumen, misalnya awasi.notification")],
    event_id: Annotated[
        list[str] | None, typer.Option("--event-id", help="Hanya peristiwa ini (boleh berulang)")
    ] = None,
) -> None:
    """Kirim ulang peristiwa surat mati ke topik asalnya, setelah penyebabnya diperbaiki."""
    from awasi_cli import ops

    ids = set(event_id) if event_id else None
    replayed = ops.run(ops.replay_dead_letters(_bootstrap(PlatformSettings()), group, event_ids=ids))
    console.print(f"{len(replayed)} peristiwa dikirim ulang ke topik asalnya.")
    for rid in replayed:
        console.print(f"  • {rid}")


def topics() -> None:
    """Buat topik-topik Awasi yang belum ada (jumlah partisi dari AWASI_TOPIC_PARTITIONS)."""
    from awasi_cli import ops
    from awasi_common.events.base import topics as all_topics
    from awasi_common.messaging import ensure_topics

    platform = PlatformSettings()
    created = ops.run(
        ensure_topics(
            _bootstrap(platform),
            all_topics(),
            partitions=platform.topic_partitions,
            replication=platform.topic_replication,
        )
    )
    console.print(f"{len(created)} topik dibuat: {', '.join(created) or '-'}")


def register(app: typer.Typer) -> None:
    app.command()(trace)
    app.command()(status)
    app.command("dead-letters")(dead_letters)
    app.command()(replay)
    app.command()(topics)
