"""The suite's ports for its own servers: outside the kernel's ephemeral range, one slice per
test process, never a port something listens on or another process has handed out."""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys

import pytest

from awasi_cli import testing


def test_ports_are_outside_the_ephemeral_range_and_not_repeated() -> None:
    ports = [testing.free_port() for _ in range(50)]
    low, high = testing._ephemeral_range()
    assert len(set(ports)) == 50
    assert all(1024 <= port < low or high < port <= 65535 for port in ports)


def test_a_port_something_listens_on_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(testing, "_claim", lambda port: True)  # the listener alone decides here
    monkeypatch.setattr(testing, "_next_ports", None)
    first = testing.free_port()
    monkeypatch.setattr(testing, "_next_ports", None)  # start the slice again: `first` comes up next
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", first))
        listening.listen()
        assert testing.free_port() > first


CLAIM_AND_WAIT = """
import json, sys
from awasi_cli.testing import free_port
print(json.dumps([free_port() for _ in range(20)]), flush=True)
sys.stdin.read()  # the claims are held until the test closes stdin
"""


def test_two_processes_on_one_slice_hand_out_different_ports() -> None:
    """Two processes walking the same slice (two runs' gw9) from its start: without the claims
    they would hand out the same twenty ports."""
    env = {**os.environ, "PYTEST_XDIST_WORKER": "gw9"}
    first, second = (
        subprocess.Popen([sys.executable, "-c", CLAIM_AND_WAIT], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        for _ in range(2)
    )
    try:
        assert first.stdout is not None and second.stdout is not None
        ports = json.loads(first.stdout.readline())
        others = json.loads(second.stdout.readline())
    finally:
        for process in (first, second):
            process.communicate(timeout=30)
    assert len(set(ports)) == len(set(others)) == 20
    assert not set(ports) & set(others)


def test_each_xdist_worker_has_a_slice_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    firsts = []
    for worker in ("", "gw0", "gw1", "gw5"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        firsts.append(next(testing._ports()))
    assert sorted(firsts) == firsts and len(set(firsts)) == 4
    assert all(b - a >= testing.PORT_SLICE for a, b in itertools.pairwise(firsts))
    assert firsts[-1] + testing.PORT_SLICE <= testing._ephemeral_range()[0]


def test_a_range_that_starts_low_puts_the_slices_above_it_or_leaves_the_pick_to_the_kernel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    monkeypatch.setattr(testing, "_ephemeral_range", lambda: (5000, 50000))
    assert next(testing._ports()) == 50001
    monkeypatch.setattr(testing, "_ephemeral_range", lambda: (1024, 65535))
    port = next(testing._ports())
    assert 1024 <= port <= 65535
