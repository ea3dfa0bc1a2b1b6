"""The published event catalog, generated from the contracts: an AsyncAPI 3.0 document for
all topics and a JSON Schema per event type and version.

``python -m awasi_common.catalog docs/events`` (``make catalog``) writes them under docs/;
each service also serves the part it publishes at ``/events/asyncapi.json``. A test compares
the committed schemas with the code, so an incompatible change without a new version fails.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from awasi_common.events import CATALOG, Event

CLOUDEVENTS_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "CloudEvents 1.0 attributes in Kafka binary mode, plus W3C trace context.",
    "required": ["ce_specversion", "ce_id", "ce_type", "ce_source", "ce_subject", "ce_time", "ce_unit"],
    "properties": {
        "ce_specversion": {"type": "string", "const": "1.0"},
        "ce_id": {"type": "string", "description": "Unique per event; consumers deduplicate on it."},
        "ce_type": {"type": "string", "description": "awasi.<Name>.v<version>"},
        "ce_source": {"type": "string", "description": "/awasi/<service>"},
        "ce_subject": {"type": "string", "description": "The aggregate id; also the Kafka key."},
        "ce_time": {"type": "string", "format": "date-time"},
        "ce_unit": {"type": "string", "description": "Kemendagri code of the unit concerned, e.g. 35.05."},
        "content-type": {"type": "string", "const": "application/json"},
        "traceparent": {"type": "string", "description": "W3C trace context of the causing request."},
    },
}


def schema_for(event: type[Event]) -> dict[str, Any]:
    """A self-contained JSON Schema (draft 2020-12) for one event type's data."""
    schema = event.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://awasi.bawaslu.go.id/events/{event.ce_type()}.json"
    schema["title"] = event.ce_type()
    schema["x-awasi"] = {
        "topic": event.topic,
        "key": event.key_field,
        "version": event.version,
        "source": event.source,
        "public": event.public,
        "alert": event.alert,
    }
    if event.__doc__:
        schema["description"] = " ".join(event.__doc__.split())
    return schema


def _events(source: str | None, include_internal: bool) -> list[type[Event]]:
    chosen = [e for e in CATALOG.values() if (include_internal or e.public) and (source is None or e.source == source)]
    return sorted(chosen, key=lambda e: e.ce_type())


def asyncapi(*, source: str | None = None, include_internal: bool = False) -> dict[str, Any]:
    """The AsyncAPI 3.0 document for the events of one service (``source``) or of all."""
    events = _events(source, include_internal)
    _, definitions = models_json_schema(
        [(e, "validation") for e in events], ref_template="#/components/schemas/{model}"
    )
    schemas: dict[str, Any] = dict(definitions.get("$defs", {}))
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for event in events:
        message_id = f"{event.name}V{event.version}"
        channel_id = event.topic.replace(".", "_").replace("-", "_")
        channel = channels.setdefault(
            channel_id,
            {"address": event.topic, "description": f"Key: the aggregate id ({event.key_field}).", "messages": {}},
        )
        channel["messages"][message_id] = {"$ref": f"#/components/messages/{message_id}"}
        messages[message_id] = {
            "name": event.ce_type(),
            "title": event.name,
            "summary": " ".join((event.__doc__ or event.name).split()),
            "contentType": "application/json",
            "headers": {"$ref": "#/components/schemas/CloudEventHeaders"},
            "payload": {"$ref": f"#/components/schemas/{event.__name__}"},
            "bindings": {"kafka": {"key": {"type": "string", "description": event.key_field}}},
            "x-awasi": {"public": event.public, "alert": event.alert, "version": event.version},
        }
        operations[f"publish{message_id}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "messages": [{"$ref": f"#/channels/{channel_id}/messages/{message_id}"}],
        }
    schemas["CloudEventHeaders"] = CLOUDEVENTS_HEADERS
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Awasi events" + (f" — {source}" if source else ""),
            "version": "1.0.0",
            "description": (
                "Events of the Awasi platform (Bawaslu) for agencies that subscribe: CloudEvents 1.0 in "
                "Kafka binary mode, one topic per aggregate stream, key = aggregate id, JSON data."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "production": {"host": "kafka.awasi.internal:9092", "protocol": "kafka", "description": "National cluster"},
            "embedded": {"host": "127.0.0.1:19092", "protocol": "kafka", "description": "awasi up on one machine"},
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def write(directory: Path, events: Iterable[type[Event]] | None = None) -> list[Path]:
    """Write the AsyncAPI document and one schema per event type under ``directory``."""
    written = []
    schemas = directory / "schemas"
    internal = directory / "internal"
    schemas.mkdir(parents=True, exist_ok=True)
    internal.mkdir(parents=True, exist_ok=True)
    for event in events if events is not None else CATALOG.values():
        target = (schemas if event.public else internal) / f"{event.ce_type()}.json"
        target.write_text(json.dumps(schema_for(event), indent=2, ensure_ascii=False, sort_keys=True) + "\n")
        written.append(target)
    document = directory / "asyncapi.json"
    document.write_text(json.dumps(asyncapi(), indent=2, ensure_ascii=False) + "\n")
    written.append(document)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/events")):
        print(path)
