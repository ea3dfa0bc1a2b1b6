"""What every participation aggregate shares: ids, the unit's own date, the choices a
regulation lists, and the events an aggregate records until the service layer pulls them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from awasi_common.calendar import local_date
from awasi_common.errors import DomainError
from awasi_common.events.base import Event

E = TypeVar("E", bound=StrEnum)


def today_in(unit: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date in ``unit``'s own time zone (WIB, WITA or WIT): a unit's periods, deadlines
    and "not in the future" checks are counted in its own calendar."""
    return local_date(now or dt.datetime.now(dt.UTC), unit)


def new_id() -> str:
    return str(uuid.uuid4())


def choice(enum: type[E], value: Any, *, pasal_ref: str | None, lokasi: str, apa: str) -> E:
    """``value`` as one of the choices a regulation lists, or a refusal naming the article."""
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise DomainError(
            f"{apa} '{value}' tidak dikenal; pilihan yang diatur: {allowed}.", pasal=pasal_ref, field=lokasi
        ) from None


def choices(enum: type[E], values: Iterable[Any], *, pasal_ref: str | None, lokasi: str, apa: str) -> tuple[E, ...]:
    """Several choices, each once, in the order given."""
    parsed: list[E] = []
    for value in values:
        member = choice(enum, value, pasal_ref=pasal_ref, lokasi=lokasi, apa=apa)
        if member not in parsed:
            parsed.append(member)
    return tuple(parsed)


def text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def texts(values: Iterable[Any] | None) -> tuple[str, ...]:
    """The non-blank entries of a list of text, stripped."""
    return tuple(t for t in (text(v) for v in values or ()) if t)


@dataclass
class Aggregate:
    """Records the events it causes; the service layer pulls them into the outbox in the same
    transaction as the rows."""

    events: list[Event] = field(default_factory=list, repr=False, compare=False, kw_only=True)

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events
