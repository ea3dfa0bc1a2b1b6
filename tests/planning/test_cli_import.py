"""``awasi import``: the dry run (no service needed) prints what the endpoint would answer, field for
field; the import uploads to a planning service over HTTP and shows its streamed progress."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from awasi_cli.main import app
from awasi_cli.testing import eventually, free_port

DOCUMENTS = Path(__file__).resolve().parents[2].parent / "shared" / "documents"
PROVINCE_TABLE = DOCUMENTS / "000_a9af13b0eaf7620d.txt"
KABUPATEN_PLAN = DOCUMENTS / "001_ca2d3250fc9f7651.part1.txt"
NEWS = DOCUMENTS / "002_e064850260b89908.txt"

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, ["import", *args], env={"COLUMNS": "200", **(env or {})})


def test_dry_run_text_reports_what_it_would_create_and_what_it_leaves() -> None:
    result = run(str(KABUPATEN_PLAN), "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Unit 35.05 Bawaslu Kabupaten Blitar; tahun 2023" in out
    assert "Rakor dengan Panwascam tentang Pungut Hitung, Rekap dan Antisipasi sengketa Antar Peserta" in out
    assert "baris 5 — kop surat, tidak diimpor: Jl Ahmad Yani No. 42 Blitar Kode Pos 66137" in out
    assert "24 kegiatan; 24 terjadwal, 0 draft; 4 catatan." in out
    assert "Uji coba: tidak ada yang disimpan." in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ((str(NEWS), "--dry-run"), 1, "tidak tampak sebagai rencana kegiatan"),
        ((str(KABUPATEN_PLAN), "--dry-run", "--unit", "99.99"), 2, "Kode unit tidak sah"),
        ((str(KABUPATEN_PLAN), "--dry-run", "--divisi", "Keuangan"), 2, "Divisi 'Keuangan' tidak dikenal"),
        ((str(DOCUMENTS / "tidak-ada.txt"), "--dry-run"), 2, "does not exist"),
        ((str(PROVINCE_TABLE), "--url", "http://127.0.0.1:9"), 1, "tidak menjawab"),
    ],
)
def test_cli_errors_are_clear(args: tuple[str, ...], code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code, result.output
    assert message in " ".join(result.output.split())


@pytest.fixture
async def planning_url(start_service: Any) -> AsyncIterator[str]:
    """The planning service of the test, served over HTTP on a free port (as `awasi up` does)."""
    await start_service("planning")
    server = uvicorn.Server(
        uvicorn.Config(
            start_service.apps["planning"], host="127.0.0.1", port=free_port(), lifespan="off", log_level="warning"
        )
    )
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    await eventually(started, timeout=10, interval=0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        await task


async def test_json_dry_run_matches_the_endpoint_and_the_import_goes_over_http(
    start_service, planning_url, tokens, upload, table_counts
) -> None:
    local = await asyncio.to_thread(run, str(KABUPATEN_PLAN), "--dry-run", "--format", "json")
    assert local.exit_code == 0, local.output
    preview = json.loads(local.stdout)

    # The same document through the endpoint's dry run: the same answer, field for field; only
    # the service can tell what is new.
    import httpx

    async with httpx.AsyncClient(base_url=planning_url) as client:
        served = await client.post(
            "/kegiatan/impor", files=upload(KABUPATEN_PLAN), data={"dry_run": "true"}, headers=tokens("35.05")
        )
    assert served.status_code == 200, served.text
    expected = served.json()
    for k in expected["kegiatan"]:
        assert k.pop("baru") is True
    for k in preview["kegiatan"]:
        assert k.pop("baru") is None
    expected["ringkasan"].update(baru=None, sudah_ada=None)
    assert preview == expected
    assert await table_counts() == (0, 0)

    env = {"AWASI_PLANNING_URL": planning_url}
    first = await asyncio.to_thread(run, str(KABUPATEN_PLAN), env=env)
    assert first.exit_code == 0, first.output
    assert "24 kegiatan: 24 baru, 0 sudah ada; 24 terjadwal, 0 draft; 4 catatan." in first.stdout
    assert await table_counts() == (24, 24)

    again = await asyncio.to_thread(run, str(KABUPATEN_PLAN), "--format", "json", env=env)
    assert again.exit_code == 0, again.output
    result = json.loads(again.stdout)
    assert result["ringkasan"]["baru"] == 0 and result["ringkasan"]["sudah_ada"] == 24
    assert [k["id"] for k in result["kegiatan"]] == [k["id"] for k in preview["kegiatan"]]
    assert await table_counts() == (24, 24)

    # The province's table belongs to Banten: minted for its unit, it imports as drafts when asked.
    drafts = await asyncio.to_thread(run, str(PROVINCE_TABLE), "--draft", "--format", "json", env=env)
    assert drafts.exit_code == 0, drafts.output
    assert {k["unit"] for k in json.loads(drafts.stdout)["kegiatan"]} == {"36"}
    assert json.loads(drafts.stdout)["ringkasan"]["draft"] == 6
    assert await table_counts() == (30, 24)  # drafts publish nothing

    # A token that may not act for the unit: the service refuses, the CLI says so.
    refused = await asyncio.to_thread(
        run, str(PROVINCE_TABLE), env={**env, "AWASI_TOKEN": tokens("35.05")["Authorization"][7:]}
    )
    assert refused.exit_code == 1
    assert "menolak impor (403)" in " ".join(refused.output.split())


async def test_streamed_progress(start_service, tokens, upload) -> None:
    planning = await start_service("planning")
    headers = {**tokens("35.05"), "Accept": "application/x-ndjson"}
    response = await planning.post("/kegiatan/impor", files=upload(KABUPATEN_PLAN), headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    progress = [line for line in lines if "tahap" in line]
    assert progress[0] == {"tahap": "menyimpan", "selesai": 0, "total": 24}
    assert [p["selesai"] for p in progress] == [0, 10, 20, 24]
    assert lines[-1]["hasil"]["ringkasan"]["baru"] == 24

    # Refused before anything is written: a plain 4xx, not a stream.
    refused = await planning.post("/kegiatan/impor", files=upload(NEWS), headers=headers)
    assert refused.status_code == 422 and "tidak tampak sebagai rencana" in refused.json()["detail"]


def test_the_shipped_example_imports_as_its_readme_says() -> None:
    example = Path(__file__).resolve().parents[2] / "services" / "planning" / "examples" / "rencana-kegiatan-contoh.txt"
    result = run(str(example), "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    preview = json.loads(result.stdout)
    assert preview["dokumen"]["unit"] == "35.72" and preview["dokumen"]["tahun"] == 2025
    asn, forum, rapat = preview["kegiatan"]
    assert asn["target_peserta"] == {
        "jumlah": 600,
        "luring": 100,
        "daring": 500,
        "keterangan": "ASN (daring, minimal 500)",
    }
    assert (asn["metode"], asn["anggaran"], asn["jadwal"]["mulai"]) == ("hybrid", 15_000_000, "2025-11-15")
    assert (forum["program"], forum["target_peserta"]["jumlah"], forum["jadwal"]["presisi"]) == (
        "forum_warga",
        66,
        "bulan",
    )
    assert rapat["jadwal"]["pengulangan"] == "FREQ=MONTHLY;INTERVAL=1"
    assert (rapat["jadwal"]["mulai"], rapat["jadwal"]["selesai"]) == ("2025-10-01", "2025-12-31")
