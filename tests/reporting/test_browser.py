"""The public pages in headless Chromium (Debian's, driven by Playwright), with JavaScript
off and a phone-sized screen: submit a laporan with evidence, correct a refused form, follow
the laporan, and complete what the handling unit asked for.

Chromium comes from ``scripts/ensure-chromium.sh`` (``make test`` runs it); when it is missing
this test fails rather than skip, so CI cannot pass without the browser check (tests/browser.py)."""

from __future__ import annotations

import pytest

from tests.browser import CHROMIUM_ARGS, CHROMIUM_BROWSER, fill_public_laporan, require_chromium, start_uvicorn

from .conftest import PNG, UNIT

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the test's own: reporting's group on the shared one also reads the Pojok
    reports earlier tests left for these units, which take numbers and raise alerts too."""
    return private_broker


async def test_citizen_reports_follows_and_completes_a_laporan_in_chromium(start_service, tokens, tmp_path) -> None:
    require_chromium(CHROMIUM_BROWSER)  # the full browser, as on a citizen's phone; the rest run the headless shell
    from playwright.async_api import async_playwright

    reporting = await start_service("reporting")
    base, server, task = await start_uvicorn(start_service.apps["reporting"])
    evidence = tmp_path / "foto-bukti.png"
    evidence.write_bytes(PNG)
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM_BROWSER, args=CHROMIUM_ARGS, headless=True
            )
            try:
                # Mobile first: nothing wider than a phone's screen.
                measuring = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
                page = await measuring.new_page()
                for path in ("/publik", "/publik/lapor", "/publik/status", "/publik/statistik?unit=35.05"):
                    await page.goto(base + path)
                    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
                await measuring.close()

                context = await browser.new_context(
                    viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False, locale="id-ID"
                )
                page = await context.new_page()
                await page.goto(base + "/publik")
                await page.click("text=Sampaikan laporan")
                assert await page.title() == "Sampaikan laporan · Bawaslu"
                await fill_public_laporan(page, UNIT, "Pendek", email="siti.rahasia@example.org")  # under 10 characters
                await page.set_input_files("#f-bukti", str(evidence))
                await page.check("input[name=persetujuan]")
                await page.click("button[type=submit]")

                # Refused by the server: told what to fix, with what was typed kept.
                assert await page.is_visible("#ringkasan-galat")
                assert "terlalu pendek" in (await page.text_content("#galat-uraian") or "")
                assert await page.input_value("#f-pelapor-nama") == "Siti Rahasia"
                assert await page.input_value("#f-unit") == UNIT
                await page.fill("#f-uraian", "Tim kampanye membagikan amplop berisi uang kepada pedagang pasar.")
                await page.set_input_files("#f-bukti", str(evidence))
                await page.check("input[name=persetujuan]")
                await page.click("button[type=submit]")

                assert await page.title() == "Tanda terima laporan · Bawaslu"
                kode = (await page.text_content("#kode-pelacakan") or "").strip()
                rahasia = (await page.text_content("#kode-rahasia") or "").strip()
                assert kode.startswith("LP-") and len(rahasia) >= 16
                assert (await page.text_content("#nomor-tanda-terima") or "").startswith("001/TT/PL/Kab/35.05/")
                assert "foto-bukti.png" in (await page.content())
                await page.screenshot(path=str(tmp_path / "tanda-terima.png"), full_page=True)

                # The handling unit asks for more.
                staff = tokens(UNIT, "penanganan")
                listed = (await reporting.get("/laporan", params={"unit": UNIT}, headers=staff)).json()
                laporan_id = next(row["id"] for row in listed if row["kode_pelacakan"] == kode)
                await reporting.post(f"/laporan/{laporan_id}/kajian-awal", json={}, headers=staff)
                asked = await reporting.post(
                    f"/laporan/{laporan_id}/perlu-dilengkapi",
                    json={"kekurangan": ["rekaman video pembagian uang"]},
                    headers=staff,
                )
                assert asked.status_code == 200, asked.text

                # The reporter follows it with the code (typed carelessly) and the secret.
                await page.click("text=Cek status laporan")
                await page.fill("#f-kode", kode.lower())
                await page.fill("#f-rahasia", rahasia)
                await page.click("button[type=submit]")
                assert await page.get_attribute("#status-laporan", "data-status") == "perlu_dilengkapi"
                assert "rekaman video pembagian uang" in (await page.text_content("#kekurangan") or "")
                assert "Siti" not in await page.content()
                await page.fill("#f-keterangan", "Rekaman video saya lampirkan; saksi lain bernama Joko.")
                await page.set_input_files("#f-bukti", str(evidence))
                await page.click("button[type=submit]")
                assert "Kelengkapan laporan Anda telah diterima" in await page.content()
                assert await page.get_attribute("#status-laporan", "data-status") == "kajian_awal"

                # A wrong secret shows nothing about the laporan.
                await page.goto(base + "/publik/status")
                await page.fill("#f-kode", kode)
                await page.fill("#f-rahasia", "bukan-rahasianya-123")
                await page.click("button[type=submit]")
                assert "tidak cocok" in await page.content()
                assert await page.locator("#status-laporan").count() == 0
            finally:
                await browser.close()
    finally:
        server.should_exit = True
        await task

    detail = (await reporting.get(f"/laporan/{laporan_id}", headers=tokens(UNIT, "penanganan"))).json()
    assert detail["status"] == "kajian_awal" and len(detail["bukti"]) == 2
    assert "saksi lain bernama Joko" in detail["uraian"]
