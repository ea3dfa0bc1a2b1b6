"""CloudEvents 1.0 in Kafka binary mode: attributes as ``ce_*`` headers, data as JSON."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from awasi_common.events.base import CATALOG, Event

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"


class UndecodableEvent(ValueError):
    """The message is not an Awasi CloudEvent we can read: it goes to the dead-letter topic."""


@dataclass(frozen=True)
class Envelope:
    """The CloudEvents attributes around one event's data."""

    id: str
    type: str
    source: str
    subject: str
    time: dt.datetime
    unit: str

    @classmethod
    def new(cls, event: Event, *, time: dt.datetime | None = None) -> Envelope:
        return cls(
            id=str(uuid.uuid4()),
            type=event.ce_type(),
            source=event.source,
            subject=event.key,
            time=time or dt.datetime.now(dt.UTC),
            unit=event.unit,
        )

    def headers(self) -> dict[str, str]:
        return {
            "ce_specversion": SPEC_VERSION,
            "ce_id": self.id,
            "ce_type": self.type,
            "ce_source": self.source,
            "ce_subject": self.subject,
            "ce_time": self.time.isoformat().replace("+00:00", "Z"),
            "ce_unit": self.unit,
            "content-type": CONTENT_TYPE,
        }

    @classmethod
    def from_headers(cls, headers: Mapping[str, Any]) -> Envelope:
        def text(name: str) -> str:
            value = headers.get(name)
            if isinstance(value, bytes):
                value = value.decode()
            if not value:
                raise UndecodableEvent(f"header {name} is missing")
            return str(value)

        if text("ce_specversion") != SPEC_VERSION:
            raise UndecodableEvent(f"unsupported CloudEvents version {text('ce_specversion')}")
        try:
            time = dt.datetime.fromisoformat(text("ce_time").replace("Z", "+00:00"))
        except ValueError as error:
            raise UndecodableEvent(f"ce_time is not an RFC 3339 time: {error}") from error
        return cls(
            id=text("ce_id"),
            type=text("ce_type"),
            source=text("ce_source"),
            subject=text("ce_subject"),
            time=time,
            unit=text("ce_unit"),
        )


def encode(event: Event) -> bytes:
    return event.model_dump_json().encode()


def decode(envelope: Envelope, data: bytes) -> Event:
    """Parse the data of a known event type; unknown types and invalid data are undecodable."""
    model = CATALOG.get(envelope.type)
    if model is None:
        raise UndecodableEvent(f"unknown event type {envelope.type}")
    try:
        return model.model_validate(json.loads(data))
    except (ValidationError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UndecodableEvent(f"{envelope.type} data does not match its schema: {error}") from error
