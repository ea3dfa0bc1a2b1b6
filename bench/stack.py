"""The processes the bench runs: the embedded broker, reporting and notification (each
``python -m awasi_<name>``, settings through the environment, as ``awasi up`` does), and the
baseline app. Everything listens on 127.0.0.1 on free ports; every process is stopped by id."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from awasi_cli.broker import start_broker, wait_for_port
from awasi_cli.probe import answers
from awasi_cli.testing import free_port
from awasi_common.db import drop_database

ROOT = Path(__file__).resolve().parents[1]
LOCAL_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432"


def postgres_answers() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 5432)) == 0


@dataclass
class Stack:
    workdir: Path
    postgres: bool
    partitions: int = 6
    workers: int = 1
    """uvicorn processes for reporting, and the same for the baseline."""
    extra_env: dict[str, str] = field(default_factory=dict)
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    broker_port: int = field(default_factory=free_port)
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    databases: list[str] = field(default_factory=list)

    @property
    def database_kind(self) -> str:
        return "postgresql" if self.postgres else "sqlite"

    def database_url(self, name: str) -> str:
        if self.postgres:
            return f"{LOCAL_POSTGRES}/awasi_bench_{name}_{self.run_id}"
        return f"sqlite+aiosqlite:///{self.workdir / f'{name}.db'}"

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWASI_", "OTEL_"))}
        env.update(
            {
                "AWASI_KAFKA_BOOTSTRAP": f"127.0.0.1:{self.broker_port}",
                "AWASI_DATA_DIR": str(self.workdir),
                "AWASI_TOPIC_PARTITIONS": str(self.partitions),
                # The public intake allows 5 laporan a minute per client; every bench laporan
                # comes from 127.0.0.1.
                "AWASI_REPORTING_INTAKE_RATE_LIMIT": "1000000/second",
                "AWASI_REPORTING_ATTEMPT_RATE_LIMIT": "1000000/second",
                "AWASI_REPORTING_IDENTITY_KEY": "awasi-bench-identity-key-" + self.run_id,
                "AWASI_REPORTING_WORKERS": str(self.workers),
                # Election-day tracing: 1% of requests, plus every request that asks for it
                # (X-Awasi-Trace: 1) and every error. --env AWASI_TRACE_RATIO=1 traces them all.
                "AWASI_TRACE_RATIO": "0.01",
                "PYTHONUNBUFFERED": "1",
            }
        )
        for name in ("reporting", "notification"):
            env[f"AWASI_{name.upper()}_DATABASE_URL"] = self.database_url(name)
            if name in self.ports:
                env[f"AWASI_{name.upper()}_PORT"] = str(self.ports[name])
        env.update(self.extra_env)
        return env

    def start_broker(self) -> None:
        self.processes["broker"] = start_broker(self.broker_port, self.workdir / "logs" / "broker.log")
        wait_for_port("127.0.0.1", self.broker_port, 20, self.processes["broker"])

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        logs = self.workdir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        with (logs / f"{name}.log").open("ab") as out:
            self.processes[name] = subprocess.Popen(
                argv,
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def start_services(self, names: tuple[str, ...] = ("reporting", "notification")) -> None:
        for name in names:
            self.ports[name] = free_port()
            self.databases.append(self.database_url(name))
        env = self.env()
        for name in names:
            self._spawn(name, [sys.executable, "-m", f"awasi_{name}"], env)
        for name in names:
            self.wait_ready(name, "/readyz")

    def start_baseline(self, name: str = "baseline") -> None:
        """``baseline`` (one row per submission, nothing else: ``bench.baseline_app``) or
        ``crud`` (reporting's validation and token check, one row: ``bench.crud_app``)."""
        self.ports[name] = free_port()
        url = self.database_url(name)
        self.databases.append(url)
        prefix = f"BENCH_{name.upper()}_"
        env = {
            **self.env(),
            prefix + "DATABASE_URL": url,
            prefix + "PORT": str(self.ports[name]),
            prefix + "WORKERS": str(self.workers),
        }
        self._spawn(name, [sys.executable, "-m", f"bench.{name}_app"], env)
        self.wait_ready(name, "/healthz")

    def wait_ready(self, name: str, path: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes[name]
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}):\n{self.log_tail(name)}")
            if answers(f"{self.url(name)}{path}"):
                return
            time.sleep(0.2)
        raise TimeoutError(f"{name} not ready within {timeout:.0f}s:\n{self.log_tail(name)}")

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.workdir / "logs" / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def pid(self, name: str) -> int:
        return self.processes[name].pid

    def stop(self, name: str, timeout: float = 20) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        # Each process leads its own session: uvicorn's worker processes go with it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def stop_all(self) -> None:
        for name in [n for n in self.processes if n != "broker"]:
            self.stop(name)
        self.stop("broker")

    def drop_databases(self) -> None:
        if not self.postgres:
            return
        for url in self.databases:
            with contextlib.suppress(Exception):
                asyncio.run(drop_database(url))
