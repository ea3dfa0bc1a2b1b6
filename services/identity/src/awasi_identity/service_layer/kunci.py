"""Signing keys: loaded into each process's signer, made when due or asked, rotated without downtime."""

from __future__ import annotations

import datetime as dt

from awasi_common.auth import Principal, Role
from awasi_common.errors import Forbidden
from awasi_common.units import RI_CODE
from awasi_identity.commands import RotasiKunci
from awasi_identity.domain.audit import Tindakan
from awasi_identity.domain.kunci import diterbitkan, perlu_rotasi
from awasi_identity.service_layer.common import UowFactory, catatan, sekarang
from awasi_identity.service_layer.unit_of_work import IdentityUnitOfWork


async def siapkan_kunci(
    uow: IdentityUnitOfWork,
    now: dt.datetime,
    *,
    muat_ulang: bool = False,
    paksa: bool = False,
    segera: bool = False,
    principal: Principal | None = None,
) -> None:
    """Load the keys into this process's signer (again when ``muat_ulang`` or when they are
    older than a key check), making a new key when there is none, the newest reached its age,
    or ``paksa``. The first key and an emergency one (``segera``) sign at once, others after
    the publication lead."""
    settings, penandatangan = uow.konteks.settings, uow.konteks.penandatangan
    dimuat = penandatangan.dimuat_pada
    segar = dimuat is not None and now - dimuat < dt.timedelta(seconds=settings.key_check_seconds)
    if segar and not (muat_ulang or paksa):
        return
    kunci = await uow.kunci.semua()
    if paksa or perlu_rotasi(kunci, now, dt.timedelta(days=settings.signing_key_days)):
        lead = dt.timedelta(seconds=0 if segera or not kunci else settings.signing_key_lead_seconds)
        baru = penandatangan.kunci_baru(max((k.generasi for k in kunci), default=0) + 1, now, now + lead)
        if await uow.kunci.add(baru):
            aktif_sejak = baru.aktif_sejak.isoformat()
            await uow.audit.add(
                catatan(
                    Tindakan.KUNCI_DIROTASI, principal, generasi=baru.generasi, kid=baru.kid, aktif_sejak=aktif_sejak
                )
            )
        kunci = await uow.kunci.semua()
    penandatangan.muat(kunci, now)


async def rotasi_kunci(command: RotasiKunci, principal: Principal | None, uow_factory: UowFactory) -> list[str]:
    """The kids now published, newest first (the key job runs it with no principal)."""
    if command.paksa and (principal is None or principal.role != Role.ADMIN or principal.unit != RI_CODE):
        raise Forbidden("Rotasi kunci penandatangan hanya untuk admin Bawaslu RI.")
    async with uow_factory() as uow:
        now = sekarang()
        await siapkan_kunci(uow, now, muat_ulang=True, paksa=command.paksa, segera=command.segera, principal=principal)
        await uow.commit()
        return [k.kid for k in diterbitkan(await uow.kunci.semua(), now)]
