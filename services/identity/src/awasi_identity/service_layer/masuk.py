"""Activation and sign-in, anonymous: a refused attempt commits its count and its audit row
before the refusal is raised."""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
from dataclasses import dataclass

from awasi_common.auth import Principal
from awasi_common.errors import DomainError
from awasi_identity.commands import AktivasiAkun, HapusTokenKedaluwarsa, Keluar, MasukDenganSandi, SegarkanToken
from awasi_identity.domain.akun import Akun, hari_ini
from awasi_identity.domain.audit import Tindakan
from awasi_identity.domain.percobaan import PercobaanMasuk, TerlaluBanyakPercobaan
from awasi_identity.domain.rahasia import rahasia_baru, sidik, sidik_kode
from awasi_identity.domain.sandi import periksa_sandi
from awasi_identity.domain.token import (
    GagalMasuk,
    KlaimAkses,
    TokenDipakaiUlang,
    TokenPenyegar,
    TokenTerbit,
    TokenTidakSah,
)
from awasi_identity.domain.totp import cocokkan, rahasia_totp_baru
from awasi_identity.service_layer.common import UowFactory, catatan, sekarang
from awasi_identity.service_layer.kunci import siapkan_kunci
from awasi_identity.service_layer.unit_of_work import IdentityUnitOfWork


@dataclass(frozen=True)
class AkunAktif:
    akun: Akun
    totp_rahasia: str | None
    """For the roles that need a second factor: shown once, for the owner's authenticator app."""


async def _periksa_percobaan(
    uow: IdentityUnitOfWork, email: str, alamat: str | None, now: dt.datetime
) -> PercobaanMasuk:
    """The address's failure count, or the refusal while it must wait (audited)."""
    percobaan = await uow.percobaan.get(sidik(email))
    try:
        percobaan.periksa(now, uow.konteks.settings.kebijakan())
    except TerlaluBanyakPercobaan as refusal:
        await uow.audit.add(catatan(Tindakan.MASUK_DITAHAN, None, None, alamat, sampai=refusal.sampai.isoformat()))
        await uow.commit()
        raise
    return percobaan


async def _gagal(
    uow: IdentityUnitOfWork, percobaan: PercobaanMasuk, akun: Akun | None, tindakan: Tindakan, alamat: str | None
) -> None:
    """Count and audit a failed attempt, commit, and leave the caller to refuse."""
    now = sekarang()
    terkunci = percobaan.catat_gagal(now, uow.konteks.settings.kebijakan())
    await uow.percobaan.save(percobaan)
    await uow.audit.add(catatan(tindakan, None, akun, alamat, gagal=percobaan.gagal))
    if terkunci:
        sampai = percobaan.tunggu_sampai.isoformat() if percobaan.tunggu_sampai else None
        await uow.audit.add(catatan(Tindakan.DIKUNCI, None, akun, alamat, sampai=sampai))
    await uow.commit()


def _konteks_totp(akun: Akun) -> str:
    return f"awasi:identity:totp:{akun.id}"


async def aktivasi_akun(command: AktivasiAkun, principal: Principal | None, uow_factory: UowFactory) -> AkunAktif:
    now = sekarang()
    async with uow_factory() as uow:
        percobaan = await _periksa_percobaan(uow, command.email, command.alamat, now)
        akun = await uow.akun.by_email(command.email)
        berlaku = (
            akun is not None
            and akun.kode_aktivasi_hash is not None
            and hmac.compare_digest(akun.kode_aktivasi_hash, sidik_kode(command.kode))
            and akun.kode_aktivasi_sampai is not None
            and now < akun.kode_aktivasi_sampai
        )
        if not berlaku or akun is None:
            await _gagal(uow, percobaan, akun, Tindakan.AKTIVASI_GAGAL, command.alamat)
            raise DomainError("Email dan kode aktivasi tidak cocok, atau kode sudah tidak berlaku.", field="kode")
        await asyncio.to_thread(periksa_sandi, command.sandi, (akun.nama, akun.email, *akun.email.split("@")))
        totp = rahasia_totp_baru() if akun.wajib_totp else None
        sealed = uow.konteks.keyring.encrypt(totp.encode(), _konteks_totp(akun)) if totp else None
        akun.aktivasi(await asyncio.to_thread(uow.konteks.sandi.hash, command.sandi), sealed)
        percobaan.catat_berhasil()
        await uow.percobaan.save(percobaan)
        await uow.akun.save(akun)
        await uow.audit.add(catatan(Tindakan.AKTIVASI, None, akun, command.alamat, totp=totp is not None))
        await uow.commit()
    return AkunAktif(akun, totp)


def _totp_cocok(uow: IdentityUnitOfWork, akun: Akun, kode: str | None, now: dt.datetime) -> bool:
    """True for a role without a second factor; else whether ``kode`` is the authenticator's
    current code, not used before (the step is remembered on the account)."""
    if not akun.wajib_totp:
        return True
    if not kode or akun.totp_tersegel is None:
        return False
    rahasia = uow.konteks.keyring.decrypt(akun.totp_tersegel, _konteks_totp(akun)).decode()
    step = cocokkan(rahasia, kode, now, akun.totp_langkah_terakhir)
    if step is None:
        return False
    akun.totp_langkah_terakhir = step
    return True


async def _terbitkan(uow: IdentityUnitOfWork, akun: Akun, now: dt.datetime, keluarga: str | None = None) -> TokenTerbit:
    settings = uow.konteks.settings
    await siapkan_kunci(uow, now)
    umur = dt.timedelta(seconds=settings.access_token_seconds)
    klaim = KlaimAkses.untuk(akun, issuer=settings.issuer, audience=settings.audience, now=now, umur=umur)
    penyegar = rahasia_baru()
    umur_penyegar = dt.timedelta(days=settings.refresh_token_days)
    await uow.token.add(TokenPenyegar.terbitkan(akun.id, sidik(penyegar), now, umur_penyegar, keluarga))
    access = uow.konteks.penandatangan.tandatangani(klaim.as_dict(), now)
    return TokenTerbit(access_token=access, expires_in=settings.access_token_seconds, refresh_token=penyegar)


async def masuk_dengan_sandi(
    command: MasukDenganSandi, principal: Principal | None, uow_factory: UowFactory
) -> TokenTerbit:
    now = sekarang()
    async with uow_factory() as uow:
        percobaan = await _periksa_percobaan(uow, command.email, command.alamat, now)
        akun = await uow.akun.by_email(command.email)
        cocok = await asyncio.to_thread(uow.konteks.sandi.cocok, akun.sandi_hash if akun else None, command.sandi)
        if (
            not cocok
            or akun is None
            or not akun.dapat_masuk(hari_ini(akun.unit, now))
            or not _totp_cocok(uow, akun, command.totp, now)
        ):
            await _gagal(uow, percobaan, akun, Tindakan.MASUK_GAGAL, command.alamat)
            raise GagalMasuk()
        percobaan.catat_berhasil()
        await uow.percobaan.save(percobaan)
        await uow.akun.save(akun)
        terbit = await _terbitkan(uow, akun, now)
        await uow.audit.add(catatan(Tindakan.MASUK, None, akun, command.alamat))
        await uow.commit()
    return terbit


async def segarkan_token(command: SegarkanToken, principal: Principal | None, uow_factory: UowFactory) -> TokenTerbit:
    now = sekarang()
    async with uow_factory() as uow:
        token = await uow.token.by_sidik(sidik(command.refresh_token))
        if token is None:
            raise TokenTidakSah()
        akun = await uow.akun.get(token.akun_id)
        try:
            token.pakai(now)
        except TokenDipakaiUlang:
            await uow.token.cabut(now, keluarga=token.keluarga)
            await uow.audit.add(catatan(Tindakan.TOKEN_DIPAKAI_ULANG, None, akun, command.alamat))
            await uow.commit()
            raise
        if akun is None or not akun.dapat_masuk(hari_ini(akun.unit, now)):
            raise TokenTidakSah()
        await uow.token.save(token)
        terbit = await _terbitkan(uow, akun, now, keluarga=token.keluarga)
        await uow.audit.add(catatan(Tindakan.TOKEN_DISEGARKAN, None, akun, command.alamat))
        await uow.commit()
    return terbit


async def keluar(command: Keluar, principal: Principal | None, uow_factory: UowFactory) -> None:
    """Every token of the sign-in is revoked; an unknown token is no error (RFC 7009 §2.2)."""
    now = sekarang()
    async with uow_factory() as uow:
        token = await uow.token.by_sidik(sidik(command.refresh_token))
        if token is None:
            return
        await uow.token.cabut(now, keluarga=token.keluarga)
        akun = await uow.akun.get(token.akun_id)
        await uow.audit.add(catatan(Tindakan.KELUAR, None, akun, command.alamat))
        await uow.commit()


async def hapus_token_kedaluwarsa(
    command: HapusTokenKedaluwarsa, principal: Principal | None, uow_factory: UowFactory
) -> int:
    async with uow_factory() as uow:
        deleted = await uow.token.hapus_kedaluwarsa(command.sebelum)
        await uow.commit()
    return deleted
