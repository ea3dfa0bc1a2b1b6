"""`awasi up` after a SIGKILL: its children die with it, and the lock file it left is taken over
by the next `awasi up`, which stops what its owner left (split from test_up_lifecycle.py so the
two long files run in parallel)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import psutil

from .test_up_lifecycle import (
    STOP_BOUND,
    running,
    stack_env,
    start_and_wait_ready,
    wait_until_gone,
)


def test_children_die_with_a_killed_up_and_its_lock_is_taken_over(tmp_path: Path, leftovers: list) -> None:
    env = stack_env(tmp_path / "data")
    up, children, _ = start_and_wait_ready(env, leftovers, "--no-demo")
    lock = tmp_path / "data" / "awasi-up.lock"

    killed = time.monotonic()
    up.kill()
    up.wait()
    alive = wait_until_gone(children, STOP_BOUND)
    assert not alive, f"still running {STOP_BOUND}s after SIGKILL: {[p.pid for p in alive]}"
    print(f"SIGKILL: {len(children)} children gone in {time.monotonic() - killed:.1f}s")
    assert str(up.pid) in lock.read_text()  # the lock file of a dead awasi up stays behind

    restarted = time.monotonic()
    again, _, output = start_and_wait_ready(env, leftovers, "--no-demo")
    print(f"taken over and ready in {time.monotonic() - restarted:.1f}s")
    assert f"pid {up.pid}" in output and "diambil alih" in output, output
    again.send_signal(signal.SIGTERM)
    again.wait(timeout=STOP_BOUND)
    assert again.returncode == 0 and not lock.exists()


def test_a_stale_lock_is_taken_over_and_what_its_owner_left_is_stopped(tmp_path: Path, leftovers: list) -> None:
    """On a system where children cannot die with their parent, the next `awasi up` stops them."""
    data = tmp_path / "data"
    data.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    survivor = psutil.Popen(["sleep", "600"], start_new_session=True)
    leftovers.append(survivor)
    record = {"pid": dead.pid, "children": {"broker": [survivor.pid, survivor.create_time()]}}
    (data / "awasi-up.lock").write_text(json.dumps(record))

    env = stack_env(data)
    up, _, output = start_and_wait_ready(env, leftovers, "--no-demo")
    assert f"pid {dead.pid}" in output and "diambil alih" in output, output
    assert not running(survivor.pid)
    up.send_signal(signal.SIGTERM)
    up.wait(timeout=STOP_BOUND)
