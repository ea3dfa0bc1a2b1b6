from __future__ import annotations

from typing import Self

from awasi_common.uow import UnitOfWork
from awasi_planning.adapters.repository import KegiatanRepository


class PlanningUnitOfWork(UnitOfWork):
    kegiatan: KegiatanRepository

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.kegiatan = KegiatanRepository(self.session)
        return self
