"""Run as ``-m tests.cli.forked_probe`` by test_start_service.py: writes what the process it runs
in looks like (JSON, one line, to stdout), then sleeps PROBE_SLEEP seconds (none by default) and
exits with the status named in PROBE_EXIT."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import time
from pathlib import Path

_PR_GET_PDEATHSIG = 2


def _open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


if __name__ == "__main__":
    death = ctypes.c_int(0)
    ctypes.CDLL(None).prctl(_PR_GET_PDEATHSIG, ctypes.byref(death), 0, 0, 0)
    print(
        json.dumps(
            {
                "preloaded": "fastapi" in sys.modules,
                "environ": dict(os.environ),
                "argv": sys.argv[1:],
                "own_session": os.getsid(0) == os.getpid(),
                "fds": [fd for fd in range(1024) if _open(fd)],
                "sigint": signal.getsignal(signal.SIGINT) is signal.default_int_handler,
                "sigterm": signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,
                "death_signal": death.value,
                "cmdline": Path("/proc/self/cmdline").read_bytes().replace(b"\0", b" ").decode().strip(),
                "stdin": os.read(0, 10).decode(),
                "cwd": os.getcwd(),
            }
        ),
        flush=True,
    )
    time.sleep(float(os.environ.get("PROBE_SLEEP", "0")))
    sys.exit(int(os.environ["PROBE_EXIT"]))
