"""With OTEL_EXPORTER_OTLP_ENDPOINT set, spans and metrics leave over OTLP/HTTP: a receiver in the
test process takes them as a collector would and decodes the protobuf bodies."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from awasi_common.telemetry import Telemetry

Received = dict[str, list[bytes]]


@pytest.fixture
def collector() -> Iterator[tuple[str, Received]]:
    received: Received = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.setdefault(self.path, []).append(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def test_spans_and_metrics_go_to_the_collector(collector, monkeypatch) -> None:
    endpoint, received = collector
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
    telemetry = Telemetry("ujiotlp")
    with telemetry.tracer.start_as_current_span("laporan diterima"):
        telemetry.meter.create_counter("awasi.uji.laporan").add(3, {"unit": "35.05"})
    telemetry.tracer_provider.force_flush()
    telemetry.meter_provider.force_flush()
    telemetry.shutdown()

    traces = ExportTraceServiceRequest.FromString(received["/v1/traces"][0])
    spans = [span for rs in traces.resource_spans for ss in rs.scope_spans for span in ss.spans]
    assert [span.name for span in spans] == ["laporan diterima"]
    service = {a.key: a.value.string_value for a in traces.resource_spans[0].resource.attributes}["service.name"]
    assert service == "awasi-ujiotlp"

    points = [
        (metric.name, point.as_int)
        for body in received["/v1/metrics"]
        for rm in ExportMetricsServiceRequest.FromString(body).resource_metrics
        for sm in rm.scope_metrics
        for metric in sm.metrics
        for point in metric.sum.data_points
    ]
    assert ("awasi.uji.laporan", 3) in points
