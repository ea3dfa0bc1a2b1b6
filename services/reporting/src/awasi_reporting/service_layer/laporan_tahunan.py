"""Drafting and issuing a unit's annual division report.

A draft is rendered from the figures as they are now; issuing takes the next number of the
unit's register, renders the PDF with it and keeps that PDF, in one transaction: a report is
numbered once, and every later download is the document that was issued."""

from __future__ import annotations

import asyncio
import datetime as dt

import sqlalchemy as sa

from awasi_common.auth import Principal
from awasi_common.commands import signed_in
from awasi_common.units import unit_name
from awasi_reporting.adapters import angka
from awasi_reporting.adapters import laporan_tahunan as render
from awasi_reporting.commands import LaporanTahunan, TerbitkanLaporanTahunan
from awasi_reporting.domain.laporan_tahunan import LaporanTahunanData, LaporanTahunanTerbit
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork, UowFactory


async def _data(uow: ReportingUnitOfWork, report: LaporanTahunan) -> LaporanTahunanData:
    return await angka.laporan_tahunan(
        uow.session,
        unit=report.unit,
        unit_nama=unit_name(report.unit) or report.unit,
        tahun=report.tahun,
        divisi=report.divisi,
    )


async def unduh_pdf(report: LaporanTahunan, uow_factory: UowFactory) -> tuple[bytes, LaporanTahunanTerbit | None]:
    """The issued PDF when there is one, else a draft of the figures as they are now."""
    async with uow_factory() as uow:
        issued = await uow.laporan_tahunan.get(report.unit, report.tahun, report.divisi)
        if issued is not None:
            pdf = await uow.laporan_tahunan.pdf(report.unit, report.tahun, report.divisi)
            assert pdf is not None
            return pdf, issued
        data = await _data(uow, report)
    return await asyncio.to_thread(render.render_pdf, data, report.draf(dt.datetime.now(dt.UTC))), None


async def terbitkan(
    report: TerbitkanLaporanTahunan, principal: Principal | None, uow_factory: UowFactory
) -> tuple[LaporanTahunanTerbit, bool]:
    """Issue the report; returns it and whether this call issued it (False: it was already)."""
    principal = signed_in(principal)
    principal.require_act(report.unit)
    now = dt.datetime.now(dt.UTC)
    draf = report.draf(now)
    try:
        async with uow_factory() as uow:
            issued = await uow.laporan_tahunan.get(report.unit, report.tahun, report.divisi)
            if issued is not None:
                issued.terbitkan_lagi(draf)
                return issued, False
            seq = await uow.nomor.next(report.unit, "LT", draf.tanggal.year)
            record = LaporanTahunanTerbit.terbitkan(
                draf,
                seq=seq,
                unit=report.unit,
                tahun=report.tahun,
                divisi=report.divisi,
                oleh=principal.subject,
                pada=now,
            )
            pdf = await asyncio.to_thread(render.render_pdf, await _data(uow, report), record.pengesahan)
            await uow.laporan_tahunan.add(record, pdf)
            await uow.commit()
            return record, True
    except sa.exc.IntegrityError:
        # Issued by a concurrent request between our look-up and our insert: its number stands
        # (ours was rolled back with the insert), and this request is answered like a repeat.
        async with uow_factory() as uow:
            issued = await uow.laporan_tahunan.get(report.unit, report.tahun, report.divisi)
        if issued is None:
            raise
        issued.terbitkan_lagi(draf)
        return issued, False
