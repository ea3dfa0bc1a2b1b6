"""A reporter's identity is confidential whichever channel they came through: after reports
through the public web form, the JSON intake (public and by staff) and a Pojok Pengawasan,
no reporter's or witness's identity is found in clear on any topic, in any service's outbox
or other table, or in any span file. The handling unit still reads it where it is allowed to."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, TopicPartition

from awasi_cli.testing import eventually
from awasi_reporting.domain.vocabulary import local_date

# A unit no other test uses: reporting's consumer group may also receive other tests' events.
UNIT = "53.01"
SERVICES = ("planning", "participation", "reporting", "notification")


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """The test's own broker: every record on it is read back, and the shared broker holds the
    whole suite's (reading those took over a minute)."""
    return private_broker


def identity(channel: str, mark: str) -> dict[str, str]:
    """A reporter whose every written field is a string found nowhere else."""
    digits = str(uuid.UUID(mark).int)[-9:]
    return {
        "nama": f"Wulan {channel} {mark[:10]}",
        "tempat_lahir": f"Tlk{channel}{mark[10:18]}",
        "pekerjaan": f"Pkj{channel}{mark[18:26]}",
        "alamat": f"Jl. Kenanga {channel} {mark[:12]}",
        "telepon": f"0813{digits}",
        "email": f"wulan.{channel}.{mark[:10]}@example.org",
    }


def witness(channel: str, mark: str) -> dict[str, str]:
    return {"nama": f"Saksi {channel} {mark[-10:]}", "telepon": f"0857{str(uuid.UUID(mark).int)[-12:-3]}"}


def secrets_of(person: dict[str, str]) -> list[str]:
    """What must never be seen in clear: each field, and the phone number without its prefix
    (in case some layer rewrote it as +62…)."""
    found = [value.lower() for value in person.values()]
    found += [person["telepon"][2:]] if "telepon" in person else []
    return found


def peristiwa(day: dt.date) -> dict[str, str]:
    return {
        "apa": "Pembagian uang disertai ajakan memilih",
        "tempat": "Pasar Oesao",
        "waktu_kejadian": day.isoformat(),
        "waktu_diketahui": day.isoformat(),
    }


def json_laporan(channel: str, mark: str, day: dt.date, **extra: Any) -> dict[str, Any]:
    return {
        "unit": UNIT,
        "pelapor": {**identity(channel, mark), "kewarganegaraan": "Indonesia", "tanggal_lahir": "1991-03-04"},
        "terlapor": "Tim kampanye calon fiktif",
        "peristiwa": peristiwa(day),
        "saksi": [witness(channel, mark)],
        "uraian": "Tim kampanye membagikan amplop berisi uang kepada pedagang pasar.",
        **extra,
    }


def web_form(mark: str, day: dt.date) -> dict[str, str]:
    pelapor = identity("web", mark)
    saksi = witness("web", mark)
    return {
        "unit": UNIT,
        "pemilihan": "pemilu",
        "terlapor": "Tim kampanye calon fiktif",
        "uraian": "Tim kampanye membagikan amplop berisi uang kepada pedagang pasar.",
        "persetujuan": "ya",
        "pelapor.kewarganegaraan": "Indonesia",
        **{f"pelapor.{k}": v for k, v in pelapor.items()},
        **{f"peristiwa.{k}": v for k, v in peristiwa(day).items()},
        "saksi.0.nama": saksi["nama"],
        "saksi.0.telepon": saksi["telepon"],
    }


POJOK = {
    "tempat": "kantor",
    "alamat": "Kantor Bawaslu Kabupaten Kupang",
    "jam_buka": [{"hari": d, "buka": "08:00", "tutup": "15:00"} for d in ("senin", "selasa", "rabu", "kamis", "jumat")],
}


def leaks(text: str, secrets: Iterable[str]) -> list[str]:
    lowered = text.lower()
    return [secret for secret in secrets if secret in lowered]


def as_text(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


async def every_record_on_the_broker(bootstrap: str) -> list[tuple[str, str]]:
    """(topic, text) for every record of every awasi.* topic, keys and headers included."""
    # "earliest" as the default too: assign() starts a reset to the default at once, and aiokafka
    # applies a reset's answer even when seek_to_beginning asked for another strategy while it
    # was on its way (``Fetcher._update_fetch_positions``: "if tp_state.awaiting_reset:
    # reset_to(offset)"). With "latest", now and then some partitions began at their end and
    # their records never came: positions equal to the ends, in CI's log of a rerun.
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    found: list[tuple[str, str]] = []
    try:
        await consumer._client.force_metadata_update()
        names = sorted(topic for topic in await consumer.topics() if topic.startswith("awasi."))
        partitions = [TopicPartition(t, p) for t in names for p in sorted(consumer.partitions_for_topic(t) or ())]
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        remaining = {tp for tp in partitions if ends[tp] > 0}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        progress = loop.time()
        while remaining and loop.time() < deadline:
            batch = await consumer.getmany(timeout_ms=500, max_records=2000)
            for tp, records in batch.items():
                progress = loop.time()
                for record in records:
                    parts = [as_text(record.key or b""), as_text(record.value or b"")]
                    parts += [f"{k}={as_text(v)}" for k, v in record.headers]
                    found.append((tp.topic, " ".join(parts)))
                    if record.offset + 1 >= ends[tp]:
                        remaining.discard(tp)
            if remaining and loop.time() - progress > 10:
                # Nothing for 10 s with partitions unread: read those again from their beginning
                # (their records are searched, so reading one twice changes nothing).
                await consumer.seek_to_beginning(*remaining)
                progress = loop.time()
        unread = {str(tp): (await consumer.position(tp), ends[tp]) for tp in sorted(remaining)}
        assert not remaining, f"could not read every record of (position, end): {unread}"
        assert names, "no awasi.* topic found"
    finally:
        await consumer.stop()
    return found


async def every_row(app: Any) -> list[tuple[str, str]]:
    """(table, text) for every row of every table in one service's database (outbox included)."""
    service = app.state.service
    found: list[tuple[str, str]] = []
    async with service.sessions() as session:
        connection = await session.connection()
        names = await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names())
        assert "outbox" in names
        for name in names:
            result = await session.execute(sa.text(f'SELECT * FROM "{name}"'))
            for row in result:
                found.append((name, " ".join(as_text(value) for value in row)))
    return found


def every_file(data_dir: Path) -> dict[str, str]:
    """Every file the services wrote under the data dir (the span files among them)."""
    return {str(p.relative_to(data_dir)): as_text(p.read_bytes()) for p in data_dir.rglob("*") if p.is_file()}


async def test_no_clear_identity_anywhere_after_reports_through_every_channel(
    start_service, tokens, kafka_bootstrap, platform_settings, monkeypatch
) -> None:
    # Participation here only hands the Pojok report over: its obligation job stays idle, and
    # its consumer group is its own, so it raises no alerts for other tests' units.
    monkeypatch.setenv("AWASI_PARTICIPATION_OBLIGATION_FIRST_RUN_SECONDS", "3600")
    monkeypatch.setenv("AWASI_PARTICIPATION_CONSUMER_GROUP", f"awasi.participation.test-{uuid.uuid4().hex[:8]}")
    clients = {name: await start_service(name) for name in SERVICES}
    apps = start_service.apps
    reporting, participation = clients["reporting"], clients["participation"]
    day = local_date(dt.datetime.now(dt.UTC)) - dt.timedelta(days=1)
    marks = {channel: uuid.uuid4().hex for channel in ("web", "json", "staf", "pojok")}
    secrets = [s for c, m in marks.items() for s in secrets_of(identity(c, m)) + secrets_of(witness(c, m))]

    # 1. The public web form, 2. the public JSON intake, 3. a call center operator's entry.
    page = await reporting.post("/publik/lapor", data=web_form(marks["web"], day))
    assert page.status_code == 201, page.text[:2000]
    public = await reporting.post("/laporan", json=json_laporan("json", marks["json"], day))
    assert public.status_code == 201, public.text
    staff = await reporting.post(
        "/laporan",
        json=json_laporan("staf", marks["staf"], day, kanal="call_center"),
        headers=tokens(UNIT, "operator"),
    )
    assert staff.status_code == 201, staff.text

    # 4. A report written down at a Pojok Pengawasan, handed to reporting over the broker.
    kab = tokens(UNIT)
    formed = await participation.post(
        "/program",
        json={"unit": UNIT, "program": "pojok_pengawasan", "nama": "Pojok Kupang", "pojok_pengawasan": POJOK},
        headers=kab,
    )
    assert formed.status_code == 201, formed.text
    pojok_body = json_laporan("pojok", marks["pojok"], day)
    pojok_body.pop("unit")
    pojok_body["pelapor"]["jenis_kelamin"] = "P"
    pojok_body["saksi"] = [witness("pojok", marks["pojok"])["nama"]]
    handed = await participation.post(f"/program/{formed.json()['id']}/laporan", json=pojok_body, headers=kab)
    assert handed.status_code == 202, handed.text

    # Wait until all four are laporan in reporting and every outbox row is on the broker.
    penanganan = tokens(UNIT, "penanganan")

    async def four_laporan() -> list[dict[str, Any]]:
        listed = (await reporting.get("/laporan", params={"unit": UNIT}, headers=penanganan)).json()
        return listed if {row["kanal"] for row in listed} == {"web", "call_center", "pojok_pengawasan"} else []

    listed = await eventually(four_laporan)
    assert len(listed) == 4

    # The handling unit reads the Pojok reporter, decrypted from what travelled sealed.
    pojok_laporan = next(row for row in listed if row["kanal"] == "pojok_pengawasan")
    opened = (await reporting.get(f"/laporan/{pojok_laporan['id']}/identitas", headers=penanganan)).json()
    expected = identity("pojok", marks["pojok"])
    assert {k: opened["pelapor"][k] for k in expected} == expected
    assert opened["pelapor"]["jenis_kelamin"] == "perempuan"
    assert [s["nama"] for s in opened["saksi"]] == [witness("pojok", marks["pojok"])["nama"]]

    async def outboxes_published() -> bool:
        for name in SERVICES:
            async with apps[name].state.service.sessions() as session:
                pending = await session.scalar(sa.text("SELECT count(*) FROM outbox WHERE published_at IS NULL"))
                if pending:
                    return False
        return True

    await eventually(outboxes_published)

    codes = {row["kode_pelacakan"] for row in listed}

    async def notices_handled() -> bool:  # notification holds a message for each reporter
        text = " ".join(text for _, text in await every_row(apps["notification"]))
        return all(code in text for code in codes)

    await eventually(notices_handled)
    await asyncio.sleep(1)  # let the consumers and the senders settle
    for name in SERVICES:
        apps[name].state.service.telemetry.tracer_provider.force_flush()

    found: list[str] = []
    records = await every_record_on_the_broker(kafka_bootstrap)
    assert all(any(code in text for _, text in records) for code in codes)  # the reports' events were read
    for topic, text in records:
        found += [f"topic {topic}: {secret}" for secret in leaks(text, secrets)]
    for name in SERVICES:
        for table, text in await every_row(apps[name]):
            found += [f"{name} table {table}: {secret}" for secret in leaks(text, secrets)]
    files = await asyncio.to_thread(every_file, Path(platform_settings.data_dir))
    assert any(name.endswith(".jsonl") for name in files), f"no span file was written: {sorted(files)}"
    for name, text in files.items():
        found += [f"file {name}: {secret}" for secret in leaks(text, secrets)]
    assert len(set(secrets)) == len(secrets)  # every string searched for is distinct
    assert not found, "identity in clear:\n" + "\n".join(sorted(set(found)))
