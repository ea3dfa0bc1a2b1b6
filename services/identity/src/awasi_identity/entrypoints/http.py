"""Identity's HTTP API: accounts (for a unit's admin), activation and the OAuth2 token
endpoint (anyone), and the issuer's keys and discovery document (anyone)."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
from html import escape
from typing import Annotated, Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile, status
from fastapi import Path as PathParameter
from fastapi.responses import HTMLResponse, JSONResponse

from awasi_common.auth import CurrentPrincipal, Principal, Unauthenticated
from awasi_common.commands import CommandBus
from awasi_common.edge import at_edge
from awasi_common.errors import DomainError, Forbidden, NotFound
from awasi_common.http import MAX_OFFSET
from awasi_common.limits import EMAIL, TOKEN, Id, KodeUnit
from awasi_common.sealing import KeyRing
from awasi_common.units import RI_CODE
from awasi_identity import views
from awasi_identity.adapters.signing import ALGORITMA
from awasi_identity.adapters.surat import kirim_reset
from awasi_identity.commands import (
    AktivasiAkun,
    AturUlangSandi,
    BuatKodeAktivasi,
    ImporAkun,
    Keluar,
    MasukDenganSandi,
    MasukKlien,
    MintaResetSandi,
    NonaktifkanAkun,
    NonaktifkanKlien,
    RotasiKunci,
    SegarkanToken,
)
from awasi_identity.domain.klien import Cakupan, CakupanTidakSah
from awasi_identity.domain.percobaan import TerlaluBanyakPercobaan
from awasi_identity.domain.sandi import PANJANG_MAKSIMUM
from awasi_identity.domain.wewenang import wajib_admin, wajib_admin_atas
from awasi_identity.entrypoints.impor import BERKAS_MAKS_BYTE, BerkasDitolak, baca_csv
from awasi_identity.entrypoints.schemas import (
    AktivasiIn,
    AktivasiOut,
    AkunBaruOut,
    AkunImporOut,
    AkunIn,
    AkunOut,
    AuditOut,
    KlienBaruOut,
    KlienIn,
    KlienOut,
    KunciOut,
    LupaSandiIn,
    TokenOut,
    UbahAkunIn,
)
from awasi_identity.settings import IdentitySettings

PUBLIC = at_edge(attempts="publik")
"""Sign-in and activation are rate limited per client at the edge, besides the per-address
backoff and lockout the handlers keep."""

GRANT_TYPES = ("password", "refresh_token", "client_credentials")
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

router = APIRouter()


async def _active(request: Request, principal: CurrentPrincipal) -> Principal:
    """Staff whose account may still sign in: a disabled account's token, valid for minutes
    more, does nothing here from the moment of disabling."""
    async with request.app.state.service.sessions() as session:
        if not await views.akun_dapat_bertindak(session, principal.subject, dt.datetime.now(dt.UTC)):
            raise Unauthenticated("Akun ini sudah dinonaktifkan atau masa berlakunya berakhir.")
    return principal


ActivePrincipal = Annotated[Principal, Depends(_active)]


async def _admin(principal: CurrentPrincipal, active: ActivePrincipal) -> Principal:
    """A unit's admin, refused before the request is read further (the handler checks the unit)."""
    wajib_admin(principal)
    return active


AdminPrincipal = Annotated[Principal, Depends(_admin)]


def _bus(request: Request) -> CommandBus[Any]:
    bus: CommandBus[Any] = request.app.state.bus
    return bus


def _settings(request: Request) -> IdentitySettings:
    settings: IdentitySettings = request.app.state.identity_settings
    return settings


def _keyring(request: Request) -> KeyRing:
    keyring: KeyRing = request.app.state.identity_keyring
    return keyring


def _alamat(request: Request) -> str | None:
    return request.client.host if request.client else None


# --- accounts --------------------------------------------------------------------------------------


@router.post("/akun", status_code=status.HTTP_201_CREATED, tags=["akun"], summary="Buat akun dan kode aktivasinya")
async def buat_akun(body: AkunIn, request: Request, principal: AdminPrincipal) -> AkunBaruOut:
    baru = await _bus(request).handle(body.to_command(_alamat(request)), principal)
    return AkunBaruOut.of(baru)


CSV_BODY = "csv"
BODY_LIMITS = {CSV_BODY: BERKAS_MAKS_BYTE + 64 * 1024}
"""The CSV of ``POST /akun/impor`` and the multipart form around it."""
CSV_COLUMNS = (
    "CSV UTF-8 berjudul kolom: nama, email, unit, role (wajib), telepon, nik, nip, divisi, jabatan, "
    "berlaku_mulai, berlaku_sampai"
)


@router.post(
    "/akun/impor",
    status_code=status.HTTP_201_CREATED,
    tags=["akun"],
    summary="Buat banyak akun dari CSV (staf ad hoc): semua baris atau tidak sama sekali",
    openapi_extra=at_edge(body=CSV_BODY, writers=True),
)
async def impor_akun(
    request: Request, principal: AdminPrincipal, berkas: Annotated[UploadFile, File(description=CSV_COLUMNS)]
) -> list[AkunImporOut]:
    data = await berkas.read(BERKAS_MAKS_BYTE + 1)
    if len(data) > BERKAS_MAKS_BYTE:
        raise BerkasDitolak(f"Berkas lebih besar dari {BERKAS_MAKS_BYTE // (1024 * 1024)} MB.")
    made = await _bus(request).handle(ImporAkun(tuple(baca_csv(data, _alamat(request)))), principal)
    return [AkunImporOut.of(number, baru) for number, baru in enumerate(made, start=2)]


@router.get("/akun", tags=["akun"], summary="Akun sebuah unit dan unit di bawahnya")
async def daftar_akun(
    request: Request,
    principal: AdminPrincipal,
    unit: KodeUnit,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[AkunOut]:
    wajib_admin_atas(principal, unit)
    async with request.app.state.service.sessions() as session:
        rows = await views.akun_list(session, _keyring(request), unit, offset=offset, limit=limit)
    return [AkunOut.of_row(row) for row in rows]


@router.get("/audit", tags=["akun"], summary="Jejak audit akun sebuah unit dan unit di bawahnya")
async def jejak_audit(
    request: Request,
    principal: AdminPrincipal,
    unit: KodeUnit,
    akun_id: Annotated[Id | None, Query()] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[AuditOut]:
    """Sign-ins, failures, lockouts, activations and changes of the accounts of a unit, newest
    first (never a password, code or token). Attempts on an unknown email name no account and
    no unit: they are not listed here."""
    wajib_admin_atas(principal, unit)
    async with request.app.state.service.sessions() as session:
        rows = await views.audit_list(session, unit, akun_id=akun_id, offset=offset, limit=limit)
    return [AuditOut.model_validate(row) for row in rows]


@router.get("/akun/{akun_id}", tags=["akun"], summary="Satu akun (untuk admin unitnya atau pemiliknya)")
async def baca_akun(akun_id: Id, request: Request, principal: ActivePrincipal) -> AkunOut:
    async with request.app.state.service.sessions() as session:
        row = await views.akun_row(session, _keyring(request), akun_id)
    if row is None:
        raise NotFound(f"Akun {akun_id} tidak ditemukan.")
    if principal.subject != akun_id:
        wajib_admin_atas(principal, row["unit"])
    return AkunOut.of_row(row)


@router.patch("/akun/{akun_id}", tags=["akun"], summary="Ubah unit, peran, divisi, jabatan atau masa berlaku")
async def ubah_akun(akun_id: Id, body: UbahAkunIn, request: Request, principal: AdminPrincipal) -> AkunOut:
    return AkunOut.of(await _bus(request).handle(body.to_command(akun_id, _alamat(request)), principal))


@router.post("/akun/{akun_id}/nonaktifkan", tags=["akun"], summary="Nonaktifkan akun")
async def nonaktifkan_akun(akun_id: Id, request: Request, principal: AdminPrincipal) -> AkunOut:
    akun = await _bus(request).handle(NonaktifkanAkun(akun_id, _alamat(request)), principal)
    return AkunOut.of(akun)


@router.post(
    "/akun/{akun_id}/kode-aktivasi", tags=["akun"], summary="Kode aktivasi baru (kata sandi diatur ulang pemiliknya)"
)
async def kode_aktivasi_baru(akun_id: Id, request: Request, principal: AdminPrincipal) -> AkunBaruOut:
    baru = await _bus(request).handle(BuatKodeAktivasi(akun_id, _alamat(request)), principal)
    return AkunBaruOut.of(baru)


_MAIL_TASKS: set[asyncio.Task[bool]] = set()
LUPA_SANDI = "Bila alamat itu milik akun aktif, tautan untuk mengatur ulang kata sandinya telah dikirim ke sana."


@router.post(
    "/sandi/lupa",
    status_code=status.HTTP_202_ACCEPTED,
    tags=["masuk"],
    summary="Minta tautan atur ulang kata sandi lewat surel",
    openapi_extra=PUBLIC,
)
async def lupa_sandi(body: LupaSandiIn, request: Request) -> JSONResponse:
    """The same answer whether the address is known or not; the mail leaves after the answer,
    so its time says nothing either. The password stays until the link is used."""
    surat = await _bus(request).handle(MintaResetSandi(email=body.email, alamat=_alamat(request)))
    if surat is not None:
        task = asyncio.create_task(kirim_reset(_settings(request), surat))
        _MAIL_TASKS.add(task)
        task.add_done_callback(_MAIL_TASKS.discard)
    return JSONResponse(status_code=202, content={"detail": LUPA_SANDI}, headers=NO_STORE)


@router.get("/sandi/atur", tags=["masuk"], summary="Halaman atur ulang kata sandi (dari tautan surel)")
async def halaman_atur_sandi(
    token: Annotated[str, Query(max_length=TOKEN, description="Token dari tautan surel")],
) -> HTMLResponse:
    return HTMLResponse(_halaman_sandi(token), headers=NO_STORE | {"Referrer-Policy": "no-referrer"})


@router.post(
    "/sandi/atur",
    tags=["masuk"],
    summary="Atur ulang kata sandi dengan token dari tautan surel",
    openapi_extra=PUBLIC,
)
async def atur_sandi(
    request: Request,
    token: Annotated[str, Form(max_length=TOKEN)],
    sandi: Annotated[str, Form(max_length=PANJANG_MAKSIMUM)],
) -> Response:
    html = "text/html" in request.headers.get("accept", "")
    try:
        await _bus(request).handle(AturUlangSandi(token=token, sandi=sandi, alamat=_alamat(request)))
    except DomainError as refusal:
        if html:
            return HTMLResponse(_halaman_sandi(token, escape(refusal.message)), status_code=refusal.status_code)
        raise
    detail = "Kata sandi diperbarui; semua sesi masuk sebelumnya berakhir. Silakan masuk kembali."
    if html:
        return HTMLResponse(_halaman(f"<p>{detail}</p>"), headers=NO_STORE)
    return JSONResponse(content={"detail": detail}, headers=NO_STORE)


def _halaman(isi: str) -> str:
    return (
        '<!doctype html><html lang="id"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Atur ulang kata sandi — Awasi</title><h1>Atur ulang kata sandi</h1>{isi}</html>"
    )


def _halaman_sandi(token: str, galat: str | None = None) -> str:
    pesan = f'<p role="alert">{galat}</p>' if galat else ""
    return _halaman(
        f"{pesan}<form method=post action=/sandi/atur>"
        f'<input type=hidden name=token value="{escape(token, quote=True)}">'
        "<label>Kata sandi baru (paling sedikit 12 karakter) "
        "<input type=password name=sandi minlength=12 required autocomplete=new-password></label> "
        "<button>Simpan</button></form>"
    )


@router.post(
    "/akun/aktivasi",
    tags=["masuk"],
    summary="Atur kata sandi dengan kode aktivasi",
    openapi_extra=PUBLIC,
    response_model=AktivasiOut,
)
async def aktivasi(body: AktivasiIn, request: Request) -> Response:
    command = AktivasiAkun(email=body.email, kode=body.kode, sandi=body.sandi, alamat=_alamat(request))
    try:
        aktif = await _bus(request).handle(command)
        answer = AktivasiOut.of(aktif.akun, aktif.totp_rahasia)
        return JSONResponse(content=answer.model_dump(mode="json"), headers=NO_STORE)
    except TerlaluBanyakPercobaan as refusal:
        return _too_many(refusal)


# --- OAuth2 token endpoint (RFC 6749 §4.3, §6) -------------------------------------------------------


def _oauth_error(
    status_code: int, error: str, description: str, headers: dict[str, str] | None = None, **extra: str
) -> JSONResponse:
    """RFC 6749 §5.2's body, with the platform's ``detail`` beside it."""
    body = {"error": error, "error_description": description, "detail": description, **extra}
    return JSONResponse(status_code=status_code, content=body, headers=NO_STORE | (headers or {}))


def _too_many(refusal: TerlaluBanyakPercobaan) -> JSONResponse:
    """429 with when the wait ends, in the body and as Retry-After."""
    seconds = max(1, int((refusal.sampai - dt.datetime.now(dt.UTC)).total_seconds()) + 1)
    retry = {"Retry-After": str(seconds)}
    return _oauth_error(429, "invalid_grant", refusal.message, retry, terkunci_sampai=refusal.sampai.isoformat())


@router.post(
    "/token",
    tags=["masuk"],
    summary="Masuk (password), perbarui token (refresh_token), atau token klien instansi (client_credentials)",
    openapi_extra=PUBLIC,
    response_model=TokenOut,
)
async def token(
    request: Request,
    grant_type: Annotated[str, Form(max_length=40)],
    username: Annotated[str | None, Form(max_length=EMAIL)] = None,
    password: Annotated[str | None, Form(max_length=PANJANG_MAKSIMUM)] = None,
    refresh_token: Annotated[str | None, Form(max_length=TOKEN)] = None,
    totp: Annotated[
        str | None,
        Form(max_length=10, description="Kode aplikasi autentikator: wajib bagi admin, pimpinan, penanganan"),
    ] = None,
    scope: Annotated[str | None, Form(max_length=200)] = None,
    client_id: Annotated[str | None, Form(max_length=100)] = None,
    client_secret: Annotated[str | None, Form(max_length=TOKEN)] = None,
) -> Response:
    command: MasukDenganSandi | SegarkanToken
    if grant_type == "client_credentials":
        return await _client_credentials(request, client_id, client_secret, scope)
    if grant_type == "password":
        if not username or not password:
            return _oauth_error(400, "invalid_request", "grant_type=password memerlukan username (email) dan password.")
        email = username.strip().lower()
        command = MasukDenganSandi(email=email, sandi=password, totp=totp, alamat=_alamat(request))
    elif grant_type == "refresh_token":
        if not refresh_token:
            return _oauth_error(400, "invalid_request", "grant_type=refresh_token memerlukan refresh_token.")
        command = SegarkanToken(refresh_token=refresh_token, alamat=_alamat(request))
    else:
        return _oauth_error(400, "unsupported_grant_type", f"grant_type yang didukung: {', '.join(GRANT_TYPES)}.")
    try:
        terbit = await _bus(request).handle(command)
    except TerlaluBanyakPercobaan as refusal:
        return _too_many(refusal)
    except DomainError as refusal:
        return _oauth_error(refusal.status_code, "invalid_grant", refusal.message)
    body = TokenOut(access_token=terbit.access_token, expires_in=terbit.expires_in, refresh_token=terbit.refresh_token)
    return JSONResponse(content=body.model_dump(), headers=NO_STORE)


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    """RFC 6749 §2.3.1: ``Authorization: Basic`` with the form-urlencoded id and secret."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not value or len(value) > 1024:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (unquote_plus(user), unquote_plus(password)) if sep else None


async def _client_credentials(
    request: Request, client_id: str | None, client_secret: str | None, scope: str | None
) -> Response:
    basic = _basic_credentials(request)
    if basic is not None:
        client_id, client_secret = basic
    if not client_id or not client_secret:
        return _oauth_error(
            400, "invalid_request", "grant_type=client_credentials memerlukan client_id dan client_secret."
        )
    try:
        terbit = await _bus(request).handle(MasukKlien(client_id, client_secret, scope, _alamat(request)))
    except CakupanTidakSah as refusal:
        return _oauth_error(400, "invalid_scope", refusal.message)
    except DomainError as refusal:
        return _oauth_error(refusal.status_code, "invalid_client", refusal.message)
    body = TokenOut(
        access_token=terbit.access_token, expires_in=terbit.expires_in, scope=" ".join(c.value for c in terbit.cakupan)
    )
    return JSONResponse(content=body.model_dump(exclude_none=True), headers=NO_STORE)


# --- agencies' clients -------------------------------------------------------------------------------


@router.post(
    "/klien",
    status_code=status.HTTP_201_CREATED,
    tags=["klien instansi"],
    summary="Daftarkan klien instansi (admin RI)",
)
async def daftarkan_klien(body: KlienIn, request: Request, principal: AdminPrincipal) -> JSONResponse:
    """An agency's machine: ``client_id`` and ``client_secret`` (shown this once) for
    ``POST /token`` with ``grant_type=client_credentials``."""
    baru = await _bus(request).handle(body.to_command(_alamat(request)), principal)
    out = KlienBaruOut(**KlienOut.of(baru.klien).model_dump(), client_secret=baru.rahasia)
    return JSONResponse(status_code=201, content=out.model_dump(mode="json"), headers=NO_STORE)


@router.get("/klien", tags=["klien instansi"], summary="Klien instansi (admin RI)", response_model=list[KlienOut])
async def daftar_klien(request: Request, principal: AdminPrincipal) -> list[KlienOut]:
    if principal.unit != RI_CODE:
        raise Forbidden("Klien instansi hanya dikelola admin Bawaslu RI.")
    async with request.app.state.service.sessions() as session:
        return [KlienOut.of(k) for k in await views.klien_instansi(session)]


@router.post(
    "/klien/{klien_id}/nonaktifkan",
    tags=["klien instansi"],
    summary="Nonaktifkan klien instansi (admin RI)",
    response_model=KlienOut,
)
async def nonaktifkan_klien(
    klien_id: Annotated[str, PathParameter(max_length=100)], request: Request, principal: AdminPrincipal
) -> KlienOut:
    return KlienOut.of(await _bus(request).handle(NonaktifkanKlien(klien_id, _alamat(request)), principal))


@router.post(
    "/token/cabut",
    tags=["masuk"],
    summary="Keluar: cabut token penyegar dan semua token dari masuk yang sama (RFC 7009)",
    openapi_extra=PUBLIC,
)
async def cabut_token(
    request: Request,
    token: Annotated[str, Form(max_length=TOKEN)],
    token_type_hint: Annotated[str | None, Form(max_length=40)] = None,
) -> Response:
    """200 whatever the token: a client learns nothing from revoking (RFC 7009 §2.2). An access
    token is not revoked here; it expires within minutes."""
    await _bus(request).handle(Keluar(refresh_token=token, alamat=_alamat(request)))
    return Response(status_code=200, headers=NO_STORE)


# --- the issuer's keys and discovery document --------------------------------------------------------


@router.get("/.well-known/jwks.json", tags=["penerbit"], summary="Kunci publik penandatangan token (JWKS)")
async def jwks(request: Request) -> JSONResponse:
    async with request.app.state.service.sessions() as session:
        keys = await views.jwks_publik(session, dt.datetime.now(dt.UTC))
    if not keys["keys"]:  # asked before the key job's first round: the first key is made now
        await _bus(request).handle(RotasiKunci())
        async with request.app.state.service.sessions() as session:
            keys = await views.jwks_publik(session, dt.datetime.now(dt.UTC))
    return JSONResponse(content=keys, headers={"Cache-Control": "public, max-age=60"})


@router.get("/.well-known/openid-configuration", tags=["penerbit"], summary="Dokumen penemuan OpenID Connect")
async def openid_configuration(request: Request) -> dict[str, Any]:
    settings = _settings(request)
    issuer = settings.issuer.rstrip("/")
    return {
        "issuer": settings.issuer,
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "token_endpoint": f"{issuer}/token",
        "revocation_endpoint": f"{issuer}/token/cabut",
        "grant_types_supported": list(GRANT_TYPES),
        "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [ALGORITMA],
        "claims_supported": [
            "sub",
            "unit",
            "role",
            "divisi",
            "jabatan",
            "amr",
            "scope",
            "client_id",
            "iss",
            "aud",
            "exp",
            "iat",
            "jti",
        ],
        "scopes_supported": [c.value for c in Cakupan],
    }


@router.post("/kunci/rotasi", tags=["penerbit"], summary="Ganti kunci penandatangan (admin Bawaslu RI)")
async def rotasi_kunci(
    request: Request,
    principal: ActivePrincipal,
    segera: Annotated[
        bool, Query(description="Tanda tangan dengan kunci baru seketika (kunci lama diduga bocor)")
    ] = False,
) -> KunciOut:
    """Without ``segera`` the new key is published first and signs once every verifier had time
    to fetch it (``AWASI_IDENTITY_SIGNING_KEY_LEAD_SECONDS``)."""
    return KunciOut(diterbitkan=await _bus(request).handle(RotasiKunci(paksa=True, segera=segera), principal))
