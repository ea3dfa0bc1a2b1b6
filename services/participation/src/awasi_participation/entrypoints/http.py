"""Participation's HTTP API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from awasi_common.auth import CurrentPrincipal
from awasi_common.units import UnitCode
from awasi_common.vocabulary import Program
from awasi_participation.adapters.orm import program_kegiatan

router = APIRouter(tags=["partisipasi"])


class ProgramKegiatanOut(BaseModel):
    kegiatan_id: str
    unit: str
    program: Program
    judul: str
    mulai: dt.date
    selesai: dt.date
    status: str
    target_peserta: int | None
    peserta_hadir: int | None


@router.get("/program-kegiatan", response_model=list[ProgramKegiatanOut], summary="Kegiatan program partisipatif")
async def list_program_kegiatan(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[UnitCode | None, Query()] = None,
    program: Program | None = None,
) -> list[ProgramKegiatanOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    t = program_kegiatan
    query = sa.select(t).order_by(t.c.mulai)
    if unit != "00":
        query = query.where(sa.or_(t.c.unit == unit, t.c.unit.like(f"{unit}.%")))
    if program:
        query = query.where(t.c.program == program.value)
    async with request.app.state.service.sessions() as session:
        rows = (await session.execute(query.limit(1000))).all()
    return [ProgramKegiatanOut.model_validate(row._mapping) for row in rows]
