"""`awasi trace` reads the local span files: recent traces, and one as a tree across services."""

from __future__ import annotations

from typer.testing import CliRunner

from awasi_cli.main import app
from awasi_cli.testing import eventually
from awasi_cli.traces import group_traces, read_spans

from ..e2e.test_walking_skeleton import UNIT, kegiatan_body


async def test_trace_lists_and_shows_a_request_across_services(
    start_service, tokens, platform_settings, monkeypatch
) -> None:
    planning = await start_service("planning")
    await start_service("notification")
    created = await planning.post("/kegiatan", json=kegiatan_body(), headers=tokens(UNIT))
    assert created.status_code == 201
    trace_dir = platform_settings.data_dir / "traces"

    async def crossing() -> str | None:
        for app_ in start_service.apps.values():
            app_.state.service.telemetry.tracer_provider.force_flush()
        for trace in group_traces(read_spans(trace_dir)):
            # The request's own trace: an account event both services read also crosses them.
            requested = any(span.name.startswith("POST /kegiatan") for span in trace.spans)
            if requested and {"awasi-planning", "awasi-notification"} <= set(trace.services):
                return trace.trace_id
        return None

    trace_id = await eventually(crossing, timeout=30)
    monkeypatch.setenv("AWASI_DATA_DIR", str(platform_settings.data_dir))
    runner = CliRunner()
    # The relay and the monitor keep tracing meanwhile: on a busy machine more than the default 20
    # traces can come after this one before the listing runs.
    listing = runner.invoke(app, ["trace", "--service", "planning", "--limit", "500"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0, listing.output
    assert trace_id[:16] in listing.output

    tree = runner.invoke(app, ["trace", trace_id[:12]], env={"COLUMNS": "200"})
    assert tree.exit_code == 0, tree.output
    assert "awasi-planning" in tree.output and "awasi-notification" in tree.output
    assert "POST /kegiatan" in tree.output and " ms" in tree.output

    missing = runner.invoke(app, ["trace", "ffffffffffff"])
    assert missing.exit_code == 1 and "tidak ditemukan" in missing.output
