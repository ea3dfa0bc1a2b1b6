"""Reports written at a Pojok Pengawasan arrive from participation over the real broker and
become laporan (once, however often delivered), their reporter sealed on the way and encrypted
at rest; a deadline that passes raises an alert."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from awasi_cli.testing import eventually
from awasi_common.calendar import add_working_days
from awasi_common.events.base import dead_letter_topic
from awasi_common.events.participation import (
    IdentitasPojok,
    LaporanPojokDiterima,
    LaporanPojokDiterimaV2,
    PelaporPojok,
)
from awasi_common.events.reporting import LAPORAN_TOPIC, PELAPOR_NOTICE_TOPIC, TENGGAT_TOPIC
from awasi_common.sealing import CONTACT_CONTEXT, KeyRing
from awasi_common.settings import PlatformSettings
from awasi_reporting.domain.vocabulary import local_date

# A unit no other test uses: the reporting consumer group may also receive other tests' events.
UNIT = "52.01"


PELAPOR = PelaporPojok(
    nama="Rahmat Pojok",
    tempat_lahir="Blitar",
    tanggal_lahir=dt.date(1985, 2, 1),
    jenis_kelamin="L",
    pekerjaan="Pedagang",
    kewarganegaraan="Indonesia",
    alamat="Desa Kademangan",
    telepon="085700000000",
    email="rahmat.pojok@example.org",
)


def report_fields(pojok_id: str, received: dt.datetime) -> dict[str, Any]:
    day = local_date(received, UNIT)  # the report's days are its unit's (WITA here)
    return {
        "unit": UNIT,
        "laporan_pojok_id": pojok_id,
        "program_id": "program-pojok-1",
        "terlapor": "Oknum perangkat desa",
        "peristiwa_apa": "Perangkat desa mengarahkan warga memilih calon tertentu",
        "peristiwa_tempat": "Balai Desa Kademangan",
        "waktu_kejadian": day - dt.timedelta(days=1),
        "waktu_diketahui": day - dt.timedelta(days=1),
        "uraian": "Dalam rapat desa, perangkat desa meminta warga memilih calon tertentu.",
        "diterima_pada": received,
    }


def pojok_event(pojok_id: str, received: dt.datetime) -> LaporanPojokDiterimaV2:
    """As participation publishes it: the reporter and the witness sealed with the keys the two
    services share."""
    keys = KeyRing(PlatformSettings().pojok_identity_keys())
    sealed = IdentitasPojok(pelapor=PELAPOR, saksi=["Sutini"]).seal(keys, pojok_id)
    return LaporanPojokDiterimaV2(**report_fields(pojok_id, received), identitas_tersegel=sealed)


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the test's own: reporting's group on the shared one also reads the Pojok
    reports earlier tests left for these units, which take numbers and raise alerts too."""
    return private_broker


async def test_pojok_report_becomes_a_laporan_once_and_its_passed_deadline_raises_an_alert(
    start_service, tokens, consume, publish, unique, monkeypatch
) -> None:
    monkeypatch.setenv("AWASI_REPORTING_DEADLINE_CHECK_SECONDS", "0.3")
    reporting = await start_service("reporting")
    auth = tokens(UNIT, "penanganan")
    pojok_id = unique("pojok")
    # Written at the Pojok Pengawasan twelve days ago: its kajian awal fell due long since.
    received = dt.datetime.now(dt.UTC) - dt.timedelta(days=12)
    event = pojok_event(pojok_id, received)
    first = await publish(event)
    await publish(event, ce_id=first)  # redelivery of the same event
    await publish(event)  # the same report sent again as a new event

    async def registered() -> list[dict[str, Any]]:
        listed = await reporting.get("/laporan", params={"unit": UNIT}, headers=auth)
        return [row for row in listed.json() if row["kanal"] == "pojok_pengawasan"]

    rows = await eventually(registered)
    laporan_id = rows[0]["id"]
    detail = (await reporting.get(f"/laporan/{laporan_id}", headers=auth)).json()
    assert detail["kanal"] == "pojok_pengawasan" and detail["jumlah_saksi"] == 1
    assert detail["kekurangan_syarat"] == []  # the Pojok form carried the whole B.1 identity
    assert dt.datetime.fromisoformat(detail["diterima_pada"]) == received
    identity = (await reporting.get(f"/laporan/{laporan_id}/identitas", headers=auth)).json()
    assert identity["pelapor"]["nama"] == "Rahmat Pojok" and identity["pelapor"]["jenis_kelamin"] == "laki_laki"

    submitted = await consume(LAPORAN_TOPIC, key=laporan_id)
    assert submitted[0]["type"] == "awasi.LaporanSubmitted.v1" and b"Rahmat" not in submitted[0]["raw"]
    assert submitted[0]["data"]["kanal"] == "pojok_pengawasan"
    notice = await consume(PELAPOR_NOTICE_TOPIC, key=laporan_id)
    assert notice[0]["data"]["email"] is None and b"rahmat" not in notice[0]["raw"]  # sealed for notification
    contacts = KeyRing(PlatformSettings().contact_keys())
    assert contacts.open_text(notice[0]["data"]["email_tersegel"], CONTACT_CONTEXT) == "rahmat.pojok@example.org"

    due = add_working_days(local_date(received, UNIT), 2)
    alerts = await consume(TENGGAT_TOPIC, key=laporan_id, timeout=20)
    assert len(alerts) == 1, "one alert per deadline, however often the job runs"
    alert = alerts[0]
    assert alert["type"] == "awasi.TenggatPenangananTerlewati.v1" and alert["headers"]["ce_unit"] == UNIT
    assert alert["data"]["tahap"] == "kajian_awal" and alert["data"]["tenggat"] == due.isoformat()
    assert detail["kode_pelacakan"] in alert["data"]["pesan"] and "terlewati" in alert["data"]["pesan"]
    assert b"Rahmat" not in alert["raw"]

    # Checking again (as an operator would after an outage) raises nothing twice.
    assert (await reporting.post("/tenggat/periksa", headers=tokens("00", "admin"))).json() == {"peringatan": 0}
    assert (await reporting.post("/tenggat/periksa", headers=auth)).status_code == 403

    # Taking the step moves the deadline on; the new deadline gets its own alert only when it passes.
    started = await reporting.post(f"/laporan/{laporan_id}/kajian-awal", json={}, headers=auth)
    assert started.status_code == 200
    assert len(await registered()) == 1  # still exactly one laporan for the Pojok report


async def test_a_pojok_report_published_before_v2_still_becomes_a_laporan_encrypted_at_rest(
    start_service, tokens, publish, unique
) -> None:
    """v1 carried the identity in clear and is no longer published; one still on the topic (or
    republished from an outbox the migration did not reach) is handled like v2."""
    reporting = await start_service("reporting")
    auth = tokens(UNIT, "penanganan")
    pojok_id = unique("pojok-v1")
    received = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    await publish(LaporanPojokDiterima(**report_fields(pojok_id, received), pelapor=PELAPOR, saksi=["Sutini"]))

    async def this_one() -> str | None:
        service = start_service.apps["reporting"].state.service
        async with service.sessions() as session:
            return await session.scalar(sa.text("SELECT id FROM laporan WHERE sumber_id = :id"), {"id": pojok_id})

    laporan_id = await eventually(this_one)
    identity = (await reporting.get(f"/laporan/{laporan_id}/identitas", headers=auth)).json()
    assert identity["pelapor"]["nama"] == "Rahmat Pojok" and [s["nama"] for s in identity["saksi"]] == ["Sutini"]
    service = start_service.apps["reporting"].state.service
    async with service.sessions() as session:
        row = (await session.execute(sa.text("SELECT * FROM laporan WHERE id = :id"), {"id": laporan_id})).one()
    assert "Rahmat" not in str(row) and "Sutini" not in str(row)  # stored with reporting's own keys


async def test_a_pojok_report_sealed_with_a_key_reporting_lacks_is_dead_lettered_still_sealed(
    start_service, publish, consume, unique
) -> None:
    reporting = await start_service("reporting")
    pojok_id = unique("pojok-kunci-lain")
    foreign = KeyRing(["a key reporting was never given"])
    sealed = IdentitasPojok(pelapor=PELAPOR, saksi=["Sutini"]).seal(foreign, pojok_id)
    received = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    await publish(LaporanPojokDiterimaV2(**report_fields(pojok_id, received), identitas_tersegel=sealed))

    (dead,) = await consume(dead_letter_topic("awasi.reporting"), key=pojok_id)
    assert dead["type"] == "awasi.LaporanPojokDiterima.v2" and "x-awasi-error" in dead["headers"]
    assert b"Rahmat" not in dead["raw"] and "Rahmat" not in dead["headers"]["x-awasi-error"]
    async with start_service.apps["reporting"].state.service.sessions() as session:
        count = "SELECT count(*) FROM laporan WHERE sumber_id = :id"
        assert await session.scalar(sa.text(count), {"id": pojok_id}) == 0
    assert reporting is not None
