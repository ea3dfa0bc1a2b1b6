"""The suite's ports for its own servers: below the kernel's ephemeral range, one slice per
test process, never a port something listens on."""

from __future__ import annotations

import itertools
import socket

import pytest

from awasi_cli import testing


def test_ports_are_below_the_ephemeral_range_and_not_repeated() -> None:
    ports = [testing.free_port() for _ in range(50)]
    assert len(set(ports)) == 50
    assert max(ports) < testing._ephemeral_low()


def test_a_port_something_listens_on_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(testing, "_next_ports", None)
    first = testing.free_port()
    monkeypatch.setattr(testing, "_next_ports", None)  # start the slice again: `first` comes up next
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", first))
        listening.listen()
        assert testing.free_port() > first


def test_each_xdist_worker_has_a_slice_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    firsts = []
    for worker in ("", "gw0", "gw1", "gw5"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        firsts.append(next(testing._ports()))
    assert sorted(firsts) == firsts and len(set(firsts)) == 4
    assert all(b - a >= testing.PORT_SLICE for a, b in itertools.pairwise(firsts))
    assert firsts[-1] + testing.PORT_SLICE <= testing._ephemeral_low()
