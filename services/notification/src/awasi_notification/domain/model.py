"""What notification decides, free of I/O: when to remind, whom to tell, what to write, when
to try again."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

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


# --- What may be subscribed ---------------------------------------------------------------

LOOPBACK_NAMES = frozenset({"localhost"})


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def address_allowed(address: str, *, allow_loopback: bool, allowed_networks: Iterable[str] = ()) -> bool:
    """May a webhook be delivered to this IP address? Public addresses yes; loopback only in
    development; private, link-local (cloud metadata) and reserved ranges only when the
    deployment lists them (an agency inside the government network), never by default."""
    ip = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    if ip.is_loopback:
        return allow_loopback
    if any(ip in ipaddress.ip_network(network, strict=False) for network in allowed_networks):
        return True
    return ip.is_global


def check_webhook_url(url: str, *, allow_http_loopback: bool, allowed_networks: Iterable[str] = ()) -> str:
    """A webhook must be https; plain http only to a loopback address in development; an
    address written as an IP must be one a webhook may reach (see ``address_allowed``)."""
    url = url.strip()
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise DomainError(
            "URL webhook tidak sah: tulis alamat lengkap, misalnya https://contoh.go.id/awasi/webhook.",
            field="url",
        )
    if parts.username or parts.password:
        raise DomainError("URL webhook tidak boleh memuat nama pengguna atau kata sandi.", field="url")
    if parts.scheme == "http" and not (allow_http_loopback and _is_loopback(host)):
        raise DomainError(
            "URL webhook harus memakai https:// agar isi dan tanda tangannya terlindungi; "
            "http:// hanya diizinkan ke alamat loopback (127.0.0.1, ::1, localhost) "
            "dalam mode pengembangan.",
            field="url",
        )
    if _is_ip(host) and not address_allowed(
        host, allow_loopback=allow_http_loopback, allowed_networks=allowed_networks
    ):
        raise DomainError(
            f"URL webhook menuju alamat jaringan internal ({host}); Awasi hanya mengirim ke alamat "
            "publik atau jaringan yang diizinkan oleh pengelola.",
            field="url",
        )
    if host.lower() in LOOPBACK_NAMES and not allow_http_loopback:
        raise DomainError("URL webhook tidak boleh menuju localhost.", field="url")
    return url


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def check_event_types(requested: Iterable[str], catalog: Mapping[str, type[Event]]) -> list[str]:
    """The requested types, each a public event of the catalog (or ``*`` for all of them)."""
    wanted = [t.strip() for t in requested if t and t.strip()]
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
