"""``python -m bench.writes``: the cost of one submission's write, without HTTP, relay or consumers.

Reporting's command bus on a fresh PostgreSQL database (``awasi_bench_writes_<id>``, dropped
afterwards), called in sequence ``--n`` times after 50 warm-up calls: ``form_a`` (one Form A),
``form_a_key`` (the same with an ``Idempotency-Key``), ``laporan`` (a public laporan without
evidence). Prints this process's CPU ms per write (the handler, the unit of work, SQLAlchemy and
asyncpg), the PostgreSQL backend's CPU ms per write (from ``/proc``) and the database round trips
per write (asyncpg's simple queries, i.e. BEGIN/COMMIT/ROLLBACK, and its executions, counted where
they start). Sequential calls on one connection: no queue, no batching, so a change to the write
path shows here even on a busy machine, where ``bench.probe``'s figures move by a millisecond."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from asyncpg import connection as asyncpg_connection
from asyncpg import prepared_stmt

from bench.stack import LOCAL_POSTGRES
from bench.workload import Workload
from bench.workload import laporan as laporan_body

ROUND_TRIPS = {"n": 0}


def _counted(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def counting(*args: Any, **kwargs: Any) -> Any:
        ROUND_TRIPS["n"] += 1
        return await method(*args, **kwargs)

    return counting


def _count_round_trips() -> None:
    conn: Any = asyncpg_connection.Connection
    stmt: Any = prepared_stmt.PreparedStatement
    conn.execute = _counted(conn.execute)  # BEGIN, COMMIT, ROLLBACK (and any query without arguments)
    conn.executemany = _counted(conn.executemany)
    stmt._PreparedStatement__bind_execute = _counted(stmt._PreparedStatement__bind_execute)
    stmt.executemany = _counted(stmt.executemany)


def _backend_cpu(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


async def measure(path: str, n: int) -> dict[str, Any]:
    from awasi_common import migrations
    from awasi_common.auth import Principal, Role
    from awasi_common.db import drop_database, ensure_database
    from awasi_common.settings import PlatformSettings, ServiceSettings
    from awasi_reporting.bootstrap import MIGRATIONS, bootstrap
    from awasi_reporting.entrypoints import schemas as s
    from awasi_reporting.entrypoints import schemas_pengawasan as sp

    url = f"{LOCAL_POSTGRES}/awasi_bench_writes_{uuid.uuid4().hex[:8]}"
    await ensure_database(url)
    await migrations.upgrade(MIGRATIONS, url)
    app = bootstrap(
        PlatformSettings(kafka_bootstrap="127.0.0.1:1", token_issuer=""),  # no broker: nothing is published
        ServiceSettings(name="reporting", port=1, database_url=url),
    )
    bus = app.state.bus
    forms = [json.loads(request.body) for request in Workload.build(mode="single", batch=1, laporan_share=0).single]
    admin = await asyncpg.connect(LOCAL_POSTGRES.replace("+asyncpg", "") + "/postgres")

    async def one(i: int) -> None:
        if path == "laporan":
            await bus.handle(s.LaporanIn.model_validate(laporan_body("35.05.01")).to_command(), None)
            return
        body = forms[i % len(forms)]
        principal = Principal(subject=f"pengawas@{body['unit']}", role=Role.PENGAWAS, unit=body["unit"])
        key = str(uuid.uuid4()) if path == "form_a_key" else None
        await bus.handle(sp.FormAIn.model_validate(body).to_command(key), principal)

    try:
        for i in range(50):
            await one(i)
        database = url.rsplit("/", 1)[1]
        pids = [r["pid"] for r in await admin.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", database)]
        cpu, backend, trips = time.process_time(), _backend_cpu(pids), ROUND_TRIPS["n"]
        for i in range(n):
            await one(i)
        return {
            "path": path,
            "writes": n,
            "client_cpu_ms": round((time.process_time() - cpu) / n * 1000, 3),
            "postgresql_cpu_ms": round((_backend_cpu(pids) - backend) / n * 1000, 3),
            "round_trips": round((ROUND_TRIPS["n"] - trips) / n, 2),
        }
    finally:
        await admin.close()
        await app.state.service.engine.dispose()
        await drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", choices=["form_a", "form_a_key", "laporan"], default="form_a")
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    _count_round_trips()
    print(json.dumps(asyncio.run(measure(args.path, args.n))))


if __name__ == "__main__":
    main()
