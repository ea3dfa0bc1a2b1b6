from __future__ import annotations

from typing import Self

from awasi_common.uow import UnitOfWork
from awasi_planning.adapters.repository import KegiatanRepository
from awasi_planning.adapters.token_kalender import TokenKalenderRepository


class PlanningUnitOfWork(UnitOfWork):
    kegiatan: KegiatanRepository
    token_kalender: TokenKalenderRepository

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.kegiatan = KegiatanRepository(self.session)
        self.token_kalender = TokenKalenderRepository(self.session)
        return self
