"""What every page shares: the session of the request, CSRF checks, rendering with the
session's messages, and forms re-shown with what was typed and the API's refusals beside
their fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from opentelemetry import trace
from starlette.datastructures import FormData, UploadFile

from awasi_console.api import Api, ApiError
from awasi_console.sessions import COOKIE, Session, SessionStore
from awasi_console.settings import ConsoleSettings

FIELD_MAX = 20_000
"""No field of a console form is longer (the APIs bound each field more tightly still)."""


class NeedsSignIn(Exception):
    """The page needs a signed-in session."""


class CsrfRefused(Exception):
    """A form sent without this session's CSRF token."""


class NotAllowed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def store(request: Request) -> SessionStore:
    sessions: SessionStore = request.app.state.sessions
    return sessions


def api(request: Request) -> Api:
    client: Api = request.app.state.api
    return client


def settings(request: Request) -> ConsoleSettings:
    value: ConsoleSettings = request.app.state.settings
    return value


def templates(request: Request) -> Jinja2Templates:
    value: Jinja2Templates = request.app.state.templates
    return value


def current(request: Request) -> Session | None:
    """The request's session, if it has one (signed in or not)."""
    cached = getattr(request.state, "session", None)
    if cached is not None:
        return cached
    polling = request.method == "GET" and request.headers.get("hx-trigger") == "kotak"
    session = store(request).get(request.cookies.get(COOKIE), touch=not polling)
    request.state.session = session
    return session


def anonymous(request: Request) -> Session:
    """The request's session, a new one (for the sign-in form's CSRF token) if it has none."""
    session = current(request)
    if session is None:
        session = store(request).new()
        request.state.session = session
        request.state.set_cookie = session
    return session


def signed_in(request: Request) -> Session:
    """Dependency of every page but sign-in: the signed-in session, or off to /masuk."""
    session = current(request)
    if session is None or not session.signed_in:
        raise NeedsSignIn
    return session


def path_id(value: str, what: str = "") -> str:
    """An id taken from the page's address before it goes into a service's path: at most 64
    letters, digits and hyphens, anything else refused before any call."""
    clean = value[:64]
    if not clean.replace("-", "").isalnum():
        raise NotAllowed(f"Nomor {what} tidak sah." if what else "Nomor tidak sah.")
    return clean


async def form_of(request: Request) -> FormData:
    """The form, its CSRF token checked against the session's."""
    form = await request.form()
    session = current(request)
    token = form.get("csrf") or request.headers.get("x-csrf-token")
    if session is None or not isinstance(token, str) or not session.csrf_ok(token):
        raise CsrfRefused
    return form


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    if isinstance(value, UploadFile) or value is None:
        return ""
    return value.strip()[:FIELD_MAX]


def optional(form: FormData, name: str) -> str | None:
    return text(form, name) or None


def number(form: FormData, name: str) -> int | str | None:
    """An integer field: the number, None when empty, the text itself when it is no number (the
    API refuses it beside the field, with its own message)."""
    value = text(form, name).replace(".", "").replace(" ", "")
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return text(form, name)


def lines(form: FormData, name: str) -> list[str]:
    """A textarea of one item per line."""
    return [line.strip() for line in text(form, name).splitlines() if line.strip()]


def values_of(form: FormData) -> dict[str, Any]:
    """What was typed, to show it again (never a password or the CSRF token)."""
    kept: dict[str, Any] = {}
    for key in form:
        if key in ("csrf", "password", "sandi") or isinstance(form.get(key), UploadFile):
            continue
        many = [v for v in form.getlist(key) if isinstance(v, str)]
        kept[key] = many if len(many) > 1 else (many[0] if many else "")
    return kept


@dataclass
class Problems:
    """A refusal shown on the form: the message at the top, each field's message beside it."""

    detail: str | None = None
    pasal: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, error: ApiError, prefix: str = "") -> Problems:
        fields = {}
        for key, message in error.fields.items():
            name = key.removeprefix(prefix) if prefix else key
            fields[name] = message
        return cls(error.detail, error.pasal, fields)

    def at(self, name: str) -> str | None:
        return self.fields.get(name)

    def __bool__(self) -> bool:
        return bool(self.detail or self.fields)


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200) -> HTMLResponse:
    session = current(request)
    context = dict(context or {})
    context.setdefault("values", {})
    context.setdefault("problems", Problems())
    context.setdefault("kosong", Problems())
    base = {
        "request": request,
        "session": session,
        "csrf": session.csrf if session else "",
        "flash": session.take_flash() if session else [],
        "user": session.claims if session and session.signed_in else None,
        "today": dt.date.today(),
        "poll_seconds": settings(request).poll_seconds,
        "path": request.url.path,
        "trace_id": _trace_id(),
    }
    response = templates(request).TemplateResponse(request, name, base | context, status_code=status)
    return response


def _trace_id() -> str | None:
    """The page's trace, when it is kept: an operator reads it with ``awasi trace ID`` or Jaeger."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid and context.trace_flags.sampled else None


def redirect(request: Request, url: str) -> Response:
    """To another page after a form: a 303, or for htmx an HX-Redirect."""
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)
