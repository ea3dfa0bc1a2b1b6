"""`awasi up` ends as it started whatever stops it: after a SIGKILL its children die with it,
and the lock file it left is taken over by the next `awasi up`, which stops whatever of the
dead one's children still runs; SIGHUP stops every process it started, as Ctrl-C and SIGTERM do
(those two in test_awasi_up.py, on the stack it starts with demo data, where the data
directory's modes are checked too). One test, so that each start of the stack serves more
than one check."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import psutil

from awasi_cli.testing import free_port, process_env

from .test_awasi_up import AWASI, loose_umask, wait_for_line

SERVICES = ("planning", "participation", "reporting", "notification", "identity")
STOP_BOUND = 25.0  # seconds from the signal until every child is gone (services stop within 15 s)


def stack_env(data_dir: Path) -> dict[str, str]:
    env = process_env()
    env.update({f"AWASI_{name.upper()}_PORT": str(free_port()) for name in (*SERVICES, "console")})
    env.update({"AWASI_DATA_DIR": str(data_dir), "AWASI_BROKER_PORT": str(free_port()), "COLUMNS": "200"})
    return env


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


def stop_by_signal(
    up: subprocess.Popen[str], children: list[psutil.Process], signum: signal.Signals, lock: Path
) -> None:
    """SIGTERM and SIGHUP stop every process `awasi up` started, as Ctrl-C does, and it exits 0
    and removes its lock file."""
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


def test_a_killed_up_is_taken_over_and_what_it_left_is_stopped(tmp_path: Path, leftovers: list) -> None:
    env = stack_env(tmp_path / "data")
    lock = tmp_path / "data" / "awasi-up.lock"
    up, children, _ = start_and_wait_ready(env, leftovers, "--no-demo")

    killed = time.monotonic()
    up.kill()
    up.wait()
    alive = wait_until_gone(children, STOP_BOUND)
    assert not alive, f"still running {STOP_BOUND}s after SIGKILL: {[p.pid for p in alive]}"
    print(f"SIGKILL: {len(children)} children gone in {time.monotonic() - killed:.1f}s")
    record = json.loads(lock.read_text())
    assert record["pid"] == up.pid  # the lock file of a dead awasi up stays behind

    # On a system where children cannot die with their parent, one of them would still run:
    # the next `awasi up` stops it.
    survivor = psutil.Popen(["sleep", "600"], start_new_session=True)
    leftovers.append(survivor)
    record["children"]["broker"] = [survivor.pid, survivor.create_time()]
    record["children_die_with_it"] = False
    lock.write_text(json.dumps(record))

    restarted = time.monotonic()
    again, children, output = start_and_wait_ready(env, leftovers, "--no-demo")
    print(f"taken over and ready in {time.monotonic() - restarted:.1f}s")
    assert f"pid {up.pid}" in output and "diambil alih" in output, output
    assert not running(survivor.pid)
    stop_by_signal(again, children, signal.SIGHUP, lock)
