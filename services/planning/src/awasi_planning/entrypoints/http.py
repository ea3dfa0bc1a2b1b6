"""Planning's HTTP API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from awasi_common.auth import CurrentPrincipal
from awasi_common.errors import NotFound
from awasi_common.units import UnitCode
from awasi_common.vocabulary import Divisi, Program
from awasi_planning import views
from awasi_planning.domain.model import Jenis, Status
from awasi_planning.entrypoints.schemas import CancelIn, KegiatanIn, KegiatanOut, RealisasiIn, RescheduleIn
from awasi_planning.service_layer import handlers
from awasi_planning.service_layer.handlers import UowFactory

router = APIRouter(prefix="/kegiatan", tags=["kegiatan"])


def _uow(request: Request) -> UowFactory:
    factory: UowFactory = request.app.state.uow_factory
    return factory


@router.post("", status_code=status.HTTP_201_CREATED, response_model=KegiatanOut, summary="Buat rencana kegiatan")
async def create(body: KegiatanIn, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    kegiatan = await handlers.create_kegiatan(body.domain(), principal, _uow(request), schedule=not body.draft)
    return KegiatanOut.of(kegiatan)


@router.get("", response_model=list[KegiatanOut], summary="Daftar kegiatan unit dan unit di bawahnya")
async def list_(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[UnitCode | None, Query(description="Kode unit; bawaan: unit token")] = None,
    divisi: Divisi | None = None,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    jenis: Jenis | None = None,
    program: Program | None = None,
    dari: dt.date | None = None,
    sampai: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[KegiatanOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    f = views.KegiatanFilter(unit, divisi, status_, jenis, program, dari, sampai)
    async with request.app.state.service.sessions() as session:
        found = await views.list_kegiatan(session, f, limit=limit, offset=offset)
    return [KegiatanOut.of(k) for k in found]


@router.get("/{kegiatan_id}", response_model=KegiatanOut, summary="Satu kegiatan")
async def get(kegiatan_id: str, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    async with request.app.state.service.sessions() as session:
        kegiatan = await views.get_kegiatan(session, kegiatan_id)
    if kegiatan is None or not principal.can_read(kegiatan.unit):
        raise NotFound(f"Kegiatan {kegiatan_id} tidak ditemukan.")
    return KegiatanOut.of(kegiatan)


@router.post("/{kegiatan_id}/jadwalkan", response_model=KegiatanOut, summary="Jadwalkan kegiatan draft")
async def schedule(kegiatan_id: str, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    return KegiatanOut.of(await handlers.schedule(kegiatan_id, principal, _uow(request)))


@router.post("/{kegiatan_id}/jadwal-ulang", response_model=KegiatanOut, summary="Jadwal ulang kegiatan")
async def reschedule(kegiatan_id: str, body: RescheduleIn, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    return KegiatanOut.of(await handlers.reschedule(kegiatan_id, body.jadwal.domain(), principal, _uow(request)))


@router.post("/{kegiatan_id}/batalkan", response_model=KegiatanOut, summary="Batalkan kegiatan")
async def cancel(kegiatan_id: str, body: CancelIn, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    return KegiatanOut.of(await handlers.cancel(kegiatan_id, body.alasan, principal, _uow(request)))


@router.post("/{kegiatan_id}/realisasi", response_model=KegiatanOut, summary="Catat realisasi dan selesaikan")
async def complete(kegiatan_id: str, body: RealisasiIn, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    return KegiatanOut.of(await handlers.complete(kegiatan_id, body.domain(), principal, _uow(request)))
