"""The published event catalog. Importing this package registers every contract."""

from awasi_common.events import identity, notification, participation, planning, reporting
from awasi_common.events.base import CATALOG, Event, dead_letter_topic, topics
from awasi_common.events.envelope import Envelope, UndecodableEvent, decode, encode

__all__ = [
    "CATALOG",
    "Envelope",
    "Event",
    "UndecodableEvent",
    "dead_letter_topic",
    "decode",
    "encode",
    "identity",
    "notification",
    "participation",
    "planning",
    "reporting",
    "topics",
]
