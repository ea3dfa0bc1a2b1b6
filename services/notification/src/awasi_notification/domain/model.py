"""What notification decides, free of I/O: when to remind, whom to tell."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT_REMINDER_DAYS = (3, 1)
"""H-3 and H-1 before a kegiatan starts."""


@dataclass(frozen=True)
class Reminder:
    kegiatan_id: str
    unit: str
    judul: str
    kind: str
    """'H-3', 'H-1' or 'realisasi' (after the kegiatan ended)."""
    due_on: dt.date


def reminders_for(
    kegiatan_id: str, unit: str, judul: str, mulai: dt.date, selesai: dt.date,
    days_before: tuple[int, ...] = DEFAULT_REMINDER_DAYS,
) -> list[Reminder]:
    """The reminders a scheduled kegiatan deserves: before it starts, and to record its realisation."""
    reminders = [Reminder(kegiatan_id, unit, judul, f"H-{days}", mulai - dt.timedelta(days=days)) for days in days_before]
    reminders.append(Reminder(kegiatan_id, unit, judul, "realisasi", selesai + dt.timedelta(days=1)))
    return reminders
