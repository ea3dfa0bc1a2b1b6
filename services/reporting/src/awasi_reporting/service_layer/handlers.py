"""Reporting's use cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from awasi_reporting.domain.model import Kanal, Laporan, Pelapor, Peristiwa
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork

UowFactory = Callable[[], ReportingUnitOfWork]


async def submit_laporan(
    *, unit: str, kanal: Kanal, pelapor: Pelapor, terlapor: str, peristiwa: Peristiwa, uraian: str,
    uow_factory: UowFactory,
) -> tuple[Laporan, str]:
    laporan, secret = Laporan.receive(
        unit=unit, kanal=kanal, pelapor=pelapor, terlapor=terlapor, peristiwa=peristiwa, uraian=uraian,
        now=dt.datetime.now(dt.UTC),
    )
    async with uow_factory() as uow:
        await uow.laporan.add(laporan)
        uow.publish(*laporan.pull_events())
        await uow.commit()
    return laporan, secret
