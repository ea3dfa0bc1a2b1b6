"""Planning's use cases. Each runs in one unit of work: rows and events commit together."""

from __future__ import annotations

from collections.abc import Callable

from awasi_common.auth import Principal
from awasi_common.errors import NotFound
from awasi_planning.domain.model import Jadwal, Kegiatan, Realisasi
from awasi_planning.service_layer.unit_of_work import PlanningUnitOfWork

UowFactory = Callable[[], PlanningUnitOfWork]


async def create_kegiatan(
    kegiatan: Kegiatan, principal: Principal, uow_factory: UowFactory, *, schedule: bool = True
) -> Kegiatan:
    principal.require_act(kegiatan.unit)
    if schedule:
        kegiatan.schedule()
    async with uow_factory() as uow:
        await uow.kegiatan.add(kegiatan)
        uow.publish(*kegiatan.pull_events())
        await uow.commit()
    return kegiatan


async def _change(
    kegiatan_id: str, principal: Principal, uow_factory: UowFactory, change: Callable[[Kegiatan], None]
) -> Kegiatan:
    async with uow_factory() as uow:
        kegiatan = await uow.kegiatan.get(kegiatan_id, for_update=True)
        if kegiatan is None or not principal.can_read(kegiatan.unit):
            raise NotFound(f"Kegiatan {kegiatan_id} tidak ditemukan.")
        principal.require_act(kegiatan.unit)
        change(kegiatan)
        await uow.kegiatan.save(kegiatan)
        uow.publish(*kegiatan.pull_events())
        await uow.commit()
    return kegiatan


async def schedule(kegiatan_id: str, principal: Principal, uow_factory: UowFactory) -> Kegiatan:
    return await _change(kegiatan_id, principal, uow_factory, lambda k: k.schedule())


async def reschedule(kegiatan_id: str, jadwal: Jadwal, principal: Principal, uow_factory: UowFactory) -> Kegiatan:
    return await _change(kegiatan_id, principal, uow_factory, lambda k: k.reschedule(jadwal))


async def cancel(kegiatan_id: str, alasan: str, principal: Principal, uow_factory: UowFactory) -> Kegiatan:
    return await _change(kegiatan_id, principal, uow_factory, lambda k: k.cancel(alasan))


async def complete(
    kegiatan_id: str, realisasi: Realisasi, principal: Principal, uow_factory: UowFactory
) -> Kegiatan:
    return await _change(kegiatan_id, principal, uow_factory, lambda k: k.complete(realisasi))
