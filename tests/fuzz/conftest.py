"""Fixtures for the fuzz suite: each service in-process on the real broker and PostgreSQL
(``start_service``), served over real HTTP on a loopback port so that schemathesis, running in a
worker thread, talks to it the way any client does, and a direct look at the service's tables."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
import uvicorn
from fastapi import FastAPI

from awasi_cli.testing import free_port


class _Server(uvicorn.Server):
    """uvicorn inside the test's event loop: no signal handlers of its own."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class Live:
    """One service running in the test process and answering over HTTP."""

    name: str
    app: FastAPI
    base_url: str
    loop: asyncio.AbstractEventLoop

    async def counts(self) -> dict[str, int]:
        """Row counts of every table the service owns (domain tables, outbox, inbox), in one query."""
        orm = importlib.import_module(f"awasi_{self.name}.adapters.orm")
        tables = sorted(orm.metadata.tables.values(), key=lambda t: t.name)
        query = sa.select(*(sa.select(sa.func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables))
        async with self.app.state.service.sessions() as session:
            row = (await session.execute(query)).one()
        return {t.name: int(value) for t, value in zip(tables, row, strict=True)}

    def run(self, coroutine: Awaitable[Any]) -> Any:
        """Run a coroutine on the service's loop from the worker thread that fuzzes it."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=60)  # type: ignore[arg-type]


StartLive = Callable[[str], Awaitable[Live]]


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """The fuzzed service on a broker of its own: on the shared one it also consumes every other
    test's events, its tables keep changing, and the replay of refused writes (which waits for
    them to stand still) waited up to 20 s again and again."""
    return private_broker


@pytest.fixture
def fast_intake(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reporting's public intake allows 5 laporan a minute per client; every fuzzed request
    comes from 127.0.0.1, so the limit is raised to let the fuzzer past it (429 stays a
    possible, explained answer)."""
    monkeypatch.setenv("AWASI_REPORTING_INTAKE_RATE_LIMIT", "100000/minute")
    monkeypatch.setenv("AWASI_REPORTING_STATUS_RATE_LIMIT", "100000/minute")


@pytest.fixture
async def live_service(start_service: Any, fast_intake: None) -> AsyncIterator[StartLive]:
    """``live = await live_service("planning")``: the service started by ``start_service`` (lifespan
    entered: migrations, broker, relay, consumers) and served by uvicorn on a free loopback port."""
    servers: list[tuple[_Server, asyncio.Task[None]]] = []

    async def start(name: str) -> Live:
        await start_service(name)
        app: FastAPI = start_service.apps[name]
        port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning", access_log=False)
        server = _Server(config)
        task = asyncio.create_task(server.serve())
        servers.append((server, task))
        for _ in range(200):
            if server.started:
                break
            if task.done():
                task.result()
            await asyncio.sleep(0.05)
        assert server.started, f"{name} did not start serving on port {port}"
        return Live(name, app, f"http://127.0.0.1:{port}", asyncio.get_running_loop())

    yield start
    for server, _ in servers:
        server.should_exit = True
    for _, task in servers:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 15)
