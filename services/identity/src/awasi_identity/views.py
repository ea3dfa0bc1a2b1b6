"""Read-side queries: accounts as an admin lists them, and the published keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.sealing import KeyRing
from awasi_common.units import RI_CODE
from awasi_identity.adapters import orm
from awasi_identity.adapters.pribadi import buka
from awasi_identity.adapters.rows import akun_from_row, kunci_from_row
from awasi_identity.adapters.signing import jwks
from awasi_identity.domain.akun import hari_ini
from awasi_identity.domain.klien import KlienInstansi

_SECRET = {"sandi_hash", "kode_aktivasi_hash", "kode_aktivasi_sampai", "totp_tersegel", "totp_langkah_terakhir"}
_SHOWN = [column for column in orm.akun.c if column.name not in _SECRET]


def _within(column: sa.ColumnElement[str], unit: str) -> sa.ColumnElement[bool]:
    return sa.or_(column == unit, column.like(f"{unit}.%")) if unit != RI_CODE else sa.true()


async def akun_list(
    session: AsyncSession, keyring: KeyRing, unit: str, *, offset: int, limit: int
) -> list[dict[str, Any]]:
    """Accounts of ``unit`` and the units below it, by unit then name."""
    query = (
        sa.select(*_SHOWN)
        .where(_within(orm.akun.c.unit, unit))
        .order_by(orm.akun.c.unit, orm.akun.c.nama, orm.akun.c.id)
        .offset(offset)
        .limit(limit)
    )
    return [buka(dict(row), keyring, untuk_dibaca=True) for row in (await session.execute(query)).mappings()]


async def audit_list(
    session: AsyncSession, unit: str, *, akun_id: str | None, offset: int, limit: int
) -> list[dict[str, Any]]:
    """What was done to the accounts of ``unit`` and the units below it, newest first."""
    table = orm.audit
    query = sa.select(table).where(_within(table.c.unit, unit))
    if akun_id:
        query = query.where(table.c.akun_id == akun_id)
    query = query.order_by(table.c.waktu.desc(), table.c.id.desc()).offset(offset).limit(limit)
    return [dict(row) for row in (await session.execute(query)).mappings()]


async def akun_row(session: AsyncSession, keyring: KeyRing, akun_id: str) -> dict[str, Any] | None:
    row = (await session.execute(sa.select(*_SHOWN).where(orm.akun.c.id == akun_id))).mappings().first()
    return buka(dict(row), keyring, untuk_dibaca=True) if row else None


async def akun_dapat_bertindak(session: AsyncSession, subject: str, now: dt.datetime) -> bool:
    """False for the subject of a disabled account or one whose term is over; True for an
    active account and for a subject that is no account (the platform's development tokens)."""
    row = (await session.execute(sa.select(orm.akun).where(orm.akun.c.id == subject))).mappings().first()
    return row is None or akun_from_row(row).dapat_masuk(hari_ini(row["unit"], now))


async def jwks_publik(session: AsyncSession, now: dt.datetime) -> dict[str, Any]:
    table = orm.kunci_penandatangan
    rows = (await session.execute(sa.select(table).order_by(table.c.generasi.desc()).limit(10))).mappings()
    return jwks([kunci_from_row(row) for row in rows], now)


async def klien_instansi(session: AsyncSession) -> list[KlienInstansi]:
    """Agencies' clients, newest first (never their secrets' hashes outside the domain object)."""
    from awasi_identity.adapters.repository import _klien_from_row

    query = sa.select(orm.klien_instansi).order_by(orm.klien_instansi.c.dibuat_pada.desc()).limit(1000)
    return [_klien_from_row(row) for row in await session.execute(query)]
