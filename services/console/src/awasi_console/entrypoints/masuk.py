"""Sign-in (password, then the authenticator code when the account needs one) and sign-out."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from awasi_console.api import ApiError
from awasi_console.sessions import Pending, Session
from awasi_console.web import (
    Problems,
    anonymous,
    api,
    current,
    form_of,
    redirect,
    render,
    signed_in,
    store,
    text,
)

router = APIRouter()
PENDING_SECONDS = 300
"""How long the password waits here for its authenticator code."""
EMAIL_MAX = 254
PASSWORD_MAX = 256
NEEDS_CODE = (
    "Masukkan kode 6 angka dari aplikasi autentikator Anda (wajib bagi admin, pimpinan dan penanganan). "
    "Bila akun Anda tidak memakai kode autentikator, email atau kata sandi salah: kembali dan coba lagi."
)


def _next(value: str | None) -> str:
    """Only a path of this console: never another site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value and len(value) < 500:
        return value
    return "/"


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


HINT = "awasi_kode"
"""Remembers in this browser that its last sign-in took an authenticator code, so the form asks
for it with the password (one attempt instead of a refused one first). Says nothing else."""


def _signed_in_now(request: Request, session: Session, lanjut: str, *, with_code: bool = False) -> Response:
    """The sign-in succeeded: the session gets a new id (no fixation) and the person goes on."""
    fresh = store(request).renew(session)
    fresh.tokens, fresh.claims = session.tokens, session.claims
    session.tokens = None
    request.state.session = fresh
    request.state.set_cookie = fresh
    response = redirect(request, lanjut)
    if with_code:
        response.set_cookie(HINT, "1", max_age=365 * 86400, httponly=True, samesite="lax", path="/masuk")
    return response


@router.get("/masuk")
async def masuk_form(request: Request, lanjut: str | None = None) -> Response:
    session = anonymous(request)
    if session.signed_in:
        return redirect(request, _next(lanjut))
    context = {"judul": "Masuk", "lanjut": _next(lanjut), "minta_kode": request.cookies.get(HINT) == "1"}
    return render(request, "masuk.html", context)


@router.post("/masuk")
async def masuk(request: Request) -> Response:
    form = await form_of(request)
    session = anonymous(request)
    email = text(form, "email")[:EMAIL_MAX].lower()
    password = str(form.get("password") or "")[:PASSWORD_MAX]
    lanjut = _next(text(form, "lanjut"))
    code = text(form, "totp").replace(" ", "")[:10] or None
    context = {"judul": "Masuk", "lanjut": lanjut, "values": {"email": email}, "minta_kode": bool(code)}
    if not email or not password:
        problems = Problems("Isi email dan kata sandi.", fields={})
        if not email:
            problems.fields["email"] = "wajib diisi"
        if not password:
            problems.fields["password"] = "wajib diisi"
        return render(request, "masuk.html", context | {"problems": problems}, status=422)
    try:
        await api(request).sign_in(session, email, password, code, client=_client(request))
    except ApiError as error:
        if code and error.status in (400, 401):
            message = "Email, kata sandi atau kode autentikator salah."
            return render(request, "masuk.html", context | {"problems": Problems(message)}, status=error.status)
        if error.status == 400 or error.status == 401:
            # Wrong password, or an account that needs its authenticator code: identity does not
            # say which. The password waits here (never in the page) for the code.
            session.pending = Pending(email, password, time.time() + PENDING_SECONDS)
            return render(
                request,
                "masuk_kode.html",
                {"judul": "Kode autentikator", "lanjut": lanjut, "problems": Problems(NEEDS_CODE)},
            )
        return render(request, "masuk.html", context | {"problems": Problems(error.detail)}, status=error.status)
    return _signed_in_now(request, session, lanjut, with_code=bool(code))


@router.post("/masuk/kode")
async def masuk_kode(request: Request) -> Response:
    form = await form_of(request)
    session = anonymous(request)
    lanjut = _next(text(form, "lanjut"))
    pending, session.pending = session.pending, None
    code = text(form, "totp").replace(" ", "")[:10]
    if pending is None or pending.until < time.time():
        session.say("Waktu memasukkan kode habis; masuk lagi dengan email dan kata sandi.", "galat")
        return redirect(request, "/masuk")
    if not code.isdigit():
        session.pending = pending
        problems = Problems(
            "Kode autentikator berupa 6 angka.", fields={"totp": "isi 6 angka dari aplikasi autentikator"}
        )
        return render(
            request,
            "masuk_kode.html",
            {"judul": "Kode autentikator", "lanjut": lanjut, "problems": problems},
            status=422,
        )
    try:
        await api(request).sign_in(session, pending.email, pending.password, code, client=_client(request))
    except ApiError as error:
        message = error.detail
        if error.status in (400, 401):
            message = "Email, kata sandi atau kode autentikator salah. Masuk lagi."
        return render(
            request,
            "masuk.html",
            {"judul": "Masuk", "lanjut": lanjut, "values": {"email": pending.email}, "problems": Problems(message)},
            status=error.status,
        )
    return _signed_in_now(request, session, lanjut, with_code=True)


@router.post("/keluar")
async def keluar(request: Request, session: Annotated[Session, Depends(signed_in)]) -> Response:
    await form_of(request)
    await api(request).sign_out(session)
    store(request).drop(session)
    request.state.clear_cookie = True
    request.state.session = None
    fresh = anonymous(request)
    fresh.say("Anda sudah keluar.")
    return redirect(request, "/masuk")


__all__ = ["current", "router"]
