"""Supervision records: temuan, Form A (alone or collective), pencegahan, penertiban APK, PSAP."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from awasi_common.auth import Principal, Role
from awasi_common.commands import signed_in
from awasi_common.errors import DomainError, Forbidden, NotFound
from awasi_common.events.reporting import HasilPengawasanKolektifDisampaikan
from awasi_common.units import Level, is_within, level_of, parent_of
from awasi_reporting.commands import (
    CatatPencegahan,
    CatatPenertibanApk,
    CatatTemuan,
    LupakanKunciIdempotensi,
    SampaikanFormA,
    SampaikanFormAKolektif,
    SelesaikanPsap,
    TerimaPsap,
)
from awasi_reporting.domain.idempotensi import KunciTerpakai, Rute, sidik
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
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork, UowFactory

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


@dataclass(frozen=True)
class _Kunci:
    """A submission's idempotency key as the handler checks it."""

    subjek: str
    rute: Rute
    kunci: str
    sidik: str

    def terpakai(
        self, form_a_ids: tuple[str, ...], now: dt.datetime, penyampaian_id: str | None = None
    ) -> KunciTerpakai:
        return KunciTerpakai(
            subjek=self.subjek,
            rute=self.rute,
            kunci=self.kunci,
            sidik=self.sidik,
            form_a_ids=form_a_ids,
            dibuat_pada=now,
            penyampaian_id=penyampaian_id,
        )


def _kunci_of(command: SampaikanFormA | SampaikanFormAKolektif, principal: Principal, rute: Rute) -> _Kunci | None:
    if command.kunci_idempotensi is None:
        return None
    return _Kunci(principal.subject, rute, command.kunci_idempotensi, sidik(command))


async def _sent_before(uow: ReportingUnitOfWork, kunci: _Kunci | None) -> KunciTerpakai | None:
    """The submission this key made before (same content), or None; refused when the key was
    used with other content."""
    if kunci is None:
        return None
    used = await uow.idempotensi.get(kunci.subjek, kunci.rute, kunci.kunci)
    return used.ulangi(kunci.sidik) if used is not None else None


async def _lost_race(uow_factory: UowFactory, kunci: _Kunci | None, error: IntegrityError) -> KunciTerpakai:
    """A concurrent request with the same key committed first: its transaction rolled ours
    back at the key's primary key, and its submission is the answer."""
    if kunci is None:
        raise error
    async with uow_factory() as uow:
        used = await _sent_before(uow, kunci)
    if used is None:  # another constraint refused the insert
        raise error
    return used


async def submit_form_a(
    command: SampaikanFormA, principal: Principal | None, uow_factory: UowFactory
) -> FormA | KunciTerpakai:
    """One Form A. With an idempotency key, a repeat of the same content answers the first
    Form A (a ``KunciTerpakai``: no new number, no event)."""
    principal = signed_in(principal)
    principal.require_act(command.unit, *RECORDERS)
    kunci = _kunci_of(command, principal, Rute.FORM_A)
    try:
        async with uow_factory() as uow:
            if await uow.statement_by_statement():  # PostgreSQL: 1 round trip, not 5 (7 with a key)
                return await _file_alone(uow, command, principal, kunci)
            if (used := await _sent_before(uow, kunci)) is not None:
                return used
            now = utcnow()
            form = _isi(command, now, actor(principal))  # checked before it takes a number
            today = local_date(now, command.unit)
            if kunci is not None:  # first: a concurrent repeat waits here, then fails
                await uow.idempotensi.add(kunci.terpakai((form.id,), now))
            seq = await uow.nomor.next(command.unit, "LHP", today.year, command.pemilihan)
            form.sampaikan(nomor_dokumen(seq, "LHP", command.pemilihan, command.unit, today))
            await uow.pengawasan.add_form_a(form)
            uow.publish(*form.pull_events())
            await uow.commit()
    except IntegrityError as error:
        return await _lost_race(uow_factory, kunci, error)
    return form


async def _file_alone(
    uow: ReportingUnitOfWork, command: SampaikanFormA, principal: Principal, kunci: _Kunci | None
) -> FormA | KunciTerpakai:
    """One Form A in one statement. Its key is looked up only when the statement found it taken
    (a repeat, or a concurrent one that committed first) or the content is refused (a key's
    first answer comes before a check of its content, as in the transaction)."""
    now = utcnow()
    try:
        form = _isi(command, now, actor(principal))
    except DomainError:
        if (used := await _sent_before(uow, kunci)) is not None:
            return used
        raise
    new_key = kunci.terpakai((form.id,), now) if kunci is not None else None
    if await uow.file_form_a_alone(form, local_date(now, command.unit), new_key):
        return form
    assert kunci is not None  # without a key the statement always writes
    if (used := await _sent_before(uow, kunci)) is not None:  # 422 when its content differs
        return used
    return await _file_alone(uow, command, principal, kunci)  # forgotten meanwhile: a new Form A


def may_file_form_a(principal: Principal, unit: str) -> None:
    """A supervisor files Form A for its own unit; a Panwaslu Kelurahan/Desa also passes on
    the Form A of the TPS directly below it (its Pengawas TPS report to it)."""
    if level_of(principal.unit) is Level.KELURAHAN_DESA and parent_of(unit) == principal.unit:
        principal.require_act(principal.unit, *RECORDERS)
        return
    principal.require_act(unit, *RECORDERS)


def _checked(command: SampaikanFormAKolektif, principal: Principal, now: dt.datetime) -> list[FormA]:
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
    return filled


async def submit_form_a_kolektif(
    command: SampaikanFormAKolektif, principal: Principal | None, uow_factory: UowFactory
) -> tuple[str, list[FormA]] | KunciTerpakai:
    """Several Form A in one transaction (a field app sending what it queued, a PKD passing on
    its TPS' forms): all are checked before anything is written, and all or none are kept.
    Numbers are taken per unit in one statement; one event tells of them all. Returns the
    submission's id (the event's key) and the forms; with an idempotency key sent before with
    the same content, the first submission (a ``KunciTerpakai``)."""
    principal = signed_in(principal)
    if not command.forms:
        raise DomainError("Sertakan sedikitnya satu Form A.", field="form_a")
    if len(command.forms) > KOLEKTIF_MAX:
        raise DomainError(f"Paling banyak {KOLEKTIF_MAX} Form A dalam satu penyampaian.", field="form_a")
    kunci = _kunci_of(command, principal, Rute.FORM_A_KOLEKTIF)
    try:
        async with uow_factory() as uow:
            if (used := await _sent_before(uow, kunci)) is not None:
                return used
            now = utcnow()
            filled = _checked(command, principal, now)
            penyampaian_id = str(uuid.uuid4())
            if kunci is not None:
                await uow.idempotensi.add(kunci.terpakai(tuple(f.id for f in filled), now, penyampaian_id))
            event = await _number_together(uow, filled, now, penyampaian_id)
            await uow.pengawasan.add_form_a(*filled)
            uow.publish(event)
            await uow.commit()
    except IntegrityError as error:
        return await _lost_race(uow_factory, kunci, error)
    return event.penyampaian_id, filled


async def _number_together(
    uow: ReportingUnitOfWork, filled: list[FormA], now: dt.datetime, penyampaian_id: str
) -> HasilPengawasanKolektifDisampaikan:
    # Each form is dated in its own unit's zone; numbers run per unit, regime and year.
    counts: dict[tuple[Pemilihan, int], dict[str, int]] = {}
    for form in filled:
        key = (form.pemilihan, local_date(now, form.unit).year)
        counts.setdefault(key, {})[form.unit] = counts.get(key, {}).get(form.unit, 0) + 1
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
    return sampaikan_bersama(filled, nomor, penyampaian_id)


async def forget_idempotency_keys(
    command: LupakanKunciIdempotensi, principal: Principal | None, uow_factory: UowFactory
) -> int:
    """Delete the Form A idempotency keys made before ``command.sebelum`` (the service's own
    job, or an admin); returns how many. A repeat after that makes a new Form A."""
    if principal is not None and principal.role is not Role.ADMIN:
        raise Forbidden("Hanya admin yang dapat menghapus kunci idempotensi lama.")
    async with uow_factory() as uow:
        deleted = await uow.idempotensi.forget_before(command.sebelum)
        await uow.commit()
    return deleted


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
