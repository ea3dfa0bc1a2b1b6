from __future__ import annotations

from typing import Self

from awasi_common.uow import UnitOfWork
from awasi_reporting.adapters.repository import LaporanRepository


class ReportingUnitOfWork(UnitOfWork):
    laporan: LaporanRepository

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.laporan = LaporanRepository(self.session)
        return self
