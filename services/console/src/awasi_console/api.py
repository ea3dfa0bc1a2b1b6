"""The services' HTTP APIs as the console calls them: with the signed-in person's own access
token (refreshed at identity when it is about to expire), their refusals turned into messages
beside the fields that caused them."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Tracer

from awasi_console.sessions import Session, Tokens, claims_of
from awasi_console.settings import ConsoleSettings

REFRESH_MARGIN = 30.0
"""Seconds before its expiry an access token is replaced."""


@dataclass
class ApiError(Exception):
    """A service refused (4xx) or could not answer (5xx, unreachable)."""

    status: int
    detail: str
    pasal: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    """Field (the API's ``lokasi``, e.g. ``jadwal.mulai``) → message."""

    def __str__(self) -> str:
        return self.detail


class SignedOut(Exception):
    """The session's sign-in is over (refresh refused): the person signs in again."""


UNREACHABLE = "Layanan {name} tidak dapat dihubungi saat ini; coba lagi sebentar lagi."


def error_of(name: str, response: httpx.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    detail = body.get("detail") or body.get("error_description")
    if not isinstance(detail, str):
        detail = (
            UNREACHABLE.format(name=name)
            if response.status_code >= 500
            else f"Permintaan ditolak layanan {name} ({response.status_code})."
        )
    fields: dict[str, str] = {}
    for item in body.get("errors") or []:
        if isinstance(item, dict) and item.get("pesan"):
            fields.setdefault(str(item.get("lokasi") or ""), str(item["pesan"]))
    if isinstance(body.get("field"), str):
        fields.setdefault(body["field"], detail)
    pasal = body.get("pasal") if isinstance(body.get("pasal"), str) else None
    return ApiError(response.status_code, detail, pasal, fields)


KEEPALIVE_EXPIRY_SECONDS = 2.0
"""How long an idle connection to a service is kept for reuse: less than the services keep theirs
(uvicorn's 5 s). At the same 5 s, a service could close the connection just as a request went
out on it, and the request failed with a read error (seen once in the suite, on the console's
own stack where client and servers share one event loop)."""


class Api:
    def __init__(
        self,
        settings: ConsoleSettings,
        transports: dict[str, httpx.AsyncBaseTransport] | None = None,
        tracer: Tracer | None = None,
    ):
        self.settings = settings
        self.tracer = tracer or trace.get_tracer("awasi.console")
        self.clients = {
            name: httpx.AsyncClient(
                base_url=url,
                timeout=settings.request_timeout_seconds,
                transport=(transports or {}).get(name),
                headers={"User-Agent": "awasi-console"},
                limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_SECONDS),
            )
            for name, url in settings.service_urls.items()
        }

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()

    # --- identity: sign-in, refresh, sign-out ----------------------------------------------------

    async def _token(self, data: dict[str, str], client_address: str | None = None) -> Tokens:
        headers = {"X-Forwarded-For": client_address} if client_address else None
        try:
            response = await self.clients["identity"].post("/token", data=data, headers=headers)
        except httpx.HTTPError as error:
            raise ApiError(503, UNREACHABLE.format(name="identitas")) from error
        if response.status_code != 200:
            raise error_of("identitas", response)
        body = response.json()
        return Tokens(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token", ""),
            expires_at=time.time() + float(body.get("expires_in", 300)),
        )

    async def sign_in(
        self, session: Session, email: str, password: str, totp: str | None = None, client: str | None = None
    ) -> None:
        """``client``: the browser's address, for identity's per-client backoff and rate limit
        (identity honours it only when the console is among its ``AWASI_TRUSTED_PROXIES``)."""
        data = {"grant_type": "password", "username": email, "password": password}
        if totp:
            data["totp"] = totp
        tokens = await self._token(data, client)
        session.tokens = tokens
        session.claims = claims_of(tokens.access_token)

    async def refresh(self, session: Session) -> None:
        """A new access token (and refresh token) for the session, once however many requests
        of the session ask at the same time: identity treats a refresh token used twice as
        stolen and ends the whole sign-in."""
        async with session.lock:
            tokens = session.tokens
            if tokens is None:
                raise SignedOut
            if tokens.expires_at - REFRESH_MARGIN > time.time():
                return
            try:
                fresh = await self._token({"grant_type": "refresh_token", "refresh_token": tokens.refresh_token})
            except ApiError as error:
                if error.status >= 500:
                    raise
                session.tokens = None
                raise SignedOut from error
            session.tokens = fresh
            session.claims = claims_of(fresh.access_token)

    async def sign_out(self, session: Session) -> None:
        tokens, session.tokens = session.tokens, None
        if tokens is None or not tokens.refresh_token:
            return
        with contextlib.suppress(httpx.HTTPError):  # the access token expires within minutes anyway
            await self.clients["identity"].post(
                "/token/cabut", data={"token": tokens.refresh_token, "token_type_hint": "refresh_token"}
            )

    # --- the services' APIs ------------------------------------------------------------------------

    async def _headers(self, session: Session) -> dict[str, str]:
        if session.tokens is None:
            raise SignedOut
        if session.tokens.expires_at - REFRESH_MARGIN <= time.time():
            await self.refresh(session)
        assert session.tokens is not None
        return {"Authorization": f"Bearer {session.tokens.access_token}"}

    async def request(
        self,
        session: Session,
        name: str,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """The service's answer (2xx), or ApiError / SignedOut. ``headers``: the request's own
        (an ``Idempotency-Key``), sent with the token."""
        client = self.clients[name]
        extra = dict(headers or {})
        for attempt in (1, 2):
            headers = {**extra, **await self._headers(session)}
            attributes = {"http.request.method": method, "server.address": name, "url.path": path}
            with self.tracer.start_as_current_span(
                f"{method} {name}", kind=SpanKind.CLIENT, attributes=attributes
            ) as span:
                propagate.inject(headers)  # traceparent: the service's spans join this page's trace
                try:
                    response = await client.request(method, path, headers=headers, **kwargs)
                except httpx.HTTPError as error:
                    span.set_attribute("error.type", type(error).__name__)
                    raise ApiError(503, UNREACHABLE.format(name=name)) from error
                span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code == 401 and attempt == 1 and session.tokens is not None:
                session.tokens.expires_at = 0  # refused: perhaps expired early; refresh once
                continue
            if response.status_code == 401:
                raise SignedOut
            if response.status_code >= 400:
                raise error_of(name, response)
            return response
        raise SignedOut  # pragma: no cover - the loop returns or raises

    async def open_stream(
        self, session: Session, name: str, path: str, *, params: dict[str, str], headers: dict[str, str]
    ) -> httpx.Response:
        """A service's event stream opened with the session's token (refreshed once if refused):
        the response whose body is still to be read (the caller closes it), or ApiError /
        SignedOut. No read timeout: a stream is quiet between its events and heartbeats."""
        client = self.clients[name]
        for attempt in (1, 2):
            sent = {**headers, **(await self._headers(session)), "Accept": "text/event-stream"}
            propagate.inject(sent)
            request = client.build_request(
                "GET",
                path,
                params=params,
                headers=sent,
                timeout=httpx.Timeout(self.settings.request_timeout_seconds, read=None),
            )
            try:
                response = await client.send(request, stream=True)
            except httpx.HTTPError as error:
                raise ApiError(503, UNREACHABLE.format(name=name)) from error
            if response.status_code == 200:
                return response
            await response.aread()
            await response.aclose()
            if response.status_code == 401 and attempt == 1 and session.tokens is not None:
                session.tokens.expires_at = 0  # refused: perhaps expired early; refresh once
                continue
            if response.status_code == 401:
                raise SignedOut
            raise error_of(name, response)
        raise SignedOut  # pragma: no cover - the loop returns or raises

    async def get(self, session: Session, name: str, path: str, **params: Any) -> Any:
        clean = {k: v for k, v in params.items() if v not in (None, "")}
        return (await self.request(session, name, "GET", path, params=clean)).json()

    async def post(self, session: Session, name: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        response = await self.request(session, name, "POST", path, json=body, **kwargs)
        return response.json() if response.content else None

    async def public(self, name: str, path: str) -> httpx.Response:
        """An endpoint that needs no token (readiness)."""
        return await self.clients[name].get(path, timeout=3)
