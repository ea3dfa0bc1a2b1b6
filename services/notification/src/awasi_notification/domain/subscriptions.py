"""What may be subscribed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from awasi_common.errors import DomainError
from awasi_common.events.base import Event

OWN_SOURCE = "/awasi/notification"
"""Notification's own delivery records: never subscribed, never reacted to."""
WILDCARD = "*"
"""Subscribes to every public event type."""


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
