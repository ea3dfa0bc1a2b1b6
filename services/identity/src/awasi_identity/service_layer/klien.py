"""Agencies' OAuth2 clients: registered and disabled by Bawaslu RI's admin, and the client
credentials grant (RFC 6749 §4.4) that hands them a short-lived ``agency`` token."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from awasi_common.auth import Principal, Role
from awasi_common.errors import DomainError, Forbidden, NotFound
from awasi_common.events.identity import AccountDisabled
from awasi_common.units import RI_CODE
from awasi_identity.commands import DaftarkanKlien, MasukKlien, NonaktifkanKlien
from awasi_identity.domain.audit import CatatanAudit, Tindakan
from awasi_identity.domain.klien import SEMUA_CAKUPAN, Cakupan, KlienInstansi, cakupan_diminta
from awasi_identity.domain.rahasia import rahasia_baru, sidik
from awasi_identity.service_layer.common import UowFactory, sekarang
from awasi_identity.service_layer.kunci import siapkan_kunci


class KlienGagal(DomainError):
    """OAuth2's ``invalid_client``: the same answer for an unknown client, a wrong secret and a
    disabled client."""

    status_code = 401

    def __init__(self) -> None:
        super().__init__("client_id atau client_secret salah, atau klien sudah dinonaktifkan.")


@dataclass(frozen=True)
class KlienBaru:
    klien: KlienInstansi
    rahasia: str
    """Shown once."""


@dataclass(frozen=True)
class TokenKlien:
    access_token: str
    expires_in: int
    cakupan: tuple[Cakupan, ...]


def _admin_ri(principal: Principal | None) -> Principal:
    if principal is None or principal.role != Role.ADMIN or principal.unit != RI_CODE:
        raise Forbidden("Klien instansi hanya didaftarkan dan dinonaktifkan oleh admin Bawaslu RI.")
    return principal


def _catatan(
    tindakan: Tindakan, principal: Principal | None, klien: KlienInstansi | None, alamat: str | None, **rincian: object
) -> CatatanAudit:
    return CatatanAudit(
        tindakan=tindakan,
        pelaku=principal.subject if principal else None,
        pelaku_unit=principal.unit if principal else None,
        akun_id=klien.id if klien else None,
        unit=klien.unit if klien else None,
        alamat=alamat,
        rincian=dict(rincian),
    )


async def daftarkan_klien(command: DaftarkanKlien, principal: Principal | None, uow_factory: UowFactory) -> KlienBaru:
    admin = _admin_ri(principal)
    cakupan = tuple(Cakupan(c) for c in command.cakupan) or SEMUA_CAKUPAN
    rahasia = rahasia_baru()
    klien = KlienInstansi.daftar(
        nama=command.nama, unit=command.unit, cakupan=cakupan, rahasia_sidik=sidik(rahasia), oleh=admin.subject,
        now=sekarang(),
    )  # fmt: skip
    async with uow_factory() as uow:
        await uow.klien.add(klien)
        await uow.audit.add(
            _catatan(Tindakan.KLIEN_DIDAFTARKAN, admin, klien, command.alamat, cakupan=[c.value for c in cakupan])
        )
        await uow.commit()
    return KlienBaru(klien, rahasia)


async def nonaktifkan_klien(
    command: NonaktifkanKlien, principal: Principal | None, uow_factory: UowFactory
) -> KlienInstansi:
    """No new token; the ones still valid are refused by every service once AccountDisabled
    (its ``akun_id`` is the client's id, the ``sub`` of its tokens) reaches it."""
    admin = _admin_ri(principal)
    async with uow_factory() as uow:
        klien = await uow.klien.get(command.klien_id)
        if klien is None:
            raise NotFound(f"Klien {command.klien_id} tidak ditemukan.")
        if klien.aktif:
            now = sekarang()
            klien.dinonaktifkan_pada = now
            await uow.klien.save(klien)
            uow.publish(AccountDisabled(akun_id=klien.id, unit=klien.unit, dinonaktifkan_pada=now))
            await uow.audit.add(_catatan(Tindakan.KLIEN_DINONAKTIFKAN, admin, klien, command.alamat))
            await uow.commit()
    return klien


async def masuk_klien(command: MasukKlien, principal: Principal | None, uow_factory: UowFactory) -> TokenKlien:
    now = sekarang()
    async with uow_factory() as uow:
        klien = await uow.klien.get(command.klien_id)
        cocok = klien is not None and hmac.compare_digest(klien.rahasia_sidik, sidik(command.rahasia))
        if klien is None or not cocok or not klien.aktif:
            await uow.audit.add(_catatan(Tindakan.KLIEN_GAGAL, None, klien, command.alamat))
            await uow.commit()
            raise KlienGagal()
        cakupan = cakupan_diminta(command.cakupan, klien.cakupan)
        settings = uow.konteks.settings
        await siapkan_kunci(uow, now)
        umur = settings.client_token_seconds
        claims = {
            "sub": klien.id,
            "client_id": klien.id,
            "unit": klien.unit,
            "role": Role.AGENCY.value,
            "scope": " ".join(c.value for c in cakupan),
            "iss": settings.issuer,
            "aud": settings.audience,
            "iat": int(now.timestamp()),
            "exp": int((now + dt.timedelta(seconds=umur)).timestamp()),
            "jti": rahasia_baru(12),
        }
        access = uow.konteks.penandatangan.tandatangani(claims, now)
        await uow.audit.add(_catatan(Tindakan.KLIEN_MASUK, None, klien, command.alamat, cakupan=claims["scope"]))
        await uow.commit()
    return TokenKlien(access_token=access, expires_in=umur, cakupan=cakupan)
