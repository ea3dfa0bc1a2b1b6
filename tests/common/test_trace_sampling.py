"""Trace sampling (issue 17): a share of the requests, every request that asks for it, every
error; a trace's later spans follow its start, across services."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, Status, StatusCode

from awasi_common.http import HealthzFirst, install_health, wrap_stack
from awasi_common.telemetry import ErrorsToo, HttpTracing, OnDemandSampler, Telemetry, current_traceparent


def provider(ratio: float) -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider(sampler=OnDemandSampler(ratio))
    tracer_provider.add_span_processor(ErrorsToo(SimpleSpanProcessor(exporter)))
    return tracer_provider, exporter


def test_unchosen_requests_leave_nothing_unless_they_fail() -> None:
    tracer_provider, exporter = provider(0.0)
    tracer = tracer_provider.get_tracer("test")
    with tracer.start_as_current_span("POST /form-a", kind=SpanKind.SERVER) as request:
        assert request.is_recording() and not request.get_span_context().trace_flags.sampled
        with tracer.start_as_current_span("INSERT") as child:
            assert not child.is_recording()  # the children of an unchosen request cost nothing
        traceparent = current_traceparent() or ""
        assert not int(traceparent.rsplit("-", 1)[1], 16) & 1  # the events it causes say "not sampled"
    with tracer.start_as_current_span("POST /laporan", kind=SpanKind.SERVER) as failing:
        failing.set_status(Status(StatusCode.ERROR, "boom"))
    with tracer.start_as_current_span("poll", kind=SpanKind.CLIENT) as lone:
        assert not lone.is_recording()
    exported = exporter.get_finished_spans()
    assert [span.name for span in exported] == ["POST /laporan"]
    assert exported[0].get_span_context().trace_flags.sampled


def test_a_sampled_parent_is_followed_and_every_trace_kept_at_ratio_one() -> None:
    tracer_provider, exporter = provider(1.0)
    tracer = tracer_provider.get_tracer("test")
    with (
        tracer.start_as_current_span("POST /form-a", kind=SpanKind.SERVER),
        tracer.start_as_current_span("publish", kind=SpanKind.PRODUCER),
    ):
        pass
    assert [span.name for span in exporter.get_finished_spans()] == ["publish", "POST /form-a"]


async def test_a_request_asking_for_a_trace_gets_one_others_none_and_every_error_a_span() -> None:
    tracer_provider, exporter = provider(0.0)
    telemetry = Telemetry("test")
    telemetry.tracer_provider = tracer_provider
    telemetry.tracer = tracer_provider.get_tracer("test")
    app = FastAPI()
    install_health(app, {})
    seen: list[str | None] = []

    @app.get("/apa")
    async def apa() -> dict[str, str]:
        seen.append(current_traceparent())
        return {"ok": "ya"}

    @app.get("/rusak")
    async def rusak() -> dict[str, str]:
        raise RuntimeError("rusak")

    plain = app.build_middleware_stack
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, exclude_spans=["receive", "send"])
    wrap_stack(app, HealthzFirst, lambda traced: HttpTracing(traced, plain(), telemetry, 0.0))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/apa")).status_code == 200
        assert exporter.get_finished_spans() == ()
        # Not traced, yet what it writes says so: later spans (publish, handling) do not record.
        flags = int((seen[-1] or "").rsplit("-", 1)[1], 16)
        assert seen[-1] and not flags & 1
        assert (await client.get("/apa", headers={"X-Awasi-Trace": "1"})).status_code == 200
        assert [span.name for span in exporter.get_finished_spans()] == ["GET /apa"]
        assert int((seen[-1] or "").rsplit("-", 1)[1], 16) & 1  # this one's events are traced on
        health = await client.get("/healthz", headers={"X-Awasi-Trace": "1"})
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        assert len(exporter.get_finished_spans()) == 1  # answered before the instrumentation
        traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        assert (await client.get("/apa", headers={"traceparent": traceparent})).status_code == 200
        last = exporter.get_finished_spans()[-1]
        assert format(last.get_span_context().trace_id, "032x") == "0af7651916cd43dd8448eb211c80319c"
        assert (await client.get("/rusak")).status_code == 500
        error = exporter.get_finished_spans()[-1]
        assert error.name == "GET /rusak" and error.kind is SpanKind.SERVER
        assert error.status.status_code is StatusCode.ERROR and "rusak" in (error.status.description or "")
