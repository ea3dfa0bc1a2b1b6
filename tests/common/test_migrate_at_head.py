"""A service that starts on a database already at its newest revision leaves alembic alone; one
behind it, or missing a revision that appeared since, is brought up to date."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from awasi_cli.testing import Databases
from awasi_common import migrations
from awasi_common.db import create_engine
from awasi_planning.bootstrap import MIGRATIONS


async def _revisions_in(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set((await connection.execute(sa.text("SELECT version_num FROM alembic_version"))).scalars())
    finally:
        await engine.dispose()


async def _set_version(url: str, version: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": version})
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
async def test_alembic_runs_only_when_the_database_is_behind(
    backend: str, database_url: Databases, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_url("planning") if backend == "postgresql" else f"sqlite+aiosqlite:///{tmp_path}/planning.db"
    if not url.startswith(backend):
        pytest.skip(f"{backend} is not available here")
    # A copy of planning's migrations: a revision is added to it below, and other processes of
    # the suite migrate from the real folder meanwhile.
    folder = shutil.copytree(MIGRATIONS, tmp_path / "migrations", ignore=shutil.ignore_patterns("__pycache__"))
    await migrations.upgrade(folder, url)  # a new database: alembic builds it
    heads = await _revisions_in(url)
    assert heads and len(heads) == 1

    ran: list[str] = []
    monkeypatch.setattr(migrations.command, "upgrade", lambda config, revision: ran.append(revision))
    await migrations.upgrade(folder, url)
    assert ran == []  # at head: nothing to do

    await _set_version(url, "0001")  # as a database a release behind would be
    await migrations.upgrade(folder, url)
    assert ran == ["head"]

    # A revision file that appears while the process runs is seen (the heads are not kept stale).
    await _set_version(url, next(iter(heads)))
    ran.clear()
    head = next(iter(heads))
    (folder / "versions" / "zzzz_probe_head.py").write_text(
        f'revision = "zzzz"\ndown_revision = "{head}"\n\n\ndef upgrade():\n    pass\n'
    )
    await migrations.upgrade(folder, url)
    assert ran == ["head"]
