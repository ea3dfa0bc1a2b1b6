from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from awasi_common.auth import Principal, Role
from awasi_common.commands import CommandBus

from .conftest import effects


@dataclass(frozen=True)
class Tambah:
    n: int


@dataclass(frozen=True)
class Lain:
    pass


async def tambah(command: Tambah, principal: Principal | None, uow_factory: Any) -> tuple[int, str | None]:
    store = uow_factory()
    store.append(command.n)
    return sum(store), principal.unit if principal else None


async def test_the_bus_runs_the_handler_of_the_commands_type_with_its_unit_of_work() -> None:
    store: list[int] = [1]
    bus = CommandBus({Tambah: tambah}, lambda: store)
    principal = Principal(subject="u1", unit="35.05", role=Role.OPERATOR)
    assert await bus.handle(Tambah(2), principal) == (3, "35.05")
    assert await bus.handle(Tambah(4)) == (7, None)
    with pytest.raises(LookupError, match="Lain"):
        await bus.handle(Lain())


@dataclass(frozen=True)
class Tukar:
    """Write two rows of the scratch table, in the given order."""

    first: str
    then: str


async def test_a_command_that_deadlocks_on_postgresql_is_run_again(scratch: Any) -> None:
    """Two commands lock the same two rows in opposite orders: PostgreSQL aborts one with
    deadlock_detected; the bus runs that one again and both end written, none twice."""
    if not scratch.url.startswith("postgresql"):
        pytest.skip("deadlock detection is PostgreSQL's")
    async with scratch.engine.begin() as connection:
        await connection.execute(sa.insert(effects), [{"event_id": "-", "key": k} for k in ("a", "b")])
    both_hold_one = asyncio.Barrier(2)
    runs: list[str] = []

    async def tukar(command: Tukar, principal: Principal | None, uow_factory: Any) -> None:
        runs.append(command.first)
        async with uow_factory() as uow:
            await uow.session.execute(
                sa.update(effects).where(effects.c.key == command.first).values(note=f"{command.first}{command.then}")
            )
            if len(runs) <= 2:  # the first run of each: wait until the other holds its row too
                await asyncio.wait_for(both_hold_one.wait(), 10)
            await uow.session.execute(
                sa.update(effects).where(effects.c.key == command.then).values(note=f"{command.first}{command.then}")
            )
            await uow.commit()

    bus = CommandBus({Tukar: tukar}, scratch.uow)
    await asyncio.gather(bus.handle(Tukar("a", "b")), bus.handle(Tukar("b", "a")))
    assert len(runs) == 3  # one of the two ran again
    async with scratch.engine.connect() as connection:
        notes = (await connection.execute(sa.select(effects.c.note))).scalars().all()
    assert len(notes) == 2 and len(set(notes)) == 1  # both rows written by the command that ran last


async def test_deadlocks_and_serialization_failures_are_told_apart_from_other_errors() -> None:
    from awasi_common.db import is_transient_conflict

    class Deadlock(Exception):
        sqlstate = "40P01"

    error = sa.exc.DBAPIError("UPDATE …", {}, Deadlock())
    assert is_transient_conflict(error) and not is_transient_conflict(sa.exc.DBAPIError("x", {}, ValueError()))


async def test_a_command_whose_row_moved_on_is_run_again_and_refused_only_when_it_keeps_moving() -> None:
    from awasi_common.errors import StaleWrite

    runs: list[int] = []

    async def simpan(command: Tambah, principal: Principal | None, uow_factory: Any) -> int:
        runs.append(command.n)
        if len(runs) < command.n:
            raise StaleWrite("Laporan LP-1 baru saja diubah oleh orang lain; muat ulang lalu coba lagi.")
        return len(runs)

    bus = CommandBus({Tambah: simpan}, lambda: None)
    assert await bus.handle(Tambah(2)) == 2  # moved on once: run again, done
    runs.clear()
    with pytest.raises(StaleWrite, match="LP-1"):
        await bus.handle(Tambah(99))  # keeps moving: the 409 after the last run
    assert len(runs) == 3
