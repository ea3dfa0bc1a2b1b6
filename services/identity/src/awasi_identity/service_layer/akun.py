"""Accounts, managed by a unit's admin: made (one or a file of them), changed, disabled, reset."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from awasi_common.auth import Principal
from awasi_common.errors import Conflict, Forbidden, NotFound
from awasi_identity.commands import BuatAkun, BuatKodeAktivasi, ImporAkun, NonaktifkanAkun, UbahAkun
from awasi_identity.domain.akun import Akun, hari_ini
from awasi_identity.domain.audit import Tindakan
from awasi_identity.domain.rahasia import kode_aktivasi_baru, sidik_kode
from awasi_identity.domain.wewenang import wajib_admin_atas
from awasi_identity.service_layer.common import UowFactory, catatan, sekarang, staf
from awasi_identity.service_layer.unit_of_work import IdentityUnitOfWork


@dataclass(frozen=True)
class AkunBaru:
    akun: Akun
    kode_aktivasi: str
    """Shown once, to the admin who hands it over; only its hash is kept."""
    berlaku_sampai: dt.datetime


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


async def _buat(uow: IdentityUnitOfWork, command: BuatAkun, admin: Principal, now: dt.datetime) -> AkunBaru:
    mulai = command.berlaku_mulai or hari_ini(command.unit, now)
    akun = Akun.buat(dibuat_oleh=admin.subject, **_isian(command, "alamat") | {"berlaku_mulai": mulai})
    kode, sampai = _kode_baru(uow, akun, now)
    await uow.akun.add(akun)
    await uow.audit.add(
        catatan(Tindakan.AKUN_DIBUAT, admin, akun, command.alamat, role=akun.role.value),
        catatan(Tindakan.KODE_AKTIVASI_DIBUAT, admin, akun, command.alamat),
    )
    return AkunBaru(akun, kode, sampai)


async def buat_akun(command: BuatAkun, principal: Principal | None, uow_factory: UowFactory) -> AkunBaru:
    admin = staf(principal)
    wajib_admin_atas(admin, command.unit)
    async with uow_factory() as uow:
        if await uow.akun.email_dipakai([command.email]):
            raise Conflict("Email ini sudah dipakai akun lain.", field="email")
        baru = await _buat(uow, command, admin, sekarang())
        await _simpan(uow)
    return baru


async def impor_akun(command: ImporAkun, principal: Principal | None, uow_factory: UowFactory) -> list[AkunBaru]:
    """Every row's unit and email checked before any is made; one refusal refuses the file."""
    admin = staf(principal)
    for number, row in enumerate(command.akun, start=2):
        try:
            wajib_admin_atas(admin, row.unit)
        except Forbidden as refusal:
            raise Forbidden(f"Berkas ditolak; tidak ada akun yang dibuat. Baris {number}: {refusal.message}") from None
    now = sekarang()
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
    admin = staf(principal)
    if command.unit:
        wajib_admin_atas(admin, command.unit)
    async with uow_factory() as uow:
        akun = await _akun_dikelola(uow, command.akun_id, admin)
        before = {"unit": akun.unit, "role": akun.role.value}
        changed = akun.ubah(**_isian(command, "akun_id", "alamat"))
        if changed:
            await uow.akun.save(akun)
            await uow.audit.add(catatan(Tindakan.AKUN_DIUBAH, admin, akun, command.alamat, diubah=changed, **before))
            await uow.commit()
    return akun


async def nonaktifkan_akun(command: NonaktifkanAkun, principal: Principal | None, uow_factory: UowFactory) -> Akun:
    admin = staf(principal)
    if command.akun_id == admin.subject:
        raise Conflict("Anda tidak dapat menonaktifkan akun Anda sendiri; minta admin unit Anda atau unit di atasnya.")
    now = sekarang()
    async with uow_factory() as uow:
        akun = await _akun_dikelola(uow, command.akun_id, admin)
        akun.nonaktifkan(now)
        await uow.akun.save(akun)
        await uow.token.cabut(now, akun_id=akun.id)
        await uow.audit.add(catatan(Tindakan.AKUN_DINONAKTIFKAN, admin, akun, command.alamat))
        await uow.commit()
    return akun


async def buat_kode_aktivasi(
    command: BuatKodeAktivasi, principal: Principal | None, uow_factory: UowFactory
) -> AkunBaru:
    admin = staf(principal)
    now = sekarang()
    async with uow_factory() as uow:
        akun = await _akun_dikelola(uow, command.akun_id, admin)
        kode, sampai = _kode_baru(uow, akun, now)
        await uow.akun.save(akun)
        await uow.token.cabut(now, akun_id=akun.id)
        await uow.audit.add(catatan(Tindakan.KODE_AKTIVASI_DIBUAT, admin, akun, command.alamat))
        await uow.commit()
    return AkunBaru(akun, kode, sampai)
