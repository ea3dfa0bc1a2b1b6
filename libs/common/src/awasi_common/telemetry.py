"""OpenTelemetry set-up for one service: traces and metrics.

Spans and metrics go over OTLP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set and, on the embedded
default, to a JSON-lines file per service under the data directory, which ``awasi trace``
reads. Metrics are exposed in the Prometheus format at each service's ``/metrics``.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from opentelemetry import context as otel_context
from opentelemetry import metrics, propagate
from opentelemetry.context import _SUPPRESS_INSTRUMENTATION_KEY
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult


@contextlib.contextmanager
def untraced() -> Iterator[None]:
    """Background housekeeping (outbox polling, status sampling) that is not worth a trace."""
    token = otel_context.attach(otel_context.set_value(_SUPPRESS_INSTRUMENTATION_KEY, True))
    try:
        yield
    finally:
        otel_context.detach(token)


def current_traceparent() -> str | None:
    """The W3C traceparent of the current span, to store with work done later (a delivery)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def context_of(traceparent: str | None) -> otel_context.Context:
    """A context whose parent is the stored span (an empty one when nothing was stored)."""
    carrier = {"traceparent": traceparent} if traceparent else {}
    return propagate.extract(carrier, context=otel_context.Context())


class JsonLinesSpanExporter(SpanExporter):
    """Appends finished spans to a file, one JSON object a line."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        data = "".join(json.dumps(span_record(span)) + "\n" for span in spans).encode()
        # One append of the whole batch: the worker processes of one service share the file,
        # and Linux does not interleave two appending writes.
        with self._lock:
            descriptor = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(descriptor, data)
            finally:
                os.close(descriptor)
        return SpanExportResult.SUCCESS


def span_record(span: ReadableSpan) -> dict[str, object]:
    context = span.get_span_context()
    parent = span.parent
    return {
        "trace_id": format(context.trace_id, "032x") if context else None,
        "span_id": format(context.span_id, "016x") if context else None,
        "parent_id": format(parent.span_id, "016x") if parent else None,
        "name": span.name,
        "service": span.resource.attributes.get("service.name"),
        "kind": span.kind.name,
        "start": span.start_time,
        "end": span.end_time,
        "status": span.status.status_code.name,
        "error": span.status.description,
        "attributes": {key: _plain(value) for key, value in (span.attributes or {}).items()},
    }


def _plain(value: object) -> object:
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return list(value) if isinstance(value, tuple) else value


class Telemetry:
    """The tracer and meter providers of one service (no globals: tests run several)."""

    def __init__(self, service: str, *, trace_file: Path | None = None) -> None:
        resource = Resource.create({"service.name": f"awasi-{service}", "service.namespace": "awasi"})
        self.tracer_provider = TracerProvider(resource=resource)
        if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            self.tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        if trace_file is not None:
            self.tracer_provider.add_span_processor(
                BatchSpanProcessor(JsonLinesSpanExporter(trace_file), schedule_delay_millis=500)
            )
        self.metric_reader = PrometheusMetricReader()
        readers: list[MetricReader] = [self.metric_reader]
        if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):  # to the collector as well (docker-compose, cluster)
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

            readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))
        self.meter_provider = MeterProvider(resource=resource, metric_readers=readers)
        self.meter = self.meter_provider.get_meter(f"awasi.{service}")
        self.tracer = self.tracer_provider.get_tracer(f"awasi.{service}")

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()


def use_as_global(telemetry: Telemetry) -> None:
    """In a service process (not in tests), make the service's providers the global ones."""
    from opentelemetry import trace

    trace.set_tracer_provider(telemetry.tracer_provider)
    metrics.set_meter_provider(telemetry.meter_provider)
