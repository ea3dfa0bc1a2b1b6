"""Planning's use cases. Each runs in one unit of work: rows and events commit together.

A handler is ``async def handler(command, principal, uow_factory)``; :data:`HANDLERS` maps each
command of :mod:`awasi_planning.commands` to its handler for the service's ``CommandBus``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError

from awasi_common.auth import Principal
from awasi_common.calendar import local_date
from awasi_common.commands import signed_in
from awasi_common.errors import Conflict, NotFound
from awasi_common.events.envelope import Envelope
from awasi_common.events.identity import AccountChanged, AccountDisabled
from awasi_planning.commands import (
    BatalkanKegiatan,
    BuatKegiatan,
    BuatTokenKalender,
    CabutTokenKalender,
    CatatRealisasi,
    ImporDokumen,
    JadwalkanKegiatan,
    JadwalUlangKegiatan,
    SavingProgress,
    UbahKegiatan,
)
from awasi_planning.domain import token_kalender
from awasi_planning.domain.model import Kegiatan
from awasi_planning.domain.token_kalender import TokenKalender
from awasi_planning.service_layer.importing import ImportPlan, plan_import
from awasi_planning.service_layer.unit_of_work import PlanningUnitOfWork

UowFactory = Callable[[], PlanningUnitOfWork]


async def create_kegiatan(command: BuatKegiatan, principal: Principal | None, uow_factory: UowFactory) -> Kegiatan:
    kegiatan = command.kegiatan()
    signed_in(principal).require_act(kegiatan.unit)
    if not command.draft:
        kegiatan.schedule()
    async with uow_factory() as uow:
        await uow.kegiatan.add(kegiatan)
        uow.publish(*kegiatan.pull_events())
        await uow.commit()
    return kegiatan


async def _change(
    kegiatan_id: str, principal: Principal | None, uow_factory: UowFactory, change: Callable[[Kegiatan], None]
) -> Kegiatan:
    acting = signed_in(principal)
    async with uow_factory() as uow:
        kegiatan = await uow.kegiatan.get(kegiatan_id, for_update=True)
        if kegiatan is None or not acting.can_read(kegiatan.unit):
            raise NotFound(f"Kegiatan {kegiatan_id} tidak ditemukan.")
        acting.require_act(kegiatan.unit)
        change(kegiatan)
        await uow.kegiatan.save(kegiatan)
        uow.publish(*kegiatan.pull_events())
        await uow.commit()
    return kegiatan


async def schedule(command: JadwalkanKegiatan, principal: Principal | None, uow_factory: UowFactory) -> Kegiatan:
    return await _change(command.kegiatan_id, principal, uow_factory, lambda k: k.schedule())


async def reschedule(command: JadwalUlangKegiatan, principal: Principal | None, uow_factory: UowFactory) -> Kegiatan:
    return await _change(command.kegiatan_id, principal, uow_factory, lambda k: k.reschedule(command.jadwal))


async def correct(command: UbahKegiatan, principal: Principal | None, uow_factory: UowFactory) -> Kegiatan:
    """Only what changed is written, with KegiatanUpdated for a scheduled kegiatan; a correction
    that changes nothing writes nothing."""
    acting = signed_in(principal)
    async with uow_factory() as uow:
        kegiatan = await uow.kegiatan.get(command.kegiatan_id, for_update=True)
        if kegiatan is None or not acting.can_read(kegiatan.unit):
            raise NotFound(f"Kegiatan {command.kegiatan_id} tidak ditemukan.")
        acting.require_act(kegiatan.unit)
        if kegiatan.correct(command.perubahan):
            await uow.kegiatan.save(kegiatan)
            uow.publish(*kegiatan.pull_events())
            await uow.commit()
    return kegiatan


async def cancel(command: BatalkanKegiatan, principal: Principal | None, uow_factory: UowFactory) -> Kegiatan:
    return await _change(command.kegiatan_id, principal, uow_factory, lambda k: k.cancel(command.alasan))


def now() -> dt.datetime:
    """The current moment (a seam for tests that need another day)."""
    return dt.datetime.now(dt.UTC)


async def complete(command: CatatRealisasi, principal: Principal | None, uow_factory: UowFactory) -> Kegiatan:
    moment = now()
    return await _change(
        command.kegiatan_id,
        principal,
        uow_factory,
        lambda k: k.complete(command.realisasi, today=local_date(moment, k.unit)),
    )


@dataclass
class ImportResult:
    plan: ImportPlan
    dry_run: bool
    existing: dict[str, Kegiatan] = field(default_factory=dict)
    """Kegiatan of the document imported before, by identity: left as they are."""
    created: dict[str, Kegiatan] = field(default_factory=dict)
    """Kegiatan this import created (or, in a dry run, would create), by identity."""


async def import_document(command: ImporDokumen, principal: Principal | None, uow_factory: UowFactory) -> ImportResult:
    """Create the kegiatan a document describes, in one transaction with their events.

    The document is read first (a document that is no plan is refused before anything else).
    Kegiatan imported before (same identity) are left untouched, so importing a document twice
    creates nothing new. ``command.progress`` hears (0, n) once everything is checked and before
    the first write, then (i, n) as kegiatan are added.
    """
    plan = await asyncio.to_thread(
        plan_import,
        command.berkas,
        command.nama,
        unit=command.unit,
        divisi=command.divisi,
        draft=command.draft,
        max_bytes=command.max_bytes,
    )
    acting = signed_in(principal)
    if command.dry_run:
        acting.require_read(plan.unit)
    else:
        acting.require_act(plan.unit)
    sources = [k.sumber for _, k in plan.items if k.sumber]
    for attempt in (1, 2):
        try:
            return await _import_once(plan, sources, uow_factory, dry_run=command.dry_run, progress=command.progress)
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


async def create_feed_token(
    command: BuatTokenKalender, principal: Principal | None, uow_factory: UowFactory
) -> tuple[TokenKalender, str]:
    """A calendar feed token for the person signed in: the record and the token (shown once)."""
    person = signed_in(principal)
    record, token = TokenKalender.buat(person, command.label, dt.datetime.now(dt.UTC))
    async with uow_factory() as uow:
        if await uow.token_kalender.active_count(person.subject) >= token_kalender.PALING_BANYAK:
            raise Conflict(
                f"Anda sudah memiliki {token_kalender.PALING_BANYAK} token kalender aktif; cabut yang tidak dipakai."
            )
        await uow.token_kalender.add(record)
        await uow.commit()
    return record, token


async def revoke_feed_token(command: CabutTokenKalender, principal: Principal | None, uow_factory: UowFactory) -> None:
    """Only its owner revokes a feed token; another person's id is not found."""
    person = signed_in(principal)
    async with uow_factory() as uow:
        if not await uow.token_kalender.revoke(command.token_id, person.subject, dt.datetime.now(dt.UTC)):
            raise NotFound(f"Token kalender {command.token_id} tidak ditemukan.")
        await uow.commit()


async def revoke_feed_tokens_of_disabled(event: AccountDisabled, envelope: Envelope, uow: PlanningUnitOfWork) -> None:
    """A disabled account's calendar feed tokens are revoked for good: they outlive any access
    token, and a process started long after the disabling would not know of it otherwise."""
    await uow.token_kalender.revoke_all(event.akun_id, event.dinonaktifkan_pada)


async def revoke_feed_tokens_of_moved(event: AccountChanged, envelope: Envelope, uow: PlanningUnitOfWork) -> None:
    """A feed token reads with the unit and role its maker had: when either changes, the person
    makes a new one (the divisi or the term alone leave it)."""
    if event.unit != event.unit_sebelumnya or event.role != event.role_sebelumnya:
        await uow.token_kalender.revoke_all(event.akun_id, envelope.time)


HANDLERS: dict[type, Any] = {
    BuatKegiatan: create_kegiatan,
    JadwalkanKegiatan: schedule,
    JadwalUlangKegiatan: reschedule,
    UbahKegiatan: correct,
    BatalkanKegiatan: cancel,
    CatatRealisasi: complete,
    ImporDokumen: import_document,
    BuatTokenKalender: create_feed_token,
    CabutTokenKalender: revoke_feed_token,
}
