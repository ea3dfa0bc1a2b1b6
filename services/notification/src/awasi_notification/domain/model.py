"""What notification decides, free of I/O: when to remind, whom to tell, what to write, when
to try again."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import random
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import idna

from awasi_common.errors import DomainError
from awasi_common.events.base import Event
from awasi_common.events.envelope import SPEC_VERSION, Envelope
from awasi_common.tanggal import tanggal
from awasi_common.units import ancestors_of, parent_of, unit_name

DEFAULT_REMINDER_DAYS = (3, 1)
"""H-3 and H-1 before a kegiatan starts."""
REALISATION = "realisasi"
OWN_SOURCE = "/awasi/notification"
WILDCARD = "*"
"""Subscribes to every public event type."""
DIGEST_EVENT_TYPE = "awasi.notification.ringkasan-harian"


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"
    INBOX = "inbox"


class Mode(StrEnum):
    SEGERA = "segera"
    """One message per event."""
    RINGKASAN_HARIAN = "ringkasan_harian"
    """One email a day listing everything since the previous one."""


class Status(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    """Dead-lettered: attempts exhausted or refused for good; kept, and can be sent again."""
    DIGEST_PENDING = "digest_pending"
    """Waiting for the next daily digest of its recipient."""
    DIGESTED = "digested"
    """Part of a digest that is on its way."""


# --- Reminders ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    kegiatan_id: str
    unit: str
    judul: str
    kind: str
    """'H-3', 'H-1' (before it starts) or 'realisasi' (after it ended)."""
    due_on: dt.date
    mulai: dt.date
    selesai: dt.date

    @property
    def before(self) -> bool:
        return self.kind != REALISATION

    @property
    def key(self) -> str:
        """Identifies this reminder for this date: a rescheduled kegiatan is reminded again."""
        return f"pengingat:{self.kegiatan_id}:{self.kind}:{self.due_on.isoformat()}"


def reminders_for(
    kegiatan_id: str,
    unit: str,
    judul: str,
    mulai: dt.date,
    selesai: dt.date,
    days_before: Sequence[int] = DEFAULT_REMINDER_DAYS,
    days_after: int = 1,
) -> list[Reminder]:
    """The reminders a scheduled kegiatan deserves: before it starts, and to record its realisation."""
    reminders = [
        Reminder(kegiatan_id, unit, judul, f"H-{days}", mulai - dt.timedelta(days=days), mulai, selesai)
        for days in days_before
    ]
    reminders.append(
        Reminder(
            kegiatan_id,
            unit,
            judul,
            REALISATION,
            selesai + dt.timedelta(days=days_after),
            mulai,
            selesai,
        )
    )
    return reminders


def due_at(due_on: dt.date, at: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """The moment (UTC) a reminder dated ``due_on`` falls due in local time."""
    return dt.datetime.combine(due_on, at, tzinfo=tz).astimezone(dt.UTC)


def missed_at_scheduling(reminder: Reminder, today: dt.date) -> bool:
    """A before-reminder whose day has already passed when the kegiatan is (re)scheduled is
    not sent: the unit scheduled it knowingly. The realisation reminder is never missed."""
    return reminder.before and reminder.due_on < today


def to_fire(due: Sequence[Reminder], today: dt.date) -> tuple[list[Reminder], list[Reminder]]:
    """Of the reminders due now, which fire and which are skipped.

    A before-reminder is pointless once the kegiatan has started; when several of one kegiatan
    fell due together (the service was down), only the nearest one fires.
    """
    fire: list[Reminder] = []
    skip: list[Reminder] = []
    by_kegiatan: dict[str, list[Reminder]] = {}
    for reminder in due:
        by_kegiatan.setdefault(reminder.kegiatan_id, []).append(reminder)
    for reminders in by_kegiatan.values():
        before = sorted((r for r in reminders if r.before), key=lambda r: r.due_on)
        for reminder in reminders:
            if not reminder.before:
                fire.append(reminder)
        if before:
            latest = before[-1]
            for reminder in before:
                if reminder is latest and today < reminder.mulai:
                    fire.append(reminder)
                else:
                    skip.append(reminder)
    return fire, skip


def reminder_message(reminder: Reminder, today: dt.date) -> tuple[str, str]:
    """Subject and body of a reminder, in Bahasa Indonesia."""
    unit = unit_name(reminder.unit) or reminder.unit
    if reminder.before:
        days = (reminder.mulai - today).days
        when = "besok" if days == 1 else f"{days} hari lagi"
        subject = f"Pengingat {reminder.kind}: {reminder.judul}"
        body = (
            f'Kegiatan "{reminder.judul}" ({unit}) dimulai {when}, '
            f"pada {tanggal(reminder.mulai)}.\n"
            "Pastikan persiapan, undangan, dan kelengkapan administrasi sudah siap."
        )
    else:
        subject = f"Catat realisasi: {reminder.judul}"
        body = (
            f'Kegiatan "{reminder.judul}" ({unit}) telah berakhir pada {tanggal(reminder.selesai)}.\n'
            "Mohon catat realisasinya (peserta hadir, output tercapai, anggaran, dokumentasi) di Awasi."
        )
    return subject, body


# --- Receipts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """A report reached its unit: what the unit's receipt list shows (no reporter identity)."""

    laporan_id: str
    kode_pelacakan: str
    unit: str
    kanal: str
    diterima_pada: dt.datetime
    event_id: str
    """The LaporanSubmitted event it was recorded from."""


# --- Whom to tell -------------------------------------------------------------------------


def unit_owner(unit: str) -> str:
    """The in-app inbox of a unit."""
    return f"unit:{unit}"


def user_owner(subject: str) -> str:
    """The in-app inbox of one user (the token's subject)."""
    return f"user:{subject}"


def regions_covering(unit: str) -> list[str]:
    """The subscription regions an event of ``unit`` falls in: the unit and every unit above."""
    return [unit, *ancestors_of(unit)]


def alert_units(unit: str) -> list[str]:
    """An alert goes to the unit it concerns and to the unit directly above."""
    parent = parent_of(unit)
    return [unit] if parent is None else [unit, parent]


def dedup_key(source: str, channel: Channel | str, recipient: str) -> str:
    """One message per source (event or reminder), channel and recipient: never twice."""
    return f"{source}|{channel}|{recipient}"[:400]


# --- What to write ------------------------------------------------------------------------

LABELS: Mapping[str, str] = {
    "KegiatanScheduled": "Kegiatan dijadwalkan",
    "KegiatanRescheduled": "Kegiatan dijadwal ulang",
    "KegiatanCancelled": "Kegiatan dibatalkan",
    "KegiatanCompleted": "Kegiatan selesai",
    "LaporanSubmitted": "Laporan dugaan pelanggaran diterima",
}


def event_label(event_type: type[Event]) -> str:
    """A readable name for an event type; new types get their name split into words."""
    if event_type.name in LABELS:
        return LABELS[event_type.name]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", event_type.name).split()
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else event_type.ce_type()


def _scalar_lines(data: Mapping[str, Any], prefix: str = "") -> list[str]:
    lines: list[str] = []
    for key, value in data.items():
        if key in ("unit", "pesan"):
            continue
        if isinstance(value, Mapping):
            lines += _scalar_lines(value, f"{prefix}{key}.")
        elif isinstance(value, list):
            if value and all(not isinstance(v, Mapping | list) for v in value):
                lines.append(f"{prefix}{key}: {', '.join(str(v) for v in value)}")
        elif value is not None:
            lines.append(f"{prefix}{key}: {value}")
    return lines


def event_message(event: Event, envelope: Envelope) -> tuple[str, str]:
    """Subject and body of a subscribed event, for email and inbox."""
    label = event_label(type(event))
    unit = unit_name(event.unit) or event.unit
    subject = f"{label} — {unit}"
    data = event.model_dump(mode="json")
    body_lines = []
    if isinstance(data.get("pesan"), str):
        body_lines += [data["pesan"], ""]
    body_lines += [f"{label} di {unit} ({event.unit}).", ""]
    body_lines += _scalar_lines(data)
    body_lines += ["", f"Jenis event: {envelope.type}", f"ID event: {envelope.id}"]
    return subject, "\n".join(body_lines)


def alert_message(event: Event, envelope: Envelope, recipient_unit: str) -> tuple[str, str]:
    """An obligation or deadline fell due unmet: its own ``pesan`` is what people read."""
    label = event_label(type(event))
    unit = unit_name(event.unit) or event.unit
    pesan = str(getattr(event, "pesan", "")).strip()
    first_line = pesan.splitlines()[0] if pesan else label
    subject = f"Peringatan: {first_line}"[:250]
    whose = "unit Anda" if recipient_unit == event.unit else f"unit di bawah Anda, {unit}"
    body = "\n".join(
        [
            pesan or label,
            "",
            f"Peringatan ini mengenai {whose} ({event.unit}).",
            f"Jenis: {label} ({envelope.type}); ID event: {envelope.id}",
        ]
    )
    return subject, body


@dataclass(frozen=True)
class DigestItem:
    subject: str
    body: str
    created_at: dt.datetime


def digest_message(items: Sequence[DigestItem], day: dt.date, tz: dt.tzinfo) -> tuple[str, str]:
    subject = f"Ringkasan harian Awasi — {tanggal(day)} ({len(items)} pemberitahuan)"
    parts = [
        f"Ringkasan pemberitahuan Awasi sampai {tanggal(day)}: {len(items)} pemberitahuan.",
        "",
    ]
    for number, item in enumerate(sorted(items, key=lambda i: i.created_at), start=1):
        at = item.created_at.astimezone(tz).strftime("%d-%m-%Y %H:%M")
        parts += [
            f"{number}. [{at}] {item.subject}",
            *(f"   {line}" for line in item.body.splitlines()),
            "",
        ]
    return subject, "\n".join(parts)


def digest_boundary(now: dt.datetime, at: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """The latest daily digest moment at or before ``now`` (UTC): a digest sent then carries
    what was waiting before it."""
    local = now.astimezone(tz)
    today = dt.datetime.combine(local.date(), at, tzinfo=tz)
    boundary = today if local >= today else today - dt.timedelta(days=1)
    return boundary.astimezone(dt.UTC)


def cloud_event(event: Event, envelope: Envelope) -> bytes:
    """The CloudEvent in structured JSON mode: the raw body a webhook receives and signs."""
    document = {
        "specversion": SPEC_VERSION,
        "id": envelope.id,
        "source": envelope.source,
        "type": envelope.type,
        "subject": envelope.subject,
        "time": envelope.time.isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "unit": envelope.unit,
        "data": event.model_dump(mode="json"),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


# --- When to try again --------------------------------------------------------------------


def retry_delay(
    attempts: int,
    *,
    base: float,
    cap: float,
    jitter: float = 0.0,
    rand: random.Random | None = None,
) -> float:
    """Seconds to wait after ``attempts`` failed tries: base, 2·base, 4·base … up to ``cap``,
    spread by ±``jitter`` so that many deliveries failing together do not retry together."""
    delay = min(base * (2 ** max(attempts - 1, 0)), cap)
    if jitter:
        delay *= 1 + (rand or random).uniform(-jitter, jitter)
    return max(delay, 0.0)


# --- Where webhooks may point -------------------------------------------------------------
#
# A webhook URL is written by an agency, and Awasi's servers POST to it: without care that is
# a way into the internal network (server-side request forgery). The URL is refused unless it
# is plain (no control characters, whitespace, userinfo), its host is written the one way
# every parser reads alike (IDNA, lower case, no trailing dot, IPv4 in dotted decimal) and
# that host is public. The delivery checks again what the name resolves to then, and connects
# to the checked address only (adapters/egress.py).

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
    canonical = f"{scheme}://{netloc}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")
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


# --- What may be subscribed ---------------------------------------------------------------


def check_event_types(requested: Iterable[str], catalog: Mapping[str, type[Event]]) -> list[str]:
    """The requested types, each a public event of the catalog (or ``*`` for all of them)."""
    # Quoted back in refusals: written as escapes whatever they hold, so the answer can be sent.
    wanted = [
        t.strip().encode("utf-8", "backslashreplace").decode().replace("\x00", "\\x00")
        for t in requested
        if t and t.strip()
    ]
    if not wanted:
        raise DomainError(
            "Pilih minimal satu jenis event, misalnya 'awasi.KegiatanScheduled.v1'.",
            field="jenis_event",
        )
    if WILDCARD in wanted:
        return [WILDCARD]
    unknown = [t for t in wanted if t not in catalog]
    if unknown:
        raise DomainError(
            f"Jenis event tidak dikenal: {', '.join(sorted(set(unknown)))}. "
            f"Jenis yang tersedia: {', '.join(subscribable(catalog))}.",
            field="jenis_event",
        )
    internal = [t for t in wanted if not catalog[t].public]
    if internal:
        raise DomainError(
            f"Jenis event {', '.join(sorted(set(internal)))} bersifat internal (memuat data pribadi) "
            "dan tidak dapat dilanggani.",
            field="jenis_event",
        )
    own = [t for t in wanted if catalog[t].source == OWN_SOURCE]
    if own:
        raise DomainError(
            f"Jenis event {', '.join(sorted(set(own)))} adalah catatan pengiriman layanan notifikasi "
            "sendiri dan tidak dapat dilanggani.",
            field="jenis_event",
        )
    return sorted(set(wanted))


def subscribable(catalog: Mapping[str, type[Event]]) -> list[str]:
    return sorted(t for t, cls in catalog.items() if cls.public and cls.source != OWN_SOURCE)
