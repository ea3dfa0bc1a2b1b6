"""What every request meets before a route reads it: size, encoding and attempt limits.

An ASGI middleware (no framework request objects, it runs on every request) that

- refuses a body larger than the route's limit with 413, from ``Content-Length`` before a
  byte is read and, for a body sent without one, as soon as the count passes the limit;
- refuses text that is not valid Unicode, or carries NUL, anywhere a route would read it
  (path, query, a JSON or urlencoded body) with 422 naming the field: PostgreSQL cannot store
  either, and a lone surrogate saved to SQLite broke every later read of its list;
- refuses a JSON body that is not UTF-8 (RFC 8259 §8.1; Python's parser guessed UTF-16);
- counts a route's attempts against its client's rate limit before the body is read, so
  invalid and oversized bodies count as well.

A route names its own rules with ``openapi_extra=at_edge(...)``, which also shows them in the
OpenAPI document; every other route gets the service's standard body limit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from awasi_common.auth import AGENCY_REFUSED, WRITERS, Role
from awasi_common.errors import DomainError
from awasi_common.ratelimit import rate_limit_message

EDGE_KEY = "x-awasi-tepi"
STANDARD = "standar"
STANDARD_BODY_BYTES = 1024 * 1024
"""A JSON or form body without files: the largest valid request of the platform is a few
hundred kilobytes (docs/reliability.md)."""

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def at_edge(*, body: str | None = None, attempts: str | None = None, writers: bool = False) -> dict[str, Any]:
    """A route's rules at the edge, for ``openapi_extra``: ``body`` names one of the service's
    body limits (for uploads), ``attempts`` a rate-limit scope counted on every request, and
    ``writers`` refuses a request without a staff token that may write before its body is read
    (the route still checks the unit and role in full)."""
    rules: dict[str, Any] = {}
    if body:
        rules["batas_isi"] = body
    if attempts:
        rules["batas_percobaan"] = attempts
    if writers:
        rules["penulis_saja"] = True
    return {EDGE_KEY: rules}


@dataclass(frozen=True)
class _Rules:
    max_body: int
    attempts: str | None = None
    writers: bool = False


class _TooLarge(Exception):
    pass


class EdgeGuard:
    """The middleware; ``body_limits`` maps limit names to bytes (``standar`` for every route
    that names none)."""

    def __init__(self, app: ASGIApp, *, routes: list[Any], body_limits: Mapping[str, int]) -> None:
        self.app = app
        self._all_routes = routes
        self._limits = {STANDARD: STANDARD_BODY_BYTES, **body_limits}
        self._special: list[tuple[APIRoute, _Rules]] | None = None
        self._standard = _Rules(self._limits[STANDARD])

    def _rules_for(self, scope: Scope) -> _Rules:
        if self._special is None:  # routes are all added by the first request
            self._special = []
            for route in self._all_routes:
                rules = (getattr(route, "openapi_extra", None) or {}).get(EDGE_KEY)
                if isinstance(route, APIRoute) and rules:
                    limit = self._limits[rules.get("batas_isi", STANDARD)]
                    rule = _Rules(limit, rules.get("batas_percobaan"), bool(rules.get("penulis_saja")))
                    self._special.append((route, rule))
        for route, rules in self._special:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return rules
        return self._standard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        answer = _Answer(send, html="text/html" in headers.get("accept", ""))
        problem = _bad_address(scope)
        if problem is not None:
            await answer(422, _invalid(*problem))
            return
        rules = self._rules_for(scope)
        if rules.attempts is not None:
            limiter = getattr(scope["app"].state, "rate_limiter", None)
            retry = await limiter.hit_scope(rules.attempts, scope) if limiter is not None else None
            if retry is not None:
                await answer(429, {"detail": rate_limit_message(retry)}, {"retry-after": str(retry)})
                return
        if rules.writers:
            refusal = await _not_a_writer(scope["app"].state.tokens, headers.get("authorization", ""))
            if refusal is not None:
                await answer(*refusal)
                return
        if scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > rules.max_body:
            await answer(413, _too_large(rules.max_body))
            return
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "multipart/form-data":
            await self._stream_counted(scope, receive, send, rules.max_body, answer)
            return
        try:
            body = await _read_body(receive, rules.max_body)
        except _TooLarge:
            await answer(413, _too_large(rules.max_body))
            return
        problem_body = _bad_body(content_type, body)
        if problem_body is not None:
            await answer(*problem_body)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _stream_counted(self, scope: Scope, receive: Receive, send: Send, limit: int, answer: _Answer) -> None:
        """Uploads are parsed as they arrive (to disk past a size): counted, not buffered."""
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if not started:
                await answer(413, _too_large(limit))


def _headers(scope: Scope) -> dict[str, str]:
    return {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope.get("headers", ())}


async def _read_body(receive: Receive, limit: int) -> bytes:
    """The whole body, or _TooLarge as soon as it passes ``limit`` (a client that went away
    mid-body leaves what it sent; the app then hears of the disconnect)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _bad_address(scope: Scope) -> tuple[str, str] | None:
    """A NUL or non-UTF-8 text in the path or the query: (where, what)."""
    raw_path = scope.get("raw_path") or scope.get("path", "").encode()
    if b"%00" in raw_path or b"\x00" in raw_path or "\x00" in scope.get("path", ""):
        return "path", _NUL
    query = scope.get("query_string", b"")
    if not query or (b"%" not in query and b"\x00" not in query):
        return None
    for name, value in _raw_pairs(query):
        for part in (name, value):
            problem = _bad_bytes(part)
            if problem is not None:
                return f"query.{_printable(name)}", problem
    return None


def _raw_pairs(query: bytes) -> Iterator[tuple[bytes, bytes]]:
    for pair in query.split(b"&"):
        name, _, value = pair.partition(b"=")
        yield unquote_to_bytes(name.replace(b"+", b" ")), unquote_to_bytes(value.replace(b"+", b" "))


def _bad_bytes(text: bytes) -> str | None:
    if b"\x00" in text:
        return _NUL
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return _NOT_UNICODE
    return None


def _printable(name: bytes) -> str:
    return name.decode("utf-8", errors="replace").replace("\x00", "")[:100]


def _bad_body(content_type: str, body: bytes) -> tuple[int, dict[str, Any]] | None:
    if not body:
        return None
    if content_type == "application/json" or content_type.endswith("+json"):
        if b"\x00" in body:  # UTF-8 JSON never holds a NUL byte; UTF-16 and UTF-32 always do
            return 415, {"detail": "Isi permintaan JSON harus berpengodean UTF-8."}
        if b"\\u" not in body:  # a lone surrogate or a NUL can only arrive escaped
            return None
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return None  # the route's own parser says what is wrong with it
        found = _bad_text(document, ())
        return None if found is None else (422, _invalid(*found))
    if content_type == "application/x-www-form-urlencoded":
        if b"%" not in body and b"\x00" not in body:
            return None
        for name, value in _raw_pairs(body):
            for part in (name, value):
                problem = _bad_bytes(part)
                if problem is not None:
                    return 422, _invalid(_printable(name), problem)
    return None


def bad_form_text(fields: Iterable[tuple[str, Any]]) -> tuple[str, str] | None:
    """The first text field of a parsed multipart form (whose body the guard only counts) that
    holds NUL or is not valid Unicode: (field, what is wrong). Files are not text."""
    for name, value in fields:
        if isinstance(value, str):
            problem = _bad_string(value) or _bad_string(name)
            if problem is not None:
                return _printable(name.encode("utf-8", errors="backslashreplace")), problem
    return None


def _bad_text(value: Any, where: tuple[str, ...]) -> tuple[str, str] | None:
    if isinstance(value, str):
        problem = _bad_string(value)
        return None if problem is None else (".".join(where), problem)
    if isinstance(value, dict):
        for key, item in value.items():
            key_problem = _bad_string(key)
            if key_problem is not None:
                shown = key.encode("utf-8", errors="backslashreplace").decode().replace("\x00", "\\u0000")
                return ".".join((*where, shown[:100])), key_problem
            found = _bad_text(item, (*where, key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _bad_text(item, (*where, str(index)))
            if found is not None:
                return found
    return None


def _bad_string(text: str) -> str | None:
    if "\x00" in text:
        return _NUL
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _NOT_UNICODE
    return None


_NUL = "tidak boleh memuat karakter NUL (\\u0000)"
_NOT_UNICODE = "harus berupa teks Unicode yang sah (ditemukan surrogate tunggal atau UTF-8 yang rusak)"


def _invalid(where: str, problem: str) -> dict[str, Any]:
    where = where or "permintaan"
    return {
        "detail": f"Permintaan tidak valid — {where}: {problem}",
        "errors": [{"lokasi": where, "pesan": problem, "jenis": "string_unicode"}],
    }


def _too_large(limit: int) -> dict[str, Any]:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return {"detail": f"Permintaan terlalu besar; paling besar {size}."}


_BEARER = {"www-authenticate": "Bearer"}


async def _not_a_writer(tokens: Any, authorization: str) -> tuple[int, dict[str, Any], dict[str, str]] | None:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return (
            401,
            {"detail": "Sertakan token: header 'Authorization: Bearer <token>'."},
            {"www-authenticate": "Bearer"},
        )
    try:
        averify = getattr(tokens, "averify", None)  # an unknown kid's keys fetched off the event loop
        principal = await averify(token.strip()) if averify is not None else tokens.verify(token.strip())
    except DomainError as error:
        return error.status_code, {"detail": error.message}, _BEARER
    if principal.role == Role.AGENCY:
        return 403, {"detail": AGENCY_REFUSED}, {}
    if principal.role not in WRITERS:
        return 403, {"detail": f"Peran {principal.role.value} tidak dapat mengirim data ke alamat ini."}, {}
    return None


class _Answer:
    """A refusal, as JSON, or as a small page for a browser's form (the public pages)."""

    def __init__(self, send: Send, *, html: bool) -> None:
        self._send = send
        self._html = html

    async def __call__(self, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None) -> None:
        if self._html:
            detail = escape(str(body["detail"]))
            payload = (
                '<!doctype html><html lang="id"><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>Permintaan ditolak</title><h1>Permintaan ditolak</h1><p>{detail}</p>"
                '<p><a href="javascript:history.back()">Kembali</a></p></html>'
            ).encode()
            content_type = b"text/html; charset=utf-8"
        else:
            payload = json.dumps(body, ensure_ascii=False).encode()
            content_type = b"application/json"
        raw_headers = [(b"content-type", content_type), (b"content-length", str(len(payload)).encode())]
        raw_headers += [(name.encode(), value.encode()) for name, value in (headers or {}).items()]
        # The client may still be sending a body we refused: this connection is done.
        raw_headers.append((b"connection", b"close"))
        await self._send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await self._send({"type": "http.response.body", "body": payload})
