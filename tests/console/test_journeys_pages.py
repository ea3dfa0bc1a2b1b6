"""The console's every main page in Chromium, against the real stack (the journeys' stack:
tests/conftest.py runs both files in one process): at phone (360 px) and desktop width each
renders from the real services, nothing is wider than a phone's screen, and axe-core (vendored,
pinned) finds no serious or critical accessibility violation; with AWASI_CONSOLE_SCREENSHOTS=1
each page is also saved to docs/console/ (docs/console.md shows them). Then the security headers
and CSRF, no token in a page, and an expiring token refreshed once for concurrent requests."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from .conftest import DESKTOP, PHONE, UNIT, Stack, axe_check, screenshot, sign_in, with_axe

WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.gulir'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
PAGES = {
    "beranda": "/",
    "penanganan": "/penanganan",
    "temuan-baru": "/penanganan/temuan-baru",
    "pengawasan": "/pengawasan",
    "pencegahan": "/pengawasan/pencegahan",
    "perencanaan": "/perencanaan",
    "kalender": "/perencanaan?tampilan=kalender",
    "kegiatan-baru": "/perencanaan/baru",
    "impor": "/perencanaan/impor",
    "kalender-langganan": "/perencanaan/kalender",
    "partisipasi": "/partisipasi",
    "angka": "/angka",
    "langganan": "/langganan",
    "akun": "/akun",
    "operasi": "/operasi",
}


async def seed(stack: Stack) -> dict[str, str]:
    """A little of everything, so the pages show their data."""
    today = dt.date.today()
    made = {}
    for offset, judul in ((0, "Rapat koordinasi pengawasan tahapan kampanye"), (2, "Patroli pengawasan APK")):
        day = (today + dt.timedelta(days=offset)).isoformat()
        body = {
            "unit": UNIT,
            "divisi": "P2H",
            "judul": judul,
            "jadwal": {"mulai": day, "selesai": day},
            "lokasi": "Kabupaten Blitar",
            "anggaran": 1_500_000,
        }
        answer = await stack.clients["planning"].post("/kegiatan", json=body, headers=stack.headers(role="operator"))
        assert answer.status_code == 201, answer.text
        made[judul] = answer.json()["id"]
    laporan = {
        "unit": UNIT,
        "pelapor": {"nama": "Warga Pelapor"},
        "terlapor": "Tim kampanye X",
        "peristiwa": {
            "apa": "Politik uang",
            "tempat": "Pasar Wlingi",
            "waktu_kejadian": today.isoformat(),
            "waktu_diketahui": today.isoformat(),
        },
        "uraian": "Pembagian uang disertai ajakan memilih.",
    }
    answer = await stack.clients["reporting"].post("/laporan", json=laporan)
    assert answer.status_code == 201, answer.text
    made["laporan"] = answer.json()["laporan_id"]
    return made


async def test_every_page_at_phone_and_desktop_width_is_accessible(stack: Stack, browser: Any) -> None:
    made = await seed(stack)
    admin = await stack.akun("admin", divisi="P2H")
    violations: list[dict[str, Any]] = []
    pages = {
        **PAGES,
        "perkara": f"/penanganan/laporan/{made['laporan']}",
        "kegiatan": f"/perencanaan/{made['Rapat koordinasi pengawasan tahapan kampanye']}",
    }
    context = await with_axe(await browser.new_context(viewport=DESKTOP, locale="id-ID"))
    page = await context.new_page()
    await sign_in(page, stack, admin)
    storage = await context.storage_state()  # the same session at phone width
    for name, path in pages.items():
        response = await page.goto(stack.console + path)
        assert response is not None and response.status == 200, (name, response and response.status)
        assert await page.locator(".pesan.galat").count() == 0, (name, await page.text_content("main"))
        violations += await axe_check(page, name)
        await screenshot(page, f"{name}-desktop")
    await context.close()

    phone = await with_axe(
        await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID", storage_state=storage)
    )
    page = await phone.new_page()
    for name, path in pages.items():
        await page.goto(stack.console + path)
        await screenshot(page, f"{name}-ponsel")
        width = await page.evaluate("document.documentElement.scrollWidth")
        wide = await page.evaluate(WIDE)
        assert width <= PHONE["width"], (name, width, wide)
        violations += await axe_check(page, f"{name} (ponsel)")
    await phone.close()
    # The sign-in page, before anyone is signed in.
    anonymous = await browser.new_context(viewport=PHONE, is_mobile=True, locale="id-ID")
    page = await anonymous.new_page()
    await page.goto(stack.console + "/masuk")
    violations += await axe_check(page, "masuk")
    await screenshot(page, "masuk-ponsel")
    await anonymous.close()
    assert violations == [], "\n".join(map(str, violations))


async def test_security_headers_csrf_and_no_token_in_the_page(stack: Stack, browser: Any) -> None:
    import httpx

    operator = await stack.akun("operator")
    context = await browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, operator)
    response = await page.goto(stack.console + "/perencanaan/baru")
    assert response is not None
    headers = response.headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store"
    html = await page.content()
    assert "eyJ" not in html  # no token (a JWT) anywhere in the page
    # The page's trace id in its footer; the services' spans of it are in the same trace.
    await page.goto(stack.console + "/perencanaan")
    trace_id = (await page.text_content("footer .jejak code") or "").strip()
    assert len(trace_id) == 32

    def spans_of(name: str) -> list[str]:
        path = stack.traces / f"{name}.jsonl"
        return [line for line in path.read_text().splitlines() if trace_id in line] if path.exists() else []

    for _ in range(50):
        if spans_of("console") and spans_of("planning"):
            break
        await asyncio.sleep(0.2)
    assert spans_of("console") and spans_of("planning"), trace_id
    cookie = next(c for c in await context.cookies() if c["name"] == "awasi_sesi")
    # A form posted with the session cookie but without its CSRF token is refused.
    async with httpx.AsyncClient(base_url=stack.console, cookies={"awasi_sesi": cookie["value"]}) as client:
        refused = await client.post("/perencanaan", data={"judul": "Tanpa token", "divisi": "P2H"})
        assert refused.status_code == 403
        wrong = await client.post("/perencanaan", data={"judul": "Token lain", "csrf": "x" * 43})
        assert wrong.status_code == 403
    await context.close()


async def test_an_expiring_token_is_refreshed_once_for_concurrent_requests(stack: Stack, browser: Any) -> None:
    """Identity ends a whole sign-in when a refresh token is used twice: five pages asked at the
    same moment with an expired access token refresh it once, and the session goes on."""
    operator = await stack.akun("operator")
    context = await browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, operator)
    sessions = stack.console_app.state.sessions
    mine = [s for s in sessions._sessions.values() if s.subject == operator.id]
    assert len(mine) == 1
    before = mine[0].tokens
    before.expires_at = 0
    statuses = await page.evaluate(
        "async () => (await Promise.all([1, 2, 3, 4, 5].map(() => fetch('/perencanaan')))).map(r => r.status)"
    )
    assert statuses == [200] * 5
    assert mine[0].tokens is not None and mine[0].tokens.refresh_token != before.refresh_token
    await page.goto(stack.console + "/penanganan")
    assert page.url == stack.console + "/penanganan"
    await context.close()
