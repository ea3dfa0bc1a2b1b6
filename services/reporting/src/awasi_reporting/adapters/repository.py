"""Laporan in and out of the database."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_reporting.adapters.orm import laporan as table
from awasi_reporting.domain.model import Laporan


class LaporanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, laporan: Laporan) -> None:
        await self._session.execute(
            sa.insert(table).values(
                id=laporan.id,
                kode_pelacakan=laporan.kode_pelacakan,
                secret_hash=laporan.secret_hash,
                unit=laporan.unit,
                kanal=laporan.kanal.value,
                status=laporan.status.value,
                pelapor=dataclasses.asdict(laporan.pelapor),
                terlapor=laporan.terlapor,
                peristiwa={k: str(v) for k, v in dataclasses.asdict(laporan.peristiwa).items()},
                uraian=laporan.uraian,
                diterima_pada=laporan.diterima_pada,
            )
        )
