"""What the browser tests share: Debian's Chromium (driven by Playwright, which never downloads
a browser), an app already started by a fixture served on a real port, and the citizens' public
laporan form filled in as a person would."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from awasi_cli.testing import free_port
from awasi_reporting.domain.vocabulary import local_date

CHROMIUM = "/usr/bin/chromium-headless-shell"
"""Debian's Chromium headless shell: the same Blink and V8 as the browser, built for headless
use (Playwright's own choice when headless). The console's journeys took 26 s of Chromium's CPU
under it against 61 s under the full browser (docs/operations.md, the suite)."""
CHROMIUM_BROWSER = "/usr/bin/chromium"
"""The full browser, as a citizen's phone runs it: tests/reporting/test_browser.py's journey."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium(executable: str = CHROMIUM) -> None:
    """Chromium comes from scripts/ensure-chromium.sh (make test runs it): when it is missing a
    browser test fails rather than skip, so CI cannot pass without the browser check."""
    if not Path(executable).exists() and not shutil.which(Path(executable).name):
        pytest.fail(f"{executable} is missing: run scripts/ensure-chromium.sh (make test does) before the browser test")


async def start_uvicorn(app: Any, port: int | None = None) -> tuple[str, uvicorn.Server, asyncio.Task[None]]:
    """The already started app (lifespan entered by its fixture) on a real TCP port."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve())
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.05)
    assert server.started, "uvicorn did not start"
    return f"http://127.0.0.1:{port}", server, task


@contextlib.asynccontextmanager
async def served(app: Any) -> AsyncIterator[str]:
    """:func:`start_uvicorn` for the length of a block."""
    base, server, task = await start_uvicorn(app)
    try:
        yield base
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


async def fill_public_laporan(page: Any, unit: str, uraian: str, email: str | None = None) -> None:
    """Reporting's public form (/publik/lapor, already open) filled in by a citizen reporting
    today, up to the evidence and the consent."""
    await page.select_option("#f-unit", unit)
    await page.fill("#f-pelapor-nama", "Siti Rahasia")
    await page.fill("#f-pelapor-tempat_lahir", "Blitar")
    await page.fill("#f-pelapor-tanggal_lahir", "1990-05-17")
    await page.check("input[name='pelapor.jenis_kelamin'][value=perempuan]")
    await page.fill("#f-pelapor-pekerjaan", "Guru")
    await page.fill("#f-pelapor-alamat", "Jl. Mawar 1, Kabupaten Blitar")
    await page.fill("#f-pelapor-telepon", "081234567890")
    if email:
        await page.fill("#f-pelapor-email", email)
    await page.fill("#f-terlapor", "Tim kampanye calon fiktif")
    await page.fill("#f-peristiwa-apa", "Pembagian uang disertai ajakan memilih")
    await page.fill("#f-peristiwa-tempat", "Pasar Wlingi")
    # Today in the unit's own time zone: the form's max is the latest date anywhere in Indonesia
    # (WIT), a day ahead of Blitar's from 15:00 to 17:00 UTC, and the server refuses a WIB
    # unit's tomorrow.
    latest = await page.get_attribute("#f-peristiwa-waktu_kejadian", "max")
    today = local_date(dt.datetime.now(dt.UTC), unit).isoformat()
    assert latest and today <= latest
    await page.fill("#f-peristiwa-waktu_kejadian", today)
    await page.fill("#f-peristiwa-waktu_diketahui", today)
    await page.fill("#f-uraian", uraian)
