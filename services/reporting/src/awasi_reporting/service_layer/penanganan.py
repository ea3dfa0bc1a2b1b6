"""Handling a laporan or a temuan: one handler per step, each one transaction on the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence

from awasi_common.auth import Principal, Role
from awasi_common.commands import signed_in
from awasi_common.errors import NotFound
from awasi_reporting.commands import (
    AmbilAlihPerkara,
    CatatKelengkapan,
    LimpahkanPerkara,
    MintaKelengkapan,
    MulaiKajianAwal,
    MulaiKlarifikasi,
    PerpanjangTenggat,
    PutuskanPerkara,
    RegistrasiLaporan,
    SelesaikanPerkara,
    TeruskanPerkara,
    TolakRegistrasi,
)
from awasi_reporting.domain.laporan import Laporan
from awasi_reporting.domain.nomor import nomor_register
from awasi_reporting.domain.perkara import Perkara
from awasi_reporting.domain.temuan import Temuan
from awasi_reporting.domain.vocabulary import JenisPerkara, local_date
from awasi_reporting.service_layer.base import CASE_HANDLERS, DECIDERS, actor, utcnow
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork, UowFactory

Step = Callable[[ReportingUnitOfWork, Perkara, dt.datetime, str], Awaitable[None]]
"""One step on a loaded case: (uow, perkara, now, who)."""
LaporanStep = Callable[[ReportingUnitOfWork, Laporan, dt.datetime, str], Awaitable[None]]


async def _load(uow: ReportingUnitOfWork, jenis: JenisPerkara, perkara_id: str, principal: Principal) -> Perkara:
    perkara: Perkara | None
    if jenis is JenisPerkara.LAPORAN:
        perkara = await uow.laporan.get(perkara_id, with_identity=True)
    else:
        perkara = await uow.temuan.get(perkara_id)
    if perkara is None or not principal.can_read(perkara.unit):
        # Not visible to this account: answer as if it did not exist.
        raise NotFound(f"{jenis.value.capitalize()} {perkara_id} tidak ditemukan.")
    return perkara


async def _save(uow: ReportingUnitOfWork, perkara: Perkara, now: dt.datetime) -> None:
    if isinstance(perkara, Laporan):
        # The notice to the reporter needs their contact: a recorded use of the identity.
        await uow.laporan.record_access(
            laporan_id=perkara.id,
            unit_perkara=perkara.unit,
            subjek="sistem",
            peran="sistem",
            unit_akun="-",
            tujuan=f"pemberitahuan status '{perkara.status.value}' kepada pelapor",
            diizinkan=True,
            now=now,
        )
        await uow.laporan.save(perkara)
    else:
        assert isinstance(perkara, Temuan)
        await uow.temuan.save(perkara)
    uow.publish(*perkara.pull_events())


async def _take_step(
    jenis: JenisPerkara,
    perkara_id: str,
    principal: Principal | None,
    uow_factory: UowFactory,
    step: Step,
    *,
    roles: Sequence[Role] | None = CASE_HANDLERS,
) -> Perkara:
    """Load the case, check ``roles`` in its handling unit (None: the step checks), take the
    step and keep the case with its events."""
    principal = signed_in(principal)
    now = utcnow()
    async with uow_factory() as uow:
        perkara = await _load(uow, jenis, perkara_id, principal)
        if roles is not None:
            principal.require_act(perkara.unit, *roles)
        await step(uow, perkara, now, actor(principal))
        await _save(uow, perkara, now)
        await uow.commit()
    return perkara


async def _take_laporan_step(
    laporan_id: str, principal: Principal | None, uow_factory: UowFactory, step: LaporanStep
) -> Perkara:
    async def on_laporan(uow: ReportingUnitOfWork, perkara: Perkara, now: dt.datetime, who: str) -> None:
        assert isinstance(perkara, Laporan)
        await step(uow, perkara, now, who)

    return await _take_step(JenisPerkara.LAPORAN, laporan_id, principal, uow_factory, on_laporan)


# --- Steps only a laporan takes -------------------------------------------------------------------


async def mulai_kajian_awal(command: MulaiKajianAwal, principal: Principal | None, uow_factory: UowFactory) -> Perkara:
    async def step(uow: ReportingUnitOfWork, laporan: Laporan, now: dt.datetime, who: str) -> None:
        laporan.mulai_kajian_awal(now=now, oleh=who, catatan=command.catatan)

    return await _take_laporan_step(command.laporan_id, principal, uow_factory, step)


async def minta_kelengkapan(command: MintaKelengkapan, principal: Principal | None, uow_factory: UowFactory) -> Perkara:
    async def step(uow: ReportingUnitOfWork, laporan: Laporan, now: dt.datetime, who: str) -> None:
        laporan.minta_kelengkapan(kekurangan=command.kekurangan, now=now, oleh=who, catatan=command.catatan)

    return await _take_laporan_step(command.laporan_id, principal, uow_factory, step)


async def catat_kelengkapan(command: CatatKelengkapan, principal: Principal | None, uow_factory: UowFactory) -> Perkara:
    async def step(uow: ReportingUnitOfWork, laporan: Laporan, now: dt.datetime, who: str) -> None:
        laporan.lengkapi(
            now=now,
            oleh=who,
            pelapor=command.pelapor,
            saksi=command.saksi,
            keterangan=command.keterangan,
        )

    return await _take_laporan_step(command.laporan_id, principal, uow_factory, step)


async def registrasi(command: RegistrasiLaporan, principal: Principal | None, uow_factory: UowFactory) -> Perkara:
    async def step(uow: ReportingUnitOfWork, laporan: Laporan, now: dt.datetime, who: str) -> None:
        laporan.check_registrasi()  # before a number is taken: a refusal leaves no gap
        today = local_date(now, laporan.unit)
        code = JenisPerkara.LAPORAN.register_code
        seq = await uow.nomor.next(laporan.unit, code, today.year, laporan.pemilihan)
        nomor = nomor_register(seq, code, laporan.pemilihan, laporan.unit, today)
        laporan.registrasi(nomor=nomor, now=now, oleh=who, catatan=command.catatan)

    return await _take_laporan_step(command.laporan_id, principal, uow_factory, step)


async def tolak_registrasi(command: TolakRegistrasi, principal: Principal | None, uow_factory: UowFactory) -> Perkara:
    async def step(uow: ReportingUnitOfWork, laporan: Laporan, now: dt.datetime, who: str) -> None:
        laporan.tolak_registrasi(alasan=command.alasan, keterangan=command.keterangan, now=now, oleh=who)

    return await _take_laporan_step(command.laporan_id, principal, uow_factory, step)


# --- Steps laporan and temuan share -----------------------------------------------------------------


async def mulai_klarifikasi(command: MulaiKlarifikasi, principal: Principal | None, uow_factory: UowFactory) -> Perkara:
    async def step(uow: ReportingUnitOfWork, perkara: Perkara, now: dt.datetime, who: str) -> None:
        perkara.mulai_klarifikasi(now=now, oleh=who, catatan=command.catatan)

    return await _take_step(command.jenis, command.perkara_id, principal, uow_factory, step)


async def perpanjang(command: PerpanjangTenggat, principal: Principal | None, uow_factory: UowFactory) -> Perkara:
    async def step(uow: ReportingUnitOfWork, perkara: Perkara, now: dt.datetime, who: str) -> None:
        perkara.perpanjang(alasan=command.alasan, now=now, oleh=who)

    return await _take_step(command.jenis, command.perkara_id, principal, uow_factory, step)


async def putuskan(command: PutuskanPerkara, principal: Principal | None, uow_factory: UowFactory) -> Perkara:
    async def step(uow: ReportingUnitOfWork, perkara: Perkara, now: dt.datetime, who: str) -> None:
        perkara.putuskan(
            putusan=command.putusan, now=now, oleh=who, pertimbangan=command.pertimbangan, instansi=command.instansi
        )

    return await _take_step(command.jenis, command.perkara_id, principal, uow_factory, step, roles=DECIDERS)


async def teruskan(command: TeruskanPerkara, principal: Principal | None, uow_factory: UowFactory) -> Perkara:
    async def step(uow: ReportingUnitOfWork, perkara: Perkara, now: dt.datetime, who: str) -> None:
        perkara.teruskan(now=now, oleh=who, nomor_surat=command.nomor_surat, catatan=command.catatan)

    return await _take_step(command.jenis, command.perkara_id, principal, uow_factory, step)


async def limpahkan(command: LimpahkanPerkara, principal: Principal | None, uow_factory: UowFactory) -> Perkara:
    async def step(uow: ReportingUnitOfWork, perkara: Perkara, now: dt.datetime, who: str) -> None:
        perkara.limpahkan_ke_bawah(ke_unit=command.ke_unit, now=now, oleh=who, alasan=command.alasan)

    return await _take_step(command.jenis, command.perkara_id, principal, uow_factory, step)


async def ambil_alih(command: AmbilAlihPerkara, principal: Principal | None, uow_factory: UowFactory) -> Perkara:
    account = signed_in(principal)

    async def step(uow: ReportingUnitOfWork, perkara: Perkara, now: dt.datetime, who: str) -> None:
        # The unit taking over acts, not the handling unit: the rule first, then its roles.
        perkara.check_pengambilalihan(command.ke_unit)
        account.require_act(command.ke_unit, *CASE_HANDLERS)
        perkara.ambil_alih(ke_unit=command.ke_unit, now=now, oleh=who, alasan=command.alasan)

    return await _take_step(command.jenis, command.perkara_id, account, uow_factory, step, roles=None)


async def selesaikan(command: SelesaikanPerkara, principal: Principal | None, uow_factory: UowFactory) -> Perkara:
    async def step(uow: ReportingUnitOfWork, perkara: Perkara, now: dt.datetime, who: str) -> None:
        perkara.selesaikan(now=now, oleh=who, catatan=command.catatan)

    return await _take_step(command.jenis, command.perkara_id, principal, uow_factory, step)
