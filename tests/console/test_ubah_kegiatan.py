"""Correcting kegiatan in the console without a browser, over real HTTP against the real stack:
the kegiatan page's "Ubah" form (planning's PATCH), with planning's refusal beside the field and
what was typed kept; and an import's review, where each kegiatan read can be corrected before
confirming (imported as drafts, corrected, then scheduled: no event carries the wrong title)."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import httpx

from .conftest import UNIT, Stack
from .test_operasi import console, csrf_of, text_of


async def form_post(client: httpx.AsyncClient, page: str, action: str, fields: dict[str, Any]) -> httpx.Response:
    return await client.post(action, data={"csrf": csrf_of(page), **fields})


def field_error(page: str, field_id: str) -> str:
    match = re.search(rf'<div class="salah-pesan" id="{re.escape(field_id)}-galat">([^<]*)</div>', page)
    return html.unescape(match.group(1)) if match else ""


def input_value(page: str, field_id: str) -> str:
    match = re.search(rf'id="{re.escape(field_id)}" name="[^"]+" value="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else ""


async def test_the_kegiatan_page_edits_its_fields_and_keeps_what_was_typed_on_a_refusal(stack: Stack) -> None:
    operator = await stack.akun("operator", divisi="P2H")
    day = dt.date.today() + dt.timedelta(days=20)
    made = await stack.clients["planning"].post(
        "/kegiatan",
        json={
            "unit": UNIT,
            "divisi": "P2H",
            "judul": "Sosialisasi Pengawasan Partisipatif",
            "jenis": "sosialisasi",
            "jadwal": {"mulai": day.isoformat(), "selesai": day.isoformat()},
            "lokasi": "Aula Bawaslu",
        },
        headers=stack.headers(UNIT, "operator", "P2H"),
    )
    assert made.status_code == 201, made.text
    kegiatan_id = made.json()["id"]
    async with console(stack, operator) as client:
        page = (await client.get(f"/perencanaan/{kegiatan_id}")).text
        assert "Simpan perubahan" in page and input_value(page, "f-ub-judul") == "Sosialisasi Pengawasan Partisipatif"
        fields = {
            "judul": "Sosialisasi Pengawasan Pemilih Pemula",
            "jenis": "sosialisasi",
            "divisi": "P2H",
            "lokasi": "Aula SMA Negeri 1 Wlingi",
            "tahapan": "",
            "program": "",
            "target_peserta.jumlah": "120",
            "anggaran": "banyak",
        }
        refused = await form_post(client, page, f"/perencanaan/{kegiatan_id}/ubah", fields)
        assert refused.status_code == 422, refused.text[:500]
        assert field_error(refused.text, "f-ub-anggaran"), refused.text
        assert input_value(refused.text, "f-ub-judul") == "Sosialisasi Pengawasan Pemilih Pemula"  # kept
        assert input_value(refused.text, "f-ub-anggaran") == "banyak"
        unchanged = (await stack.clients["planning"].get(f"/kegiatan/{kegiatan_id}", headers=stack.headers())).json()
        assert unchanged["judul"] == "Sosialisasi Pengawasan Partisipatif"

        saved = await form_post(
            client, refused.text, f"/perencanaan/{kegiatan_id}/ubah", {**fields, "anggaran": "2.500.000"}
        )
        assert saved.status_code == 303, saved.text[:500]
        shown = text_of((await client.get(f"/perencanaan/{kegiatan_id}")).text)
        assert "Rincian kegiatan tersimpan." in shown and "Aula SMA Negeri 1 Wlingi" in shown
    k = (await stack.clients["planning"].get(f"/kegiatan/{kegiatan_id}", headers=stack.headers())).json()
    assert (k["judul"], k["lokasi"], k["anggaran"], k["target_peserta"]["jumlah"], k["status"]) == (
        "Sosialisasi Pengawasan Pemilih Pemula",
        "Aula SMA Negeri 1 Wlingi",
        2_500_000,
        120,
        "scheduled",
    )


def plan_document(year: int, title: str) -> bytes:
    return f"""\
RENCANA KEGIATAN TAHUN {year} BAWASLU KABUPATEN BLITAR

DIVISI PENCEGAHAN, PARTISIPASI MASYARAKAT DAN HUBUNGAN MASYARAKAT

1. {title}

I. Latar Belakang

Warga perlu dilibatkan sejak awal dalam pengawasan tahapan pemilihan.

V. Pelaksanaan Kegiatan

Forum dilaksanakan pada minggu kedua bulan Maret dengan Peserta 45 Orang, bertempat di Pendopo Kecamatan Wlingi.
""".encode()


async def test_an_import_is_corrected_in_its_review_before_it_is_confirmed(stack: Stack) -> None:
    operator = await stack.akun("operator", divisi="P2H")
    year = dt.date.today().year + 1
    title = f"Forum Warga Kecamatan Wlingi {dt.datetime.now().strftime('%H%M%S%f')}"
    async with console(stack, operator) as client:
        form = (await client.get("/perencanaan/impor")).text
        review = await client.post(
            "/perencanaan/impor",
            data={"csrf": csrf_of(form)},
            files={"berkas": ("rencana.txt", plan_document(year, title), "text/plain")},
        )
        assert review.status_code == 200, review.text[:800]
        assert "Simpan koreksi" in review.text and input_value(review.text, "f-k0-judul") == title
        token = re.search(r'name="token" value="([^"]+)"', review.text)
        assert token
        correction = {
            "token": token.group(1),
            "indeks": "0",
            "judul": "ab",
            "jenis": "rapat_koordinasi",
            "divisi": "P2H",
            "jadwal.mulai": f"{year}-03-10",
            "jadwal.selesai": f"{year}-03-09",
            "jadwal.presisi": "tanggal",
            "jadwal.keterangan": "",
            "lokasi": "Balai Desa Babadan",
            "tahapan": "",
            "program": "forum_warga",
            "target_peserta.jumlah": "50",
            "anggaran": "",
        }
        refused = await form_post(client, review.text, "/perencanaan/impor/koreksi", correction)
        assert refused.status_code == 422, refused.text[:500]
        assert field_error(refused.text, "f-k0-judul") and field_error(refused.text, "f-k0-jadwal-selesai")
        assert input_value(refused.text, "f-k0-lokasi") == "Balai Desa Babadan"  # what was typed, kept
        fixed = {**correction, "judul": f"{title} (koreksi)", "jadwal.selesai": f"{year}-03-10"}
        kept = await form_post(client, refused.text, "/perencanaan/impor/koreksi", fixed)
        assert kept.status_code == 200 and "dikoreksi" in kept.text, kept.text[:500]
        listed = await stack.clients["planning"].get(
            "/kegiatan", params={"dari": f"{year}-03-01", "sampai": f"{year}-03-31"}, headers=stack.headers()
        )
        assert title not in listed.text  # nothing stored before confirming

        confirmed = await form_post(client, kept.text, "/perencanaan/impor/konfirmasi", {"token": token.group(1)})
        assert confirmed.status_code == 303, confirmed.text[:500]
        shown = text_of((await client.get("/perencanaan")).text)
        assert "1 dikoreksi" in shown, shown[:2000]
    found = [
        k
        for k in (
            await stack.clients["planning"].get(
                "/kegiatan", params={"dari": f"{year}-03-01", "sampai": f"{year}-03-31"}, headers=stack.headers()
            )
        ).json()
        if k["judul"].startswith(title)
    ]
    assert len(found) == 1, found
    k = found[0]
    assert (k["judul"], k["jenis"], k["lokasi"], k["target_peserta"]["jumlah"], k["status"]) == (
        f"{title} (koreksi)",
        "rapat_koordinasi",
        "Balai Desa Babadan",
        50,
        "scheduled",
    )
    assert (k["jadwal"]["mulai"], k["jadwal"]["selesai"]) == (f"{year}-03-10", f"{year}-03-10")
