"""Supervision records: temuan, Form A (alone or collective), pencegahan, penertiban APK, PSAP."""

from __future__ import annotations

import datetime as dt

from awasi_common.auth import Principal, Role
from awasi_common.commands import signed_in
from awasi_common.errors import DomainError, NotFound
from awasi_common.units import Level, is_within, level_of, parent_of
from awasi_reporting.commands import (
    CatatPencegahan,
    CatatPenertibanApk,
    CatatTemuan,
    SampaikanFormA,
    SampaikanFormAKolektif,
    SelesaikanPsap,
    TerimaPsap,
)
from awasi_reporting.domain.nomor import nomor_dokumen, nomor_register
from awasi_reporting.domain.pengawasan import (
    FormA,
    Pencegahan,
    PenertibanApk,
    Psap,
    sampaikan_bersama,
)
from awasi_reporting.domain.rezim import Pemilihan
from awasi_reporting.domain.temuan import Temuan
from awasi_reporting.domain.vocabulary import JenisPerkara, local_date
from awasi_reporting.service_layer.base import RECORDERS, actor, utcnow
from awasi_reporting.service_layer.unit_of_work import UowFactory

KOLEKTIF_MAX = 200
"""Most Form A in one collective submission."""


async def record_temuan(command: CatatTemuan, principal: Principal | None, uow_factory: UowFactory) -> Temuan:
    principal = signed_in(principal)
    principal.require_act(command.unit, *RECORDERS)
    now = utcnow()
    unit, pemilihan = command.unit, command.pemilihan
    async with uow_factory() as uow:
        if command.form_a_id is not None:
            form_unit = await uow.pengawasan.form_a_exists(command.form_a_id)
            if form_unit is None or not is_within(form_unit, unit):
                raise DomainError(
                    f"Form A {command.form_a_id} tidak ditemukan di unit {unit} atau di bawahnya.", field="form_a_id"
                )
        Temuan.check(unit=unit, peristiwa=command.peristiwa, terlapor=command.terlapor, now=now, pemilihan=pemilihan)
        today = local_date(now, unit)
        code = JenisPerkara.TEMUAN.register_code
        seq = await uow.nomor.next(unit, code, today.year, pemilihan)
        temuan = Temuan.catat(
            nomor=nomor_register(seq, code, pemilihan, unit, today),
            now=now,
            oleh=actor(principal),
            **vars(command),
        )
        await uow.temuan.add(temuan)
        uow.publish(*temuan.pull_events())
        await uow.commit()
    return temuan


# --- Form A ------------------------------------------------------------------------------------------


def _isi(form: SampaikanFormA, now: dt.datetime, oleh: str) -> FormA:
    return FormA.isi(
        unit=form.unit,
        pemilihan=form.pemilihan,
        data_pengawas=form.data_pengawas,
        kegiatan=form.kegiatan,
        uraian_singkat=form.uraian_singkat,
        dugaan_pelanggaran=list(form.dugaan_pelanggaran),
        dugaan_sengketa=list(form.dugaan_sengketa),
        now=now,
        oleh=oleh,
    )


async def submit_form_a(command: SampaikanFormA, principal: Principal | None, uow_factory: UowFactory) -> FormA:
    principal = signed_in(principal)
    principal.require_act(command.unit, *RECORDERS)
    now = utcnow()
    form = _isi(command, now, actor(principal))  # checked before it takes a number
    async with uow_factory() as uow:
        today = local_date(now, command.unit)
        seq = await uow.nomor.next(command.unit, "LHP", today.year, command.pemilihan)
        form.sampaikan(nomor_dokumen(seq, "LHP", command.pemilihan, command.unit, today))
        await uow.pengawasan.add_form_a(form)
        uow.publish(*form.pull_events())
        await uow.commit()
    return form


def may_file_form_a(principal: Principal, unit: str) -> None:
    """A supervisor files Form A for its own unit; a Panwaslu Kelurahan/Desa also passes on
    the Form A of the TPS directly below it (its Pengawas TPS report to it)."""
    if level_of(principal.unit) is Level.KELURAHAN_DESA and parent_of(unit) == principal.unit:
        principal.require_act(principal.unit, *RECORDERS)
        return
    principal.require_act(unit, *RECORDERS)


async def submit_form_a_kolektif(
    command: SampaikanFormAKolektif, principal: Principal | None, uow_factory: UowFactory
) -> tuple[str, list[FormA]]:
    """Several Form A in one transaction (a field app sending what it queued, a PKD passing on
    its TPS' forms): all are checked before anything is written, and all or none are kept.
    Numbers are taken per unit in one statement; one event tells of them all. Returns the
    submission's id (the event's key) and the forms."""
    principal = signed_in(principal)
    if not command.forms:
        raise DomainError("Sertakan sedikitnya satu Form A.", field="form_a")
    if len(command.forms) > KOLEKTIF_MAX:
        raise DomainError(f"Paling banyak {KOLEKTIF_MAX} Form A dalam satu penyampaian.", field="form_a")
    now = utcnow()
    who = actor(principal)
    filled: list[FormA] = []
    for index, masuk in enumerate(command.forms):
        try:
            may_file_form_a(principal, masuk.unit)
            filled.append(_isi(masuk, now, who))
        except DomainError as error:
            error.field = f"form_a.{index}.{error.field}" if error.field else f"form_a.{index}"
            error.message = f"Form A ke-{index + 1}: {error.message}"
            error.args = (error.message,)
            raise
    # Each form is dated in its own unit's zone; numbers run per unit, regime and year.
    counts: dict[tuple[Pemilihan, int], dict[str, int]] = {}
    for form in filled:
        key = (form.pemilihan, local_date(now, form.unit).year)
        counts.setdefault(key, {})[form.unit] = counts.get(key, {}).get(form.unit, 0) + 1
    async with uow_factory() as uow:
        next_seq: dict[tuple[Pemilihan, int, str], int] = {}
        for (pemilihan_form, year), per_unit in sorted(counts.items()):
            first = await uow.nomor.reserve("LHP", year, per_unit, pemilihan_form)
            next_seq.update({(pemilihan_form, year, unit): seq for unit, seq in first.items()})
        nomor: list[str] = []
        for form in filled:
            day = local_date(now, form.unit)
            key3 = (form.pemilihan, day.year, form.unit)
            seq = next_seq[key3]
            next_seq[key3] = seq + 1
            nomor.append(nomor_dokumen(seq, "LHP", form.pemilihan, form.unit, day))
        event = sampaikan_bersama(filled, nomor)
        await uow.pengawasan.add_form_a(*filled)
        uow.publish(event)
        await uow.commit()
    return event.penyampaian_id, filled


# --- Pencegahan and penertiban APK ---------------------------------------------------------------


async def record_pengawasan(
    command: CatatPencegahan | CatatPenertibanApk, principal: Principal | None, uow_factory: UowFactory
) -> Pencegahan | PenertibanApk:
    """A pencegahan or a penertiban APK: checked, kept and told in one transaction."""
    principal = signed_in(principal)
    principal.require_act(command.unit, *RECORDERS)
    record = command.record_type.catat(now=utcnow(), oleh=actor(principal), **vars(command))
    async with uow_factory() as uow:
        await uow.pengawasan.add_record(record)
        uow.publish(*record.pull_events())
        await uow.commit()
    return record


# --- PSAP ----------------------------------------------------------------------------------------


async def receive_psap(command: TerimaPsap, principal: Principal | None, uow_factory: UowFactory) -> Psap:
    principal = signed_in(principal)
    principal.require_act(command.unit, Role.PENANGANAN, Role.PIMPINAN, Role.OPERATOR)
    now = utcnow()
    unit, pemilihan = command.unit, command.pemilihan
    Psap.check(
        unit=unit,
        tanggal_permohonan=command.tanggal_permohonan,
        pemohon=command.pemohon,
        termohon=command.termohon,
        now=now,
    )
    async with uow_factory() as uow:
        today = local_date(now, unit)
        seq = await uow.nomor.next(unit, "PSAP", today.year, pemilihan)
        case = Psap.terima(nomor=nomor_dokumen(seq, "PSAP", pemilihan, unit, today), now=now, **vars(command))
        await uow.pengawasan.add_psap(case)
        uow.publish(*case.pull_events())
        await uow.commit()
    return case


async def finish_psap(command: SelesaikanPsap, principal: Principal | None, uow_factory: UowFactory) -> Psap:
    principal = signed_in(principal)
    async with uow_factory() as uow:
        case = await uow.pengawasan.get_psap(command.psap_id)
        if case is None or not principal.can_read(case.unit):
            raise NotFound(f"Sengketa {command.psap_id} tidak ditemukan.")
        principal.require_act(case.unit, Role.PENANGANAN, Role.PIMPINAN)
        case.selesaikan(hasil=command.hasil, keterangan=command.keterangan, now=utcnow())
        await uow.pengawasan.save_psap(case)
        uow.publish(*case.pull_events())
        await uow.commit()
    return case
