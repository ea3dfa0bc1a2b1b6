"""Where webhooks may point.

A webhook URL is written by an agency, and Awasi's servers POST to it: without care that is
a way into the internal network (server-side request forgery). The URL is refused unless it
is plain (no control characters, whitespace, userinfo), its host is written the one way
every parser reads alike (IDNA, lower case, no trailing dot, IPv4 in dotted decimal) and
that host is public. The delivery checks again what the name resolves to then, and connects
to the checked address only (adapters/egress.py).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import idna

from awasi_common.errors import DomainError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

INTERNAL_SUFFIXES = (
    "localhost",
    "local",
    "internal",
    "localdomain",
    "lan",
    "home",
    "corp",
    "intranet",
    "private",
    "home.arpa",
    "arpa",
    "test",
    "invalid",
    "example",
    "onion",
)
"""Names that are never a public receiver: RFC 6761/6762/8375 special-use names, the cloud
metadata names (``metadata.google.internal``) and common names of private networks."""

REBINDING_SUFFIXES = (
    "nip.io",
    "sslip.io",
    "xip.io",
    "nip.direct",
    "localtest.me",
    "lvh.me",
    "vcap.me",
    "lacolhost.com",
    "traefik.me",
    "readme.localhost",
)
"""Public DNS services that answer with whatever address the name spells (``10.0.0.1.nip.io``)
or always loopback: refused by name, whatever they resolve to today."""

NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
NOT_PUBLIC_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in ("0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4")
)
"""Ranges refused even where this Python's ``is_global`` says otherwise (it counts
multicast and some IETF ranges as global)."""

_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_INET_PART = re.compile(r"0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0[xX][0-9a-fA-F]*")
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zs", "Zl", "Zp"})


def _refuse(message: str) -> DomainError:
    return DomainError(message, field="url")


def inet_aton(text: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address ``text`` means to the C library's ``inet_aton`` (and so to
    ``getaddrinfo`` and every HTTP client built on it), or None: one to four parts, each
    decimal, ``0x`` hex or ``0``-led octal, the last filling the remaining bytes —
    ``127.1``, ``0x7f000001``, ``2130706433`` and ``0177.0.0.1`` are all 127.0.0.1."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4 or not all(_INET_PART.fullmatch(p) for p in parts):
        return None
    values = [int(p[2:], 16) if p[:2] in ("0x", "0X") else int(p, 8 if p.startswith("0") else 10) for p in parts]
    *leading, last = values
    if any(v > 0xFF for v in leading) or last >= 1 << (8 * (5 - len(values))):
        return None
    number = last
    for index, value in enumerate(leading):
        number |= value << (8 * (3 - index))
    return ipaddress.IPv4Address(number)


def _embedded_v4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for: IPv4-mapped, NAT64 or 6to4."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(ip.packed[-4:])
    return ip.sixtofour


def unwrap(ip: IPAddress) -> IPAddress:
    return _embedded_v4(ip) or ip


def not_public_reason(ip: IPAddress) -> str | None:
    """Why an address is not a public one (in Indonesian, for the refusal), or None."""
    ip = unwrap(ip)
    if ip.is_unspecified:
        return "alamat kosong (unspecified)"
    if ip.is_loopback:
        return "alamat loopback (komputer server itu sendiri)"
    if ip.is_link_local:
        return "alamat link-local (termasuk metadata cloud 169.254.169.254)"
    if ip.is_multicast:
        return "alamat multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.IPv4Network("100.64.0.0/10"):
        return "alamat CGNAT (100.64.0.0/10)"
    if ip.is_reserved:
        return "alamat yang dicadangkan (bukan alamat publik)"
    if ip.is_private or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local):
        return "alamat jaringan privat"
    if not ip.is_global:
        return "alamat yang dicadangkan (bukan alamat publik)"
    if isinstance(ip, ipaddress.IPv4Address) and any(ip in network for network in NOT_PUBLIC_V4):
        return "alamat yang dicadangkan (bukan alamat publik)"
    return None


def address_allowed(address: str | IPAddress, *, allow_loopback: bool, allowed_networks: Iterable[str] = ()) -> bool:
    """May a webhook be delivered to this IP address? Public addresses yes; loopback only with
    the development opt-in; private, link-local (cloud metadata) and reserved ranges only when
    the deployment lists them (an agency inside the government network), never by default."""
    if isinstance(address, str):
        try:
            address = ipaddress.ip_address(address.strip("[]"))
        except ValueError:
            return False  # a scoped (``%eth0``) or malformed address is never a receiver
    ip = unwrap(address)
    if ip.is_loopback:
        return allow_loopback
    if any(ip in ipaddress.ip_network(network, strict=False) for network in allowed_networks):
        return True
    return not_public_reason(ip) is None


def is_internal_name(host: str) -> bool:
    return any(host == suffix or host.endswith("." + suffix) for suffix in INTERNAL_SUFFIXES)


@dataclass(frozen=True)
class WebhookUrl:
    url: str
    """The canonical URL: what is stored and what the delivery requests."""
    scheme: str
    host: str
    """Lower-case ASCII (IDNA) name without trailing dot, or the IP address."""
    port: int
    ip: IPAddress | None
    """Set when the host is an IP address."""


def _canonical_host(raw: str) -> tuple[str, IPAddress | None]:
    if raw.startswith("["):
        if not raw.endswith("]") or "%" in raw:
            raise _refuse("Alamat IPv6 pada URL webhook tidak sah; tulis misalnya https://[2001:db8::1]/webhook.")
        try:
            ip6 = ipaddress.IPv6Address(raw[1:-1])
        except ValueError as error:
            raise _refuse(f"Alamat IPv6 pada URL webhook tidak sah: {raw}.") from error
        return ip6.compressed, ip6
    host = raw
    if not host.isascii():
        try:  # UTS 46 maps what a browser maps too (full-width letters and dots)
            host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError) as error:
            raise _refuse(f"Nama host URL webhook tidak sah (IDNA): {error}.") from error
    host = host.lower()
    host = host.removesuffix(".")
    ip4 = inet_aton(host)
    if ip4 is not None:
        return str(ip4), ip4
    labels = host.split(".")
    if labels and _NUMERIC_LABEL.fullmatch(labels[-1]):
        # A name ending in a number is an IPv4 address to browsers and to the C library.
        raise _refuse(f"Alamat IPv4 pada URL webhook tidak sah: {raw}.")
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise _refuse(
            f"Nama host URL webhook tidak sah: {raw}. Gunakan huruf, angka, tanda hubung dan titik, "
            "misalnya kpu-blitar.go.id."
        )
    for label in labels:
        if label.startswith("xn--"):
            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError) as error:
                raise _refuse(f"Nama host URL webhook tidak sah (IDNA): {raw}.") from error
    return host, None


def _ascii(text: str) -> str:
    """Non-ASCII characters of a path or query percent-encoded (UTF-8), as a client sends them:
    the stored URL is plain ASCII."""
    return "".join(char if char.isascii() else quote(char, safe="") for char in text)


def parse_webhook_url(url: str, *, allow_http_loopback: bool, allowed_networks: Iterable[str] = ()) -> WebhookUrl:
    """Check a webhook URL and write it canonically. Refused (422 on ``url``) when it is not
    plain, not https, carries credentials, or names a host that is not public: an internal
    name, a rebinding DNS service, or an IP address (in any of the forms the C library reads)
    outside the public internet and the deployment's allowed networks. Plain http and
    loopback only with the development opt-in."""
    if any(unicodedata.category(char) in _UNSAFE_CATEGORIES for char in url):
        raise _refuse(
            "URL webhook memuat spasi atau karakter kontrol (misalnya baris baru); "
            "tulis alamatnya dalam satu baris tanpa spasi."
        )
    if "\\" in url:
        raise _refuse("URL webhook tidak boleh memuat garis miring terbalik (\\).")
    try:
        parts = urlsplit(url)
    except ValueError as error:  # e.g. an unbalanced '[' in the host
        raise _refuse("URL webhook tidak sah: alamat IPv6 harus ditulis lengkap di antara [ dan ].") from error
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not url.lower().startswith(f"{scheme}://") or not parts.netloc:
        raise _refuse("URL webhook tidak sah: tulis alamat lengkap, misalnya https://contoh.go.id/awasi/webhook.")
    if "@" in parts.netloc:
        raise _refuse("URL webhook tidak boleh memuat nama pengguna atau kata sandi.")
    raw_host, port_text = parts.netloc, ""
    if raw_host.startswith("["):
        end = raw_host.find("]")
        if end != -1 and raw_host[end + 1 :].startswith(":"):
            raw_host, port_text = raw_host[: end + 1], raw_host[end + 2 :]
    elif ":" in raw_host:
        raw_host, _, port_text = raw_host.partition(":")
    default_port = 443 if scheme == "https" else 80
    if port_text and not (port_text.isascii() and port_text.isdigit() and 0 < int(port_text) < 65536):
        raise _refuse(f"Nomor port pada URL webhook tidak sah: {port_text!r} (1–65535).")
    port = int(port_text) if port_text else default_port
    if not raw_host:
        raise _refuse("URL webhook tidak sah: tulis alamat lengkap, misalnya https://contoh.go.id/awasi/webhook.")
    host, ip = _canonical_host(raw_host)

    loopback = (ip is not None and unwrap(ip).is_loopback) or host == "localhost"
    if scheme == "http" and not (allow_http_loopback and loopback):
        raise _refuse(
            "URL webhook harus memakai https:// agar isi dan tanda tangannya terlindungi; "
            "http:// hanya diizinkan ke alamat loopback (127.0.0.1, ::1, localhost) "
            "dalam mode pengembangan."
        )
    if ip is not None:
        if not address_allowed(ip, allow_loopback=allow_http_loopback, allowed_networks=allowed_networks):
            written = "" if raw_host.strip("[]").lower() == host else f" (ditulis {raw_host})"
            raise _refuse(
                f"URL webhook menuju {not_public_reason(ip) or 'alamat jaringan internal'}: {host}{written}. "
                "Awasi hanya mengirim ke alamat publik atau jaringan yang diizinkan oleh pengelola."
            )
    elif not (host == "localhost" and allow_http_loopback):
        if is_internal_name(host):
            raise _refuse(
                f"URL webhook menuju nama jaringan internal ({host}); Awasi hanya mengirim ke nama domain publik."
            )
        if any(host == s or host.endswith("." + s) for s in REBINDING_SUFFIXES):
            raise _refuse(
                f"URL webhook memakai layanan DNS yang menerjemahkan nama menjadi alamat IP apa saja "
                f"({host}); gunakan nama domain lembaga Anda sendiri."
            )
        if "." not in host:
            raise _refuse(
                f"Nama host URL webhook harus berupa nama domain lengkap, misalnya kpu-blitar.go.id (bukan {host})."
            )

    netloc = f"[{host}]" if isinstance(ip, ipaddress.IPv6Address) else host
    if port != default_port:
        netloc += f":{port}"
    path, query = _ascii(parts.path or "/"), _ascii(parts.query)
    canonical = f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")
    return WebhookUrl(canonical, scheme, host, port, ip)


def check_webhook_url(url: str, *, allow_http_loopback: bool, allowed_networks: Iterable[str] = ()) -> str:
    """The canonical form of an acceptable webhook URL (see ``parse_webhook_url``)."""
    return parse_webhook_url(url, allow_http_loopback=allow_http_loopback, allowed_networks=allowed_networks).url


def check_resolved(
    host: str, addresses: Iterable[str], *, allow_loopback: bool, allowed_networks: Iterable[str] = ()
) -> tuple[str, str] | None:
    """The first address a name resolved to that a webhook may not reach, with why; or None.
    One bad address refuses the name: the client could pick any of them."""
    for address in addresses:
        if not address_allowed(address, allow_loopback=allow_loopback, allowed_networks=allowed_networks):
            try:
                reason = not_public_reason(ipaddress.ip_address(address.split("%", 1)[0])) or "alamat internal"
            except ValueError:
                reason = "alamat yang tidak sah"
            return address, reason
    return None
