"""Services forked for a process that cannot fork them itself.

``awasi up`` forks each service from itself (:func:`awasi_cli.children.start_service`): what
every service imports is imported once, and a service starts with ~0.4 s of CPU instead of ~2 s.
A process with threads (a test process: its event loop's executor, its database dropper) must
not fork. It starts a launcher instead: ``python -m awasi_cli.launcher`` imports the same
modules once, reads one JSON request per line on its stdin and forks each service from itself,
and answers each request with one line on its stdout. The children are the launcher's, and die
with it; the launcher dies with the process that started it.

Requests: ``{"start": module, "env": {...}, "log": path, "cwd": path}`` answers ``{"pid": n}``;
``{"poll": pid}`` answers ``{"returncode": n or null}`` (the child reaped when it ended)."""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from awasi_cli import children


class Launcher:
    """The launcher process, seen from the process that started it."""

    def __init__(self, preload: Sequence[str] = (), env: Mapping[str, str] | None = None) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "awasi_cli.launcher", *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**(env if env is not None else os.environ), "AWASI_LAUNCHER_PARENT": str(os.getpid())},
        )
        self._lock = threading.Lock()
        self._ask({"poll": 0})  # ready: everything imported

    def start(self, module: str, env: Mapping[str, str], log: Path, cwd: Path | None = None) -> Launched:
        """``python -m <module>`` with ``env`` as its whole environment, in a session of its own,
        stdout and stderr appended to ``log``."""
        answer = self._ask({"start": module, "env": dict(env), "log": str(log), "cwd": str(cwd or os.getcwd())})
        return Launched(int(answer["pid"]), self)

    def returncode(self, pid: int) -> int | None:
        code = self._ask({"poll": pid})["returncode"]
        return None if code is None else int(code)

    def close(self) -> None:
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        with self._lock:
            self._process.stdin.write(json.dumps(request).encode() + b"\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the launcher ended (exit status {self._process.poll()})")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"the launcher could not {request}: {answer['error']}")
        return answer


class Launched(children.Forked):
    """A service the launcher forked: a :class:`~awasi_cli.children.Forked` whose exit status the
    launcher reads, whose child it is."""

    def __init__(self, pid: int, launcher: Launcher) -> None:
        super().__init__(pid)
        self._launcher = launcher

    def _reap(self, options: int) -> None:
        self.returncode = self._launcher.returncode(self.pid)
        if self.returncode is None and not options & os.WNOHANG:
            time.sleep(0.02)  # a blocking wait asks again, not at once


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The launcher's loop: one answer per request, until its stdin closes."""
    started: dict[int, children.Child] = {}
    for line in requests:
        request = json.loads(line)
        try:
            if "start" in request:
                with open(request["log"], "ab") as log:
                    child = children.start_service(request["start"], request["env"], log, cwd=request["cwd"])
                started[child.pid] = child
                answer: dict[str, Any] = {"pid": child.pid}
            else:
                known = started.get(int(request["poll"]))
                answer = {"returncode": None if known is None else known.poll()}
        except Exception as error:  # told to the asker, who raises it
            answer = {"error": f"{type(error).__name__}: {error}"}
        answers.write(json.dumps(answer).encode() + b"\n")
        answers.flush()


def main(argv: Sequence[str]) -> None:
    # Killed when the thread that started it ends (start it from the main thread), and then its
    # children get their own signal (``start_service``'s ``die_with_parent``).
    children.die_with(int(os.environ.pop("AWASI_LAUNCHER_PARENT", os.getppid())), signal.SIGKILL)
    children.preload()
    for module in argv:
        importlib.import_module(module)
    serve(sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main(sys.argv[1:])
