"""`awasi up` ends as it started whatever stops it: SIGTERM and SIGHUP stop every process it
started, as Ctrl-C does; after a SIGKILL its children die with it and the lock file it left is
taken over by the next `awasi up`; and its data directory is readable by its owner only."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import httpx
import psutil
import pytest

from awasi_cli.testing import free_port
from awasi_common.auth import TokenIssuer
from awasi_common.settings import DEV_JWT_SECRET

from .test_awasi_up import AWASI, wait_for_line

SERVICES = ("planning", "participation", "reporting", "notification", "identity")
STOP_BOUND = 25.0  # seconds from the signal until every child is gone (services stop within 15 s)


def stack_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWASI_")}
    env.update({f"AWASI_{name.upper()}_PORT": str(free_port()) for name in SERVICES})
    env.update({"AWASI_DATA_DIR": str(data_dir), "AWASI_BROKER_PORT": str(free_port()), "COLUMNS": "200"})
    return env


def loose_umask() -> None:
    """Run `awasi up` under the common 022 umask, whatever the test process has."""
    os.umask(0o022)


def start_up(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [AWASI, "up", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=loose_umask,
    )


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie may wait for a PID 1 that never reaps)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return list(psutil.Process(pid).children(recursive=True))
    except psutil.NoSuchProcess:
        return []


def wait_until_gone(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [p for p in processes if running(p.pid)]
        if not alive:
            return []
        time.sleep(0.1)
    return [p for p in processes if running(p.pid)]


def start_and_wait_ready(
    env: dict[str, str], leftovers: list[psutil.Process], *args: str
) -> tuple[subprocess.Popen[str], list[psutil.Process], str]:
    up = start_up(env, *args)
    try:
        output = wait_for_line(up, "Ctrl-C", timeout=150)
    except BaseException:
        leftovers.extend(descendants(up.pid))
        up.kill()
        raise
    children = descendants(up.pid)
    leftovers.extend(children)
    names = " ".join(" ".join(p.cmdline()) for p in children)
    assert "broker" in names and all(f"awasi_{name}" in names for name in SERVICES), names
    return up, children, output


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_stop_everything(tmp_path: Path, signum: signal.Signals, leftovers: list) -> None:
    env = stack_env(tmp_path / "data")
    up, children, _ = start_and_wait_ready(env, leftovers, "--no-demo")
    lock = tmp_path / "data" / "awasi-up.lock"
    assert lock.exists()

    started = time.monotonic()
    up.send_signal(signum)
    alive = wait_until_gone(children, STOP_BOUND)
    assert not alive, f"still running {STOP_BOUND}s after {signum.name}: {[p.pid for p in alive]}"
    up.wait(timeout=STOP_BOUND)
    took = time.monotonic() - started
    assert up.returncode == 0
    assert not lock.exists()
    print(f"{signum.name}: {len(children)} children gone and awasi up exited in {took:.1f}s")


def loose_entries(root: Path) -> list[str]:
    """Entries under ``root`` (itself included) that its group or others may read, write or enter."""
    loose = []
    for path in [root, *root.rglob("*")]:
        mode = path.lstat().st_mode
        if not stat.S_ISLNK(mode) and mode & 0o077:
            loose.append(f"{path.relative_to(root.parent)} {stat.filemode(mode)}")
    return loose


def test_the_data_directory_is_readable_by_its_owner_only(tmp_path: Path, leftovers: list) -> None:
    data = tmp_path / "data"
    (data / "logs").mkdir(parents=True)  # left by an earlier awasi up, under a 022 umask
    data.chmod(0o755)
    (data / "logs").chmod(0o755)
    (data / "logs" / "planning.log").write_text("earlier run\n")
    (data / "logs" / "planning.log").chmod(0o644)

    env = stack_env(data)
    up, _, _ = start_and_wait_ready(env, leftovers)
    try:
        token = TokenIssuer(DEV_JWT_SECRET).issue(unit="35.05", role="operator")
        port = env["AWASI_PLANNING_PORT"]
        assert httpx.get(f"http://127.0.0.1:{port}/kegiatan", headers={"Authorization": f"Bearer {token}"}).is_success
        names = {p.name for p in data.rglob("*")}
        assert {"planning.db", "awasi-up.lock", "broker.log", "notification.log", "demo-loaded"} <= names, names
        assert loose_entries(data) == []  # while running: SQLite's WAL files, the lock, logs
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(timeout=STOP_BOUND)
    assert any((data / "traces").iterdir())  # spans were written
    assert loose_entries(data) == []
