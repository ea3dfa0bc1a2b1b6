"""Reporting's API fuzz, split over three files (test_api_fuzz_reporting_<n>.py), each a share of
its operations (tests/fuzz/api.py)."""

from __future__ import annotations

from typing import Any

import httpx

from .api import CLIENT_TIMEOUT, TODAY, UNIT, created, fuzz
from .conftest import StartLive


async def fuzz_reporting(live_service: StartLive, tokens: Any, share: tuple[int, int]) -> None:
    """Reporting started with a laporan, a temuan and a PSAP to aim at, then fuzzed (one share of
    its operations: reporting has the most, and one run of them all was the suite's longest file)."""
    live = await live_service("reporting")
    admin = tokens("00", "admin")
    peristiwa = {
        "apa": "Pembagian uang disertai ajakan memilih",
        "tempat": "Pasar Wlingi",
        "waktu_kejadian": TODAY.isoformat(),
        "waktu_diketahui": TODAY.isoformat(),
    }
    async with httpx.AsyncClient(base_url=live.base_url, timeout=CLIENT_TIMEOUT) as client:
        laporan = {
            "unit": UNIT,
            "pelapor": {"nama": "Siti", "alamat": "Jl. Mawar 1, Kabupaten Blitar", "telepon": "081234567890"},
            "terlapor": "Tim kampanye X",
            "peristiwa": peristiwa,
            "uraian": "Pembagian uang disertai ajakan memilih.",
        }
        answer = await client.post("/laporan", json=laporan)
        assert answer.status_code == 201, answer.text
        laporan_id = str(answer.json()["laporan_id"])
        temuan = {
            "unit": UNIT,
            "tahapan": "kampanye",
            "peristiwa": peristiwa,
            "terlapor": "Kepala desa",
            "uraian": "Kepala desa berpidato mengajak warga memilih calon tertentu.",
        }
        temuan_id = await created(client, "/temuan", temuan, admin)
        psap = {
            "unit": UNIT,
            "tahapan": "kampanye",
            "tanggal_permohonan": TODAY.isoformat(),
            "pemohon": "Partai A",
            "termohon": "Partai B",
            "objek_sengketa": "Lokasi kampanye bersamaan",
        }
        psap_id = await created(client, "/psap", psap, admin)
    known = {
        "laporan_id": [laporan_id],
        "temuan_id": [temuan_id],
        "case_id": [laporan_id, temuan_id],
        "psap_id": [psap_id],
    }
    await fuzz(live, tokens, known, share)
