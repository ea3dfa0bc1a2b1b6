"""What to write: subjects and bodies of subscribed events, alerts and daily digests, and the
CloudEvent a webhook receives."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from awasi_common.events.base import Event
from awasi_common.events.envelope import SPEC_VERSION, Envelope
from awasi_common.tanggal import tanggal
from awasi_common.units import unit_name

DIGEST_EVENT_TYPE = "awasi.notification.ringkasan-harian"


LABELS: Mapping[str, str] = {
    "KegiatanScheduled": "Kegiatan dijadwalkan",
    "KegiatanRescheduled": "Kegiatan dijadwal ulang",
    "KegiatanUpdated": "Kegiatan diubah",
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
