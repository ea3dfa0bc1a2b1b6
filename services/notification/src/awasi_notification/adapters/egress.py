"""Outbound HTTP to agencies' receivers that cannot be turned against the internal network.

Every new connection resolves the receiver's name once, refuses it when any address it
resolved to is one a webhook may not reach, and opens the socket to the checked address
itself: the name is never resolved a second time, so an answer that changes between the check
and the connection (DNS rebinding) changes nothing. Only the socket is pinned: the Host header
stays the name, and TLS sends the name as SNI and verifies the certificate against it, because
httpcore hands the URL's host to ``start_tls`` on the stream this backend returns. The pool
keys connections by that name too, so one receiver's connection never carries another's
request.

Hand-written because no library fitted: httpx-secure finds the address by opening TCP probes
to the candidates, denied ones included; drawbridge (0.1) and safehttpx pin by rewriting the
URL to the IP, which needs keep-alive off (or a pooled connection verified for one name could
carry another name's request), resolve outside the event loop's resolver and take no injected
one; safehttpx also takes the first public address of a name that has internal ones too.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import httpcore
import httpx

from awasi_notification.domain.webhook_urls import check_resolved

Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
"""``await resolver(host, port)``: the addresses a name resolves to. Tests inject one."""


async def system_resolver(host: str, port: int) -> list[str]:
    """The C library's answer (``/etc/hosts``, DNS …), through the event loop's getaddrinfo."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class RefusedAddress(Exception):
    """The receiver's name resolved to an address a webhook may not reach: nothing was sent.

    Not an httpcore error on purpose: httpx passes it through unchanged, so the sender can
    tell it from a receiver that is merely down."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        super().__init__(
            f"penerima webhook {host} menuju alamat jaringan internal {address} ({reason}); tidak dikirim: "
            "Awasi hanya mengirim ke alamat publik atau jaringan yang diizinkan oleh pengelola"
        )
        self.host = host
        self.address = address


@dataclass(frozen=True)
class AddressPolicy:
    allow_loopback: bool = False
    """Development and tests only (``AWASI_NOTIFICATION_WEBHOOK_ALLOW_HTTP_LOOPBACK``)."""
    allowed_networks: tuple[str, ...] = ()


async def vetted_addresses(
    host: str, port: int, policy: AddressPolicy, resolver: Resolver, timeout: float | None
) -> list[str]:
    """The addresses to connect to for ``host``, every one of them allowed; or an error."""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            async with asyncio.timeout(timeout):
                addresses = list(dict.fromkeys(await resolver(host, port)))
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(f"nama {host} tidak terjawab DNS dalam batas waktu") from error
        except (OSError, UnicodeError) as error:
            raise httpcore.ConnectError(f"nama {host} tidak dapat di-resolve: {error}") from error
    if not addresses:
        raise httpcore.ConnectError(f"nama {host} tidak memiliki alamat")
    refused = check_resolved(
        host, addresses, allow_loopback=policy.allow_loopback, allowed_networks=policy.allowed_networks
    )
    if refused is not None:
        raise RefusedAddress(host, *refused)
    return addresses


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the check in front: connects to vetted addresses only."""

    def __init__(
        self, policy: AddressPolicy, resolver: Resolver, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self._policy = policy
        self._resolver = resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        addresses = await vetted_addresses(host, port, self._policy, self._resolver, timeout)
        failure: Exception | None = None
        for address in addresses:  # every one was checked: try them in the resolver's order
            remaining = None if deadline is None else max(deadline - loop.time(), 0.0)
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=remaining, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None
        raise failure

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


@cache
def verifying_context() -> ssl.SSLContext:
    """httpx's default context (certificates verified against certifi's authorities), built once
    per process and shared by every transport: building one costs ~30 ms of CPU here. Shared, so
    left as built: httpcore sets the same HTTP/1.1 ALPN on it at each connection, and nothing may
    load a client certificate into it (a transport that needs one passes a context of its own)."""
    return httpx.create_ssl_context()


def context_for(verify: ssl.SSLContext | bool) -> ssl.SSLContext:
    if isinstance(verify, ssl.SSLContext):
        return verify
    return verifying_context() if verify else httpx.create_ssl_context(verify=False)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport whose connection pool uses :class:`PinnedBackend`.

    httpx 0.28 takes no network backend, so the pool it built is replaced by an equal one
    that does. The swap is checked: should a later httpx keep its pool elsewhere, this fails
    at start instead of sending unchecked (httpx is pinned in pyproject.toml, and the tests
    connect through this transport to a name only the injected resolver knows)."""

    def __init__(
        self,
        policy: AddressPolicy,
        resolver: Resolver = system_resolver,
        *,
        verify: ssl.SSLContext | bool = True,
        limits: httpx.Limits | None = None,
    ) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
        context = context_for(verify)  # one context for httpx's pool and the pinned one that replaces it
        super().__init__(verify=context, limits=limits)
        if type(getattr(self, "_pool", None)) is not httpcore.AsyncConnectionPool:
            raise RuntimeError("httpx keeps its connection pool elsewhere now: webhook connections cannot be pinned")
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(policy, resolver),
        )
