"""Partisipasi's forms without a browser, over real HTTP against the real stack: a pemantauan, a
penilaian on it, the tindak lanjut of the unmet penilaian, and a peserta registered on a program
kegiatan's page; each recorded through participation (read back from its API), each refusal
beside its field with the article of Perbawaslu 2/2023, a form without its CSRF token refused."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from awasi_common.calendar import local_date

from .conftest import UNIT, Stack
from .test_operasi import console, csrf_of
from .test_ubah_kegiatan import field_error, form_post


async def test_pemantauan_then_penilaian_then_its_tindak_lanjut(stack: Stack) -> None:
    participation = stack.clients["participation"]
    operator = await stack.akun("operator", divisi="P2H")
    today = local_date(dt.datetime.now(dt.UTC), UNIT)
    ringkasan = f"Forum Warga Wlingi berjalan, peserta aktif {uuid.uuid4().hex[:6]}"
    kode = f"i{uuid.uuid4().hex[:8]}"
    made = await participation.post(
        "/indikator",
        json={
            "nama": f"Indikator uji {kode}",
            "nomor_keputusan": "1/KEP/2026",
            "tahun": today.year,
            "indikator": [{"kode": kode, "nama": "Peserta forum", "target": 10}],
        },
        headers=stack.headers("00", "admin"),
    )
    assert made.status_code == 201, made.text
    set_id = made.json()["id"]
    async with console(stack, operator) as client:
        page = (await client.get("/partisipasi")).text
        assert "Catat pemantauan" in page and "Tetapkan penilaian" in page
        fields = {"tanggal": today.isoformat(), "cakupan": "36.01", "ringkasan": ringkasan, "program": "forum_warga"}
        no_csrf = await client.post("/partisipasi/pemantauan", data=fields)
        assert no_csrf.status_code == 403
        refused = await form_post(client, page, "/partisipasi/pemantauan", fields)
        assert refused.status_code == 422, refused.text[:500]
        assert "Pasal 30 ayat (1)" in field_error(refused.text, "f-pm-cakupan"), refused.text
        assert ringkasan in refused.text  # what was typed, kept
        saved = await form_post(client, refused.text, "/partisipasi/pemantauan", {**fields, "cakupan": ""})
        assert saved.status_code == 303, saved.text[:500]
        listed = await participation.get("/pemantauan", params={"unit": UNIT}, headers=stack.headers())
        pemantauan = next(m for m in listed.json() if m["ringkasan"] == ringkasan)
        assert pemantauan["program"] == ["forum_warga"] and pemantauan["cakupan"] == [UNIT]

        page = (await client.get("/partisipasi")).text
        assert pemantauan["id"] in page
        nilai = {"unit_dinilai": UNIT, "tahun": str(today.year), "indikator_set_id": set_id, f"nilai.{kode}": "4"}
        refused = await form_post(client, page, "/partisipasi/penilaian", nilai)  # no pemantauan chosen
        assert refused.status_code == 422, refused.text[:500]
        assert "Pasal 30 ayat (2)" in field_error(refused.text, "f-pn-pemantauan-ids"), refused.text
        saved = await form_post(
            client, refused.text, "/partisipasi/penilaian", {**nilai, "pemantauan_ids": pemantauan["id"]}
        )
        assert saved.status_code == 303, saved.text[:500]
        found = await participation.get("/penilaian", params={"unit": UNIT}, headers=stack.headers())
        penilaian = next(n for n in found.json() if pemantauan["id"] in n["pemantauan_ids"])
        assert (penilaian["memenuhi"], penilaian["status_tindak_lanjut"]) == (False, "diperlukan")

        page = (await client.get("/partisipasi")).text
        action = f"/partisipasi/penilaian/{penilaian['id']}/tindak-lanjut"
        lanjut = {"evaluasi": "Undangan terlambat sampai", "strategi_baru": "Undangan dua minggu sebelumnya"}
        refused = await form_post(client, page, action, lanjut)  # no media
        assert refused.status_code == 422, refused.text[:500]
        assert "Pasal 31 ayat (2)" in field_error(refused.text, f"f-tl-{penilaian['id']}-media"), refused.text
        assert "Undangan dua minggu sebelumnya" in refused.text
        saved = await client.post(action, data={"csrf": csrf_of(refused.text), **lanjut, "media": ["tatap_muka"]})
        assert saved.status_code == 303, saved.text[:500]
    after = (await participation.get(f"/penilaian/{penilaian['id']}", headers=stack.headers())).json()
    assert after["status_tindak_lanjut"] == "dicatat" and after["tindak_lanjut"]["media"] == ["tatap_muka"]


async def test_a_peserta_registered_on_the_kegiatan_page(stack: Stack) -> None:
    operator = await stack.akun("operator", divisi="P2H")
    day = local_date(dt.datetime.now(dt.UTC), UNIT).isoformat()
    made = await stack.clients["planning"].post(
        "/kegiatan",
        json={
            "unit": UNIT,
            "divisi": "P2H",
            "judul": f"Forum Warga Kanigoro {uuid.uuid4().hex[:6]}",
            "jenis": "sosialisasi",
            "jadwal": {"mulai": day, "selesai": day},
            "program": "forum_warga",
        },
        headers=stack.headers(UNIT, "operator", "P2H"),
    )
    assert made.status_code == 201, made.text
    kegiatan_id = made.json()["id"]
    for _ in range(100):  # participation learns of it from planning's event
        known = await stack.clients["participation"].get(f"/program-kegiatan/{kegiatan_id}", headers=stack.headers())
        if known.status_code == 200:
            break
        await asyncio.sleep(0.2)
    assert known.status_code == 200, known.text
    async with console(stack, operator) as client:
        page = (await client.get(f"/partisipasi/kegiatan/{kegiatan_id}")).text
        assert "Daftarkan peserta" in page
        action = f"/partisipasi/kegiatan/{kegiatan_id}/peserta"
        fields = {"nama": "Budi Santoso", "sasaran": "dosen_aktif", "instansi": "Karang Taruna Kanigoro"}
        assert (await client.post(action, data=fields)).status_code == 403
        refused = await form_post(client, page, action, fields)
        assert refused.status_code == 422, refused.text[:500]
        assert "Pasal" in field_error(refused.text, "f-ps-sasaran"), refused.text
        assert "Karang Taruna Kanigoro" in refused.text
        saved = await form_post(client, refused.text, action, {**fields, "sasaran": "pemilih_pemula"})
        assert saved.status_code == 303, saved.text[:500]
        shown = (await client.get(f"/partisipasi/kegiatan/{kegiatan_id}")).text
        assert "Budi Santoso terdaftar; kode hadir" in shown
    peserta = await stack.clients["participation"].get(
        f"/program-kegiatan/{kegiatan_id}/peserta", headers=stack.headers(UNIT, "operator", "P2H")
    )
    assert [(p["nama"], p["sasaran"], p["instansi"]) for p in peserta.json()] == [
        ("Budi Santoso", "pemilih_pemula", "Karang Taruna Kanigoro")
    ]
