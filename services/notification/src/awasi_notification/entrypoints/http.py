"""Notification's HTTP API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from awasi_common.auth import CurrentPrincipal
from awasi_common.units import UnitCode
from awasi_notification.adapters.orm import receipt, reminder

router = APIRouter(tags=["notifikasi"])


class ReminderOut(BaseModel):
    kegiatan_id: str
    unit: str
    judul: str
    kind: str
    due_on: dt.date
    status: str


class ReceiptOut(BaseModel):
    laporan_id: str
    kode_pelacakan: str
    unit: str
    kanal: str
    diterima_pada: dt.datetime


def _within(column: sa.ColumnElement[str], unit: str) -> sa.ColumnElement[bool]:
    return sa.or_(column == unit, column.like(f"{unit}.%")) if unit != "00" else sa.true()


@router.get("/pengingat", response_model=list[ReminderOut], summary="Pengingat kegiatan unit")
async def reminders(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[UnitCode | None, Query()] = None,
    kegiatan_id: str | None = None,
) -> list[ReminderOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    query = sa.select(reminder).where(_within(reminder.c.unit, unit)).order_by(reminder.c.due_on)
    if kegiatan_id:
        query = query.where(reminder.c.kegiatan_id == kegiatan_id)
    async with request.app.state.service.sessions() as session:
        rows = (await session.execute(query.limit(1000))).all()
    return [ReminderOut.model_validate(row._mapping) for row in rows]


@router.get("/tanda-terima", response_model=list[ReceiptOut], summary="Tanda terima laporan yang dikirim")
async def receipts(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[UnitCode | None, Query()] = None,
    kode_pelacakan: str | None = None,
) -> list[ReceiptOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    query = sa.select(receipt).where(_within(receipt.c.unit, unit)).order_by(receipt.c.diterima_pada)
    if kode_pelacakan:
        query = query.where(receipt.c.kode_pelacakan == kode_pelacakan)
    async with request.app.state.service.sessions() as session:
        rows = (await session.execute(query.limit(1000))).all()
    return [ReceiptOut.model_validate(row._mapping) for row in rows]
