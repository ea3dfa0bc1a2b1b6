"""The walking skeleton through the real broker and the real database: a kegiatan posted to
planning becomes reminders in notification; a laporan posted to reporting becomes a receipt;
one trace spans the request, the publish and the handling in the other service."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from awasi_cli.testing import eventually

UNIT = "35.05"


def kegiatan_body(**overrides: Any) -> dict[str, Any]:
    start = dt.date.today() + dt.timedelta(days=10)
    body: dict[str, Any] = {
        "unit": UNIT,
        "divisi": "P2H",
        "judul": "Sosialisasi Pengawasan Partisipatif",
        "jenis": "sosialisasi",
        "jadwal": {"mulai": start.isoformat(), "selesai": start.isoformat()},
        "program": "forum_warga",
        "target_peserta": {"jumlah": 50},
    }
    body.update(overrides)
    return body


def laporan_body() -> dict[str, Any]:
    today = dt.date.today()
    return {
        "unit": UNIT,
        "pelapor": {"nama": "Siti Pelapor", "email": "siti@example.org"},
        "terlapor": "Calon fiktif",
        "peristiwa": {
            "apa": "Politik uang",
            "tempat": "Desa Contoh",
            "waktu_kejadian": (today - dt.timedelta(days=1)).isoformat(),
            "waktu_diketahui": today.isoformat(),
        },
        "uraian": "Pembagian uang kepada warga disertai ajakan memilih.",
    }


def spans(data_dir: Path) -> list[dict[str, Any]]:
    found = []
    for file in (data_dir / "traces").glob("*.jsonl"):
        found += [json.loads(line) for line in file.read_text().splitlines() if line]
    return found


async def test_kegiatan_reaches_notification_and_participation(start_service, tokens, platform_settings) -> None:
    planning = await start_service("planning")
    notification = await start_service("notification")
    participation = await start_service("participation")
    auth = tokens(UNIT)

    created = await planning.post("/kegiatan", json=kegiatan_body(), headers=auth)
    assert created.status_code == 201, created.text
    kegiatan = created.json()
    assert kegiatan["status"] == "scheduled"

    async def reminders() -> list[dict[str, Any]]:
        response = await notification.get("/pengingat", params={"kegiatan_id": kegiatan["id"]}, headers=auth)
        return response.json()

    found = await eventually(reminders)
    start = dt.date.fromisoformat(kegiatan["jadwal"]["mulai"])
    assert {(r["kind"], r["due_on"]) for r in found} == {
        ("H-3", (start - dt.timedelta(days=3)).isoformat()),
        ("H-1", (start - dt.timedelta(days=1)).isoformat()),
        ("realisasi", (start + dt.timedelta(days=1)).isoformat()),
    }

    async def program_rows() -> list[dict[str, Any]]:
        rows = (await participation.get("/program-kegiatan", headers=auth)).json()
        return [row for row in rows if row["kegiatan_id"] == kegiatan["id"]]

    rows = await eventually(program_rows)
    assert rows[0]["program"] == "forum_warga"

    # One trace: planning's HTTP span → publish → notification's handling.
    for app in start_service.apps.values():
        app.state.service.telemetry.tracer_provider.force_flush()

    async def joined_trace() -> list[dict[str, Any]] | None:
        for app in start_service.apps.values():
            app.state.service.telemetry.tracer_provider.force_flush()
        all_spans = spans(platform_settings.data_dir)
        http = [
            s
            for s in all_spans
            if s["service"] == "awasi-planning"
            and s["kind"] == "SERVER"
            and s["attributes"].get("http.route") == "/kegiatan"
        ]
        for root in http:
            trace = [s for s in all_spans if s["trace_id"] == root["trace_id"]]
            services = {s["service"] for s in trace}
            kinds = {(s["service"], s["kind"]) for s in trace}
            if (
                {"awasi-planning", "awasi-notification", "awasi-participation"} <= services
                and ("awasi-planning", "PRODUCER") in kinds
                and ("awasi-notification", "CONSUMER") in kinds
            ):
                return trace
        return None

    trace = await eventually(joined_trace, timeout=15)
    assert len({s["trace_id"] for s in trace}) == 1


async def test_laporan_gives_reporter_a_receipt(start_service, tokens) -> None:
    reporting = await start_service("reporting")
    notification = await start_service("notification")

    submitted = await reporting.post("/laporan", json=laporan_body())
    assert submitted.status_code == 201, submitted.text
    receipt = submitted.json()
    assert receipt["kode_pelacakan"].startswith("LP-") and receipt["kode_rahasia"]

    async def receipts() -> list[dict[str, Any]]:
        response = await notification.get(
            "/tanda-terima", params={"kode_pelacakan": receipt["kode_pelacakan"]}, headers=tokens(UNIT)
        )
        return response.json()

    found = await eventually(receipts)
    assert found[0]["laporan_id"] == receipt["laporan_id"]
    assert found[0]["kanal"] == "web"
