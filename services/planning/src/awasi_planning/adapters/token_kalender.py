"""Calendar feed tokens' rows (only their SHA-256)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_planning.adapters.orm import token_kalender as table
from awasi_planning.domain.token_kalender import TokenKalender


def _from_row(row: Any) -> TokenKalender:
    return TokenKalender(
        id=row.id,
        sidik=row.sidik,
        subjek=row.subjek,
        unit=row.unit,
        role=row.role,
        divisi=row.divisi,
        label=row.label,
        dibuat_pada=row.dibuat_pada,
        dicabut_pada=row.dicabut_pada,
    )


class TokenKalenderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: TokenKalender) -> None:
        await self.session.execute(
            table.insert().values(
                id=token.id,
                sidik=token.sidik,
                subjek=token.subjek,
                unit=token.unit,
                role=token.role,
                divisi=token.divisi,
                label=token.label,
                dibuat_pada=token.dibuat_pada,
            )
        )

    async def active_count(self, subjek: str) -> int:
        query = sa.select(sa.func.count()).where(table.c.subjek == subjek, table.c.dicabut_pada.is_(None))
        return int((await self.session.execute(query)).scalar_one())

    async def revoke(self, token_id: str, subjek: str, now: dt.datetime) -> bool:
        """Revoke one of ``subjek``'s tokens; False when it has none by that id."""
        found = await self.session.execute(
            sa.select(table.c.dicabut_pada).where(table.c.id == token_id, table.c.subjek == subjek)
        )
        row = found.first()
        if row is None:
            return False
        if row.dicabut_pada is None:
            await self.session.execute(table.update().where(table.c.id == token_id).values(dicabut_pada=now))
        return True

    async def revoke_all(self, subjek: str, now: dt.datetime) -> int:
        """Every active token of ``subjek`` (a disabled account)."""
        result = await self.session.execute(
            table.update().where(table.c.subjek == subjek, table.c.dicabut_pada.is_(None)).values(dicabut_pada=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def of_subject(session: AsyncSession, subjek: str) -> list[TokenKalender]:
    query = sa.select(table).where(table.c.subjek == subjek).order_by(table.c.dibuat_pada.desc()).limit(100)
    return [_from_row(row) for row in await session.execute(query)]


async def by_hash(session: AsyncSession, sidik: str) -> TokenKalender | None:
    row = (await session.execute(sa.select(table).where(table.c.sidik == sidik))).first()
    return _from_row(row) if row is not None else None
