"""`awasi up` after a SIGKILL: its children die with it, and the lock file it left is taken over
by the next `awasi up`, which SIGTERM then stops entirely (split from test_up_lifecycle.py so the
two long files run in parallel; each start of the stack is used for more than one check)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from .test_up_lifecycle import STOP_BOUND, stack_env, start_and_wait_ready, stop_by_signal, wait_until_gone


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
    again, children, output = start_and_wait_ready(env, leftovers, "--no-demo")
    print(f"taken over and ready in {time.monotonic() - restarted:.1f}s")
    assert f"pid {up.pid}" in output and "diambil alih" in output, output
    stop_by_signal(again, children, signal.SIGTERM, lock)
