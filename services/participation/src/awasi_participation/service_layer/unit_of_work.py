from __future__ import annotations

from typing import Self

from awasi_common.uow import UnitOfWork
from awasi_participation.adapters.repository import Repository


class ParticipationUnitOfWork(UnitOfWork):
    repo: Repository

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.repo = Repository(self.session)
        return self
