"""Participation's API fuzz, split over two files (test_api_fuzz_participation_<n>.py), each a
share of its operations (tests/fuzz/api.py)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from awasi_cli.testing import eventually
from awasi_common.events import Envelope, encode
from awasi_common.events.planning import Jadwal, KegiatanScheduled, KegiatanSnapshot
from awasi_common.vocabulary import Divisi, Program

from .api import CLIENT_TIMEOUT, TODAY, UNIT, created, fuzz
from .conftest import StartLive


async def fuzz_participation(
    live_service: StartLive, tokens: Any, monkeypatch: pytest.MonkeyPatch, share: tuple[int, int]
) -> None:
    """Participation started with a program and a kegiatan of it to aim at, then fuzzed (one
    share of its operations, so that its long run is split over files run side by side)."""
    # A consumer group of its own: joining the shared one right after another test's member
    # left waits for the broker to expire that member.
    monkeypatch.setenv("AWASI_PARTICIPATION_CONSUMER_GROUP", f"awasi.participation.fuzz-{uuid.uuid4().hex[:8]}")
    live = await live_service("participation")
    auth = tokens(UNIT)
    async with httpx.AsyncClient(base_url=live.base_url, timeout=CLIENT_TIMEOUT) as client:
        forum = {
            "unit": UNIT,
            "program": "forum_warga",
            "nama": "Forum Warga Kabupaten Blitar",
            "forum_warga": {"metode": "dialogis", "pertemuan": ["tatap_muka"]},
            "sasaran": ["pemilih_pemula", "pemilih_perempuan"],
        }
        program_id = await created(client, "/program", forum, auth)
        # A kegiatan of the program, as planning announces it over the broker.
        kegiatan_id = str(uuid.uuid4())
        event = KegiatanScheduled(
            unit=UNIT,
            kegiatan_id=kegiatan_id,
            kegiatan=KegiatanSnapshot(
                kegiatan_id=kegiatan_id,
                divisi=Divisi.P2H,
                judul="Forum Warga Pengawasan Partisipatif",
                jenis="sosialisasi",
                jadwal=Jadwal(mulai=TODAY, selesai=TODAY, presisi="tanggal"),
                target_peserta=5,
                program=Program.FORUM_WARGA,
                lokasi="Balai Desa",
            ),
        )
        broker = live.app.state.service.broker
        await broker.publish(encode(event), event.topic, key=event.key.encode(), headers=Envelope.new(event).headers())

        async def linked() -> bool:
            answer = await client.get(f"/program-kegiatan/{kegiatan_id}", headers=auth)
            return answer.status_code == 200

        await eventually(linked)
        peserta = {"nama": "Ani", "sasaran": "pemilih_pemula"}
        answer = await client.post(f"/program-kegiatan/{kegiatan_id}/peserta", json=peserta)
        assert answer.status_code == 201, answer.text
    await fuzz(live, tokens, {"program_id": [program_id], "kegiatan_id": [kegiatan_id]}, share)
