"""Every main page of the console in Chromium at phone (360 px) and desktop width: it renders
from the real services, nothing is wider than a phone's screen, and axe-core (vendored, pinned)
finds no serious or critical accessibility violation. With AWASI_CONSOLE_SCREENSHOTS=1 each
page is also saved to docs/console/ (docs/console.md shows them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .conftest import DESKTOP, PHONE, UNIT, Stack, axe_check, screenshot, sign_in

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
    context = await browser.new_context(viewport=DESKTOP, locale="id-ID")
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

    phone = await browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID", storage_state=storage
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


async def test_an_admin_makes_an_account_and_imports_ad_hoc_staff(stack: Stack, browser: Any, tmp_path: Any) -> None:
    admin = await stack.akun("admin")
    context = await browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, admin)
    await page.goto(stack.console + "/akun")
    await page.fill("#f-nama", "Rina Pengawas")
    await page.fill("#f-email", "bukan-email")
    await page.select_option("#f-role", "pengawas")
    await page.click("button:has-text('Buat akun')")
    await page.wait_for_selector("#f-email-galat")
    assert await page.input_value("#f-nama") == "Rina Pengawas"
    email = f"rina.{dt.datetime.now():%H%M%S%f}@bawaslu.go.id"
    await page.fill("#f-email", email)
    await page.click("button:has-text('Buat akun')")
    await page.wait_for_selector("h2:has-text('Kode aktivasi')")
    assert email in (await page.text_content("section[aria-labelledby=h-kode]") or "")
    stamp = dt.datetime.now().strftime("%H%M%S%f")
    csv = tmp_path / "staf.csv"
    csv.write_text(
        "nama,email,unit,role\n"
        f"Pengawas TPS Satu,tps1.{stamp}@bawaslu.go.id,{UNIT},pengawas\n"
        f"Pengawas TPS Dua,tps2.{stamp}@bawaslu.go.id,{UNIT},pengawas\n",
        encoding="utf-8",
    )
    await page.set_input_files("#f-berkas", str(csv))
    await page.click("button:has-text('Impor')")
    await page.wait_for_selector("h2:has-text('Kode aktivasi')")
    codes = await page.locator("section[aria-labelledby=h-kode] tbody tr").count()
    assert codes == 2
    await context.close()


async def test_a_calendar_feed_address_made_and_revoked(stack: Stack, browser: Any) -> None:
    import httpx

    operator = await stack.akun("operator")
    context = await browser.new_context(viewport=PHONE, is_mobile=True, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, operator)
    await page.goto(stack.console + "/perencanaan/kalender")
    await page.fill("#f-label", "Kalender ponsel")
    await page.click("button:has-text('Buat alamat kalender')")
    feed = (await page.text_content("code.alamat") or "").strip()
    assert feed.startswith(stack.urls["planning"] + "/kegiatan/kalender.ics?")
    async with httpx.AsyncClient() as client:
        answer = await client.get(feed)
        assert answer.status_code == 200 and answer.text.startswith("BEGIN:VCALENDAR")
        await page.click("button:has-text('Cabut')")
        await page.wait_for_selector("text=Token kalender dicabut")
        assert (await client.get(feed)).status_code == 401
    await context.close()


async def test_a_temuan_recorded_then_handled_as_a_case(stack: Stack, browser: Any) -> None:
    penanganan = await stack.akun("penanganan")
    context = await browser.new_context(viewport=PHONE, is_mobile=True, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, penanganan)
    await page.goto(stack.console + "/penanganan/temuan-baru")
    await page.fill("#f-peristiwa-apa", "Pemasangan APK di tempat ibadah")
    await page.fill("#f-peristiwa-tempat", "Masjid Desa Wlingi")
    await page.fill("#f-terlapor", "Tim kampanye calon fiktif")
    await page.fill("#f-uraian", "Pendek")
    await page.click("button:has-text('Catat temuan')")
    await page.wait_for_selector("#f-uraian-galat")
    assert await page.input_value("#f-peristiwa-tempat") == "Masjid Desa Wlingi"
    await page.fill("#f-uraian", "Alat peraga kampanye terpasang di pagar masjid sejak pagi.")
    await page.click("button:has-text('Catat temuan')")
    await page.wait_for_selector("text=Temuan tercatat")
    steps = await page.locator("details.langkah summary strong").all_text_contents()
    assert "Mulai klarifikasi dan kajian" in steps and "Registrasi laporan" not in steps, steps
    await context.close()
