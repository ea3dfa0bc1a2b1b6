"""Processes that can be killed and restarted, a load driver, and the exactly-once check.

Ground truth is planning's outbox: every KegiatanScheduled/Rescheduled it holds must appear in
the probe's effects exactly once, and per kegiatan in the order planning wrote them (each
reschedule moves ``mulai`` one day later, so the sequence numbers are the dates)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from awasi_cli.broker import start_broker, wait_for_port
from awasi_cli.children import Child
from awasi_cli.launcher import Launcher
from awasi_cli.probe import answers
from awasi_cli.testing import free_port, process_env
from awasi_common.auth import TokenIssuer
from awasi_common.settings import DEV_JWT_SECRET

ROOT = Path(__file__).resolve().parents[2]
UNIT = "35.05"
BASE = dt.date.today() + dt.timedelta(days=30)


@dataclass
class Stack:
    workdir: Path
    planning_db: str
    probe_db: str
    launcher: Launcher
    """Planning and the probe forked by it (~0.4 s of CPU a start) rather than executed (~2 s)."""
    broker_port: int = field(default_factory=free_port)
    planning_port: int = field(default_factory=free_port)
    probe_port: int = field(default_factory=free_port)
    processes: dict[str, Child] = field(default_factory=dict)
    planning_workers: int = 1

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.broker_port}"

    @property
    def planning_url(self) -> str:
        return f"http://127.0.0.1:{self.planning_port}"

    def env(self) -> dict[str, str]:
        env = process_env()
        env.update(
            {
                "AWASI_KAFKA_BOOTSTRAP": self.bootstrap,
                "AWASI_DATA_DIR": str(self.workdir),
                "AWASI_TRACE_FILE": "false",
                "AWASI_RELAY_POLL_SECONDS": "0.1",
                "AWASI_MONITOR_SECONDS": "1",
                # A killed consumer's partitions move on once its session expires, and the
                # embedded broker holds every join for half of it: 3 s instead of 10.
                "AWASI_KAFKA_SESSION_TIMEOUT_MS": "3000",
                "AWASI_PLANNING_PORT": str(self.planning_port),
                "AWASI_PLANNING_DATABASE_URL": self.planning_db,
                "AWASI_PLANNING_WORKERS": str(self.planning_workers),
                "AWASI_FAULTPROBE_PORT": str(self.probe_port),
                "AWASI_FAULTPROBE_DATABASE_URL": self.probe_db,
            }
        )
        return env

    def start_broker(self) -> None:
        self.processes["broker"] = start_broker(self.broker_port, self.workdir / "broker.log")
        wait_for_port("127.0.0.1", self.broker_port, 20, self.processes["broker"])

    def _start(self, name: str, module: str) -> None:
        # In a session of its own: killed with its workers.
        log = self.workdir / f"{name}.log"
        self.processes[name] = self.launcher.start(module, self.env(), log, cwd=ROOT)

    def start_planning(self) -> None:
        self._start("planning", "awasi_planning")
        self.wait_ready("planning", self.planning_url)

    def start_probe(self) -> None:
        self._start("probe", "tests.faults.probe")
        self.wait_ready("probe", f"http://127.0.0.1:{self.probe_port}")

    def wait_ready(self, name: str, url: str, timeout: float = 60) -> None:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise AssertionError(f"{name} exited: {(self.workdir / f'{name}.log').read_text()[-3000:]}")
            if answers(f"{url}/healthz", timeout=1):
                return
            time.sleep(0.1)
        raise AssertionError(f"{name} not up within {timeout}s")

    def log_tail(self, name: str, lines: int = 25) -> str:
        noise = ("Unable connect", "Connect call failed", "Discovered coordinator")
        text = (self.workdir / f"{name}.log").read_text(errors="replace").splitlines()
        return "\n".join([line for line in text if not any(n in line for n in noise)][-lines:])

    def kill(self, name: str) -> None:
        """SIGKILL: no shutdown hooks, no final commits — a crash (of every worker, too)."""
        process = self.processes.pop(name)
        try:
            if os.getpgid(process.pid) == process.pid:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(10)

    def workers_of(self, name: str) -> list[int]:
        """The worker processes uvicorn started for a service run with several."""
        parent = self.processes[name].pid
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                    cmdline = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                # uvicorn's spawned workers run multiprocessing's child entry point; its
                # resource tracker does not serve requests.
                if int(stat[stat.rindex(")") + 2 :].split()[1]) == parent and b"spawn_main" in cmdline:
                    found.append(int(entry.name))
        return sorted(found)

    @contextlib.contextmanager
    def running(self) -> Iterator[Stack]:
        """The broker, planning and the probe started; everything stopped on the way out, also
        when a start fails."""
        try:
            self.start_broker()
            self.start_planning()
            self.start_probe()
            yield self
        finally:
            self.stop_all()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name)


@dataclass
class Driver:
    """Submits kegiatan and reschedules them, retrying what the platform refused for now."""

    url: str
    created: list[str] = field(default_factory=list)
    refused: int = 0
    token: str = field(default_factory=lambda: TokenIssuer(DEV_JWT_SECRET).issue(unit=UNIT, role="operator"))

    async def _send(self, client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
        for _ in range(600):
            try:
                response = await client.post(f"{self.url}{path}", json=body)
            except httpx.TransportError:
                self.refused += 1
                await asyncio.sleep(0.1)
                continue
            if response.status_code in (200, 201):
                return dict(response.json())
            if response.status_code == 503:
                self.refused += 1
                await asyncio.sleep(0.1)
                continue
            raise AssertionError(f"{path}: {response.status_code} {response.text}")
        raise AssertionError(f"{path}: gave up")

    async def kegiatan(self, client: httpx.AsyncClient, number: int, reschedules: int) -> None:
        day = BASE.isoformat()
        created = await self._send(
            client,
            "/kegiatan",
            {
                "unit": UNIT,
                "divisi": "P2H",
                "jenis": "sosialisasi",
                "judul": f"Uji ketahanan {number}",
                "jadwal": {"mulai": day, "selesai": day},
            },
        )
        self.created.append(created["id"])
        for step in range(1, reschedules + 1):
            day = (BASE + dt.timedelta(days=step)).isoformat()
            await self._send(
                client, f"/kegiatan/{created['id']}/jadwal-ulang", {"jadwal": {"mulai": day, "selesai": day}}
            )

    async def run(self, count: int, reschedules: int = 3, concurrency: int = 8, start: int = 0) -> None:
        limit = asyncio.Semaphore(concurrency)
        headers = {"Authorization": f"Bearer {self.token}"}
        async with httpx.AsyncClient(headers=headers, timeout=10) as client:

            async def one(number: int) -> None:
                async with limit:
                    await self.kegiatan(client, number, reschedules)

            await asyncio.gather(*(one(start + n) for n in range(count)))


async def expected_sequences(planning_db: str) -> dict[str, list[tuple[str, str]]]:
    """Per kegiatan, (event id, mulai) of every event planning's outbox holds, in its order."""
    engine = create_async_engine(planning_db)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(sa.text("SELECT event_id, payload FROM outbox ORDER BY seq"))).all()
    finally:
        await engine.dispose()
    sequences: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for event_id, payload in rows:
        data = json.loads(bytes(payload))
        sequences[data["kegiatan_id"]].append((event_id, data["kegiatan"]["jadwal"]["mulai"]))
    return sequences


async def effect_sequences(probe_db: str) -> dict[str, list[tuple[str, str]]]:
    engine = create_async_engine(probe_db)
    try:
        async with engine.connect() as connection:
            rows = (
                await connection.execute(sa.text("SELECT kegiatan_id, event_id, mulai FROM effect ORDER BY id"))
            ).all()
    finally:
        await engine.dispose()
    sequences: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for kegiatan_id, event_id, mulai in rows:
        sequences[kegiatan_id].append((event_id, mulai.isoformat()))
    return sequences


async def assert_exactly_once(stack: Stack, timeout: float = 120, *, ordered: bool = True) -> int:
    """Wait until the probe caught up, then compare with planning's outbox; returns the count.

    ``ordered=False`` checks exactly once without per-key order: when the embedded broker
    loses its log, a batch the producer was still retrying lands on the new log before the
    retained rows that recovery puts back (Apache Kafka keeps its log, and the order)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        expected = await expected_sequences(stack.planning_db)
        actual = await effect_sequences(stack.probe_db)
        total_expected = sum(map(len, expected.values()))
        total_actual = sum(map(len, actual.values()))
        if total_actual >= total_expected or loop.time() > deadline:
            break
        await asyncio.sleep(0.5)
    await asyncio.sleep(1.0)  # anything handled twice would land now
    actual = await effect_sequences(stack.probe_db)
    missing = {k: len(v) - len(actual.get(k, [])) for k, v in expected.items() if len(actual.get(k, [])) < len(v)}
    assert not missing, f"events never handled: {sum(missing.values())} of {total_expected}\n" + stack.log_tail("probe")
    if not ordered:
        expected = {k: sorted(v) for k, v in expected.items()}
        actual = {k: sorted(v) for k, v in actual.items()}
    differing = {k: (expected[k], actual.get(k)) for k in expected if actual.get(k) != expected[k]}
    sample = next(iter(differing.items()), None)
    assert actual == expected, (
        f"{len(differing)} kegiatan handled twice or out of order, e.g. {sample}\n" + stack.log_tail("planning")
    )
    return total_expected


@dataclass
class OwnPostgres:
    """A PostgreSQL server of the test's own (same binaries as the machine's), so restarting
    it disturbs nothing else. Runs as the postgres user, trust auth, on a free port."""

    directory: Path
    port: int = field(default_factory=free_port)
    bin: Path = Path("/usr/lib/postgresql/15/bin")

    @classmethod
    def available(cls) -> bool:
        return os.geteuid() == 0 and (cls.bin / "initdb").exists()

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, timeout=60)

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.directory, "postgres", "postgres")
        self._as_postgres(str(self.bin / "initdb"), "-D", str(self.directory / "data"), "-A", "trust", "-U", "postgres")
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.directory / "data"),
            "-o",
            options,
            "-l",
            str(self.directory / "server.log"),
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.directory / "data"), "-m", mode, "-w", "stop")


async def during(driver: Driver, count: int, fault, *, share: float = 0.25) -> None:
    """Drive ``count`` kegiatan and inject the fault once ``share`` of them were created, so it
    lands in the middle of the traffic however fast this machine is; then wait for the rest."""
    traffic = asyncio.create_task(driver.run(count))
    while len(driver.created) < count * share:
        assert not traffic.done(), "the traffic ended before the fault"
        await asyncio.sleep(0.01)
    await fault()
    await traffic


async def two_of(pids: list[int]) -> list[int] | None:
    return pids if len(pids) == 2 else None
