"""Planning's HTTP API."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from awasi_common.auth import CurrentPrincipal, Principal, Unauthenticated, any_principal, current_principal
from awasi_common.commands import CommandBus
from awasi_common.edge import at_edge
from awasi_common.errors import DomainError, NotFound
from awasi_common.http import MAX_OFFSET
from awasi_common.limits import TOKEN, Id, KodeUnit
from awasi_common.vocabulary import Divisi, Program
from awasi_planning import views
from awasi_planning.adapters import token_kalender as token_kalender_views
from awasi_planning.adapters.documents import MB, BerkasTerlaluBesar
from awasi_planning.commands import (
    BuatTokenKalender,
    CabutTokenKalender,
    ImporDokumen,
    JadwalkanKegiatan,
    SavingProgress,
)
from awasi_planning.domain import token_kalender
from awasi_planning.domain.model import Jenis, Status
from awasi_planning.entrypoints import kalender
from awasi_planning.entrypoints.schemas import (
    CancelIn,
    ImporOut,
    KegiatanIn,
    KegiatanOut,
    KegiatanPatchIn,
    RealisasiIn,
    RealisasiRow,
    RescheduleIn,
    RingkasanOut,
    TokenKalenderBaruOut,
    TokenKalenderIn,
    TokenKalenderOut,
)
from awasi_planning.service_layer.handlers import ImportResult
from awasi_planning.settings import PlanningSettings

log = logging.getLogger(__name__)

router = APIRouter(prefix="/kegiatan", tags=["kegiatan"])


def _bus(request: Request) -> CommandBus[Any]:
    bus: CommandBus[Any] = request.app.state.bus
    return bus


def _readable(principal: Principal, unit: str | None, dari: dt.date | None, sampai: dt.date | None) -> str:
    """The unit a read is about (the token's by default), once the principal may read it and the
    dates make a window."""
    unit = unit or principal.unit
    principal.require_read(unit)
    if dari and sampai and sampai < dari:
        raise DomainError(f"Tanggal sampai ({sampai}) tidak boleh sebelum tanggal dari ({dari}).", field="sampai")
    return unit


@router.post("", status_code=status.HTTP_201_CREATED, response_model=KegiatanOut, summary="Buat rencana kegiatan")
async def create(body: KegiatanIn, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    return KegiatanOut.of(await _bus(request).handle(body.to_command(), principal))


@router.get("", response_model=list[KegiatanOut], summary="Daftar kegiatan unit dan unit di bawahnya")
async def list_(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query(description="Kode unit; bawaan: unit token")] = None,
    divisi: Divisi | None = None,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    jenis: Jenis | None = None,
    program: Program | None = None,
    dari: dt.date | None = None,
    sampai: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[KegiatanOut]:
    unit = _readable(principal, unit, dari, sampai)
    f = views.KegiatanFilter(unit, divisi, status_, jenis, program, dari, sampai)
    async with request.app.state.service.sessions() as session:
        found = await views.list_kegiatan(session, f, limit=limit, offset=offset)
    return [KegiatanOut.of(k) for k in found]


NDJSON = "application/x-ndjson"
DOCUMENT_BODY = "dokumen"
"""The body limit of a plan document's upload: the document and the form around it."""
FORM_BYTES = 64 * 1024
"""The form around an uploaded document: its other fields and the multipart framing."""


def body_limits(settings: PlanningSettings) -> dict[str, int]:
    return {DOCUMENT_BODY: settings.document_max_bytes + FORM_BYTES}


@router.post(
    "/impor",
    response_model=ImporOut,
    summary="Impor dokumen rencana kegiatan (teks, .docx atau PDF)",
    responses={
        201: {"description": "Kegiatan baru dibuat", "model": ImporOut},
        200: {"description": "Uji coba (dry_run) atau tidak ada kegiatan baru", "model": ImporOut},
    },
    # The token is checked before the upload is read: no one without the right to write
    # makes the service parse a document of many megabytes.
    openapi_extra=at_edge(body=DOCUMENT_BODY, writers=True),
)
async def import_document(
    principal: CurrentPrincipal,
    request: Request,
    berkas: Annotated[UploadFile, File(description="Dokumen rencana: .txt, .docx atau .pdf")],
    unit: Annotated[KodeUnit | None, Form(description="Kode unit; bawaan: dari judul dokumen")] = None,
    divisi: Annotated[Divisi | None, Form(description="Divisi bagi kegiatan yang divisinya tidak disebut")] = None,
    dry_run: Annotated[bool, Form(description="Hanya tampilkan apa yang akan dibuat")] = False,
    draft: Annotated[bool, Form(description="Simpan semua sebagai draft, tanpa menjadwalkan")] = False,
) -> Response:
    """Reads the plan, creates its kegiatan in one transaction (scheduled ones publish
    KegiatanScheduled) and reports text it could not place, with its line. Importing the same
    document again creates nothing new. With ``Accept: application/x-ndjson`` the answer
    streams progress lines (``{"tahap": "menyimpan", "selesai": i, "total": n}``) and ends with
    ``{"hasil": …}`` or ``{"galat": …}``; errors found before anything is written are plain 4xx."""
    settings: PlanningSettings = request.app.state.planning_settings
    max_bytes = settings.document_max_bytes
    data = await berkas.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise BerkasTerlaluBesar(f"Berkas terlalu besar; paling besar {max_bytes // MB} MB.", field="berkas")
    name = berkas.filename or "dokumen"

    async def run(progress: SavingProgress | None) -> ImportResult:
        command = ImporDokumen(
            data, name, unit, divisi, draft=draft, dry_run=dry_run, max_bytes=max_bytes, progress=progress
        )
        result: ImportResult = await _bus(request).handle(command, principal)
        return result

    def body(result: ImportResult) -> dict[str, Any]:
        out = ImporOut.of(result.plan, dry_run=dry_run, existing=result.existing, created=result.created)
        return out.model_dump(mode="json")

    if NDJSON in request.headers.get("accept", ""):
        return await _streamed(run, body)
    result = await run(None)
    created = bool(result.created) and not dry_run
    return JSONResponse(body(result), status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


async def _streamed(
    run: Callable[[SavingProgress | None], Coroutine[Any, Any, ImportResult]],
    body: Callable[[ImportResult], dict[str, Any]],
) -> Response:
    """Progress as NDJSON lines. Until the use case reports its first progress (all checks done,
    nothing written yet) an error is still a plain 4xx answer."""
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def report(done: int, total: int) -> None:
        await queue.put({"tahap": "menyimpan", "selesai": done, "total": total})

    task = asyncio.create_task(run(report))
    first = asyncio.create_task(queue.get())
    await asyncio.wait({task, first}, return_when=asyncio.FIRST_COMPLETED)
    if not first.done():
        first.cancel()
        task.result()  # raises the DomainError: a 4xx before anything was written

    def line(data: dict[str, Any]) -> bytes:
        return (json.dumps(data, ensure_ascii=False) + "\n").encode()

    async def lines() -> AsyncIterator[bytes]:
        if first.done() and not first.cancelled():
            yield line(first.result())
        while not task.done():
            getter = asyncio.create_task(queue.get())
            await asyncio.wait({task, getter}, return_when=asyncio.FIRST_COMPLETED)
            if getter.done():
                yield line(getter.result())
            else:
                getter.cancel()
        while not queue.empty():
            yield line(queue.get_nowait())
        try:
            result = task.result()
        except DomainError as error:
            yield line({"galat": {"status": error.status_code, "detail": error.message}})
            return
        except Exception:
            log.exception("import failed after it started")
            yield line({"galat": {"status": 500, "detail": "Impor gagal di server; tidak ada yang disimpan."}})
            return
        yield line({"hasil": body(result)})

    return StreamingResponse(lines(), media_type=NDJSON)


_bearer = HTTPBearer(auto_error=False)


async def feed_principal(
    request: Request,
    token: Annotated[
        str | None,
        Query(
            max_length=TOKEN,
            description="Token kalender (POST /kegiatan/kalender/token), untuk aplikasi kalender yang tidak "
            "dapat mengirim header; token akses (JWT) tidak diterima di alamat",
        ),
    ] = None,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> Principal:
    """A calendar feed token in the address (read-only: it opens this feed only), or a bearer
    token in the header. A bearer token in the address is refused: addresses end up in
    calendar applications' settings, proxies' logs and browsers' history."""
    if not token:
        return await current_principal(await any_principal(request, credentials))
    if token_kalender.mirip_jwt(token):
        raise Unauthenticated(
            "Alamat kalender tidak menerima token akses (JWT). Buat token kalender dengan "
            "POST /kegiatan/kalender/token dan pakai token itu di alamat."
        )
    async with request.app.state.service.sessions() as session:
        record = await token_kalender_views.by_hash(session, token_kalender.sidik(token))
    if record is None or record.dicabut_pada is not None:
        raise Unauthenticated("Token kalender tidak dikenal atau sudah dicabut.")
    principal = record.principal()
    disabled = getattr(request.app.state.tokens, "disabled", None)
    if disabled is not None and disabled.is_disabled(principal.subject):
        raise Unauthenticated("Akun ini telah dinonaktifkan; token kalendernya tidak berlaku lagi.")
    return principal


@router.post(
    "/kalender/token",
    status_code=status.HTTP_201_CREATED,
    response_model=TokenKalenderBaruOut,
    tags=["kalender"],
    summary="Buat token kalender untuk alamat langganan kalender",
)
async def create_feed_token(
    body: TokenKalenderIn, principal: CurrentPrincipal, request: Request, response: Response
) -> TokenKalenderBaruOut:
    """A token only for ``/kegiatan/kalender.ics`` (read-only), shown this once; only its
    SHA-256 is kept. It reads what you could read when you made it, until you revoke it."""
    record, token = await _bus(request).handle(BuatTokenKalender(body.label), principal)
    response.headers["Cache-Control"] = "no-store"
    return TokenKalenderBaruOut.baru(record, token)


@router.get(
    "/kalender/token",
    response_model=list[TokenKalenderOut],
    tags=["kalender"],
    summary="Token kalender milik Anda (tanpa tokennya)",
)
async def list_feed_tokens(principal: CurrentPrincipal, request: Request) -> list[TokenKalenderOut]:
    async with request.app.state.service.sessions() as session:
        found = await token_kalender_views.of_subject(session, principal.subject)
    return [TokenKalenderOut.of(record) for record in found]


@router.delete(
    "/kalender/token/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["kalender"],
    summary="Cabut token kalender",
)
async def revoke_feed_token(token_id: Id, principal: CurrentPrincipal, request: Request) -> Response:
    await _bus(request).handle(CabutTokenKalender(token_id), principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/kalender.ics",
    summary="Kalender iCalendar kegiatan unit",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
async def calendar_feed(
    principal: Annotated[Principal, Depends(feed_principal)],
    request: Request,
    unit: Annotated[KodeUnit | None, Query(description="Kode unit; bawaan: unit token")] = None,
    divisi: Divisi | None = None,
    jenis: Jenis | None = None,
    program: Program | None = None,
    dari: dt.date | None = None,
    sampai: dt.date | None = None,
) -> Response:
    """Scheduled, rescheduled and completed kegiatan of the unit and the units below it;
    cancelled ones as CANCELLED. Subscribe with ``…/kegiatan/kalender.ics?unit=35.05&token=awk_…``,
    a calendar feed token (``POST /kegiatan/kalender/token``), never an access token."""
    unit = unit or principal.unit
    principal.require_read(unit)
    f = views.KegiatanFilter(
        unit,
        divisi,
        None,
        jenis,
        program,
        dari,
        sampai,
        statuses=(Status.SCHEDULED, Status.RESCHEDULED, Status.COMPLETED, Status.CANCELLED),
    )
    async with request.app.state.service.sessions() as session:
        found = await views.list_kegiatan(session, f, limit=10000)
    return Response(
        kalender.feed(unit, found),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="kegiatan-{unit}.ics"'},
    )


@router.get("/ringkasan", response_model=RingkasanOut, summary="Ringkasan realisasi per divisi dan periode")
async def realisation_summary(
    principal: CurrentPrincipal,
    request: Request,
    unit: Annotated[KodeUnit | None, Query(description="Kode unit; bawaan: unit token")] = None,
    periode: views.Periode = views.Periode.BULAN,
    divisi: Divisi | None = None,
    jenis: Jenis | None = None,
    program: Program | None = None,
    dari: Annotated[dt.date | None, Query(description="Kegiatan yang mulai sejak tanggal ini")] = None,
    sampai: Annotated[dt.date | None, Query(description="Kegiatan yang mulai paling lambat tanggal ini")] = None,
) -> RingkasanOut:
    """Planned against completed and cancelled kegiatan, participants and budget planned against
    realised, for the unit and the units below it."""
    unit = _readable(principal, unit, dari, sampai)
    f = views.KegiatanFilter(unit, divisi, None, jenis, program, dari, sampai)
    async with request.app.state.service.sessions() as session:
        rows, divisions, overall = await views.realisation_summary(session, f, periode)
    return RingkasanOut(
        unit=unit,
        periode=periode,
        dari=dari,
        sampai=sampai,
        baris=[RealisasiRow.of(r) for r in rows],
        per_divisi=[RealisasiRow.of(r) for r in divisions],
        keseluruhan=RealisasiRow.of(overall),
    )


@router.get("/{kegiatan_id}", response_model=KegiatanOut, summary="Satu kegiatan")
async def get(kegiatan_id: Id, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    async with request.app.state.service.sessions() as session:
        kegiatan = await views.get_kegiatan(session, kegiatan_id)
    if kegiatan is None or not principal.can_read(kegiatan.unit):
        raise NotFound(f"Kegiatan {kegiatan_id} tidak ditemukan.")
    return KegiatanOut.of(kegiatan)


@router.patch(
    "/{kegiatan_id}",
    response_model=KegiatanOut,
    summary="Ubah rincian kegiatan",
    responses={409: {"description": "Kegiatan sudah selesai atau dibatalkan, atau jadwal kegiatan terjadwal"}},
)
async def correct(kegiatan_id: Id, body: KegiatanPatchIn, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    """Only the fields sent change (``null`` clears an optional one). A scheduled kegiatan
    publishes KegiatanUpdated with the whole kegiatan; a draft (e.g. one just imported) nothing;
    a correction that changes nothing writes nothing. The schedule of a scheduled kegiatan
    changes by ``POST …/jadwal-ulang``; completed and cancelled kegiatan are not changed, nor is
    a scheduled one taken out of its participatory program (409)."""
    return KegiatanOut.of(await _bus(request).handle(body.to_command(kegiatan_id), principal))


@router.post("/{kegiatan_id}/jadwalkan", response_model=KegiatanOut, summary="Jadwalkan kegiatan draft")
async def schedule(kegiatan_id: Id, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    return KegiatanOut.of(await _bus(request).handle(JadwalkanKegiatan(kegiatan_id), principal))


@router.post("/{kegiatan_id}/jadwal-ulang", response_model=KegiatanOut, summary="Jadwal ulang kegiatan")
async def reschedule(kegiatan_id: Id, body: RescheduleIn, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    return KegiatanOut.of(await _bus(request).handle(body.to_command(kegiatan_id), principal))


@router.post("/{kegiatan_id}/batalkan", response_model=KegiatanOut, summary="Batalkan kegiatan")
async def cancel(kegiatan_id: Id, body: CancelIn, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    return KegiatanOut.of(await _bus(request).handle(body.to_command(kegiatan_id), principal))


@router.post("/{kegiatan_id}/realisasi", response_model=KegiatanOut, summary="Catat realisasi dan selesaikan")
async def complete(kegiatan_id: Id, body: RealisasiIn, principal: CurrentPrincipal, request: Request) -> KegiatanOut:
    return KegiatanOut.of(await _bus(request).handle(body.to_command(kegiatan_id), principal))
