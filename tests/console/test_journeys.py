"""Staff's journeys through the console in Chromium, against the real stack (one browser and
one stack for the console's package, shared with test_journeys_pages.py in one process, so a suite
run holds one stack's database connections for both): sign in
(with the authenticator step), the case of a laporan from the public form through registrasi to
putusan, Form A at phone width including a draft kept offline, planning a kegiatan, importing a
plan, running a Forum Warga, subscribing and seeing the inbox update, a temuan, accounts, the
calendar feed. Every page at both widths, the security headers and the token's refresh are in
test_journeys_pages.py (the two files run in one process, one after the other: tests/conftest.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from awasi_common.calendar import local_date
from tests.browser import fill_public_laporan
from tests.reporting.conftest import PNG

from .conftest import DESKTOP, PHONE, UNIT, Stack, screenshot, sign_in

PLAN_DOCUMENT = Path(__file__).resolve().parents[2] / "services/planning/examples/rencana-kegiatan-contoh.txt"


async def test_sign_in_with_password_and_authenticator_then_sign_out(stack: Stack, browser: Any) -> None:
    operator = await stack.akun("operator")
    penanganan = await stack.akun("penanganan")
    context = await browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = await context.new_page()
    # Not signed in: every page leads to the sign-in form.
    await page.goto(stack.console + "/perencanaan")
    assert page.url.startswith(stack.console + "/masuk")
    # A wrong password: told so, the email kept, no session.
    await page.fill("#f-email", operator.email)
    await page.fill("#f-password", "salah sama sekali kata sandinya")
    await page.click("button:has-text('Masuk')")
    await page.wait_for_selector("form[action='/masuk/kode']")  # identity does not say which: the code step
    await page.fill("#f-totp", "123456")
    await page.click("button:has-text('Masuk')")
    assert "salah" in (await page.text_content("[role=alert]") or "")
    assert await page.input_value("#f-email") == operator.email

    await sign_in(page, stack, operator)
    cookies = {c["name"]: c for c in await context.cookies()}
    session = cookies["awasi_sesi"]
    assert session["httpOnly"] and session["sameSite"] == "Lax"
    assert "Beranda" in await page.title()
    await page.click("button:has-text('Keluar')")
    await page.wait_for_selector("text=Anda sudah keluar.")
    await page.goto(stack.console + "/")
    assert page.url.startswith(stack.console + "/masuk")
    await context.close()

    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, penanganan)  # password, then the authenticator code
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # This browser remembers that its sign-in takes a code: next time it is asked with the password.
    await page.click("summary:has-text('Menu')")
    await page.click("nav.menu-hp button:has-text('Keluar')")
    await page.wait_for_selector("text=Anda sudah keluar.")
    assert await page.is_visible("#f-totp")
    await context.close()


async def test_a_laporan_from_the_public_form_through_registrasi_to_putusan(
    stack: Stack, browser: Any, tmp_path: Path
) -> None:
    penanganan = await stack.akun("penanganan")
    pimpinan = await stack.akun("pimpinan")
    # A citizen reports through reporting's public form (no JavaScript, a phone).
    citizen = await browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False, locale="id-ID")
    page = await citizen.new_page()
    await page.goto(stack.urls["reporting"] + "/publik/lapor")
    await fill_public_laporan(page, UNIT, "Tim kampanye membagikan amplop berisi uang kepada pedagang pasar.")
    evidence = tmp_path / "foto-bukti.png"
    evidence.write_bytes(PNG)
    await page.set_input_files("#f-bukti", str(evidence))
    await page.check("input[name=persetujuan]")
    await page.click("button[type=submit]")
    kode = (await page.text_content("#kode-pelacakan") or "").strip()
    assert kode.startswith("LP-")
    await citizen.close()

    context = await browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, penanganan)
    await page.click("nav.menu-lebar a:has-text('Penanganan')")
    await page.click(f"a:has-text('{kode}')")
    await page.wait_for_selector("h2:has-text('Langkah yang sah berikutnya')")
    steps = await page.locator("details.langkah summary strong").all_text_contents()
    # Received: only kajian awal (or handing it down) is lawful now; registrasi is not offered.
    assert steps[:2] == ["Mulai kajian awal", "Limpahkan ke unit di bawahnya"], steps
    assert "Registrasi laporan" not in steps
    assert "Dasar: Perbawaslu 7/2022" in (await page.text_content("details.langkah") or "")
    assert await page.locator("img.pratinjau").count() == 1  # the evidence, previewed

    async def step(
        label: str, form: str, fill: dict[str, str] | None = None, select: dict[str, str] | None = None
    ) -> None:
        await page.click(f"details.langkah summary:has-text('{label}')")
        for selector, value in (fill or {}).items():
            await page.fill(f"#form-{form} {selector}", value)
        for selector, value in (select or {}).items():
            await page.select_option(f"#form-{form} {selector}", value)
        await page.click(f"#form-{form} button[type=submit]")

    await step("Mulai kajian awal", "kajian-awal", {"textarea": "Syarat formil dan materiel diperiksa."})
    await page.wait_for_selector("text=Mulai kajian awal: tersimpan.")
    await step("Registrasi laporan", "registrasi")
    await page.wait_for_selector("text=Registrasi laporan: tersimpan.")
    assert "/LP/PL/" in (await page.text_content("h1") or "")  # its register number
    await step("Mulai klarifikasi dan kajian", "klarifikasi")
    await page.wait_for_selector("text=Mulai klarifikasi dan kajian: tersimpan.")
    # Putusan belongs to the pimpinan: the service's refusal shown in the step, what was typed kept.
    await step(
        "Tetapkan putusan",
        "putusan",
        {"textarea": "Tidak terbukti ada pembagian uang."},
        {"select": "bukan_pelanggaran"},
    )
    refusal = await page.text_content("#form-putusan >> xpath=.. >> [role=alert]")
    assert refusal and "pimpinan" in refusal, refusal
    assert await page.input_value("#form-putusan textarea") == "Tidak terbukti ada pembagian uang."
    # The reporter's identity, shown because reporting gives it to the handling unit (and audits it).
    await page.click("details.langkah summary:has-text('Lihat identitas pelapor')")
    await page.click("button:has-text('Lihat identitas')")
    await page.wait_for_selector("h1:has-text('Identitas pelapor')")
    assert "Siti Rahasia" in (await page.content())
    case_url = page.url.removesuffix("/identitas")
    await context.close()

    context = await browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, pimpinan)
    await page.goto(case_url)
    await step(
        "Tetapkan putusan",
        "putusan",
        {"textarea": "Tidak terbukti ada pembagian uang."},
        {"select": "bukan_pelanggaran"},
    )
    await page.wait_for_selector("text=Tetapkan putusan: tersimpan.")
    assert "Diputus" in (await page.text_content("section[aria-labelledby=h-ringkas]") or "")
    steps = await page.locator("details.langkah summary strong").all_text_contents()
    assert "Nyatakan selesai" in steps and "Tetapkan putusan" not in steps
    # The pimpinan sees who opened the reporter's identity, and why.
    audit = await page.text_content("section[aria-labelledby=h-audit]") or ""
    assert "penanganan" in audit and "penanganan laporan" in audit and "diberikan" in audit
    await context.close()


async def test_form_a_at_phone_width_with_a_draft_kept_offline(stack: Stack, browser: Any) -> None:
    pengawas = await stack.akun("pengawas")
    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, pengawas)
    await page.goto(stack.console + "/pengawasan")
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    tempat = f"TPS 007 Desa Wlingi {dt.datetime.now():%H%M%S%f}"

    async def fill(nama: str) -> None:
        await page.select_option("#f-data-pengawas-tahapan", "pemungutan_penghitungan_suara")
        await page.fill("#f-data-pengawas-nama-pelaksana", nama)
        await page.fill("#f-data-pengawas-jabatan", "Pengawas TPS")
        await page.fill("#f-data-pengawas-nomor-surat-tugas", "ST-01/PM.00/2026")
        await page.fill("#f-data-pengawas-alamat", "Desa Wlingi")
        await page.check("input[name='kegiatan.bentuk'][value=langsung]")
        await page.fill("#f-kegiatan-tujuan", "Memastikan pemungutan suara sesuai prosedur")
        await page.fill("#f-kegiatan-sasaran", "KPPS TPS 007")
        await page.fill("#f-kegiatan-tempat", tempat)
        await page.fill("#f-uraian-singkat", "Pemungutan suara berjalan tertib tanpa kejadian khusus.")

    # Refused by the service: the message beside the field, everything typed kept.
    await fill("A")
    await page.click("button:has-text('Kirim Form A')")
    await page.wait_for_selector("#f-data-pengawas-nama-pelaksana-galat")
    assert await page.input_value("#f-kegiatan-tempat") == tempat
    assert await page.is_checked("input[name='kegiatan.bentuk'][value=langsung]")

    # Offline: kept as a draft in the browser, with its idempotency key.
    await page.fill("#f-data-pengawas-nama-pelaksana", "Budi Santoso")
    await context.set_offline(True)
    await page.click("button:has-text('Kirim Form A')")
    await page.wait_for_selector("#draf-daftar li")
    drafts = await page.evaluate("JSON.parse(localStorage.getItem('awasi.formA.draf'))")
    assert len(drafts) == 1 and drafts[0]["kunci"]
    kunci = drafts[0]["kunci"]

    async def sent() -> list[dict[str, Any]]:
        response = await stack.clients["reporting"].get(
            "/form-a", params={"unit": UNIT}, headers=stack.headers(role="pengawas")
        )
        return [f for f in response.json() if f["kegiatan"]["tempat"] == tempat]

    assert await sent() == []
    # Back online: the draft goes by itself, once.
    await context.set_offline(False)
    await page.wait_for_selector("text=Form A terkirim dengan nomor", timeout=20_000)
    assert await page.evaluate("JSON.parse(localStorage.getItem('awasi.formA.draf') || '[]').length") == 0
    assert len(await sent()) == 1
    # The same draft sent again (a retry after a lost answer) makes no second Form A: the console
    # keeps no keys, reporting answers the key it stored with the first one (Idempotent-Replayed).
    assert dict(drafts[0]["fields"])["kunci"] == kunci
    resend = """async (fields) => {
            const data = new FormData();
            fields.forEach((p) => data.append(p[0], p[1])); data.append('csrf', window.awasiCsrf());
            const r = await fetch('/pengawasan/form-a', {method: 'POST', body: data, headers: {'X-Awasi-Draf': '1'}});
            return [r.status, await r.json()];
        }"""
    status, again = await page.evaluate(resend, drafts[0]["fields"])
    assert status == 200 and again["status"] == "terkirim" and again["ulang"] is True, again
    assert len(await sent()) == 1
    # The same key with other content is refused by reporting, naming the key; nothing is made.
    other = "Isi lain yang dikirim dengan kunci yang sama."
    changed = [[name, other if name == "uraian_singkat" else value] for name, value in drafts[0]["fields"]]
    status, refused = await page.evaluate(resend, changed)
    assert status == 422 and refused["status"] == "ditolak" and "Idempotency-Key" in refused["detail"], refused
    assert len(await sent()) == 1
    await context.close()


async def test_plan_a_kegiatan_with_an_error_shown_beside_its_field(stack: Stack, browser: Any) -> None:
    operator = await stack.akun("operator")
    context = await browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, operator)
    await page.goto(stack.console + "/perencanaan/baru")
    start = dt.date.today() + dt.timedelta(days=2)
    await page.fill("#f-judul", "Rapat koordinasi pengawasan kampanye")
    await page.select_option("#f-divisi", "P2H")
    await page.fill("#f-jadwal-mulai", start.isoformat())
    await page.fill("#f-jadwal-selesai", (start - dt.timedelta(days=1)).isoformat())
    await page.fill("#f-lokasi", "Aula Bawaslu Kabupaten Blitar")
    await page.fill("#f-anggaran", "x5000")
    await page.click("button:has-text('Simpan kegiatan')")
    await page.wait_for_selector("#galat-jadwal")
    assert "tidak boleh sebelum" in (await page.text_content("#galat-jadwal") or "")
    assert await page.is_visible("#f-anggaran-galat")
    assert await page.input_value("#f-judul") == "Rapat koordinasi pengawasan kampanye"
    assert await page.input_value("#f-lokasi") == "Aula Bawaslu Kabupaten Blitar"
    await page.fill("#f-jadwal-selesai", start.isoformat())
    await page.fill("#f-anggaran", "2.500.000")
    await page.click("button:has-text('Simpan kegiatan')")
    await page.wait_for_selector("text=tersimpan (Terjadwal)")
    assert "Rp2.500.000" in (await page.content())
    # Rescheduled a day later, then seen on the month's calendar.
    later = start + dt.timedelta(days=1)
    await page.click("summary:has-text('Jadwal ulang')")
    await page.fill("#f-ju-jadwal-mulai", later.isoformat())
    await page.fill("#f-ju-jadwal-selesai", later.isoformat())
    await page.click("button:has-text('Simpan jadwal baru')")
    await page.wait_for_selector("text=Kegiatan dijadwal ulang.")
    assert "Dijadwal ulang" in (await page.text_content("section[aria-labelledby=h-rincian]") or "")
    await page.goto(stack.console + f"/perencanaan?bulan={later:%Y-%m}&tampilan=kalender")
    cell = page.locator("table.kalender td", has=page.locator(f"span.tgl:text-is('{later.day}')")).filter(
        has=page.locator("a:has-text('Rapat koordinasi pengawasan kampanye')")
    )
    assert await cell.count() >= 1
    # Realisasi before the kegiatan began: refused inside its step, what was typed kept.
    await cell.first.locator("a:has-text('Rapat koordinasi pengawasan kampanye')").click()

    async def realisasi(hadir: str) -> None:
        await page.click("summary:has-text('Catat realisasi')")
        await page.fill("#f-peserta-hadir", hadir)
        await page.fill("#f-anggaran-realisasi", "2.100.000")
        await page.fill("#f-catatan", "Dihadiri perwakilan tim kampanye.")
        await page.click("button:has-text('Simpan realisasi')")

    await realisasi("37")
    await page.wait_for_selector("details[open] [role=alert]:has-text('Realisasi belum dapat dicatat')")
    assert await page.input_value("#f-peserta-hadir") == "37"

    async def plan(judul: str, day: dt.date) -> None:
        await page.goto(stack.console + "/perencanaan/baru")
        await page.fill("#f-judul", judul)
        await page.select_option("#f-divisi", "SDMO")
        await page.fill("#f-jadwal-mulai", day.isoformat())
        await page.fill("#f-jadwal-selesai", day.isoformat())
        await page.click("button:has-text('Simpan kegiatan')")
        await page.wait_for_selector("text=tersimpan (Terjadwal)")

    # Today's kegiatan: attendance and budget recorded, the kegiatan done.
    await plan("Rapat koordinasi hari ini", local_date(dt.datetime.now(dt.UTC), UNIT))
    await realisasi("41")
    await page.wait_for_selector("text=Realisasi tercatat; kegiatan selesai.")
    assert "41 peserta hadir" in (await page.text_content("section[aria-labelledby=h-rincian]") or "")
    # Another one cancelled, with its reason.
    await plan("Bimtek yang dibatalkan", start)
    await page.click("summary:has-text('Batalkan')")
    await page.fill("#f-bt-alasan", "Narasumber berhalangan hadir")
    await page.click("button:has-text('Batalkan kegiatan')")
    await page.wait_for_selector("text=Kegiatan dibatalkan.")
    assert "Narasumber berhalangan hadir" in (await page.content())
    # The year's figures and the annual report as CSV.
    await page.goto(stack.console + "/angka")
    await page.check("input[name=format][value=csv]")
    async with page.expect_download() as waiting:
        await page.click("button:has-text('Unduh')")
    download = await waiting.value
    assert download.suggested_filename.endswith(".csv")
    saved = Path(await download.path())
    assert (await asyncio.to_thread(saved.read_text, encoding="utf-8")).strip()
    await context.close()


async def test_subscribe_and_see_the_inbox_update(stack: Stack, browser: Any) -> None:
    operator = await stack.akun("operator")
    context = await browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, operator)
    await page.goto(stack.console + "/langganan")
    await page.check("input[name=jenis_event][value*='KegiatanScheduled']")
    await page.click("button:has-text('Berlangganan')")
    await page.wait_for_selector("text=Langganan tersimpan")
    await page.goto(stack.console + "/")
    judul = f"Sosialisasi pengawasan partisipatif {dt.datetime.now():%H%M%S}"
    body = {
        "unit": UNIT,
        "divisi": "P2H",
        "judul": judul,
        "jadwal": {
            "mulai": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
            "selesai": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
        },
    }
    made = await stack.clients["planning"].post("/kegiatan", json=body, headers=stack.headers(role="operator"))
    assert made.status_code == 201, made.text
    # Beranda polls the inbox: the message arrives without reloading the page.
    await page.wait_for_selector(f"#kotak :text('{judul}')", timeout=30_000)
    await context.close()


async def test_run_a_forum_warga_form_plan_and_check_in(stack: Stack, browser: Any) -> None:
    p2h = await stack.akun("operator", divisi="P2H")
    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, p2h)
    await page.goto(stack.console + "/partisipasi")
    nama = f"Forum Warga Wlingi {dt.datetime.now():%H%M%S}"
    await page.select_option("#f-program", "forum_warga")
    await page.fill("#f-nama", nama)
    await page.select_option("#f-forum-warga-metode", "dialogis")
    await page.check("input[name='forum_warga.pertemuan'][value=tatap_muka]")
    await page.click("button:has-text('Bentuk program')")
    await page.wait_for_selector(f"text=Program “{nama}” dibentuk.")
    # Its kegiatan is planned in Perencanaan; participation learns of it from planning's event.
    judul = f"Diskusi warga {dt.datetime.now():%H%M%S}"
    await page.goto(stack.console + "/perencanaan/baru")
    await page.fill("#f-judul", judul)
    await page.select_option("#f-divisi", "P2H")
    day = local_date(dt.datetime.now(dt.UTC), UNIT).isoformat()  # check-in opens on the kegiatan's day
    await page.fill("#f-jadwal-mulai", day)
    await page.fill("#f-jadwal-selesai", day)
    await page.select_option("#f-program", "forum_warga")
    await page.click("button:has-text('Simpan kegiatan')")
    await page.wait_for_selector("text=tersimpan (Terjadwal)")
    kegiatan_id = page.url.rsplit("/", 1)[1]
    for _ in range(100):
        await page.goto(stack.console + "/partisipasi")
        if await page.locator(f"a:has-text('{judul}')").count():
            break
        await page.wait_for_timeout(300)
    await page.click(f"a:has-text('{judul}')")
    assert await page.locator(".qr svg").count() == 1  # the QR code for the door, drawn on the server
    # A citizen registers (participation's public API) and shows the kode hadir at the door.
    registered = await stack.clients["participation"].post(
        f"/program-kegiatan/{kegiatan_id}/peserta", json={"nama": "Ani Warga", "sasaran": "pemilih_pemula"}
    )
    assert registered.status_code == 201, registered.text
    kode = registered.json()["kode_hadir"]
    await page.reload()
    assert "Ani Warga" in (await page.text_content("section[aria-labelledby=h-peserta]") or "")
    await page.fill("#f-kode-hadir", "SALAH1")
    await page.click("button:has-text('Catat hadir')")
    await page.wait_for_selector("#f-kode-hadir-galat, [role=alert]")
    await page.fill("#f-kode-hadir", kode)
    await page.click("button:has-text('Catat hadir')")
    await page.wait_for_selector(f"text=Kehadiran dengan kode {kode} tercatat.")
    assert "1 hadir dari 1 terdaftar" in " ".join(
        (await page.text_content("section[aria-labelledby=h-hadir]") or "").split()
    )
    await context.close()


async def test_import_a_plan_document_review_then_confirm(stack: Stack, browser: Any) -> None:
    kota = await stack.akun("operator", unit="35.72", divisi="P2H")  # the document is Kota Blitar's
    document = PLAN_DOCUMENT
    context = await browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = await context.new_page()
    await sign_in(page, stack, kota)
    await page.goto(stack.console + "/perencanaan/impor")
    await page.set_input_files("#f-berkas", str(document))
    await page.click("button:has-text('Baca dokumen')")
    await page.wait_for_selector("h1:has-text('Tinjau impor')")
    assert "Belum ada yang disimpan" in (await page.text_content(".pesan.peringatan") or "")
    rows = await page.locator("section[aria-labelledby=h-keg] tbody tr").count()
    assert rows == 3
    await screenshot(page, "impor-tinjau-desktop")
    listed = await stack.clients["planning"].get("/kegiatan", params={"unit": "35.72"}, headers=stack.headers("35.72"))
    assert listed.json() == []  # nothing saved by the review
    await page.click("button:has-text('Konfirmasi impor')")
    await page.wait_for_selector("text=Impor selesai: 3 kegiatan baru")
    listed = await stack.clients["planning"].get("/kegiatan", params={"unit": "35.72"}, headers=stack.headers("35.72"))
    assert len(listed.json()) == 3
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
