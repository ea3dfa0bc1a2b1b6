"""Reading the local span files (``<data dir>/traces/*.jsonl``) that services write on the
embedded default, so an operator sees where time went without a tracing server."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Span:
    trace_id: str
    span_id: str
    parent_id: str | None
    name: str
    service: str
    kind: str
    start: int
    end: int
    status: str
    error: str | None
    attributes: dict[str, Any]
    children: list[Span] = field(default_factory=list)

    @property
    def duration_ms(self) -> float:
        return (self.end - self.start) / 1e6

    @property
    def failed(self) -> bool:
        return self.status == "ERROR"


@dataclass
class Trace:
    trace_id: str
    spans: list[Span]

    @property
    def roots(self) -> list[Span]:
        ids = {span.span_id for span in self.spans}
        return sorted((s for s in self.spans if s.parent_id not in ids), key=lambda s: s.start)

    @property
    def start(self) -> int:
        return min(span.start for span in self.spans)

    @property
    def duration_ms(self) -> float:
        return (max(span.end for span in self.spans) - self.start) / 1e6

    @property
    def services(self) -> list[str]:
        return sorted({span.service for span in self.spans})

    @property
    def errors(self) -> int:
        return sum(span.failed for span in self.spans)

    def tree(self) -> list[Span]:
        """The spans as a forest: each span with its children, in start order."""
        by_id = {span.span_id: span for span in self.spans}
        for span in self.spans:
            span.children = []
        for span in sorted(self.spans, key=lambda s: s.start):
            parent = by_id.get(span.parent_id or "")
            if parent is not None:
                parent.children.append(span)
        return self.roots


def read_spans(trace_dir: Path) -> Iterator[Span]:
    for file in sorted(trace_dir.glob("*.jsonl*")):
        with file.open(encoding="utf-8") as lines:
            for line in lines:
                try:
                    record = json.loads(line)
                    yield Span(**{k: record.get(k) for k in Span.__dataclass_fields__ if k != "children"})
                except (json.JSONDecodeError, TypeError):
                    continue  # a line cut short by a crash


def group_traces(spans: Iterable[Span]) -> list[Trace]:
    grouped: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        grouped[span.trace_id].append(span)
    traces = [Trace(trace_id, members) for trace_id, members in grouped.items()]
    return sorted(traces, key=lambda t: t.start, reverse=True)


def find_trace(traces: list[Trace], prefix: str) -> Trace | None:
    matches = [t for t in traces if t.trace_id.startswith(prefix)]
    return matches[0] if len(matches) == 1 else None
