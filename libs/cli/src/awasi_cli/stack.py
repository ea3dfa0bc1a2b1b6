"""``awasi up``: the broker and the four services as separate processes on one machine.

Whatever stops ``awasi up`` stops what it started: Ctrl-C, SIGTERM and SIGHUP stop every child
(SIGTERM, then SIGKILL to its process group after 15 s or at a second signal) and remove the
lock file; after a SIGKILL the kernel sends each child SIGTERM (Linux), and the next
``awasi up`` takes the lock file over, stopping whatever of the dead one's children still runs.
The data directory is the owner's only: created 0700, tightened if an earlier run left it
looser, and every process runs under umask 077.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import signal
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any

import psutil

from awasi_cli.broker import port_open, start_broker, wait_for_port
from awasi_cli.children import (
    Child,
    can_die_with_parent,
    die_with_parent,
    exited,
    identity,
    preload,
    signal_group,
    start_service,
    still_running,
    wait_gone,
)
from awasi_cli.probe import answers
from awasi_common.events.base import topics
from awasi_common.messaging import ensure_topics
from awasi_common.settings import EMBEDDED_BROKER_PORT, SERVICE_PORTS, PlatformSettings, ServiceSettings

CONSOLE = "console"
CONSOLE_PORT = 8100
"""The operator console (services/console): a web application calling the services' APIs, no
database or broker of its own; started with them (``AWASI_CONSOLE_PORT`` moves it)."""
SERVICES = (*SERVICE_PORTS, CONSOLE)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
EMBEDDED_SESSION_TIMEOUT_MS = 3_000
"""Consumer groups' session timeout on the embedded broker (AWASI_KAFKA_SESSION_TIMEOUT_MS
overrides it): short, because a join waits for half of it."""
STOP_SECONDS = 15  # a service stops within 15 s whatever the broker does (docs/operations.md)
LOCK_FILE = "awasi-up.lock"


class AlreadyRunning(RuntimeError):
    pass


class StopRequested(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP reached ``awasi up``: handled wherever Ctrl-C is."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def owner_only(directory: Path) -> None:
    """Make ``directory`` (created if missing) and everything under it readable by its owner only,
    and have whatever this process and its children create from now on be so as well."""
    os.umask(0o077)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(directory.stat().st_mode) & 0o077:
        directory.chmod(0o700)
    for root, dirs, files in os.walk(directory):  # symbolic links are not followed, nor changed
        for name in [*dirs, *files]:
            path = os.path.join(root, name)
            mode = os.lstat(path).st_mode
            if not stat.S_ISLNK(mode) and stat.S_IMODE(mode) & 0o077:
                os.chmod(path, stat.S_IMODE(mode) & 0o700)


def _lock_record(text: str) -> dict[str, Any]:
    """What a lock file says: ``{"pid": …, "children": {name: [pid, started]}}``, or an older
    awasi's bare PID."""
    text = text.strip()
    with contextlib.suppress(ValueError):
        record = json.loads(text)
        if isinstance(record, dict):
            return record
        if isinstance(record, int):
            return {"pid": record}
    return {}


@dataclass
class Stack:
    platform: PlatformSettings
    embedded_broker: bool
    broker_port: int = EMBEDDED_BROKER_PORT
    processes: dict[str, Child] = field(default_factory=dict)
    _lock: IO[str] | None = None
    _stop_requested: bool = False  # a stop signal arrived: any further one hurries the stop
    _hurry: bool = False
    _deferring: int = 0
    _deferred: int | None = None
    _started: dict[str, float] = field(default_factory=dict)  # when each child started (tells it from a reused PID)

    @property
    def data_dir(self) -> Path:
        return self.platform.data_dir

    @property
    def lock_path(self) -> Path:
        return self.data_dir / LOCK_FILE

    def urls(self) -> dict[str, str]:
        return {name: f"http://{s.host}:{s.port}" for name, s in self.service_settings().items()}

    def service_settings(self) -> dict[str, ServiceSettings]:
        loaded = {name: ServiceSettings.load(name, self.platform) for name in SERVICES}
        loaded[CONSOLE].port = loaded[CONSOLE].port or CONSOLE_PORT
        return loaded

    # Signals

    def stop_on_signals(self) -> None:
        """SIGINT, SIGTERM and SIGHUP raise :class:`StopRequested` (a KeyboardInterrupt) in the
        main thread; after the first, they only make :meth:`stop` kill what still runs."""
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self._stop_requested:
            self._hurry = True
        elif self._deferring:
            self._deferred = signum
        else:
            self._stop_requested = True
            raise StopRequested(signum)

    @contextlib.contextmanager
    def _uninterrupted(self) -> Iterator[None]:
        """A stop signal waits until the block is done (a child started is a child recorded)."""
        self._deferring += 1
        try:
            yield
        finally:
            self._deferring -= 1
            if not self._deferring and self._deferred is not None:
                signum, self._deferred = self._deferred, None
                self._stop_requested = True
                raise StopRequested(signum)

    # The lock file

    def acquire(self, log: Callable[[str], object] = print) -> None:
        with self._uninterrupted():
            while True:
                lock = os.fdopen(os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600), "r+")
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError as error:
                    pid = _lock_record(lock.read()).get("pid", "?")
                    lock.close()
                    raise AlreadyRunning(
                        f"Awasi sudah berjalan dari direktori data {self.data_dir} (pid {pid}). "
                        "Hentikan dengan Ctrl-C di terminalnya (atau kill -TERM), atau pakai AWASI_DATA_DIR lain."
                    ) from error
                try:
                    if os.stat(self.lock_path).st_ino == os.fstat(lock.fileno()).st_ino:
                        break
                except FileNotFoundError:
                    pass
                lock.close()  # its owner removed it as it stopped, after we opened it: again
            self._lock = lock
            stale = _lock_record(lock.read())
            self._write_lock()
        if stale:
            self._take_over(stale, log)

    def _write_lock(self) -> None:
        assert self._lock is not None
        record = {
            "pid": os.getpid(),
            "children_die_with_it": can_die_with_parent(),
            "children": {name: [self.processes[name].pid, started] for name, started in self._started.items()},
        }
        self._lock.seek(0)
        self._lock.truncate()
        self._lock.write(json.dumps(record))
        self._lock.flush()

    def _take_over(self, stale: dict[str, Any], log: Callable[[str], object]) -> None:
        """The lock file of an ``awasi up`` that died without removing it: stop whatever of its
        children (and their children) still runs."""
        pid = stale.get("pid", "?")
        log(f"• berkas kunci {self.lock_path.name} dari awasi up yang sudah mati (pid {pid}) diambil alih")
        left: list[psutil.Process] = []
        children = stale.get("children")
        for name, entry in (children if isinstance(children, dict) else {}).items():
            try:
                child, started = int(entry[0]), float(entry[1])
            except (TypeError, ValueError, IndexError):
                continue
            process = still_running(child, started)
            if process is not None:
                log(f"• menghentikan {name} (pid {child}) yang tertinggal dari jalan sebelumnya")
                with contextlib.suppress(psutil.Error):
                    left.extend([process, *process.children(recursive=True)])
        if not left:
            return
        if stale.get("children_die_with_it"):  # the kernel sent them SIGTERM: they are stopping
            left = wait_gone(left, STOP_SECONDS)
        for process in left:
            with contextlib.suppress(psutil.Error):
                process.terminate()
        left = wait_gone(left, STOP_SECONDS)
        for process in left:
            with contextlib.suppress(psutil.Error):
                process.kill()
        wait_gone(left, 5)

    def _release(self) -> None:
        if self._lock is None:
            return
        with contextlib.suppress(FileNotFoundError):  # still ours (the inode we locked): remove it
            if os.stat(self.lock_path).st_ino == os.fstat(self._lock.fileno()).st_ino:
                self.lock_path.unlink()
        self._lock.close()
        self._lock = None

    # Starting

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
        owner_only(self.data_dir)
        self.acquire(log)
        self.check_ports()
        logs = self.data_dir / "logs"
        logs.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.embedded_broker:
            log(f"• broker Kafka (Tansu) di 127.0.0.1:{self.broker_port}")
            with self._uninterrupted():
                broker = start_broker(self.broker_port, logs / "broker.log", preexec_fn=die_with_parent())
                self._started_child("broker", broker)
        preload()  # while the broker starts: what every service imports, once (start_service)
        if self.embedded_broker:
            wait_for_port("127.0.0.1", self.broker_port, 20, self.processes["broker"])
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
        if self.embedded_broker and "AWASI_KAFKA_SESSION_TIMEOUT_MS" not in os.environ:
            # The embedded broker holds a group join for half the session timeout, and every
            # process joins its groups at start: 3 s instead of 10 halves the time to ready (16.5
            # → 8.7 s measured). Members on one machine miss no heartbeat at one a second.
            env["AWASI_KAFKA_SESSION_TIMEOUT_MS"] = str(EMBEDDED_SESSION_TIMEOUT_MS)
        if "AWASI_TOKEN_ISSUER" not in os.environ:  # identity here, on whatever port it was given
            identity = ServiceSettings.load("identity", self.platform)
            env["AWASI_TOKEN_ISSUER"] = f"http://127.0.0.1:{identity.port}"
        for name in SERVICES:
            log(f"• layanan {name}")
            with self._uninterrupted(), (logs / f"{name}.log").open("ab") as out:
                self._started_child(name, start_service(f"awasi_{name}", env, out))
        self.wait_ready()

    def _started_child(self, name: str, process: Child) -> None:
        self.processes[name] = process
        with contextlib.suppress(psutil.Error):  # already gone: wait_ready will say so
            self._started[name] = identity(process.pid)
        self._write_lock()

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        pending = dict(self.urls())
        while pending:
            for name, url in list(pending.items()):
                process = self.processes[name]
                if process.poll() is not None:
                    log_file = self.data_dir / "logs" / f"{name}.log"
                    raise RuntimeError(f"layanan {name} berhenti (kode {process.returncode}); lihat {log_file}")
                if answers(f"{url}/readyz"):
                    del pending[name]
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

    # Stopping

    def stop(self) -> None:
        """SIGTERM to every child, last started first; SIGKILL to the process group of one still
        running after 15 s or at another stop signal; then the lock file goes. Idempotent."""
        self._stop_requested = True
        running = [p for p in reversed(self.processes.values()) if not exited(p)]
        for process in running:
            process.send_signal(signal.SIGTERM)  # uvicorn's supervisor stops its own workers
        deadline = time.monotonic() + STOP_SECONDS
        while running:
            if self._hurry or time.monotonic() > deadline:
                for process in running:
                    signal_group(process, signal.SIGKILL)
            for process in list(running):
                if exited(process):
                    signal_group(process, signal.SIGKILL)  # whatever it left behind in its group
                    process.wait()
                    running.remove(process)
            time.sleep(0.05)
        for process in self.processes.values():
            process.wait()  # reaped by watch() or above; a no-op then
        self._release()
