"""A Form A filed on its own and a laporan without evidence: on PostgreSQL the number, the row
and the outbox rows are one statement (``adapters.sekaligus``), on SQLite the unit of work's
transaction; either way the same numbers (past 999 too, gap-free under concurrency), the same
rows and the same events."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from sqlalchemy import event

from awasi_cli.testing import free_port
from awasi_common.events import Envelope
from awasi_common.events.envelope import decode
from awasi_common.events.reporting import HasilPengawasanDisampaikan, LaporanSubmitted, PelaporNoticeRequested
from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_reporting.adapters import orm
from awasi_reporting.domain.nomor import nomor_dokumen
from awasi_reporting.domain.rezim import Pemilihan
from awasi_reporting.domain.vocabulary import local_date

from .conftest import laporan_body
from .test_figures import form_a_body

KEC = "52.01.02"
TODAY = local_date(dt.datetime.now(dt.UTC), KEC)

Started = tuple[httpx.AsyncClient, FastAPI]


@pytest.fixture
async def reporting_on(
    platform_settings: PlatformSettings, database_url: Callable[[str], str], tmp_path: Path
) -> AsyncIterator[Callable[[str], Awaitable[Started]]]:
    """``await reporting_on("sqlite")``: reporting on a fresh database of that kind."""
    from awasi_reporting.bootstrap import bootstrap

    async with contextlib.AsyncExitStack() as stack:

        async def start(kind: str) -> Started:
            url = database_url("reporting") if kind == "postgresql" else f"sqlite+aiosqlite:///{tmp_path / 'r.db'}"
            if not url.startswith(kind):
                pytest.skip(f"no {kind} here")
            app = bootstrap(platform_settings, ServiceSettings(name="reporting", port=free_port(), database_url=url))
            await stack.enter_async_context(app.router.lifespan_context(app))
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://reporting")
            await stack.enter_async_context(client)
            return client, app

        yield start


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
async def test_numbers_rows_and_events_are_those_of_the_transaction(
    reporting_on: Callable[[str], Awaitable[Started]], tokens: Callable[..., dict[str, str]], kind: str
) -> None:
    client, app = await reporting_on(kind)
    service = app.state.service
    await _register_at_998(service, KEC, "LHP")
    auth = tokens(KEC, "pengawas")
    with written(service.engine, "form_a", "HasilPengawasanDisampaikan") as writes:
        answers = await asyncio.gather(*(client.post("/form-a", json=form_a_body(KEC), headers=auth) for _ in range(3)))
    assert [answer.status_code for answer in answers] == [201] * 3, [answer.text for answer in answers]
    expected = {nomor_dokumen(seq, "LHP", Pemilihan.PEMILU, KEC, TODAY) for seq in (999, 1000, 1001)}
    assert {answer.json()["nomor"] for answer in answers} == expected
    assert "1000/LHP/PL/Kec/52.01.02/" in " ".join(expected)
    assert len(writes) == (3 if kind == "postgresql" else 9), writes  # one each, or three

    async with service.sessions() as session:
        forms = {row.id: row for row in (await session.execute(sa.select(orm.form_a))).all()}
        outbox = (await session.execute(sa.select(orm.outbox))).all()
    sent = form_a_body(KEC)
    for answer in answers:
        body = answer.json()
        row = forms[body["id"]]
        assert row.nomor == body["nomor"]
        assert row.bentuk == ["langsung", "pencegahan"]
        assert row.data_pengawas["tahapan"] == "kampanye"
        assert row.dugaan_pelanggaran[0]["waktu_kejadian"] == sent["dugaan_pelanggaran"][0]["waktu_kejadian"]
    assert len(outbox) == 3
    for message in outbox:
        headers = message.headers if isinstance(message.headers, dict) else json.loads(message.headers)
        told = decode(Envelope.from_headers(headers), message.payload)
        assert isinstance(told, HasilPengawasanDisampaikan)
        assert told.nomor == forms[told.form_a_id].nomor
        assert message.key == told.form_a_id
        assert message.event_id == headers["ce_id"]


@contextlib.contextmanager
def written(engine: Any, table: str, event_type: str) -> Iterator[list[str]]:
    """The statements run inside that take a number, insert into ``table`` or put an
    ``event_type`` event in the outbox (the outbox also takes the events of consumers handling
    others' messages on the broker: those are not counted)."""
    writes: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if (
            "nomor_urut" in statement
            or f"INSERT INTO {table} " in statement
            or ("INSERT INTO outbox" in statement and event_type in str(parameters))
        ):
            writes.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield writes
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def _register_at_998(service: Any, unit: str, jenis: str) -> None:
    async with service.sessions() as session:  # the next numbers cross 999
        await session.execute(
            sa.insert(orm.nomor_urut).values(unit=unit, jenis=jenis, pemilihan="pemilu", tahun=TODAY.year, terakhir=998)
        )
        await session.commit()


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
async def test_a_laporan_without_evidence_is_numbered_and_told_as_in_the_transaction(
    reporting_on: Callable[[str], Awaitable[Started]], kind: str
) -> None:
    client, app = await reporting_on(kind)
    service = app.state.service
    await _register_at_998(service, KEC, "TT")
    with written(service.engine, "laporan", "LaporanSubmitted") as writes:
        answers = await asyncio.gather(*(client.post("/laporan", json=laporan_body(unit=KEC)) for _ in range(2)))
    assert [answer.status_code for answer in answers] == [201] * 2, [answer.text for answer in answers]
    expected = {nomor_dokumen(seq, "TT", Pemilihan.PEMILU, KEC, TODAY) for seq in (999, 1000)}
    assert {answer.json()["tanda_terima"]["nomor"] for answer in answers} == expected
    assert len(writes) == (2 if kind == "postgresql" else 6), writes  # one statement each, or three

    async with service.sessions() as session:
        stored = {row.id: row for row in (await session.execute(sa.select(orm.laporan))).all()}
        outbox = (await session.execute(sa.select(orm.outbox))).all()
    assert {row.nomor_tanda_terima for row in stored.values()} == expected
    told: list[Any] = []
    for message in outbox:
        headers = message.headers if isinstance(message.headers, dict) else json.loads(message.headers)
        told.append(decode(Envelope.from_headers(headers), message.payload))
        assert message.event_id == headers["ce_id"]
        assert b"siti.rahasia@example.org" not in message.payload  # the address leaves sealed
    assert sorted(type(e).__name__ for e in told) == ["LaporanSubmitted"] * 2 + ["PelaporNoticeRequested"] * 2
    submitted = [e for e in told if isinstance(e, LaporanSubmitted)]
    assert {e.laporan_id for e in submitted} == set(stored)
    notices = [e for e in told if isinstance(e, PelaporNoticeRequested)]
    assert all(e.email is None and e.email_tersegel for e in notices)


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
async def test_a_key_is_looked_up_only_when_the_statement_found_it_taken(
    reporting_on: Callable[[str], Awaitable[Started]], tokens: Callable[..., dict[str, str]], kind: str
) -> None:
    client, app = await reporting_on(kind)
    service = app.state.service
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("DELETE"):  # the job forgetting old keys, at its own times
            return
        if "form_a_idempotensi" in statement or "nomor_urut" in statement or "INSERT INTO form_a " in statement:
            statements.append(statement)

    auth = {**tokens(KEC, "pengawas"), "Idempotency-Key": "draf-1"}
    event.listen(service.engine.sync_engine, "before_cursor_execute", count)
    try:
        first = await client.post("/form-a", json=form_a_body(KEC), headers=auth)
        on_first = len(statements)
        again = await client.post("/form-a", json=form_a_body(KEC), headers=auth)
        changed = form_a_body(KEC, tahapan="pemungutan_penghitungan_suara")
        other = await client.post("/form-a", json=changed, headers=auth)
    finally:
        event.remove(service.engine.sync_engine, "before_cursor_execute", count)
    assert first.status_code == 201, first.text
    assert (again.status_code, again.headers.get("Idempotent-Replayed")) == (200, "true"), again.text
    assert again.json() == first.json()
    assert other.status_code == 422, other.text
    if kind == "postgresql":
        assert on_first == 1, statements  # the key, its number, the form and its event at once
    async with service.sessions() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(orm.form_a)) == 1
        assert await session.scalar(sa.select(orm.nomor_urut.c.terakhir).where(orm.nomor_urut.c.unit == KEC)) == 1
        assert await session.scalar(sa.select(sa.func.count()).select_from(orm.outbox)) == 1
