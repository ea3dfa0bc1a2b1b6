"""Schemathesis against reporting's live OpenAPI (tests/fuzz/api.py)."""

from __future__ import annotations

from typing import Any

import httpx

from .api import CLIENT_TIMEOUT, QUIET_RANDOM, TODAY, UNIT, created, fuzz
from .conftest import StartLive

pytestmark = QUIET_RANDOM


async def test_reporting_api(live_service: StartLive, tokens: Any) -> None:
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
    await fuzz(live, tokens, known)
