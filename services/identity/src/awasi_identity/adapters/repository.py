"""Identity's repositories: aggregates in and out of their tables, through ``rows``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.db import insert
from awasi_common.sealing import KeyRing
from awasi_identity.adapters import orm
from awasi_identity.adapters.pribadi import buka, segel
from awasi_identity.adapters.rows import (
    akun_from_row,
    akun_to_row,
    audit_to_row,
    kunci_from_row,
    kunci_to_row,
    percobaan_from_row,
    percobaan_to_row,
    token_from_row,
    token_to_row,
)
from awasi_identity.domain.akun import Akun
from awasi_identity.domain.audit import CatatanAudit
from awasi_identity.domain.klien import Cakupan, KlienInstansi
from awasi_identity.domain.kunci import KunciPenandatangan
from awasi_identity.domain.percobaan import PercobaanMasuk
from awasi_identity.domain.reset import ResetSandi
from awasi_identity.domain.token import TokenPenyegar


class AkunRepository:
    def __init__(self, session: AsyncSession, keyring: KeyRing) -> None:
        self._session = session
        self._keyring = keyring
        self.seen: list[Akun] = []
        """Accounts added or loaded in this unit of work: their events go out with the commit."""

    async def _one(self, where: sa.ColumnElement[bool]) -> Akun | None:
        row = (await self._session.execute(sa.select(orm.akun).where(where).with_for_update())).mappings().first()
        if row is None:
            return None
        akun = akun_from_row(buka(dict(row), self._keyring))
        self.seen.append(akun)
        return akun

    async def get(self, akun_id: str) -> Akun | None:
        return await self._one(orm.akun.c.id == akun_id)

    async def by_email(self, email: str) -> Akun | None:
        return await self._one(orm.akun.c.email == email)

    async def by_kode_aktivasi(self, kode_sidik: str) -> Akun | None:
        return await self._one(orm.akun.c.kode_aktivasi_hash == kode_sidik)

    async def email_dipakai(self, emails: Sequence[str]) -> set[str]:
        """Which of ``emails`` an account has already."""
        used: set[str] = set()
        for start in range(0, len(emails), 1000):
            chunk = list(emails[start : start + 1000])
            found = await self._session.scalars(sa.select(orm.akun.c.email).where(orm.akun.c.email.in_(chunk)))
            used.update(found)
        return used

    async def add(self, akun: Akun) -> None:
        await self._session.execute(sa.insert(orm.akun).values(segel(akun_to_row(akun), self._keyring)))
        self.seen.append(akun)

    async def save(self, akun: Akun) -> None:
        values = segel(akun_to_row(akun), self._keyring)
        await self._session.execute(sa.update(orm.akun).where(orm.akun.c.id == akun.id).values(values))


class PercobaanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, email_sidik: str) -> PercobaanMasuk:
        """The address's count, locked for this transaction (concurrent attempts count one by one)."""
        fresh = percobaan_to_row(PercobaanMasuk(email_sidik))
        await self._session.execute(insert(self._session, orm.percobaan_masuk).values(fresh).on_conflict_do_nothing())
        table = orm.percobaan_masuk
        query = sa.select(table).where(table.c.email_sidik == email_sidik).with_for_update()
        return percobaan_from_row((await self._session.execute(query)).mappings().one())

    async def save(self, percobaan: PercobaanMasuk) -> None:
        table = orm.percobaan_masuk
        values = percobaan_to_row(percobaan)
        await self._session.execute(sa.update(table).where(table.c.email_sidik == percobaan.email_sidik).values(values))


class TokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_sidik(self, sidik: str) -> TokenPenyegar | None:
        table = orm.token_penyegar
        query = sa.select(table).where(table.c.sidik == sidik).with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        return token_from_row(row) if row else None

    async def add(self, token: TokenPenyegar) -> None:
        await self._session.execute(sa.insert(orm.token_penyegar).values(token_to_row(token)))

    async def save(self, token: TokenPenyegar) -> None:
        table = orm.token_penyegar
        await self._session.execute(sa.update(table).where(table.c.id == token.id).values(token_to_row(token)))

    async def hapus_kedaluwarsa(self, sebelum: dt.datetime) -> int:
        table = orm.token_penyegar
        deleted = await self._session.execute(
            sa.delete(table).where(table.c.kedaluwarsa < sebelum).returning(table.c.id)
        )
        return len(deleted.all())

    async def cabut(self, now: dt.datetime, *, keluarga: str | None = None, akun_id: str | None = None) -> None:
        """Revoke a family's (a copied token's) or an account's (disabled, reset) live tokens."""
        table = orm.token_penyegar
        which = table.c.keluarga == keluarga if keluarga else table.c.akun_id == akun_id
        await self._session.execute(
            sa.update(table).where(which, table.c.dicabut_pada.is_(None)).values(dicabut_pada=now)
        )


class KunciRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def semua(self) -> list[KunciPenandatangan]:
        table = orm.kunci_penandatangan
        rows = (await self._session.execute(sa.select(table).order_by(table.c.generasi.desc()))).mappings()
        return [kunci_from_row(row) for row in rows]

    async def add(self, kunci: KunciPenandatangan) -> bool:
        """False when another replica made this generation first."""
        statement = insert(self._session, orm.kunci_penandatangan).values(kunci_to_row(kunci))
        statement = statement.on_conflict_do_nothing(index_elements=["generasi"])
        made = await self._session.scalar(statement.returning(orm.kunci_penandatangan.c.kid))
        return made is not None


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, *catatan: CatatanAudit) -> None:
        if catatan:
            await self._session.execute(sa.insert(orm.audit), [audit_to_row(c) for c in catatan])


def _klien_from_row(row: Any) -> KlienInstansi:
    return KlienInstansi(
        id=row.id,
        nama=row.nama,
        unit=row.unit,
        cakupan=tuple(Cakupan(c) for c in row.cakupan),
        rahasia_sidik=row.rahasia_sidik,
        dibuat_pada=row.dibuat_pada,
        dibuat_oleh=row.dibuat_oleh,
        dinonaktifkan_pada=row.dinonaktifkan_pada,
    )


class KlienRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, klien_id: str) -> KlienInstansi | None:
        row = (
            await self._session.execute(sa.select(orm.klien_instansi).where(orm.klien_instansi.c.id == klien_id))
        ).first()
        return _klien_from_row(row) if row is not None else None

    async def add(self, klien: KlienInstansi) -> None:
        await self._session.execute(
            sa.insert(orm.klien_instansi).values(
                id=klien.id,
                nama=klien.nama,
                unit=klien.unit,
                cakupan=[c.value for c in klien.cakupan],
                rahasia_sidik=klien.rahasia_sidik,
                dibuat_pada=klien.dibuat_pada,
                dibuat_oleh=klien.dibuat_oleh,
            )
        )

    async def save(self, klien: KlienInstansi) -> None:
        await self._session.execute(
            sa.update(orm.klien_instansi)
            .where(orm.klien_instansi.c.id == klien.id)
            .values(rahasia_sidik=klien.rahasia_sidik, dinonaktifkan_pada=klien.dinonaktifkan_pada)
        )


class ResetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_sidik(self, sidik: str) -> ResetSandi | None:
        query = sa.select(orm.reset_sandi).where(orm.reset_sandi.c.sidik == sidik).with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        return ResetSandi(**dict(row)) if row is not None else None

    async def add(self, reset: ResetSandi) -> None:
        await self._session.execute(
            sa.insert(orm.reset_sandi).values(
                id=reset.id,
                akun_id=reset.akun_id,
                sidik=reset.sidik,
                dibuat_pada=reset.dibuat_pada,
                kedaluwarsa=reset.kedaluwarsa,
            )
        )

    async def pakai_semua(self, akun_id: str, now: dt.datetime) -> None:
        """Every open link of the account stops (a newer one was sent, or one was used)."""
        await self._session.execute(
            sa.update(orm.reset_sandi)
            .where(orm.reset_sandi.c.akun_id == akun_id, orm.reset_sandi.c.dipakai_pada.is_(None))
            .values(dipakai_pada=now)
        )
