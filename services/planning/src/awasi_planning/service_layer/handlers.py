"""Planning's use cases. Each runs in one unit of work: rows and events commit together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from awasi_common.auth import Principal
from awasi_common.calendar import local_date
from awasi_common.errors import Conflict, NotFound
from awasi_planning.domain.model import Jadwal, Kegiatan, Realisasi
from awasi_planning.service_layer.importing import ImportPlan
from awasi_planning.service_layer.unit_of_work import PlanningUnitOfWork

UowFactory = Callable[[], PlanningUnitOfWork]
SavingProgress = Callable[[int, int], Awaitable[None]]


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


def now() -> dt.datetime:
    """The current moment (a seam for tests that need another day)."""
    return dt.datetime.now(dt.UTC)


async def complete(kegiatan_id: str, realisasi: Realisasi, principal: Principal, uow_factory: UowFactory) -> Kegiatan:
    moment = now()
    return await _change(
        kegiatan_id,
        principal,
        uow_factory,
        lambda k: k.complete(realisasi, today=local_date(moment, k.unit)),
    )


@dataclass
class ImportResult:
    plan: ImportPlan
    dry_run: bool
    existing: dict[str, Kegiatan] = field(default_factory=dict)
    """Kegiatan of the document imported before, by identity: left as they are."""
    created: dict[str, Kegiatan] = field(default_factory=dict)
    """Kegiatan this import created (or, in a dry run, would create), by identity."""


async def import_document(
    plan: ImportPlan,
    principal: Principal,
    uow_factory: UowFactory,
    *,
    dry_run: bool = False,
    progress: SavingProgress | None = None,
) -> ImportResult:
    """Create the kegiatan a document describes, in one transaction with their events.

    Kegiatan imported before (same identity) are left untouched, so importing a document twice
    creates nothing new. ``progress`` hears (0, n) once everything is checked and before the
    first write, then (i, n) as kegiatan are added.
    """
    if dry_run:
        principal.require_read(plan.unit)
    else:
        principal.require_act(plan.unit)
    sources = [k.sumber for _, k in plan.items if k.sumber]
    for attempt in (1, 2):
        try:
            return await _import_once(plan, sources, uow_factory, dry_run=dry_run, progress=progress)
        except IntegrityError as error:
            # Another import of the same document committed first (PostgreSQL makes this one
            # wait on the unique identity, then refuses it): look again, it finds them.
            if attempt == 2:
                raise Conflict("Dokumen yang sama sedang diimpor bersamaan; coba lagi.") from error
    raise AssertionError("unreachable")


async def _import_once(
    plan: ImportPlan,
    sources: list[str],
    uow_factory: UowFactory,
    *,
    dry_run: bool,
    progress: SavingProgress | None,
) -> ImportResult:
    async with uow_factory() as uow:
        existing = await uow.kegiatan.by_sources(sources)
        new = [(item, k) for item, k in plan.items if k.sumber not in existing]
        result = ImportResult(plan, dry_run, existing)
        if progress:
            await progress(0, len(new))
        for done, (item, template) in enumerate(new, start=1):
            kegiatan = plan.fresh(item, template)
            result.created[kegiatan.sumber or kegiatan.id] = kegiatan
            if dry_run:
                continue
            await uow.kegiatan.add(kegiatan)
            uow.publish(*kegiatan.pull_events())
            if progress and (done % 10 == 0 or done == len(new)):
                await progress(done, len(new))
        if not dry_run:
            await uow.commit()
        return result
