"""Migration 0003: the Pojok reports kept in participation's outbox from before v2 (published
and retained for republishing, or waiting for the relay) lose their reporter in clear. Each
row becomes the v2 event with the same id, the identity sealed; other rows are left alone."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from alembic import command

from awasi_common.db import create_engine, ensure_database
from awasi_common.events.participation import LaporanPojokDiterima, LaporanPojokDiterimaV2, PelaporPojok
from awasi_common.events.planning import Jadwal, KegiatanScheduled, KegiatanSnapshot
from awasi_common.migrations import alembic_config
from awasi_common.outbox import outbox_row
from awasi_common.sealing import KeyRing
from awasi_common.settings import PlatformSettings
from awasi_common.vocabulary import Divisi
from awasi_participation.bootstrap import MIGRATIONS

OUTBOX = sa.table(
    "outbox",
    sa.column("event_id", sa.String),
    sa.column("shard", sa.SmallInteger),
    sa.column("topic", sa.String),
    sa.column("key", sa.String),
    sa.column("headers", sa.JSON),
    sa.column("payload", sa.LargeBinary),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("published_at", sa.DateTime(timezone=True)),
)


def v1_report(pojok_id: str) -> LaporanPojokDiterima:
    return LaporanPojokDiterima(
        unit="35.05",
        laporan_pojok_id=pojok_id,
        program_id="program-1",
        pelapor=PelaporPojok(nama="Warga Lama", telepon="081200000001", email="warga.lama@example.org"),
        terlapor="Calon X",
        peristiwa_apa="Politik uang",
        peristiwa_tempat="Pasar",
        waktu_kejadian=dt.date(2026, 11, 20),
        waktu_diketahui=dt.date(2026, 11, 21),
        uraian="Uang dibagikan.",
        saksi=["Saksi Lama"],
        diterima_pada=dt.datetime(2026, 11, 21, 3, 0, tzinfo=dt.UTC),
    )


async def rows(engine: Any) -> dict[str, tuple[dict[str, Any], bytes]]:
    async with engine.connect() as connection:
        result = await connection.execute(sa.select(OUTBOX.c.event_id, OUTBOX.c.headers, OUTBOX.c.payload))
        return {
            r.event_id: (r.headers if isinstance(r.headers, dict) else json.loads(r.headers), bytes(r.payload))
            for r in result
        }


async def test_migration_seals_the_pojok_reports_kept_in_the_outbox(database_url) -> None:
    url = database_url("participation")
    await ensure_database(url)
    config = alembic_config(MIGRATIONS, url)
    await asyncio.to_thread(command.upgrade, config, "0002")
    published, waiting = v1_report("pojok-published"), v1_report("pojok-waiting")
    day = dt.date(2026, 12, 1)
    other = KegiatanScheduled(
        unit="35.05",
        kegiatan_id="k1",
        kegiatan=KegiatanSnapshot(
            kegiatan_id="k1",
            divisi=Divisi.P2H,
            judul="Forum Warga",
            jenis="sosialisasi",
            jadwal=Jadwal(mulai=day, selesai=day, presisi="tanggal"),
        ),
    )
    written = {event.key: outbox_row(event) for event in (published, waiting, other)}
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for key, row in written.items():
                sent = dt.datetime.now(dt.UTC) if key == "pojok-published" else None
                await connection.execute(sa.insert(OUTBOX).values(**row, published_at=sent))
        before = await rows(engine)

        await asyncio.to_thread(command.upgrade, config, "0003")
        after = await rows(engine)
        keys = KeyRing(PlatformSettings().pojok_identity_keys())
        for old in (published, waiting):
            event_id = str(written[old.key]["event_id"])
            headers, payload = after[event_id]
            assert headers["ce_type"] == "awasi.LaporanPojokDiterima.v2"
            assert headers["ce_id"] == before[event_id][0]["ce_id"]  # the same event: consumers deduplicate
            assert b"Lama" not in payload and b"0812" not in payload
            new = LaporanPojokDiterimaV2.model_validate_json(payload)
            identitas = new.identitas(keys)
            assert (identitas.pelapor, identitas.saksi) == (old.pelapor, ["Saksi Lama"])
            assert new.model_dump(exclude={"identitas_tersegel"}) == old.model_dump(exclude={"pelapor", "saksi"})
        untouched = str(written["k1"]["event_id"])
        assert after[untouched] == before[untouched]

        # Back to the code that reads v1 only: what it would publish again.
        await asyncio.to_thread(command.downgrade, config, "0002")
        again = await rows(engine)
        for old in (published, waiting):
            headers, payload = again[str(written[old.key]["event_id"])]
            assert headers["ce_type"] == "awasi.LaporanPojokDiterima.v1"
            assert LaporanPojokDiterima.model_validate_json(payload) == old
    finally:
        await engine.dispose()
