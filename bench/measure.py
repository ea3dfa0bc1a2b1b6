"""What the bench reads to measure: the services' own outbox and inbox tables (measurement
only: nothing here writes), CPU time per process from /proc, and percentiles."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

KOLEKTIF_TYPE = "awasi.HasilPengawasanKolektifDisampaikan.v1"
MAIN_TYPES = {
    "awasi.HasilPengawasanDisampaikan.v1": "form_a",
    KOLEKTIF_TYPE: "form_a",
    "awasi.LaporanSubmitted.v1": "laporan",
}
PROJECTION = "awasi.reporting.angka"
NOTIFICATION = "awasi.notification"


def epoch(moment: dt.datetime) -> float:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile of already sorted values."""
    if not values:
        return None
    rank = max(1, math.ceil(q / 100 * len(values)))
    return values[min(rank, len(values)) - 1]


_NEW_INBOX_ROWS = (
    sa.text("SELECT event_id, handled_at FROM inbox WHERE consumer = :consumer AND handled_at > :since")
    .bindparams(sa.bindparam("since", type_=sa.DateTime(timezone=True)))
    .columns(sa.column("event_id", sa.String), sa.column("handled_at", sa.DateTime(timezone=True)))
)


@dataclass
class OutboxEvent:
    key: str
    event_id: str
    ce_type: str
    submissions: int = 1
    """How many submissions the event tells of (a collective one lists several Form A)."""


class Tables:
    """Reads reporting's outbox and inbox and notification's inbox."""

    def __init__(self, reporting_url: str, notification_url: str) -> None:
        self.reporting: AsyncEngine = create_async_engine(reporting_url, poolclass=sa.NullPool)
        self.notification: AsyncEngine = create_async_engine(notification_url, poolclass=sa.NullPool)
        self.last_seq = 0
        self.by_key: dict[str, list[OutboxEvent]] = {}
        self.all_events: dict[str, OutboxEvent] = {}
        self.handled: dict[str, dict[str, float]] = {PROJECTION: {}, NOTIFICATION: {}}
        self._newest: dict[str, float] = {}

    async def read_outbox(self) -> None:
        async with self.reporting.connect() as connection:
            rows = (
                await connection.execute(
                    sa.text("SELECT seq, key, event_id, headers, payload FROM outbox WHERE seq > :seq ORDER BY seq"),
                    {"seq": self.last_seq},
                )
            ).all()
        for seq, key, event_id, headers, payload in rows:
            if isinstance(headers, str):
                headers = json.loads(headers)
            event = OutboxEvent(key, event_id, headers.get("ce_type", ""))
            if event.ce_type == KOLEKTIF_TYPE:
                event.submissions = len(json.loads(bytes(payload))["form_a"])
            self.by_key.setdefault(key, []).append(event)
            self.all_events[event_id] = event
            self.last_seq = max(self.last_seq, int(seq))

    async def read_inboxes(self) -> None:
        """New inbox rows of both consumers. A row is stamped before its transaction commits,
        so each read looks back a while before the newest stamp it saw."""
        for consumer, engine in ((PROJECTION, self.reporting), (NOTIFICATION, self.notification)):
            since = self._newest.get(consumer, 0.0) - 30.0
            async with engine.connect() as connection:
                rows = (
                    await connection.execute(
                        _NEW_INBOX_ROWS,
                        {"consumer": consumer, "since": dt.datetime.fromtimestamp(max(since, 0.0), dt.UTC)},
                    )
                ).all()
            seen = self.handled[consumer]
            for event_id, at in rows:
                stamp = epoch(at)
                seen[event_id] = stamp
                if stamp > self._newest.get(consumer, 0.0):
                    self._newest[consumer] = stamp

    def main_event(self, key: str) -> OutboxEvent | None:
        found = [e for e in self.by_key.get(key, ()) if e.ce_type in MAIN_TYPES]
        return found[0] if found else None

    def done_at(self, key: str) -> float | None:
        """When both the projection and notification had handled the submission's event."""
        event = self.main_event(key)
        if event is None:
            return None
        a = self.handled[PROJECTION].get(event.event_id)
        b = self.handled[NOTIFICATION].get(event.event_id)
        return max(a, b) if a is not None and b is not None else None

    async def duplicates(self) -> dict[str, int]:
        """Effects applied more than once: main events per submission beyond one, and figures
        counted beyond the submissions whose events the projection handled."""
        extra_events = sum(
            max(0, len([e for e in events if e.ce_type in MAIN_TYPES]) - 1) for events in self.by_key.values()
        )
        async with self.reporting.connect() as connection:
            counted = int(await connection.scalar(sa.text("SELECT COALESCE(SUM(jumlah), 0) FROM angka_masuk")) or 0)
            handled_ids = (
                await connection.execute(sa.text("SELECT event_id FROM inbox WHERE consumer = :c"), {"c": PROJECTION})
            ).scalars()
            handled = sum(self.all_events[i].submissions if i in self.all_events else 1 for i in handled_ids)
        async with self.notification.connect() as connection:
            receipts = int(await connection.scalar(sa.text("SELECT COUNT(*) FROM receipt")) or 0)
            distinct = int(await connection.scalar(sa.text("SELECT COUNT(DISTINCT laporan_id) FROM receipt")) or 0)
        return {
            "main_events_beyond_one": extra_events,
            "figures_counted_twice": max(0, counted - handled),
            "receipts_twice": receipts - distinct,
        }

    async def storage(self) -> dict[str, dict[str, int]]:
        """Rows and bytes (table with its indexes and TOAST) of the tables a submission writes,
        PostgreSQL only."""
        found: dict[str, dict[str, int]] = {}
        tables = {
            "reporting": (self.reporting, ["form_a", "laporan", "outbox", "inbox", "angka_masuk", "nomor_urut"]),
            "notification": (self.notification, ["inbox", "receipt"]),
        }
        for service, (engine, names) in tables.items():
            if engine.dialect.name != "postgresql":
                continue
            async with engine.connect() as connection:
                for name in names:
                    rows = int(await connection.scalar(sa.text(f"SELECT COUNT(*) FROM {name}")) or 0)
                    size = int(await connection.scalar(sa.text(f"SELECT pg_total_relation_size('{name}')")) or 0)
                    found[f"{service}.{name}"] = {"rows": rows, "bytes": size}
        return found

    def unhandled(self) -> dict[str, int]:
        """Submissions (through their events in reporting's outbox) that a consumer that
        should handle them never did."""
        missing_notification = sum(
            event.submissions
            for event_id, event in self.all_events.items()
            if event_id not in self.handled[NOTIFICATION]
        )
        missing_projection = sum(
            event.submissions
            for event_id, event in self.all_events.items()
            if event.ce_type in MAIN_TYPES and event_id not in self.handled[PROJECTION]
        )
        return {"notification": missing_notification, "projection": missing_projection}

    async def close(self) -> None:
        await self.reporting.dispose()
        await self.notification.dispose()


# --- CPU time per process ---------------------------------------------------------------------

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> tuple[str, int, int, float] | None:
    """(comm, ppid, pgrp, cpu seconds) of one process, with its exited children's (a
    PostgreSQL backend that ended is counted in the postmaster)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return comm, int(fields[1]), int(fields[2]), sum(int(f) for f in fields[11:15]) / _TICKS


def process_cpu_seconds(pid: int) -> float:
    """CPU seconds one process (and its exited children) used so far; 0 when it is gone."""
    stat = _stat(str(pid))
    return stat[3] if stat else 0.0


def _bench_postgres_seconds(pid: str) -> float:
    """A PostgreSQL process's own CPU seconds when it works for the bench: a backend of an
    ``awasi_bench_*`` database, the WAL writer and the background writer (they write what the
    bench's transactions wrote). Not counted: other databases' backends (other engineers' test
    suites on a shared server), the postmaster (its forks, and what exited backends left in it)
    and the checkpointer (driven there by others' DROP DATABASE): counting them made PostgreSQL's
    figure swing by several ms per request on a shared machine."""
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    if "awasi_bench_" in title or "walwriter" in title or "background writer" in title:
        return (int(fields[11]) + int(fields[12])) / _TICKS
    return 0.0


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    with open("/proc/stat") as file:
        values = [int(v) for v in file.readline().split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / _TICKS, total / _TICKS


def cpu_seconds(groups: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by each named process group (a process and its workers),
    by the PostgreSQL server's processes, and by this process."""
    totals = {name: 0.0 for name in groups}
    by_group = {pgid: name for name, pgid in groups.items()}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        stat = _stat(pid)
        if stat is None:
            continue
        comm, _ppid, pgrp, seconds = stat
        if pgrp in by_group:
            totals[by_group[pgrp]] += seconds
        elif comm.startswith("postgres") and (seconds := _bench_postgres_seconds(pid)):
            totals[f"{_POSTGRES}{pid}"] = seconds  # per backend: see cpu_delta
    own = _stat(str(os.getpid()))
    totals["load generator"] = own[3] if own else 0.0
    busy, total = machine_busy()
    totals["machine busy"] = busy
    totals["machine total"] = total
    return totals


_POSTGRES = "postgresql:"


def cpu_delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds per process group between two readings, and how busy the machine was
    (``machine busy %``: 100 per core).

    PostgreSQL's is summed per backend over those in the second reading: a backend that ended
    in between (a pool's overflow connection is closed when returned) took its CPU with it, and
    a sum over whoever was there at each reading went negative (-21.6 s in a 500/s step). What
    such a backend used after the first reading is missed: a slight undercount, never a
    negative figure."""
    postgresql = sum(after[k] - before.get(k, 0.0) for k in after if k.startswith(_POSTGRES))
    delta = {
        name: round(after.get(name, 0.0) - before.get(name, 0.0), 2) for name in after if not name.startswith(_POSTGRES)
    }
    delta["postgresql"] = round(postgresql, 2)
    total = delta.pop("machine total")
    busy = delta.pop("machine busy")
    cores = os.cpu_count() or 1
    delta["machine busy %"] = round(100 * cores * busy / total, 1) if total else 0.0
    return delta


@dataclass
class Latencies:
    values_ms: list[float] = field(default_factory=list)

    def add(self, seconds: Iterable[float]) -> None:
        self.values_ms += [s * 1000 for s in seconds]

    def summary(self) -> dict[str, float | None]:
        ordered = sorted(self.values_ms)
        return {
            "p50_ms": _round(percentile(ordered, 50)),
            "p95_ms": _round(percentile(ordered, 95)),
            "p99_ms": _round(percentile(ordered, 99)),
            "max_ms": _round(ordered[-1] if ordered else None),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
