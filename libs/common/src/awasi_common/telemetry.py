"""OpenTelemetry set-up for one service: traces and metrics.

Spans and metrics go over OTLP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set and, on the embedded
default, to a JSON-lines file per service under the data directory, which ``awasi trace``
reads. Metrics are exposed in the Prometheus format at each service's ``/metrics``.

No credential leaves a process in telemetry: every span passes :func:`redact` on its way to
any exporter (URLs' secret query parameters, bearer tokens, JWTs, webhook secrets, the
Authorization and Cookie headers), and so does every log record (:func:`redact_logs`).
Span files are created readable by their owner only.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import metrics, propagate, trace
from opentelemetry.context import _SUPPRESS_INSTRUMENTATION_KEY
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event as SpanEvent
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult, TraceIdRatioBased
from opentelemetry.trace import Link, SpanContext, SpanKind, Status, StatusCode, TraceFlags
from opentelemetry.util.types import Attributes
from starlette.types import ASGIApp, Receive, Scope, Send


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


def sql_spans_wanted() -> bool:
    """A span per SQL statement only when ``AWASI_TRACE_SQL`` is 1/true (investigating a slow
    query): they were two thirds of a request's spans and a fifth of reporting's CPU (issue 17).
    A request's SERVER span, its publish and its handlings stay traced either way."""
    return os.environ.get("AWASI_TRACE_SQL", "").strip().lower() in ("1", "true", "yes")


# --- Sampling: a share of the requests, and any request on demand ---------------------------------

TRACE_HEADER = b"x-awasi-trace"
"""A request carrying ``X-Awasi-Trace: 1`` is traced whatever the ratio (an operator following a
request, ``awasi trace``); so is one whose ``traceparent`` says its caller traces it."""

_TRACE_REQUESTED: contextvars.ContextVar[bool] = contextvars.ContextVar("awasi_trace_requested", default=False)


def trace_ratio() -> float:
    """``AWASI_TRACE_RATIO``: the share of requests traced without asking (1 by default: every
    one; 0.01 on election day keeps a trace of every kind of request at a fraction of the cost)."""
    try:
        return min(1.0, max(0.0, float(os.environ.get("AWASI_TRACE_RATIO", "1"))))
    except ValueError:
        return 1.0


class OnDemandSampler(Sampler):
    """Which traces are kept, decided where a trace starts and followed by every span after it
    (the relay's publish, each consumer's handling, in every service, through ``traceparent``):

    - a span with a parent does what its parent did (a caller's sampled ``traceparent`` included);
    - a request that asks for it (``X-Awasi-Trace: 1``) is traced;
    - otherwise ``ratio`` of the traces, by trace id;
    - a request not chosen is still recorded as its SERVER span alone (no children, not exported),
      so that :class:`ErrorsToo` can export it if it fails: every error leaves a span."""

    def __init__(self, ratio: float) -> None:
        self._ratio = TraceIdRatioBased(ratio)
        self._all = ratio >= 1.0

    def should_sample(
        self,
        parent_context: otel_context.Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: Any = None,
    ) -> SamplingResult:
        parent = trace.get_current_span(parent_context).get_span_context()
        asked = kind is SpanKind.SERVER and _TRACE_REQUESTED.get()
        if parent.is_valid and not asked:
            if parent.trace_flags.sampled:
                return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, parent.trace_state)
            return SamplingResult(Decision.DROP, None, parent.trace_state)
        if asked or self._all or self._ratio.should_sample(parent_context, trace_id, name).decision.is_sampled():
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes)
        if kind is SpanKind.SERVER:
            return SamplingResult(Decision.RECORD_ONLY, attributes)
        return SamplingResult(Decision.DROP)

    def get_description(self) -> str:
        return f"OnDemandSampler({self._ratio.rate})"


class HttpTracing:
    """ASGI wrapper that decides, before anything else runs, whether a request is traced.

    A traced request (one that asks with ``X-Awasi-Trace: 1``, whose ``traceparent`` says its
    caller traces it, or one of ``ratio`` drawn at random) goes through ``traced``: the stack with
    OpenTelemetry's middleware, its SERVER span and everything under it. Any other request goes
    through ``plain``, the same stack without that middleware (~0.2 ms of CPU a request, sampled or
    not, issue 17), under an unsampled span context, so the events it writes carry a
    ``traceparent`` that tells every later span in every service not to record. If it fails (an
    exception or a 5xx answer) a SERVER span is made for it afterwards and exported: every error
    leaves a span. Every request is counted in ``http.server.request.duration`` (seconds, by
    method, route and status)."""

    def __init__(self, traced: ASGIApp, plain: ASGIApp, telemetry: Telemetry, ratio: float) -> None:
        self.app = traced
        self._plain = plain
        self._tracer = telemetry.tracer
        self._ratio = ratio
        self._duration = telemetry.meter.create_histogram(
            "http.server.request.duration", unit="s", description="Duration of HTTP server requests"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            asked, parent = _trace_wish(scope["headers"])
            if asked or (parent is not None and parent.trace_flags.sampled) or random.random() < self._ratio:
                token = _TRACE_REQUESTED.set(True)  # chosen here: the sampler keeps its SERVER span
                try:
                    await self.app(scope, receive, send_status)
                finally:
                    _TRACE_REQUESTED.reset(token)
                return
            await self._untraced(scope, receive, send_status, parent, started)
        finally:
            route = scope.get("route")
            self._duration.record(
                time.perf_counter() - started,
                {
                    "http.request.method": scope["method"],
                    "http.route": getattr(route, "path", "") or "",
                    "http.response.status_code": status,
                },
            )

    async def _untraced(
        self, scope: Scope, receive: Receive, send: Send, parent: SpanContext | None, started: float
    ) -> None:
        trace_id = parent.trace_id if parent is not None else random.getrandbits(128) or 1
        unsampled = trace.NonRecordingSpan(
            SpanContext(trace_id, random.getrandbits(64) or 1, is_remote=False, trace_flags=TraceFlags(0))
        )
        token = otel_context.attach(trace.set_span_in_context(unsampled, otel_context.Context()))
        failure: BaseException | None = None
        status_seen: list[int] = []

        async def watch(message: Any) -> None:
            if message["type"] == "http.response.start":
                status_seen.append(message["status"])
            await send(message)

        try:
            await self._plain(scope, receive, watch)
        except Exception as error:
            failure = error
            raise
        finally:
            otel_context.detach(token)
            if failure is not None or (status_seen and status_seen[0] >= 500):
                self._error_span(scope, started, status_seen[0] if status_seen else 500, failure)

    def _error_span(self, scope: Scope, started: float, status: int, failure: BaseException | None) -> None:
        route = scope.get("route")
        path = getattr(route, "path", None) or scope.get("path", "")
        start_ns = time.time_ns() - int((time.perf_counter() - started) * 1e9)
        token = _TRACE_REQUESTED.set(True)
        try:
            span = self._tracer.start_span(
                f"{scope['method']} {path}",
                context=otel_context.Context(),
                kind=SpanKind.SERVER,
                start_time=start_ns,
                attributes={
                    "http.request.method": scope["method"],
                    "http.route": path,
                    "url.path": scope.get("path", ""),
                    "http.response.status_code": status,
                },
            )
        finally:
            _TRACE_REQUESTED.reset(token)
        if failure is not None:
            span.record_exception(failure)
        span.set_status(Status(StatusCode.ERROR, f"{type(failure).__name__}: {failure}" if failure else None))
        span.end()


def _trace_wish(headers: Sequence[tuple[bytes, bytes]]) -> tuple[bool, SpanContext | None]:
    """(asked with X-Awasi-Trace, the caller's span context from ``traceparent``)."""
    asked = False
    carrier: dict[str, str] = {}
    for name, value in headers:
        if name == TRACE_HEADER:
            asked = value.strip().lower() in (b"1", b"true", b"ya")
        elif name in (b"traceparent", b"tracestate"):
            carrier[name.decode()] = value.decode("latin-1")
    if "traceparent" not in carrier:
        return asked, None
    found = trace.get_current_span(propagate.extract(carrier, context=otel_context.Context())).get_span_context()
    return asked, found if found.is_valid else None


class ErrorsToo(SpanProcessor):
    """Passes sampled spans on to ``inner``, and also the recorded-only ones that ended in an
    error (a request the ratio did not choose that failed: its SERVER span, with the error)."""

    def __init__(self, inner: SpanProcessor) -> None:
        self._inner = inner

    def on_start(self, span: Span, parent_context: otel_context.Context | None = None) -> None:
        self._inner.on_start(span, parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        context = span.get_span_context()
        if context is None or context.trace_flags.sampled:
            self._inner.on_end(span)
        elif span.status.status_code is StatusCode.ERROR:
            self._inner.on_end(_as_sampled(span, context))

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return self._inner.force_flush(timeout_millis)


def _as_sampled(span: ReadableSpan, context: SpanContext) -> ReadableSpan:
    sampled = SpanContext(
        context.trace_id, context.span_id, context.is_remote, TraceFlags(TraceFlags.SAMPLED), context.trace_state
    )
    return ReadableSpan(
        name=span.name,
        context=sampled,
        parent=span.parent,
        resource=span.resource,
        attributes=span.attributes,
        events=span.events,
        links=span.links,
        kind=span.kind,
        status=span.status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


REDACTED = "[disamarkan]"

SECRET_PARAMETERS = frozenset(
    {
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "feed_token",
        "code",
        "client_secret",
        "secret",
        "rahasia",
        "kode_rahasia",
        "password",
        "kata_sandi",
        "sandi",
        "api_key",
        "apikey",
        "key",
        "signature",
        "sig",
    }
)
"""Query or form parameters whose value is a credential, wherever they appear in a URL."""

_SECRET_HEADER_ATTRIBUTE = re.compile(r"\.(authorization|cookie|set_cookie|x_api_key|webhook_signature)$")
_NAMES = "|".join(sorted(SECRET_PARAMETERS))
_PARAMETER = re.compile(rf"((?:^|[?&;])(?:{_NAMES})=)[^&#\s\"']*", re.IGNORECASE)
_BEARER = re.compile(r"\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_WEBHOOK_SECRET = re.compile(r"\bwhsec_[A-Za-z0-9+/=]+")


def redact(text: str) -> str:
    """``text`` with every credential it carries replaced (idempotent, cheap on clean text)."""
    if "=" in text:
        text = _PARAMETER.sub(lambda m: m.group(1) + REDACTED, text)
    if "eyJ" in text:
        text = _JWT.sub(REDACTED, text)
    if "whsec_" in text:
        text = _WEBHOOK_SECRET.sub(REDACTED, text)
    if " " in text:
        text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    return text


def _redact_value(key: str, value: Any) -> Any:
    if _SECRET_HEADER_ATTRIBUTE.search(key):
        return REDACTED
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, tuple | list):
        return type(value)(redact(item) if isinstance(item, str) else item for item in value)
    return value


def _redact_attributes(attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    return {key: _redact_value(key, value) for key, value in (attributes or {}).items()}


def redacted_span(span: ReadableSpan) -> ReadableSpan:
    """A copy of ``span`` whose name, attributes, events and status say no credential."""
    status = span.status
    if status.description:
        status = type(status)(status.status_code, redact(status.description))
    return ReadableSpan(
        name=redact(span.name),
        context=span.get_span_context(),
        parent=span.parent,
        resource=span.resource,
        attributes=_redact_attributes(span.attributes),
        events=[SpanEvent(event.name, _redact_attributes(event.attributes), event.timestamp) for event in span.events],
        links=span.links,
        kind=span.kind,
        status=status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class RedactingSpanExporter(SpanExporter):
    """Passes spans on to ``inner`` with their credentials redacted."""

    def __init__(self, inner: SpanExporter) -> None:
        self._inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._inner.export([redacted_span(span) for span in spans])

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return self._inner.force_flush(timeout_millis)


def redact_logs() -> None:
    """Every log record of the process, whichever logger made it (uvicorn's and libraries'
    too), has its message redacted before any handler formats it."""
    make = logging.getLogRecordFactory()
    if getattr(make, "awasi_redacting", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return record
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return record

    factory.awasi_redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class JsonLinesSpanExporter(SpanExporter):
    """Appends finished spans to a file, one JSON object a line."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._path = path
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        data = "".join(json.dumps(span_record(span)) + "\n" for span in spans).encode()
        # One append of the whole batch: the worker processes of one service share the file,
        # and Linux does not interleave two appending writes.
        with self._lock:
            descriptor = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
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
        self.tracer_provider = TracerProvider(resource=resource, sampler=OnDemandSampler(trace_ratio()))
        if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            self.tracer_provider.add_span_processor(
                ErrorsToo(BatchSpanProcessor(RedactingSpanExporter(OTLPSpanExporter())))
            )
        if trace_file is not None:
            self.tracer_provider.add_span_processor(
                ErrorsToo(
                    BatchSpanProcessor(
                        RedactingSpanExporter(JsonLinesSpanExporter(trace_file)), schedule_delay_millis=500
                    )
                )
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
