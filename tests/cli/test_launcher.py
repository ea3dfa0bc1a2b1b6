"""The launcher (awasi_cli.launcher): a test process has threads and must not fork, so it asks a
launcher of its own, which forks each service from what it has already imported. What a service
sees is what ``python -m`` would give it, as when ``awasi up`` forks it (test_start_service.py)."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from awasi_cli.launcher import Launcher

ROOT = Path(__file__).parents[2]


@pytest.fixture
def launcher() -> Iterator[Launcher]:
    launcher = Launcher()
    yield launcher
    launcher.close()


def seen(log: Path) -> dict[str, object]:
    return dict(json.loads(log.read_text().splitlines()[-1]))


def test_a_service_is_forked_by_the_launcher_as_python_m_would_start_it(launcher: Launcher, tmp_path: Path) -> None:
    log = tmp_path / "probe.log"
    child = launcher.start("tests.cli.forked_probe", {"PROBE_EXIT": "3", "ONLY": "this"}, log, cwd=ROOT)
    assert child.wait(timeout=60) == 3  # its exit status, as a Popen reads it
    assert child.poll() == 3
    probe = seen(log)
    assert probe["preloaded"] is True  # what the launcher imported was not imported again
    assert probe["environ"] == {"PROBE_EXIT": "3", "ONLY": "this"}
    assert probe["own_session"] is True  # its process group can be killed with what it started
    assert probe["fds"] == [0, 1, 2]  # not the launcher's pipes
    assert probe["death_signal"] == signal.SIGTERM  # dies with the launcher
    assert probe["cwd"] == str(ROOT)
    assert probe["cmdline"].endswith("-m tests.cli.forked_probe")  # type: ignore[union-attr]
    assert probe["stdin"] == ""


def test_a_running_service_is_signalled_and_its_status_read(launcher: Launcher, tmp_path: Path) -> None:
    child = launcher.start("tests.cli.forked_probe", {"PROBE_EXIT": "0", "PROBE_SLEEP": "60"}, tmp_path / "a.log")
    deadline = time.monotonic() + 30
    while not (tmp_path / "a.log").exists() or not (tmp_path / "a.log").read_text():
        assert time.monotonic() < deadline, "the probe never started"
        time.sleep(0.05)
    assert child.poll() is None
    assert os.getpgid(child.pid) == child.pid  # a session (and process group) of its own
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=10) == -signal.SIGKILL


def test_closing_the_launcher_ends_the_services_it_started(tmp_path: Path) -> None:
    launcher = Launcher()
    child = launcher.start("tests.cli.forked_probe", {"PROBE_EXIT": "0", "PROBE_SLEEP": "60"}, tmp_path / "a.log")
    process = psutil.Process(child.pid)
    launcher.close()
    _, alive = psutil.wait_procs([process], timeout=20)
    assert not alive


def test_a_module_that_cannot_be_run_is_told(launcher: Launcher, tmp_path: Path) -> None:
    child = launcher.start("tests.cli.no_such_module", {}, tmp_path / "b.log", cwd=ROOT)
    assert child.wait(timeout=30) == 1
    assert "No module named tests.cli.no_such_module" in (tmp_path / "b.log").read_text()
