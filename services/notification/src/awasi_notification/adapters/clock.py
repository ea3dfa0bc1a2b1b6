"""The service's notion of now."""

from __future__ import annotations

import datetime as dt


class Clock:
    """Real time plus ``offset``: tests move ``offset`` to reach a reminder's day."""

    def __init__(self) -> None:
        self.offset = dt.timedelta(0)

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset
