"""``awasi up``: the broker and the four services as separate processes on one machine."""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from awasi_cli.broker import port_open, start_broker, wait_for_port
from awasi_common.events.base import topics
from awasi_common.messaging import ensure_topics
from awasi_common.settings import EMBEDDED_BROKER_PORT, SERVICE_PORTS, PlatformSettings, ServiceSettings

SERVICES = tuple(SERVICE_PORTS)


class AlreadyRunning(RuntimeError):
    pass


@dataclass
class Stack:
    platform: PlatformSettings
    embedded_broker: bool
    broker_port: int = EMBEDDED_BROKER_PORT
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _lock: IO[str] | None = None

    @property
    def data_dir(self) -> Path:
        return self.platform.data_dir

    def urls(self) -> dict[str, str]:
        return {name: f"http://{s.host}:{s.port}" for name, s in self.service_settings().items()}

    def service_settings(self) -> dict[str, ServiceSettings]:
        return {name: ServiceSettings.load(name, self.platform) for name in SERVICES}

    def acquire(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock = (self.data_dir / "awasi-up.lock").open("a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            lock.seek(0)
            pid = lock.read().strip() or "?"
            lock.close()
            raise AlreadyRunning(
                f"Awasi sudah berjalan dari direktori data {self.data_dir} (pid {pid}). "
                "Hentikan dengan Ctrl-C di terminalnya, atau pakai AWASI_DATA_DIR lain."
            ) from error
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        self._lock = lock

    def check_ports(self) -> None:
        taken = [
            f"{name} ({s.host}:{s.port})" for name, s in self.service_settings().items() if port_open(s.host, s.port)
        ]
        if self.embedded_broker and port_open("127.0.0.1", self.broker_port):
            taken.append(f"broker (127.0.0.1:{self.broker_port})")
        if taken:
            raise AlreadyRunning(
                "Port sudah dipakai proses lain: "
                + ", ".join(taken)
                + ". Hentikan proses itu atau ubah port lewat AWASI_<LAYANAN>_PORT."
            )

    def start(self, log: Callable[[str], object] = print) -> None:
        self.acquire()
        self.check_ports()
        logs = self.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        if self.embedded_broker:
            log(f"• broker Kafka (Tansu) di 127.0.0.1:{self.broker_port}")
            broker = start_broker(self.broker_port, logs / "broker.log")
            self.processes["broker"] = broker
            wait_for_port("127.0.0.1", self.broker_port, 20, broker)
        asyncio.run(
            ensure_topics(
                self.platform.kafka_bootstrap,
                topics(),
                partitions=self.platform.topic_partitions,
                replication=self.platform.topic_replication,
            )
        )
        env = {
            **os.environ,
            "AWASI_REPUBLISH_ON_START": "true" if self.embedded_broker else "false",
            "AWASI_DATA_DIR": str(self.data_dir.resolve()),
            "AWASI_KAFKA_BOOTSTRAP": self.platform.kafka_bootstrap,
        }
        for name in SERVICES:
            log(f"• layanan {name}")
            with (logs / f"{name}.log").open("ab") as out:
                self.processes[name] = subprocess.Popen(
                    [sys.executable, "-m", f"awasi_{name}"],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
        self.wait_ready()

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        pending = dict(self.urls())
        while pending:
            for name, url in list(pending.items()):
                process = self.processes[name]
                if process.poll() is not None:
                    log_file = self.data_dir / "logs" / f"{name}.log"
                    raise RuntimeError(f"layanan {name} berhenti (kode {process.returncode}); lihat {log_file}")
                try:
                    if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                        del pending[name]
                except httpx.HTTPError:
                    pass
            if pending and time.monotonic() > deadline:
                raise TimeoutError("layanan belum siap: " + ", ".join(pending))
            time.sleep(0.2)

    def watch(self) -> str | None:
        """Block until a process exits or we are interrupted; returns the name that died."""
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    return name
            time.sleep(0.5)

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            process = self.processes[name]
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            remaining = max(0.1, deadline - time.monotonic())
            try:
                process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._lock:
            self._lock.close()
            self._lock = None
