"""The processes ``awasi up`` starts: started from what it has already imported, dying with
it, being told apart from a reused PID, and being stopped with whatever they started in their
process group."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import gc
import importlib
import logging
import os
import runpy
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from typing import IO, NoReturn, Protocol

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
    if _PRCTL is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        die_with(parent, signum)

    return preexec


def die_with(parent: int, signum: int = signal.SIGTERM) -> None:
    """This process gets ``signum`` when the thread of ``parent`` that started it ends (see
    :func:`die_with_parent`); raises when ``parent`` is already gone. Nothing where Linux's
    prctl is missing."""
    if _PRCTL is None:
        return
    if _PRCTL(_PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != parent:  # the parent died before the line above: no signal would come
        raise ChildProcessError("the parent is gone")


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


def signal_group(process: Child, signum: int) -> None:
    """``signum`` to the process group of a child started in a session of its own (its PID is
    the group's), while the child is not yet reaped: until then that group id cannot be reused."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def exited(process: Child) -> bool:
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


# --- Services forked, not executed ---------------------------------------------------------------

PRELOADED = ("awasi_common.runtime", "alembic.command", "alembic.runtime.migration", "uvicorn", "lokal")
"""What every service imports before it can start (FastAPI, SQLAlchemy, FastStream and aiokafka,
pydantic, OpenTelemetry, Alembic, uvicorn, the region data): about 1 s of CPU per process. ``awasi
up`` imports it once and forks each service from itself, and each then imports only its own
modules (0.1 s). None of these modules reads the services' settings when imported."""


class Child(Protocol):
    """What ``awasi up`` uses of a child process: a :class:`subprocess.Popen` or a :class:`Forked`."""

    pid: int

    @property
    def returncode(self) -> int | None: ...

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def send_signal(self, sig: int) -> None: ...


class Forked:
    """A child forked from this process without ``exec``: a Popen's pid, returncode, poll, wait and
    send_signal."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self._reap(os.WNOHANG)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if timeout is None:
            while self.returncode is None:
                self._reap(0)
            return self.returncode
        deadline = time.monotonic() + timeout
        while (code := self.poll()) is None:
            if time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout)
            time.sleep(0.02)
        return code

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def _reap(self, options: int) -> None:
        try:
            pid, status = os.waitpid(self.pid, options)
        except ChildProcessError:  # reaped elsewhere: it ended, how is unknown (Popen says 0 too)
            self.returncode = 0
            return
        if pid:
            self.returncode = os.waitstatus_to_exitcode(status)


def preload() -> None:
    """Import :data:`PRELOADED` here, so that services forked from this process need not."""
    for name in PRELOADED:
        importlib.import_module(name)


def start_service(module: str, env: Mapping[str, str], log: IO[bytes], cwd: str | None = None) -> Child:
    """``python -m <module>`` in a session of its own (Ctrl-C in the terminal reaches ``awasi up``
    only), with ``env`` as its whole environment, stdout and stderr to ``log``, in ``cwd`` (this
    process's by default), dying with this process. Forked from this process when that is safe
    (one thread, :func:`preload` done): what is already imported is not imported again.
    Otherwise executed, as before."""
    if not _can_fork():
        return subprocess.Popen(
            [sys.executable, "-m", module],
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=die_with_parent(),
        )
    before_exec = die_with_parent()
    for stream in (sys.stdout, sys.stderr):  # or the child writes this process's pending output again
        with contextlib.suppress(Exception):
            stream.flush()
    gc.collect()
    gc.freeze()  # the child never collects this process's objects (a file closed there by its number)
    pid = os.fork()
    if pid == 0:
        _become(module, env, log.fileno(), before_exec, cwd)
    return Forked(pid)


def _can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1 and all(m in sys.modules for m in PRELOADED)


def _become(
    module: str, env: Mapping[str, str], log_fd: int, before_exec: Callable[[], None] | None, cwd: str | None
) -> NoReturn:
    """The forked child: made what ``python -m <module>`` would start as, then run; never returns
    to the caller's code (its ``finally`` blocks, its lock, its children are the parent's)."""
    status = 1
    try:
        os.setsid()
        signal.signal(signal.SIGINT, signal.default_int_handler)  # awasi up's own handlers, undone
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        if before_exec is not None:
            before_exec()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the lock file, pipes and sockets of awasi up
        atexit._clear()
        logging.root.handlers.clear()  # a fresh interpreter's logging, for the service to set up
        # Named before the environment changes: setproctitle finds the command line's memory by
        # the environment's, and finds nothing once that is rewritten.
        _name_process(f"{os.path.basename(sys.executable)} -m {module}")
        os.environ.clear()
        os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        sys.argv = sys.argv[:1]
        sys.path[0] = os.getcwd()  # as `python -m` puts it
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        status = 0
    except SystemExit as exit:
        status = _exit_status(exit.code)
    except BaseException:
        traceback.print_exc()
    finally:
        try:  # what the interpreter does when it exits: join threads, atexit, flush
            shutdown = getattr(threading, "_shutdown", None)
            if shutdown is not None:
                shutdown()
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


def _name_process(title: str) -> None:
    """``title`` in ps and /proc/<pid>/cmdline, in the space of awasi up's own command line (long
    enough): its environment block is left as it was (SPT_NOENV), so /proc/<pid>/environ still
    tells which data directory the process belongs to."""
    import setproctitle

    given = os.environ.get("SPT_NOENV")
    os.environ["SPT_NOENV"] = "1"
    try:
        setproctitle.setproctitle(title)
    finally:
        if given is None:
            del os.environ["SPT_NOENV"]
        else:
            os.environ["SPT_NOENV"] = given


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
