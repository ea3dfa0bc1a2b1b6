"""How ``awasi up`` starts a service (awasi_cli.children.start_service): forked from itself once it
has imported what every service imports, and then in every way visible to the service as if
executed as ``python -m awasi_<service>``; executed when forking is not safe (other threads).

Each case runs in a process of its own: the suite's processes have threads, where forking is not
safe and start_service must not fork."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

DRIVER = textwrap.dedent(
    """
    import fcntl, json, sys, threading, time
    from awasi_cli.children import preload, start_service

    lock = open(sys.argv[1] + "/lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # as awasi up holds its lock file
    if sys.argv[2] == "threads":
        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
    preload()
    with open(sys.argv[1] + "/out", "ab") as log:
        child = start_service("tests.cli.forked_probe", {"PROBE_EXIT": "3", "ONLY": "this"}, log)
    print(json.dumps({"status": child.wait(timeout=60), "type": type(child).__name__}))
    """
)


def run(tmp_path: Path, mode: str) -> tuple[dict[str, object], dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(tmp_path), mode],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout), json.loads((tmp_path / "out").read_text().splitlines()[-1])


def test_a_service_is_forked_and_sees_what_python_m_would_give_it(tmp_path: Path) -> None:
    parent, seen = run(tmp_path, "alone")
    assert parent == {"status": 3, "type": "Forked"}  # its exit status, read as a Popen would
    assert seen["preloaded"] is True  # what awasi up imported was not imported again
    assert seen["environ"] == {"PROBE_EXIT": "3", "ONLY": "this"}  # only the environment it was given
    assert seen["argv"] == []  # not `up`, awasi up's own arguments
    assert seen["own_session"] is True  # Ctrl-C in the terminal reaches awasi up only
    assert seen["fds"] == [0, 1, 2]  # not awasi up's lock file (a flock would outlive awasi up), pipes, sockets
    assert seen["sigint"] is True and seen["sigterm"] is True  # awasi up's signal handlers undone
    assert seen["death_signal"] == signal.SIGTERM  # dies with awasi up
    assert seen["cmdline"] == "python -m tests.cli.forked_probe"  # named in ps as it would be
    assert seen["stdin"] == ""  # nothing to read


def test_with_other_threads_running_it_is_executed_instead(tmp_path: Path) -> None:
    parent, seen = run(tmp_path, "threads")
    assert parent == {"status": 3, "type": "Popen"}
    assert seen["preloaded"] is False
    environ = dict(seen["environ"])  # type: ignore[call-overload]
    environ.pop("LC_CTYPE", None)  # a new interpreter without LANG coerces the C locale (PEP 538)
    assert environ == {"PROBE_EXIT": "3", "ONLY": "this"}
    assert seen["fds"] == [0, 1, 2] and seen["own_session"] is True and seen["death_signal"] == signal.SIGTERM
