from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from awasi_cli.launcher import Launcher
from awasi_cli.testing import process_env

from .harness import OwnPostgres, Stack


@pytest.fixture(scope="session")
def launcher() -> Iterator[Launcher]:
    """Forks planning and the probe for the fault tests, with what they import already imported."""
    launcher = Launcher(preload=["awasi_planning.bootstrap"], env=process_env())
    try:
        yield launcher
    finally:
        launcher.close()


@pytest.fixture
def stack(tmp_path: Path, database_url, launcher: Launcher) -> Iterator[Stack]:
    """Broker, planning and the probe as separate processes, on PostgreSQL when it answers."""
    with Stack(tmp_path, database_url("planning"), database_url("faultprobe"), launcher=launcher).running() as stack:
        yield stack


@pytest.fixture
def stack_of_two_workers(tmp_path: Path, database_url, launcher: Launcher) -> Iterator[Stack]:
    """The same processes, planning served by two worker processes (two relays, one outbox)."""
    url = database_url("planning")
    assert url.startswith("postgresql"), "several workers need PostgreSQL"
    with Stack(tmp_path, url, database_url("faultprobe"), launcher=launcher, planning_workers=2).running() as stack:
        yield stack


@pytest.fixture
def stack_on_own_postgres(
    tmp_path_factory: pytest.TempPathFactory, launcher: Launcher
) -> Iterator[tuple[Stack, OwnPostgres]]:
    """The same processes, on a PostgreSQL server this test may restart."""
    assert OwnPostgres.available(), "the database restart test needs root and PostgreSQL's binaries"
    workdir = tmp_path_factory.mktemp("own-pg")
    # Outside pytest's private (0700) temporary tree: the server runs as the postgres user.
    server_dir = Path(tempfile.mkdtemp(prefix="awasi-pg-"))
    server_dir.chmod(0o755)
    postgres = OwnPostgres(server_dir)
    postgres.init()
    stack = Stack(workdir, postgres.url("awasi_planning"), postgres.url("awasi_faultprobe"), launcher=launcher)
    try:
        with stack.running():
            yield stack, postgres
    finally:
        postgres.stop("immediate")
        shutil.rmtree(server_dir, ignore_errors=True)
