"""Participation's HTTP API."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from awasi_common.auth import CurrentPrincipal, Principal
from awasi_common.commands import CommandBus
from awasi_common.edge import at_edge
from awasi_common.errors import NotFound
from awasi_common.http import MAX_OFFSET
from awasi_common.limits import Id, KodeUnit
from awasi_common.units import unit_name
from awasi_common.vocabulary import Program
from awasi_participation import views
from awasi_participation.commands import EvaluasiKewajiban
from awasi_participation.domain.base import today_in
from awasi_participation.domain.obligations import Kewajiban, StatusKewajiban
from awasi_participation.domain.penilaian import Penilaian
from awasi_participation.domain.rules import RULES
from awasi_participation.entrypoints.schemas import (
    EvaluasiOut,
    IndikatorSetIn,
    IndikatorSetOut,
    KapasitasIn,
    KegiatanInfoOut,
    KegiatanRingkasanOut,
    KehadiranIn,
    KehadiranOut,
    KewajibanOut,
    KomunikasiIn,
    KomunikasiOut,
    KonsultasiIn,
    KonsultasiOut,
    LaporanPojokIn,
    LaporanPojokOut,
    PemantauanIn,
    PemantauanOut,
    PendaftaranIn,
    PendaftaranOut,
    PengembanganIn,
    PengembanganOut,
    PenilaianIn,
    PenilaianOut,
    PesertaOut,
    ProgramIn,
    ProgramKegiatanOut,
    ProgramOut,
    TautanIn,
    TindakLanjutIn,
    UmpanBalikIn,
    UmpanBalikOut,
)

PUBLIC = at_edge(attempts="publik")
"""Endpoints anyone may call (peserta sign-up, check-in, feedback) are rate limited per client,
every request counted at the edge before its body is read (``openapi_extra=PUBLIC``)."""

router = APIRouter()


def _bus(request: Request) -> CommandBus[Any]:
    bus: CommandBus[Any] = request.app.state.bus
    return bus


def _sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    sessions: async_sessionmaker[AsyncSession] = request.app.state.service.sessions
    return sessions


# --- programs --------------------------------------------------------------------------------------


def _program_out(row: dict[str, Any], ringkasan: dict[str, Any] | None = None) -> ProgramOut:
    named = {"nama_unit": unit_name(row["unit"]), "jenis": Program(row["program"]).nama}
    return ProgramOut.model_validate({**row, **named, "melibatkan": row["melibatkan"] or [], "ringkasan": ringkasan})


async def _readable_program(request: Request, program_id: str, principal: Principal) -> dict[str, Any]:
    async with _sessions(request)() as session:
        row = await views.program_row(session, program_id)
    if row is None or not (principal.can_read(row["unit"]) or any(principal.can_read(u) for u in row["melibatkan"])):
        raise NotFound(f"Program {program_id} tidak ditemukan.")
    return row


@router.post(
    "/program",
    status_code=status.HTTP_201_CREATED,
    response_model=ProgramOut,
    tags=["program"],
    summary="Bentuk program pengawasan partisipatif",
)
async def form_program(body: ProgramIn, principal: CurrentPrincipal, request: Request) -> ProgramOut:
    record = await _bus(request).handle(body.to_command(today_in(body.unit)), principal)
    async with _sessions(request)() as session:
        row = await views.program_row(session, record.id)
    assert row is not None
    return _program_out(row)


@router.get("/program", response_model=list[ProgramOut], tags=["program"], summary="Program unit dan unit di bawahnya")
async def list_programs(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query(description="Bawaan: unit token")] = None,
    program: Program | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[ProgramOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    async with _sessions(request)() as session:
        rows = await views.list_programs(session, unit=unit, program=program, limit=limit, offset=offset)
    return [_program_out(row) for row in rows]


@router.get("/program/{program_id}", response_model=ProgramOut, tags=["program"], summary="Satu program")
async def get_program(program_id: Id, principal: CurrentPrincipal, request: Request) -> ProgramOut:
    row = await _readable_program(request, program_id, principal)
    async with _sessions(request)() as session:
        ringkasan = await views.program_ringkasan(session, program_id)
    return _program_out(row, ringkasan)


@router.post(
    "/program/{program_id}/konsultasi",
    status_code=status.HTTP_201_CREATED,
    response_model=KonsultasiOut,
    tags=["pojok pengawasan"],
    summary="Catat layanan informasi/konsultasi di Pojok Pengawasan",
)
async def log_konsultasi(
    program_id: Id, body: KonsultasiIn, principal: CurrentPrincipal, request: Request
) -> KonsultasiOut:
    command = body.to_command(program_id, dt.datetime.now(dt.UTC))
    return KonsultasiOut.model_validate(await _bus(request).handle(command, principal), from_attributes=True)


@router.get(
    "/program/{program_id}/konsultasi",
    response_model=list[KonsultasiOut],
    tags=["pojok pengawasan"],
    summary="Log konsultasi Pojok Pengawasan",
)
async def list_konsultasi(program_id: Id, principal: CurrentPrincipal, request: Request) -> list[KonsultasiOut]:
    await _readable_program(request, program_id, principal)
    async with _sessions(request)() as session:
        rows = await views.list_konsultasi(session, program_id)
    return [KonsultasiOut.model_validate(row) for row in rows]


@router.post(
    "/program/{program_id}/laporan",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=LaporanPojokOut,
    tags=["pojok pengawasan"],
    summary="Terima laporan masyarakat di Pojok Pengawasan dan teruskan ke layanan pelaporan",
)
async def report_at_pojok(
    program_id: Id, body: LaporanPojokIn, principal: CurrentPrincipal, request: Request
) -> LaporanPojokOut:
    event = await _bus(request).handle(body.to_command(program_id), principal)
    return LaporanPojokOut(
        laporan_pojok_id=event.laporan_pojok_id,
        program_id=event.program_id,
        diterima_pada=event.diterima_pada,
        pesan="Laporan diterima di Pojok Pengawasan dan diteruskan ke layanan penanganan laporan "
        "(kanal pojok_pengawasan); pelapor akan menerima tanda terima dari layanan tersebut.",
    )


@router.post(
    "/program/{program_id}/komunikasi",
    status_code=status.HTTP_201_CREATED,
    response_model=KomunikasiOut,
    tags=["kampung pengawasan"],
    summary="Catat komunikasi berkala/koordinasi Kampung Pengawasan",
)
async def log_komunikasi(
    program_id: Id, body: KomunikasiIn, principal: CurrentPrincipal, request: Request
) -> KomunikasiOut:
    komunikasi = await _bus(request).handle(body.to_command(program_id), principal)
    return KomunikasiOut.model_validate(komunikasi, from_attributes=True)


@router.get(
    "/program/{program_id}/komunikasi",
    response_model=list[KomunikasiOut],
    tags=["kampung pengawasan"],
    summary="Log komunikasi Kampung Pengawasan",
)
async def list_komunikasi(program_id: Id, principal: CurrentPrincipal, request: Request) -> list[KomunikasiOut]:
    await _readable_program(request, program_id, principal)
    async with _sessions(request)() as session:
        rows = await views.list_komunikasi(session, program_id)
    return [KomunikasiOut.model_validate(row) for row in rows]


@router.post(
    "/pengembangan-kampung",
    status_code=status.HTTP_201_CREATED,
    response_model=PengembanganOut,
    tags=["kampung pengawasan"],
    summary="Catat pengembangan dan inovasi berdasarkan evaluasi seluruh Kampung Pengawasan (Pasal 27)",
)
async def log_pengembangan(body: PengembanganIn, principal: CurrentPrincipal, request: Request) -> PengembanganOut:
    pengembangan = await _bus(request).handle(body.to_command(), principal)
    return PengembanganOut.model_validate(pengembangan, from_attributes=True)


@router.get(
    "/pengembangan-kampung",
    response_model=list[PengembanganOut],
    tags=["kampung pengawasan"],
    summary="Pengembangan dan inovasi unit dan unit di bawahnya (Pasal 27)",
)
async def list_pengembangan(
    principal: CurrentPrincipal, request: Request, unit: Annotated[KodeUnit | None, Query()] = None
) -> list[PengembanganOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    async with _sessions(request)() as session:
        rows = await views.list_pengembangan(session, unit)
    return [PengembanganOut.model_validate(row) for row in rows]


# --- kegiatan, peserta, attendance, feedback ------------------------------------------------------


def _kegiatan_out(row: dict[str, Any]) -> ProgramKegiatanOut:
    capacity = row["kapasitas"] if row["kapasitas"] is not None else row["target_peserta"]
    return ProgramKegiatanOut.model_validate({**row, "kapasitas_efektif": capacity})


async def _kegiatan_row(request: Request, kegiatan_id: str) -> dict[str, Any]:
    async with _sessions(request)() as session:
        rows = await views.list_kegiatan(session, views.KegiatanFilter(unit="00", kegiatan_id=kegiatan_id))
    if not rows:
        raise NotFound(f"Kegiatan program {kegiatan_id} tidak ditemukan.")
    return rows[0]


async def _readable_kegiatan(request: Request, kegiatan_id: str, principal: Principal) -> dict[str, Any]:
    row = await _kegiatan_row(request, kegiatan_id)
    if not principal.can_read(row["unit"]):
        raise NotFound(f"Kegiatan program {kegiatan_id} tidak ditemukan.")
    return row


@router.get(
    "/program-kegiatan",
    response_model=list[ProgramKegiatanOut],
    tags=["kegiatan"],
    summary="Kegiatan program partisipatif (dari perencanaan)",
)
async def list_program_kegiatan(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    program: Program | None = None,
    program_id: Id | None = None,
    tahun: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    belum_ditautkan: bool = False,
) -> list[ProgramKegiatanOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    f = views.KegiatanFilter(unit, program, program_id, tahun, belum_ditautkan)
    async with _sessions(request)() as session:
        rows = await views.list_kegiatan(session, f)
    return [_kegiatan_out(row) for row in rows]


@router.get(
    "/program-kegiatan/{kegiatan_id}", response_model=ProgramKegiatanOut, tags=["kegiatan"], summary="Satu kegiatan"
)
async def get_program_kegiatan(kegiatan_id: Id, principal: CurrentPrincipal, request: Request) -> ProgramKegiatanOut:
    return _kegiatan_out(await _readable_kegiatan(request, kegiatan_id, principal))


@router.get(
    "/program-kegiatan/{kegiatan_id}/info",
    openapi_extra=PUBLIC,
    response_model=KegiatanInfoOut,
    tags=["kegiatan"],
    summary="Informasi publik kegiatan untuk calon peserta",
)
async def kegiatan_info(kegiatan_id: Id, request: Request) -> KegiatanInfoOut:
    row = await _kegiatan_row(request, kegiatan_id)
    kind = Program(row["program"])
    sasaran = [s.value for s in RULES[kind].sasaran]
    if row["program_id"]:
        async with _sessions(request)() as session:
            program = await views.program_row(session, row["program_id"])
        if program:
            sasaran = program["sasaran"]
    capacity = row["kapasitas"] if row["kapasitas"] is not None else row["target_peserta"]
    return KegiatanInfoOut(
        kegiatan_id=row["kegiatan_id"],
        program=kind,
        jenis=kind.nama,
        judul=row["judul"],
        mulai=row["mulai"],
        selesai=row["selesai"],
        lokasi=row["lokasi"],
        status=row["status"],
        kapasitas=capacity,
        sisa_kuota=max(0, capacity - row["terdaftar"]) if capacity is not None else None,
        sasaran=sasaran,
    )


@router.put(
    "/program-kegiatan/{kegiatan_id}/program",
    response_model=ProgramKegiatanOut,
    tags=["kegiatan"],
    summary="Tautkan kegiatan ke program tertentu",
)
async def link_program(
    kegiatan_id: Id, body: TautanIn, principal: CurrentPrincipal, request: Request
) -> ProgramKegiatanOut:
    await _bus(request).handle(body.to_command(kegiatan_id), principal)
    return _kegiatan_out(await _kegiatan_row(request, kegiatan_id))


@router.put(
    "/program-kegiatan/{kegiatan_id}/kapasitas",
    response_model=ProgramKegiatanOut,
    tags=["kegiatan"],
    summary="Atur kapasitas pendaftaran",
)
async def set_capacity(
    kegiatan_id: Id, body: KapasitasIn, principal: CurrentPrincipal, request: Request
) -> ProgramKegiatanOut:
    await _bus(request).handle(body.to_command(kegiatan_id), principal)
    return _kegiatan_out(await _kegiatan_row(request, kegiatan_id))


@router.post(
    "/program-kegiatan/{kegiatan_id}/peserta",
    openapi_extra=PUBLIC,
    status_code=status.HTTP_201_CREATED,
    response_model=PendaftaranOut,
    tags=["peserta"],
    summary="Daftar sebagai peserta (publik)",
)
async def register(kegiatan_id: Id, body: PendaftaranIn, request: Request) -> PendaftaranOut:
    p = await _bus(request).handle(body.to_command(kegiatan_id))
    return PendaftaranOut(
        peserta_id=p.id,
        kegiatan_id=p.kegiatan_id,
        program_id=p.program_id,
        sasaran=p.sasaran.value,
        kode_hadir=p.kode_hadir,
        terdaftar_pada=p.terdaftar_pada,
        pesan=f"Pendaftaran diterima. Tunjukkan kode hadir {p.kode_hadir} saat kegiatan.",
    )


@router.get(
    "/program-kegiatan/{kegiatan_id}/peserta",
    response_model=list[PesertaOut],
    tags=["peserta"],
    summary="Daftar peserta (memuat data pribadi)",
)
async def list_peserta(kegiatan_id: Id, principal: CurrentPrincipal, request: Request) -> list[PesertaOut]:
    row = await _readable_kegiatan(request, kegiatan_id, principal)
    principal.require_act(row["unit"])
    async with _sessions(request)() as session:
        rows = await views.list_peserta(session, kegiatan_id)
    return [PesertaOut.model_validate(r) for r in rows]


@router.post(
    "/program-kegiatan/{kegiatan_id}/kehadiran",
    openapi_extra=PUBLIC,
    response_model=KehadiranOut,
    tags=["peserta"],
    summary="Check-in dengan kode hadir (publik)",
)
async def check_in(kegiatan_id: Id, body: KehadiranIn, request: Request) -> KehadiranOut:
    peserta, recorded = await _bus(request).handle(body.to_command(kegiatan_id))
    assert peserta.hadir_pada is not None
    return KehadiranOut(peserta_id=peserta.id, nama=peserta.nama, hadir_pada=peserta.hadir_pada, baru_dicatat=recorded)


@router.post(
    "/program-kegiatan/{kegiatan_id}/umpan-balik",
    openapi_extra=PUBLIC,
    status_code=status.HTTP_201_CREATED,
    response_model=UmpanBalikOut,
    tags=["peserta"],
    summary="Umpan balik peserta yang hadir (publik, dengan kode hadir)",
)
async def feedback(kegiatan_id: Id, body: UmpanBalikIn, request: Request) -> UmpanBalikOut:
    umpan_balik = await _bus(request).handle(body.to_command(kegiatan_id))
    return UmpanBalikOut.model_validate(umpan_balik, from_attributes=True)


@router.get(
    "/program-kegiatan/{kegiatan_id}/ringkasan",
    response_model=KegiatanRingkasanOut,
    tags=["peserta"],
    summary="Kehadiran dan umpan balik kegiatan",
)
async def kegiatan_ringkasan(kegiatan_id: Id, principal: CurrentPrincipal, request: Request) -> KegiatanRingkasanOut:
    await _readable_kegiatan(request, kegiatan_id, principal)
    async with _sessions(request)() as session:
        return KegiatanRingkasanOut.model_validate(await views.kegiatan_ringkasan(session, kegiatan_id))


# --- pemantauan, indicators, penilaian, tindak lanjut -----------------------------------------------


@router.post(
    "/pemantauan",
    status_code=status.HTTP_201_CREATED,
    response_model=PemantauanOut,
    tags=["penilaian"],
    summary="Catat pemantauan penyelenggaraan Pengawasan Partisipatif",
)
async def record_pemantauan(body: PemantauanIn, principal: CurrentPrincipal, request: Request) -> PemantauanOut:
    pemantauan = await _bus(request).handle(body.to_command(), principal)
    return PemantauanOut.model_validate(pemantauan, from_attributes=True)


@router.get("/pemantauan", response_model=list[PemantauanOut], tags=["penilaian"], summary="Daftar pemantauan")
async def list_pemantauan(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    tahun: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[PemantauanOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    async with _sessions(request)() as session:
        rows = await views.list_pemantauan(session, unit=unit, tahun=tahun)
    return [PemantauanOut.model_validate(row) for row in rows]


@router.post(
    "/indikator",
    status_code=status.HTTP_201_CREATED,
    response_model=IndikatorSetOut,
    tags=["penilaian"],
    summary="Tetapkan perangkat indikator keberhasilan (Bawaslu RI)",
)
async def configure_indicators(body: IndikatorSetIn, principal: CurrentPrincipal, request: Request) -> IndikatorSetOut:
    s = await _bus(request).handle(body.to_command(), principal)
    async with _sessions(request)() as session:
        rows = [r for r in await views.list_indikator_sets(session) if r["id"] == s.id]
    return IndikatorSetOut.model_validate(rows[0])


@router.get(
    "/indikator", response_model=list[IndikatorSetOut], tags=["penilaian"], summary="Perangkat indikator yang berlaku"
)
async def list_indicators(principal: CurrentPrincipal, request: Request) -> list[IndikatorSetOut]:
    async with _sessions(request)() as session:
        rows = await views.list_indikator_sets(session)
    return [IndikatorSetOut.model_validate(row) for row in rows]


def _penilaian_out(p: Penilaian) -> PenilaianOut:
    return PenilaianOut.model_validate(p, from_attributes=True)


@router.post(
    "/penilaian",
    status_code=status.HTTP_201_CREATED,
    response_model=PenilaianOut,
    tags=["penilaian"],
    summary="Tetapkan penilaian keberhasilan berdasarkan pemantauan",
)
async def set_penilaian(body: PenilaianIn, principal: CurrentPrincipal, request: Request) -> PenilaianOut:
    return _penilaian_out(await _bus(request).handle(body.to_command(), principal))


@router.get("/penilaian", response_model=list[PenilaianOut], tags=["penilaian"], summary="Daftar penilaian")
async def list_penilaian(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    tahun: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[PenilaianOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    async with _sessions(request)() as session:
        found = await views.list_penilaian(session, unit=unit, tahun=tahun)
    return [_penilaian_out(p) for p in found]


@router.get("/penilaian/{penilaian_id}", response_model=PenilaianOut, tags=["penilaian"], summary="Satu penilaian")
async def get_penilaian(penilaian_id: Id, principal: CurrentPrincipal, request: Request) -> PenilaianOut:
    async with _sessions(request)() as session:
        p = await views.penilaian(session, penilaian_id)
    if p is None or not (principal.can_read(p.unit) or principal.can_read(p.unit_dinilai)):
        raise NotFound(f"Penilaian {penilaian_id} tidak ditemukan.")
    return _penilaian_out(p)


@router.post(
    "/penilaian/{penilaian_id}/tindak-lanjut",
    response_model=PenilaianOut,
    tags=["penilaian"],
    summary="Catat tindak lanjut: evaluasi dan strategi baru",
)
async def record_tindak_lanjut(
    penilaian_id: Id, body: TindakLanjutIn, principal: CurrentPrincipal, request: Request
) -> PenilaianOut:
    return _penilaian_out(await _bus(request).handle(body.to_command(penilaian_id), principal))


# --- obligations and the national view ------------------------------------------------------------


def _kewajiban_out(k: Kewajiban, now: dt.datetime, raised: set[str]) -> KewajibanOut:
    figures = {"id": k.id, "kurang": k.kurang, "periode_label": k.periode_label, "status": k.status_at(now)}
    named = {"jenis": k.jenis.value, "nama_unit": unit_name(k.unit), "dinaikkan": k.id in raised}
    return KewajibanOut.model_validate({**dataclasses.asdict(k), **figures, **named})


@router.get(
    "/kewajiban",
    response_model=list[KewajibanOut],
    tags=["kewajiban"],
    summary="Kewajiban unit dan unit di bawahnya, dihitung saat ini",
)
async def list_kewajiban(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query()] = None,
    tahun: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status_: Annotated[StatusKewajiban | None, Query(alias="status")] = None,
) -> list[KewajibanOut]:
    unit = unit or principal.unit
    principal.require_read(unit)
    now = dt.datetime.now(dt.UTC)
    async with _sessions(request)() as session:
        found, raised = await views.list_kewajiban(session, now=now, unit=unit, tahun=tahun, status=status_)
    return [_kewajiban_out(k, now, raised) for k in found]


@router.post(
    "/kewajiban/evaluasi",
    response_model=EvaluasiOut,
    tags=["kewajiban"],
    summary="Periksa kewajiban yang jatuh tempo sekarang (idempoten)",
)
async def evaluate_obligations(principal: CurrentPrincipal, request: Request) -> EvaluasiOut:
    now = dt.datetime.now(dt.UTC)
    lookback_days = request.app.state.participation_settings.alert_lookback_days
    raised = await _bus(request).handle(EvaluasiKewajiban(lookback_days=lookback_days, now=now), principal)
    ids = {k.id for k in raised}
    return EvaluasiOut(dinaikkan=len(raised), kewajiban=[_kewajiban_out(k, now, ids) for k in raised])


@router.get(
    "/keberhasilan",
    tags=["kewajiban"],
    summary="Keberhasilan Pengawasan Partisipatif per wilayah dan tahun (nasional berbasis provinsi)",
)
async def success_by_region(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[
        KodeUnit | None, Query(description="00: per provinsi; provinsi: per kab/kota; kab/kota: per kecamatan")
    ] = None,
    tahun: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> dict[str, Any]:
    unit = unit or principal.unit
    principal.require_read(unit)
    now = dt.datetime.now(dt.UTC)
    async with _sessions(request)() as session:
        return await views.keberhasilan(session, unit=unit, tahun=tahun or today_in(unit, now).year, now=now)
