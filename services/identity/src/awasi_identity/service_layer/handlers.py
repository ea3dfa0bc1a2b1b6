"""Identity's use cases. Each runs in one unit of work: account rows, audit rows and events
commit together. A refused sign-in or activation commits its count and its audit row before
the refusal is raised."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from awasi_common.auth import Principal, Role
from awasi_common.errors import Conflict, DomainError, Forbidden, NotFound
from awasi_common.units import RI_CODE
from awasi_identity.commands import (
    AktivasiAkun,
    BuatAkun,
    BuatKodeAktivasi,
    HapusTokenKedaluwarsa,
    ImporAkun,
    Keluar,
    MasukDenganSandi,
    NonaktifkanAkun,
    RotasiKunci,
    SegarkanToken,
    UbahAkun,
)
from awasi_identity.domain.akun import Akun, hari_ini
from awasi_identity.domain.audit import CatatanAudit, Tindakan
from awasi_identity.domain.kunci import diterbitkan, perlu_rotasi
from awasi_identity.domain.percobaan import PercobaanMasuk, TerlaluBanyakPercobaan
from awasi_identity.domain.rahasia import kode_aktivasi_baru, rahasia_baru, sidik, sidik_kode
from awasi_identity.domain.sandi import hash_sandi, periksa_sandi, sandi_cocok
from awasi_identity.domain.token import (
    GagalMasuk,
    KlaimAkses,
    TokenDipakaiUlang,
    TokenPenyegar,
    TokenTerbit,
    TokenTidakSah,
)
from awasi_identity.domain.totp import cocokkan, rahasia_totp_baru
from awasi_identity.domain.wewenang import wajib_admin_atas
from awasi_identity.service_layer.unit_of_work import IdentityUnitOfWork

UowFactory = Callable[[], IdentityUnitOfWork]


@dataclass(frozen=True)
class AkunAktif:
    akun: Akun
    totp_rahasia: str | None
    """For the roles that need a second factor: shown once, for the owner's authenticator app."""


@dataclass(frozen=True)
class AkunBaru:
    akun: Akun
    kode_aktivasi: str
    """Shown once, to the admin who hands it over; only its hash is kept."""
    berlaku_sampai: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _staf(principal: Principal | None) -> Principal:
    if principal is None:
        raise Forbidden("Tindakan ini memerlukan akun admin.")
    return principal


def _catatan(
    tindakan: Tindakan,
    principal: Principal | None,
    akun: Akun | None = None,
    alamat: str | None = None,
    **rincian: Any,
) -> CatatanAudit:
    return CatatanAudit(
        tindakan=tindakan,
        pelaku=principal.subject if principal else None,
        pelaku_unit=principal.unit if principal else None,
        akun_id=akun.id if akun else None,
        unit=akun.unit if akun else None,
        alamat=alamat,
        rincian=rincian,
    )


async def _akun_dikelola(uow: IdentityUnitOfWork, akun_id: str, principal: Principal) -> Akun:
    akun = await uow.akun.get(akun_id)
    if akun is None:
        raise NotFound(f"Akun {akun_id} tidak ditemukan.")
    wajib_admin_atas(principal, akun.unit)
    return akun


async def _simpan(uow: IdentityUnitOfWork) -> None:
    try:
        await uow.commit()
    except sa.exc.IntegrityError as error:
        raise Conflict("Email ini sudah dipakai akun lain.", field="email") from error


def _isian(command: Any, *tanpa: str) -> dict[str, Any]:
    """A command's fields as the aggregate takes them, without those it does not (``tanpa``)."""
    return {f.name: getattr(command, f.name) for f in dataclasses.fields(command) if f.name not in tanpa}


def _kode_baru(uow: IdentityUnitOfWork, akun: Akun, now: dt.datetime) -> tuple[str, dt.datetime]:
    kode = kode_aktivasi_baru()
    sampai = now + dt.timedelta(days=uow.konteks.settings.activation_days)
    akun.beri_kode_aktivasi(sidik_kode(kode), sampai)
    return kode, sampai


# --- accounts, managed by a unit's admin ---------------------------------------------------------


async def _buat(uow: IdentityUnitOfWork, command: BuatAkun, admin: Principal, now: dt.datetime) -> AkunBaru:
    mulai = command.berlaku_mulai or hari_ini(command.unit, now)
    akun = Akun.buat(dibuat_oleh=admin.subject, **_isian(command, "alamat") | {"berlaku_mulai": mulai})
    kode, sampai = _kode_baru(uow, akun, now)
    await uow.akun.add(akun)
    await uow.audit.add(
        _catatan(Tindakan.AKUN_DIBUAT, admin, akun, command.alamat, role=akun.role.value),
        _catatan(Tindakan.KODE_AKTIVASI_DIBUAT, admin, akun, command.alamat),
    )
    return AkunBaru(akun, kode, sampai)


async def buat_akun(command: BuatAkun, principal: Principal | None, uow_factory: UowFactory) -> AkunBaru:
    admin = _staf(principal)
    wajib_admin_atas(admin, command.unit)
    async with uow_factory() as uow:
        if await uow.akun.email_dipakai([command.email]):
            raise Conflict("Email ini sudah dipakai akun lain.", field="email")
        baru = await _buat(uow, command, admin, _now())
        await _simpan(uow)
    return baru


async def impor_akun(command: ImporAkun, principal: Principal | None, uow_factory: UowFactory) -> list[AkunBaru]:
    """Every row's unit and email checked before any is made; one refusal refuses the file."""
    admin = _staf(principal)
    for number, row in enumerate(command.akun, start=2):
        try:
            wajib_admin_atas(admin, row.unit)
        except Forbidden as refusal:
            raise Forbidden(f"Berkas ditolak; tidak ada akun yang dibuat. Baris {number}: {refusal.message}") from None
    now = _now()
    async with uow_factory() as uow:
        used = await uow.akun.email_dipakai([row.email for row in command.akun])
        if used:
            rows = [f"baris {n} ({row.email})" for n, row in enumerate(command.akun, start=2) if row.email in used]
            raise Conflict(
                f"Berkas ditolak; tidak ada akun yang dibuat. Email sudah dipakai akun lain: {', '.join(rows[:20])}.",
                field="email",
            )
        made = [await _buat(uow, row, admin, now) for row in command.akun]
        await _simpan(uow)
    return made


async def ubah_akun(command: UbahAkun, principal: Principal | None, uow_factory: UowFactory) -> Akun:
    admin = _staf(principal)
    if command.unit:
        wajib_admin_atas(admin, command.unit)
    async with uow_factory() as uow:
        akun = await _akun_dikelola(uow, command.akun_id, admin)
        before = {"unit": akun.unit, "role": akun.role.value}
        changed = akun.ubah(**_isian(command, "akun_id", "alamat"))
        if changed:
            await uow.akun.save(akun)
            await uow.audit.add(_catatan(Tindakan.AKUN_DIUBAH, admin, akun, command.alamat, diubah=changed, **before))
            await uow.commit()
    return akun


async def nonaktifkan_akun(command: NonaktifkanAkun, principal: Principal | None, uow_factory: UowFactory) -> Akun:
    admin = _staf(principal)
    if command.akun_id == admin.subject:
        raise Conflict("Anda tidak dapat menonaktifkan akun Anda sendiri; minta admin unit Anda atau unit di atasnya.")
    now = _now()
    async with uow_factory() as uow:
        akun = await _akun_dikelola(uow, command.akun_id, admin)
        akun.nonaktifkan(now)
        await uow.akun.save(akun)
        await uow.token.cabut(now, akun_id=akun.id)
        await uow.audit.add(_catatan(Tindakan.AKUN_DINONAKTIFKAN, admin, akun, command.alamat))
        await uow.commit()
    return akun


async def buat_kode_aktivasi(
    command: BuatKodeAktivasi, principal: Principal | None, uow_factory: UowFactory
) -> AkunBaru:
    admin = _staf(principal)
    now = _now()
    async with uow_factory() as uow:
        akun = await _akun_dikelola(uow, command.akun_id, admin)
        kode, sampai = _kode_baru(uow, akun, now)
        await uow.akun.save(akun)
        await uow.token.cabut(now, akun_id=akun.id)
        await uow.audit.add(_catatan(Tindakan.KODE_AKTIVASI_DIBUAT, admin, akun, command.alamat))
        await uow.commit()
    return AkunBaru(akun, kode, sampai)


# --- activation and sign-in, anonymous -----------------------------------------------------------


async def _periksa_percobaan(
    uow: IdentityUnitOfWork, email: str, alamat: str | None, now: dt.datetime
) -> PercobaanMasuk:
    """The address's failure count, or the refusal while it must wait (audited)."""
    percobaan = await uow.percobaan.get(sidik(email))
    try:
        percobaan.periksa(now, uow.konteks.settings.kebijakan())
    except TerlaluBanyakPercobaan as refusal:
        await uow.audit.add(_catatan(Tindakan.MASUK_DITAHAN, None, None, alamat, sampai=refusal.sampai.isoformat()))
        await uow.commit()
        raise
    return percobaan


async def _gagal(
    uow: IdentityUnitOfWork, percobaan: PercobaanMasuk, akun: Akun | None, tindakan: Tindakan, alamat: str | None
) -> None:
    """Count and audit a failed attempt, commit, and leave the caller to refuse."""
    now = _now()
    terkunci = percobaan.catat_gagal(now, uow.konteks.settings.kebijakan())
    await uow.percobaan.save(percobaan)
    await uow.audit.add(_catatan(tindakan, None, akun, alamat, gagal=percobaan.gagal))
    if terkunci:
        sampai = percobaan.tunggu_sampai.isoformat() if percobaan.tunggu_sampai else None
        await uow.audit.add(_catatan(Tindakan.DIKUNCI, None, akun, alamat, sampai=sampai))
    await uow.commit()


def _konteks_totp(akun: Akun) -> str:
    return f"awasi:identity:totp:{akun.id}"


async def aktivasi_akun(command: AktivasiAkun, principal: Principal | None, uow_factory: UowFactory) -> AkunAktif:
    now = _now()
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
        akun.aktivasi(await asyncio.to_thread(hash_sandi, command.sandi), sealed)
        percobaan.catat_berhasil()
        await uow.percobaan.save(percobaan)
        await uow.akun.save(akun)
        await uow.audit.add(_catatan(Tindakan.AKTIVASI, None, akun, command.alamat, totp=totp is not None))
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
    await _siapkan_kunci(uow, now)
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
    now = _now()
    async with uow_factory() as uow:
        percobaan = await _periksa_percobaan(uow, command.email, command.alamat, now)
        akun = await uow.akun.by_email(command.email)
        cocok = await asyncio.to_thread(sandi_cocok, akun.sandi_hash if akun else None, command.sandi)
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
        await uow.audit.add(_catatan(Tindakan.MASUK, None, akun, command.alamat))
        await uow.commit()
    return terbit


async def segarkan_token(command: SegarkanToken, principal: Principal | None, uow_factory: UowFactory) -> TokenTerbit:
    now = _now()
    async with uow_factory() as uow:
        token = await uow.token.by_sidik(sidik(command.refresh_token))
        if token is None:
            raise TokenTidakSah()
        akun = await uow.akun.get(token.akun_id)
        try:
            token.pakai(now)
        except TokenDipakaiUlang:
            await uow.token.cabut(now, keluarga=token.keluarga)
            await uow.audit.add(_catatan(Tindakan.TOKEN_DIPAKAI_ULANG, None, akun, command.alamat))
            await uow.commit()
            raise
        if akun is None or not akun.dapat_masuk(hari_ini(akun.unit, now)):
            raise TokenTidakSah()
        await uow.token.save(token)
        terbit = await _terbitkan(uow, akun, now, keluarga=token.keluarga)
        await uow.audit.add(_catatan(Tindakan.TOKEN_DISEGARKAN, None, akun, command.alamat))
        await uow.commit()
    return terbit


async def keluar(command: Keluar, principal: Principal | None, uow_factory: UowFactory) -> None:
    """Every token of the sign-in is revoked; an unknown token is no error (RFC 7009 §2.2)."""
    now = _now()
    async with uow_factory() as uow:
        token = await uow.token.by_sidik(sidik(command.refresh_token))
        if token is None:
            return
        await uow.token.cabut(now, keluarga=token.keluarga)
        akun = await uow.akun.get(token.akun_id)
        await uow.audit.add(_catatan(Tindakan.KELUAR, None, akun, command.alamat))
        await uow.commit()


async def hapus_token_kedaluwarsa(
    command: HapusTokenKedaluwarsa, principal: Principal | None, uow_factory: UowFactory
) -> int:
    async with uow_factory() as uow:
        deleted = await uow.token.hapus_kedaluwarsa(command.sebelum)
        await uow.commit()
    return deleted


# --- signing keys --------------------------------------------------------------------------------


async def _siapkan_kunci(
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
            catatan = _catatan(
                Tindakan.KUNCI_DIROTASI, principal, generasi=baru.generasi, kid=baru.kid, aktif_sejak=aktif_sejak
            )
            await uow.audit.add(catatan)
        kunci = await uow.kunci.semua()
    penandatangan.muat(kunci, now)


async def rotasi_kunci(command: RotasiKunci, principal: Principal | None, uow_factory: UowFactory) -> list[str]:
    """The kids now published, newest first (the key job runs it with no principal)."""
    if command.paksa and (principal is None or principal.role != Role.ADMIN or principal.unit != RI_CODE):
        raise Forbidden("Rotasi kunci penandatangan hanya untuk admin Bawaslu RI.")
    async with uow_factory() as uow:
        now = _now()
        await _siapkan_kunci(uow, now, muat_ulang=True, paksa=command.paksa, segera=command.segera, principal=principal)
        await uow.commit()
        return [k.kid for k in diterbitkan(await uow.kunci.semua(), now)]


HANDLERS: dict[type, Any] = {
    BuatAkun: buat_akun,
    ImporAkun: impor_akun,
    UbahAkun: ubah_akun,
    NonaktifkanAkun: nonaktifkan_akun,
    BuatKodeAktivasi: buat_kode_aktivasi,
    AktivasiAkun: aktivasi_akun,
    MasukDenganSandi: masuk_dengan_sandi,
    SegarkanToken: segarkan_token,
    RotasiKunci: rotasi_kunci,
    HapusTokenKedaluwarsa: hapus_token_kedaluwarsa,
    Keluar: keluar,
}
