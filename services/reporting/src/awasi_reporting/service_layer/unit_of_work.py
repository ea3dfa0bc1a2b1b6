from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

from awasi_common.uow import UnitOfWork
from awasi_reporting.adapters.identity import IdentityCipher
from awasi_reporting.adapters.repository import (
    LaporanRepository,
    PengawasanRepository,
    ReadModelRepository,
    SequenceRepository,
    TemuanRepository,
)


class ReportingUnitOfWork(UnitOfWork):
    laporan: LaporanRepository
    temuan: TemuanRepository
    nomor: SequenceRepository
    pengawasan: PengawasanRepository
    read_models: ReadModelRepository

    def __init__(self, *args: Any, cipher: IdentityCipher, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cipher = cipher

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.laporan = LaporanRepository(self.session, self.cipher)
        self.temuan = TemuanRepository(self.session)
        self.nomor = SequenceRepository(self.session)
        self.pengawasan = PengawasanRepository(self.session)
        self.read_models = ReadModelRepository(self.session)
        return self

    async def commit(self) -> None:
        await self.read_models.flush()  # figures counted by the handlers, added once per commit
        await super().commit()


UowFactory = Callable[[], ReportingUnitOfWork]
