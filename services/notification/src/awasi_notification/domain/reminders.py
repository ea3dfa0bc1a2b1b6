"""Kegiatan reminders: which fall due when, which fire, and what they say."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from awasi_common.tanggal import tanggal
from awasi_common.units import unit_name

DEFAULT_REMINDER_DAYS = (3, 1)
"""H-3 and H-1 before a kegiatan starts."""
REALISATION = "realisasi"


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
