"""Events the reporting service publishes about laporan and their handling.

Public events carry no personal data of a reporter: the tracking code is enough for a
subscriber to follow a case. What notification needs to write to the reporter travels on
an internal topic that agencies are never granted.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from awasi_common.events.base import Event

LAPORAN_TOPIC = "awasi.reporting.laporan.v1"
PELAPOR_NOTICE_TOPIC = "awasi.reporting.pelapor-notice.v1"


class LaporanSubmitted(Event):
    name: ClassVar[str] = "LaporanSubmitted"
    topic: ClassVar[str] = LAPORAN_TOPIC
    source: ClassVar[str] = "/awasi/reporting"
    key_field: ClassVar[str] = "laporan_id"

    laporan_id: str
    kode_pelacakan: str
    kanal: str
    """web, pojok_pengawasan, call_center, media_sosial or patroli_digital."""
    diterima_pada: dt.datetime
    peristiwa_singkat: str | None = None


class PelaporNoticeRequested(Event):
    """Internal: a message for a reporter, with the contact reporting keeps confidential."""

    name: ClassVar[str] = "PelaporNoticeRequested"
    topic: ClassVar[str] = PELAPOR_NOTICE_TOPIC
    source: ClassVar[str] = "/awasi/reporting"
    key_field: ClassVar[str] = "laporan_id"
    public: ClassVar[bool] = False

    laporan_id: str
    kode_pelacakan: str
    email: str | None = None
    subjek: str
    pesan: str
