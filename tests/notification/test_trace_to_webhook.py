"""One trace follows a laporan from its HTTP submit in reporting, through Kafka, into
notification's handling and to the webhook an agency received."""

from __future__ import annotations

import json
from typing import Any

from awasi_cli.testing import eventually

from ..e2e.test_walking_skeleton import laporan_body
from .test_webhooks import register


def spans_of(apps: dict[str, Any], data_dir: Any) -> list[dict[str, Any]]:
    for app in apps.values():
        app.state.service.telemetry.tracer_provider.force_flush()
    found = []
    for file in (data_dir / "traces").glob("*.jsonl"):
        found += [json.loads(line) for line in file.read_text().splitlines() if line]
    return found


async def test_laporan_trace_reaches_the_agency_webhook(
    notification_service, start_service, receiver, tokens, platform_settings
) -> None:
    n = await notification_service()
    reporting = await start_service("reporting")
    await register(n.client, tokens, receiver.url, jenis_event=["awasi.LaporanSubmitted.v1"])

    submitted = await reporting.post("/laporan", json=laporan_body())
    assert submitted.status_code == 201, submitted.text
    laporan_id = submitted.json()["laporan_id"]

    async def delivered() -> Any:
        return [r for r in receiver.received if r.json().get("data", {}).get("laporan_id") == laporan_id]

    webhook = (await eventually(delivered, timeout=30))[0]
    trace_id = webhook.headers["traceparent"].split("-")[1]

    async def whole_trace() -> list[dict[str, Any]] | None:
        trace = [s for s in spans_of(start_service.apps, platform_settings.data_dir) if s["trace_id"] == trace_id]
        names = {(s["service"], s["kind"], s["name"]) for s in trace}
        wanted = (
            any(svc == "awasi-reporting" and kind == "SERVER" for svc, kind, _ in names)
            and any(svc == "awasi-reporting" and kind == "PRODUCER" for svc, kind, _ in names)
            and any(svc == "awasi-notification" and kind == "CONSUMER" for svc, kind, _ in names)
            and ("awasi-notification", "CLIENT", "deliver webhook") in names
        )
        return trace if wanted else None

    trace = await eventually(whole_trace, timeout=20)
    server = next(s for s in trace if s["service"] == "awasi-reporting" and s["kind"] == "SERVER")
    assert server["attributes"].get("http.route") == "/laporan"
    deliver = next(s for s in trace if s["name"] == "deliver webhook")
    assert deliver["attributes"]["http.response.status_code"] == 200

    # The delivery worker's and scheduler's polling (every second) make no traces of their own:
    # an operator's `awasi trace` lists requests and events, not lone SELECTs.
    lone = [
        s
        for s in spans_of(start_service.apps, platform_settings.data_dir)
        if s["service"] == "awasi-notification" and s["parent_id"] is None and s["kind"] == "CLIENT"
    ]
    assert lone == [], sorted({str(s["attributes"].get("db.statement", s["name"]))[:90] for s in lone})
