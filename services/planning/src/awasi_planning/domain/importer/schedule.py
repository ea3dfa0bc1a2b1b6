"""A kegiatan's jadwal, from the prose of its fields, and the period a plan covers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from awasi_planning.domain import tanggal
from awasi_planning.domain.importer.draft import Draft
from awasi_planning.domain.importer.results import JADWAL_TIDAK_DISEBUT, Catatan, KegiatanTerbaca
from awasi_planning.domain.importer.sections import Section
from awasi_planning.domain.model import Jadwal, Presisi

Period = tuple[dt.date, dt.date]


def jadwal_of(
    draft: Draft, texts: Iterable[str], year: int | None, period: Period | None
) -> tuple[Jadwal | None, list[Catatan]]:
    """The first schedule read from a table's date cell or else from ``texts`` (the kegiatan's
    fields, most telling first); without one, notes on the lines that speak of a date."""
    column = draft.columns.get("jadwal")
    for text in [column, *texts] if column else texts:
        read = tanggal.read_schedule(text, year, period=period)
        if read is not None:
            return Jadwal(read.mulai, read.selesai, read.presisi, read.keterangan, read.pengulangan), []
    unread = [
        Catatan.on(line, "jadwal tidak dapat dibaca")
        for line in draft.lines(Section.PELAKSANAAN)
        if tanggal.mentions_schedule(line.teks)
    ]
    cell = (column or "").strip()
    if cell:  # a table's date cell says something, just not a date we can read
        unread.append(Catatan.on(draft.baris, "jadwal tidak dapat dibaca", cell))
    return None, unread


def plan_period(kegiatan: Sequence[KegiatanTerbaca], year: int | None) -> Period | None:
    """The planning period a document covers: from its first scheduled month to the year's end."""
    starts = [k.jadwal.mulai for k in kegiatan if k.jadwal is not None]
    if year is None:
        if not starts:
            return None
        year = max(s.year for s in starts)
    first = min((s for s in starts if s.year == year), default=dt.date(year, 1, 1))
    return first.replace(day=1), dt.date(year, 12, 31)


def unstated(period: Period | None, year: int | None) -> Jadwal | None:
    """The jadwal of a kegiatan whose document gives none: the plan's period, else its year;
    None when neither is known."""
    window = period or ((dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else None)
    if window is None:
        return None
    return Jadwal(window[0], window[1], Presisi.RENTANG_BULAN, JADWAL_TIDAK_DISEBUT)
