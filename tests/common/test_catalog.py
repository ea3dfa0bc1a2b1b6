"""The event catalog agencies rely on: generated from the code, and guarded against
incompatible changes that do not come with a new version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from awasi_common.catalog import asyncapi, schema_for
from awasi_common.events import CATALOG

DOCS = Path(__file__).resolve().parents[2] / "docs" / "events"


def committed_schemas() -> dict[str, dict[str, Any]]:
    found = {}
    for folder in ("schemas", "internal"):
        for file in sorted((DOCS / folder).glob("*.json")):
            found[file.stem] = json.loads(file.read_text())
    return found


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = root["$defs"][name]
    return schema


def _signature(schema: dict[str, Any], root: dict[str, Any]) -> str:
    """The values a field may carry, as '|'-joined options: a reader written for the old
    schema copes with the new one only if every new option was an old one."""
    schema = _resolve(schema, root)
    if "anyOf" in schema:
        return "|".join(sorted({o for option in schema["anyOf"] for o in _signature(option, root).split("|")}))
    if "enum" in schema:
        return "|".join(sorted(f"enum:{value}" for value in schema["enum"]))
    kind = schema.get("type", "any")
    if kind == "array" and "items" in schema:
        return f"array<{_signature(schema['items'], root)}>"
    return f"{kind}:{schema['format']}" if "format" in schema else str(kind)


Fields = dict[str, tuple[str, bool]]


def flatten(schema: dict[str, Any], root: dict[str, Any] | None = None, prefix: str = "") -> Fields:
    """Every property path with its type signature and whether it is required."""
    root = root or schema
    schema = _resolve(schema, root)
    fields: dict[str, tuple[str, bool]] = {}
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        fields[path] = (_signature(prop, root), name in required)
        target = _resolve(prop, root)
        options = [_resolve(o, root) for o in target.get("anyOf", [target])]
        for option in options:
            if option.get("type") == "object" and "properties" in option:
                fields.update(flatten(option, root, f"{path}."))
            if option.get("type") == "array" and "items" in option:
                items = _resolve(option["items"], root)
                if "properties" in items:
                    fields.update(flatten(items, root, f"{path}[]."))
    return fields


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    before, after = flatten(old), flatten(new)
    problems = []
    for path, (signature, _) in before.items():
        if path not in after:
            problems.append(f"{path} removed")
        elif not set(after[path][0].split("|")) <= set(signature.split("|")):
            problems.append(f"{path} changed type {signature} -> {after[path][0]}")
    for path, (_, required) in after.items():
        parent_known = "." not in path or path.rsplit(".", 1)[0].rstrip("[]") in before
        if required and (path not in before or not before[path][1]) and parent_known:
            problems.append(f"{path} is newly required")
    return problems


@pytest.mark.parametrize("ce_type", sorted(committed_schemas()))
def test_published_schema_stays_compatible(ce_type: str) -> None:
    old = committed_schemas()[ce_type]
    event = CATALOG.get(ce_type)
    assert event is not None, (
        f"{ce_type} was published and disappeared: keep it flowing until it is retired (docs/agency-guide.md)"
    )
    problems = breaking_changes(old, schema_for(event))
    assert not problems, f"{ce_type} changed incompatibly ({'; '.join(problems)}): publish it as a new version"


def test_every_event_is_in_the_committed_catalog() -> None:
    missing = sorted(set(CATALOG) - set(committed_schemas()))
    assert not missing, f"not in docs/events yet (run `make catalog`): {missing}"
    generated = asyncapi()
    committed = json.loads((DOCS / "asyncapi.json").read_text())
    assert committed == json.loads(json.dumps(generated)), "docs/events/asyncapi.json is stale: run `make catalog`"


def test_compatibility_rules_catch_breaking_changes() -> None:
    old = {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}
    assert breaking_changes(old, old) == []
    added_optional = {**old, "properties": {**old["properties"], "c": {"type": "string"}}}
    assert breaking_changes(old, added_optional) == []
    assert breaking_changes(old, {**old, "properties": {"a": {"type": "string"}}}) == ["b removed"]
    retyped = {**old, "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}
    assert breaking_changes(old, retyped) == ["a changed type string -> integer"]
    newly_required = {**added_optional, "required": ["a", "c"]}
    assert breaking_changes(old, newly_required) == ["c is newly required"]
    # Readers of the old schema would meet a null, a number in a list of strings, a new enum value.
    nullable = {**old, "properties": {**old["properties"], "a": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}
    assert breaking_changes(old, nullable) == ["a changed type string -> null|string"]
    listed = {"type": "object", "properties": {"x": {"type": "array", "items": {"type": "string"}}}}
    relisted = {"type": "object", "properties": {"x": {"type": "array", "items": {"type": "integer"}}}}
    assert breaking_changes(listed, relisted) == ["x changed type array<string> -> array<integer>"]
    kinds = {"type": "object", "properties": {"k": {"enum": ["a", "b"]}}}
    assert breaking_changes(kinds, {"type": "object", "properties": {"k": {"enum": ["a"]}}}) == []
    assert breaking_changes(kinds, {"type": "object", "properties": {"k": {"enum": ["a", "b", "c"]}}}) == [
        "k changed type enum:a|enum:b -> enum:a|enum:b|enum:c"
    ]
    # Narrowing is safe: a field that could be null no longer is.
    assert breaking_changes(nullable, old) == []


def test_asyncapi_describes_every_public_topic() -> None:
    document = asyncapi()
    assert document["asyncapi"] == "3.0.0"
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert {e.topic for e in CATALOG.values() if e.public} == addresses
    names = {m["name"] for m in document["components"]["messages"].values()}
    assert "awasi.PelaporNoticeRequested.v1" not in names  # internal: carries personal data
    assert "awasi.KegiatanScheduled.v1" in names
