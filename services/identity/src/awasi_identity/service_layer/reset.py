"""Password reset by an emailed link: asked for anonymously (the answer never says whether the
address is known), used once within the hour; every step audited, never the token."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from awasi_common.auth import Principal
from awasi_identity.commands import AturUlangSandi, MintaResetSandi
from awasi_identity.domain.akun import Akun, StatusAkun, hari_ini
from awasi_identity.domain.audit import Tindakan
from awasi_identity.domain.rahasia import rahasia_baru, sidik
from awasi_identity.domain.reset import ResetSandi, ResetTidakBerlaku
from awasi_identity.domain.sandi import periksa_sandi
from awasi_identity.service_layer.common import UowFactory, catatan, sekarang


@dataclass(frozen=True)
class SuratReset:
    """What the reset mail needs: sent after the commit, outside the request's answer."""

    email: str
    nama: str
    token: str
    berlaku_sampai: dt.datetime


async def minta_reset_sandi(
    command: MintaResetSandi, principal: Principal | None, uow_factory: UowFactory
) -> SuratReset | None:
    """A link for an active account that has a password; None (and nothing changed) otherwise.
    A newer link replaces the ones before it."""
    now = sekarang()
    async with uow_factory() as uow:
        akun = await uow.akun.by_email(command.email)
        if akun is None or akun.status != StatusAkun.AKTIF or not akun.dapat_masuk(hari_ini(akun.unit, now)):
            await uow.audit.add(catatan(Tindakan.RESET_DIMINTA, None, akun, command.alamat, dikirim=False))
            await uow.commit()
            return None
        token = rahasia_baru()
        umur = dt.timedelta(minutes=uow.konteks.settings.reset_minutes)
        await uow.reset.pakai_semua(akun.id, now)
        reset = ResetSandi.buat(akun.id, sidik(token), now, umur)
        await uow.reset.add(reset)
        await uow.audit.add(catatan(Tindakan.RESET_DIMINTA, None, akun, command.alamat, dikirim=True))
        await uow.commit()
    return SuratReset(email=akun.email, nama=akun.nama, token=token, berlaku_sampai=reset.kedaluwarsa)


async def atur_ulang_sandi(command: AturUlangSandi, principal: Principal | None, uow_factory: UowFactory) -> Akun:
    now = sekarang()
    async with uow_factory() as uow:
        reset = await uow.reset.by_sidik(sidik(command.token))
        akun = await uow.akun.get(reset.akun_id) if reset is not None else None
        try:
            if reset is None or akun is None or not akun.dapat_masuk(hari_ini(akun.unit, now)):
                raise ResetTidakBerlaku()
            reset.pakai(now)
        except ResetTidakBerlaku:
            await uow.audit.add(catatan(Tindakan.RESET_GAGAL, None, akun, command.alamat))
            await uow.commit()
            raise
        await asyncio.to_thread(periksa_sandi, command.sandi, (akun.nama, akun.email, *akun.email.split("@")))
        akun.atur_ulang_sandi(await asyncio.to_thread(uow.konteks.sandi.hash, command.sandi))
        await uow.akun.save(akun)
        await uow.reset.pakai_semua(akun.id, now)
        await uow.token.cabut(now, akun_id=akun.id)  # every sign-in ends: the old password may be known
        await uow.audit.add(catatan(Tindakan.SANDI_DIATUR_ULANG, None, akun, command.alamat))
        await uow.commit()
    return akun
