"""Receipts of reports made to a unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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
