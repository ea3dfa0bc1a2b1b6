from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from awasi_common.auth import Principal, Role
from awasi_common.commands import CommandBus


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
