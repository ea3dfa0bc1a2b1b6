"""The success of participatory supervision per province, drillable to kab/kota and kecamatan,
per year (Pasal 30 ayat (4)), from what the service recorded."""

from __future__ import annotations

import uuid
from typing import Any

from awasi_cli.testing import eventually
from awasi_common.vocabulary import Program
from awasi_participation.domain.base import today_in

FORUM = {"metode": "dialogis", "pertemuan": ["tatap_muka"]}
POJOK = {
    "tempat": "kantor",
    "alamat": "Kantor Panwaslu Kecamatan",
    "jam_buka": [{"hari": "senin", "buka": "08:00", "tutup": "16:00"}],
}


async def test_success_per_province_kab_kota_and_kecamatan(start_service, tokens, publish, make_kegiatan) -> None:
    svc = await start_service("participation")
    ri = tokens("00", "admin")
    bantul, kalsel_kab = tokens("34.02"), tokens("63.01")
    today = today_in("00")
    year = today.year

    async def post(path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        answer = await svc.post(path, json=body, headers=headers)
        assert answer.status_code in (200, 201), answer.text
        return dict(answer.json())

    forum = await post(
        "/program", {"unit": "34.02", "program": "forum_warga", "nama": "FW Bantul", "forum_warga": FORUM}, bantul
    )
    await post(
        "/program",
        {"unit": "34.02.01", "program": "pojok_pengawasan", "nama": "Pojok Srandakan", "pojok_pengawasan": POJOK},
        tokens("34.02.01"),
    )
    await post(
        "/program",
        {"unit": "63.01", "program": "forum_warga", "nama": "FW Tanah Laut", "forum_warga": FORUM},
        kalsel_kab,
    )

    kegiatan_id = str(uuid.uuid4())
    await publish(make_kegiatan(kegiatan_id, "34.02", Program.FORUM_WARGA, target_peserta=10))

    async def linked() -> bool:
        answer = await svc.get(f"/program-kegiatan/{kegiatan_id}", headers=bantul)
        return answer.status_code == 200 and answer.json()["program_id"] == forum["id"]

    await eventually(linked)
    first = await post(f"/program-kegiatan/{kegiatan_id}/peserta", {"nama": "Ayu", "sasaran": "pemilih_pemula"}, {})
    await post(f"/program-kegiatan/{kegiatan_id}/peserta", {"nama": "Bima", "sasaran": "tokoh_agama"}, {})
    await post(f"/program-kegiatan/{kegiatan_id}/kehadiran", {"kode_hadir": first["kode_hadir"]}, {})
    await post(
        f"/program-kegiatan/{kegiatan_id}/umpan-balik",
        {"kode_hadir": first["kode_hadir"], "pemahaman_meningkat": True, "skor": 4},
        {},
    )

    indicators = await post(
        "/indikator",
        {
            "nama": "Indikator uji",
            "nomor_keputusan": "003/HK.01.00/K1",
            "indikator": [{"kode": "PHM", "nama": "Pemahaman meningkat", "target": 70}],
        },
        ri,
    )
    monitoring = await post(
        "/pemantauan", {"unit": "34.02", "tanggal": today.isoformat(), "ringkasan": "Pantau FW"}, bantul
    )
    for dinilai, value in (("34.02", 90), ("34.02.01", 40)):
        await post(
            "/penilaian",
            {
                "unit": "34.02",
                "unit_dinilai": dinilai,
                "tahun": year,
                "indikator_set_id": indicators["id"],
                "nilai": {"PHM": value},
                "pemantauan_ids": [monitoring["id"]],
            },
            bantul,
        )
    kalsel_monitoring = await post(
        "/pemantauan", {"unit": "63.01", "tanggal": today.isoformat(), "ringkasan": "Pantau"}, kalsel_kab
    )
    await post(
        "/penilaian",
        {
            "unit": "63.01",
            "tahun": year,
            "indikator_set_id": indicators["id"],
            "nilai": {"PHM": 10},
            "pemantauan_ids": [kalsel_monitoring["id"]],
        },
        kalsel_kab,
    )

    national = (await svc.get("/keberhasilan", params={"unit": "00", "tahun": year}, headers=ri)).json()
    rows = {row["unit"]: row for row in national["wilayah"]}
    assert len(rows) == 38 and national["nama"] == "Bawaslu Republik Indonesia"
    yogya, kalsel, aceh = rows["34"], rows["63"], rows["11"]
    assert yogya["nama"] and (yogya["program_aktif"], yogya["program_per_jenis"]["pojok_pengawasan"]) == (2, 1)
    assert (yogya["penilaian"], yogya["penilaian_memenuhi"], yogya["tingkat_keberhasilan"]) == (2, 1, 50.0)
    assert (yogya["peserta_terdaftar"], yogya["peserta_hadir"], yogya["persentase_kehadiran"]) == (2, 1, 50.0)
    assert (yogya["forum_warga_terlaksana"], yogya["persentase_pemahaman_meningkat"], yogya["pemantauan"]) == (
        1,
        100.0,
        1,
    )
    assert (kalsel["program_aktif"], kalsel["penilaian"], kalsel["tingkat_keberhasilan"]) == (1, 1, 0.0)
    assert kalsel["tindak_lanjut_diperlukan"] == 1
    assert (aceh["program_aktif"], aceh["tingkat_keberhasilan"]) == (0, None)
    assert national["total"]["penilaian"] >= 3

    province = (await svc.get("/keberhasilan", params={"unit": "34", "tahun": year}, headers=ri)).json()
    kab_rows = {row["unit"]: row for row in province["wilayah"]}
    assert "34.71" in kab_rows and kab_rows["34.02"]["penilaian"] == 2 and kab_rows["34.71"]["penilaian"] == 0

    kab = (await svc.get("/keberhasilan", params={"tahun": year}, headers=tokens("34.02", "viewer"))).json()
    assert kab["unit"] == "34.02"
    kecamatan = {row["unit"]: row for row in kab["wilayah"]}
    srandakan = kecamatan["34.02.01"]
    assert (srandakan["program_aktif"], srandakan["penilaian"], srandakan["penilaian_memenuhi"]) == (1, 1, 0)
    own = kab["unit_sendiri"]
    assert (own["program_aktif"], own["penilaian"], own["tingkat_keberhasilan"], own["pemantauan"]) == (1, 1, 100.0, 1)
    assert own["kewajiban_terpenuhi"] >= 1  # this month's pemantauan
    assert (own["tindak_lanjut_diperlukan"], kab["total"]["tindak_lanjut_diperlukan"]) == (
        1,
        1,
    )  # Srandakan's, owed by Bantul

    assert (await svc.get("/keberhasilan", params={"unit": "34.02.01"}, headers=ri)).status_code == 422
    assert (await svc.get("/keberhasilan", params={"unit": "34"}, headers=tokens("63", "viewer"))).status_code == 403
    previous = (await svc.get("/keberhasilan", params={"unit": "34", "tahun": year - 1}, headers=ri)).json()
    assert previous["total"]["penilaian"] == 0
