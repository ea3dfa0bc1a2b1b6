"""The day a participation event counts for in the annual report is read from its own
contract (``consumers.EVENT_DATE``), never guessed from field names."""

from __future__ import annotations

import datetime as dt
import typing

from awasi_common.events.base import Event
from awasi_common.events.envelope import Envelope
from awasi_common.events.participation import ForumWargaOverdue, PesertaAttended, PesertaRegistered, ProgramFormed
from awasi_reporting.entrypoints import consumers

EVENT_FIELDS_NOT_THE_DAY = {"batas_waktu", "waktu_kejadian", "waktu_diketahui", "tanggal_lahir"}
"""Dates a contract carries that are not the day the event happened (a deadline, the
incident of a report)."""


def _dated_fields(event_type: type[Event]) -> set[str]:
    hints = typing.get_type_hints(event_type)
    return {
        name
        for name in event_type.model_fields
        if name not in EVENT_FIELDS_NOT_THE_DAY and hints.get(name) in (dt.date, dt.datetime)
    }


def test_every_dated_participation_event_says_how_its_day_is_read() -> None:
    for event_type in [*consumers.participation_events(), *consumers.POJOK_LAPORAN_HANDLERS]:
        if _dated_fields(event_type):
            assert event_type in consumers.EVENT_DATE, event_type.__name__


def test_a_moment_counts_on_the_unit_s_own_day() -> None:
    # 00.30 WIT on 21 February in Jayapura is still 20 February in UTC.
    moment = dt.datetime(2024, 2, 20, 15, 30, tzinfo=dt.UTC)
    fields = {"unit": "94.71", "peserta_id": "p", "program": "sekolah_kader"}
    hadir = PesertaAttended.model_construct(**fields, hadir_pada=moment)
    assert consumers.EVENT_DATE[PesertaAttended](hadir) == dt.date(2024, 2, 21)
    daftar = PesertaRegistered.model_construct(**fields, terdaftar_pada=moment)
    assert consumers.EVENT_DATE[PesertaRegistered](daftar) == dt.date(2024, 2, 21)
    formed = ProgramFormed.model_construct(unit="35.05", dibentuk_pada=dt.date(2024, 1, 5))
    assert consumers.EVENT_DATE[ProgramFormed](formed) == dt.date(2024, 1, 5)
    envelope = Envelope(id="e", type="t", source="s", subject="x", time=moment, unit="94.71")
    assert consumers.event_date(formed, envelope) == dt.date(2024, 1, 5)
    overdue = ForumWargaOverdue.model_construct(unit="94.71", batas_waktu=dt.date(2024, 2, 1))
    assert consumers.event_date(overdue, envelope) == dt.date(2024, 2, 21)  # the day it was told
