"""The processes ``awasi up`` starts: dying with it, being told apart from a reused PID, and
being stopped with whatever they started in their process group."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

import psutil

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _linux_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


_PRCTL = _linux_prctl()


def can_die_with_parent() -> bool:
    return _PRCTL is not None


def die_with_parent(signum: int = signal.SIGTERM) -> Callable[[], None] | None:
    """A ``preexec_fn`` after which the child gets ``signum`` when this process dies, however it
    dies (SIGKILL included): Linux's PR_SET_PDEATHSIG, which lasts through exec. None elsewhere.

    The kernel sends it when the *thread* that started the child ends: start children from the
    main thread. The parent should have no other threads then (a ``preexec_fn`` runs between
    fork and exec); ``awasi up`` has none."""
    prctl = _PRCTL
    if prctl is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        if prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
        if os.getppid() != parent:  # the parent died before the line above: no signal would come
            raise ChildProcessError("the parent is gone")

    return preexec


def identity(pid: int) -> float:
    """When the process started: with its PID, tells it from a later process given the same PID."""
    return float(psutil.Process(pid).create_time())


def still_running(pid: int, started: float) -> psutil.Process | None:
    """The process ``pid`` if it is the one that started at ``started`` and has not ended."""
    try:
        process = psutil.Process(pid)
        # create_time is boot time (whole seconds, re-read) plus the start in clock ticks
        if abs(process.create_time() - started) > 1 or process.status() == psutil.STATUS_ZOMBIE:
            return None
        return process
    except psutil.Error:
        return None


def wait_gone(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait until every process ended; those still running after ``timeout``. A zombie counts as
    ended: an orphan whose parent never reaps it (PID 1 of a container without an init) stays
    one, and psutil's ``wait_procs`` waited out its whole timeout for it."""
    deadline = time.monotonic() + timeout
    while True:
        processes = [p for p in processes if _alive(p)]
        if not processes or time.monotonic() >= deadline:
            return processes
        time.sleep(0.05)


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """``signum`` to the process group of a child started in a session of its own (its PID is
    the group's), while the child is not yet reaped: until then that group id cannot be reused."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def exited(process: subprocess.Popen[bytes]) -> bool:
    """Whether the child ended, without reaping it where the system can tell (so its group can
    still be signalled safely)."""
    if process.returncode is not None:
        return True
    waitid = getattr(os, "waitid", None)
    if waitid is None:  # macOS before Python 3.13
        return process.poll() is not None
    try:
        return waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return process.poll() is not None
